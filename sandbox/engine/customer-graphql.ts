/**
 * Shopify's Customer Account API over the sandbox state: what a signed-in shopper (and the
 * customer-account extensions acting for them) may read and ask for. The schema is Shopify's own
 * introspection for 2026-07 (sandbox/schema/customer_2026-07.json.gz), so a document is validated
 * exactly as Shopify would; the resolvers below supply the data. A field without a resolver answers
 * "Sandbox does not implement Type.field", never a quiet null.
 *
 * Every answer is scoped to the customer the access token belongs to: another customer's order or
 * return answers exactly like one that does not exist.
 */
import { randomBytes, randomUUID } from "node:crypto";

import {
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  GraphQLError,
  execute,
  parse,
} from "graphql";

import * as commerce from "./commerce";
import { prepareOperation, schemaLoader, type GraphqlRequestBody } from "./graphql-request";
import type { Engine, UserError } from "./commerce";
import { returnAmounts, rulesForOrder, windowExpired } from "./customer-graphql-return-rules";
import { RETURN_REASON_DEFINITIONS, reasonDefinition, type ReturnReasonDefinition } from "./return-reasons";
import {
  type Address,
  type Customer,
  type Fulfillment,
  type LineItem,
  type Order,
  type Return,
  type Shop,
  decimal,
  financialStatus,
  fulfillableQuantity,
  fulfilledQuantity,
  gidFor,
  orderFulfillmentStatus,
  orderTotals,
  parseId,
  refundedQuantity,
  returnableQuantity,
  storeCreditBalance,
  sum,
} from "./state";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resolvers walk untyped GraphQL values
type Any = any;

export const CUSTOMER_API_VERSION = "2026-07";

/** Shopify's Customer Account schema for 2026-07, built once per process. */
export const customerSchema = schemaLoader("customer_2026-07.json.gz");

export class CustomerApiNotImplemented extends GraphQLError {
  constructor(what: string) {
    super(`Sandbox does not implement ${what}`, { extensions: { code: "SANDBOX_NOT_IMPLEMENTED" } });
  }
}

interface Ctx {
  engine: Engine;
  shop: Shop;
  customer: Customer;
}

interface View<T> {
  __typename: string;
  rec: T;
  order?: Order;
}
const view = <T>(typename: string, rec: T, order?: Order): View<T> => ({ __typename: typename, rec, order });

/** Shopify's DateTime: ISO 8601 in UTC to the second. */
const dt = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z") : null);

const money = (minor: number, currency: string) => ({ amount: decimal(minor, currency), currencyCode: currency });
const moneyBag = (minor: number, currency: string) => ({
  shopMoney: money(minor, currency),
  presentmentMoney: money(minor, currency),
});

/** The orders the customer owns; everything else is invisible to them. */
function ownOrder(ctx: Ctx, id: unknown): Order | null {
  const order = ctx.engine.state.order(ctx.shop, id);
  return order && order.customerId === ctx.customer.id ? order : null;
}

// Connections: first or last is required, at most 250, cursors over ids.

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

const cursorOf = (key: number) => Buffer.from(JSON.stringify({ last_id: key })).toString("base64");
function keyOfCursor(cursor: string): number | null {
  try {
    return JSON.parse(Buffer.from(cursor, "base64").toString("utf8")).last_id ?? null;
  } catch {
    return null;
  }
}

function connection<T>(items: T[], args: PageArgs, toNode: (item: T) => unknown, key: (item: T) => number) {
  if (args.first == null && args.last == null) throw new GraphQLError("you must provide one of first or last");
  for (const n of [args.first, args.last]) {
    if (n != null && (n < 0 || n > 250))
      throw new GraphQLError("The first and last arguments must be between 0 and 250");
  }
  let list = args.reverse ? [...items].reverse() : [...items];
  for (const [cursor, after] of [
    [args.after, true],
    [args.before, false],
  ] as const) {
    if (!cursor) continue;
    const k = keyOfCursor(cursor);
    const i = list.findIndex((x) => key(x) === k);
    if (i === -1) throw new GraphQLError("Invalid cursor for current pagination sort.");
    list = after ? list.slice(i + 1) : list.slice(0, i);
  }
  let page = list;
  if (args.first != null) page = page.slice(0, args.first);
  if (args.last != null) page = page.slice(Math.max(0, page.length - args.last));
  const edges = page.map((item) => ({ cursor: cursorOf(key(item)), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: args.first != null && list.length > page.length,
      hasPreviousPage: args.last == null ? Boolean(args.after) : list.length > page.length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function customerAddress(a: Address | null, id: number) {
  if (!a) return null;
  return {
    id: gidFor("CustomerAddress", id),
    firstName: a.firstName,
    lastName: a.lastName,
    name: `${a.firstName} ${a.lastName}`.trim(),
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    zoneCode: a.provinceCode,
    country: a.country,
    territoryCode: a.countryCode,
    zip: a.zip,
    phoneNumber: a.phone || null,
    formattedArea: [a.city, a.provinceCode, a.country].filter(Boolean).join(", "),
    formatted: [a.address1, a.address2, `${a.city} ${a.provinceCode} ${a.zip}`.trim(), a.country].filter(Boolean),
  };
}

function lineImage(ctx: Ctx, line: { variantId: number | null; productId: number | null }) {
  const found = ctx.engine.state.variant(ctx.shop, line.variantId);
  const product = found?.product ?? ctx.shop.products.find((p) => p.id === line.productId);
  if (!product) return null;
  const img = product.images.find((i) => i.id === found?.variant.imageId) ?? product.images[0] ?? null;
  if (!img) return null;
  return {
    id: gidFor("ProductImage", img.id),
    url: img.url,
    altText: img.altText,
    width: img.width,
    height: img.height,
  };
}

// What can still be returned, per order line: shipped units not already in a live return (the
// same rule the Admin side's returns apply per fulfillment line), inside the return window of the
// shop's return rules when the order was placed under some.

function returnableByLine(ctx: Ctx, order: Order): Map<number, number> {
  const rules = rulesForOrder(ctx.shop, order);
  const now = ctx.engine.state.now();
  const out = new Map<number, number>();
  for (const f of order.fulfillments) {
    if (f.status !== "success" || windowExpired(rules, f, now)) continue;
    for (const fl of f.lineItems) {
      out.set(fl.lineItemId, (out.get(fl.lineItemId) ?? 0) + returnableQuantity(order, fl));
    }
  }
  return out;
}

/** Units shipped and not returned whose return window has closed, per order line. */
function expiredByLine(ctx: Ctx, order: Order): Map<number, number> {
  const rules = rulesForOrder(ctx.shop, order);
  const now = ctx.engine.state.now();
  const out = new Map<number, number>();
  for (const f of order.fulfillments) {
    if (f.status !== "success" || !windowExpired(rules, f, now)) continue;
    for (const fl of f.lineItems) {
      out.set(fl.lineItemId, (out.get(fl.lineItemId) ?? 0) + returnableQuantity(order, fl));
    }
  }
  return out;
}

/** Net price of one unit after the line's discount, and its tax, in minor units. */
function unitAmounts(line: LineItem) {
  const net = Math.round((line.priceMinor * line.quantity - line.discountMinor) / line.quantity);
  const tax = Math.round(line.taxMinor / line.quantity);
  return { net, tax };
}

/** Fees already charged on the order's live returns, under the rules the order was placed with. */
function appliedFees(ctx: Ctx, order: Order) {
  const rules = rulesForOrder(ctx.shop, order);
  let restocking = 0;
  let shipping = 0;
  for (const ret of order.returns) {
    if (ret.status === "declined" || ret.status === "canceled") continue;
    const lines = ret.lines.flatMap((l) => {
      const fl = order.fulfillments.flatMap((f) => f.lineItems).find((x) => x.id === l.fulfillmentLineItemId);
      const line = fl && order.lineItems.find((x) => x.id === fl.lineItemId);
      return line ? [{ line, quantity: l.quantity }] : [];
    });
    const amounts = returnAmounts(rules, lines);
    restocking += amounts.restockingFee;
    shipping += amounts.returnShippingFee;
  }
  return { restocking, shipping };
}

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
  "PICKED_UP",
  "READY_FOR_PICKUP",
]);
const shipmentStatus = (s: string | null) => (s && SHIPMENT_STATUSES.has(s.toUpperCase()) ? s.toUpperCase() : null);

type R = Record<string, GraphQLFieldResolver<Any, Ctx, Any>>;

const QueryRoot: R = {
  customer: (_s, _a, ctx) => view("Customer", ctx.customer),
  order: (_s, { id }, ctx) => {
    const order = ownOrder(ctx, id);
    return order ? view("Order", order) : null;
  },
  return: (_s, { id }, ctx) => {
    const found = ctx.engine.state.return(ctx.shop, id);
    return found && found.order.customerId === ctx.customer.id ? view("Return", found.ret, found.order) : null;
  },
  returnCalculate: (_s, { input }, ctx) => {
    const order = ownOrder(ctx, input.orderId);
    if (!order) return null;
    const returnable = returnableByLine(ctx, order);
    const lines = (input.returnLineItems as { lineItemId: string; quantity: number }[]).map((l, i) => {
      const line = order.lineItems.find((x) => x.id === parseId(l.lineItemId, "LineItem"));
      if (!line) throw new GraphQLError(`returnLineItems[${i}]: Line item does not exist on this order.`);
      if (!Number.isInteger(l.quantity) || l.quantity < 1)
        throw new GraphQLError(`returnLineItems[${i}]: Quantity must be greater than 0.`);
      const left = returnable.get(line.id) ?? 0;
      if (l.quantity > left)
        throw new GraphQLError(
          `returnLineItems[${i}]: Quantity ${l.quantity} is greater than the returnable quantity ${left}.`,
        );
      return { line, quantity: l.quantity };
    });
    return { order, lines, amounts: returnAmounts(rulesForOrder(ctx.shop, order), lines) };
  },
  shop: (_s, _a, ctx) => view("Shop", ctx.shop),
};

// Amounts as Shopify computes them (customer-graphql-return-rules.ts): each line's share by
// quantity, the order's discount codes as the cart discount, the fees of the order's return rules.
const CalculatedReturn: R = {
  financialSummary: (s) => {
    const currency = s.order.currency;
    const a = s.amounts;
    return {
      restockingFeeSubtotalSet: moneyBag(a.restockingFee, currency),
      returnShippingFeeSubtotalSet: moneyBag(a.returnShippingFee, currency),
      returnSubtotalSet: moneyBag(a.subtotal, currency),
      returnSubtotalWithCartDiscountSet: moneyBag(a.subtotalWithCartDiscount, currency),
      returnTotalTaxSet: moneyBag(a.tax, currency),
      returnTotalSet: moneyBag(a.total, currency),
    };
  },
  returnLineItems: (s, args) =>
    connection(
      s.amounts.lines,
      args,
      (l: Any) => ({
        lineItem: view("LineItem", l.line, s.order),
        quantity: l.quantity,
        subtotalSet: moneyBag(l.subtotal, s.order.currency),
        totalTaxSet: moneyBag(l.tax, s.order.currency),
      }),
      (l: Any) => l.line.id,
    ),
};

const CustomerType: R = {
  id: (s) => gidFor("Customer", s.rec.id),
  firstName: (s) => s.rec.firstName || null,
  lastName: (s) => s.rec.lastName || null,
  displayName: (s) => `${s.rec.firstName} ${s.rec.lastName}`.trim() || s.rec.email,
  emailAddress: (s) => ({
    emailAddress: s.rec.email,
    marketingState: s.rec.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
  }),
  phoneNumber: (s) => {
    if (!s.rec.phone) return null;
    throw new CustomerApiNotImplemented("Customer.phoneNumber");
  },
  creationDate: (s) => dt(s.rec.createdAt),
  tags: (s) => s.rec.tags,
  imageUrl: (s) => `https://cdn.shopify.invalid/avatars/${s.rec.id}.png`,
  defaultAddress: (s) => customerAddress(s.rec.defaultAddress, s.rec.addressId),
  orders: (s, args, ctx) => {
    if (args.query) throw new CustomerApiNotImplemented("Customer.orders(query:)");
    const mine = ctx.shop.orders.filter((o) => o.customerId === s.rec.id);
    const keys: Record<string, (o: Order) => string | number> = {
      ID: (o) => o.id,
      CREATED_AT: (o) => o.createdAt,
      PROCESSED_AT: (o) => o.processedAt,
      UPDATED_AT: (o) => o.updatedAt,
      ORDER_NUMBER: (o) => o.number,
      TOTAL_PRICE: (o) => orderTotals(o).totalMinor,
    };
    const get = keys[args.sortKey ?? "ID"] ?? keys.ID;
    const sorted = [...mine].sort((a, b) => (get(a) < get(b) ? -1 : get(a) > get(b) ? 1 : a.id - b.id));
    return connection(
      sorted,
      args,
      (o) => view("Order", o),
      (o) => o.id,
    );
  },
  storeCreditAccounts: (s, args) => {
    if (args.query) throw new CustomerApiNotImplemented("Customer.storeCreditAccounts(query:)");
    return connection(
      s.rec.storeCreditAccounts,
      args,
      (a: Any) => ({
        __typename: "StoreCreditAccount",
        id: gidFor("StoreCreditAccount", a.id),
        balance: money(storeCreditBalance(a), a.currency),
      }),
      (a: Any) => a.id,
    );
  },
};

const OrderType: R = {
  id: (s) => gidFor("Order", s.rec.id),
  name: (s) => s.rec.name,
  number: (s) => s.rec.number,
  createdAt: (s) => dt(s.rec.createdAt),
  processedAt: (s) => dt(s.rec.processedAt),
  updatedAt: (s) => dt(s.rec.updatedAt),
  cancelledAt: (s) => dt(s.rec.cancelledAt),
  cancelReason: (s) => (s.rec.cancelReason ? s.rec.cancelReason.toUpperCase() : null),
  confirmationNumber: (s) => s.rec.token.slice(0, 9).toUpperCase(),
  currencyCode: (s) => s.rec.currency,
  customerLocale: (s) => s.rec.customerLocale,
  email: (s) => s.rec.email,
  phone: (s) => s.rec.phone,
  note: (s) => s.rec.note,
  edited: () => false,
  requiresShipping: (s) => s.rec.lineItems.some((l: LineItem) => l.requiresShipping),
  financialStatus: (s) => financialStatus(s.rec).toUpperCase(),
  fulfillmentStatus: (s) => {
    const status = orderFulfillmentStatus(s.rec);
    return status === "fulfilled" ? "FULFILLED" : status === "partial" ? "PARTIALLY_FULFILLED" : "UNFULFILLED";
  },
  statusPageUrl: (s, _a, ctx) => `https://${ctx.shop.domain}/account/orders/${s.rec.id}`,
  customer: (_s, _a, ctx) => view("Customer", ctx.customer),
  shippingAddress: (s) => customerAddress(s.rec.shippingAddress, s.rec.id + 1),
  billingAddress: (s) => customerAddress(s.rec.billingAddress, s.rec.id + 2),
  subtotal: (s) => money(orderTotals(s.rec).subtotalMinor, s.rec.currency),
  totalPrice: (s) => money(orderTotals(s.rec).totalMinor, s.rec.currency),
  totalTax: (s) => money(orderTotals(s.rec).taxMinor, s.rec.currency),
  totalShipping: (s) => money(orderTotals(s.rec).shippingMinor, s.rec.currency),
  totalRefunded: (s) => money(orderTotals(s.rec).refundedMinor, s.rec.currency),
  lineItems: (s, args) =>
    connection(
      s.rec.lineItems,
      args,
      (l: LineItem) => view("LineItem", l, s.rec),
      (l: LineItem) => l.id,
    ),
  fulfillments: (s, args) => {
    if (args.query) throw new CustomerApiNotImplemented("Order.fulfillments(query:)");
    return connection(
      s.rec.fulfillments,
      args,
      (f: Fulfillment) => view("Fulfillment", f, s.rec),
      (f: Fulfillment) => f.id,
    );
  },
  returns: (s, args) =>
    connection(
      s.rec.returns,
      args,
      (r: Return) => view("Return", r, s.rec),
      (r: Return) => r.id,
    ),
  returnInformation: (s) => view("OrderReturnInformation", s.rec),
};

const OrderReturnInformation: R = {
  hasRestockingFee: (s, _a, ctx) => (rulesForOrder(ctx.shop, s.rec)?.restockingFeePercent ?? 0) > 0,
  hasReturnShippingFee: (s, _a, ctx) => (rulesForOrder(ctx.shop, s.rec)?.returnShippingFeeMinor ?? 0) > 0,
  returnFees: (s, _a, ctx) => {
    const fees = appliedFees(ctx, s.rec);
    const currency = s.rec.currency;
    return [
      ...(fees.restocking
        ? [
            {
              __typename: "ReturnRestockingFee",
              title: "Restocking fee",
              amountSet: moneyBag(fees.restocking, currency),
            },
          ]
        : []),
      ...(fees.shipping
        ? [{ __typename: "ReturnShippingFee", title: "Return shipping", amountSet: moneyBag(fees.shipping, currency) }]
        : []),
    ];
  },
  returnShippingMethods: (s, _a, ctx) => {
    const rules = rulesForOrder(ctx.shop, s.rec);
    return rules ? [rules.shippingMethod] : [];
  },
  returnShippingMethodNote: (s, _a, ctx) => {
    const rules = rulesForOrder(ctx.shop, s.rec);
    if (!rules) return null;
    return rules.shippingMethod === "MERCHANT_PROVIDED_LABEL"
      ? "merchant_provided_label"
      : "You're responsible for return shipping costs.";
  },
  returnableLineItems: (s, args, ctx) => {
    const returnable = returnableByLine(ctx, s.rec);
    const lines = s.rec.lineItems.filter((l: LineItem) => (returnable.get(l.id) ?? 0) > 0);
    return connection(
      lines,
      args,
      (l: LineItem) => ({ lineItem: view("LineItem", l, s.rec), quantity: returnable.get(l.id) }),
      (l: LineItem) => l.id,
    );
  },
  nonReturnableLineItems: (s, args, ctx) => {
    const rows = nonReturnable(ctx, s.rec);
    return connection(
      rows,
      args,
      (r) => ({
        lineItem: view("LineItem", r.line, s.rec),
        quantity: sum(r.details.map((d) => d.quantity)),
        quantityDetails: r.details,
      }),
      (r) => r.line.id,
    );
  },
  nonReturnableSummary: (s, _a, ctx) => {
    const reasons = [...new Set(nonReturnable(ctx, s.rec).flatMap((r) => r.details.map((d) => d.reasonCode)))];
    return reasons.length ? { nonReturnableReasons: reasons } : null;
  },
};

/** Units that cannot be returned and why: not shipped yet, past the return window, already returned or refunded. */
function nonReturnable(ctx: Ctx, order: Order) {
  const returnable = returnableByLine(ctx, order);
  const expired = expiredByLine(ctx, order);
  const rows: { line: LineItem; details: { quantity: number; reasonCode: string }[] }[] = [];
  for (const line of order.lineItems) {
    const unfulfilled = fulfillableQuantity(order, line);
    const late = expired.get(line.id) ?? 0;
    const gone = fulfilledQuantity(order, line.id) - (returnable.get(line.id) ?? 0) - late;
    const details = [];
    if (unfulfilled > 0) details.push({ quantity: unfulfilled, reasonCode: "UNFULFILLED" });
    if (late > 0) details.push({ quantity: late, reasonCode: "RETURN_WINDOW_EXPIRED" });
    if (gone > 0) details.push({ quantity: gone, reasonCode: "RETURNED" });
    if (details.length) rows.push({ line, details });
  }
  return rows;
}

const LineItemType: R = {
  id: (s) => gidFor("LineItem", s.rec.id),
  name: (s) => (s.rec.variantTitle ? `${s.rec.title} - ${s.rec.variantTitle}` : s.rec.title),
  title: (s) => s.rec.title,
  presentmentTitle: (s) => s.rec.title,
  variantTitle: (s) => s.rec.variantTitle,
  sku: (s) => s.rec.sku,
  vendor: (s) => s.rec.vendor,
  quantity: (s) => s.rec.quantity,
  refundableQuantity: (s) => s.rec.quantity - refundedQuantity(s.order, s.rec.id),
  requiresShipping: (s) => s.rec.requiresShipping,
  giftCard: () => false,
  customAttributes: () => [],
  productId: (s) => (s.rec.productId ? gidFor("Product", s.rec.productId) : null),
  variantId: (s) => (s.rec.variantId ? gidFor("ProductVariant", s.rec.variantId) : null),
  productType: (s, _a, ctx) => ctx.shop.products.find((p) => p.id === s.rec.productId)?.productType ?? null,
  price: (s) => money(s.rec.priceMinor, s.order.currency),
  totalPrice: (s) => money(s.rec.priceMinor * s.rec.quantity - s.rec.discountMinor, s.order.currency),
  currentTotalPrice: (s) => {
    const left = s.rec.quantity - refundedQuantity(s.order, s.rec.id);
    return money(unitAmounts(s.rec).net * left, s.order.currency);
  },
  totalDiscount: (s) => money(s.rec.discountMinor, s.order.currency),
  image: (s, _a, ctx) => lineImage(ctx, s.rec),
  suggestedReturnReasonDefinitions: (_s, args) =>
    connection(
      RETURN_REASON_DEFINITIONS.filter((d) => !d.deleted),
      args,
      reasonDefinitionValue,
      (d) => d.id,
    ),
};

const reasonDefinitionValue = (d: ReturnReasonDefinition) => ({
  id: gidFor("ReturnReasonDefinition", d.id),
  handle: d.handle,
  name: d.name,
  deleted: d.deleted,
});

const FulfillmentType: R = {
  id: (s) => gidFor("Fulfillment", s.rec.id),
  createdAt: (s) => dt(s.rec.createdAt),
  updatedAt: (s) => dt(s.rec.updatedAt),
  estimatedDeliveryAt: (s) => dt(s.rec.estimatedDeliveryAt),
  isPickedUp: () => false,
  requiresShipping: () => true,
  status: (s) => (s.rec.status === "cancelled" ? "CANCELLED" : "SUCCESS"),
  latestShipmentStatus: (s) => shipmentStatus(s.rec.shipmentStatus),
  trackingInformation: (s, _a, ctx) =>
    s.rec.trackingNumbers.map((number: string, i: number) => ({
      company: s.rec.trackingCompany,
      number,
      url: s.rec.trackingUrls[i] ?? ctx.engine.trackingUrl(s.rec.trackingCompany, number),
    })),
  events: (s, args) => {
    if (args.query) throw new CustomerApiNotImplemented("Fulfillment.events(query:)");
    const events = [...s.rec.events].sort((a: Any, b: Any) =>
      args.sortKey === "HAPPENED_AT" ? Date.parse(a.happenedAt) - Date.parse(b.happenedAt) : a.id - b.id,
    );
    return connection(
      events,
      args,
      (e: Any) => ({
        id: gidFor("FulfillmentEvent", e.id),
        happenedAt: dt(e.happenedAt),
        status: shipmentStatus(e.status),
      }),
      (e: Any) => e.id,
    );
  },
  fulfillmentLineItems: (s, args) =>
    connection(
      s.rec.lineItems,
      args,
      (fl: Any) => ({
        id: gidFor("FulfillmentLineItem", fl.id),
        quantity: fl.quantity,
        lineItem: view(
          "LineItem",
          s.order.lineItems.find((l: LineItem) => l.id === fl.lineItemId),
          s.order,
        ),
      }),
      (fl: Any) => fl.id,
    ),
};

const ReturnType: R = {
  id: (s) => gidFor("Return", s.rec.id),
  name: (s) => s.rec.name,
  status: (s) => s.rec.status.toUpperCase(),
  createdAt: (s) => dt(s.rec.createdAt),
  updatedAt: (s) => dt(s.rec.closedAt ?? s.rec.requestApprovedAt ?? s.rec.createdAt),
  closedAt: (s) => dt(s.rec.closedAt),
  returnLineItemsCount: (s) => ({ count: s.rec.lines.length, precision: "EXACT" }),
  returnLineItems: (s, args) =>
    connection(
      s.rec.lines,
      args,
      (l: Any) => ({
        __typename: "ReturnLineItem",
        id: gidFor("ReturnLineItem", l.id),
        quantity: l.quantity,
        returnReason: l.returnReason,
        returnReasonDefinition: (() => {
          const d = reasonDefinition(l.returnReasonDefinitionId);
          return d ? reasonDefinitionValue(d) : null;
        })(),
        lineItem: view(
          "LineItem",
          s.order.lineItems.find((x: LineItem) => x.id === l.lineItemId),
          s.order,
        ),
      }),
      (l: Any) => l.id,
    ),
  exchangeLineItems: (s, args) =>
    connection(
      s.rec.exchangeLines ?? [],
      args,
      (e: Any) => ({
        id: gidFor("ExchangeLineItem", e.id),
        quantity: e.quantity,
        title: e.title,
        variantTitle: e.variantTitle,
        variantSku: e.sku,
        productId: gidFor("Product", e.productId),
        variantId: gidFor("ProductVariant", e.variantId),
        productHasOnlyDefaultVariant: e.variantTitle === null,
      }),
      (e: Any) => e.id,
    ),
};

const ShopType: R = {
  id: (s) => gidFor("Shop", s.rec.id),
  name: (s) => s.rec.name,
  email: (s) => s.rec.email,
  myshopifyDomain: (s) => s.rec.domain,
  url: (s) => `https://${s.rec.domain}`,
};

// orderRequestReturn: the shopper names order line items; Shopify finds the shipped units behind
// them. The return is REQUESTED and reaches the app as returns/request, as returnRequest does.

interface RequestedLine {
  lineItemId: string;
  quantity: number;
  returnReason?: string | null;
  returnReasonDefinitionId?: string | null;
  customerNote?: string | null;
}

const userError = (message: string, field: string[], code: string): UserError => ({ field, message, code });
const CUSTOMER_NOTE_MAX = 300;

function requestReturn(ctx: Ctx, orderId: unknown, requested: RequestedLine[]) {
  const order = ownOrder(ctx, orderId);
  if (!order) return { return: null, userErrors: [userError("Order does not exist.", ["orderId"], "NOT_FOUND")] };
  if (!requested.length)
    return {
      return: null,
      userErrors: [userError("Requested line items must not be empty.", ["requestedLineItems"], "BLANK")],
    };
  const returnable = returnableByLine(ctx, order);
  const expired = expiredByLine(ctx, order);
  const lines: commerce.ReturnLineInput[] = [];
  for (const [i, r] of requested.entries()) {
    const field = ["requestedLineItems", String(i)];
    const line = order.lineItems.find((l) => l.id === parseId(r.lineItemId, "LineItem"));
    if (!line)
      return {
        return: null,
        userErrors: [userError("Line item does not exist on this order.", [...field, "lineItemId"], "NOT_FOUND")],
      };
    if (!Number.isInteger(r.quantity) || r.quantity < 1)
      return {
        return: null,
        userErrors: [userError("Quantity must be greater than 0.", [...field, "quantity"], "GREATER_THAN")],
      };
    const left = returnable.get(line.id) ?? 0;
    if (r.quantity > left && (expired.get(line.id) ?? 0) > 0)
      return {
        return: null,
        userErrors: [userError("The return window for this item has expired.", [...field, "lineItemId"], "INVALID")],
      };
    if (r.quantity > left)
      return {
        return: null,
        userErrors: [
          userError(
            `Quantity ${r.quantity} is greater than the returnable quantity ${left}.`,
            [...field, "quantity"],
            "LESS_THAN_OR_EQUAL_TO",
          ),
        ],
      };
    // RequestedLineItemInput.customerNote: "Maximum length: 300 characters" (counted as characters).
    if (r.customerNote != null && [...r.customerNote].length > CUSTOMER_NOTE_MAX)
      return {
        return: null,
        userErrors: [
          userError(
            `Customer note is too long (maximum is ${CUSTOMER_NOTE_MAX} characters)`,
            [...field, "customerNote"],
            "TOO_LONG",
          ),
        ],
      };
    if (r.returnReason == null && r.returnReasonDefinitionId == null)
      return {
        return: null,
        userErrors: [userError("A return reason is required.", [...field, "returnReasonDefinitionId"], "BLANK")],
      };
    returnable.set(line.id, left - r.quantity);
    // Spread the units over the shipments that still hold returnable ones.
    let wanted = r.quantity;
    for (const f of order.fulfillments) {
      if (f.status !== "success" || wanted === 0) continue;
      for (const fl of f.lineItems) {
        if (fl.lineItemId !== line.id || wanted === 0) continue;
        const taken = sum(lines.filter((x) => x.fulfillmentLineItemId === fl.id).map((x) => x.quantity));
        const n = Math.min(wanted, returnableQuantity(order, fl) - taken);
        if (n <= 0) continue;
        lines.push({
          fulfillmentLineItemId: fl.id,
          quantity: n,
          returnReason: r.returnReason ?? null,
          returnReasonDefinitionId: r.returnReasonDefinitionId ?? null,
          customerNote: r.customerNote ?? null,
        });
        wanted -= n;
      }
    }
  }
  const result = commerce.requestReturn(ctx.engine, ctx.shop, order.id, lines);
  if (!result.ok) {
    // The commerce layer names fulfillment lines; the shopper named order lines.
    const errors = result.userErrors.map((e) => ({
      ...e,
      field: e.field ? ["requestedLineItems", ...e.field.slice(2)] : null,
    }));
    return { return: null, userErrors: errors };
  }
  return { return: view("Return", result.value.ret, result.value.order), userErrors: [] };
}

const Mutation: R = {
  orderRequestReturn: (_s, { orderId, requestedLineItems }, ctx) => requestReturn(ctx, orderId, requestedLineItems),
};

const RESOLVERS: Record<string, R> = {
  QueryRoot,
  Mutation,
  CalculatedReturn,
  Customer: CustomerType,
  Order: OrderType,
  OrderReturnInformation,
  LineItem: LineItemType,
  Fulfillment: FulfillmentType,
  Return: ReturnType,
  Shop: ShopType,
};

const has = (o: unknown, key: string) =>
  o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, key);

const fieldResolver: GraphQLFieldResolver<Any, Ctx> = (source, args, ctx, info) => {
  const own = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (own) return own(source, args, ctx, info);
  const internal = has(source, "rec") && ["rec", "order", "lines"].includes(info.fieldName);
  if (has(source, info.fieldName) && !internal) return source[info.fieldName];
  throw new CustomerApiNotImplemented(`${info.parentType.name}.${info.fieldName}`);
};

const typeResolver: GraphQLTypeResolver<Any, Ctx> = (value, _ctx, _info, abstractType) => {
  if (value && typeof value.__typename === "string") return value.__typename;
  throw new CustomerApiNotImplemented(`a concrete type for ${abstractType.name}`);
};

export type CustomerGraphqlBody = GraphqlRequestBody;

/** Runs one Customer Account API request as a customer and returns Shopify's JSON body. */
export async function executeCustomer(
  engine: Engine,
  shop: Shop,
  customer: Customer,
  body: CustomerGraphqlBody,
): Promise<Record<string, unknown>> {
  const schema = customerSchema();
  const prepared = prepareOperation(schema, body);
  if (prepared.errors) return { errors: prepared.errors };
  const { document, op } = prepared;
  const result = await execute({
    schema,
    document,
    variableValues: body.variables ?? {},
    operationName: body.operationName ?? undefined,
    contextValue: { engine, shop, customer } satisfies Ctx,
    fieldResolver,
    typeResolver,
  });
  const out: Record<string, unknown> = {};
  if (result.errors?.length) out.errors = result.errors.map((e) => e.toJSON());
  out.data = result.data ?? null;
  return out;
}

// Customer access tokens, as the Customer Account API's OAuth hands them out after sign-in
// ("shcat_" tokens). Kept in memory: a restarted sandbox asks the shopper to sign in again.

export const CUSTOMER_TOKEN_TTL_MS = 60 * 60 * 1000;

interface CustomerToken {
  shop: string;
  customerId: number;
  expiresAt: number;
}

export class CustomerAccessTokens {
  private readonly tokens = new Map<string, CustomerToken>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  issue(shop: string, customerId: number): { token: string; expiresAt: Date } {
    const token = `shcat_${randomBytes(24).toString("hex")}`;
    const expiresAt = this.now().getTime() + CUSTOMER_TOKEN_TTL_MS;
    this.tokens.set(token, { shop: shop.toLowerCase(), customerId, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  find(token: string | null | undefined): CustomerToken | null {
    if (!token) return null;
    const found = this.tokens.get(token.replace(/^Bearer\s+/i, "").trim());
    if (!found) return null;
    if (found.expiresAt <= this.now().getTime()) return null;
    return found;
  }

  revoke(token: string) {
    this.tokens.delete(token);
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-request-id": randomUUID() },
  });

/**
 * POST <base>/api/<version>/graphql.json, as Shopify answers it: 404 for an unknown version, 401
 * without a live customer access token in Authorization, 400 for a body that is not a GraphQL
 * request, 200 with data/errors otherwise.
 */
export async function handleCustomerGraphql(
  deps: { engine: Engine; tokens: CustomerAccessTokens },
  request: Request,
): Promise<Response> {
  const version = /\/api\/([^/]+)\/graphql(?:\.json)?$/.exec(new URL(request.url).pathname)?.[1];
  if (version !== CUSTOMER_API_VERSION)
    return json(404, { errors: [{ message: `The Customer Account API has no version ${version ?? "(none)"} here.` }] });
  if (request.method !== "POST") return json(405, { errors: [{ message: "Use POST for GraphQL requests." }] });
  const grant = deps.tokens.find(request.headers.get("authorization"));
  const shop = grant ? deps.engine.state.findShop(grant.shop) : undefined;
  const customer = grant && shop ? shop.customers.find((c) => c.id === grant.customerId) : undefined;
  if (!grant || !shop || !customer)
    return json(401, {
      errors: [{ message: "Invalid or expired customer access token.", extensions: { code: "UNAUTHORIZED" } }],
    });
  let body: CustomerGraphqlBody;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return json(400, { errors: [{ message: "The request body is not JSON." }] });
  }
  if (!body || typeof body.query !== "string")
    return json(400, { errors: [{ message: "The request body needs a `query` string." }] });
  return json(200, await executeCustomer(deps.engine, shop, customer, body));
}
