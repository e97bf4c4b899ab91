/**
 * Translations from Shopify's webhook payloads (REST shapes) to the app's mirror records. Pure
 * functions: no database, no clock. Field names follow Shopify's documented payloads
 * (tests/fixtures/webhooks holds one per topic).
 */
import { toMinor } from "../domain/shared/money";
import { gid, gidOf } from "../domain/shared/shopify-ids";

/**
 * A webhook payload as parsed JSON. Its fields are read one by one, and each value is checked where it is
 * used (see the functions below), so the type says nothing more than JSON.parse does.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, checked field by field
export type Json = any;

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

export function date(value: unknown): Date | null {
  if (typeof value !== "string" || value === "") return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function requireDate(value: unknown, field: string): Date {
  const parsed = date(value);
  if (!parsed) throw new PayloadError(`${field} is missing or not a date`);
  return parsed;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function money(set: Json, fallback: unknown, currency: string): number {
  const shopMoney = set?.shop_money;
  if (shopMoney?.amount !== undefined) return toMinor(shopMoney.amount, shopMoney.currency_code ?? currency);
  return toMinor(fallback as string, currency);
}

export interface LineItemRecord {
  shopifyId: string;
  productShopifyId: string | null;
  variantShopifyId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  priceMinor: number;
  totalDiscountMinor: number;
  requiresShipping: boolean;
  fulfillableQuantity: number;
  fulfillmentStatus: string | null;
}

export interface OrderRecord {
  shopifyId: string;
  name: string;
  orderNumber: number | null;
  email: string | null;
  phone: string | null;
  customerShopifyId: string | null;
  customerLocale: string | null;
  currency: string;
  subtotalMinor: number;
  totalShippingMinor: number;
  totalTaxMinor: number;
  totalDiscountsMinor: number;
  totalMinor: number;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  closedAt: Date | null;
  shippingCity: string | null;
  shippingProvince: string | null;
  shippingCountryCode: string | null;
  shippingZip: string | null;
  tags: string;
  processedAt: Date | null;
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
  lineItems: LineItemRecord[];
}

export function orderFromPayload(p: Json): OrderRecord {
  const shopifyId = gidOf("Order", p);
  if (!shopifyId) throw new PayloadError("order payload has no id");
  const currency = str(p.currency) ?? p.total_price_set?.shop_money?.currency_code ?? "USD";
  const shipping = p.shipping_address ?? null;
  return {
    shopifyId,
    name: str(p.name) ?? `#${p.order_number ?? p.number ?? ""}`,
    orderNumber: typeof p.order_number === "number" ? p.order_number : null,
    email: str(p.email) ?? str(p.contact_email),
    phone: str(p.phone),
    customerShopifyId: gidOf("Customer", p.customer),
    customerLocale: str(p.customer_locale),
    currency,
    subtotalMinor: money(
      p.current_subtotal_price_set ?? p.subtotal_price_set,
      p.current_subtotal_price ?? p.subtotal_price,
      currency,
    ),
    totalShippingMinor: money(p.total_shipping_price_set, undefined, currency),
    totalTaxMinor: money(p.current_total_tax_set ?? p.total_tax_set, p.current_total_tax ?? p.total_tax, currency),
    totalDiscountsMinor: money(
      p.current_total_discounts_set ?? p.total_discounts_set,
      p.current_total_discounts ?? p.total_discounts,
      currency,
    ),
    totalMinor: money(p.current_total_price_set ?? p.total_price_set, p.current_total_price ?? p.total_price, currency),
    financialStatus: str(p.financial_status),
    fulfillmentStatus: str(p.fulfillment_status),
    cancelledAt: date(p.cancelled_at),
    cancelReason: str(p.cancel_reason),
    closedAt: date(p.closed_at),
    shippingCity: str(shipping?.city),
    shippingProvince: str(shipping?.province_code) ?? str(shipping?.province),
    shippingCountryCode: str(shipping?.country_code),
    shippingZip: str(shipping?.zip),
    tags: typeof p.tags === "string" ? p.tags : "",
    processedAt: date(p.processed_at),
    shopifyCreatedAt: requireDate(p.created_at, "order created_at"),
    shopifyUpdatedAt: date(p.updated_at) ?? requireDate(p.created_at, "order created_at"),
    lineItems: (Array.isArray(p.line_items) ? p.line_items : []).map((li: Json) => lineItemFromPayload(li, currency)),
  };
}

function lineItemFromPayload(li: Json, currency: string): LineItemRecord {
  const shopifyId = gidOf("LineItem", li);
  if (!shopifyId) throw new PayloadError("line item has no id");
  const discounts = Array.isArray(li.discount_allocations) ? li.discount_allocations : [];
  return {
    shopifyId,
    productShopifyId: li.product_id ? gid("Product", li.product_id) : null,
    variantShopifyId: li.variant_id ? gid("ProductVariant", li.variant_id) : null,
    title: str(li.title) ?? str(li.name) ?? "Item",
    variantTitle: str(li.variant_title),
    sku: str(li.sku),
    quantity: Number(li.quantity ?? 0),
    priceMinor: money(li.price_set, li.price, currency),
    totalDiscountMinor: discounts.reduce((sum: number, d: Json) => sum + money(d.amount_set, d.amount, currency), 0),
    requiresShipping: li.requires_shipping !== false,
    fulfillableQuantity: Number(li.fulfillable_quantity ?? 0),
    fulfillmentStatus: str(li.fulfillment_status),
  };
}

export interface FulfillmentRecord {
  shopifyId: string;
  orderShopifyId: string;
  name: string | null;
  status: string;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  estimatedDeliveryAt: Date | null;
  /**
   * When Shopify says the shipment was delivered, and went into transit (GraphQL's
   * Fulfillment.deliveredAt and inTransitAt, which the history import reads). REST payloads carry
   * neither: there, carrier scans stamp them (applyFulfillmentEvent). The earliest stays either way.
   */
  deliveredAt?: Date | null;
  inTransitAt?: Date | null;
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
  lines: { lineItemShopifyId: string; quantity: number }[];
}

export function fulfillmentFromPayload(f: Json, orderShopifyIdHint?: string): FulfillmentRecord {
  const shopifyId = gidOf("Fulfillment", f);
  if (!shopifyId) throw new PayloadError("fulfillment payload has no id");
  const orderShopifyId = f.order_id ? gid("Order", f.order_id) : orderShopifyIdHint;
  if (!orderShopifyId) throw new PayloadError("fulfillment payload has no order_id");
  const numbers: string[] = Array.isArray(f.tracking_numbers)
    ? f.tracking_numbers.filter(Boolean)
    : str(f.tracking_number)
      ? [f.tracking_number]
      : [];
  const urls: string[] = Array.isArray(f.tracking_urls)
    ? f.tracking_urls.filter(Boolean)
    : str(f.tracking_url)
      ? [f.tracking_url]
      : [];
  const lines = new Map<string, number>();
  for (const li of Array.isArray(f.line_items) ? f.line_items : []) {
    const id = gidOf("LineItem", li);
    if (id) lines.set(id, (lines.get(id) ?? 0) + Number(li.quantity ?? 0));
  }
  return {
    shopifyId,
    orderShopifyId,
    name: str(f.name),
    status: str(f.status) ?? "success",
    shipmentStatus: str(f.shipment_status),
    trackingCompany: str(f.tracking_company),
    trackingNumbers: numbers,
    trackingUrls: urls,
    estimatedDeliveryAt: date(f.estimated_delivery_at),
    shopifyCreatedAt: requireDate(f.created_at, "fulfillment created_at"),
    shopifyUpdatedAt: date(f.updated_at) ?? requireDate(f.created_at, "fulfillment created_at"),
    lines: [...lines].map(([lineItemShopifyId, quantity]) => ({ lineItemShopifyId, quantity })),
  };
}

export interface FulfillmentEventRecord {
  shopifyId: string;
  fulfillmentShopifyId: string;
  orderShopifyId: string;
  status: string;
  message: string | null;
  happenedAt: Date;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  estimatedDeliveryAt: Date | null;
}

export function fulfillmentEventFromPayload(e: Json): FulfillmentEventRecord {
  const shopifyId = gidOf("FulfillmentEvent", e);
  if (!shopifyId) throw new PayloadError("fulfillment event payload has no id");
  if (!e.fulfillment_id) throw new PayloadError("fulfillment event payload has no fulfillment_id");
  if (!e.order_id) throw new PayloadError("fulfillment event payload has no order_id");
  return {
    shopifyId,
    fulfillmentShopifyId: gid("Fulfillment", e.fulfillment_id),
    orderShopifyId: gid("Order", e.order_id),
    status: str(e.status) ?? "in_transit",
    message: str(e.message),
    happenedAt: date(e.happened_at) ?? requireDate(e.created_at, "fulfillment event happened_at"),
    city: str(e.city),
    province: str(e.province),
    countryCode: str(e.country),
    estimatedDeliveryAt: date(e.estimated_delivery_at),
  };
}

export interface RefundRecord {
  shopifyId: string;
  orderShopifyId: string;
  note: string | null;
  amountMinor: number;
  currency: string;
  processedAt: Date | null;
  shopifyCreatedAt: Date;
  lines: { lineItemShopifyId: string; quantity: number; subtotalMinor: number; restockType: string | null }[];
}

export function refundFromPayload(r: Json, orderShopifyIdHint?: string): RefundRecord {
  const shopifyId = gidOf("Refund", r);
  if (!shopifyId) throw new PayloadError("refund payload has no id");
  const orderShopifyId = r.order_id ? gid("Order", r.order_id) : orderShopifyIdHint;
  if (!orderShopifyId) throw new PayloadError("refund payload has no order_id");
  const transactions: Json[] = Array.isArray(r.transactions) ? r.transactions : [];
  const refundsPaid = transactions.filter((t) => t.kind === "refund" && (t.status === "success" || !t.status));
  const currency =
    str(refundsPaid[0]?.currency) ?? str(r.refund_line_items?.[0]?.subtotal_set?.shop_money?.currency_code) ?? "USD";
  const lines = new Map<string, { quantity: number; subtotalMinor: number; restockType: string | null }>();
  for (const rl of Array.isArray(r.refund_line_items) ? r.refund_line_items : []) {
    const id = rl.line_item_id ? gid("LineItem", rl.line_item_id) : gidOf("LineItem", rl.line_item);
    if (!id) continue;
    const prev = lines.get(id);
    lines.set(id, {
      quantity: (prev?.quantity ?? 0) + Number(rl.quantity ?? 0),
      subtotalMinor: (prev?.subtotalMinor ?? 0) + money(rl.subtotal_set, rl.subtotal, currency),
      restockType: str(rl.restock_type),
    });
  }
  return {
    shopifyId,
    orderShopifyId,
    note: str(r.note),
    amountMinor: refundsPaid.reduce((sum, t) => sum + toMinor(t.amount, str(t.currency) ?? currency), 0),
    currency,
    processedAt: date(r.processed_at),
    shopifyCreatedAt: requireDate(r.created_at, "refund created_at"),
    lines: [...lines].map(([lineItemShopifyId, v]) => ({ lineItemShopifyId, ...v })),
  };
}

export interface CustomerRecord {
  shopifyId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string | null;
  state: string | null;
  tags: string;
  acceptsMarketing: boolean;
  shopifyCreatedAt: Date | null;
  shopifyUpdatedAt: Date;
}

export function customerFromPayload(c: Json): CustomerRecord {
  const shopifyId = gidOf("Customer", c);
  if (!shopifyId) throw new PayloadError("customer payload has no id");
  const consent = c.email_marketing_consent?.state;
  return {
    shopifyId,
    email: str(c.email),
    firstName: str(c.first_name),
    lastName: str(c.last_name),
    phone: str(c.phone),
    locale: str(c.locale),
    state: str(c.state),
    tags: typeof c.tags === "string" ? c.tags : "",
    acceptsMarketing: consent ? consent === "subscribed" : c.accepts_marketing === true,
    shopifyCreatedAt: date(c.created_at),
    shopifyUpdatedAt: date(c.updated_at) ?? requireDate(c.created_at, "customer updated_at"),
  };
}

/** Shopify's return statuses, as the returns/* webhooks report them. */
export interface ReturnRecord {
  shopifyId: string;
  orderShopifyId: string | null;
  name: string | null;
  status: string | null;
  declineReason: string | null;
  declineNote: string | null;
  totalQuantity: number | null;
  lines: { lineItemShopifyId: string; quantity: number; reason: string | null }[] | null;
}

export function returnFromPayload(r: Json): ReturnRecord | null {
  const shopifyId = gidOf("Return", r);
  if (!shopifyId) return null;
  const order = r.order ? gidOf("Order", r.order) : r.order_id ? gid("Order", r.order_id) : null;
  const lineItems: Json[] | null = Array.isArray(r.return_line_items) ? r.return_line_items : null;
  return {
    shopifyId,
    orderShopifyId: order,
    name: str(r.name),
    status: str(r.status),
    declineReason: str(r.decline?.reason),
    declineNote: str(r.decline?.note),
    totalQuantity: typeof r.total_return_line_items === "number" ? r.total_return_line_items : null,
    lines:
      lineItems && lineItems.length > 0
        ? lineItems.map((rl) => ({
            lineItemShopifyId: gidOf("LineItem", rl.fulfillment_line_item?.line_item ?? rl.line_item) ?? "",
            quantity: Number(rl.quantity ?? 0),
            reason: str(rl.return_reason) ?? str(rl.reason),
          }))
        : null,
  };
}

/** Who a compliance payload is about, and what in it could not be read. */
export interface ComplianceSubject {
  customerShopifyId: string | null;
  email: string | null;
  orderShopifyIds: string[];
  /** One sentence per part that was missing or malformed: the event's outcome says what was not done. */
  problems: string[];
}

/** A Shopify numeric id (number or digits) or a gid of the resource; anything else is not an id. */
function shopifyIdOf(resource: "Customer" | "Order", value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return gid(resource, value);
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) return gid(resource, value);
  if (typeof value === "string" && value.startsWith(`gid://shopify/${resource}/`)) return value;
  return null;
}

/**
 * customers/redact and customers/data_request, read part by part: a malformed part is noted and
 * the rest still used, since forgetting what can be identified beats forgetting nothing.
 */
export function complianceSubjectFromPayload(
  payload: Json,
  ordersField: "orders_to_redact" | "orders_requested",
): ComplianceSubject {
  const problems: string[] = [];
  const customer = payload?.customer;
  const customerShopifyId =
    shopifyIdOf("Customer", customer?.admin_graphql_api_id) ?? shopifyIdOf("Customer", customer?.id);
  if (!customerShopifyId) problems.push("customer.id is missing or not a customer id.");
  const email = typeof customer?.email === "string" && customer.email.includes("@") ? customer.email.trim() : null;
  if (!email) problems.push("customer.email is missing or not an email address.");
  const orders = payload?.[ordersField];
  const orderShopifyIds: string[] = [];
  if (Array.isArray(orders)) {
    const unreadable = orders.filter((o) => !shopifyIdOf("Order", o));
    orderShopifyIds.push(...orders.map((o) => shopifyIdOf("Order", o)).filter((o): o is string => o !== null));
    if (unreadable.length) {
      problems.push(`${ordersField}: ${unreadable.length} entries are not order ids and were skipped.`);
    }
  } else if (orders !== undefined && orders !== null) {
    problems.push(`${ordersField} is not a list of order ids; no order was taken from it.`);
  }
  return { customerShopifyId, email, orderShopifyIds, problems };
}
