/**
 * What happens in a shop, with Shopify's rules: each operation validates its input (answering
 * userErrors, never throwing, for anything a caller could get wrong), changes the state, and emits
 * the webhooks Shopify would. The Admin GraphQL mutations and the scenarios both come here, so a
 * fulfilment made either way looks the same to the app.
 */
import { createHash } from "node:crypto";

import type { BulkOperations } from "./bulk-operations";
import type { FlowExtension } from "./flow";
import type { StagedUploads } from "./staged-uploads";
import { definitionForLegacy, reasonDefinition, type ReturnReasonDefinition } from "./return-reasons";
import {
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
  refundPayload,
  returnDeclinePayload,
  returnPayload,
  returnStatusPayload,
  customerPayload,
  shopPayload,
} from "./payloads";
import {
  type Address,
  type Customer,
  type Discount,
  type ExchangeLine,
  type Fulfillment,
  type FulfillmentEvent,
  type LineItem,
  type Order,
  type Refund,
  type RefundLine,
  type Return,
  type ReturnLine,
  type ReverseFulfillmentOrderLine,
  type SandboxState,
  type ShipmentStatus,
  type Shop,
  type StoreCreditAccount,
  type StoreCreditTransaction,
  decimal,
  gidFor,
  orderTotals,
  parseId,
  refundedQuantity,
  returnableQuantity,
  storeCreditBalance,
  sum,
  toMinor,
} from "./state";

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export type Result<T> = { ok: true; value: T } | { ok: false; userErrors: UserError[] };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T = never>(message: string, field: string[] | null = null, code: string | null = null): Result<T> => ({
  ok: false,
  userErrors: [{ field, message, code }],
});

/** What operations need from the sandbox around them. */
export interface Engine {
  state: SandboxState;
  /** Bulk query operations (bulk-operations.ts). */
  bulk?: BulkOperations;
  /** Staged uploads and the Files made from them (staged-uploads.ts). */
  uploads?: StagedUploads;
  emit(shop: Shop, topic: string, payload: unknown): void;
  trackingUrl(company: string | null, number: string): string;
  /** Where the sandbox's server answers, for links in Shopify's emails (the invoice's pay page). */
  origin?: string;
  /** The app's Flow extensions (flow.ts), read from its extensions/ folder when first needed. */
  flowExtensions?: () => FlowExtension[];
}

/** Webhooks go only to shops where the app is installed; these two are sent around an uninstall. */
const AFTER_UNINSTALL_TOPICS = new Set(["app/uninstalled", "shop/redact"]);

export function emitTo(engine: Engine, shop: Shop, topic: string, payload: unknown) {
  if (!shop.appInstalled && !AFTER_UNINSTALL_TOPICS.has(topic)) return;
  engine.emit(shop, topic, payload);
}

function emitOrder(engine: Engine, shop: Shop, order: Order, topic: string) {
  const customer = order.customerId ? (shop.customers.find((c) => c.id === order.customerId) ?? null) : null;
  emitTo(engine, shop, topic, orderPayload(shop, order, customer));
}

/** A change to the order itself: a new updated_at, and orders/updated as Shopify sends it. */
function touch(engine: Engine, shop: Shop, order: Order) {
  order.updatedAt = engine.state.stamp();
  emitOrder(engine, shop, order, "orders/updated");
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function defaultAddress(firstName: string, lastName: string, partial: Partial<Address> = {}): Address {
  return {
    firstName: partial.firstName ?? firstName,
    lastName: partial.lastName ?? lastName,
    company: partial.company ?? null,
    address1: partial.address1 ?? "1 Sandbox Street",
    address2: partial.address2 ?? null,
    city: partial.city ?? "Ottawa",
    province: partial.province ?? "Ontario",
    provinceCode: partial.provinceCode ?? "ON",
    country: partial.country ?? "Canada",
    countryCode: partial.countryCode ?? "CA",
    zip: partial.zip ?? "K2P 1L4",
    phone: partial.phone ?? "",
  };
}

// Customers

export interface CustomerInput {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  locale?: string;
  tags?: string[];
  note?: string;
  acceptsMarketing?: boolean;
  address?: Partial<Address>;
  /** Account state: DISABLED (no account, as for a guest checkout's customer) unless given. */
  state?: Customer["state"];
}

export function createCustomer(engine: Engine, shop: Shop, input: CustomerInput): Result<Customer> {
  const email = input.email?.trim() ?? "";
  if (!EMAIL.test(email)) return fail("Email is invalid", ["email"], "INVALID");
  if (engine.state.customerByEmail(shop, email)) return fail("Email has already been taken", ["email"], "TAKEN");
  const at = engine.state.stamp();
  const firstName = input.firstName ?? email.split("@")[0];
  const lastName = input.lastName ?? "";
  const customer: Customer = {
    id: engine.state.nextId(),
    email,
    firstName,
    lastName,
    phone: input.phone ?? null,
    locale: input.locale ?? "en",
    state: input.state ?? "DISABLED",
    note: input.note ?? "",
    tags: input.tags ?? [],
    acceptsMarketing: input.acceptsMarketing ?? false,
    addressId: engine.state.nextId(),
    defaultAddress: defaultAddress(firstName, lastName, input.address),
    storeCreditAccounts: [],
    createdAt: at,
    updatedAt: at,
  };
  shop.customers.push(customer);
  emitTo(engine, shop, "customers/create", customerPayload(shop, customer));
  return ok(customer);
}

export function updateCustomer(
  engine: Engine,
  shop: Shop,
  id: unknown,
  patch: Partial<CustomerInput>,
): Result<Customer> {
  const customer = engine.state.customer(shop, id);
  if (!customer) return fail("Customer does not exist", ["id"], "NOT_FOUND");
  if (patch.email !== undefined) {
    if (!EMAIL.test(patch.email)) return fail("Email is invalid", ["email"], "INVALID");
    const other = engine.state.customerByEmail(shop, patch.email);
    if (other && other.id !== customer.id) return fail("Email has already been taken", ["email"], "TAKEN");
    customer.email = patch.email;
  }
  if (patch.firstName !== undefined) customer.firstName = patch.firstName;
  if (patch.lastName !== undefined) customer.lastName = patch.lastName;
  if (patch.phone !== undefined) customer.phone = patch.phone;
  if (patch.locale !== undefined) customer.locale = patch.locale;
  if (patch.tags !== undefined) customer.tags = patch.tags;
  if (patch.note !== undefined) customer.note = patch.note;
  if (patch.acceptsMarketing !== undefined) customer.acceptsMarketing = patch.acceptsMarketing;
  if (patch.state !== undefined) customer.state = patch.state;
  if (patch.address) customer.defaultAddress = { ...customer.defaultAddress, ...patch.address };
  customer.updatedAt = engine.state.stamp();
  emitTo(engine, shop, "customers/update", customerPayload(shop, customer));
  return ok(customer);
}

// Orders

export interface PlaceOrderInput {
  /** An existing customer (gid or id); or `email` for a guest; or `customer` to create one. */
  customerId?: unknown;
  customer?: CustomerInput;
  email?: string;
  lines: { variantId: unknown; quantity: number }[];
  paid: boolean;
  shippingAddress?: Partial<Address>;
  billingAddress?: Partial<Address>;
  /** Decimal string or number in the shop currency; default 5.00 (0 when nothing ships). */
  shippingPrice?: string | number;
  shippingTitle?: string;
  /** Tax rate on the discounted line price, e.g. 0.13; default 0. */
  taxRate?: number;
  discountCode?: string;
  tags?: string[];
  note?: string;
  locale?: string;
  gateway?: string;
}

function allocate(total: number, weights: number[]): number[] {
  const whole = sum(weights);
  if (whole === 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((total * w) / whole));
  let rest = total - sum(shares);
  for (let i = 0; rest > 0 && i < shares.length; i++, rest--) shares[i] += 1;
  return shares;
}

function discountApplies(shop: Shop, discount: Discount, customerId: number | null, now: Date): string | null {
  if (Date.parse(discount.startsAt) > now.getTime()) return "Discount code is not active yet";
  if (discount.endsAt && Date.parse(discount.endsAt) < now.getTime()) return "Discount code has expired";
  if (discount.usageLimit !== null && discount.usageCount >= discount.usageLimit)
    return "Discount code usage limit reached";
  if (discount.customerIds && (customerId === null || !discount.customerIds.includes(customerId))) {
    return "Discount code is not valid for this customer";
  }
  if (discount.appliesOncePerCustomer && customerId !== null) {
    const used = shop.orders.some(
      (o) =>
        o.customerId === customerId &&
        o.discountCodes.some((d) => d.code.toLowerCase() === discount.code.toLowerCase()),
    );
    if (used) return "Discount code has already been used by this customer";
  }
  return null;
}

export function placeOrder(engine: Engine, shop: Shop, input: PlaceOrderInput): Result<Order> {
  const { state } = engine;
  if (!input.lines?.length) return fail("An order needs at least one line", ["lines"]);
  const resolved = [];
  for (const [i, line] of input.lines.entries()) {
    const found = state.variant(shop, line.variantId);
    if (!found)
      return fail(`Variant ${String(line.variantId)} does not exist`, ["lines", String(i), "variantId"], "NOT_FOUND");
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      return fail("Quantity must be a whole number of at least 1", ["lines", String(i), "quantity"], "INVALID");
    }
    resolved.push({ ...found, quantity: line.quantity });
  }

  let customer: Customer | null = null;
  if (input.customerId !== undefined && input.customerId !== null) {
    customer = state.customer(shop, input.customerId) ?? null;
    if (!customer) return fail("Customer does not exist", ["customerId"], "NOT_FOUND");
  } else if (input.customer) {
    customer = state.customerByEmail(shop, input.customer.email) ?? null;
    if (!customer) {
      const created = createCustomer(engine, shop, input.customer);
      if (!created.ok) return created;
      customer = created.value;
    }
  }
  const email = customer?.email ?? input.email?.trim();
  if (!email || !EMAIL.test(email)) return fail("A guest order needs a valid email", ["email"], "INVALID");
  if (!customer) {
    // Shopify files every checkout's buyer as a customer (without an account for a guest).
    customer = state.customerByEmail(shop, email) ?? null;
    if (!customer) {
      const created = createCustomer(engine, shop, {
        email,
        firstName: input.shippingAddress?.firstName ?? "Guest",
        lastName: input.shippingAddress?.lastName ?? "Shopper",
        address: input.shippingAddress,
      });
      if (!created.ok) return created;
      customer = created.value;
    }
  }

  const currency = shop.currency;
  const taxRate = input.taxRate ?? 0;
  const lineItems: LineItem[] = resolved.map(({ product, variant, quantity }) => ({
    id: state.nextId(),
    productId: product.id,
    variantId: variant.id,
    title: product.title,
    variantTitle: variant.title === "Default Title" ? null : variant.title,
    sku: variant.sku,
    vendor: product.vendor,
    quantity,
    priceMinor: variant.priceMinor,
    discountMinor: 0,
    taxMinor: 0,
    requiresShipping: variant.requiresShipping,
    taxable: variant.taxable,
    grams: variant.grams,
  }));
  const ships = lineItems.some((l) => l.requiresShipping);
  const shippingPriceMinor = ships ? minorOrNull(input.shippingPrice ?? "5.00", currency) : 0;
  if (shippingPriceMinor === null || shippingPriceMinor < 0)
    return fail("Shipping price is not an amount of money", ["shippingPrice"], "INVALID");
  let shippingDiscount = 0;
  const discountCodes: Order["discountCodes"] = [];

  if (input.discountCode) {
    const discount = state.discountByCode(shop, input.discountCode);
    if (!discount) return fail("Discount code does not exist", ["discountCode"], "NOT_FOUND");
    const problem = discountApplies(shop, discount, customer?.id ?? null, state.now());
    if (problem) return fail(problem, ["discountCode"], "INVALID");
    const lineTotals = lineItems.map((l) => l.priceMinor * l.quantity);
    if (discount.kind === "free_shipping") {
      shippingDiscount = shippingPriceMinor;
      discountCodes.push({ code: discount.code, amountMinor: shippingDiscount, type: "shipping", value: "100.0" });
    } else if (discount.percentage === null) {
      const perItem = discount.appliesOnEachItem;
      const wanted = perItem ? sum(lineItems.map((l) => discount.amountMinor! * l.quantity)) : discount.amountMinor!;
      const total = Math.min(wanted, sum(lineTotals));
      const off = perItem
        ? lineItems.map((l, i) => Math.min(lineTotals[i], discount.amountMinor! * l.quantity))
        : allocate(total, lineTotals);
      lineItems.forEach((l, i) => (l.discountMinor = off[i]));
      discountCodes.push({
        code: discount.code,
        amountMinor: sum(off),
        type: "fixed_amount",
        value: decimal(discount.amountMinor!, currency),
      });
    } else {
      const off = lineTotals.map((t) => Math.round(t * discount.percentage!));
      lineItems.forEach((l, i) => (l.discountMinor = off[i]));
      discountCodes.push({
        code: discount.code,
        amountMinor: sum(off),
        type: "percentage",
        value: (discount.percentage * 100).toFixed(1),
      });
    }
    discount.usageCount += 1;
  }
  for (const l of lineItems) {
    l.taxMinor = l.taxable ? Math.round((l.priceMinor * l.quantity - l.discountMinor) * taxRate) : 0;
  }

  const at = state.stamp();
  const number = shop.nextOrderNumber++;
  const id = state.nextId();
  const first = customer?.firstName ?? input.shippingAddress?.firstName ?? "Guest";
  const last = customer?.lastName ?? input.shippingAddress?.lastName ?? "Shopper";
  const shippingAddress = ships
    ? defaultAddress(first, last, { ...customer?.defaultAddress, ...input.shippingAddress })
    : null;
  const order: Order = {
    id,
    number,
    name: `#${number}`,
    token: createHash("sha256").update(`${shop.domain}/${id}`).digest("hex").slice(0, 32),
    email,
    phone: customer?.phone ?? null,
    customerId: customer?.id ?? null,
    customerLocale: input.locale ?? customer?.locale ?? "en",
    currency,
    note: input.note ?? null,
    tags: input.tags ?? [],
    createdAt: at,
    updatedAt: at,
    processedAt: at,
    paid: false,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    shippingAddress,
    billingAddress: input.billingAddress ? defaultAddress(first, last, input.billingAddress) : shippingAddress,
    lineItems,
    shippingLine: ships
      ? {
          id: state.nextId(),
          title: input.shippingTitle ?? "Standard",
          code: input.shippingTitle ?? "Standard",
          priceMinor: shippingPriceMinor,
          discountMinor: shippingDiscount,
        }
      : null,
    taxRate,
    discountCodes,
    transactions: [],
    fulfillmentOrders: [],
    fulfillments: [],
    refunds: [],
    returns: [],
  };
  const shippable = lineItems.filter((l) => l.requiresShipping);
  if (shippable.length) {
    order.fulfillmentOrders.push({
      id: state.nextId(),
      status: "OPEN",
      createdAt: at,
      updatedAt: at,
      lineItems: shippable.map((l) => ({
        id: state.nextId(),
        lineItemId: l.id,
        totalQuantity: l.quantity,
        remainingQuantity: l.quantity,
      })),
    });
  }
  for (const { variant, quantity } of resolved) variant.inventoryQuantity -= quantity;
  if (input.paid) {
    order.paid = true;
    order.transactions.push(saleTransaction(engine, order, input.gateway));
  }
  shop.orders.push(order);
  emitOrder(engine, shop, order, "orders/create");
  if (order.paid) emitOrder(engine, shop, order, "orders/paid");
  return ok(order);
}

/** A decimal amount in minor units, or null when it is not one. */
function minorOrNull(amount: string | number, currency: string): number | null {
  try {
    return toMinor(amount, currency);
  } catch {
    return null;
  }
}

function saleTransaction(engine: Engine, order: Order, gateway = "bogus") {
  return {
    id: engine.state.nextId(),
    kind: "sale" as const,
    status: "success" as const,
    gateway,
    amountMinor: orderTotals(order).totalMinor,
    parentId: null,
    createdAt: engine.state.stamp(),
  };
}

export function payOrder(engine: Engine, shop: Shop, orderId: unknown, gateway?: string): Result<Order> {
  const order = engine.state.order(shop, orderId);
  if (!order) return fail("Order does not exist", ["id"], "NOT_FOUND");
  if (order.cancelledAt) return fail("Order has been cancelled", ["id"], "INVALID");
  if (order.paid) return fail("Order is already paid", ["id"], "INVALID");
  order.paid = true;
  order.transactions.push(saleTransaction(engine, order, gateway ?? "manual"));
  order.updatedAt = engine.state.stamp();
  emitOrder(engine, shop, order, "orders/paid");
  emitOrder(engine, shop, order, "orders/updated");
  return ok(order);
}

export interface InvoiceEmailInput {
  to?: string | null;
  from?: string | null;
  bcc?: string[] | null;
  subject?: string | null;
  customMessage?: string | null;
  body?: string | null;
}

/**
 * orderInvoiceSend: Shopify emails the customer an invoice for what the order still owes, with a
 * link to pay it. The sandbox keeps the email on the order (Order.invoices) and the link opens its
 * pay page. The resolver refuses loudly (SANDBOX_NOT_IMPLEMENTED) what it does not model (a custom `from`,
 * `bcc` or `body`, or an invoice for an order that owes nothing).
 */
export function sendOrderInvoice(
  engine: Engine,
  shop: Shop,
  orderId: unknown,
  email: InvoiceEmailInput | null,
): Result<Order> {
  const order = engine.state.order(shop, orderId);
  if (!order) return fail("Order does not exist", ["id"], "ORDER_INVOICE_SEND_UNSUCCESSFUL");
  const owed = orderTotals(order).outstandingMinor;
  const to = email?.to ?? order.email;
  if (!to)
    return fail(
      "The order has no email address to send the invoice to.",
      ["email", "to"],
      "ORDER_INVOICE_SEND_UNSUCCESSFUL",
    );
  if (!EMAIL.test(to)) return fail("Email is invalid.", ["email", "to"], "ORDER_INVOICE_SEND_UNSUCCESSFUL");
  const url = invoicePageUrl(engine, order);
  const amount = `${(owed / 100).toFixed(2)} ${order.currency}`;
  (order.invoices ??= []).push({
    id: engine.state.nextId(),
    sentAt: engine.state.stamp(),
    to,
    subject: email?.subject ?? `Invoice for order ${order.name}`,
    body: [email?.customMessage, `Order ${order.name} has ${amount} to pay.`, `Pay now: ${url}`]
      .filter(Boolean)
      .join("\n\n"),
    url,
    amountMinor: owed,
  });
  return ok(order);
}

/** The page where the customer pays what an order owes: the invoice's link (and paymentCollectionDetails'). */
export function invoicePageUrl(engine: Engine, order: Order): string {
  return `${engine.origin ?? "http://sandbox.invalid"}/invoices/${order.token}`;
}

/**
 * The customer pays what the order owes through the invoice's link: a sale for the balance, then
 * orders/paid and orders/updated as Shopify sends them when an order becomes paid.
 */
export function payOrderBalance(engine: Engine, shop: Shop, token: string, gateway = "bogus"): Result<Order> {
  const order = shop.orders.find((o) => o.token === token);
  if (!order) return fail("Order does not exist", ["token"], "NOT_FOUND");
  if (order.cancelledAt) return fail("Order has been cancelled", ["token"], "INVALID");
  const owed = orderTotals(order).outstandingMinor;
  if (owed <= 0) return fail("This order has nothing left to pay.", ["token"], "INVALID");
  order.paid = true;
  order.transactions.push({
    id: engine.state.nextId(),
    kind: "sale",
    status: "success",
    gateway,
    amountMinor: owed,
    parentId: null,
    createdAt: engine.state.stamp(),
  });
  order.updatedAt = engine.state.stamp();
  emitOrder(engine, shop, order, "orders/paid");
  emitOrder(engine, shop, order, "orders/updated");
  return ok(order);
}

// Fulfilments

export interface FulfillmentInput {
  lineItemsByFulfillmentOrder: {
    fulfillmentOrderId: unknown;
    fulfillmentOrderLineItems?: { id: unknown; quantity: number }[] | null;
  }[];
  trackingInfo?: {
    company?: string | null;
    number?: string | null;
    numbers?: string[] | null;
    url?: string | null;
    urls?: string[] | null;
  } | null;
}

function trackingOf(engine: Engine, info: FulfillmentInput["trackingInfo"]) {
  const company = info?.company ?? null;
  const numbers = [...(info?.number ? [info.number] : []), ...(info?.numbers ?? [])];
  let urls = [...(info?.url ? [info.url] : []), ...(info?.urls ?? [])];
  if (urls.length === 0) urls = numbers.map((n) => engine.trackingUrl(company, n));
  return { company, numbers, urls };
}

export function createFulfillment(
  engine: Engine,
  shop: Shop,
  input: FulfillmentInput,
): Result<{ order: Order; fulfillment: Fulfillment }> {
  const { state } = engine;
  if (!input.lineItemsByFulfillmentOrder?.length) {
    return fail("Line items by fulfillment order must not be empty", ["fulfillment", "lineItemsByFulfillmentOrder"]);
  }
  let order: Order | null = null;
  const picks: {
    foLineId: number;
    lineItemId: number;
    quantity: number;
    fo: Order["fulfillmentOrders"][number];
  }[] = [];
  for (const [i, group] of input.lineItemsByFulfillmentOrder.entries()) {
    const found = state.fulfillmentOrder(shop, group.fulfillmentOrderId);
    const field = ["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderId"];
    if (!found) return fail("Fulfillment order does not exist.", field);
    if (order && found.order.id !== order.id)
      return fail("All fulfillment orders must belong to the same order.", field);
    order = found.order;
    const fo = found.fulfillmentOrder;
    if (order.cancelledAt || fo.status === "CANCELLED" || fo.status === "CLOSED") {
      return fail(
        `Fulfillment order ${gidFor("FulfillmentOrder", fo.id)} ` +
          `has an unfulfillable status= ${fo.status.toLowerCase()}.`,
        field,
      );
    }
    const wanted = group.fulfillmentOrderLineItems?.length
      ? group.fulfillmentOrderLineItems
      : fo.lineItems.filter((l) => l.remainingQuantity > 0).map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
    for (const [j, w] of wanted.entries()) {
      const foLine = fo.lineItems.find((l) => l.id === parseId(w.id, "FulfillmentOrderLineItem"));
      const lineField = [
        "fulfillment",
        "lineItemsByFulfillmentOrder",
        String(i),
        "fulfillmentOrderLineItems",
        String(j),
      ];
      if (!foLine) return fail("Fulfillment order line item does not exist.", [...lineField, "id"]);
      if (!Number.isInteger(w.quantity) || w.quantity < 1)
        return fail("Quantity must be greater than 0.", [...lineField, "quantity"]);
      if (w.quantity > foLine.remainingQuantity) {
        return fail(
          `Invalid fulfillment order line item quantity requested: ${w.quantity} ` +
            `exceeds the ${foLine.remainingQuantity} remaining.`,
          [...lineField, "quantity"],
        );
      }
      picks.push({ foLineId: foLine.id, lineItemId: foLine.lineItemId, quantity: w.quantity, fo });
    }
  }
  if (!order || picks.length === 0) return fail("Nothing left to fulfil on these fulfillment orders.", ["fulfillment"]);

  const at = state.stamp();
  const tracking = trackingOf(engine, input.trackingInfo);
  const fulfillment: Fulfillment = {
    id: state.nextId(),
    name: `${order.name}.${order.fulfillments.length + 1}`,
    status: "success",
    shipmentStatus: null,
    trackingCompany: tracking.company,
    trackingNumbers: tracking.numbers,
    trackingUrls: tracking.urls,
    estimatedDeliveryAt: null,
    inTransitAt: null,
    deliveredAt: null,
    createdAt: at,
    updatedAt: at,
    lineItems: picks.map((p) => ({
      id: state.nextId(),
      lineItemId: p.lineItemId,
      fulfillmentOrderLineId: p.foLineId,
      quantity: p.quantity,
    })),
    events: [],
  };
  for (const p of picks) {
    const foLine = p.fo.lineItems.find((l) => l.id === p.foLineId)!;
    foLine.remainingQuantity -= p.quantity;
    p.fo.status = p.fo.lineItems.every((l) => l.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
    p.fo.updatedAt = at;
  }
  order.fulfillments.push(fulfillment);
  order.updatedAt = at;
  emitTo(engine, shop, "fulfillments/create", fulfillmentPayload(shop, order, fulfillment));
  emitOrder(engine, shop, order, "orders/updated");
  return ok({ order, fulfillment });
}

export function updateTracking(
  engine: Engine,
  shop: Shop,
  fulfillmentId: unknown,
  info: NonNullable<FulfillmentInput["trackingInfo"]>,
): Result<{ order: Order; fulfillment: Fulfillment }> {
  const found = engine.state.fulfillment(shop, fulfillmentId);
  if (!found) return fail("Fulfillment does not exist.", ["fulfillmentId"]);
  const { order, fulfillment } = found;
  if (fulfillment.status === "cancelled") return fail("Fulfillment is cancelled.", ["fulfillmentId"]);
  const tracking = trackingOf(engine, { company: info.company ?? fulfillment.trackingCompany, ...info });
  fulfillment.trackingCompany = tracking.company;
  fulfillment.trackingNumbers = tracking.numbers;
  fulfillment.trackingUrls = tracking.urls;
  fulfillment.updatedAt = engine.state.stamp();
  emitTo(engine, shop, "fulfillments/update", fulfillmentPayload(shop, order, fulfillment));
  return ok(found);
}

const SHIPMENT_STATUSES: ShipmentStatus[] = [
  "label_printed",
  "label_purchased",
  "confirmed",
  "carrier_picked_up",
  "in_transit",
  "out_for_delivery",
  "attempted_delivery",
  "ready_for_pickup",
  "delayed",
  "delivered",
  "failure",
];

export interface FulfillmentEventInput {
  fulfillmentId: unknown;
  status: string;
  happenedAt?: string | Date | null;
  message?: string | null;
  estimatedDeliveryAt?: string | Date | null;
  city?: string | null;
  province?: string | null;
  country?: string | null;
  zip?: string | null;
  address1?: string | null;
}

const iso = (v: string | Date | null | undefined) => (v == null ? null : new Date(v).toISOString());

export function createFulfillmentEvent(
  engine: Engine,
  shop: Shop,
  input: FulfillmentEventInput,
): Result<{ order: Order; fulfillment: Fulfillment; event: FulfillmentEvent }> {
  const found = engine.state.fulfillment(shop, input.fulfillmentId);
  if (!found) return fail("Fulfillment does not exist.", ["fulfillmentEvent", "fulfillmentId"]);
  const { order, fulfillment } = found;
  const status = input.status.toLowerCase() as ShipmentStatus;
  if (!SHIPMENT_STATUSES.includes(status))
    return fail(`Status ${input.status} is not a fulfillment event status.`, ["fulfillmentEvent", "status"]);
  if (fulfillment.status === "cancelled")
    return fail("Fulfillment is cancelled.", ["fulfillmentEvent", "fulfillmentId"]);
  for (const key of ["happenedAt", "estimatedDeliveryAt"] as const) {
    const v = input[key];
    if (v != null && Number.isNaN(new Date(v).getTime()))
      return fail(`${key} is not a date`, ["fulfillmentEvent", key]);
  }
  const createdAt = engine.state.stamp();
  const destination = order.shippingAddress;
  const local = status === "out_for_delivery" || status === "delivered" || status === "attempted_delivery";
  const event: FulfillmentEvent = {
    id: engine.state.nextId(),
    status,
    message: input.message ?? null,
    happenedAt: iso(input.happenedAt) ?? createdAt,
    createdAt,
    city: input.city ?? (local ? (destination?.city ?? null) : null),
    province: input.province ?? (local ? (destination?.province ?? null) : null),
    country: input.country ?? destination?.countryCode ?? null,
    zip: input.zip ?? (local ? (destination?.zip ?? null) : null),
    address1: input.address1 ?? null,
    estimatedDeliveryAt: iso(input.estimatedDeliveryAt),
  };
  fulfillment.events.push(event);
  // The newest scan is the shipment's status, however the scans arrive.
  const newest = fulfillment.events.reduce((a, b) => (Date.parse(b.happenedAt) >= Date.parse(a.happenedAt) ? b : a));
  fulfillment.shipmentStatus = newest.status;
  if (event.estimatedDeliveryAt) fulfillment.estimatedDeliveryAt = event.estimatedDeliveryAt;
  if (status === "in_transit" && (!fulfillment.inTransitAt || event.happenedAt < fulfillment.inTransitAt))
    fulfillment.inTransitAt = event.happenedAt;
  if (status === "delivered" && (!fulfillment.deliveredAt || event.happenedAt < fulfillment.deliveredAt))
    fulfillment.deliveredAt = event.happenedAt;
  fulfillment.updatedAt = createdAt;
  emitTo(engine, shop, "fulfillment_events/create", fulfillmentEventPayload(shop, order, fulfillment, event));
  emitTo(engine, shop, "fulfillments/update", fulfillmentPayload(shop, order, fulfillment));
  return ok({ order, fulfillment, event });
}

/** A carrier pushes its estimate without a scan (a delay noticed by the carrier's systems). */
export function setEstimatedDelivery(
  engine: Engine,
  shop: Shop,
  fulfillmentId: unknown,
  estimatedDeliveryAt: string | Date,
): Result<Fulfillment> {
  const found = engine.state.fulfillment(shop, fulfillmentId);
  if (!found) return fail("Fulfillment does not exist.", ["fulfillmentId"]);
  found.fulfillment.estimatedDeliveryAt = new Date(estimatedDeliveryAt).toISOString();
  found.fulfillment.updatedAt = engine.state.stamp();
  emitTo(engine, shop, "fulfillments/update", fulfillmentPayload(shop, found.order, found.fulfillment));
  return ok(found.fulfillment);
}

// Refunds

export interface RefundInput {
  orderId: unknown;
  note?: string | null;
  refundLineItems?: { lineItemId: unknown; quantity: number; restockType?: string | null }[] | null;
  shipping?: { fullRefund?: boolean | null; amountMinor?: number | null } | null;
  /** Money back to the original payment. Omitted: nothing moves unless `storeCreditMinor` is set. */
  transactions?: { amountMinor: number; gateway?: string; kind?: string; parentId?: unknown }[] | null;
  storeCreditMinor?: number | null;
  storeCreditExpiresAt?: string | null;
  returnId?: number | null;
  /** Let callers (cancel, scenarios) refund everything that is left. */
  refundRemainingAmount?: boolean;
}

const RESTOCK_TYPES = ["no_restock", "cancel", "return", "legacy_restock"] as const;

export function createRefund(engine: Engine, shop: Shop, input: RefundInput): Result<{ order: Order; refund: Refund }> {
  const { state } = engine;
  const order = state.order(shop, input.orderId);
  if (!order) return fail("Order does not exist", ["orderId"], "NOT_FOUND");
  const lines: RefundLine[] = [];
  for (const [i, rl] of (input.refundLineItems ?? []).entries()) {
    const field = ["refundLineItems", String(i)];
    const li = order.lineItems.find((l) => l.id === parseId(rl.lineItemId, "LineItem"));
    if (!li) return fail("Line item does not exist on this order", [...field, "lineItemId"], "NOT_FOUND");
    if (!Number.isInteger(rl.quantity) || rl.quantity < 1)
      return fail("Quantity must be greater than 0", [...field, "quantity"]);
    const already =
      refundedQuantity(order, li.id) + sum(lines.filter((l) => l.lineItemId === li.id).map((l) => l.quantity));
    if (rl.quantity > li.quantity - already) {
      return fail(`Cannot refund more items than were purchased (${li.quantity - already} refundable)`, [
        ...field,
        "quantity",
      ]);
    }
    const restockType = (rl.restockType ?? "no_restock").toLowerCase() as RefundLine["restockType"];
    if (!RESTOCK_TYPES.includes(restockType)) return fail("Restock type is invalid", [...field, "restockType"]);
    lines.push({
      id: state.nextId(),
      lineItemId: li.id,
      quantity: rl.quantity,
      restockType,
      subtotalMinor: Math.round(((li.priceMinor * li.quantity - li.discountMinor) * rl.quantity) / li.quantity),
      taxMinor: Math.round((li.taxMinor * rl.quantity) / li.quantity),
    });
  }
  const totals = orderTotals(order);
  const shippingLeft = totals.currentShippingMinor;
  let shippingMinor = 0;
  if (input.shipping?.fullRefund) shippingMinor = shippingLeft;
  else if (input.shipping?.amountMinor) shippingMinor = input.shipping.amountMinor;
  if (shippingMinor < 0 || shippingMinor > shippingLeft)
    return fail("Shipping refund amount exceeds what is refundable", ["shipping"]);

  const available = totals.receivedMinor - totals.refundedMinor;
  let transactions = input.transactions ?? [];
  if (input.refundRemainingAmount) {
    const sale = order.transactions.find((t) => t.kind === "sale" && t.status === "success");
    transactions =
      available > 0 && sale
        ? [{ amountMinor: available, gateway: sale.gateway, kind: "refund", parentId: sale.id }]
        : [];
  }
  const money = sum(transactions.map((t) => t.amountMinor)) + (input.storeCreditMinor ?? 0);
  if (transactions.some((t) => t.amountMinor <= 0) || (input.storeCreditMinor ?? 0) < 0)
    return fail("Amount must be greater than 0", ["transactions"]);
  if (money > available) {
    return fail(
      `Refund amount ${decimal(money, order.currency)} ` +
        `is greater than the net payment received ${decimal(available, order.currency)}`,
      ["transactions"],
    );
  }
  if (input.storeCreditMinor && !order.customerId)
    return fail("Store credit needs an order with a customer", ["refundMethods"]);
  if (lines.length === 0 && shippingMinor === 0 && money === 0)
    return fail("A refund needs line items, shipping or an amount", null);

  const at = state.stamp();
  const sale = order.transactions.find((t) => t.kind === "sale" && t.status === "success");
  const refund: Refund = {
    id: state.nextId(),
    note: input.note ?? null,
    createdAt: at,
    processedAt: at,
    lines,
    shippingMinor,
    transactionIds: [],
    storeCreditMinor: input.storeCreditMinor ?? 0,
    returnId: input.returnId ?? null,
  };
  // The refund reserves an id after itself for its shipping adjustment (see refundPayload).
  state.nextId();
  for (const t of transactions) {
    const tx = {
      id: state.nextId(),
      kind: "refund" as const,
      status: "success" as const,
      gateway: t.gateway ?? sale?.gateway ?? "manual",
      amountMinor: t.amountMinor,
      parentId: parseId(t.parentId, "OrderTransaction") ?? sale?.id ?? null,
      createdAt: at,
    };
    order.transactions.push(tx);
    refund.transactionIds.push(tx.id);
  }
  if (refund.storeCreditMinor > 0) {
    const customer = shop.customers.find((c) => c.id === order.customerId)!;
    const account = accountFor(engine, customer, order.currency);
    addCreditTransaction(
      engine,
      account,
      "credit",
      refund.storeCreditMinor,
      input.storeCreditExpiresAt ?? null,
      "ORDER_REFUND",
    );
  }
  // Refunded units no longer wait to be shipped.
  for (const rl of lines) {
    let left = rl.quantity;
    for (const fo of order.fulfillmentOrders) {
      for (const fl of fo.lineItems.filter((l) => l.lineItemId === rl.lineItemId)) {
        const take = Math.min(left, fl.remainingQuantity);
        fl.remainingQuantity -= take;
        left -= take;
      }
      if (fo.status !== "CANCELLED" && fo.lineItems.every((l) => l.remainingQuantity === 0)) fo.status = "CLOSED";
    }
  }
  order.refunds.push(refund);
  order.updatedAt = at;
  emitTo(engine, shop, "refunds/create", refundPayload(shop, order, refund));
  emitOrder(engine, shop, order, "orders/updated");
  return ok({ order, refund });
}

// Cancellation

export interface CancelInput {
  orderId: unknown;
  reason: string;
  refund?: boolean;
  restock?: boolean;
  staffNote?: string | null;
}

const CANCEL_REASONS = ["customer", "declined", "fraud", "inventory", "other", "staff"];

export function cancelOrder(engine: Engine, shop: Shop, input: CancelInput): Result<Order> {
  const order = engine.state.order(shop, input.orderId);
  if (!order) return fail("Order does not exist", ["orderId"], "NOT_FOUND");
  const reason = input.reason.toLowerCase();
  if (!CANCEL_REASONS.includes(reason)) return fail("Reason is invalid", ["reason"], "INVALID");
  if (order.cancelledAt) return fail("Order has already been cancelled", ["orderId"], "INVALID");
  if (order.fulfillments.some((f) => f.status === "success")) {
    return fail("Cannot cancel an order that has fulfillments", ["orderId"], "INVALID");
  }
  if (order.paid && input.refund !== false) {
    const remaining = order.lineItems
      .map((l) => ({
        lineItemId: l.id,
        quantity: l.quantity - refundedQuantity(order, l.id),
        restockType: input.restock ? "cancel" : "no_restock",
      }))
      .filter((l) => l.quantity > 0);
    const refunded = createRefund(engine, shop, {
      orderId: order.id,
      note: input.staffNote ?? null,
      refundLineItems: remaining,
      shipping: { fullRefund: true },
      refundRemainingAmount: true,
    });
    if (!refunded.ok) return refunded;
  }
  const at = engine.state.stamp();
  order.cancelledAt = at;
  order.closedAt = at;
  order.cancelReason = reason as Order["cancelReason"];
  for (const fo of order.fulfillmentOrders) {
    fo.status = "CANCELLED";
    fo.updatedAt = at;
  }
  order.updatedAt = at;
  emitOrder(engine, shop, order, "orders/cancelled");
  emitOrder(engine, shop, order, "orders/updated");
  return ok(order);
}

// Returns

export interface ReturnLineInput {
  fulfillmentLineItemId: unknown;
  quantity: number;
  /** Deprecated in 2026-07; still accepted and translated to its definition, as Shopify does. */
  returnReason?: string | null;
  returnReasonDefinitionId?: unknown;
  returnReasonNote?: string | null;
  customerNote?: string | null;
}

export interface ExchangeLineInput {
  variantId?: unknown;
  quantity: number;
}

/**
 * A line's reason: a definition id from the library, or the deprecated enum value (translated to its
 * definition), or neither (Unknown). Shopify does not document sending both; the sandbox refuses
 * that rather than guess which one wins.
 */
function lineReason(l: ReturnLineInput, lf: string[]): Result<ReturnReasonDefinition> {
  const byId = l.returnReasonDefinitionId;
  if (byId != null && l.returnReason != null) {
    const message = "Specify either returnReason or returnReasonDefinitionId, not both.";
    return fail(message, [...lf, "returnReasonDefinitionId"], "INVALID");
  }
  if (byId != null) {
    const found = reasonDefinition(parseId(byId, "ReturnReasonDefinition"));
    // Deleted reasons stay valid: Shopify only stops suggesting them.
    if (!found) {
      return fail("Return reason definition does not exist.", [...lf, "returnReasonDefinitionId"], "NOT_FOUND");
    }
    return ok(found);
  }
  const legacy = definitionForLegacy((l.returnReason ?? "UNKNOWN").toUpperCase());
  if (!legacy) return fail("Return reason is invalid.", [...lf, "returnReason"], "INCLUSION");
  return ok(legacy);
}

function buildExchangeLines(
  engine: Engine,
  shop: Shop,
  inputs: ExchangeLineInput[],
  field: string,
): Result<ExchangeLine[]> {
  const built: ExchangeLine[] = [];
  for (const [i, e] of inputs.entries()) {
    const ef = [field, "exchangeLineItems", String(i)];
    if (e.variantId == null) return fail("Variant can't be blank.", [...ef, "variantId"], "BLANK");
    const found = engine.state.variant(shop, e.variantId);
    if (!found) return fail("Product variant does not exist.", [...ef, "variantId"], "NOT_FOUND");
    if (!Number.isInteger(e.quantity) || e.quantity < 1)
      return fail("Quantity must be greater than 0.", [...ef, "quantity"], "GREATER_THAN");
    const planned = sum(built.filter((b) => b.variantId === found.variant.id).map((b) => b.quantity)) + e.quantity;
    if (found.product.status !== "ACTIVE" || found.variant.inventoryQuantity < planned) {
      return fail("Product variant is not available for sale in that quantity.", [...ef, "variantId"], "INVALID");
    }
    built.push({
      id: engine.state.nextId(),
      productId: found.product.id,
      variantId: found.variant.id,
      title: found.product.title,
      variantTitle: found.variant.title === "Default Title" ? null : found.variant.title,
      sku: found.variant.sku,
      quantity: e.quantity,
      processedQuantity: 0,
      priceMinor: found.variant.priceMinor,
      taxable: found.variant.taxable,
      lineItemIds: [],
    });
  }
  return ok(built);
}

function buildReturn(
  engine: Engine,
  shop: Shop,
  orderId: unknown,
  lines: ReturnLineInput[],
  field: string,
): Result<{ order: Order; ret: Return }> {
  const order = engine.state.order(shop, orderId);
  if (!order) return fail("Order does not exist.", [field, "orderId"], "NOT_FOUND");
  if (!lines?.length) return fail("Return line items must not be empty.", [field, "returnLineItems"], "BLANK");
  const built: ReturnLine[] = [];
  for (const [i, l] of lines.entries()) {
    const lf = [field, "returnLineItems", String(i)];
    const found = engine.state.fulfillmentLine(shop, l.fulfillmentLineItemId);
    if (!found || found.order.id !== order.id)
      return fail("Fulfillment line item does not exist on this order.", [...lf, "fulfillmentLineItemId"], "NOT_FOUND");
    if (found.fulfillment.status !== "success")
      return fail("Fulfillment line item is not returnable.", [...lf, "fulfillmentLineItemId"], "INVALID");
    if (!Number.isInteger(l.quantity) || l.quantity < 1)
      return fail("Quantity must be greater than 0.", [...lf, "quantity"], "GREATER_THAN");
    const inThisReturn = sum(built.filter((b) => b.fulfillmentLineItemId === found.line.id).map((b) => b.quantity));
    const returnable = returnableQuantity(order, found.line) - inThisReturn;
    if (l.quantity > returnable) {
      return fail(
        `Quantity ${l.quantity} is greater than the returnable quantity ${returnable}.`,
        [...lf, "quantity"],
        "LESS_THAN_OR_EQUAL_TO",
      );
    }
    const reason = lineReason(l, lf);
    if (!reason.ok) return { ok: false, userErrors: reason.userErrors };
    built.push({
      id: engine.state.nextId(),
      fulfillmentLineItemId: found.line.id,
      lineItemId: found.line.lineItemId,
      quantity: l.quantity,
      processedQuantity: 0,
      refundedQuantity: 0,
      returnReason: reason.value.legacy,
      returnReasonDefinitionId: reason.value.id,
      returnReasonNote: l.returnReasonNote ?? "",
      customerNote: l.customerNote ?? null,
    });
  }
  const at = engine.state.stamp();
  const ret: Return = {
    id: engine.state.nextId(),
    name: `${order.name}-R${order.returns.length + 1}`,
    status: "requested",
    createdAt: at,
    requestApprovedAt: null,
    closedAt: null,
    decline: null,
    lines: built,
    reverseFulfillmentOrders: [],
  };
  return ok({ order, ret });
}

function openReturn(engine: Engine, ret: Return) {
  ret.status = "open";
  ret.requestApprovedAt = engine.state.stamp();
  ret.reverseFulfillmentOrders.push({
    id: engine.state.nextId(),
    status: "OPEN",
    lineItems: ret.lines.map<ReverseFulfillmentOrderLine>((l) => ({
      id: engine.state.nextId(),
      returnLineId: l.id,
      fulfillmentLineItemId: l.fulfillmentLineItemId,
      totalQuantity: l.quantity,
      dispositions: [],
    })),
  });
}

/** A customer asks to return items (returnRequest): the return waits for the merchant. */
export function requestReturn(
  engine: Engine,
  shop: Shop,
  orderId: unknown,
  lines: ReturnLineInput[],
): Result<{ order: Order; ret: Return }> {
  const built = buildReturn(engine, shop, orderId, lines, "input");
  if (!built.ok) return built;
  const { order, ret } = built.value;
  order.returns.push(ret);
  emitTo(engine, shop, "returns/request", returnPayload(order, ret));
  touch(engine, shop, order);
  return built;
}

/**
 * The merchant creates a return (returnCreate): it is open at once, with its reverse fulfillment
 * order. Shopify reports the return as approved (returns/approve).
 */
export function createReturn(
  engine: Engine,
  shop: Shop,
  orderId: unknown,
  lines: ReturnLineInput[],
  exchangeLines: ExchangeLineInput[] = [],
): Result<{ order: Order; ret: Return }> {
  const built = buildReturn(engine, shop, orderId, lines, "returnInput");
  if (!built.ok) return built;
  const exchanges = buildExchangeLines(engine, shop, exchangeLines, "returnInput");
  if (!exchanges.ok) return exchanges;
  const { order, ret } = built.value;
  ret.exchangeLines = exchanges.value;
  openReturn(engine, ret);
  order.returns.push(ret);
  emitTo(engine, shop, "returns/approve", returnPayload(order, ret));
  touch(engine, shop, order);
  return built;
}

function findReturn(engine: Engine, shop: Shop, id: unknown, field: string[]) {
  const found = engine.state.return(shop, id);
  return found ? ok(found) : fail<{ order: Order; ret: Return }>("Return does not exist.", field, "NOT_FOUND");
}

export function approveReturn(engine: Engine, shop: Shop, id: unknown): Result<{ order: Order; ret: Return }> {
  const found = findReturn(engine, shop, id, ["input", "id"]);
  if (!found.ok) return found;
  const { order, ret } = found.value;
  if (ret.status !== "requested") {
    return fail(
      "Return is not approvable. Only returns with status REQUESTED can be approved " +
        `(this one is ${ret.status.toUpperCase()}).`,
      ["input", "id"],
      "INVALID_STATE",
    );
  }
  openReturn(engine, ret);
  emitTo(engine, shop, "returns/approve", returnPayload(order, ret));
  touch(engine, shop, order);
  return found;
}

export function declineReturn(
  engine: Engine,
  shop: Shop,
  id: unknown,
  reason: string,
  note?: string | null,
): Result<{ order: Order; ret: Return }> {
  const found = findReturn(engine, shop, id, ["input", "id"]);
  if (!found.ok) return found;
  const { order, ret } = found.value;
  if (ret.status !== "requested") {
    return fail(
      "Return is not declinable. Only returns with status REQUESTED can be declined " +
        `(this one is ${ret.status.toUpperCase()}).`,
      ["input", "id"],
      "INVALID_STATE",
    );
  }
  const upper = reason.toUpperCase();
  if (!["FINAL_SALE", "OTHER", "RETURN_PERIOD_ENDED"].includes(upper))
    return fail("Decline reason is invalid.", ["input", "declineReason"], "INCLUSION");
  ret.status = "declined";
  ret.decline = { reason: upper as NonNullable<Return["decline"]>["reason"], note: note ?? null };
  emitTo(engine, shop, "returns/decline", returnDeclinePayload(order, ret));
  touch(engine, shop, order);
  return found;
}

export interface DispositionInput {
  reverseFulfillmentOrderLineItemId: unknown;
  quantity: number;
  dispositionType: string;
  locationId?: unknown;
}

export function dispose(
  engine: Engine,
  shop: Shop,
  inputs: DispositionInput[],
  field = "dispositionInputs",
): Result<ReverseFulfillmentOrderLine[]> {
  const touched: ReverseFulfillmentOrderLine[] = [];
  const planned = new Map<number, number>();
  for (const [i, d] of inputs.entries()) {
    const f = [field, String(i)];
    const found = engine.state.reverseFulfillmentOrderLine(shop, d.reverseFulfillmentOrderLineItemId);
    if (!found)
      return fail(
        "Reverse fulfillment order line item does not exist.",
        [...f, "reverseFulfillmentOrderLineItemId"],
        "NOT_FOUND",
      );
    if (found.ret.status !== "open")
      return fail("The return is not open.", [...f, "reverseFulfillmentOrderLineItemId"], "INVALID_STATE");
    if (!Number.isInteger(d.quantity) || d.quantity < 1)
      return fail("Quantity must be greater than 0.", [...f, "quantity"], "GREATER_THAN");
    const type = d.dispositionType.toUpperCase();
    if (!["MISSING", "NOT_RESTOCKED", "PROCESSING_REQUIRED", "RESTOCKED"].includes(type))
      return fail("Disposition type is invalid.", [...f, "dispositionType"], "INCLUSION");
    const locationId = d.locationId == null ? null : parseId(d.locationId, "Location");
    if (type === "RESTOCKED" && locationId !== shop.locationId) {
      return fail(
        "A location is required to restock items.",
        [...f, "locationId"],
        locationId === null ? "BLANK" : "NOT_FOUND",
      );
    }
    const disposed = sum(found.line.dispositions.map((x) => x.quantity)) + (planned.get(found.line.id) ?? 0);
    if (d.quantity > found.line.totalQuantity - disposed) {
      return fail(
        `Quantity ${d.quantity} is greater than the ${found.line.totalQuantity - disposed} left to dispose.`,
        [...f, "quantity"],
        "LESS_THAN_OR_EQUAL_TO",
      );
    }
    planned.set(found.line.id, (planned.get(found.line.id) ?? 0) + d.quantity);
  }
  const at = engine.state.stamp();
  for (const d of inputs) {
    const found = engine.state.reverseFulfillmentOrderLine(shop, d.reverseFulfillmentOrderLineItemId)!;
    found.line.dispositions.push({
      id: engine.state.nextId(),
      type: d.dispositionType.toUpperCase() as ReverseFulfillmentOrderLine["dispositions"][number]["type"],
      quantity: d.quantity,
      locationId: d.locationId == null ? null : parseId(d.locationId, "Location"),
      createdAt: at,
    });
    if (!touched.includes(found.line)) touched.push(found.line);
  }
  return ok(touched);
}

export interface ProcessReturnInput {
  returnId: unknown;
  returnLineItems?: { id: unknown; quantity: number; dispositions?: DispositionInput[] | null }[] | null;
  exchangeLineItems?: { id: unknown; quantity: number }[] | null;
  /** Money back to the original payment, and/or to store credit (minor units). */
  refundMinor?: number;
  storeCreditMinor?: number;
  refundShipping?: { fullRefund?: boolean | null; amountMinor?: number | null } | null;
  note?: string | null;
}

/** returnProcess: items are received, dispositions recorded, and money may go back. */
export function processReturn(
  engine: Engine,
  shop: Shop,
  input: ProcessReturnInput,
): Result<{ order: Order; ret: Return; refund: Refund | null }> {
  const found = findReturn(engine, shop, input.returnId, ["input", "returnId"]);
  if (!found.ok) return found;
  const { order, ret } = found.value;
  if (ret.status !== "open")
    return fail("Return must be open to be processed.", ["input", "returnId"], "INVALID_STATE");
  const items = input.returnLineItems ?? [];
  for (const [i, item] of items.entries()) {
    const f = ["input", "returnLineItems", String(i)];
    const line = ret.lines.find((l) => l.id === parseId(item.id, "ReturnLineItem"));
    if (!line) return fail("Return line item does not exist on this return.", [...f, "id"], "NOT_FOUND");
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      return fail("Quantity must be greater than 0.", [...f, "quantity"], "GREATER_THAN");
    if (item.quantity > line.quantity - line.processedQuantity) {
      return fail(
        `Quantity ${item.quantity} is greater than the ${line.quantity - line.processedQuantity} left to process.`,
        [...f, "quantity"],
        "LESS_THAN_OR_EQUAL_TO",
      );
    }
  }
  const exchanges = input.exchangeLineItems ?? [];
  const exchangePlan: { line: ExchangeLine; quantity: number }[] = [];
  for (const [i, item] of exchanges.entries()) {
    const f = ["input", "exchangeLineItems", String(i)];
    const line = (ret.exchangeLines ?? []).find((l) => l.id === parseId(item.id, "ExchangeLineItem"));
    if (!line) return fail("Exchange line item does not exist on this return.", [...f, "id"], "NOT_FOUND");
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      return fail("Quantity must be greater than 0.", [...f, "quantity"], "GREATER_THAN");
    const planned = sum(exchangePlan.filter((p) => p.line === line).map((p) => p.quantity));
    if (item.quantity > line.quantity - line.processedQuantity - planned) {
      return fail(
        `Quantity ${item.quantity} is greater than the ` +
          `${line.quantity - line.processedQuantity - planned} left to process.`,
        [...f, "quantity"],
        "LESS_THAN_OR_EQUAL_TO",
      );
    }
    exchangePlan.push({ line, quantity: item.quantity });
  }
  if (items.length === 0 && exchanges.length === 0 && !input.refundMinor && !input.storeCreditMinor) {
    return fail("Nothing to process.", ["input", "returnLineItems"], "BLANK");
  }
  const dispositions = items.flatMap((i) => i.dispositions ?? []);
  if (dispositions.length) {
    const disposed = dispose(engine, shop, dispositions, "input");
    if (!disposed.ok) return disposed;
  }
  let refund: Refund | null = null;
  // With an exchange, the returned lines come off the order even when no money moves: their
  // value pays for the new items (Shopify's guide: "the value of the returned items is applied
  // to the exchange items"). The sandbox records that as a refund without transactions.
  const exchanging = exchangePlan.length > 0 && items.length > 0;
  if (input.refundMinor || input.storeCreditMinor || input.refundShipping || exchanging) {
    const sale = order.transactions.find((t) => t.kind === "sale" && t.status === "success");
    const refunded = createRefund(engine, shop, {
      orderId: order.id,
      note: input.note ?? null,
      returnId: ret.id,
      refundLineItems: items.map((item) => {
        const line = ret.lines.find((l) => l.id === parseId(item.id, "ReturnLineItem"))!;
        return { lineItemId: line.lineItemId, quantity: item.quantity, restockType: "return" };
      }),
      shipping: input.refundShipping ?? null,
      transactions:
        input.refundMinor && sale
          ? [{ amountMinor: input.refundMinor, gateway: sale.gateway, kind: "refund", parentId: sale.id }]
          : [],
      storeCreditMinor: input.storeCreditMinor ?? null,
    });
    if (!refunded.ok) return refunded;
    refund = refunded.value.refund;
  }
  for (const item of items) {
    const line = ret.lines.find((l) => l.id === parseId(item.id, "ReturnLineItem"))!;
    line.processedQuantity += item.quantity;
    if (refund && !(exchanging && !input.refundMinor && !input.storeCreditMinor && !input.refundShipping))
      line.refundedQuantity += item.quantity;
  }
  if (exchangePlan.length) addExchangeItems(engine, shop, order, exchangePlan);
  emitTo(engine, shop, "returns/process", returnStatusPayload(order, ret));
  // A refund already sent orders/updated, but before the exchange's new lines were on the order.
  if (!refund || exchangePlan.length) touch(engine, shop, order);
  return ok({ order, ret, refund });
}

/**
 * Processed exchange items become new line items on the original order (no new order), with a
 * fulfillment order of their own so they can be shipped; the variant's stock is taken.
 */
function addExchangeItems(engine: Engine, shop: Shop, order: Order, plan: { line: ExchangeLine; quantity: number }[]) {
  const { state } = engine;
  const at = state.stamp();
  const added: LineItem[] = [];
  for (const { line, quantity } of plan) {
    const found = state.variant(shop, line.variantId);
    const lineItem: LineItem = {
      id: state.nextId(),
      productId: line.productId,
      variantId: line.variantId,
      title: line.title,
      variantTitle: line.variantTitle,
      sku: line.sku,
      vendor: found?.product.vendor ?? null,
      quantity,
      priceMinor: line.priceMinor,
      discountMinor: 0,
      taxMinor: 0,
      requiresShipping: found?.variant.requiresShipping ?? true,
      taxable: found?.variant.taxable ?? true,
      grams: found?.variant.grams ?? 0,
    };
    lineItem.taxMinor = lineItem.taxable ? Math.round(lineItem.priceMinor * quantity * order.taxRate) : 0;
    order.lineItems.push(lineItem);
    line.lineItemIds.push(lineItem.id);
    line.processedQuantity += quantity;
    if (found) found.variant.inventoryQuantity -= quantity;
    added.push(lineItem);
  }
  const shippable = added.filter((l) => l.requiresShipping);
  if (shippable.length) {
    order.fulfillmentOrders.push({
      id: state.nextId(),
      status: "OPEN",
      createdAt: at,
      updatedAt: at,
      lineItems: shippable.map((l) => ({
        id: state.nextId(),
        lineItemId: l.id,
        totalQuantity: l.quantity,
        remainingQuantity: l.quantity,
      })),
    });
  }
}

export function closeReturn(engine: Engine, shop: Shop, id: unknown): Result<{ order: Order; ret: Return }> {
  const found = findReturn(engine, shop, id, ["id"]);
  if (!found.ok) return found;
  const { order, ret } = found.value;
  if (ret.status !== "open")
    return fail(`Return is not closable: it is ${ret.status.toUpperCase()}.`, ["id"], "INVALID_STATE");
  ret.status = "closed";
  ret.closedAt = engine.state.stamp();
  for (const rfo of ret.reverseFulfillmentOrders) rfo.status = "CLOSED";
  emitTo(engine, shop, "returns/close", returnStatusPayload(order, ret));
  touch(engine, shop, order);
  return found;
}

export function cancelReturn(engine: Engine, shop: Shop, id: unknown): Result<{ order: Order; ret: Return }> {
  const found = findReturn(engine, shop, id, ["id"]);
  if (!found.ok) return found;
  const { order, ret } = found.value;
  if (ret.status !== "open" && ret.status !== "requested")
    return fail(`Return is not cancelable: it is ${ret.status.toUpperCase()}.`, ["id"], "INVALID_STATE");
  if (ret.lines.some((l) => l.processedQuantity > 0))
    return fail("A return with processed items cannot be canceled.", ["id"], "INVALID_STATE");
  ret.status = "canceled";
  for (const rfo of ret.reverseFulfillmentOrders) rfo.status = "CANCELED";
  emitTo(engine, shop, "returns/cancel", returnStatusPayload(order, ret));
  touch(engine, shop, order);
  return found;
}

// Discounts

export interface DiscountInput {
  kind: Discount["kind"];
  code?: string | null;
  title?: string | null;
  percentage?: number | null;
  amount?: string | number | null;
  appliesOnEachItem?: boolean | null;
  customerIds?: unknown[] | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
}

export function createDiscount(engine: Engine, shop: Shop, input: DiscountInput, root: string): Result<Discount> {
  const code = input.code?.trim() ?? "";
  if (!code) return fail("Code can't be blank", [root, "code"], "BLANK");
  if (code.length > 255) return fail("Code is too long", [root, "code"], "TOO_LONG");
  if (engine.state.discountByCode(shop, code))
    return fail("Code must be unique. Please try a different code.", [root, "code"], "TAKEN");
  if (!input.title?.trim()) return fail("Title can't be blank", [root, "title"], "BLANK");
  if (!input.startsAt || Number.isNaN(Date.parse(input.startsAt)))
    return fail("Starts at can't be blank", [root, "startsAt"], "BLANK");
  if (input.endsAt && Date.parse(input.endsAt) < Date.parse(input.startsAt))
    return fail("Ends at needs to be after starts_at", [root, "endsAt"], "INVALID");
  let percentage: number | null = null;
  let amountMinor: number | null = null;
  if (input.kind === "basic") {
    if (input.percentage != null) {
      if (!(input.percentage > 0 && input.percentage <= 1))
        return fail(
          "Value must be between 0.0 and 1.0",
          [root, "customerGets", "value", "percentage"],
          "VALUE_OUTSIDE_RANGE",
        );
      percentage = input.percentage;
    } else if (input.amount == null) {
      return fail("Customer gets value can't be blank", [root, "customerGets", "value"], "BLANK");
    } else {
      const minor = minorOrNull(input.amount, shop.currency);
      if (minor === null || !(minor > 0))
        return fail(
          "Value must be greater than 0",
          [root, "customerGets", "value", "discountAmount", "amount"],
          "GREATER_THAN",
        );
      amountMinor = minor;
    }
  }
  let customerIds: number[] | null = null;
  if (input.customerIds) {
    customerIds = [];
    for (const [i, c] of input.customerIds.entries()) {
      const customer = engine.state.customer(shop, c);
      if (!customer)
        return fail("Customer does not exist", [root, "context", "customers", "add", String(i)], "INVALID");
      customerIds.push(customer.id);
    }
  }
  const at = engine.state.stamp();
  const discount: Discount = {
    id: engine.state.nextId(),
    redeemCodeId: engine.state.nextId(),
    code,
    title: input.title.trim(),
    kind: input.kind,
    percentage,
    amountMinor,
    appliesOnEachItem: input.appliesOnEachItem ?? false,
    customerIds,
    startsAt: new Date(input.startsAt).toISOString(),
    endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : null,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    usageCount: 0,
    createdAt: at,
    updatedAt: at,
  };
  shop.discounts.push(discount);
  return ok(discount);
}

// Store credit

export function accountFor(engine: Engine, customer: Customer, currency: string): StoreCreditAccount {
  let account = customer.storeCreditAccounts.find((a) => a.currency === currency);
  if (!account) {
    account = { id: engine.state.nextId(), currency, transactions: [] };
    customer.storeCreditAccounts.push(account);
  }
  return account;
}

function addCreditTransaction(
  engine: Engine,
  account: StoreCreditAccount,
  kind: "credit" | "debit",
  amountMinor: number,
  expiresAt: string | null,
  event: StoreCreditTransaction["event"],
): StoreCreditTransaction {
  const balance = storeCreditBalance(account);
  const tx: StoreCreditTransaction = {
    id: engine.state.nextId(),
    kind,
    amountMinor,
    balanceAfterMinor: kind === "credit" ? balance + amountMinor : balance - amountMinor,
    createdAt: engine.state.stamp(),
    expiresAt,
    event,
  };
  account.transactions.push(tx);
  return tx;
}

export function storeCredit(
  engine: Engine,
  shop: Shop,
  id: unknown,
  kind: "credit" | "debit",
  amount: { amount: string | number; currencyCode: string },
  expiresAt?: string | null,
): Result<{ customer: Customer; account: StoreCreditAccount; transaction: StoreCreditTransaction }> {
  const root = kind === "credit" ? "creditInput" : "debitInput";
  const amountField = [root, kind === "credit" ? "creditAmount" : "debitAmount", "amount"];
  let customer: Customer | undefined;
  let account: StoreCreditAccount | undefined;
  const currency = amount.currencyCode.toUpperCase();
  if (typeof id === "string" && id.includes("/Customer/")) {
    customer = engine.state.customer(shop, id);
    if (!customer) return fail("Owner does not exist.", ["id"], "OWNER_NOT_FOUND");
    account = customer.storeCreditAccounts.find((a) => a.currency === currency);
    if (!account && kind === "debit") return fail("Store credit account does not exist.", ["id"], "ACCOUNT_NOT_FOUND");
  } else {
    const found = engine.state.storeCreditAccount(shop, id);
    if (!found) return fail("Store credit account does not exist.", ["id"], "ACCOUNT_NOT_FOUND");
    ({ customer, account } = found);
    if (account.currency !== currency)
      return fail(
        "The currency does not match the account's currency.",
        amountField.slice(0, -1),
        "MISMATCHING_CURRENCY",
      );
  }
  const minor = minorOrNull(amount.amount, currency);
  if (minor === null || !(minor > 0))
    return fail("The amount must be greater than zero.", amountField, "NEGATIVE_OR_ZERO_AMOUNT");
  if (expiresAt && Date.parse(expiresAt) <= engine.state.now().getTime())
    return fail("The expiry date must be in the future.", [root, "expiresAt"], "EXPIRES_AT_IN_PAST");
  if (kind === "credit" && currency !== shop.currency)
    return fail("The currency is not supported by this shop.", amountField.slice(0, -1), "UNSUPPORTED_CURRENCY");
  account ??= accountFor(engine, customer, currency);
  if (kind === "debit" && storeCreditBalance(account) < minor)
    return fail("The account does not have enough funds.", amountField, "INSUFFICIENT_FUNDS");
  const transaction = addCreditTransaction(
    engine,
    account,
    kind,
    minor,
    expiresAt ? new Date(expiresAt).toISOString() : null,
    "ADJUSTMENT",
  );
  return ok({ customer, account, transaction });
}

// App lifecycle and compliance

export function appUninstalled(engine: Engine, shop: Shop) {
  emitTo(engine, shop, "app/uninstalled", shopPayload(shop));
  shop.appInstalled = false;
  shop.accessTokens = [];
}

export function appInstalled(shop: Shop) {
  shop.appInstalled = true;
}

export function appScopesUpdate(engine: Engine, shop: Shop, current: string[]) {
  const previous = shop.scopes;
  shop.scopes = current;
  emitTo(engine, shop, "app/scopes_update", {
    id: engine.state.nextId(),
    shop_id: gidFor("Shop", shop.id),
    previous,
    current,
    updated_at: engine.state.stamp(),
  });
}

function complianceSubject(engine: Engine, shop: Shop, customerId: unknown, orderIds?: unknown[]) {
  const customer = engine.state.customer(shop, customerId);
  if (!customer) throw new Error(`No customer ${String(customerId)} in ${shop.domain}`);
  const orders = orderIds
    ? orderIds.map((o) => {
        const order = engine.state.order(shop, o);
        if (!order) throw new Error(`No order ${String(o)} in ${shop.domain}`);
        return order.id;
      })
    : shop.orders.filter((o) => o.customerId === customer.id).map((o) => o.id);
  return {
    shop_id: shop.id,
    shop_domain: shop.domain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone ?? "" },
    orders,
  };
}

export function customersRedact(engine: Engine, shop: Shop, customerId: unknown, orderIds?: unknown[]) {
  const { orders, ...rest } = complianceSubject(engine, shop, customerId, orderIds);
  emitTo(engine, shop, "customers/redact", { ...rest, orders_to_redact: orders });
}

export function customersDataRequest(engine: Engine, shop: Shop, customerId: unknown, orderIds?: unknown[]) {
  const { orders, ...rest } = complianceSubject(engine, shop, customerId, orderIds);
  emitTo(engine, shop, "customers/data_request", {
    ...rest,
    orders_requested: orders,
    data_request: { id: engine.state.nextId() },
  });
}

export function shopRedact(engine: Engine, shop: Shop) {
  emitTo(engine, shop, "shop/redact", { shop_id: shop.id, shop_domain: shop.domain });
}
