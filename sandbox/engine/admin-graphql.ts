/**
 * Shopify's Admin GraphQL API over the sandbox state. The schema is Shopify's own introspection
 * for the API version (sandbox/schema), so a document the app sends is validated exactly as Shopify
 * would; resolvers below supply the data. A field with no resolver answers an error naming it
 * ("Sandbox does not implement Order.riskLevel") rather than a quiet null. Every request is
 * charged a query cost and drawn from a leaky bucket per shop, as Shopify does, and tests can
 * empty the bucket to make the app's retry path run.
 */
import { randomUUID } from "node:crypto";

import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
  type SelectionSetNode,
  GraphQLError,
  Kind,
  execute,
  executeSync,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  valueFromASTUntyped,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from "graphql";

import { type AuthDeps, findAccessToken } from "./auth";
import { checkTriggerPayload } from "./flow";
import {
  appTomlPath,
  changeCustomerTags,
  customerMetafield,
  loadAppMetafieldDefinitions,
  setCustomerMetafields,
  UnmodelledMetafield,
  deleteCustomerMetafields,
  type MetafieldDefinition,
} from "./customer-metafields";
import { customerPayload } from "./payloads";
import {
  RETURN_REASON_DEFINITIONS,
  definitionForLegacy,
  reasonDefinition,
  type ReturnReasonDefinition,
} from "./return-reasons";
import { type BulkOperation, gidOf as bulkGid } from "./bulk-operations";
import type { StoredFile } from "./staged-uploads";
import * as commerce from "./commerce";
import { prepareOperation, schemaLoader, type GraphqlRequestBody } from "./graphql-request";
import type { Engine, UserError } from "./commerce";
import {
  type Address,
  type Collection,
  type Customer,
  type Discount,
  type ExchangeLine,
  type Fulfillment,
  type FulfillmentLine,
  type Order,
  type Product,
  type ProductImage,
  type Refund,
  type Return,
  type Shop,
  type StoreCreditAccount,
  decimal,
  financialStatus,
  fulfillableQuantity,
  fulfilledQuantity,
  gidFor,
  lineFulfillmentStatus,
  orderFulfillmentStatus,
  orderTotals,
  parseId,
  refundedQuantity,
  returnableQuantity,
  storeCreditBalance,
  sum,
  toMinor,
} from "./state";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resolvers walk untyped GraphQL values
type Any = any;

export const ADMIN_API_VERSION = "2026-07";
export const SUPPORTED_API_VERSIONS = [ADMIN_API_VERSION];

/** Shopify's Admin schema for 2026-07, built once per process (~0.2 s). */
export const adminSchema = schemaLoader("admin_2026-07.json.gz");

export interface GraphqlContext {
  engine: Engine;
  shop: Shop;
}

// Values handed between resolvers: a record wrapped with its GraphQL type name (for unions and
// interfaces) and the order it belongs to where that matters.
interface View<T> {
  __typename: string;
  rec: T;
  order?: Order;
}
const view = <T>(typename: string, rec: T, order?: Order): View<T> => ({ __typename: typename, rec, order });

export class NotImplementedError extends GraphQLError {
  constructor(what: string) {
    super(`Sandbox does not implement ${what}`, { extensions: { code: "SANDBOX_NOT_IMPLEMENTED" } });
  }
}

const moneyV2 = (minor: number, currency: string) => ({ amount: decimal(minor, currency), currencyCode: currency });
const moneyBag = (minor: number, currency: string) => ({
  shopMoney: moneyV2(minor, currency),
  presentmentMoney: moneyV2(minor, currency),
});
const count = (n: number) => ({ count: n, precision: "EXACT" });

function mailingAddress(a: Address | null, id: number) {
  if (!a) return null;
  return {
    id: gidFor("MailingAddress", id),
    firstName: a.firstName,
    lastName: a.lastName,
    name: `${a.firstName} ${a.lastName}`.trim(),
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    country: a.country,
    countryCode: a.countryCode,
    countryCodeV2: a.countryCode,
    zip: a.zip,
    phone: a.phone || null,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    formattedArea: [a.city, a.provinceCode, a.country].filter(Boolean).join(", "),
    formatted: [a.address1, a.address2, `${a.city} ${a.provinceCode} ${a.zip}`.trim(), a.country].filter(Boolean),
  };
}

// Connections, with Shopify's rules: first or last is required, at most 250.

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

const cursorOf = (key: string | number) => Buffer.from(JSON.stringify({ last_id: key })).toString("base64");
function keyOfCursor(cursor: string): string | number | null {
  try {
    return JSON.parse(Buffer.from(cursor, "base64").toString("utf8")).last_id ?? null;
  } catch {
    return null;
  }
}

// Set while a bulk query runs a page: nested connections then give every item, as in Shopify's bulk
// export, where pagination arguments are not needed.
let bulkExport = false;

function connection<T>(
  items: T[],
  pageArgs: PageArgs,
  toNode: (item: T) => unknown,
  key: (item: T) => string | number,
) {
  const unpaged = pageArgs.first == null && pageArgs.last == null;
  if (unpaged && !bulkExport) throw new GraphQLError("you must provide one of first or last");
  const args = unpaged ? { ...pageArgs, first: items.length } : pageArgs;
  for (const n of [args.first, args.last]) {
    if (n != null && (n < 0 || (n > 250 && !bulkExport)))
      throw new GraphQLError("The first and last arguments must be between 0 and 250");
  }
  let list = args.reverse ? [...items].reverse() : [...items];
  if (args.after) {
    const k = keyOfCursor(args.after);
    const i = list.findIndex((x) => key(x) === k);
    if (i === -1) throw new GraphQLError(`Invalid cursor for current pagination sort.`);
    list = list.slice(i + 1);
  }
  if (args.before) {
    const k = keyOfCursor(args.before);
    const i = list.findIndex((x) => key(x) === k);
    if (i === -1) throw new GraphQLError(`Invalid cursor for current pagination sort.`);
    list = list.slice(0, i);
  }
  const total = list.length;
  let page = list;
  if (args.first != null) page = page.slice(0, args.first);
  if (args.last != null) page = page.slice(Math.max(0, page.length - args.last));
  const beforeCount = args.last == null ? 0 : list.length - page.length;
  const edges = page.map((item) => ({ cursor: cursorOf(key(item)), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: args.first != null && total > page.length,
      hasPreviousPage: args.last == null ? Boolean(args.after) : beforeCount > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

// Search syntax: `key:value` terms (with >, >=, <, <= on dates and numbers) and free text, ANDed.

interface Term {
  key: string | null;
  op: "=" | ">" | ">=" | "<" | "<=";
  value: string;
  negate: boolean;
}

function parseSearch(query: string | null | undefined): Term[] {
  if (!query) return [];
  const tokens = query.match(/-?[\w.]+:(?:"[^"]*"|'[^']*'|\S+)|"[^"]*"|\S+/g) ?? [];
  const terms: Term[] = [];
  for (let token of tokens) {
    if (token === "AND") continue;
    const negate = token.startsWith("-") || token.startsWith("NOT ");
    if (token.startsWith("-")) token = token.slice(1);
    const colon = token.indexOf(":");
    if (colon > 0 && !token.startsWith('"')) {
      const key = token.slice(0, colon).toLowerCase();
      let rest = token.slice(colon + 1);
      let op: Term["op"] = "=";
      const m = /^(>=|<=|>|<)/.exec(rest);
      if (m) {
        op = m[1] as Term["op"];
        rest = rest.slice(m[1].length);
      }
      terms.push({ key, op, value: rest.replace(/^["']|["']$/g, ""), negate });
    } else {
      terms.push({ key: null, op: "=", value: token.replace(/^"|"$/g, ""), negate });
    }
  }
  return terms;
}

type Fields<T> = Record<string, (item: T) => string | number | string[] | null | undefined>;

function matches<T>(item: T, terms: Term[], fields: Fields<T>, text: (item: T) => string[]): boolean {
  return terms.every((t) => {
    let hit: boolean;
    if (t.key === null) {
      const needle = t.value.toLowerCase();
      hit = text(item).some((s) => s.toLowerCase().includes(needle));
    } else {
      const get = fields[t.key];
      if (!get) return true; // Shopify ignores filters it does not know.
      const value = get(item);
      const wanted = t.value.toLowerCase();
      const compare = (v: string | number) => {
        if (t.op === "=") {
          const s = String(v).toLowerCase();
          return wanted.endsWith("*") ? s.startsWith(wanted.slice(0, -1)) : s === wanted;
        }
        const a = typeof v === "number" ? v : Date.parse(v);
        const b = typeof v === "number" ? Number(t.value) : Date.parse(t.value);
        if (Number.isNaN(a) || Number.isNaN(b)) return false;
        return t.op === ">" ? a > b : t.op === ">=" ? a >= b : t.op === "<" ? a < b : a <= b;
      };
      hit = Array.isArray(value) ? value.some(compare) : value != null && compare(value);
    }
    return t.negate ? !hit : hit;
  });
}

function sortBy<T>(
  items: T[],
  sortKey: string | null | undefined,
  keys: Record<string, (item: T) => string | number>,
): T[] {
  const get = (sortKey && keys[sortKey]) || keys.ID;
  return [...items].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

const ORDER_FIELDS: Fields<Order> = {
  id: (o) => o.id,
  name: (o) => [o.name, o.name.slice(1)],
  email: (o) => o.email,
  status: (o) => (o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open"),
  financial_status: (o) => financialStatus(o),
  fulfillment_status: (o) => {
    const s = orderFulfillmentStatus(o);
    return s === "fulfilled" ? ["shipped", "fulfilled"] : s === "partial" ? "partial" : "unshipped";
  },
  created_at: (o) => o.createdAt,
  updated_at: (o) => o.updatedAt,
  processed_at: (o) => o.processedAt,
  customer_id: (o) => o.customerId,
  tag: (o) => o.tags,
  return_status: (o) => returnStatusOf(o).toLowerCase(),
};

const PRODUCT_FIELDS: Fields<Product> = {
  id: (p) => p.id,
  title: (p) => p.title,
  handle: (p) => p.handle,
  tag: (p) => p.tags,
  status: (p) => p.status,
  product_type: (p) => p.productType,
  vendor: (p) => p.vendor,
  sku: (p) => p.variants.map((v) => v.sku ?? ""),
  created_at: (p) => p.createdAt,
  updated_at: (p) => p.updatedAt,
};

const CUSTOMER_FIELDS: Fields<Customer> = {
  id: (c) => c.id,
  email: (c) => c.email,
  first_name: (c) => c.firstName,
  last_name: (c) => c.lastName,
  phone: (c) => c.phone,
  tag: (c) => c.tags,
  state: (c) => c.state,
  updated_at: (c) => c.updatedAt,
  created_at: (c) => c.createdAt,
};

// Derived statuses in GraphQL's words.

function displayFulfillmentStatus(o: Order): string {
  const s = orderFulfillmentStatus(o);
  if (s === "fulfilled") return "FULFILLED";
  if (s === "partial") return "PARTIALLY_FULFILLED";
  return "UNFULFILLED";
}

function returnStatusOf(o: Order): string {
  const live = o.returns.filter((r) => r.status !== "canceled" && r.status !== "declined");
  if (live.length === 0) return "NO_RETURN";
  if (live.some((r) => r.status === "requested")) return "RETURN_REQUESTED";
  if (live.some((r) => r.status === "open")) return "IN_PROGRESS";
  return "RETURNED";
}

function fulfillmentDisplayStatus(f: Fulfillment): string {
  if (f.status === "cancelled") return "CANCELED";
  return f.shipmentStatus ? f.shipmentStatus.toUpperCase() : "FULFILLED";
}

function discountStatus(d: Discount, now: Date): string {
  if (Date.parse(d.startsAt) > now.getTime()) return "SCHEDULED";
  if ((d.endsAt && Date.parse(d.endsAt) < now.getTime()) || (d.usageLimit !== null && d.usageCount >= d.usageLimit))
    return "EXPIRED";
  return "ACTIVE";
}

const stripTags = (html: string) => html.replace(/<[^>]*>/g, "").trim();

// Lookups by gid, for node(s) and the typed root fields.

function nodeFor(ctx: GraphqlContext, id: string): unknown {
  const { state } = ctx.engine;
  const shop = ctx.shop;
  const type = /^gid:\/\/shopify\/(\w+)\//.exec(id)?.[1];
  switch (type) {
    case "Order": {
      const o = state.order(shop, id);
      return o ? view("Order", o) : null;
    }
    case "Customer": {
      const c = state.customer(shop, id);
      return c ? view("Customer", c) : null;
    }
    case "Product": {
      const p = state.product(shop, id);
      return p ? view("Product", p) : null;
    }
    case "ProductVariant": {
      const v = state.variant(shop, id);
      return v ? view("ProductVariant", v) : null;
    }
    case "Collection": {
      const c = state.collection(shop, id);
      return c ? view("Collection", c) : null;
    }
    case "LineItem": {
      const l = state.lineItem(shop, id);
      return l ? view("LineItem", l.lineItem, l.order) : null;
    }
    case "Fulfillment": {
      const f = state.fulfillment(shop, id);
      return f ? view("Fulfillment", f.fulfillment, f.order) : null;
    }
    case "FulfillmentLineItem": {
      const f = state.fulfillmentLine(shop, id);
      return f ? view("FulfillmentLineItem", f.line, f.order) : null;
    }
    case "FulfillmentOrder": {
      const f = state.fulfillmentOrder(shop, id);
      return f ? view("FulfillmentOrder", f.fulfillmentOrder, f.order) : null;
    }
    case "Refund": {
      const r = state.refund(shop, id);
      return r ? view("Refund", r.refund, r.order) : null;
    }
    case "Return": {
      const r = state.return(shop, id);
      return r ? view("Return", r.ret, r.order) : null;
    }
    case "ReturnableFulfillment": {
      const f = state.fulfillment(shop, gidFor("Fulfillment", parseId(id, "ReturnableFulfillment") ?? -1));
      return f ? view("ReturnableFulfillment", f.fulfillment, f.order) : null;
    }
    case "ExchangeLineItem": {
      const e = state.exchangeLine(shop, id);
      return e ? view("ExchangeLineItem", e.line, e.order) : null;
    }
    case "ReverseFulfillmentOrder": {
      const r = state.reverseFulfillmentOrder(shop, id);
      return r ? view("ReverseFulfillmentOrder", r.rfo, r.order) : null;
    }
    case "ReverseFulfillmentOrderLineItem": {
      const r = state.reverseFulfillmentOrderLine(shop, id);
      return r ? view("ReverseFulfillmentOrderLineItem", r.line, r.order) : null;
    }
    case "DiscountCodeNode": {
      const d = state.discount(shop, id);
      return d ? view("DiscountCodeNode", d) : null;
    }
    case "StoreCreditAccount": {
      const a = state.storeCreditAccount(shop, id);
      return a ? view("StoreCreditAccount", a.account, undefined) : null;
    }
    case "BulkOperation": {
      const op = bulkOperations(ctx).find(shop, parseId(id, "BulkOperation") ?? -1);
      return op ? view("BulkOperation", op) : null;
    }
    case "MediaImage": {
      const file = uploads(ctx).file(shop.domain, parseId(id, "MediaImage") ?? -1);
      return file ? fileValue(ctx, file) : null;
    }
    case "ReturnReasonDefinition": {
      const d = reasonDefinition(parseId(id, "ReturnReasonDefinition"));
      return d ? reasonDefinitionValue(d) : null;
    }
    default:
      throw new NotImplementedError(`node lookup for ${type ?? id}`);
  }
}

function ownerOfAccount(ctx: GraphqlContext, account: StoreCreditAccount): Customer {
  return ctx.shop.customers.find((c) => c.storeCreditAccounts.includes(account))!;
}

function lineItemOf(order: Order, id: number) {
  return order.lineItems.find((l) => l.id === id)!;
}

function fulfillmentLineById(order: Order, id: number): FulfillmentLine {
  for (const f of order.fulfillments) {
    const line = f.lineItems.find((l) => l.id === id);
    if (line) return line;
  }
  throw new Error(`No fulfillment line ${id}`);
}

function featuredImage(p: Product): ProductImage | null {
  return p.images[0] ?? null;
}

const imageValue = (img: ProductImage | null) =>
  img
    ? {
        id: gidFor("ProductImage", img.id),
        url: img.url,
        src: img.url,
        originalSrc: img.url,
        transformedSrc: img.url,
        altText: img.altText,
        width: img.width,
        height: img.height,
      }
    : null;

const mediaValue = (img: ProductImage) => ({
  __typename: "MediaImage",
  id: gidFor("MediaImage", img.id),
  alt: img.altText,
  mediaContentType: "IMAGE",
  status: "READY",
  image: imageValue(img),
  preview: { image: imageValue(img), status: "READY" },
  mediaErrors: [],
  mediaWarnings: [],
});

type R = Record<string, GraphQLFieldResolver<Any, GraphqlContext, Any>>;

// Per-type resolvers. Sources are views (src.rec is the record; src.order its order).

const Order: R = {
  id: (s) => gidFor("Order", s.rec.id),
  legacyResourceId: (s) => String(s.rec.id),
  name: (s) => s.rec.name,
  number: (s) => s.rec.number,
  email: (s) => s.rec.email,
  phone: (s) => s.rec.phone,
  note: (s) => s.rec.note,
  tags: (s) => s.rec.tags,
  test: () => false,
  confirmed: () => true,
  confirmationNumber: (s) => s.rec.token.slice(0, 9).toUpperCase(),
  createdAt: (s) => s.rec.createdAt,
  updatedAt: (s) => s.rec.updatedAt,
  processedAt: (s) => s.rec.processedAt,
  cancelledAt: (s) => s.rec.cancelledAt,
  cancelReason: (s) => s.rec.cancelReason?.toUpperCase() ?? null,
  closed: (s) => Boolean(s.rec.closedAt),
  closedAt: (s) => s.rec.closedAt,
  currencyCode: (s) => s.rec.currency,
  presentmentCurrencyCode: (s) => s.rec.currency,
  customerLocale: (s) => s.rec.customerLocale,
  displayFinancialStatus: (s) => financialStatus(s.rec).toUpperCase(),
  displayFulfillmentStatus: (s) => displayFulfillmentStatus(s.rec),
  returnStatus: (s) => returnStatusOf(s.rec),
  fullyPaid: (s) => s.rec.paid && orderTotals(s.rec).outstandingMinor === 0,
  unpaid: (s) => !s.rec.paid,
  refundable: (s) => s.rec.paid && orderTotals(s.rec).receivedMinor > orderTotals(s.rec).refundedMinor,
  requiresShipping: (s) => s.rec.lineItems.some((l: Any) => l.requiresShipping),
  fulfillable: (s) => s.rec.lineItems.some((l: Any) => fulfillableQuantity(s.rec, l) > 0),
  subtotalLineItemsQuantity: (s) => sum(s.rec.lineItems.map((l: Any) => l.quantity)),
  currentSubtotalLineItemsQuantity: (s) =>
    sum(s.rec.lineItems.map((l: Any) => l.quantity - refundedQuantity(s.rec, l.id))),
  totalWeight: (s) => String(sum(s.rec.lineItems.map((l: Any) => l.grams * l.quantity))),
  discountCode: (s) => s.rec.discountCodes[0]?.code ?? null,
  discountCodes: (s) => s.rec.discountCodes.map((d: Any) => d.code),
  statusPageUrl: (s, _a, ctx) =>
    `https://${ctx.shop.domain}/${ctx.shop.id}/orders/${s.rec.token}/authenticate?key=${s.rec.token}`,
  shippingAddress: (s) => mailingAddress(s.rec.shippingAddress, s.rec.id),
  billingAddress: (s) => mailingAddress(s.rec.billingAddress, s.rec.id),
  displayAddress: (s) => mailingAddress(s.rec.shippingAddress ?? s.rec.billingAddress, s.rec.id),
  customer: (s, _a, ctx) => {
    const c = ctx.shop.customers.find((x) => x.id === s.rec.customerId);
    return c ? view("Customer", c) : null;
  },
  lineItems: (s, args) =>
    connection(
      s.rec.lineItems,
      args,
      (l) => view("LineItem", l, s.rec),
      (l: Any) => l.id,
    ),
  fulfillments: (s, args) => {
    if (args.query) throw new NotImplementedError("Order.fulfillments(query:)");
    const list = s.rec.fulfillments.map((f: Fulfillment) => view("Fulfillment", f, s.rec));
    return args.first == null ? list : list.slice(0, args.first);
  },
  fulfillmentsCount: (s) => count(s.rec.fulfillments.length),
  fulfillmentOrders: (s, args) =>
    connection(
      s.rec.fulfillmentOrders,
      args,
      (f) => view("FulfillmentOrder", f, s.rec),
      (f: Any) => f.id,
    ),
  refunds: (s, args) => {
    const list = s.rec.refunds.map((r: Refund) => view("Refund", r, s.rec));
    return args.first == null ? list : list.slice(0, args.first);
  },
  returns: (s, args) => {
    if (args.query) throw new NotImplementedError("Order.returns(query:)");
    return connection(
      s.rec.returns,
      args,
      (r) => view("Return", r, s.rec),
      (r: Any) => r.id,
    );
  },
  transactions: (s, args) => {
    const list = s.rec.transactions.map((t: Any) => view("OrderTransaction", t, s.rec));
    return args.first == null ? list : list.slice(0, args.first);
  },
  shippingLine: (s) => (s.rec.shippingLine ? view("ShippingLine", s.rec.shippingLine, s.rec) : null),
  subtotalPriceSet: (s) => moneyBag(orderTotals(s.rec).subtotalMinor, s.rec.currency),
  currentSubtotalPriceSet: (s) => moneyBag(orderTotals(s.rec).currentSubtotalMinor, s.rec.currency),
  totalPriceSet: (s) => moneyBag(orderTotals(s.rec).totalMinor, s.rec.currency),
  originalTotalPriceSet: (s) => moneyBag(orderTotals(s.rec).totalMinor, s.rec.currency),
  currentTotalPriceSet: (s) => moneyBag(orderTotals(s.rec).currentTotalMinor, s.rec.currency),
  totalTaxSet: (s) => moneyBag(orderTotals(s.rec).taxMinor, s.rec.currency),
  currentTotalTaxSet: (s) => moneyBag(orderTotals(s.rec).currentTaxMinor, s.rec.currency),
  totalShippingPriceSet: (s) => moneyBag(orderTotals(s.rec).shippingMinor, s.rec.currency),
  currentShippingPriceSet: (s) => moneyBag(orderTotals(s.rec).currentShippingMinor, s.rec.currency),
  totalDiscountsSet: (s) => moneyBag(orderTotals(s.rec).discountsMinor, s.rec.currency),
  currentTotalDiscountsSet: (s) => moneyBag(orderTotals(s.rec).currentDiscountsMinor, s.rec.currency),
  totalRefundedSet: (s) => moneyBag(orderTotals(s.rec).refundedMinor, s.rec.currency),
  totalRefundedShippingSet: (s) => moneyBag(sum(s.rec.refunds.map((r: Refund) => r.shippingMinor)), s.rec.currency),
  totalReceivedSet: (s) => moneyBag(orderTotals(s.rec).receivedMinor, s.rec.currency),
  totalOutstandingSet: (s) => moneyBag(orderTotals(s.rec).outstandingMinor, s.rec.currency),
  // The sandbox's prices never include tax: it is added at the order's rate (as the Shop says).
  taxesIncluded: () => false,
  // Shopify's page to pay what the order owes (an exchange's balance); none when it owes nothing.
  paymentCollectionDetails: (s, _a, ctx) => ({
    additionalPaymentCollectionUrl:
      orderTotals(s.rec).outstandingMinor > 0 ? commerce.invoicePageUrl(ctx.engine, s.rec) : null,
    vaultedPaymentMethods: [],
  }),
  netPaymentSet: (s) => moneyBag(orderTotals(s.rec).receivedMinor - orderTotals(s.rec).refundedMinor, s.rec.currency),
  totalTipReceivedSet: (s) => moneyBag(0, s.rec.currency),
};

const ShippingLine: R = {
  id: (s) => gidFor("ShippingLine", s.rec.id),
  title: (s) => s.rec.title,
  code: (s) => s.rec.code,
  source: () => "shopify",
  custom: () => false,
  isRemoved: () => false,
  carrierIdentifier: () => null,
  originalPriceSet: (s) => moneyBag(s.rec.priceMinor, (s.order as Order).currency),
  discountedPriceSet: (s) => moneyBag(s.rec.priceMinor - s.rec.discountMinor, (s.order as Order).currency),
  currentDiscountedPriceSet: (s) =>
    moneyBag(orderTotals(s.order as Order).currentShippingMinor, (s.order as Order).currency),
};

const LineItem: R = {
  id: (s) => gidFor("LineItem", s.rec.id),
  name: (s) => (s.rec.variantTitle ? `${s.rec.title} - ${s.rec.variantTitle}` : s.rec.title),
  title: (s) => s.rec.title,
  variantTitle: (s) => s.rec.variantTitle,
  sku: (s) => s.rec.sku,
  vendor: (s) => s.rec.vendor,
  quantity: (s) => s.rec.quantity,
  currentQuantity: (s) => s.rec.quantity - refundedQuantity(s.order as Order, s.rec.id),
  refundableQuantity: (s) => s.rec.quantity - refundedQuantity(s.order as Order, s.rec.id),
  fulfillableQuantity: (s) => fulfillableQuantity(s.order as Order, s.rec),
  unfulfilledQuantity: (s) => fulfillableQuantity(s.order as Order, s.rec),
  nonFulfillableQuantity: (s) =>
    s.rec.quantity - fulfillableQuantity(s.order as Order, s.rec) - fulfilledQuantity(s.order as Order, s.rec.id),
  fulfillmentStatus: (s) => lineFulfillmentStatus(s.order as Order, s.rec) ?? "unfulfilled",
  requiresShipping: (s) => s.rec.requiresShipping,
  taxable: (s) => s.rec.taxable,
  isGiftCard: () => false,
  restockable: () => true,
  canRestock: () => true,
  merchantEditable: () => false,
  customAttributes: () => [],
  originalUnitPriceSet: (s) => moneyBag(s.rec.priceMinor, (s.order as Order).currency),
  discountedUnitPriceSet: (s) =>
    moneyBag(
      Math.round((s.rec.priceMinor * s.rec.quantity - s.rec.discountMinor) / s.rec.quantity),
      (s.order as Order).currency,
    ),
  discountedUnitPriceAfterAllDiscountsSet: (s) =>
    moneyBag(
      Math.round((s.rec.priceMinor * s.rec.quantity - s.rec.discountMinor) / s.rec.quantity),
      (s.order as Order).currency,
    ),
  originalTotalSet: (s) => moneyBag(s.rec.priceMinor * s.rec.quantity, (s.order as Order).currency),
  discountedTotalSet: (s) =>
    moneyBag(s.rec.priceMinor * s.rec.quantity - s.rec.discountMinor, (s.order as Order).currency),
  totalDiscountSet: (s) => moneyBag(s.rec.discountMinor, (s.order as Order).currency),
  taxLines: (s) =>
    s.rec.taxMinor
      ? [
          {
            title: "Tax",
            rate: (s.order as Order).taxRate,
            ratePercentage: (s.order as Order).taxRate * 100,
            priceSet: moneyBag(s.rec.taxMinor, (s.order as Order).currency),
            channelLiable: false,
          },
        ]
      : [],
  product: (s, _a, ctx) => {
    const p = ctx.shop.products.find((x) => x.id === s.rec.productId);
    return p ? view("Product", p) : null;
  },
  variant: (s, _a, ctx) => {
    const found = ctx.engine.state.variant(ctx.shop, s.rec.variantId);
    return found ? view("ProductVariant", found) : null;
  },
  image: (s, _a, ctx) => {
    const found = ctx.engine.state.variant(ctx.shop, s.rec.variantId);
    if (!found) return null;
    const img = found.product.images.find((i) => i.id === found.variant.imageId) ?? featuredImage(found.product);
    return imageValue(img);
  },
};

const Fulfillment: R = {
  id: (s) => gidFor("Fulfillment", s.rec.id),
  legacyResourceId: (s) => String(s.rec.id),
  name: (s) => s.rec.name,
  status: (s) => s.rec.status.toUpperCase(),
  displayStatus: (s) => fulfillmentDisplayStatus(s.rec),
  createdAt: (s) => s.rec.createdAt,
  updatedAt: (s) => s.rec.updatedAt,
  deliveredAt: (s) => s.rec.deliveredAt,
  inTransitAt: (s) => s.rec.inTransitAt,
  estimatedDeliveryAt: (s) => s.rec.estimatedDeliveryAt,
  requiresShipping: () => true,
  totalQuantity: (s) => sum(s.rec.lineItems.map((l: FulfillmentLine) => l.quantity)),
  order: (s) => view("Order", s.order as Order),
  trackingInfo: (s, args) => {
    const list = s.rec.trackingNumbers.map((n: string, i: number) => ({
      company: s.rec.trackingCompany,
      number: n,
      url: s.rec.trackingUrls[i] ?? null,
    }));
    if (list.length === 0 && s.rec.trackingCompany)
      list.push({ company: s.rec.trackingCompany, number: null, url: null });
    return args.first == null ? list : list.slice(0, args.first);
  },
  events: (s, args) => {
    const sorted = [...s.rec.events].sort((a, b) =>
      args.sortKey === "ID" ? a.id - b.id : Date.parse(a.happenedAt) - Date.parse(b.happenedAt) || a.id - b.id,
    );
    return connection(
      sorted,
      args,
      (e) => view("FulfillmentEvent", e, s.order),
      (e: Any) => e.id,
    );
  },
  fulfillmentLineItems: (s, args) =>
    connection(
      s.rec.lineItems,
      args,
      (l) => view("FulfillmentLineItem", l, s.order),
      (l: Any) => l.id,
    ),
  fulfillmentOrders: (s, args) => {
    const ids = new Set(s.rec.lineItems.map((l: FulfillmentLine) => l.fulfillmentOrderLineId));
    const fos = (s.order as Order).fulfillmentOrders.filter((fo) => fo.lineItems.some((l) => ids.has(l.id)));
    return connection(
      fos,
      args,
      (f) => view("FulfillmentOrder", f, s.order),
      (f: Any) => f.id,
    );
  },
};

const FulfillmentLineItem: R = {
  id: (s) => gidFor("FulfillmentLineItem", s.rec.id),
  quantity: (s) => s.rec.quantity,
  lineItem: (s) => view("LineItem", lineItemOf(s.order as Order, s.rec.lineItemId), s.order),
  originalTotalSet: (s) =>
    moneyBag(lineItemOf(s.order as Order, s.rec.lineItemId).priceMinor * s.rec.quantity, (s.order as Order).currency),
  discountedTotalSet: (s) => {
    const li = lineItemOf(s.order as Order, s.rec.lineItemId);
    return moneyBag(
      Math.round(((li.priceMinor * li.quantity - li.discountMinor) * s.rec.quantity) / li.quantity),
      (s.order as Order).currency,
    );
  },
};

const FulfillmentEvent: R = {
  id: (s) => gidFor("FulfillmentEvent", s.rec.id),
  status: (s) => s.rec.status.toUpperCase(),
  message: (s) => s.rec.message,
  happenedAt: (s) => s.rec.happenedAt,
  createdAt: (s) => s.rec.createdAt,
  estimatedDeliveryAt: (s) => s.rec.estimatedDeliveryAt,
  city: (s) => s.rec.city,
  province: (s) => s.rec.province,
  country: (s) => s.rec.country,
  zip: (s) => s.rec.zip,
  address1: (s) => s.rec.address1,
  latitude: () => null,
  longitude: () => null,
};

const FulfillmentOrder: R = {
  id: (s) => gidFor("FulfillmentOrder", s.rec.id),
  status: (s) => s.rec.status,
  requestStatus: () => "UNSUBMITTED",
  createdAt: (s) => s.rec.createdAt,
  updatedAt: (s) => s.rec.updatedAt,
  orderId: (s) => gidFor("Order", (s.order as Order).id),
  orderName: (s) => (s.order as Order).name,
  orderProcessedAt: (s) => (s.order as Order).processedAt,
  order: (s) => view("Order", s.order as Order),
  fulfillmentHolds: () => [],
  supportedActions: (s) =>
    s.rec.status === "OPEN" || s.rec.status === "IN_PROGRESS"
      ? [{ action: "CREATE_FULFILLMENT", externalUrl: null }]
      : [],
  lineItems: (s, args) =>
    connection(
      s.rec.lineItems,
      args,
      (l) => view("FulfillmentOrderLineItem", l, s.order),
      (l: Any) => l.id,
    ),
  fulfillments: (s, args) => {
    const ids = new Set(s.rec.lineItems.map((l: Any) => l.id));
    const list = (s.order as Order).fulfillments.filter((f) =>
      f.lineItems.some((l) => ids.has(l.fulfillmentOrderLineId)),
    );
    return connection(
      list,
      args,
      (f) => view("Fulfillment", f, s.order),
      (f: Any) => f.id,
    );
  },
};

const FulfillmentOrderLineItem: R = {
  id: (s) => gidFor("FulfillmentOrderLineItem", s.rec.id),
  totalQuantity: (s) => s.rec.totalQuantity,
  remainingQuantity: (s) => s.rec.remainingQuantity,
  lineItem: (s) => view("LineItem", lineItemOf(s.order as Order, s.rec.lineItemId), s.order),
  sku: (s) => lineItemOf(s.order as Order, s.rec.lineItemId).sku,
  productTitle: (s) => lineItemOf(s.order as Order, s.rec.lineItemId).title,
  variantTitle: (s) => lineItemOf(s.order as Order, s.rec.lineItemId).variantTitle,
  vendor: (s) => lineItemOf(s.order as Order, s.rec.lineItemId).vendor,
  requiresShipping: (s) => lineItemOf(s.order as Order, s.rec.lineItemId).requiresShipping,
  originalUnitPriceSet: (s) =>
    moneyBag(lineItemOf(s.order as Order, s.rec.lineItemId).priceMinor, (s.order as Order).currency),
  warnings: () => [],
  variant: (s, _a, ctx) => {
    const found = ctx.engine.state.variant(ctx.shop, lineItemOf(s.order as Order, s.rec.lineItemId).variantId);
    return found ? view("ProductVariant", found) : null;
  },
};

const Refund: R = {
  id: (s) => gidFor("Refund", s.rec.id),
  legacyResourceId: (s) => String(s.rec.id),
  note: (s) => s.rec.note,
  createdAt: (s) => s.rec.createdAt,
  updatedAt: (s) => s.rec.processedAt,
  processedAt: (s) => s.rec.processedAt,
  order: (s) => view("Order", s.order as Order),
  return: (s) => {
    const r = (s.order as Order).returns.find((x) => x.id === s.rec.returnId);
    return r ? view("Return", r, s.order) : null;
  },
  totalRefundedSet: (s) => moneyBag(refundTotal(s.order as Order, s.rec), (s.order as Order).currency),
  totalRefunded: (s) => moneyV2(refundTotal(s.order as Order, s.rec), (s.order as Order).currency),
  refundLineItems: (s, args) =>
    connection(
      s.rec.lines,
      args,
      (l) => view("RefundLineItem", l, s.order),
      (l: Any) => l.id,
    ),
  transactions: (s, args) => {
    const list = s.rec.transactionIds.map((id: number) => (s.order as Order).transactions.find((t) => t.id === id)!);
    return connection(
      list,
      args,
      (t) => view("OrderTransaction", t, s.order),
      (t: Any) => t.id,
    );
  },
};

function refundTotal(order: Order, r: Refund): number {
  return (
    sum(r.transactionIds.map((id) => order.transactions.find((t) => t.id === id)?.amountMinor ?? 0)) +
    r.storeCreditMinor
  );
}

const RefundLineItem: R = {
  id: (s) => gidFor("RefundLineItem", s.rec.id),
  quantity: (s) => s.rec.quantity,
  restockType: (s) => s.rec.restockType.toUpperCase(),
  restocked: (s) => s.rec.restockType !== "no_restock",
  lineItem: (s) => view("LineItem", lineItemOf(s.order as Order, s.rec.lineItemId), s.order),
  priceSet: (s) => moneyBag(lineItemOf(s.order as Order, s.rec.lineItemId).priceMinor, (s.order as Order).currency),
  subtotalSet: (s) => moneyBag(s.rec.subtotalMinor, (s.order as Order).currency),
  totalTaxSet: (s) => moneyBag(s.rec.taxMinor, (s.order as Order).currency),
};

const OrderTransaction: R = {
  id: (s) => gidFor("OrderTransaction", s.rec.id),
  kind: (s) => s.rec.kind.toUpperCase(),
  status: (s) => s.rec.status.toUpperCase(),
  gateway: (s) => s.rec.gateway,
  formattedGateway: (s) => s.rec.gateway,
  test: () => false,
  manualPaymentGateway: (s) => s.rec.gateway === "manual",
  createdAt: (s) => s.rec.createdAt,
  processedAt: (s) => s.rec.createdAt,
  amountSet: (s) => moneyBag(s.rec.amountMinor, (s.order as Order).currency),
  amountV2: (s) => moneyV2(s.rec.amountMinor, (s.order as Order).currency),
  order: (s) => view("Order", s.order as Order),
  parentTransaction: (s) => {
    const p = (s.order as Order).transactions.find((t) => t.id === s.rec.parentId);
    return p ? view("OrderTransaction", p, s.order) : null;
  },
};

const Return: R = {
  id: (s) => gidFor("Return", s.rec.id),
  name: (s) => s.rec.name,
  status: (s) => s.rec.status.toUpperCase(),
  createdAt: (s) => s.rec.createdAt,
  closedAt: (s) => s.rec.closedAt,
  requestApprovedAt: (s) => s.rec.requestApprovedAt,
  decline: (s) => (s.rec.decline ? { reason: s.rec.decline.reason, note: s.rec.decline.note } : null),
  order: (s) => view("Order", s.order as Order),
  totalQuantity: (s) => sum(s.rec.lines.map((l: Any) => l.quantity)),
  returnShippingFees: () => [],
  returnLineItems: (s, args) =>
    connection(
      s.rec.lines,
      args,
      (l) => view("ReturnLineItem", l, s.order),
      (l: Any) => l.id,
    ),
  reverseFulfillmentOrders: (s, args) =>
    connection(
      s.rec.reverseFulfillmentOrders,
      args,
      (r) => view("ReverseFulfillmentOrder", r, s.order),
      (r: Any) => r.id,
    ),
  refunds: (s, args) =>
    connection(
      (s.order as Order).refunds.filter((r) => r.returnId === s.rec.id),
      args,
      (r) => view("Refund", r, s.order),
      (r: Any) => r.id,
    ),
  exchangeLineItems: (s, args) => {
    const lines = (s.rec.exchangeLines ?? []).filter((l: ExchangeLine) =>
      args.processingStatus === "PROCESSABLE"
        ? l.quantity > l.processedQuantity
        : args.processingStatus === "PROCESSED"
          ? l.processedQuantity > 0
          : true,
    );
    return connection(
      lines,
      args,
      (l) => view("ExchangeLineItem", l, s.order),
      (l: ExchangeLine) => l.id,
    );
  },
};

const ExchangeLineItem: R = {
  id: (s) => gidFor("ExchangeLineItem", s.rec.id),
  quantity: (s) => s.rec.quantity,
  processedQuantity: (s) => s.rec.processedQuantity,
  processableQuantity: (s) => s.rec.quantity - s.rec.processedQuantity,
  unprocessedQuantity: (s) => s.rec.quantity - s.rec.processedQuantity,
  variantId: (s) => gidFor("ProductVariant", s.rec.variantId),
  // Null until processed: the order's line items for the exchange exist only from then on.
  lineItems: (s) =>
    s.rec.lineItemIds.length
      ? s.rec.lineItemIds.map((id: number) => view("LineItem", lineItemOf(s.order as Order, id), s.order))
      : null,
  lineItem: (s) =>
    s.rec.lineItemIds.length ? view("LineItem", lineItemOf(s.order as Order, s.rec.lineItemIds[0]), s.order) : null,
};

const ReturnLineItem: R = {
  id: (s) => gidFor("ReturnLineItem", s.rec.id),
  quantity: (s) => s.rec.quantity,
  processedQuantity: (s) => s.rec.processedQuantity,
  unprocessedQuantity: (s) => s.rec.quantity - s.rec.processedQuantity,
  processableQuantity: (s) => s.rec.quantity - s.rec.processedQuantity,
  refundedQuantity: (s) => s.rec.refundedQuantity,
  refundableQuantity: (s) => s.rec.quantity - s.rec.refundedQuantity,
  returnReason: (s) => s.rec.returnReason,
  returnReasonDefinition: (s) => {
    const d = reasonDefinition(s.rec.returnReasonDefinitionId) ?? definitionForLegacy(s.rec.returnReason);
    return d ? reasonDefinitionValue(d) : null;
  },
  returnReasonNote: (s) => s.rec.returnReasonNote,
  customerNote: (s) => s.rec.customerNote,
  fulfillmentLineItem: (s) =>
    view("FulfillmentLineItem", fulfillmentLineById(s.order as Order, s.rec.fulfillmentLineItemId), s.order),
  withCodeDiscountedTotalPriceSet: (s) => {
    const li = lineItemOf(s.order as Order, s.rec.lineItemId);
    return moneyBag(
      Math.round(((li.priceMinor * li.quantity - li.discountMinor) * s.rec.quantity) / li.quantity),
      (s.order as Order).currency,
    );
  },
};

const ReverseFulfillmentOrder: R = {
  id: (s) => gidFor("ReverseFulfillmentOrder", s.rec.id),
  status: (s) => s.rec.status,
  order: (s) => view("Order", s.order as Order),
  lineItems: (s, args) =>
    connection(
      s.rec.lineItems,
      args,
      (l) => view("ReverseFulfillmentOrderLineItem", l, s.order),
      (l: Any) => l.id,
    ),
};

const ReverseFulfillmentOrderLineItem: R = {
  id: (s) => gidFor("ReverseFulfillmentOrderLineItem", s.rec.id),
  totalQuantity: (s) => s.rec.totalQuantity,
  fulfillmentLineItem: (s) =>
    view("FulfillmentLineItem", fulfillmentLineById(s.order as Order, s.rec.fulfillmentLineItemId), s.order),
  dispositions: (s) =>
    s.rec.dispositions.map((d: Any) => ({
      id: gidFor("ReverseFulfillmentOrderDisposition", d.id),
      type: d.type,
      quantity: d.quantity,
      createdAt: d.createdAt,
      location: d.locationId ? { id: gidFor("Location", d.locationId) } : null,
    })),
};

const ReturnableFulfillment: R = {
  id: (s) => gidFor("ReturnableFulfillment", s.rec.id),
  fulfillment: (s) => view("Fulfillment", s.rec, s.order),
  returnableFulfillmentLineItems: (s, args) => {
    const lines = s.rec.lineItems.filter((l: FulfillmentLine) => returnableQuantity(s.order as Order, l) > 0);
    return connection(
      lines,
      args,
      (l: FulfillmentLine) => ({
        quantity: returnableQuantity(s.order as Order, l),
        fulfillmentLineItem: view("FulfillmentLineItem", l, s.order),
      }),
      (l: FulfillmentLine) => l.id,
    );
  },
};

const Customer: R = {
  id: (s) => gidFor("Customer", s.rec.id),
  legacyResourceId: (s) => String(s.rec.id),
  email: (s) => s.rec.email,
  firstName: (s) => s.rec.firstName,
  lastName: (s) => s.rec.lastName,
  displayName: (s) => `${s.rec.firstName} ${s.rec.lastName}`.trim() || s.rec.email,
  phone: (s) => s.rec.phone,
  locale: (s) => s.rec.locale,
  state: (s) => s.rec.state,
  note: (s) => s.rec.note,
  tags: (s) => s.rec.tags,
  metafield: (s, { namespace, key }) => {
    const m = customerMetafield(s.rec, namespace ?? "$app", key);
    return m
      ? { id: gidFor("Metafield", m.id), namespace: m.namespace, key: m.key, type: m.type, value: m.value }
      : null;
  },
  createdAt: (s) => s.rec.createdAt,
  updatedAt: (s) => s.rec.updatedAt,
  verifiedEmail: () => true,
  validEmailAddress: () => true,
  taxExempt: () => false,
  canDelete: (s, _a, ctx) => !ctx.shop.orders.some((o) => o.customerId === s.rec.id),
  defaultAddress: (s) => mailingAddress(s.rec.defaultAddress, s.rec.addressId),
  addresses: (s) => [mailingAddress(s.rec.defaultAddress, s.rec.addressId)],
  defaultPhoneNumber: (s) =>
    s.rec.phone
      ? {
          phoneNumber: s.rec.phone,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
        }
      : null,
  defaultEmailAddress: (s) => ({
    emailAddress: s.rec.email,
    marketingState: s.rec.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
    marketingOptInLevel: "SINGLE_OPT_IN",
    marketingUpdatedAt: s.rec.updatedAt,
  }),
  emailMarketingConsent: (s) => ({
    marketingState: s.rec.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
    marketingOptInLevel: "SINGLE_OPT_IN",
    consentUpdatedAt: s.rec.updatedAt,
  }),
  numberOfOrders: (s, _a, ctx) => String(ctx.shop.orders.filter((o) => o.customerId === s.rec.id).length),
  amountSpent: (s, _a, ctx) =>
    moneyV2(
      sum(
        ctx.shop.orders
          .filter((o) => o.customerId === s.rec.id)
          .map((o) => orderTotals(o).receivedMinor - orderTotals(o).refundedMinor),
      ),
      ctx.shop.currency,
    ),
  orders: (s, args, ctx) => listOrders(ctx, args, (o) => o.customerId === s.rec.id),
  lastOrder: (s, _a, ctx) => {
    const o = ctx.shop.orders.filter((x) => x.customerId === s.rec.id).at(-1);
    return o ? view("Order", o) : null;
  },
  storeCreditAccounts: (s, args) =>
    connection(
      s.rec.storeCreditAccounts,
      args,
      (a) => view("StoreCreditAccount", a),
      (a: Any) => a.id,
    ),
};

const StoreCreditAccount: R = {
  id: (s) => gidFor("StoreCreditAccount", s.rec.id),
  balance: (s) => moneyV2(storeCreditBalance(s.rec), s.rec.currency),
  owner: (s, _a, ctx) => view("Customer", ownerOfAccount(ctx, s.rec)),
  transactions: (s, args) =>
    connection(
      s.rec.transactions,
      args,
      (t: Any) => ({
        ...view(t.kind === "credit" ? "StoreCreditAccountCreditTransaction" : "StoreCreditAccountDebitTransaction", t),
        account: s.rec,
      }),
      (t: Any) => t.id,
    ),
};

const creditTransaction: R = {
  id: (s) => gidFor(s.__typename, s.rec.id),
  amount: (s) => moneyV2(s.rec.kind === "debit" ? -s.rec.amountMinor : s.rec.amountMinor, s.account.currency),
  balanceAfterTransaction: (s) => moneyV2(s.rec.balanceAfterMinor, s.account.currency),
  createdAt: (s) => s.rec.createdAt,
  expiresAt: (s) => s.rec.expiresAt,
  event: (s) => s.rec.event,
  origin: () => null,
  account: (s) => view("StoreCreditAccount", s.account),
};

const Product: R = {
  id: (s) => gidFor("Product", s.rec.id),
  legacyResourceId: (s) => String(s.rec.id),
  title: (s) => s.rec.title,
  handle: (s) => s.rec.handle,
  vendor: (s) => s.rec.vendor,
  productType: (s) => s.rec.productType,
  status: (s) => s.rec.status,
  tags: (s) => s.rec.tags,
  descriptionHtml: (s) => s.rec.descriptionHtml,
  description: (s, args) => {
    const text = stripTags(s.rec.descriptionHtml);
    return args.truncateAt ? text.slice(0, args.truncateAt) : text;
  },
  createdAt: (s) => s.rec.createdAt,
  updatedAt: (s) => s.rec.updatedAt,
  isGiftCard: () => false,
  tracksInventory: () => true,
  hasOnlyDefaultVariant: (s) => s.rec.variants.length === 1 && s.rec.variants[0].title === "Default Title",
  hasOutOfStockVariants: (s) => s.rec.variants.some((v: Any) => v.inventoryQuantity <= 0),
  totalInventory: (s) => sum(s.rec.variants.map((v: Any) => v.inventoryQuantity)),
  totalVariants: (s) => s.rec.variants.length,
  variantsCount: (s) => count(s.rec.variants.length),
  mediaCount: (s) => count(s.rec.images.length),
  onlineStoreUrl: (s, _a, ctx) =>
    s.rec.status === "ACTIVE" ? `https://${ctx.shop.domain}/products/${s.rec.handle}` : null,
  featuredImage: (s) => imageValue(featuredImage(s.rec)),
  featuredMedia: (s) => (s.rec.images[0] ? mediaValue(s.rec.images[0]) : null),
  images: (s, args) => connection(s.rec.images, args, imageValue, (i: Any) => i.id),
  media: (s, args) => connection(s.rec.images, args, mediaValue, (i: Any) => i.id),
  variants: (s, args) =>
    connection(
      s.rec.variants,
      args,
      (v) => view("ProductVariant", { product: s.rec, variant: v }),
      (v: Any) => v.id,
    ),
  priceRangeV2: (s, _a, ctx) => {
    const prices = s.rec.variants.map((v: Any) => v.priceMinor);
    return {
      minVariantPrice: moneyV2(Math.min(...prices), ctx.shop.currency),
      maxVariantPrice: moneyV2(Math.max(...prices), ctx.shop.currency),
    };
  },
  collections: (s, args, ctx) =>
    connection(
      ctx.shop.collections.filter((c) => c.productIds.includes(s.rec.id)),
      args,
      (c) => view("Collection", c),
      (c: Any) => c.id,
    ),
  inCollection: (s, args, ctx) =>
    Boolean(ctx.engine.state.collection(ctx.shop, args.id)?.productIds.includes(s.rec.id)),
};

const ProductVariant: R = {
  id: (s) => gidFor("ProductVariant", s.rec.variant.id),
  legacyResourceId: (s) => String(s.rec.variant.id),
  title: (s) => s.rec.variant.title,
  displayName: (s) => `${s.rec.product.title} - ${s.rec.variant.title}`,
  sku: (s) => s.rec.variant.sku,
  price: (s, _a, ctx) => decimal(s.rec.variant.priceMinor, ctx.shop.currency),
  compareAtPrice: (s, _a, ctx) =>
    s.rec.variant.compareAtPriceMinor === null ? null : decimal(s.rec.variant.compareAtPriceMinor, ctx.shop.currency),
  inventoryQuantity: (s) => s.rec.variant.inventoryQuantity,
  availableForSale: (s) => s.rec.variant.inventoryQuantity > 0 && s.rec.product.status === "ACTIVE",
  taxable: (s) => s.rec.variant.taxable,
  position: (s) => s.rec.product.variants.indexOf(s.rec.variant) + 1,
  createdAt: (s) => s.rec.product.createdAt,
  updatedAt: (s) => s.rec.product.updatedAt,
  selectedOptions: (s) => [{ name: "Title", value: s.rec.variant.title }],
  product: (s) => view("Product", s.rec.product),
  image: (s) => imageValue(s.rec.product.images.find((i: ProductImage) => i.id === s.rec.variant.imageId) ?? null),
};

const Collection: R = {
  id: (s) => gidFor("Collection", s.rec.id),
  legacyResourceId: (s) => String(s.rec.id),
  title: (s) => s.rec.title,
  handle: (s) => s.rec.handle,
  descriptionHtml: (s) => s.rec.descriptionHtml,
  description: (s) => stripTags(s.rec.descriptionHtml),
  updatedAt: (s) => s.rec.updatedAt,
  sortOrder: () => "MANUAL",
  image: (s) =>
    s.rec.imageUrl
      ? {
          id: gidFor("CollectionImage", s.rec.id),
          url: s.rec.imageUrl,
          src: s.rec.imageUrl,
          originalSrc: s.rec.imageUrl,
          transformedSrc: s.rec.imageUrl,
          altText: s.rec.title,
          width: null,
          height: null,
        }
      : null,
  productsCount: (s) => count(s.rec.productIds.length),
  hasProduct: (s, args) => s.rec.productIds.includes(parseId(args.id, "Product")),
  products: (s, args, ctx) => {
    const products = s.rec.productIds.map((id: number) => ctx.shop.products.find((p) => p.id === id)!).filter(Boolean);
    return connection(
      products,
      args,
      (p) => view("Product", p),
      (p: Any) => p.id,
    );
  },
};

function discountFields(kind: "basic" | "free_shipping"): R {
  const common: R = {
    title: (s) => s.rec.title,
    status: (s, _a, ctx) => discountStatus(s.rec, ctx.engine.state.now()),
    startsAt: (s) => s.rec.startsAt,
    endsAt: (s) => s.rec.endsAt,
    createdAt: (s) => s.rec.createdAt,
    updatedAt: (s) => s.rec.updatedAt,
    usageLimit: (s) => s.rec.usageLimit,
    appliesOncePerCustomer: (s) => s.rec.appliesOncePerCustomer,
    asyncUsageCount: (s) => s.rec.usageCount,
    hasTimelineComment: () => false,
    tags: () => [],
    appliesOnOneTimePurchase: () => true,
    appliesOnSubscription: () => false,
    recurringCycleLimit: () => null,
    minimumRequirement: () => null,
    codesCount: () => count(1),
    codes: (s, args) =>
      connection(
        [s.rec],
        args,
        (d: Discount) => ({
          id: gidFor("DiscountRedeemCode", d.redeemCodeId),
          code: d.code,
          asyncUsageCount: d.usageCount,
        }),
        (d: Discount) => d.redeemCodeId,
      ),
    combinesWith: () => ({
      orderDiscounts: false,
      productDiscounts: false,
      shippingDiscounts: false,
      productDiscountsWithTagsOnSameCartLine: null,
    }),
    customerSelection: (s, _a, ctx) =>
      customersOf(ctx, s.rec) ?? { __typename: "DiscountCustomerAll", allCustomers: true },
    context: (s, _a, ctx) => customersOf(ctx, s.rec) ?? { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
    summary: (s, _a, ctx) => summaryOf(s.rec, ctx.shop),
    shortSummary: (s, _a, ctx) => summaryOf(s.rec, ctx.shop),
  };
  if (kind === "free_shipping") {
    return { ...common, discountClass: () => "SHIPPING", discountClasses: () => ["SHIPPING"] };
  }
  return {
    ...common,
    discountClass: () => "ORDER",
    discountClasses: () => ["ORDER"],
    customerGets: (s, _a, ctx) => ({
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      items: { __typename: "AllDiscountItems", allItems: true },
      value:
        s.rec.percentage === null
          ? {
              __typename: "DiscountAmount",
              amount: moneyV2(s.rec.amountMinor, ctx.shop.currency),
              appliesOnEachItem: s.rec.appliesOnEachItem,
            }
          : { __typename: "DiscountPercentage", percentage: s.rec.percentage },
    }),
  };
}

function customersOf(ctx: GraphqlContext, d: Discount) {
  if (!d.customerIds) return null;
  return {
    __typename: "DiscountCustomers",
    customers: d.customerIds.map((id) =>
      view(
        "Customer",
        ctx.shop.customers.find((c) => c.id === id)!,
      ),
    ),
  };
}

function summaryOf(d: Discount, shop: Shop): string {
  if (d.kind === "free_shipping") return "Free shipping on all products";
  if (d.percentage !== null) return `${Math.round(d.percentage * 100)}% off entire order`;
  return `${decimal(d.amountMinor ?? 0, shop.currency)} ${shop.currency} off entire order`;
}

const DiscountCodeNode: R = {
  id: (s) => gidFor("DiscountCodeNode", s.rec.id),
  codeDiscount: (s) => view(s.rec.kind === "basic" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping", s.rec),
};

const DiscountNode: R = {
  id: (s) => gidFor("DiscountNode", s.rec.id),
  discount: (s) => view(s.rec.kind === "basic" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping", s.rec),
};

const ShopType: R = {
  id: (s) => gidFor("Shop", s.rec.id),
  name: (s) => s.rec.name,
  email: (s) => s.rec.email,
  contactEmail: (s) => s.rec.email,
  myshopifyDomain: (s) => s.rec.domain,
  url: (s) => `https://${s.rec.domain}`,
  currencyCode: (s) => s.rec.currency,
  enabledPresentmentCurrencies: (s) => [s.rec.currency],
  ianaTimezone: (s) => s.rec.timezone,
  createdAt: (s) => s.rec.createdAt,
  updatedAt: (s) => s.rec.createdAt,
  taxesIncluded: () => false,
  taxShipping: () => false,
  orderNumberFormatPrefix: () => "#",
  orderNumberFormatSuffix: () => "",
  weightUnit: () => "KILOGRAMS",
  unitSystem: () => "METRIC_SYSTEM",
  setupRequired: () => false,
  checkoutApiSupported: () => true,
  transactionalSmsDisabled: () => false,
  marketingSmsConsentEnabledAtCheckout: () => false,
  timezoneOffsetMinutes: (s) => tzOffsetMinutes(s.rec.timezone, new Date()),
  timezoneOffset: (s) => {
    const m = tzOffsetMinutes(s.rec.timezone, new Date());
    const a = Math.abs(m);
    return `${m < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}${String(a % 60).padStart(2, "0")}`;
  },
  timezoneAbbreviation: (s) =>
    new Intl.DateTimeFormat("en-US", { timeZone: s.rec.timezone, timeZoneName: "short" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName")?.value ?? "UTC",
  shopOwnerName: (s) => {
    const owner = s.rec.staff.find((u: Any) => u.accountOwner) ?? s.rec.staff[0];
    return owner ? `${owner.firstName} ${owner.lastName}` : s.rec.name;
  },
  primaryDomain: (s) => ({
    id: gidFor("Domain", s.rec.id),
    host: s.rec.domain,
    url: `https://${s.rec.domain}`,
    sslEnabled: true,
  }),
  orders: (_s, args, ctx) => listOrders(ctx, args),
  products: (_s, args, ctx) => listProducts(ctx, args),
  customers: (_s, args, ctx) => listCustomers(ctx, args),
  collections: (_s, args, ctx) => listCollections(ctx, args),
};

function tzOffsetMinutes(timeZone: string, at: Date): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

// Root lists.

function listOrders(ctx: GraphqlContext, args: Any, filter: (o: Order) => boolean = () => true) {
  const terms = parseSearch(args.query);
  // Shopify filters orders on many more keys than the sandbox knows; answering as if one it does
  // not implement matched everything would hide a wrong reconciliation or import, so it fails.
  const unknown = terms.find((t) => t.key !== null && !(t.key in ORDER_FIELDS));
  if (unknown) throw new NotImplementedError(`orders(query:) filter ${unknown.key}`);
  const found = ctx.shop.orders.filter(
    (o) => filter(o) && matches(o, terms, ORDER_FIELDS, (x) => [x.name, x.email ?? ""]),
  );
  const sorted = sortBy(found, args.sortKey, {
    ID: (o) => o.id,
    CREATED_AT: (o) => o.createdAt,
    UPDATED_AT: (o) => o.updatedAt,
    PROCESSED_AT: (o) => o.processedAt,
    ORDER_NUMBER: (o) => o.number,
    TOTAL_PRICE: (o) => orderTotals(o).totalMinor,
    CURRENT_TOTAL_PRICE: (o) => orderTotals(o).currentTotalMinor,
  });
  return connection(
    sorted,
    args,
    (o) => view("Order", o),
    (o) => o.id,
  );
}

function listProducts(ctx: GraphqlContext, args: Any) {
  const terms = parseSearch(args.query);
  const found = ctx.shop.products.filter((p) => matches(p, terms, PRODUCT_FIELDS, (x) => [x.title, ...x.tags]));
  const sorted = sortBy(found, args.sortKey, {
    ID: (p) => p.id,
    TITLE: (p) => p.title.toLowerCase(),
    CREATED_AT: (p) => p.createdAt,
    UPDATED_AT: (p) => p.updatedAt,
    VENDOR: (p) => p.vendor,
    PRODUCT_TYPE: (p) => p.productType,
  });
  return connection(
    sorted,
    args,
    (p) => view("Product", p),
    (p) => p.id,
  );
}

function listCustomers(ctx: GraphqlContext, args: Any) {
  const terms = parseSearch(args.query);
  const found = ctx.shop.customers.filter((c) =>
    matches(c, terms, CUSTOMER_FIELDS, (x) => [x.email, x.firstName, x.lastName]),
  );
  const sorted = sortBy(found, args.sortKey, {
    ID: (c) => c.id,
    NAME: (c) => `${c.firstName} ${c.lastName}`.toLowerCase(),
    CREATED_AT: (c) => c.createdAt,
    UPDATED_AT: (c) => c.updatedAt,
  });
  return connection(
    sorted,
    args,
    (c) => view("Customer", c),
    (c) => c.id,
  );
}

function listCollections(ctx: GraphqlContext, args: Any) {
  const terms = parseSearch(args.query);
  const found = ctx.shop.collections.filter((c) =>
    matches(
      c,
      terms,
      { id: (x) => x.id, title: (x) => x.title, handle: (x) => x.handle, updated_at: (x) => x.updatedAt },
      (x) => [x.title],
    ),
  );
  const sorted = sortBy(found, args.sortKey, {
    ID: (c: Collection) => c.id,
    TITLE: (c: Collection) => c.title.toLowerCase(),
    UPDATED_AT: (c: Collection) => c.updatedAt,
  });
  return connection(
    sorted,
    args,
    (c) => view("Collection", c),
    (c) => c.id,
  );
}

// Return reason definitions: one library for every shop (return-reasons.ts).

const reasonDefinitionValue = (d: ReturnReasonDefinition) => ({
  __typename: "ReturnReasonDefinition",
  id: gidFor("ReturnReasonDefinition", d.id),
  handle: d.handle,
  name: d.name,
  deleted: d.deleted,
});

const REASON_FIELDS: Fields<ReturnReasonDefinition> = {
  id: (d) => d.id,
  name: (d) => d.name,
  deleted: (d) => String(d.deleted),
};

function listReturnReasonDefinitions(args: Any) {
  const terms = parseSearch(args.query);
  // Shopify ignores filters it does not know; the sandbox says so instead of answering a wider list.
  const unknown = terms.find((t) => t.key !== null && !REASON_FIELDS[t.key]);
  if (unknown) throw new NotImplementedError(`returnReasonDefinitions(query:) filter ${unknown.key}`);
  const ids: (number | null)[] | null = args.ids
    ? args.ids.map((id: string) => parseId(id, "ReturnReasonDefinition"))
    : null;
  const found = RETURN_REASON_DEFINITIONS.filter(
    (d) =>
      (!ids || ids.includes(d.id)) &&
      (!args.handles || args.handles.includes(d.handle)) &&
      matches(d, terms, REASON_FIELDS, (x) => [x.name, x.handle]),
  );
  const sorted = sortBy(found, args.sortKey, {
    ID: (d) => d.id,
    HANDLE: (d) => d.handle,
    NAME: (d) => d.name.toLowerCase(),
  });
  return connection(sorted, args, reasonDefinitionValue, (d) => d.id);
}

// Mutations: GraphQL input -> commerce operation -> payload with userErrors.

function money(
  input: { amount: string; currencyCode: string } | null | undefined,
  currency: string,
  field: string[],
): number | UserError {
  if (!input) return 0;
  if (input.currencyCode.toUpperCase() !== currency)
    return {
      field,
      message: `Currency ${input.currencyCode} does not match the order currency ${currency}`,
      code: "INVALID",
    };
  try {
    return toMinor(String(input.amount), currency);
  } catch {
    return { field, message: `${String(input.amount)} is not an amount`, code: "INVALID" };
  }
}

function payload<T>(
  result: commerce.Result<T>,
  build: (value: T) => Record<string, unknown>,
  empty: Record<string, unknown>,
  keepCode = true,
) {
  if (result.ok) return { ...build(result.value), userErrors: [] };
  const errors = result.userErrors.map((e) => (keepCode ? e : { field: e.field, message: e.message }));
  return { ...empty, userErrors: errors };
}

const discountInput = (input: Any, kind: "basic" | "free_shipping"): commerce.DiscountInput => {
  const value = input.customerGets?.value ?? {};
  const customers = input.context?.customers?.add ?? input.customerSelection?.customers?.add ?? null;
  return {
    kind,
    code: input.code,
    title: input.title,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    usageLimit: input.usageLimit,
    appliesOncePerCustomer: input.appliesOncePerCustomer,
    percentage: value.percentage ?? null,
    amount: value.discountAmount?.amount ?? null,
    appliesOnEachItem: value.discountAmount?.appliesOnEachItem ?? false,
    customerIds: customers,
  };
};

const bulkPayload = (result: { operation: BulkOperation | null; userErrors: unknown[] }) => ({
  bulkOperation: result.operation ? view("BulkOperation", result.operation) : null,
  userErrors: result.userErrors,
});

/**
 * metafieldsSet for the app's own installation (app-data metafields) with the types the app
 * writes; any other owner or type is refused loudly (SANDBOX_NOT_IMPLEMENTED). Shopify checks the value against
 * its type and writes nothing when one input is wrong.
 */
function setAppMetafields(ctx: GraphqlContext, inputs: Any[]) {
  const owner = gidFor("AppInstallation", ctx.shop.id);
  const userErrors: { field: string[]; message: string; code: string }[] = [];
  inputs.forEach((m, i) => {
    if (m.ownerId !== owner) throw new NotImplementedError(`metafieldsSet for the owner ${m.ownerId}`);
    if (m.type !== "boolean" && m.type !== "single_line_text_field")
      throw new NotImplementedError(`metafieldsSet with the type ${m.type}`);
    if (!m.namespace || m.namespace.length < 3 || m.namespace.length > 255)
      userErrors.push({
        field: ["metafields", String(i), "namespace"],
        message: "Namespace is too short (minimum is 3 characters)",
        code: "TOO_SHORT",
      });
    if (!m.key || m.key.length < 2 || m.key.length > 64)
      userErrors.push({
        field: ["metafields", String(i), "key"],
        message: "Key is too short (minimum is 2 characters)",
        code: "TOO_SHORT",
      });
    if (m.type === "boolean" && m.value !== "true" && m.value !== "false")
      userErrors.push({
        field: ["metafields", String(i), "value"],
        message: "Value must be true or false.",
        code: "INVALID_VALUE",
      });
  });
  if (userErrors.length) return { metafields: null, userErrors };
  ctx.shop.appMetafields ??= [];
  const stored = ctx.shop.appMetafields;
  const written = inputs.map((m) => {
    let row = stored.find((x) => x.namespace === m.namespace && x.key === m.key);
    if (!row) {
      row = { id: ctx.engine.state.nextId(), namespace: m.namespace, key: m.key, type: m.type, value: "" };
      stored.push(row);
    }
    Object.assign(row, { type: m.type, value: m.value });
    return {
      id: gidFor("Metafield", row.id),
      namespace: row.namespace,
      key: row.key,
      type: row.type,
      value: row.value,
    };
  });
  return { metafields: written, userErrors: [] };
}

let appMetafieldDefinitions: MetafieldDefinition[] | null = null;

/** Customer metafields (customer-metafields.ts): mixed with other owners in one call is not modelled. */
function setCustomerMetafieldsIn(ctx: GraphqlContext, inputs: Any[]) {
  if (inputs.some((m) => !String(m.ownerId).startsWith("gid://shopify/Customer/")))
    throw new NotImplementedError("metafieldsSet for customers and other owners in one call");
  try {
    const result = setCustomerMetafields({
      inputs,
      customerOf: (ownerId) => ctx.engine.state.customer(ctx.shop, ownerId),
      definitions: (appMetafieldDefinitions ??= loadAppMetafieldDefinitions(appTomlPath())),
      nextId: () => ctx.engine.state.nextId(),
      now: ctx.engine.state.now().toISOString(),
    });
    return {
      metafields:
        result.metafields?.map((m) => ({
          id: gidFor("Metafield", m.id),
          namespace: m.namespace,
          key: m.key,
          type: m.type,
          value: m.value,
          ownerType: "CUSTOMER",
          updatedAt: m.updatedAt,
          createdAt: m.updatedAt,
        })) ?? null,
      userErrors: result.userErrors,
    };
  } catch (error) {
    if (error instanceof UnmodelledMetafield) throw new NotImplementedError(error.message);
    throw error;
  }
}

/** tagsAdd / tagsRemove: customers only here; Shopify emits customers/update when tags change. */
function changeTags(ctx: GraphqlContext, id: string, tags: string[], add: boolean) {
  if (!String(id).startsWith("gid://shopify/Customer/"))
    throw new NotImplementedError(`tags${add ? "Add" : "Remove"} on ${id}`);
  const customer = ctx.engine.state.customer(ctx.shop, id);
  if (!customer) return { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
  const before = customer.tags.join(",");
  const problem = changeCustomerTags(customer, tags, add);
  if (problem) return { node: null, userErrors: [{ field: ["tags"], message: problem }] };
  if (customer.tags.join(",") !== before) {
    customer.updatedAt = ctx.engine.state.stamp();
    commerce.emitTo(ctx.engine, ctx.shop, "customers/update", customerPayload(ctx.shop, customer));
  }
  return { node: view("Customer", customer), userErrors: [] };
}

function uploads(ctx: GraphqlContext) {
  if (!ctx.engine.uploads) throw new NotImplementedError("staged uploads without a storage");
  return ctx.engine.uploads;
}

/** A file made from a staged upload: UPLOADED with no image in fileCreate's answer, READY afterwards. */
function fileValue(ctx: GraphqlContext, file: StoredFile) {
  const url = uploads(ctx).imageUrl(file);
  const image = file.ready
    ? { id: gidFor("ImageSource", file.id), url, altText: file.alt, width: null, height: null }
    : null;
  return {
    __typename: "MediaImage",
    id: gidFor("MediaImage", file.id),
    alt: file.alt,
    createdAt: file.createdAt,
    updatedAt: file.createdAt,
    fileStatus: file.ready ? "READY" : "UPLOADED",
    status: file.ready ? "READY" : "UPLOADED",
    mediaContentType: "IMAGE",
    mimeType: file.contentType,
    image,
    preview: { image, status: file.ready ? "READY" : "UPLOADED" },
    fileErrors: [],
    mediaErrors: [],
    mediaWarnings: [],
  };
}

const Mutation: R = {
  stagedUploadsCreate: (_s, { input }, ctx) => uploads(ctx).create(ctx.shop, input),
  fileCreate: (_s, { files }, ctx) => {
    const created = uploads(ctx).createFiles(ctx.shop, files);
    return { files: created.files?.map((f) => fileValue(ctx, f)) ?? null, userErrors: created.userErrors };
  },
  metafieldsSet: (_s, { metafields }, ctx) =>
    (metafields as Any[]).some((m) => String(m.ownerId).startsWith("gid://shopify/Customer/"))
      ? setCustomerMetafieldsIn(ctx, metafields)
      : setAppMetafields(ctx, metafields),
  metafieldsDelete: (_s, { metafields }, ctx) => {
    if ((metafields as Any[]).some((m) => !String(m.ownerId).startsWith("gid://shopify/Customer/")))
      throw new NotImplementedError("metafieldsDelete for owners other than customers");
    return deleteCustomerMetafields({
      identifiers: metafields,
      customerOf: (ownerId) => ctx.engine.state.customer(ctx.shop, ownerId),
    });
  },
  tagsAdd: (_s, { id, tags }, ctx) => changeTags(ctx, id, tags, true),
  tagsRemove: (_s, { id, tags }, ctx) => changeTags(ctx, id, tags, false),
  flowTriggerReceive: (_s, { handle, payload, body }, ctx) => {
    if (body !== undefined && body !== null)
      throw new NotImplementedError("flowTriggerReceive(body:), which is deprecated");
    const userErrors = checkTriggerPayload(ctx.engine.flowExtensions?.() ?? [], handle, payload);
    if (userErrors.length > 0) return { userErrors };
    (ctx.shop.flowTriggerRuns ??= []).push({ handle, payload, receivedAt: ctx.engine.state.now().toISOString() });
    return { userErrors: [] };
  },
  bulkOperationRunQuery: (_s, { query, groupObjects }, ctx) =>
    bulkPayload(bulkOperations(ctx).runQuery(ctx.shop, query, groupObjects)),
  bulkOperationCancel: (_s, { id }, ctx) =>
    bulkPayload(bulkOperations(ctx).cancel(ctx.shop, parseId(id, "BulkOperation") ?? -1)),
  returnRequest: (_s, { input }, ctx) =>
    payload(
      commerce.requestReturn(ctx.engine, ctx.shop, input.orderId, input.returnLineItems),
      ({ order, ret }) => ({ return: view("Return", ret, order) }),
      { return: null },
    ),
  returnCreate: (_s, { returnInput }, ctx) => {
    for (const item of returnInput.exchangeLineItems ?? []) {
      if (item.appliedDiscount) throw new NotImplementedError("ExchangeLineItemInput.appliedDiscount");
      if (item.giftCardCodes?.length) throw new NotImplementedError("ExchangeLineItemInput.giftCardCodes");
    }
    return payload(
      commerce.createReturn(
        ctx.engine,
        ctx.shop,
        returnInput.orderId,
        returnInput.returnLineItems,
        returnInput.exchangeLineItems ?? [],
      ),
      ({ order, ret }) => ({ return: view("Return", ret, order) }),
      { return: null },
    );
  },
  orderInvoiceSend: (_s, { id, email }, ctx) => {
    if (email?.from || email?.bcc?.length || email?.body)
      throw new NotImplementedError("orderInvoiceSend with email.from, email.bcc or email.body");
    const order = ctx.engine.state.order(ctx.shop, id);
    if (order && orderTotals(order).outstandingMinor <= 0)
      throw new NotImplementedError("orderInvoiceSend for an order that owes nothing");
    return payload(
      commerce.sendOrderInvoice(ctx.engine, ctx.shop, id, email ?? null),
      (o) => ({ order: view("Order", o) }),
      { order: null },
    );
  },
  returnApproveRequest: (_s, { input }, ctx) =>
    payload(
      commerce.approveReturn(ctx.engine, ctx.shop, input.id),
      ({ order, ret }) => ({ return: view("Return", ret, order) }),
      { return: null },
    ),
  returnDeclineRequest: (_s, { input }, ctx) =>
    payload(
      commerce.declineReturn(ctx.engine, ctx.shop, input.id, input.declineReason, input.declineNote),
      ({ order, ret }) => ({ return: view("Return", ret, order) }),
      { return: null },
    ),
  returnClose: (_s, { id }, ctx) =>
    payload(
      commerce.closeReturn(ctx.engine, ctx.shop, id),
      ({ order, ret }) => ({ return: view("Return", ret, order) }),
      { return: null },
    ),
  returnCancel: (_s, { id }, ctx) =>
    payload(
      commerce.cancelReturn(ctx.engine, ctx.shop, id),
      ({ order, ret }) => ({ return: view("Return", ret, order) }),
      { return: null },
    ),
  reverseFulfillmentOrderDispose: (_s, { dispositionInputs }, ctx) =>
    payload(
      commerce.dispose(ctx.engine, ctx.shop, dispositionInputs),
      (lines) => ({
        reverseFulfillmentOrderLineItems: lines.map((l) => {
          const found = ctx.engine.state.reverseFulfillmentOrderLine(ctx.shop, l.id)!;
          return view("ReverseFulfillmentOrderLineItem", l, found.order);
        }),
      }),
      { reverseFulfillmentOrderLineItems: null },
    ),
  returnProcess: (_s, { input }, ctx) => {
    const found = ctx.engine.state.return(ctx.shop, input.returnId);
    const currency = found?.order.currency ?? ctx.shop.currency;
    const refund = input.financialTransfer?.issueRefund;
    const parts: number[] = [];
    let storeCredit = 0;
    for (const [i, t] of (refund?.orderTransactions ?? []).entries()) {
      const m = money(t.transactionAmount, currency, [
        "input",
        "financialTransfer",
        "issueRefund",
        "orderTransactions",
        String(i),
        "transactionAmount",
      ]);
      if (typeof m !== "number") return { return: null, userErrors: [m] };
      parts.push(m);
    }
    for (const [i, m] of (refund?.refundMethods ?? []).entries()) {
      const v = money(m.storeCreditRefund?.amount, currency, [
        "input",
        "financialTransfer",
        "issueRefund",
        "refundMethods",
        String(i),
      ]);
      if (typeof v !== "number") return { return: null, userErrors: [v] };
      storeCredit += v;
    }
    const shippingAmount = money(input.refundShipping?.shippingRefundAmount, currency, ["input", "refundShipping"]);
    if (typeof shippingAmount !== "number") return { return: null, userErrors: [shippingAmount] };
    return payload(
      commerce.processReturn(ctx.engine, ctx.shop, {
        returnId: input.returnId,
        returnLineItems: input.returnLineItems,
        exchangeLineItems: input.exchangeLineItems,
        refundMinor: sum(parts),
        storeCreditMinor: storeCredit,
        refundShipping: input.refundShipping
          ? { fullRefund: input.refundShipping.fullRefund, amountMinor: shippingAmount }
          : null,
        note: input.note,
      }),
      ({ order, ret }) => ({ return: view("Return", ret, order) }),
      { return: null },
    );
  },
  refundCreate: (_s, { input }, ctx) => {
    const order = ctx.engine.state.order(ctx.shop, input.orderId);
    const currency = order?.currency ?? ctx.shop.currency;
    const transactions = [];
    for (const [i, t] of (input.transactions ?? []).entries()) {
      if (t.kind !== "REFUND")
        return {
          order: null,
          refund: null,
          userErrors: [{ field: ["transactions", String(i), "kind"], message: "Transactions must be refunds" }],
        };
      let amountMinor: number;
      try {
        amountMinor = toMinor(String(t.amount), currency);
      } catch {
        return {
          order: null,
          refund: null,
          userErrors: [{ field: ["transactions", String(i), "amount"], message: "Amount is invalid" }],
        };
      }
      transactions.push({ amountMinor, gateway: t.gateway, kind: "refund", parentId: t.parentId });
    }
    let storeCredit = 0;
    for (const [i, m] of (input.refundMethods ?? []).entries()) {
      const v = money(m.storeCreditRefund?.amount, currency, [
        "refundMethods",
        String(i),
        "storeCreditRefund",
        "amount",
      ]);
      if (typeof v !== "number")
        return { order: null, refund: null, userErrors: [{ field: v.field, message: v.message }] };
      storeCredit += v;
    }
    let shippingMinor: number | null = null;
    if (input.shipping?.amount != null) {
      try {
        shippingMinor = toMinor(String(input.shipping.amount), currency);
      } catch {
        return {
          order: null,
          refund: null,
          userErrors: [{ field: ["shipping", "amount"], message: "Amount is invalid" }],
        };
      }
    }
    return payload(
      commerce.createRefund(ctx.engine, ctx.shop, {
        orderId: input.orderId,
        note: input.note,
        refundLineItems: input.refundLineItems,
        shipping: input.shipping ? { fullRefund: input.shipping.fullRefund, amountMinor: shippingMinor } : null,
        transactions,
        storeCreditMinor: storeCredit || null,
        storeCreditExpiresAt: input.refundMethods?.[0]?.storeCreditRefund?.expiresAt ?? null,
      }),
      ({ order: o, refund }) => ({ order: view("Order", o), refund: view("Refund", refund, o) }),
      { order: null, refund: null },
      false,
    );
  },
  discountCodeBasicCreate: (_s, { basicCodeDiscount }, ctx) =>
    payload(
      commerce.createDiscount(ctx.engine, ctx.shop, discountInput(basicCodeDiscount, "basic"), "basicCodeDiscount"),
      (d) => ({ codeDiscountNode: view("DiscountCodeNode", d) }),
      { codeDiscountNode: null },
    ),
  discountCodeFreeShippingCreate: (_s, { freeShippingCodeDiscount }, ctx) =>
    payload(
      commerce.createDiscount(
        ctx.engine,
        ctx.shop,
        discountInput(freeShippingCodeDiscount, "free_shipping"),
        "freeShippingCodeDiscount",
      ),
      (d) => ({ codeDiscountNode: view("DiscountCodeNode", d) }),
      { codeDiscountNode: null },
    ),
  storeCreditAccountCredit: (_s, { id, creditInput }, ctx) =>
    payload(
      commerce.storeCredit(ctx.engine, ctx.shop, id, "credit", creditInput.creditAmount, creditInput.expiresAt),
      ({ account, transaction }) => ({
        storeCreditAccountTransaction: { ...view("StoreCreditAccountCreditTransaction", transaction), account },
      }),
      { storeCreditAccountTransaction: null },
    ),
  storeCreditAccountDebit: (_s, { id, debitInput }, ctx) =>
    payload(
      commerce.storeCredit(ctx.engine, ctx.shop, id, "debit", debitInput.debitAmount),
      ({ account, transaction }) => ({
        storeCreditAccountTransaction: { ...view("StoreCreditAccountDebitTransaction", transaction), account },
      }),
      { storeCreditAccountTransaction: null },
    ),
  fulfillmentCreate: (_s, { fulfillment }, ctx) =>
    payload(
      commerce.createFulfillment(ctx.engine, ctx.shop, fulfillment),
      ({ order, fulfillment: f }) => ({ fulfillment: view("Fulfillment", f, order) }),
      { fulfillment: null },
      false,
    ),
  fulfillmentTrackingInfoUpdate: (_s, { fulfillmentId, trackingInfoInput }, ctx) =>
    payload(
      commerce.updateTracking(ctx.engine, ctx.shop, fulfillmentId, trackingInfoInput),
      ({ order, fulfillment: f }) => ({ fulfillment: view("Fulfillment", f, order) }),
      { fulfillment: null },
      false,
    ),
  fulfillmentEventCreate: (_s, { fulfillmentEvent }, ctx) =>
    payload(
      commerce.createFulfillmentEvent(ctx.engine, ctx.shop, fulfillmentEvent),
      ({ order, event }) => ({ fulfillmentEvent: view("FulfillmentEvent", event, order) }),
      { fulfillmentEvent: null },
      false,
    ),
  orderCancel: (_s, args, ctx) => {
    const result = commerce.cancelOrder(ctx.engine, ctx.shop, {
      orderId: args.orderId,
      reason: args.reason,
      refund: args.refund ?? args.refundMethod?.originalPaymentMethodsRefund ?? false,
      restock: args.restock,
      staffNote: args.staffNote,
    });
    if (result.ok)
      return {
        job: { id: gidFor("Job", ctx.engine.state.nextId()), done: true },
        orderCancelUserErrors: [],
        userErrors: [],
      };
    return {
      job: null,
      orderCancelUserErrors: result.userErrors,
      userErrors: result.userErrors.map((e) => ({ field: e.field, message: e.message })),
    };
  },
};

const QueryRoot: R = {
  shop: (_s, _a, ctx) => view("Shop", ctx.shop),
  currentAppInstallation: (_s, _a, ctx) => ({ id: gidFor("AppInstallation", ctx.shop.id) }),
  bulkOperation: (_s, { id }, ctx) => (id.includes("/BulkOperation/") ? nodeFor(ctx, id) : null),
  // Deprecated in 2026-07 but still answered: the most recent bulk query of the shop.
  currentBulkOperation: (_s, { type }, ctx) => {
    if (type === "MUTATION") return null;
    const op = bulkOperations(ctx).current(ctx.shop);
    return op ? view("BulkOperation", op) : null;
  },
  node: (_s, { id }, ctx) => nodeFor(ctx, id),
  // location(id): with no id Shopify answers with the shop's primary location (the sandbox shop has one).
  location: (_s, { id }, ctx) => {
    const primary = gidFor("Location", ctx.shop.locationId);
    if (id && id !== primary) return null;
    return { id: primary, name: ctx.shop.name, isActive: true, isPrimary: true, fulfillsOnlineOrders: true };
  },
  nodes: (_s, { ids }, ctx) => ids.map((id: string) => nodeFor(ctx, id)),
  order: (_s, { id }, ctx) => nodeFor(ctx, id.includes("/Order/") ? id : gidFor("Order", -1)),
  orders: (_s, args, ctx) => listOrders(ctx, args),
  customer: (_s, { id }, ctx) => (id.includes("/Customer/") ? nodeFor(ctx, id) : null),
  customers: (_s, args, ctx) => listCustomers(ctx, args),
  customerByIdentifier: (_s, { identifier }, ctx) => {
    if (identifier.customId) throw new NotImplementedError("customerByIdentifier(customId:)");
    const c = identifier.id
      ? ctx.engine.state.customer(ctx.shop, identifier.id)
      : identifier.emailAddress
        ? ctx.engine.state.customerByEmail(ctx.shop, identifier.emailAddress)
        : identifier.phoneNumber
          ? ctx.shop.customers.find((x) => x.phone === identifier.phoneNumber)
          : undefined;
    return c ? view("Customer", c) : null;
  },
  product: (_s, { id }, ctx) => (id.includes("/Product/") ? nodeFor(ctx, id) : null),
  products: (_s, args, ctx) => listProducts(ctx, args),
  productVariant: (_s, { id }, ctx) => (id.includes("/ProductVariant/") ? nodeFor(ctx, id) : null),
  collection: (_s, { id }, ctx) => (id.includes("/Collection/") ? nodeFor(ctx, id) : null),
  collections: (_s, args, ctx) => listCollections(ctx, args),
  fulfillment: (_s, { id }, ctx) => (id.includes("/Fulfillment/") ? nodeFor(ctx, id) : null),
  refund: (_s, { id }, ctx) => (id.includes("/Refund/") ? nodeFor(ctx, id) : null),
  fulfillmentOrder: (_s, { id }, ctx) => (id.includes("/FulfillmentOrder/") ? nodeFor(ctx, id) : null),
  return: (_s, { id }, ctx) => (id.includes("/Return/") ? nodeFor(ctx, id) : null),
  returnableFulfillment: (_s, { id }, ctx) => (id.includes("/ReturnableFulfillment/") ? nodeFor(ctx, id) : null),
  reverseFulfillmentOrder: (_s, { id }, ctx) => (id.includes("/ReverseFulfillmentOrder/") ? nodeFor(ctx, id) : null),
  returnableFulfillments: (_s, args, ctx) => {
    const order = ctx.engine.state.order(ctx.shop, args.orderId);
    if (!order) throw new GraphQLError("Order does not exist.", { extensions: { code: "NOT_FOUND" } });
    const list = order.fulfillments.filter(
      (f) => f.status === "success" && f.lineItems.some((l) => returnableQuantity(order, l) > 0),
    );
    return connection(
      list,
      args,
      (f) => view("ReturnableFulfillment", f, order),
      (f) => f.id,
    );
  },
  codeDiscountNode: (_s, { id }, ctx) => (id.includes("/DiscountCodeNode/") ? nodeFor(ctx, id) : null),
  codeDiscountNodeByCode: (_s, { code }, ctx) => {
    const d = ctx.engine.state.discountByCode(ctx.shop, code);
    return d ? view("DiscountCodeNode", d) : null;
  },
  discountNodes: (_s, args, ctx) => {
    const terms = parseSearch(args.query);
    const now = ctx.engine.state.now();
    const found = ctx.shop.discounts.filter((d) =>
      matches(
        d,
        terms,
        { code: (x) => x.code, title: (x) => x.title, status: (x) => discountStatus(x, now), id: (x) => x.id },
        (x) => [x.code, x.title],
      ),
    );
    return connection(
      found,
      args,
      (d) => view("DiscountNode", d),
      (d) => d.id,
    );
  },
  storeCreditAccount: (_s, { id }, ctx) => (id.includes("/StoreCreditAccount/") ? nodeFor(ctx, id) : null),
  returnReasonDefinitions: (_s, args) => listReturnReasonDefinitions(args),
};

const BulkOperationType: R = {
  id: (s) => bulkGid(s.rec),
  type: (s) => s.rec.type,
  status: (s) => s.rec.status,
  errorCode: (s) => s.rec.errorCode,
  query: (s) => s.rec.query,
  createdAt: (s) => s.rec.createdAt,
  completedAt: (s) => s.rec.completedAt,
  objectCount: (s) => String(s.rec.objectCount),
  rootObjectCount: (s) => String(s.rec.rootObjectCount),
  fileSize: (s) => (s.rec.fileSize === null ? null : String(s.rec.fileSize)),
  url: (s, _a, ctx) => bulkOperations(ctx).url(s.rec),
  partialDataUrl: () => null,
};

function bulkOperations(ctx: GraphqlContext) {
  if (!ctx.engine.bulk) throw new NotImplementedError("bulk operations without a bulk runner");
  return ctx.engine.bulk;
}

/** Runs one page of a bulk query (bulk-operations.ts) with nested connections unpaginated. */
export function executeBulkPage(engine: Engine, shop: Shop, document: DocumentNode) {
  bulkExport = true;
  try {
    return executeSync({
      schema: adminSchema(),
      document,
      contextValue: { engine, shop } satisfies GraphqlContext,
      fieldResolver,
      typeResolver,
    });
  } finally {
    bulkExport = false;
  }
}

const RESOLVERS: Record<string, R> = {
  QueryRoot,
  BulkOperation: BulkOperationType,
  Mutation,
  Shop: ShopType,
  Order,
  ShippingLine,
  LineItem,
  Fulfillment,
  FulfillmentLineItem,
  FulfillmentEvent,
  FulfillmentOrder,
  FulfillmentOrderLineItem,
  Refund,
  RefundLineItem,
  OrderTransaction,
  Return,
  ReturnLineItem,
  ExchangeLineItem,
  ReverseFulfillmentOrder,
  ReverseFulfillmentOrderLineItem,
  ReturnableFulfillment,
  Customer,
  StoreCreditAccount,
  StoreCreditAccountCreditTransaction: creditTransaction,
  StoreCreditAccountDebitTransaction: creditTransaction,
  Product,
  ProductVariant,
  Collection,
  DiscountCodeNode,
  DiscountNode,
  DiscountCodeBasic: discountFields("basic"),
  DiscountCodeFreeShipping: discountFields("free_shipping"),
};

const has = (o: unknown, key: string) =>
  o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, key);

/** Resolves from the type's resolver map, else a property the value really carries, else an error naming the field. */
const fieldResolver: GraphQLFieldResolver<Any, GraphqlContext> = (source, args, ctx, info) => {
  const own = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (own) return own(source, args, ctx, info);
  // A view's record and order are its internals, not GraphQL fields.
  const internal = has(source, "rec") && (info.fieldName === "rec" || info.fieldName === "order");
  if (has(source, info.fieldName) && !internal) return source[info.fieldName];
  throw new NotImplementedError(`${info.parentType.name}.${info.fieldName}`);
};

const typeResolver: GraphQLTypeResolver<Any, GraphqlContext> = (value, _ctx, _info, abstractType) => {
  if (value && typeof value.__typename === "string") return value.__typename;
  throw new NotImplementedError(`a concrete type for ${abstractType.name}`);
};

// Query cost, after Shopify's rules: objects 1, scalars and enums 0, connections 2 plus `first`
// (or `last`) times the cost of one item, mutations 10.

const MAX_SINGLE_QUERY_COST = 1000;

function collectFields(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  out: FieldNode[] = [],
): FieldNode[] {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) collectFields(sel.selectionSet, fragments, out);
    else {
      const frag = fragments[sel.name.value];
      if (frag) collectFields(frag.selectionSet, fragments, out);
    }
  }
  return out;
}

function argValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind === Kind.VARIABLE) return variables[arg.value.name.value];
  return valueFromASTUntyped(arg.value, variables);
}

function fieldsOf(type: GraphQLCompositeType, schema: GraphQLSchema, name: string): GraphQLOutputType | null {
  if (isObjectType(type) || "getFields" in type) {
    const f = (type as GraphQLObjectType).getFields()[name];
    if (f) return f.type;
  }
  // A union: look the field up on any member (inline fragments give the concrete type).
  for (const t of schema.getPossibleTypes(type as never)) {
    const f = t.getFields()[name];
    if (f) return f.type;
  }
  return null;
}

interface CostCtx {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** Cost of a selection; with `data`, connections count the items actually returned. */
function selectionCost(c: CostCtx, selectionSet: SelectionSetNode, type: GraphQLCompositeType, data?: unknown): number {
  let total = 0;
  for (const field of collectFields(selectionSet, c.fragments)) {
    const name = field.name.value;
    if (name.startsWith("__")) continue;
    const fieldType = fieldsOf(type, c.schema, name);
    if (!fieldType) continue;
    const named = getNamedType(fieldType);
    if (isLeafType(named) || !field.selectionSet) continue;
    const key = field.alias?.value ?? name;
    const value = data && typeof data === "object" ? (data as Any)[key] : undefined;
    if (data !== undefined && (value === null || value === undefined)) continue;
    const composite = named as GraphQLCompositeType;
    if (named.name.endsWith("Connection")) {
      if (data === undefined) {
        const requested = Number(argValue(field, "first", c.variables) ?? argValue(field, "last", c.variables) ?? 0);
        // One item's cost: the connection's own selection (edges/node, nodes) counted once.
        total += 2 + requested * selectionCost(c, field.selectionSet, composite, undefined);
      } else {
        // Actual cost: the items really returned, each at its own cost.
        total += 2 + selectionCost(c, field.selectionSet, composite, value);
      }
    } else if (isListType(isNonNullType(fieldType) ? fieldType.ofType : fieldType)) {
      if (data === undefined) {
        const n = Number(argValue(field, "first", c.variables) ?? 1);
        total += n * (1 + selectionCost(c, field.selectionSet, composite, undefined));
      } else {
        for (const item of Array.isArray(value) ? value : [])
          total += item === null ? 0 : 1 + selectionCost(c, field.selectionSet, composite, item);
      }
    } else {
      total += 1 + selectionCost(c, field.selectionSet, composite, value);
    }
  }
  return total;
}

function operationCost(c: CostCtx, op: OperationDefinitionNode, root: GraphQLObjectType, data?: unknown): number {
  if (op.operation === "mutation") return 10 * collectFields(op.selectionSet, c.fragments).length;
  return selectionCost(c, op.selectionSet, root, data);
}

// Leaky bucket per shop.

export interface ThrottleSettings {
  maximumAvailable: number;
  restoreRate: number;
}

interface Bucket extends ThrottleSettings {
  available: number;
  at: number;
  forced: number;
}

export class Throttle {
  private buckets = new Map<string, Bucket>();
  constructor(private readonly clock: () => Date) {}

  private bucket(shop: string): Bucket {
    let b = this.buckets.get(shop);
    const now = this.clock().getTime();
    if (!b) {
      b = { maximumAvailable: 2000, restoreRate: 100, available: 2000, at: now, forced: 0 };
      this.buckets.set(shop, b);
    }
    const refill = ((now - b.at) / 1000) * b.restoreRate;
    b.available = Math.min(b.maximumAvailable, b.available + Math.max(0, refill));
    b.at = now;
    return b;
  }

  /** Changes the bucket (e.g. tiny, to force throttling); `currentlyAvailable` empties or fills it. */
  set(shop: string, settings: Partial<ThrottleSettings> & { currentlyAvailable?: number }) {
    const b = this.bucket(shop);
    if (settings.maximumAvailable !== undefined) b.maximumAvailable = settings.maximumAvailable;
    if (settings.restoreRate !== undefined) b.restoreRate = settings.restoreRate;
    b.available = Math.min(b.maximumAvailable, settings.currentlyAvailable ?? b.available);
  }

  /** The next `n` requests answer THROTTLED whatever the bucket holds. */
  throttleNext(shop: string, n: number) {
    this.bucket(shop).forced = n;
  }

  take(
    shop: string,
    cost: number,
  ): { ok: boolean; status: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } {
    const b = this.bucket(shop);
    let ok = cost <= b.available;
    if (b.forced > 0) {
      b.forced -= 1;
      ok = false;
    }
    if (ok) b.available -= cost;
    return { ok, status: this.status(b) };
  }

  refund(shop: string, amount: number) {
    const b = this.bucket(shop);
    b.available = Math.min(b.maximumAvailable, b.available + amount);
    return this.status(b);
  }

  private status(b: Bucket) {
    return {
      maximumAvailable: b.maximumAvailable,
      currentlyAvailable: Math.floor(b.available),
      restoreRate: b.restoreRate,
    };
  }
}

export type { GraphqlRequestBody };

/** Runs one Admin GraphQL request for a shop and returns Shopify's JSON body. */
export async function executeAdmin(
  engine: Engine,
  throttle: Throttle,
  shop: Shop,
  body: GraphqlRequestBody,
): Promise<Record<string, unknown>> {
  const schema = adminSchema();
  const prepared = prepareOperation(schema, body);
  if (prepared.errors) return { errors: prepared.errors };
  const { document, op } = prepared;

  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const variables = body.variables ?? {};
  const costCtx: CostCtx = { schema, fragments, variables };
  const root = op.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const requested = operationCost(costCtx, op, root);
  if (requested > MAX_SINGLE_QUERY_COST) {
    return {
      errors: [
        {
          message:
            `Query cost is ${requested}, which exceeds the single query max cost limit ` +
            `(${MAX_SINGLE_QUERY_COST}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_SINGLE_QUERY_COST },
        },
      ],
    };
  }
  const taken = throttle.take(shop.domain, requested);
  if (!taken.ok) {
    return {
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: taken.status } },
    };
  }
  const result = await execute({
    schema,
    document,
    variableValues: variables,
    operationName: body.operationName ?? undefined,
    contextValue: { engine, shop } satisfies GraphqlContext,
    fieldResolver,
    typeResolver,
  });
  const actual =
    op.operation === "mutation" ? requested : Math.min(requested, operationCost(costCtx, op, root, result.data ?? {}));
  const status = throttle.refund(shop.domain, requested - actual);
  const out: Record<string, unknown> = {};
  if (result.errors?.length) out.errors = result.errors.map((e) => e.toJSON());
  out.data = result.data ?? null;
  out.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status } };
  return out;
}

export interface AdminEndpointDeps {
  engine: Engine;
  throttle: Throttle;
  auth: AuthDeps;
}

const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });

/**
 * POST /admin/api/<version>/graphql.json, as Shopify answers it: 404 for an unknown version or
 * shop, 401 without a valid X-Shopify-Access-Token, 200 with data/errors/extensions otherwise.
 */
export async function handleAdminGraphql(deps: AdminEndpointDeps, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const match = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
  if (!match || !SUPPORTED_API_VERSIONS.includes(match[1])) return jsonResponse(404, { errors: "Not Found" });
  const domain = deps.auth.shopOf(request);
  const shop = domain ? deps.engine.state.findShop(domain) : undefined;
  if (!shop) return jsonResponse(404, { errors: "Not Found" });
  if (!findAccessToken(deps.auth, shop, request.headers.get("x-shopify-access-token"))) {
    return jsonResponse(401, {
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  }
  if (request.method !== "POST") return jsonResponse(405, { errors: "Use POST for GraphQL requests." });
  let body: GraphqlRequestBody;
  const text = await request.text();
  if ((request.headers.get("content-type") ?? "").includes("application/graphql")) {
    body = { query: text };
  } else {
    try {
      body = JSON.parse(text);
    } catch {
      return jsonResponse(400, { errors: "The request body is not JSON." });
    }
  }
  if (!body || typeof body.query !== "string")
    return jsonResponse(400, { errors: { query: "Required parameter missing or invalid" } });
  const result = await executeAdmin(deps.engine, deps.throttle, shop, body);
  return jsonResponse(200, result, { "X-Shopify-API-Version": match[1], "X-Request-Id": randomUUID() });
}
