/**
 * The sandbox's Shopify data: shops with their catalogue, customers, orders and everything that
 * happens to an order afterwards. Plain JSON-able records (money in integer minor units, times as
 * ISO strings in UTC) so the demo can save a run and pick it up again. Numeric ids come from one
 * counter, so the same script always produces the same gids.
 */

export type Clock = () => Date;

export interface Address {
  firstName: string;
  lastName: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCode: string;
  zip: string;
  phone: string;
}

export interface StaffUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
  locale: string;
}

export interface ProductImage {
  id: number;
  url: string;
  altText: string | null;
  width: number | null;
  height: number | null;
}

export interface Variant {
  id: number;
  title: string;
  sku: string | null;
  priceMinor: number;
  compareAtPriceMinor: number | null;
  inventoryQuantity: number;
  grams: number;
  requiresShipping: boolean;
  taxable: boolean;
  imageId: number | null;
}

export interface Product {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: "ACTIVE" | "ARCHIVED" | "DRAFT";
  descriptionHtml: string;
  tags: string[];
  images: ProductImage[];
  variants: Variant[];
  createdAt: string;
  updatedAt: string;
}

export interface Collection {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  productIds: number[];
  imageUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoreCreditTransaction {
  id: number;
  kind: "credit" | "debit";
  amountMinor: number;
  balanceAfterMinor: number;
  createdAt: string;
  expiresAt: string | null;
  event: "ADJUSTMENT" | "ORDER_REFUND" | "ORDER_PAYMENT" | "ORDER_CANCELLATION";
}

export interface StoreCreditAccount {
  id: number;
  currency: string;
  transactions: StoreCreditTransaction[];
}

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  locale: string;
  state: "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
  note: string;
  tags: string[];
  acceptsMarketing: boolean;
  addressId: number;
  defaultAddress: Address;
  storeCreditAccounts: StoreCreditAccount[];
  createdAt: string;
  updatedAt: string;
}

export interface LineItem {
  id: number;
  productId: number | null;
  variantId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  priceMinor: number;
  /** Total discount over the whole line (all units). */
  discountMinor: number;
  /** Total tax over the whole line (all units), after discount. */
  taxMinor: number;
  requiresShipping: boolean;
  taxable: boolean;
  grams: number;
}

export interface Transaction {
  id: number;
  kind: "sale" | "refund" | "void";
  status: "success" | "pending" | "failure";
  gateway: string;
  amountMinor: number;
  parentId: number | null;
  createdAt: string;
}

export interface FulfillmentOrderLine {
  id: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface FulfillmentOrder {
  id: number;
  status: "OPEN" | "IN_PROGRESS" | "CLOSED" | "CANCELLED";
  createdAt: string;
  updatedAt: string;
  lineItems: FulfillmentOrderLine[];
}

export type ShipmentStatus =
  | "label_printed"
  | "label_purchased"
  | "confirmed"
  | "carrier_picked_up"
  | "in_transit"
  | "out_for_delivery"
  | "attempted_delivery"
  | "ready_for_pickup"
  | "delayed"
  | "delivered"
  | "failure";

export interface FulfillmentEvent {
  id: number;
  status: ShipmentStatus;
  message: string | null;
  happenedAt: string;
  createdAt: string;
  city: string | null;
  province: string | null;
  country: string | null;
  zip: string | null;
  address1: string | null;
  estimatedDeliveryAt: string | null;
}

export interface FulfillmentLine {
  /** The FulfillmentLineItem id. */
  id: number;
  lineItemId: number;
  fulfillmentOrderLineId: number;
  quantity: number;
}

export interface Fulfillment {
  id: number;
  /** "#1001.1": the order's name and the fulfillment's position. */
  name: string;
  status: "success" | "cancelled";
  shipmentStatus: ShipmentStatus | null;
  trackingCompany: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  estimatedDeliveryAt: string | null;
  inTransitAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
  lineItems: FulfillmentLine[];
  events: FulfillmentEvent[];
}

export interface RefundLine {
  id: number;
  lineItemId: number;
  quantity: number;
  restockType: "no_restock" | "cancel" | "return" | "legacy_restock";
  subtotalMinor: number;
  taxMinor: number;
}

export interface Refund {
  id: number;
  note: string | null;
  createdAt: string;
  processedAt: string;
  lines: RefundLine[];
  shippingMinor: number;
  /** Refund transactions (money back to the original payment). */
  transactionIds: number[];
  /** Amount sent to the customer's store credit instead. */
  storeCreditMinor: number;
  returnId: number | null;
}

export type ReturnStatus = "requested" | "open" | "declined" | "closed" | "canceled";

export interface ReturnLine {
  id: number;
  fulfillmentLineItemId: number;
  lineItemId: number;
  quantity: number;
  processedQuantity: number;
  refundedQuantity: number;
  /** The ReturnReason enum value, derived from the definition (REST payloads still carry it). */
  returnReason: string;
  /** Lines saved before definitions existed have none: their `returnReason` stands for one. */
  returnReasonDefinitionId?: number | null;
  returnReasonNote: string;
  customerNote: string | null;
}

export interface Disposition {
  id: number;
  type: "RESTOCKED" | "NOT_RESTOCKED" | "MISSING" | "PROCESSING_REQUIRED";
  quantity: number;
  locationId: number | null;
  createdAt: string;
}

export interface ReverseFulfillmentOrderLine {
  id: number;
  returnLineId: number;
  fulfillmentLineItemId: number;
  totalQuantity: number;
  dispositions: Disposition[];
}

export interface ReverseFulfillmentOrder {
  id: number;
  status: "OPEN" | "CLOSED" | "CANCELED";
  lineItems: ReverseFulfillmentOrderLine[];
}

/**
 * A new item the shopper gets in exchange (Shopify's ExchangeLineItem), priced when the return
 * was created. Processing it adds `quantity` of the variant to the order as new line items.
 */
export interface ExchangeLine {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  processedQuantity: number;
  priceMinor: number;
  /** Whether tax applies to the new item (absent in states saved before it was kept: taxable). */
  taxable?: boolean;
  /** The order line items made when the exchange was processed. */
  lineItemIds: number[];
}

export interface Return {
  id: number;
  name: string;
  status: ReturnStatus;
  createdAt: string;
  requestApprovedAt: string | null;
  closedAt: string | null;
  decline: { reason: "FINAL_SALE" | "OTHER" | "RETURN_PERIOD_ENDED"; note: string | null } | null;
  lines: ReturnLine[];
  /** Absent in states saved before exchanges existed. */
  exchangeLines?: ExchangeLine[];
  reverseFulfillmentOrders: ReverseFulfillmentOrder[];
}

export interface Order {
  id: number;
  number: number;
  name: string;
  token: string;
  email: string | null;
  phone: string | null;
  customerId: number | null;
  customerLocale: string;
  currency: string;
  note: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  /** Set when the buyer paid (or the merchant marked it paid). */
  paid: boolean;
  cancelledAt: string | null;
  cancelReason: "customer" | "declined" | "fraud" | "inventory" | "other" | "staff" | null;
  closedAt: string | null;
  shippingAddress: Address | null;
  billingAddress: Address | null;
  lineItems: LineItem[];
  shippingLine: { id: number; title: string; code: string; priceMinor: number; discountMinor: number } | null;
  taxRate: number;
  /** `value` is what the code promised: "10.0" (percent) or "5.00" (amount off). */
  discountCodes: {
    code: string;
    amountMinor: number;
    type: "percentage" | "fixed_amount" | "shipping";
    value: string;
  }[];
  transactions: Transaction[];
  fulfillmentOrders: FulfillmentOrder[];
  fulfillments: Fulfillment[];
  refunds: Refund[];
  returns: Return[];
  /** Invoices Shopify emailed for the order's balance (orderInvoiceSend); absent before any. */
  invoices?: OrderInvoice[];
}

/** Shopify's email asking the customer to pay what the order owes, with a link to pay it. */
export interface OrderInvoice {
  id: number;
  sentAt: string;
  to: string;
  subject: string;
  body: string;
  /** The page where the customer pays (the sandbox's stand-in for Shopify's checkout). */
  url: string;
  amountMinor: number;
}

export interface Discount {
  /** DiscountCodeNode id. */
  id: number;
  redeemCodeId: number;
  code: string;
  title: string;
  kind: "basic" | "free_shipping";
  /** Basic discounts: a percentage (0..1) or a fixed amount off. */
  percentage: number | null;
  amountMinor: number | null;
  appliesOnEachItem: boolean;
  /** Customers it is limited to; null means everyone. */
  customerIds: number[] | null;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  usageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface AccessToken {
  token: string;
  scope: string;
  /** Online tokens belong to a staff user and expire. */
  userId: number | null;
  expiresAt: string | null;
}

export interface Shop {
  id: number;
  domain: string;
  name: string;
  email: string;
  currency: string;
  timezone: string;
  createdAt: string;
  locationId: number;
  nextOrderNumber: number;
  /** Whether the app is installed: webhooks go only to installed apps. */
  appInstalled: boolean;
  scopes: string[];
  staff: StaffUser[];
  products: Product[];
  collections: Collection[];
  customers: Customer[];
  orders: Order[];
  discounts: Discount[];
  accessTokens: AccessToken[];
  /** The app's app-data metafields (owner: its installation), which theme app blocks read as app.metafields. */
  appMetafields?: AppMetafield[];
  /** What the app's Flow triggers sent (flowTriggerReceive), oldest first (flow.ts). */
  flowTriggerRuns?: { handle: string; payload: Record<string, unknown>; receivedAt: string }[];
}

export interface AppMetafield {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface SandboxData {
  version: 1;
  seq: number;
  lastStamp: string | null;
  shops: Shop[];
}

export const DEFAULT_SCOPES = [
  "read_orders",
  "write_orders",
  "read_fulfillments",
  "read_merchant_managed_fulfillment_orders",
  "read_returns",
  "write_returns",
  "read_customers",
  "write_customers",
  "read_discounts",
  "write_discounts",
  "read_store_credit_accounts",
  "write_store_credit_account_transactions",
  "read_products",
];

/** A resource gid from its type and numeric id. */
export const gidFor = (type: string, id: number) => `gid://shopify/${type}/${id}`;

/** The numeric id in a gid (of the expected type) or a bare number; null when it is neither. */
export function parseId(value: unknown, type?: string): number | null {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (match) {
    if (type && match[1] !== type) return null;
    return Number(match[2]);
  }
  return /^\d+$/.test(value) ? Number(value) : null;
}

export class SandboxStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxStateError";
  }
}

export interface CreateShopInput {
  domain: string;
  name?: string;
  email?: string;
  currency?: string;
  timezone?: string;
  scopes?: string[];
  staff?: Partial<StaffUser>[];
}

export interface ProductInput {
  title: string;
  handle?: string;
  vendor?: string;
  productType?: string;
  descriptionHtml?: string;
  tags?: string[];
  images?: { url: string; altText?: string | null; width?: number; height?: number }[];
  variants?: {
    title?: string;
    sku?: string | null;
    price: string | number;
    compareAtPrice?: string | number | null;
    inventoryQuantity?: number;
    grams?: number;
    requiresShipping?: boolean;
    taxable?: boolean;
  }[];
  /** Shorthand for a single default variant. */
  price?: string | number;
  status?: Product["status"];
}

export interface CollectionInput {
  title: string;
  handle?: string;
  descriptionHtml?: string;
  productIds?: (number | string)[];
  imageUrl?: string | null;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[\s_-]+/g, "-") || "item";

/** Minor digits of a currency (JPY 0, USD 2, KWD 3). */
const digitsByCurrency = new Map<string, number>();

export function minorDigits(currency: string): number {
  // Building an Intl.NumberFormat costs tens of microseconds: once per currency, not per amount.
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** "12.5" or 12.5 in a currency -> minor units, exact on the decimal digits. */
export function toMinor(amount: string | number, currency: string): number {
  const digits = minorDigits(currency);
  const text = typeof amount === "number" ? amount.toFixed(digits) : amount.trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new SandboxStateError(`"${text}" is not an amount of money`);
  const [, sign, whole, fraction = ""] = match;
  const kept = (fraction + "0".repeat(digits)).slice(0, digits);
  const value = Number(whole || "0") * 10 ** digits + Number(kept || "0");
  return sign ? -value : value;
}

/** Minor units -> Shopify's decimal string ("12.50"). */
export function decimal(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (digits === 0) return `${sign}${abs}`;
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, "0")}`;
}

/**
 * The state of every sandbox shop, with the clock and the id counter. Lookups throw
 * SandboxStateError for unknown ids; validating input for users is the callers' job.
 */
export class SandboxState {
  data: SandboxData;

  constructor(
    private readonly clock: Clock,
    data?: SandboxData,
  ) {
    this.data = data ?? { version: 1, seq: 1000, lastStamp: null, shops: [] };
  }

  static fromJSON(json: SandboxData | string, clock: Clock): SandboxState {
    const data = typeof json === "string" ? (JSON.parse(json) as SandboxData) : structuredClone(json);
    if (data.version !== 1) throw new SandboxStateError(`Unknown sandbox state version ${String(data.version)}`);
    return new SandboxState(clock, data);
  }

  toJSON(): SandboxData {
    return structuredClone(this.data);
  }

  now(): Date {
    return this.clock();
  }

  nextId(): number {
    this.data.seq += 1;
    return this.data.seq;
  }

  /**
   * A timestamp for a change: the clock, but always later than the previous one, so updated_at
   * strictly increases even when a test freezes the clock. (A seed that backdates data should move
   * the clock forward as it goes.)
   */
  stamp(): string {
    let ms = this.clock().getTime();
    const last = this.data.lastStamp ? Date.parse(this.data.lastStamp) : -Infinity;
    if (ms <= last) ms = last + 1;
    const iso = new Date(ms).toISOString();
    this.data.lastStamp = iso;
    return iso;
  }

  shops(): Shop[] {
    return this.data.shops;
  }

  findShop(domain: string): Shop | undefined {
    return this.data.shops.find((s) => s.domain === domain.toLowerCase());
  }

  shop(domain: string): Shop {
    const shop = this.findShop(domain);
    if (!shop) throw new SandboxStateError(`No sandbox shop ${domain}`);
    return shop;
  }

  createShop(input: CreateShopInput): Shop {
    const domain = input.domain.toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) {
      throw new SandboxStateError(`A shop domain looks like name.myshopify.com, not ${input.domain}`);
    }
    if (this.findShop(domain)) throw new SandboxStateError(`Shop ${domain} already exists`);
    const name = input.name ?? domain.replace(".myshopify.com", "");
    const staff = (input.staff?.length ? input.staff : [{}]).map((u, i) => ({
      id: u.id ?? this.nextId(),
      firstName: u.firstName ?? (i === 0 ? "Sam" : `Staff ${i + 1}`),
      lastName: u.lastName ?? "Owner",
      email: u.email ?? `owner${i === 0 ? "" : i + 1}@${domain}`,
      accountOwner: u.accountOwner ?? i === 0,
      locale: u.locale ?? "en",
    }));
    const shop: Shop = {
      id: this.nextId(),
      domain,
      name,
      email: input.email ?? `hello@${domain}`,
      currency: (input.currency ?? "USD").toUpperCase(),
      timezone: input.timezone ?? "UTC",
      createdAt: this.stamp(),
      locationId: this.nextId(),
      nextOrderNumber: 1001,
      appInstalled: true,
      scopes: input.scopes ?? [...DEFAULT_SCOPES],
      staff,
      products: [],
      collections: [],
      customers: [],
      orders: [],
      discounts: [],
      accessTokens: [],
    };
    this.data.shops.push(shop);
    return shop;
  }

  addProduct(domain: string, input: ProductInput): Product {
    const shop = this.shop(domain);
    const at = this.stamp();
    const images = (input.images ?? []).map((img) => ({
      id: this.nextId(),
      url: img.url,
      altText: img.altText ?? null,
      width: img.width ?? null,
      height: img.height ?? null,
    }));
    const variantInputs = input.variants?.length
      ? input.variants
      : [{ title: "Default Title", price: input.price ?? "0" }];
    const product: Product = {
      id: this.nextId(),
      title: input.title,
      handle: input.handle ?? this.uniqueHandle(shop.products, slug(input.title)),
      vendor: input.vendor ?? shop.name,
      productType: input.productType ?? "",
      status: input.status ?? "ACTIVE",
      descriptionHtml: input.descriptionHtml ?? "",
      tags: input.tags ?? [],
      images,
      variants: variantInputs.map((v) => ({
        id: this.nextId(),
        title: v.title ?? "Default Title",
        sku: v.sku ?? null,
        priceMinor: toMinor(v.price, shop.currency),
        compareAtPriceMinor: v.compareAtPrice == null ? null : toMinor(v.compareAtPrice, shop.currency),
        inventoryQuantity: v.inventoryQuantity ?? 100,
        grams: v.grams ?? 500,
        requiresShipping: v.requiresShipping ?? true,
        taxable: v.taxable ?? true,
        imageId: images[0]?.id ?? null,
      })),
      createdAt: at,
      updatedAt: at,
    };
    shop.products.push(product);
    return product;
  }

  addCollection(domain: string, input: CollectionInput): Collection {
    const shop = this.shop(domain);
    const at = this.stamp();
    const productIds = (input.productIds ?? []).map((p) => {
      const id = parseId(p, "Product");
      if (id === null || !shop.products.some((x) => x.id === id))
        throw new SandboxStateError(`No product ${String(p)}`);
      return id;
    });
    const collection: Collection = {
      id: this.nextId(),
      title: input.title,
      handle: input.handle ?? this.uniqueHandle(shop.collections, slug(input.title)),
      descriptionHtml: input.descriptionHtml ?? "",
      productIds,
      imageUrl: input.imageUrl ?? null,
      createdAt: at,
      updatedAt: at,
    };
    shop.collections.push(collection);
    return collection;
  }

  private uniqueHandle(items: { handle: string }[], base: string): string {
    const taken = new Set(items.map((i) => i.handle));
    let handle = base;
    for (let n = 1; taken.has(handle); n++) handle = `${base}-${n}`;
    return handle;
  }

  // Lookups. Each takes a gid or a numeric id.

  product(shop: Shop, id: unknown): Product | undefined {
    const n = parseId(id, "Product");
    return shop.products.find((p) => p.id === n);
  }

  variant(shop: Shop, id: unknown): { product: Product; variant: Variant } | undefined {
    const n = parseId(id, "ProductVariant");
    for (const product of shop.products) {
      const variant = product.variants.find((v) => v.id === n);
      if (variant) return { product, variant };
    }
    return undefined;
  }

  collection(shop: Shop, id: unknown): Collection | undefined {
    const n = parseId(id, "Collection");
    return shop.collections.find((c) => c.id === n);
  }

  customer(shop: Shop, id: unknown): Customer | undefined {
    const n = parseId(id, "Customer");
    return shop.customers.find((c) => c.id === n);
  }

  customerByEmail(shop: Shop, email: string): Customer | undefined {
    const wanted = email.trim().toLowerCase();
    return shop.customers.find((c) => c.email.toLowerCase() === wanted);
  }

  order(shop: Shop, id: unknown): Order | undefined {
    const n = parseId(id, "Order");
    return shop.orders.find((o) => o.id === n);
  }

  orderByName(shop: Shop, name: string): Order | undefined {
    const wanted = name.startsWith("#") ? name : `#${name}`;
    return shop.orders.find((o) => o.name === wanted);
  }

  lineItem(shop: Shop, id: unknown): { order: Order; lineItem: LineItem } | undefined {
    const n = parseId(id, "LineItem");
    for (const order of shop.orders) {
      const lineItem = order.lineItems.find((l) => l.id === n);
      if (lineItem) return { order, lineItem };
    }
    return undefined;
  }

  fulfillment(shop: Shop, id: unknown): { order: Order; fulfillment: Fulfillment } | undefined {
    const n = parseId(id, "Fulfillment");
    for (const order of shop.orders) {
      const fulfillment = order.fulfillments.find((f) => f.id === n);
      if (fulfillment) return { order, fulfillment };
    }
    return undefined;
  }

  fulfillmentLine(
    shop: Shop,
    id: unknown,
  ): { order: Order; fulfillment: Fulfillment; line: FulfillmentLine } | undefined {
    const n = parseId(id, "FulfillmentLineItem");
    for (const order of shop.orders) {
      for (const fulfillment of order.fulfillments) {
        const line = fulfillment.lineItems.find((l) => l.id === n);
        if (line) return { order, fulfillment, line };
      }
    }
    return undefined;
  }

  fulfillmentOrder(shop: Shop, id: unknown): { order: Order; fulfillmentOrder: FulfillmentOrder } | undefined {
    const n = parseId(id, "FulfillmentOrder");
    // Newest orders first: the one being fulfilled is usually recent, and a shop may hold 100,000.
    for (let i = shop.orders.length - 1; i >= 0; i--) {
      const order = shop.orders[i];
      const fulfillmentOrder = order.fulfillmentOrders.find((f) => f.id === n);
      if (fulfillmentOrder) return { order, fulfillmentOrder };
    }
    return undefined;
  }

  refund(shop: Shop, id: unknown): { order: Order; refund: Refund } | undefined {
    const n = parseId(id, "Refund");
    for (const order of shop.orders) {
      const refund = order.refunds.find((r) => r.id === n);
      if (refund) return { order, refund };
    }
    return undefined;
  }

  return(shop: Shop, id: unknown): { order: Order; ret: Return } | undefined {
    const n = parseId(id, "Return");
    for (const order of shop.orders) {
      const ret = order.returns.find((r) => r.id === n);
      if (ret) return { order, ret };
    }
    return undefined;
  }

  exchangeLine(shop: Shop, id: unknown): { order: Order; ret: Return; line: ExchangeLine } | undefined {
    const n = parseId(id, "ExchangeLineItem");
    for (const order of shop.orders) {
      for (const ret of order.returns) {
        const line = (ret.exchangeLines ?? []).find((l) => l.id === n);
        if (line) return { order, ret, line };
      }
    }
    return undefined;
  }

  reverseFulfillmentOrder(
    shop: Shop,
    id: unknown,
  ): { order: Order; ret: Return; rfo: ReverseFulfillmentOrder } | undefined {
    const n = parseId(id, "ReverseFulfillmentOrder");
    for (const order of shop.orders) {
      for (const ret of order.returns) {
        const rfo = ret.reverseFulfillmentOrders.find((r) => r.id === n);
        if (rfo) return { order, ret, rfo };
      }
    }
    return undefined;
  }

  reverseFulfillmentOrderLine(
    shop: Shop,
    id: unknown,
  ): { order: Order; ret: Return; rfo: ReverseFulfillmentOrder; line: ReverseFulfillmentOrderLine } | undefined {
    const n = parseId(id, "ReverseFulfillmentOrderLineItem");
    for (const order of shop.orders) {
      for (const ret of order.returns) {
        for (const rfo of ret.reverseFulfillmentOrders) {
          const line = rfo.lineItems.find((l) => l.id === n);
          if (line) return { order, ret, rfo, line };
        }
      }
    }
    return undefined;
  }

  discount(shop: Shop, id: unknown): Discount | undefined {
    const n = parseId(id, "DiscountCodeNode") ?? parseId(id, "DiscountNode");
    return shop.discounts.find((d) => d.id === n);
  }

  discountByCode(shop: Shop, code: string): Discount | undefined {
    const wanted = code.trim().toLowerCase();
    return shop.discounts.find((d) => d.code.toLowerCase() === wanted);
  }

  storeCreditAccount(shop: Shop, id: unknown): { customer: Customer; account: StoreCreditAccount } | undefined {
    const n = parseId(id, "StoreCreditAccount");
    for (const customer of shop.customers) {
      const account = customer.storeCreditAccounts.find((a) => a.id === n);
      if (account) return { customer, account };
    }
    return undefined;
  }
}

// Derived figures, shared by the GraphQL resolvers and the webhook payloads.

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function refundedQuantity(order: Order, lineItemId: number): number {
  return sum(order.refunds.flatMap((r) => r.lines.filter((l) => l.lineItemId === lineItemId).map((l) => l.quantity)));
}

export function fulfilledQuantity(order: Order, lineItemId: number): number {
  return sum(
    order.fulfillments
      .filter((f) => f.status === "success")
      .flatMap((f) => f.lineItems.filter((l) => l.lineItemId === lineItemId).map((l) => l.quantity)),
  );
}

/** Units still to ship: ordered, minus shipped, minus refunded without having shipped. */
export function fulfillableQuantity(order: Order, line: LineItem): number {
  if (order.cancelledAt) return 0;
  const remaining = sum(
    order.fulfillmentOrders
      .filter((fo) => fo.status !== "CANCELLED")
      .flatMap((fo) => fo.lineItems.filter((l) => l.lineItemId === line.id).map((l) => l.remainingQuantity)),
  );
  return remaining;
}

export function lineFulfillmentStatus(order: Order, line: LineItem): "fulfilled" | "partial" | null {
  const shipped = fulfilledQuantity(order, line.id);
  if (shipped === 0) return null;
  return fulfillableQuantity(order, line) === 0 ? "fulfilled" : "partial";
}

/** REST fulfillment_status: null (nothing shipped), "partial" or "fulfilled". */
export function orderFulfillmentStatus(order: Order): "fulfilled" | "partial" | null {
  const shipped = sum(order.lineItems.map((l) => fulfilledQuantity(order, l.id)));
  if (shipped === 0) return null;
  const open = sum(order.lineItems.map((l) => fulfillableQuantity(order, l)));
  return open === 0 ? "fulfilled" : "partial";
}

export function transaction(order: Order, id: number): Transaction | undefined {
  return order.transactions.find((t) => t.id === id);
}

export interface OrderTotals {
  lineItemsMinor: number;
  subtotalMinor: number;
  discountsMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  currentSubtotalMinor: number;
  currentTaxMinor: number;
  currentShippingMinor: number;
  currentDiscountsMinor: number;
  currentTotalMinor: number;
  receivedMinor: number;
  refundedMinor: number;
  outstandingMinor: number;
}

export function orderTotals(order: Order): OrderTotals {
  const lineItemsMinor = sum(order.lineItems.map((l) => l.priceMinor * l.quantity));
  const lineDiscounts = sum(order.lineItems.map((l) => l.discountMinor));
  const shippingDiscount = order.shippingLine?.discountMinor ?? 0;
  const subtotalMinor = lineItemsMinor - lineDiscounts;
  const shippingMinor = (order.shippingLine?.priceMinor ?? 0) - shippingDiscount;
  const taxMinor = sum(order.lineItems.map((l) => l.taxMinor));
  const totalMinor = subtotalMinor + shippingMinor + taxMinor;

  // What is left of the order after refunds took lines (and shipping) off it.
  let refundedSubtotal = 0;
  let refundedTax = 0;
  let refundedDiscount = 0;
  for (const refund of order.refunds) {
    for (const rl of refund.lines) {
      const li = order.lineItems.find((l) => l.id === rl.lineItemId);
      refundedSubtotal += rl.subtotalMinor;
      refundedTax += rl.taxMinor;
      if (li && li.quantity > 0) refundedDiscount += Math.round((li.discountMinor * rl.quantity) / li.quantity);
    }
  }
  const refundedShipping = sum(order.refunds.map((r) => r.shippingMinor));
  // Lines taken off without money moving (an exchange's returned items): their value pays
  // toward what the order still owes, such as the exchange's new line items.
  const appliedMinor = sum(
    order.refunds
      .filter((r) => r.transactionIds.length === 0 && r.storeCreditMinor === 0)
      .flatMap((r) => r.lines.map((l) => l.subtotalMinor + l.taxMinor)),
  );
  // Exchange items of an open return that are not processed yet already count toward what the
  // order owes, less the value of its returned items not processed yet: Shopify asks for a dearer
  // exchange's balance from the moment the return is made, so it can be paid before the new items
  // ship. Processing turns both into line items and a refund without money, which keep the balance.
  const pendingExchangeMinor = sum(
    order.returns
      .filter((r) => r.status === "open" && (r.exchangeLines ?? []).some((e) => e.quantity > e.processedQuantity))
      .map((r) => {
        const newItems = sum(
          (r.exchangeLines ?? []).map((e) => {
            const units = e.quantity - e.processedQuantity;
            const taxable = e.taxable ?? true;
            return e.priceMinor * units + (taxable ? Math.round(e.priceMinor * units * order.taxRate) : 0);
          }),
        );
        const returned = sum(
          r.lines.map((l) => {
            const li = order.lineItems.find((x) => x.id === l.lineItemId);
            const units = l.quantity - l.processedQuantity;
            if (!li || li.quantity === 0 || units <= 0) return 0;
            const subtotal = Math.round(((li.priceMinor * li.quantity - li.discountMinor) * units) / li.quantity);
            return subtotal + Math.round((li.taxMinor * units) / li.quantity);
          }),
        );
        return Math.max(0, newItems - returned);
      }),
  );
  const currentSubtotalMinor = subtotalMinor - refundedSubtotal;
  const currentTaxMinor = taxMinor - refundedTax;
  const currentShippingMinor = shippingMinor - refundedShipping;
  const receivedMinor = sum(
    order.transactions.filter((t) => t.kind === "sale" && t.status === "success").map((t) => t.amountMinor),
  );
  const refundedMinor =
    sum(order.transactions.filter((t) => t.kind === "refund" && t.status === "success").map((t) => t.amountMinor)) +
    sum(order.refunds.map((r) => r.storeCreditMinor));
  return {
    lineItemsMinor,
    subtotalMinor,
    discountsMinor: lineDiscounts + shippingDiscount,
    shippingMinor,
    taxMinor,
    totalMinor,
    currentSubtotalMinor,
    currentTaxMinor,
    currentShippingMinor,
    currentDiscountsMinor: lineDiscounts + shippingDiscount - refundedDiscount,
    currentTotalMinor: currentSubtotalMinor + currentTaxMinor + currentShippingMinor,
    receivedMinor,
    refundedMinor,
    outstandingMinor: order.cancelledAt
      ? 0
      : Math.max(0, totalMinor + pendingExchangeMinor - receivedMinor - appliedMinor),
  };
}

/** REST financial_status. */
export function financialStatus(
  order: Order,
): "pending" | "paid" | "partially_paid" | "partially_refunded" | "refunded" | "voided" {
  const totals = orderTotals(order);
  if (!order.paid) return order.cancelledAt ? "voided" : "pending";
  // Paid once, then owing again (a dearer exchange): Shopify shows the order partially paid.
  if (totals.outstandingMinor > 0) return "partially_paid";
  if (totals.refundedMinor > 0) return totals.refundedMinor >= totals.receivedMinor ? "refunded" : "partially_refunded";
  return "paid";
}

/** Units of a fulfillment line already in a return that still counts (not declined or canceled). */
export function returnedQuantity(order: Order, fulfillmentLineItemId: number): number {
  return sum(
    order.returns
      .filter((r) => r.status !== "declined" && r.status !== "canceled")
      .flatMap((r) => r.lines.filter((l) => l.fulfillmentLineItemId === fulfillmentLineItemId).map((l) => l.quantity)),
  );
}

export function returnableQuantity(order: Order, line: FulfillmentLine): number {
  return Math.max(0, line.quantity - returnedQuantity(order, line.id));
}

export function storeCreditBalance(account: StoreCreditAccount): number {
  return account.transactions.at(-1)?.balanceAfterMinor ?? 0;
}
