// The shops the admin benchmark opens (bench/admin.ts): rows generated in JavaScript from a seeded
// random sequence, in batches, and written straight into the database in bulk (better-sqlite3's
// prepared statements in one transaction per batch on SQLite; one INSERT … SELECT FROM unnest(…)
// per table and batch on PostgreSQL), with no webhook, no Prisma and no app code in between.
//
// A shop of `orders` orders spread evenly over the last 365 days: 1–3 line items each, most shipped
// (scans, tracking rows, the shipped and delivered emails), some refunded, some returned through
// Aftercare (cases with their lines and claims, mirrored in Shopify's returns) or in Shopify only;
// customers, loyalty members with their ledger (each member's points the sum of its entries, a few
// pending), redemptions and rewards; support requests with messages, survey answers, tracking views
// per day; a week of processed webhook deliveries with a few failed and parked. Generated times are
// all in the past (pending points and retry times aside), so every page has a full year to show.
import Database from "better-sqlite3";
import pg from "pg";

export type ColumnType = "text" | "int" | "timestamp" | "bool";
export type Value = string | number | boolean | Date | null;
export type Row = Value[];

export interface TableSpec {
  table: string;
  columns: ReadonlyArray<readonly [string, ColumnType]>;
}

const t = (table: string, columns: ReadonlyArray<readonly [string, ColumnType]>): TableSpec => ({ table, columns });
const text = (...names: string[]) => names.map((n) => [n, "text"] as const);
const int = (...names: string[]) => names.map((n) => [n, "int"] as const);
const time = (...names: string[]) => names.map((n) => [n, "timestamp"] as const);
const bool = (...names: string[]) => names.map((n) => [n, "bool"] as const);

/** Every table the generator writes, with the columns it gives values for (the rest keep their defaults). */
export const TABLES = {
  shop: t("Shop", [
    ...text("domain", "name", "email", "currencyCode", "ianaTimezone", "scopes"),
    ...time("installedAt", "createdAt", "updatedAt"),
  ]),
  session: t("Session", [...text("id", "shop", "state"), ...bool("isOnline"), ...text("scope", "accessToken")]),
  customer: t("Customer", [
    ...text("id", "shop", "shopifyId", "email", "firstName", "lastName", "locale", "state"),
    ...bool("acceptsMarketing"),
    ...time("shopifyCreatedAt", "shopifyUpdatedAt", "createdAt", "updatedAt"),
  ]),
  order: t("Order", [
    ...text("id", "shop", "shopifyId", "name"),
    ...int("orderNumber"),
    ...text("email", "customerShopifyId", "customerLocale", "currency"),
    ...int("subtotalMinor", "totalShippingMinor", "totalTaxMinor", "totalMinor"),
    ...text("financialStatus", "fulfillmentStatus"),
    ...time("cancelledAt"),
    ...text("cancelReason"),
    ...time("closedAt"),
    ...text("shippingCity", "shippingProvince", "shippingCountryCode", "shippingZip"),
    ...time("processedAt", "shopifyCreatedAt", "shopifyUpdatedAt", "createdAt", "updatedAt"),
  ]),
  lineItem: t("LineItem", [
    ...text("id", "orderId", "shopifyId", "productShopifyId", "variantShopifyId", "title", "variantTitle", "sku"),
    ...int("quantity", "priceMinor"),
    ...text("imageUrl"),
    ...bool("requiresShipping"),
    ...int("fulfillableQuantity"),
    ...text("fulfillmentStatus"),
  ]),
  fulfillment: t("Fulfillment", [
    ...text("id", "shop", "shopifyId", "orderShopifyId", "name", "status", "shipmentStatus", "trackingCompany"),
    ...text("trackingNumbers", "trackingUrls"),
    ...time("estimatedDeliveryAt", "deliveredAt", "inTransitAt", "shopifyCreatedAt", "shopifyUpdatedAt"),
    ...time("createdAt", "updatedAt"),
  ]),
  fulfillmentLine: t("FulfillmentLine", [...text("id", "fulfillmentId", "lineItemShopifyId"), ...int("quantity")]),
  fulfillmentEvent: t("FulfillmentEvent", [
    ...text("id", "shop", "shopifyId", "fulfillmentShopifyId", "orderShopifyId", "status", "message"),
    ...time("happenedAt"),
    ...text("city", "countryCode"),
    ...time("estimatedDeliveryAt", "createdAt"),
  ]),
  shipmentTracking: t("ShipmentTracking", [
    ...text("id", "shop", "fulfillmentShopifyId", "orderShopifyId", "orderName", "carrier", "trackingNumber"),
    ...text("destinationCountry", "stage"),
    ...time("shippedAt", "deliveredAt", "lastScanAt"),
    ...int("transitBusinessDays"),
    ...text("estimatedBy", "estimateSource"),
    ...bool("deliveredOnTime"),
    ...text("problem", "problemReason"),
    ...time("problemSince", "createdAt", "updatedAt"),
  ]),
  refund: t("Refund", [
    ...text("id", "shop", "shopifyId", "orderShopifyId", "note"),
    ...int("amountMinor"),
    ...text("currency"),
    ...time("processedAt", "shopifyCreatedAt", "createdAt"),
  ]),
  refundLine: t("RefundLine", [
    ...text("id", "refundId", "lineItemShopifyId"),
    ...int("quantity", "subtotalMinor"),
    ...text("restockType"),
  ]),
  shopifyReturn: t("ShopifyReturn", [
    ...text("id", "shop", "shopifyId", "orderShopifyId", "name", "status"),
    ...int("totalQuantity"),
    ...text("lines"),
    ...time("requestedAt", "closedAt", "lastEventAt", "createdAt", "updatedAt"),
  ]),
  returnCase: t("ReturnCase", [
    ...text("id", "shop", "number", "idempotencyKey", "orderShopifyId", "orderName", "customerShopifyId", "email"),
    ...text("locale", "status", "resolution", "currency"),
    ...int("itemsMinor", "restockingFeeMinor", "shippingFeeMinor", "bonusMinor", "resolutionMinor", "exchangeMinor"),
    ...bool("autoApproved"),
    ...text("declineReason", "shopifyReturnId", "shopifyReturnName", "shopifyStatus"),
    ...time("requestedAt", "approvedAt", "declinedAt", "receivedAt", "resolvedAt", "closedAt", "createdAt"),
    ...time("updatedAt"),
  ]),
  returnCaseLine: t("ReturnCaseLine", [
    ...text("id", "returnCaseId", "lineItemShopifyId", "productShopifyId", "variantShopifyId", "title"),
    ...text("variantTitle"),
    ...int("quantity", "unitPriceMinor"),
    ...text("reason", "note", "exchangeVariantShopifyId", "exchangeTitle"),
    ...int("exchangeUnitPriceMinor"),
    ...text("disposition"),
  ]),
  returnLineClaim: t("ReturnLineClaim", [...text("shop", "lineItemShopifyId", "orderShopifyId"), ...int("claimed")]),
  notification: t("Notification", [
    ...text("id", "shop", "kind", "subjectId", "milestone", "channel", "recipient", "fromName", "replyTo", "locale"),
    ...text("subject", "bodyHtml", "bodyText", "orderShopifyId", "customerShopifyId", "status"),
    ...int("attempts"),
    ...time("nextAttemptAt"),
    ...text("lastError"),
    ...time("sentAt", "createdAt", "updatedAt"),
  ]),
  loyaltyReward: t("LoyaltyReward", [
    ...text("id", "shop", "kind", "title"),
    ...int("pointsCost", "valueMinor", "percentOff"),
    ...bool("active"),
    ...time("createdAt", "updatedAt"),
  ]),
  loyaltyMember: t("LoyaltyMember", [
    ...text("id", "shop", "key", "customerShopifyId", "email"),
    ...int("points", "lifetimePoints"),
    ...text("tierKey"),
    ...int("spend12mMinor"),
    ...time("lastActivityAt"),
    ...int("version"),
    ...time("createdAt", "updatedAt"),
  ]),
  loyaltyLedgerEntry: t("LoyaltyLedgerEntry", [
    ...text("id", "shop", "memberId", "sourceKey", "kind"),
    ...int("points"),
    ...time("availableAt"),
    ...text("orderShopifyId", "reason", "actor"),
    ...time("createdAt"),
  ]),
  loyaltyRedemption: t("LoyaltyRedemption", [
    ...text("id", "shop", "memberId", "rewardId", "rewardTitle", "kind"),
    ...int("points"),
    ...text("status", "code"),
    ...int("valueMinor"),
    ...text("currency"),
    ...time("createdAt", "updatedAt"),
  ]),
  contactRequest: t("ContactRequest", [
    ...text("id", "shop"),
    ...int("number"),
    ...text("status", "topic", "name", "email", "orderName", "orderShopifyId", "customerShopifyId", "locale"),
    ...text("searchText"),
    ...time("lastMessageAt", "firstResponseAt"),
    ...int("firstResponseMinutes"),
    ...time("closedAt", "createdAt", "updatedAt"),
  ]),
  contactMessage: t("ContactMessage", [...text("id", "shop", "requestId", "author", "body"), ...time("createdAt")]),
  surveyResponse: t("SurveyResponse", [
    ...text("id", "shop", "kind", "subjectId", "requestId", "orderShopifyId"),
    ...int("score"),
    ...text("comment"),
    ...time("sentAt", "answeredAt", "createdAt"),
  ]),
  trackingViewDay: t("TrackingViewDay", [
    ...text("shop", "orderShopifyId", "day"),
    ...int("views"),
    ...time("firstViewedAt"),
  ]),
  scheduledTask: t("ScheduledTask", [...text("name"), ...time("nextRunAt", "lastRunAt", "updatedAt")]),
  webhookEvent: t("WebhookEvent", [
    ...text("id", "shop", "topic", "webhookId", "payload", "status"),
    ...int("attempts"),
    ...text("lastError"),
    ...time("nextAttemptAt", "receivedAt", "processedAt"),
  ]),
} satisfies Record<string, TableSpec>;

export type TableKey = keyof typeof TABLES;
export type Batch = Partial<Record<TableKey, Row[]>>;

export interface ShopSize {
  orders: number;
  customers: number;
  members: number;
  ledger: number;
  requests: number;
  webhookEvents: number;
}

/** The shop the issue asks for: 100,000 orders, 200,000 loyalty members, 1,000,000 ledger rows. */
export const BIG_SHOP: ShopSize = {
  orders: 100_000,
  customers: 50_000,
  members: 200_000,
  ledger: 1_000_000,
  requests: 6_000,
  webhookEvents: 15_000,
};

/** About the demo shop's size (sandbox/seed.ts): a few hundred orders. */
export const SMALL_SHOP: ShopSize = {
  orders: 300,
  customers: 150,
  members: 120,
  ledger: 600,
  requests: 40,
  webhookEvents: 300,
};

const DAY = 86_400_000;
const HOUR = 3_600_000;
const COUNTRIES = ["US", "US", "US", "CA", "GB", "DE", "FR", "AU", "JP", "KR"];
const CARRIERS = [
  { company: "UPS", code: "ups" },
  { company: "USPS", code: "usps" },
  { company: "FedEx", code: "fedex" },
  { company: "DHL Express", code: "dhl_express" },
];
const PRODUCTS = ["Merino Socks", "Canvas Tote", "Linen Shirt", "Wool Beanie", "Rain Jacket", "Leather Belt"];
const REASONS = ["size_too_small", "size_too_large", "changed_mind", "defective", "not_as_described", "other"];
const RESOLUTIONS = ["refund", "refund", "store_credit", "exchange_variant", "exchange_any"];

/** A seeded sequence (mulberry32), so both databases get the same shop. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const EMAIL_HTML = (name: string) =>
  `<!doctype html><html><body style="font-family:sans-serif"><h1>Your order ${name} is on its way</h1>` +
  `<p>${"Good news: your parcel has left our warehouse and is with the carrier. ".repeat(8)}</p>` +
  `<p><a href="https://shop.example.com/apps/aftercare/tracking?order=${encodeURIComponent(name)}">Track it</a></p>` +
  `</body></html>`;

export interface GeneratedShop {
  domain: string;
  /** A return case, contact request and member that exist, for the detail pages. */
  sample: { returnId: string; requestId: string; memberId: string };
  /** What was written, per table. */
  counts: Partial<Record<TableKey, number>>;
}

/**
 * Generates a shop of `size` and hands its rows to `write` in batches (each a set of rows of any
 * tables, written in one transaction). Row ids are prefixed with `prefix`, so two shops can share a
 * database.
 */
export async function generateShop(
  domain: string,
  prefix: string,
  size: ShopSize,
  now: number,
  write: (batch: Batch) => Promise<void>,
): Promise<GeneratedShop> {
  const rnd = random(size.orders * 31 + size.members);
  const pick = <T>(list: ReadonlyArray<T>) => list[Math.floor(rnd() * list.length)];
  const counts: Partial<Record<TableKey, number>> = {};
  const push = (batch: Batch, key: TableKey, row: Row) => {
    (batch[key] ??= []).push(row);
    counts[key] = (counts[key] ?? 0) + 1;
  };
  const nowDate = new Date(now);
  const at = (ms: number) => new Date(Math.round(ms));
  const id = (kind: string, n: number | string) => `${prefix}${kind}${n}`;
  const customerGid = (c: number) => `gid://shopify/Customer/${prefix}${c}`;
  const orderGid = (i: number) => `gid://shopify/Order/${prefix}${i}`;
  const customerEmail = (c: number) => `shopper${c}@${prefix}.example.com`;

  // The shop, its offline session (what authenticate.admin loads) and its customers.
  {
    const batch: Batch = {};
    const installed = at(now - 400 * DAY);
    push(batch, "shop", [
      domain,
      "Bench Goods",
      "care@bench.example",
      "USD",
      "America/New_York",
      null,
      installed,
      installed,
      nowDate,
    ]);
    push(batch, "session", [`offline_${domain}`, domain, "installed", false, process.env.SCOPES ?? "", "shpat_bench"]);
    for (let c = 1; c <= size.customers; c++) {
      const created = at(now - rnd() * 3 * 365 * DAY);
      push(batch, "customer", [
        id("c", c),
        domain,
        customerGid(c),
        customerEmail(c),
        "Sam",
        `Shopper ${c}`,
        "en",
        "enabled",
        rnd() < 0.4,
        created,
        created,
        created,
        nowDate,
      ]);
    }
    const rewards: [string, string, number, number | null, number | null][] = [
      ["fixed_amount", "$5 off", 500, 500, null],
      ["fixed_amount", "$15 off", 1200, 1500, null],
      ["store_credit", "$20 store credit", 1800, 2000, null],
      ["percentage", "10% off", 800, null, 10],
    ];
    rewards.forEach(([kind, title, cost, value, percent], r) =>
      push(batch, "loyaltyReward", [
        id("rw", r),
        domain,
        kind,
        title,
        cost,
        value,
        percent,
        true,
        installed,
        installed,
      ]),
    );
    await write(batch);
  }

  // Orders and everything that hangs off them, in batches.
  const orderBatch = 5_000;
  let returnCaseN = 0;
  let sampleReturn = "";
  for (let from = 1; from <= size.orders; from += orderBatch) {
    const batch: Batch = {};
    for (let i = from; i < Math.min(from + orderBatch, size.orders + 1); i++) {
      // Evenly over the last 365 days, the newest an hour ago.
      const placedMs = now - HOUR - ((i * 7919) % size.orders) * ((365 * DAY) / size.orders);
      const placed = at(placedMs);
      const guest = rnd() < 0.1;
      // Customers order 1 to 5 times: a skewed pick makes some regulars.
      const customer = guest ? null : 1 + Math.floor(rnd() ** 1.6 * size.customers);
      const email = customer ? customerEmail(customer) : `guest${i}@${prefix}.example.com`;
      const oid = id("o", i);
      const ogid = orderGid(i);
      const name = `#${1000 + i}`;
      const country = pick(COUNTRIES);
      const cancelled = rnd() < 0.02;
      const lines = 1 + Math.floor(rnd() * 3);
      const items: { gid: string; title: string; quantity: number; price: number; product: number }[] = [];
      for (let l = 0; l < lines; l++) {
        const product = Math.floor(rnd() * PRODUCTS.length);
        items.push({
          gid: `gid://shopify/LineItem/${prefix}${i}-${l}`,
          title: PRODUCTS[product],
          quantity: 1 + Math.floor(rnd() * 2),
          price: 1500 + product * 500,
          product,
        });
      }
      const subtotal = items.reduce((s, it) => s + it.quantity * it.price, 0);
      const ageMs = now - placedMs;
      const shipped = !cancelled && ageMs > 2 * DAY && rnd() < 0.95;
      const shippedAt = at(placedMs + DAY + rnd() * DAY);
      const delivered = shipped && ageMs > 7 * DAY && rnd() < 0.97;
      const transitDays = 2 + Math.floor(rnd() * 5);
      const deliveredAt = delivered ? at(shippedAt.getTime() + transitDays * DAY) : null;
      const estimate = at(shippedAt.getTime() + 4 * DAY);
      const refunded = shipped && rnd() < 0.04;
      push(batch, "order", [
        oid,
        domain,
        ogid,
        name,
        1000 + i,
        email,
        customer ? customerGid(customer) : null,
        "en",
        "USD",
        subtotal,
        800,
        Math.round(subtotal * 0.08),
        subtotal + 800 + Math.round(subtotal * 0.08),
        refunded ? "partially_refunded" : "paid",
        shipped ? "fulfilled" : null,
        cancelled ? placed : null,
        cancelled ? "customer" : null,
        delivered && ageMs > 30 * DAY ? deliveredAt : null,
        "Springfield",
        "IL",
        country,
        "62701",
        placed,
        placed,
        deliveredAt ?? (shipped ? shippedAt : placed),
        placed,
        nowDate,
      ]);
      items.forEach((it, l) =>
        push(batch, "lineItem", [
          id("li", `${i}-${l}`),
          oid,
          it.gid,
          `gid://shopify/Product/${it.product + 1}`,
          `gid://shopify/ProductVariant/${it.product * 3 + 1}`,
          it.title,
          "M",
          `SKU-${it.product}`,
          it.quantity,
          it.price,
          `https://cdn.example.com/products/${it.product + 1}.jpg`,
          true,
          shipped || cancelled ? 0 : it.quantity,
          shipped ? "fulfilled" : null,
        ]),
      );
      if (shipped) {
        const carrier = CARRIERS[i % CARRIERS.length];
        const fid = id("f", i);
        const fgid = `gid://shopify/Fulfillment/${prefix}${i}`;
        const number = `${carrier.code.toUpperCase()}${prefix}${String(i).padStart(10, "0")}`;
        const inTransitAt = at(shippedAt.getTime() + 8 * HOUR);
        // A few shipments still on their way have a problem the merchant should see.
        const problem = !delivered && rnd() < 0.15 ? pick(["delayed", "exception", "attempted_delivery"]) : null;
        push(batch, "fulfillment", [
          fid,
          domain,
          fgid,
          ogid,
          `${name}-F1`,
          "success",
          delivered ? "delivered" : "in_transit",
          carrier.company,
          JSON.stringify([number]),
          "[]",
          estimate,
          deliveredAt,
          inTransitAt,
          shippedAt,
          deliveredAt ?? inTransitAt,
          shippedAt,
          nowDate,
        ]);
        items.forEach((it, l) => push(batch, "fulfillmentLine", [id("fl", `${i}-${l}`), fid, it.gid, it.quantity]));
        push(batch, "fulfillmentEvent", [
          id("fe", `${i}a`),
          domain,
          `gid://shopify/FulfillmentEvent/${prefix}${i}a`,
          fgid,
          ogid,
          "in_transit",
          "Departed facility",
          inTransitAt,
          "Springfield",
          country,
          estimate,
          inTransitAt,
        ]);
        if (deliveredAt) {
          push(batch, "fulfillmentEvent", [
            id("fe", `${i}b`),
            domain,
            `gid://shopify/FulfillmentEvent/${prefix}${i}b`,
            fgid,
            ogid,
            "delivered",
            "Delivered",
            deliveredAt,
            "Springfield",
            country,
            null,
            deliveredAt,
          ]);
        }
        push(batch, "shipmentTracking", [
          id("st", i),
          domain,
          fgid,
          ogid,
          name,
          carrier.code,
          number,
          country,
          delivered ? "delivered" : "in_transit",
          shippedAt,
          deliveredAt,
          deliveredAt ?? inTransitAt,
          delivered ? transitDays : null,
          estimate.toISOString().slice(0, 10),
          "carrier",
          delivered ? transitDays <= 4 : null,
          problem,
          problem ? "No scan for 3 business days" : null,
          problem ? at(inTransitAt.getTime() + 2 * DAY) : null,
          shippedAt,
          nowDate,
        ]);
        // The shipped email, and the delivered one; a few failed or were retried.
        for (const [milestone, when] of [
          ["shipped", shippedAt],
          ["delivered", deliveredAt],
        ] as const) {
          if (!when) continue;
          const failed = rnd() < 0.01;
          push(batch, "notification", [
            id("n", `${i}${milestone[0]}`),
            domain,
            "tracking",
            fgid,
            milestone,
            "email",
            email,
            "Bench Goods",
            "care@bench.example",
            "en",
            `Your order ${name} ${milestone === "shipped" ? "is on its way" : "has arrived"}`,
            EMAIL_HTML(name),
            `Your order ${name} is on its way.`,
            ogid,
            customer ? customerGid(customer) : null,
            failed ? "failed" : "sent",
            failed ? 8 : 1,
            when,
            failed ? "550 mailbox unavailable" : null,
            failed ? null : at(when.getTime() + 60_000),
            when,
            nowDate,
          ]);
        }
        // Shoppers open the tracking page on a day or two.
        if (rnd() < 0.6) {
          const views = 1 + Math.floor(rnd() * 2);
          for (let v = 0; v < views; v++) {
            const viewed = at(shippedAt.getTime() + v * DAY + 3 * HOUR);
            if (viewed.getTime() > now) break;
            push(batch, "trackingViewDay", [
              domain,
              ogid,
              viewed.toISOString().slice(0, 10),
              1 + Math.floor(rnd() * 3),
              viewed,
            ]);
          }
        }
      }
      if (refunded) {
        const it = items[0];
        const refundedAt = at(shippedAt.getTime() + 10 * DAY);
        if (refundedAt.getTime() < now) {
          push(batch, "refund", [
            id("r", i),
            domain,
            `gid://shopify/Refund/${prefix}${i}`,
            ogid,
            null,
            it.price,
            "USD",
            refundedAt,
            refundedAt,
            refundedAt,
          ]);
          push(batch, "refundLine", [id("rl", i), id("r", i), it.gid, 1, it.price, "return"]);
        }
      }
      // About 5% of delivered orders come back through Aftercare, 2% through Shopify only.
      if (deliveredAt && rnd() < 0.07) {
        const requested = at(deliveredAt.getTime() + (1 + rnd() * 10) * DAY);
        if (requested.getTime() < now) {
          const throughAftercare = rnd() < 0.72;
          const it = items[0];
          const reason = pick(REASONS);
          const returnGid = `gid://shopify/Return/${prefix}${i}`;
          const age = now - requested.getTime();
          const status =
            age > 20 * DAY
              ? pick(["closed", "closed", "closed", "declined", "canceled"])
              : pick(["requested", "approved", "received", "resolved"]);
          const shopifyStatus =
            status === "declined"
              ? "DECLINED"
              : status === "canceled"
                ? "CANCELED"
                : status === "closed" || status === "resolved"
                  ? "CLOSED"
                  : status === "requested"
                    ? "REQUESTED"
                    : "OPEN";
          const linked = throughAftercare ? rnd() < 0.85 : true;
          if (linked) {
            push(batch, "shopifyReturn", [
              id("sr", i),
              domain,
              returnGid,
              ogid,
              `${name}-R1`,
              shopifyStatus,
              1,
              JSON.stringify([{ lineItemShopifyId: it.gid, quantity: 1, reason: reason.toUpperCase() }]),
              requested,
              shopifyStatus === "CLOSED" ? at(requested.getTime() + 8 * DAY) : null,
              requested,
              requested,
              nowDate,
            ]);
          }
          if (throughAftercare) {
            returnCaseN++;
            const rid = id("rc", i);
            if (!sampleReturn) sampleReturn = rid;
            const resolution = pick(RESOLUTIONS);
            const restocking = resolution === "refund" ? 200 : 0;
            const shippingFee = resolution === "refund" ? 500 : 0;
            const bonus = resolution === "store_credit" ? 300 : 0;
            const resolutionMinor = it.price - restocking - shippingFee + bonus;
            const step = (days: number) => at(requested.getTime() + days * DAY);
            const reached = (s: string) =>
              ["approved", "received", "resolved", "closed"].indexOf(status) >=
              ["approved", "received", "resolved", "closed"].indexOf(s);
            push(batch, "returnCase", [
              rid,
              domain,
              `R${1000 + i}-1`,
              `bench-${prefix}${i}`,
              ogid,
              name,
              customer ? customerGid(customer) : null,
              email,
              "en",
              status,
              resolution,
              "USD",
              it.price,
              restocking,
              shippingFee,
              bonus,
              resolutionMinor,
              resolution.startsWith("exchange") ? it.price : 0,
              rnd() < 0.5,
              status === "declined" ? "RETURN_PERIOD_ENDED" : null,
              linked ? returnGid : null,
              linked ? `${name}-R1` : null,
              linked ? shopifyStatus : null,
              requested,
              reached("approved") || status === "closed" ? step(1) : null,
              status === "declined" ? step(1) : null,
              reached("received") ? step(5) : null,
              reached("resolved") ? step(7) : null,
              status === "closed" ? step(8) : null,
              requested,
              nowDate,
            ]);
            push(batch, "returnCaseLine", [
              id("rcl", i),
              rid,
              it.gid,
              `gid://shopify/Product/${it.product + 1}`,
              `gid://shopify/ProductVariant/${it.product * 3 + 1}`,
              it.title,
              "M",
              1,
              it.price,
              reason,
              reason === "other" ? "It did not suit me." : null,
              resolution.startsWith("exchange") ? `gid://shopify/ProductVariant/${it.product * 3 + 2}` : null,
              resolution.startsWith("exchange") ? `${it.title} / L` : null,
              resolution.startsWith("exchange") ? it.price : null,
              reached("received") ? "restock" : null,
            ]);
            if (status !== "declined" && status !== "canceled") {
              push(batch, "returnLineClaim", [domain, it.gid, ogid, 1]);
            }
          }
        }
      }
    }
    await write(batch);
  }

  // Loyalty: members (customers first, then guests by email), their ledger, a few redemptions.
  const memberBatch = 10_000;
  const perMember = Math.max(1, Math.floor(size.ledger / size.members));
  const extra = size.ledger - perMember * size.members;
  for (let from = 0; from < size.members; from += memberBatch) {
    const batch: Batch = {};
    for (let m = from; m < Math.min(from + memberBatch, size.members); m++) {
      // Three customers in five joined the program; the other members are guests, known by email.
      const isCustomer = m < size.customers && m % 5 < 3;
      const key = isCustomer ? `c:${customerGid(m + 1)}` : `e:member${m}@${prefix}.example.com`;
      const created = at(now - (30 + rnd() * 3 * 365) * DAY);
      const entries = perMember + (m < extra ? 1 : 0);
      let points = 0;
      let last = created;
      for (let e = 0; e < entries; e++) {
        const when = at(created.getTime() + ((now - created.getTime()) * (e + 1)) / (entries + 1));
        const earned = 20 + Math.floor(rnd() * 200);
        points += earned;
        last = when;
        push(batch, "loyaltyLedgerEntry", [
          id("le", `${m}-${e}`),
          domain,
          id("m", m),
          `bench:${m}:${e}`,
          "earn",
          earned,
          at(when.getTime() + 14 * DAY),
          null,
          "Order",
          "system",
          when,
        ]);
      }
      push(batch, "loyaltyMember", [
        id("m", m),
        domain,
        key,
        isCustomer ? customerGid(m + 1) : null,
        isCustomer ? customerEmail(m + 1) : `member${m}@${prefix}.example.com`,
        points,
        points,
        points > 900 ? "gold" : points > 400 ? "silver" : null,
        points * 10,
        last,
        entries,
        created,
        nowDate,
      ]);
      if (m % 20 === 0) {
        push(batch, "loyaltyRedemption", [
          id("rd", m),
          domain,
          id("m", m),
          id("rw", 0),
          "$5 off",
          "fixed_amount",
          500,
          "issued",
          `AFTER-${prefix}${m}`,
          500,
          "USD",
          last,
          last,
        ]);
      }
    }
    await write(batch);
  }

  // Support: requests with a thread, first responses, surveys; webhook deliveries of the last week.
  {
    const batch: Batch = {};
    let sampleRequest = "";
    for (let n = 1; n <= size.requests; n++) {
      const created = at(now - HOUR - rnd() * 365 * DAY);
      const orderNo = 1 + Math.floor(rnd() * size.orders);
      const topic = rnd() < 0.45 ? "order_status" : pick(["returns", "product", "other"]);
      const age = now - created.getTime();
      const status = age > 7 * DAY ? "closed" : pick(["open", "waiting", "closed"]);
      const answered = status !== "open";
      const firstResponseAt = answered ? at(created.getTime() + (0.2 + rnd() * 20) * HOUR) : null;
      const rid = id("cr", n);
      if (!sampleRequest) sampleRequest = rid;
      const email = `asker${n}@${prefix}.example.com`;
      push(batch, "contactRequest", [
        rid,
        domain,
        n,
        status,
        topic,
        `Asker ${n}`,
        email,
        `#${1000 + orderNo}`,
        orderGid(orderNo),
        null,
        "en",
        `asker ${n} ${email} #${1000 + orderNo} #${n} ${topic}`,
        firstResponseAt ?? created,
        firstResponseAt,
        firstResponseAt ? Math.round((firstResponseAt.getTime() - created.getTime()) / 60_000) : null,
        status === "closed" ? at(created.getTime() + 2 * DAY) : null,
        created,
        nowDate,
      ]);
      push(batch, "contactMessage", [
        id("cm", `${n}a`),
        domain,
        rid,
        "customer",
        "Hello, where is my order? It has been a while and I have not heard anything.",
        created,
      ]);
      if (firstResponseAt) {
        push(batch, "contactMessage", [
          id("cm", `${n}b`),
          domain,
          rid,
          "merchant",
          "Thanks for writing: it is with the carrier and should arrive within two days.",
          firstResponseAt,
        ]);
      }
      if (status === "closed") {
        const answeredAt = at(created.getTime() + 3 * DAY);
        const answer = answeredAt.getTime() < now && rnd() < 0.5;
        push(batch, "surveyResponse", [
          id("sv", `c${n}`),
          domain,
          "csat",
          rid,
          rid,
          null,
          answer ? 1 + Math.floor(rnd() * 5) : null,
          null,
          at(created.getTime() + 2 * DAY),
          answer ? answeredAt : null,
          at(created.getTime() + 2 * DAY),
        ]);
      }
    }
    // NPS after delivery, for one order in ten.
    for (let i = 1; i <= size.orders; i += 10) {
      const sent = at(now - HOUR - rnd() * 365 * DAY);
      const answer = rnd() < 0.3;
      push(batch, "surveyResponse", [
        id("sv", `n${i}`),
        domain,
        "nps",
        orderGid(i),
        null,
        orderGid(i),
        answer ? Math.floor(rnd() * 11) : null,
        null,
        sent,
        answer ? at(Math.min(now - 60_000, sent.getTime() + DAY)) : null,
        sent,
      ]);
    }
    const topics = ["orders/create", "orders/updated", "orders/paid", "fulfillments/create", "fulfillments/update"];
    for (let w = 0; w < size.webhookEvents; w++) {
      const received = at(now - rnd() * 7 * DAY);
      const status = w % 500 === 1 ? "failed" : w % 500 === 2 ? "parked" : "processed";
      push(batch, "webhookEvent", [
        id("we", w),
        domain,
        pick(topics),
        `${prefix}-webhook-${w}`,
        JSON.stringify({ id: w, note: "x".repeat(400) }),
        status,
        status === "processed" ? 1 : 8,
        status === "processed" ? null : "TypeError: cannot read properties of undefined",
        status === "failed" ? at(now + HOUR) : received,
        received,
        status === "processed" ? at(received.getTime() + 200) : null,
      ]);
    }
    await write(batch);
    return {
      domain,
      sample: { returnId: sampleReturn, requestId: sampleRequest, memberId: id("m", 0) },
      counts: { ...counts, returnCase: returnCaseN },
    };
  }
}

/**
 * The app's periodic tasks (delay checks over every shipment, the outbox, surveys, loyalty's daily
 * pass, reconciliation, the import) marked as just run, so none starts while pages are measured:
 * what a pass costs is not what this benchmark measures (bench:tracking times the delay check).
 */
export const PERIODIC_TASKS = [
  "tracking.detect-delays",
  "outbox.deliver",
  "contact.nps-surveys",
  "loyalty.daily",
  "reconciliation.pass",
  "history-import.advance",
];

export function periodicTasksJustRun(now: number): Batch {
  return {
    scheduledTask: PERIODIC_TASKS.map((name) => [name, new Date(now + DAY), new Date(now), new Date(now)]),
  };
}

// ---------------------------------------------------------------------------------------------
// Writers: one transaction per batch, each table's rows in bulk.

export interface BulkWriter {
  write(batch: Batch): Promise<void>;
  /** Fresh planner statistics once everything is in (what a production database has). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

/** Prisma's SQLite adapter stores DateTime as ISO 8601 text with an explicit offset, booleans as 0/1. */
const sqliteValue = (v: Value) =>
  v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v;

export function sqliteWriter(file: string): BulkWriter {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // A scratch database: a crash mid-generation only loses the scratch file.
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const statements = new Map<TableKey, Database.Statement>();
  const statement = (key: TableKey) => {
    let s = statements.get(key);
    if (!s) {
      const spec = TABLES[key];
      s = db.prepare(
        `INSERT INTO "${spec.table}" (${spec.columns.map(([c]) => `"${c}"`).join(", ")}) ` +
          `VALUES (${spec.columns.map(() => "?").join(", ")})`,
      );
      statements.set(key, s);
    }
    return s;
  };
  const insert = db.transaction((batch: Batch) => {
    for (const [key, rows] of Object.entries(batch) as [TableKey, Row[]][]) {
      const s = statement(key);
      for (const row of rows) s.run(row.map(sqliteValue));
    }
  });
  return {
    async write(batch) {
      insert(batch);
    },
    async analyze() {
      db.exec("ANALYZE");
    },
    async close() {
      db.close();
    },
  };
}

const PG_TYPE: Record<ColumnType, string> = { text: "text", int: "int4", timestamp: "timestamp(3)", bool: "bool" };
/** Rows per INSERT … SELECT FROM unnest(…): each column goes as one array parameter. */
const PG_ROWS_PER_STATEMENT = 10_000;

export async function postgresWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Timestamps are "timestamp(3)" (no zone) holding UTC, as Prisma writes them.
  await client.query("SET TIME ZONE 'UTC'");
  return {
    async write(batch) {
      await client.query("BEGIN");
      try {
        for (const [key, rows] of Object.entries(batch) as [TableKey, Row[]][]) {
          const spec = TABLES[key];
          for (let start = 0; start < rows.length; start += PG_ROWS_PER_STATEMENT) {
            const chunk = rows.slice(start, start + PG_ROWS_PER_STATEMENT);
            const columns = spec.columns.map((_, index) =>
              chunk.map((row) => {
                const v = row[index];
                return v instanceof Date ? v.toISOString().replace("Z", "") : v;
              }),
            );
            await client.query(
              `INSERT INTO "${spec.table}" (${spec.columns.map(([c]) => `"${c}"`).join(", ")}) ` +
                `SELECT * FROM unnest(${spec.columns.map(([, type], i) => `$${i + 1}::${PG_TYPE[type]}[]`).join(", ")})`, // eslint-disable-line max-len
              columns,
            );
          }
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    },
    async analyze() {
      // VACUUM as well: an index-only scan needs the visibility map a fresh bulk load lacks.
      await client.query("VACUUM ANALYZE");
    },
    async close() {
      await client.end();
    },
  };
}
