/**
 * Translations from the history import's bulk result (GraphQL shapes, one JSONL line per node) to
 * the records the mirror takes from webhooks (app/webhooks/payloads.ts), so both paths write the
 * same rows through the same functions. Pure: no database, no clock.
 */
import { toMinor } from "../../domain/shared/money";
import type { HistoryOrdersBulkQuery } from "../../shopify/operations/types.generated";
import {
  PayloadError,
  type CustomerRecord,
  type FulfillmentRecord,
  type LineItemRecord,
  type OrderRecord,
  type ReturnRecord,
} from "../../webhooks/payloads";

type OrderNode = HistoryOrdersBulkQuery["orders"]["edges"][number]["node"];
/** An order line of the file: the node without its nested connections, which are lines of their own. */
export type OrderLine = Omit<OrderNode, "lineItems" | "returns">;
/** An order as reconciliation's order query gives it: the same mirror fields, lists aside. */
export type OrderFields = Omit<OrderLine, "fulfillments" | "refunds">;
export type LineItemLine = OrderNode["lineItems"]["edges"][number]["node"] & { __parentId: string };
export type ReturnLine = OrderNode["returns"]["edges"][number]["node"] & { __parentId: string };

/** One order with the lines that belong to it, as read from the file. */
export interface OrderGroup {
  order: OrderLine;
  lineItems: LineItemLine[];
  returns: ReturnLine[];
  /** The file's line the order starts on. */
  line?: number;
}

interface MoneyBag {
  shopMoney: { amount: string; currencyCode: string };
}

const minor = (bag: MoneyBag | null | undefined, currency: string) =>
  bag ? toMinor(bag.shopMoney.amount, bag.shopMoney.currencyCode ?? currency) : 0;

const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : null);
const text = (value: string | null | undefined) => (value ? value : null);

function date(value: string | null | undefined): Date | null {
  if (!value) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function requireDate(value: string | null | undefined, field: string): Date {
  const parsed = date(value);
  if (!parsed) throw new PayloadError(`${field} is missing or not a date`);
  return parsed;
}

/** GraphQL's display status in the words of REST's `fulfillment_status`. */
const ORDER_FULFILLMENT_STATUS: Record<string, string> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
  RESTOCKED: "restocked",
};

export function lineItemRecord(li: LineItemLine, currency: string): LineItemRecord {
  const fulfilled = li.quantity - li.unfulfilledQuantity - li.nonFulfillableQuantity;
  return {
    shopifyId: li.id,
    productShopifyId: li.product?.id ?? null,
    variantShopifyId: li.variant?.id ?? null,
    title: li.title || "Item",
    variantTitle: text(li.variantTitle),
    sku: text(li.sku),
    quantity: li.quantity,
    priceMinor: minor(li.originalUnitPriceSet, currency),
    totalDiscountMinor: minor(li.totalDiscountSet, currency),
    requiresShipping: li.requiresShipping,
    fulfillableQuantity: li.unfulfilledQuantity,
    // REST's line fulfillment_status: null until something shipped, then partial or fulfilled.
    fulfillmentStatus: fulfilled <= 0 ? null : li.unfulfilledQuantity === 0 ? "fulfilled" : "partial",
  };
}

export function orderRecord(group: { order: OrderFields; lineItems: LineItemLine[] }): OrderRecord {
  const o = group.order;
  const currency = o.currencyCode;
  const shipping = o.shippingAddress;
  return {
    shopifyId: o.id,
    name: o.name,
    orderNumber: o.number,
    email: text(o.email),
    phone: text(o.phone),
    customerShopifyId: o.customer?.id ?? null,
    customerLocale: text(o.customerLocale),
    currency,
    subtotalMinor: minor(o.currentSubtotalPriceSet ?? o.subtotalPriceSet, currency),
    totalShippingMinor: minor(o.totalShippingPriceSet, currency),
    totalTaxMinor: minor(o.currentTotalTaxSet ?? o.totalTaxSet, currency),
    totalDiscountsMinor: minor(o.currentTotalDiscountsSet, currency),
    totalMinor: minor(o.currentTotalPriceSet, currency),
    financialStatus: lower(o.displayFinancialStatus),
    fulfillmentStatus: ORDER_FULFILLMENT_STATUS[o.displayFulfillmentStatus] ?? null,
    cancelledAt: date(o.cancelledAt),
    cancelReason: lower(o.cancelReason),
    closedAt: date(o.closedAt),
    shippingCity: text(shipping?.city),
    shippingProvince: text(shipping?.provinceCode) ?? text(shipping?.province),
    shippingCountryCode: text(shipping?.countryCodeV2),
    shippingZip: text(shipping?.zip),
    tags: o.tags.join(", "),
    processedAt: date(o.processedAt),
    shopifyCreatedAt: requireDate(o.createdAt, "order createdAt"),
    shopifyUpdatedAt: requireDate(o.updatedAt, "order updatedAt"),
    lineItems: group.lineItems.map((li) => lineItemRecord(li, currency)),
  };
}

export function customerRecord(order: OrderFields): CustomerRecord | null {
  const c = order.customer;
  if (!c) return null;
  return {
    shopifyId: c.id,
    email: text(c.defaultEmailAddress?.emailAddress),
    firstName: text(c.firstName),
    lastName: text(c.lastName),
    phone: text(c.defaultPhoneNumber?.phoneNumber),
    locale: text(c.locale),
    state: lower(c.state),
    tags: c.tags.join(", "),
    acceptsMarketing: c.defaultEmailAddress?.marketingState === "SUBSCRIBED",
    shopifyCreatedAt: date(c.createdAt),
    shopifyUpdatedAt: requireDate(c.updatedAt, "customer updatedAt"),
  };
}

/** Shipment statuses a carrier reports (REST's shipment_status); other display statuses are not one. */
const SHIPMENT_STATUSES = new Set([
  "ATTEMPTED_DELIVERY",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "OUT_FOR_DELIVERY",
  "READY_FOR_PICKUP",
]);

/** The fields of a shipment the mirror takes, as the bulk file and reconciliation's queries give them. */
export interface ShipmentFields {
  id: string;
  name: string;
  status: string;
  displayStatus: string | null;
  estimatedDeliveryAt: string | null;
  /** Shopify's stamps (the bulk file has them; reconciliation reads the scans instead). */
  inTransitAt?: string | null;
  deliveredAt?: string | null;
  createdAt: string;
  updatedAt: string;
  trackingInfo: { company: string | null; number: string | null; url: string | null }[];
}

/**
 * The shipments of an order from the bulk file. Shopify's bulk queries cannot reach a connection
 * inside a list (Order.fulfillments), so a shipment's lines come with it only where the file
 * determines them exactly (exactShipmentLines); otherwise the import's details phase reads them.
 * The mirror only adds lines, so an import never erases ones a webhook wrote.
 */
export function fulfillmentRecords(group: OrderGroup): FulfillmentRecord[] {
  const exact = exactShipmentLines(group);
  return group.order.fulfillments.map((f) => ({ ...fulfillmentRecord(group.order.id, f), lines: exact ?? [] }));
}

/** One shipment, without its lines (the caller adds what it knows of them). */
export function fulfillmentRecord(orderShopifyId: string, f: ShipmentFields): FulfillmentRecord {
  return {
    shopifyId: f.id,
    orderShopifyId,
    name: text(f.name),
    status: lower(f.status) ?? "success",
    shipmentStatus: f.displayStatus && SHIPMENT_STATUSES.has(f.displayStatus) ? f.displayStatus.toLowerCase() : null,
    trackingCompany: text(f.trackingInfo[0]?.company),
    trackingNumbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => Boolean(n)),
    trackingUrls: f.trackingInfo.map((t) => t.url).filter((u): u is string => Boolean(u)),
    estimatedDeliveryAt: date(f.estimatedDeliveryAt),
    deliveredAt: date(f.deliveredAt),
    inTransitAt: date(f.inTransitAt),
    shopifyCreatedAt: requireDate(f.createdAt, "fulfillment createdAt"),
    shopifyUpdatedAt: requireDate(f.updatedAt, "fulfillment updatedAt"),
    lines: [],
  };
}

/**
 * The lines of an order's only shipment, when the bulk file determines them exactly, else null.
 * Shopify's LineItem fields: `quantity` counts every unit ordered (refunded and removed ones
 * included), `unfulfilledQuantity` the units not yet fulfilled, `nonFulfillableQuantity` the units
 * that cannot be (refunded, removed, or nothing to ship, like a tip). What is left of a line has
 * been fulfilled: quantity − unfulfilledQuantity − nonFulfillableQuantity. That is the only
 * shipment's share of the line when the order has exactly one shipment, it succeeded (a cancelled
 * one gives its units back), and no refund or return muddies the counts. Shopify's own total for
 * the shipment (Fulfillment.totalQuantity) must agree, or the order is read in full instead.
 */
export function exactShipmentLines(group: OrderGroup): FulfillmentRecord["lines"] | null {
  const { order } = group;
  if (order.fulfillments.length !== 1 || order.refunds.length > 0 || group.returns.length > 0) return null;
  const [only] = order.fulfillments;
  if (only.status !== "SUCCESS") return null;
  const lines = group.lineItems
    .map((li) => ({
      lineItemShopifyId: li.id,
      quantity: li.quantity - li.unfulfilledQuantity - li.nonFulfillableQuantity,
    }))
    .filter((l) => l.quantity !== 0);
  if (lines.some((l) => l.quantity < 0)) return null;
  const total = lines.reduce((n, l) => n + l.quantity, 0);
  return total > 0 && total === only.totalQuantity ? lines : null;
}

/**
 * Whether the import must read the order again, in full, after the file: it has shipments,
 * refunds or returns whose lines the file cannot carry.
 */
export function needsDetails(group: OrderGroup): boolean {
  const { order } = group;
  const hasMore = order.fulfillments.length > 0 || order.refunds.length > 0 || group.returns.length > 0;
  return hasMore && exactShipmentLines(group) === null;
}

/** The returns/* topic whose webhook leaves a return in this status. */
const TOPIC_BY_STATUS: Record<string, string> = {
  requested: "returns/request",
  open: "returns/approve",
  declined: "returns/decline",
  closed: "returns/close",
  canceled: "returns/cancel",
};

/** The returns/* topic whose webhook leaves a return in `status` (the mirror's lowercase words). */
export const topicForReturnStatus = (status: string) => TOPIC_BY_STATUS[status] ?? "returns/approve";

/**
 * A return as the webhooks would have left it: requested when it was created, then its current
 * status at the last time Shopify states (the webhooks' X-Shopify-Triggered-At orders returns).
 * A return's lines are a connection two levels down: the bulk file has none, and the import's
 * details phase (or reconciliation) adds them.
 */
export function returnEvents(ret: ReturnLine): { topic: string; record: ReturnRecord; eventAt: Date }[] {
  const status = ret.status.toLowerCase();
  const record: ReturnRecord = {
    shopifyId: ret.id,
    orderShopifyId: ret.__parentId,
    name: text(ret.name),
    status,
    declineReason: lower(ret.decline?.reason),
    declineNote: text(ret.decline?.note),
    totalQuantity: ret.totalQuantity,
    lines: null,
  };
  const createdAt = requireDate(ret.createdAt, "return createdAt");
  const events: { topic: string; record: ReturnRecord; eventAt: Date }[] = [
    { topic: "returns/request", record: { ...record, status: "requested" }, eventAt: createdAt },
  ];
  if (status !== "requested") {
    const at = date(ret.closedAt) ?? date(ret.requestApprovedAt) ?? createdAt;
    events.push({ topic: TOPIC_BY_STATUS[status] ?? "returns/approve", record, eventAt: at });
  }
  return events;
}

/**
 * What loyalty's earning reads from an orders/paid payload, built from the imported order, so a
 * past order earns through the same code (and the same `order:<gid>` key) as a live one.
 */
export function paidOrderPayload(order: OrderLine) {
  const currency = order.currencyCode;
  const set = (bag: MoneyBag | null | undefined) =>
    bag ? { shop_money: { amount: bag.shopMoney.amount, currency_code: bag.shopMoney.currencyCode } } : undefined;
  return {
    admin_graphql_api_id: order.id,
    name: order.name,
    test: order.test,
    email: order.email,
    currency,
    customer: order.customer ? { admin_graphql_api_id: order.customer.id } : null,
    subtotal_price_set: set(order.subtotalPriceSet),
    total_shipping_price_set: set(order.totalShippingPriceSet),
    total_tax_set: set(order.totalTaxSet),
  };
}

/** Orders whose buyer paid: the ones a live orders/paid webhook would have made earn. */
export const isPaid = (order: OrderLine) =>
  ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(order.displayFinancialStatus ?? "");
