import type { Fulfillment, FulfillmentEvent, FulfillmentLine, LineItem, Order, Refund } from "@prisma/client";

import { isSqliteDb, type Db, type Tx } from "../db.server";
import type {
  FulfillmentEventRecord,
  FulfillmentRecord,
  LineItemRecord,
  OrderRecord,
  RefundRecord,
} from "../webhooks/payloads";

import { excluded, executeInTx, newRowId, stored, takeAll, upsertRows, type Upsert } from "./batch-sql.server";
import { rawRows, sql, type Sql } from "./raw-sql.server";

/** The personal fields of an order, as they are after customers/redact. */
export const REDACTED_ORDER_FIELDS = {
  email: null,
  phone: null,
  shippingCity: null,
  shippingProvince: null,
  shippingZip: null,
} as const;

export type ApplyResult = "created" | "updated" | "stale" | "unchanged";

/**
 * Writes an order snapshot unless a newer one is already stored. Either way the newest snapshot
 * wins whatever order the webhooks are processed in; how that is made sure differs by database
 * (see applyOrderInOneWrite for SQLite). On PostgreSQL the conditional update is the guard: a
 * concurrent writer's row lock makes the second update re-check the condition.
 */
export async function applyOrder(db: Db, shop: string, order: OrderRecord): Promise<ApplyResult> {
  if (isSqliteDb(db)) return applyOrderInOneWrite(db, shop, order);
  // Two snapshots of a new order written at once both try to create it: the loser runs again.
  return retryLostRace(() => applyOrderInTransaction(db, shop, order));
}

/**
 * Many writers at once (a burst of webhooks, reconciliation beside them) queue for the pool's
 * connections: they wait for one as the job runner's transactions do, rather than failing after
 * Prisma's default 2 s and being retried from the start.
 */
const ORDER_TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 } as const;

async function applyOrderInTransaction(db: Db, shop: string, order: OrderRecord): Promise<ApplyResult> {
  return db.$transaction((tx) => applyOrderTx(tx, shop, order), ORDER_TX_OPTIONS);
}

/**
 * applyOrder's conditional write inside the caller's transaction: PostgreSQL's webhooks (each in a
 * transaction of its own) and the history import's batches use it. A row created meanwhile by
 * another writer throws (P2002 or RowCreatedMeanwhile): the caller runs its transaction again.
 */
export async function applyOrderTx(tx: Tx, shop: string, order: OrderRecord): Promise<ApplyResult> {
  const { lineItems, ...fields } = order;
  const updated = await tx.order.updateMany({
    where: { shop, shopifyId: order.shopifyId, shopifyUpdatedAt: { lte: order.shopifyUpdatedAt }, redactedAt: null },
    data: fields,
  });
  // An order whose customer asked to be forgotten keeps its commercial facts up to date but
  // never gets the personal ones back from a late webhook.
  const redacted = await tx.order.updateMany({
    where: {
      shop,
      shopifyId: order.shopifyId,
      shopifyUpdatedAt: { lte: order.shopifyUpdatedAt },
      redactedAt: { not: null },
    },
    data: { ...fields, ...REDACTED_ORDER_FIELDS },
  });
  updated.count += redacted.count;
  let orderId: string;
  let result: ApplyResult;
  if (updated.count === 0) {
    const existing = await tx.order.findUnique({
      where: { shop_shopifyId: { shop, shopifyId: order.shopifyId } },
      select: { shopifyUpdatedAt: true },
    });
    if (existing) return staleOrLostRace(existing.shopifyUpdatedAt, order.shopifyUpdatedAt);
    const created = await tx.order.create({ data: { shop, ...fields }, select: { id: true } });
    orderId = created.id;
    result = "created";
  } else {
    const row = await tx.order.findUniqueOrThrow({
      where: { shop_shopifyId: { shop, shopifyId: order.shopifyId } },
      select: { id: true },
    });
    orderId = row.id;
    result = "updated";
  }
  for (const item of lineItems) {
    await tx.lineItem.upsert({
      where: { orderId_shopifyId: { orderId, shopifyId: item.shopifyId } },
      create: { orderId, ...item },
      update: item,
    });
  }
  return result;
}

/** Of several snapshots of one row, the newest (by `at`); the history import's batches. */
export function newestEach<T extends { shopifyId: string }>(records: T[], at: (r: T) => Date | null): T[] {
  const byId = new Map<string, T>();
  for (const r of records) {
    const kept = byId.get(r.shopifyId);
    if (!kept || (at(r)?.getTime() ?? 0) >= (at(kept)?.getTime() ?? 0)) byId.set(r.shopifyId, r);
  }
  return [...byId.values()];
}

/** Every column an order record writes (a record's lineItems aside), checked complete by the compiler. */
const ORDER_FIELDS: Record<keyof Omit<OrderRecord, "lineItems">, true> = {
  shopifyId: true,
  name: true,
  orderNumber: true,
  email: true,
  phone: true,
  customerShopifyId: true,
  customerLocale: true,
  currency: true,
  subtotalMinor: true,
  totalShippingMinor: true,
  totalTaxMinor: true,
  totalDiscountsMinor: true,
  totalMinor: true,
  financialStatus: true,
  fulfillmentStatus: true,
  cancelledAt: true,
  cancelReason: true,
  closedAt: true,
  shippingCity: true,
  shippingProvince: true,
  shippingCountryCode: true,
  shippingZip: true,
  tags: true,
  processedAt: true,
  shopifyCreatedAt: true,
  shopifyUpdatedAt: true,
};
const ORDER_COLUMNS = Object.keys(ORDER_FIELDS) as (keyof typeof ORDER_FIELDS)[];

/**
 * Orders: new ones inserted, stored ones replaced when the new snapshot is at least as new
 * (applyOrderTx's `shopifyUpdatedAt <= incoming`), a redacted order's personal fields kept empty.
 */
const ORDERS_UPSERT: Upsert = {
  table: "Order",
  columns: ["id", "shop", ...ORDER_COLUMNS, "createdAt", "updatedAt"],
  conflict: ["shop", "shopifyId"],
  set: {
    ...takeAll(ORDER_COLUMNS, ["shopifyId"]),
    ...Object.fromEntries(
      Object.keys(REDACTED_ORDER_FIELDS).map((c) => [
        c,
        `CASE WHEN ${stored("Order", "redactedAt")} IS NULL THEN ${excluded(c)} ELSE NULL END`,
      ]),
    ),
    updatedAt: excluded("updatedAt"),
  },
  where: `${stored("Order", "shopifyUpdatedAt")} <= ${excluded("shopifyUpdatedAt")}`,
  returning: ["id", "shopifyId"],
};

const LINE_ITEM_FIELDS: Record<keyof LineItemRecord, true> = {
  shopifyId: true,
  productShopifyId: true,
  variantShopifyId: true,
  title: true,
  variantTitle: true,
  sku: true,
  quantity: true,
  priceMinor: true,
  totalDiscountMinor: true,
  requiresShipping: true,
  fulfillableQuantity: true,
  fulfillmentStatus: true,
};
const LINE_ITEM_COLUMNS = Object.keys(LINE_ITEM_FIELDS) as (keyof LineItemRecord)[];

/** An order's line items as applyOrderTx upserts them (columns the record lacks are left alone). */
const LINE_ITEMS_UPSERT: Upsert = {
  table: "LineItem",
  columns: ["id", "orderId", ...LINE_ITEM_COLUMNS],
  conflict: ["orderId", "shopifyId"],
  set: takeAll(LINE_ITEM_COLUMNS, ["shopifyId"]),
};

/** Of several records keyed alike, the last, in the place of the first (a repeated upsert's outcome). */
function lastOfEach<T>(items: T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.values()];
}

/**
 * Many orders in the caller's transaction, each with the outcome applyOrderTx would give it: the
 * newest snapshot wins, a redacted order never gets its personal fields back, and the line items of
 * every order written are upserted. One statement for the orders (per 300 or so) and one for their
 * line items, whether the orders are new or stored (batch-sql.server.ts). The history import writes
 * its batches this way.
 */
export async function applyOrdersTx(tx: Tx, shop: string, orders: OrderRecord[]): Promise<void> {
  const records = newestEach(orders, (o) => o.shopifyUpdatedAt);
  if (records.length === 0) return;
  const now = new Date();
  const written = await upsertRows<{ id: string; shopifyId: string }>(
    tx,
    ORDERS_UPSERT,
    records.map((o) => [newRowId(), shop, ...ORDER_COLUMNS.map((c) => o[c]), now, now]),
  );
  const idOf = new Map(written.map((o) => [o.shopifyId, o.id]));
  const items = records.flatMap((o) => {
    const orderId = idOf.get(o.shopifyId);
    if (!orderId) return []; // stale: a newer snapshot is stored
    return lastOfEach(o.lineItems, (li) => li.shopifyId).map((li) => [
      newRowId(),
      orderId,
      ...LINE_ITEM_COLUMNS.map((c) => li[c]),
    ]);
  });
  await upsertRows(tx, LINE_ITEMS_UPSERT, items);
}

/** Another writer created the row between this transaction's conditional update and its read. */
class RowCreatedMeanwhile extends Error {
  readonly code = "P2002";
}

/**
 * The conditional update found no row, yet the read finds one: on PostgreSQL each statement sees
 * what was committed when it started, so another writer created the row in between. Ours is stale
 * only if the stored snapshot is newer; otherwise the write is tried again, and its update applies.
 */
function staleOrLostRace(stored: Date, incoming: Date): "stale" {
  if (stored > incoming) return "stale";
  throw new RowCreatedMeanwhile("the row was created by another writer meanwhile");
}

/** A write that found its row changed since it was read (P2025) or created meanwhile (P2002). */
const isLostRace = (error: unknown) => ["P2025", "P2002"].includes((error as { code?: string } | null)?.code ?? "");

/** Reads before writing are retried this often when another writer got in between. */
const RACE_ATTEMPTS = 5;

async function retryLostRace<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= RACE_ATTEMPTS || !isLostRace(error)) throw error;
    }
  }
}

/**
 * SQLite: the read happens outside any transaction and the write is one Prisma operation (the
 * order with its line items nested), whose condition is checked inside that operation's own
 * transaction. SQLite has a single writer and every transaction holds the write lock from its
 * start (db.server.ts), so the check and the write cannot be separated by another writer. The
 * point is the lock: Prisma compiles each operation before it starts a transaction for it, while
 * an interactive transaction compiles its operations one by one with the lock held, and the
 * webhook intake waits for that lock (docs/decisions/0011-job-thread.md).
 */
async function applyOrderInOneWrite(db: Db, shop: string, order: OrderRecord): Promise<ApplyResult> {
  const { lineItems, ...fields } = order;
  // Another writer got in between the read and the write: read again.
  return retryLostRace(async () => {
    const stored = await db.order.findUnique({
      where: { shop_shopifyId: { shop, shopifyId: order.shopifyId } },
      select: { id: true, shopifyUpdatedAt: true, redactedAt: true },
    });
    if (!stored) {
      await db.order.create({ data: { shop, ...fields, lineItems: { create: lineItems } }, select: { id: true } });
      return "created";
    }
    if (stored.shopifyUpdatedAt > order.shopifyUpdatedAt) return "stale";
    const redacted = stored.redactedAt !== null;
    await db.order.update({
      where: {
        id: stored.id,
        shopifyUpdatedAt: { lte: order.shopifyUpdatedAt },
        redactedAt: redacted ? { not: null } : null,
      },
      data: {
        // A forgotten customer's personal fields are not brought back by a late webhook.
        ...(redacted ? { ...fields, ...REDACTED_ORDER_FIELDS } : fields),
        lineItems: {
          upsert: lineItems.map((item) => ({
            where: { orderId_shopifyId: { orderId: stored.id, shopifyId: item.shopifyId } },
            create: item,
            update: item,
          })),
        },
      },
      select: { id: true },
    });
    return "updated";
  });
}

export async function applyFulfillment(db: Db, shop: string, f: FulfillmentRecord): Promise<ApplyResult> {
  // A record with delivery stamps (GraphQL's, not a webhook's) takes the path that writes them.
  if (isSqliteDb(db) && !f.deliveredAt && !f.inTransitAt) {
    return applyFulfillmentInOneWrite(db, shop, f.shopifyId, f.shopifyUpdatedAt, fulfillmentFields(f), f.lines);
  }
  return retryLostRace(() => db.$transaction((tx) => applyFulfillmentTx(tx, shop, f)));
}

/** A fulfillment record's columns as stored (tracking lists as JSON; the delivery stamps apart). */
function fulfillmentFields(f: FulfillmentRecord) {
  const {
    lines: _lines,
    trackingNumbers,
    trackingUrls,
    estimatedDeliveryAt,
    deliveredAt: _deliveredAt,
    inTransitAt: _inTransitAt,
    ...rest
  } = f;
  return {
    ...rest,
    // Shopify's fulfillment payloads rarely carry an estimate; a carrier scan's estimate must
    // not be wiped by a later fulfillments/update that simply does not mention one.
    ...(estimatedDeliveryAt ? { estimatedDeliveryAt } : {}),
    trackingNumbers: JSON.stringify(trackingNumbers),
    trackingUrls: JSON.stringify(trackingUrls),
  };
}

/** applyFulfillment's conditional write inside the caller's transaction (see applyOrderTx). */
export async function applyFulfillmentTx(tx: Tx, shop: string, f: FulfillmentRecord): Promise<ApplyResult> {
  const fields = fulfillmentFields(f);
  const { lines } = f;
  const updated = await tx.fulfillment.updateMany({
    where: { shop, shopifyId: f.shopifyId, shopifyUpdatedAt: { lte: f.shopifyUpdatedAt } },
    data: fields,
  });
  let fulfillmentId: string;
  let result: ApplyResult;
  if (updated.count === 0) {
    const existing = await tx.fulfillment.findUnique({
      where: { shop_shopifyId: { shop, shopifyId: f.shopifyId } },
      select: { shopifyUpdatedAt: true },
    });
    if (existing) return staleOrLostRace(existing.shopifyUpdatedAt, f.shopifyUpdatedAt);
    fulfillmentId = (await tx.fulfillment.create({ data: { shop, ...fields }, select: { id: true } })).id;
    result = "created";
  } else {
    fulfillmentId = (
      await tx.fulfillment.findUniqueOrThrow({
        where: { shop_shopifyId: { shop, shopifyId: f.shopifyId } },
        select: { id: true },
      })
    ).id;
    result = "updated";
  }
  for (const line of lines) {
    await tx.fulfillmentLine.upsert({
      where: { fulfillmentId_lineItemShopifyId: { fulfillmentId, lineItemShopifyId: line.lineItemShopifyId } },
      create: { fulfillmentId, ...line },
      update: { quantity: line.quantity },
    });
  }
  // The delivery stamps the record carries, as a carrier scan stamps them: the earliest stays.
  for (const stamp of ["deliveredAt", "inTransitAt"] as const) {
    const at = f[stamp];
    if (!at) continue;
    await tx.fulfillment.updateMany({
      where: { id: fulfillmentId, OR: [{ [stamp]: null }, { [stamp]: { gt: at } }] },
      data: { [stamp]: at },
    });
  }
  return result;
}

/** Every column a fulfillment record writes (its lines aside), checked complete by the compiler. */
const FULFILLMENT_FIELDS: Record<keyof Omit<FulfillmentRecord, "lines">, true> = {
  shopifyId: true,
  orderShopifyId: true,
  name: true,
  status: true,
  shipmentStatus: true,
  trackingCompany: true,
  trackingNumbers: true,
  trackingUrls: true,
  estimatedDeliveryAt: true,
  deliveredAt: true,
  inTransitAt: true,
  shopifyCreatedAt: true,
  shopifyUpdatedAt: true,
};
const FULFILLMENT_COLUMNS = Object.keys(FULFILLMENT_FIELDS) as (keyof typeof FULFILLMENT_FIELDS)[];

/**
 * Shipments as applyFulfillmentTx writes them: new ones inserted, stored ones replaced by a
 * snapshot at least as new, an estimate a snapshot does not carry left as stored, and of a delivery
 * stamp the earliest kept (as carrier scans stamp them).
 */
const STORED_ESTIMATE = stored("Fulfillment", "estimatedDeliveryAt");
const earliestStamp = (column: "deliveredAt" | "inTransitAt") => {
  const [kept, given] = [stored("Fulfillment", column), excluded(column)];
  return (
    `CASE WHEN ${given} IS NULL THEN ${kept} WHEN ${kept} IS NULL OR ${given} < ${kept} THEN ${given} ` +
    `ELSE ${kept} END`
  );
};
const FULFILLMENTS_UPSERT: Upsert = {
  table: "Fulfillment",
  columns: ["id", "shop", ...FULFILLMENT_COLUMNS, "createdAt", "updatedAt"],
  conflict: ["shop", "shopifyId"],
  set: {
    ...takeAll(FULFILLMENT_COLUMNS, ["shopifyId"]),
    estimatedDeliveryAt: `COALESCE(${excluded("estimatedDeliveryAt")}, ${STORED_ESTIMATE})`,
    deliveredAt: earliestStamp("deliveredAt"),
    inTransitAt: earliestStamp("inTransitAt"),
    updatedAt: excluded("updatedAt"),
  },
  where: `${stored("Fulfillment", "shopifyUpdatedAt")} <= ${excluded("shopifyUpdatedAt")}`,
  returning: ["id", "shopifyId"],
};

/** A shipment's lines as applyFulfillmentTx upserts them: a line stored already takes the new quantity. */
const FULFILLMENT_LINES_UPSERT: Upsert = {
  table: "FulfillmentLine",
  columns: ["id", "fulfillmentId", "lineItemShopifyId", "quantity"],
  conflict: ["fulfillmentId", "lineItemShopifyId"],
  set: { quantity: excluded("quantity") },
};

/**
 * Many fulfillments in the caller's transaction, each with the outcome applyFulfillmentTx would
 * give it (newest wins; the lines of every shipment written are upserted, none removed), new and
 * stored ones alike in one statement, their lines in another (see applyOrdersTx).
 */
export async function applyFulfillmentsTx(tx: Tx, shop: string, fulfillments: FulfillmentRecord[]): Promise<void> {
  const records = newestEach(fulfillments, (f) => f.shopifyUpdatedAt);
  if (records.length === 0) return;
  const now = new Date();
  const written = await upsertRows<{ id: string; shopifyId: string }>(
    tx,
    FULFILLMENTS_UPSERT,
    records.map((f) => {
      const fields = {
        estimatedDeliveryAt: null,
        ...fulfillmentFields(f),
        deliveredAt: f.deliveredAt ?? null,
        inTransitAt: f.inTransitAt ?? null,
      };
      return [newRowId(), shop, ...FULFILLMENT_COLUMNS.map((c) => fields[c]), now, now];
    }),
  );
  const idOf = new Map(written.map((f) => [f.shopifyId, f.id]));
  const lines = records.flatMap((f) => {
    const fulfillmentId = idOf.get(f.shopifyId);
    if (!fulfillmentId || f.lines.length === 0) return [];
    return lastOfEach(f.lines, (l) => l.lineItemShopifyId).map((l) => [
      newRowId(),
      fulfillmentId,
      l.lineItemShopifyId,
      l.quantity,
    ]);
  });
  await upsertRows(tx, FULFILLMENT_LINES_UPSERT, lines);
}

/** A refund as applyRefund writes it: created once, never changed. */
const REFUNDS_INSERT: Upsert = {
  table: "Refund",
  columns: [
    "id",
    "shop",
    "shopifyId",
    "orderShopifyId",
    "note",
    "amountMinor",
    "currency",
    "processedAt",
    "shopifyCreatedAt",
    "createdAt",
  ],
  conflict: ["shop", "shopifyId"],
  set: {},
  returning: ["id", "shopifyId"],
};
const REFUND_LINES_INSERT: Upsert = {
  table: "RefundLine",
  columns: ["id", "refundId", "lineItemShopifyId", "quantity", "subtotalMinor", "restockType"],
  conflict: ["refundId", "lineItemShopifyId"],
  set: {},
};

/**
 * Many refunds in the caller's transaction with applyRefund's outcome: the first record of a refund
 * is created with its lines, a refund stored already (or repeated) is left as it is.
 */
export async function applyRefundsTx(tx: Tx, shop: string, refunds: RefundRecord[]): Promise<void> {
  const first = new Map<string, RefundRecord>();
  for (const r of refunds) if (!first.has(r.shopifyId)) first.set(r.shopifyId, r);
  if (first.size === 0) return;
  const now = new Date();
  const created = await upsertRows<{ id: string; shopifyId: string }>(
    tx,
    REFUNDS_INSERT,
    [...first.values()].map((r) => [
      newRowId(),
      shop,
      r.shopifyId,
      r.orderShopifyId,
      r.note,
      r.amountMinor,
      r.currency,
      r.processedAt,
      r.shopifyCreatedAt,
      now,
    ]),
  );
  const lines = created.flatMap(({ id, shopifyId }) =>
    // A refund's lines as its record lists them; a line named twice is one line (the first).
    first
      .get(shopifyId)!
      .lines.filter((l, i, all) => all.findIndex((o) => o.lineItemShopifyId === l.lineItemShopifyId) === i)
      .map((l) => [newRowId(), id, l.lineItemShopifyId, l.quantity, l.subtotalMinor, l.restockType]),
  );
  await upsertRows(tx, REFUND_LINES_INSERT, lines);
}

/** A carrier scan as applyFulfillmentEvent records it: once, keyed by its gid. */
const FULFILLMENT_EVENTS_INSERT: Upsert = {
  table: "FulfillmentEvent",
  columns: [
    "id",
    "shop",
    "shopifyId",
    "fulfillmentShopifyId",
    "orderShopifyId",
    "status",
    "message",
    "happenedAt",
    "city",
    "province",
    "countryCode",
    "estimatedDeliveryAt",
    "createdAt",
  ],
  conflict: ["shop", "shopifyId"],
  set: {},
  returning: ["shopifyId"],
};

/**
 * Carrier scans in the caller's transaction, each with applyFulfillmentEvent's outcome; at most one
 * scan per shipment in a call (the caller's rounds make sure of it), so each shipment's status and
 * stamps are settled by its one new scan as applyFulfillmentEvent settles them. The scans are
 * inserted in one statement; each new one then takes two or three one-row statements.
 */
export async function applyFulfillmentEventsTx(tx: Tx, shop: string, scans: FulfillmentEventRecord[]): Promise<void> {
  if (scans.length === 0) return;
  const now = new Date();
  const created = await upsertRows<{ shopifyId: string }>(
    tx,
    FULFILLMENT_EVENTS_INSERT,
    scans.map((e) => [
      newRowId(),
      shop,
      e.shopifyId,
      e.fulfillmentShopifyId,
      e.orderShopifyId,
      e.status,
      e.message,
      e.happenedAt,
      e.city,
      e.province,
      e.countryCode,
      e.estimatedDeliveryAt,
      now,
    ]),
  );
  const isNew = new Set(created.map((c) => c.shopifyId));
  for (const e of scans) {
    if (!isNew.has(e.shopifyId)) continue;
    // The newest scan sets the status, unless a fulfillment update newer than it said otherwise.
    await executeInTx(
      tx,
      `UPDATE "Fulfillment" SET "shipmentStatus" = {}, "estimatedDeliveryAt" = COALESCE({}, "estimatedDeliveryAt"),
         "updatedAt" = {}
       WHERE "shop" = {} AND "shopifyId" = {} AND "shopifyUpdatedAt" <= {}
         AND NOT EXISTS (SELECT 1 FROM "FulfillmentEvent" WHERE "shop" = {} AND "fulfillmentShopifyId" = {}
                           AND "happenedAt" > {})`,
      [
        e.status,
        e.estimatedDeliveryAt,
        now,
        shop,
        e.fulfillmentShopifyId,
        e.happenedAt,
        shop,
        e.fulfillmentShopifyId,
        e.happenedAt,
      ],
    );
    const stamp = STAMPS[e.status];
    if (stamp) {
      // The earliest scan of a kind is the one that counts.
      await executeInTx(
        tx,
        `UPDATE "Fulfillment" SET "${stamp}" = {}, "updatedAt" = {}
         WHERE "shop" = {} AND "shopifyId" = {} AND ("${stamp}" IS NULL OR "${stamp}" > {})`,
        [e.happenedAt, now, shop, e.fulfillmentShopifyId, e.happenedAt],
      );
    }
  }
}

/** SQLite: read, then one conditional write with the lines nested (see applyOrderInOneWrite). */
async function applyFulfillmentInOneWrite(
  db: Db,
  shop: string,
  shopifyId: string,
  shopifyUpdatedAt: Date,
  fields: Omit<FulfillmentRecord, "lines" | "trackingNumbers" | "trackingUrls" | "estimatedDeliveryAt"> & {
    trackingNumbers: string;
    trackingUrls: string;
    estimatedDeliveryAt?: Date | null;
  },
  lines: FulfillmentRecord["lines"],
): Promise<ApplyResult> {
  // Another writer got in between the read and the write: read again.
  return retryLostRace(async () => {
    const stored = await db.fulfillment.findUnique({
      where: { shop_shopifyId: { shop, shopifyId } },
      select: { id: true, shopifyUpdatedAt: true },
    });
    if (!stored) {
      await db.fulfillment.create({ data: { shop, ...fields, lines: { create: lines } }, select: { id: true } });
      return "created";
    }
    if (stored.shopifyUpdatedAt > shopifyUpdatedAt) return "stale";
    await db.fulfillment.update({
      where: { id: stored.id, shopifyUpdatedAt: { lte: shopifyUpdatedAt } },
      data: {
        ...fields,
        lines: {
          upsert: lines.map((line) => ({
            where: {
              fulfillmentId_lineItemShopifyId: { fulfillmentId: stored.id, lineItemShopifyId: line.lineItemShopifyId },
            },
            create: line,
            update: { quantity: line.quantity },
          })),
        },
      },
      select: { id: true },
    });
    return "updated";
  });
}

/** Milestones that stamp a time on the shipment itself, for delivery statistics. */
const STAMPS: Record<string, "deliveredAt" | "inTransitAt"> = { delivered: "deliveredAt", in_transit: "inTransitAt" };

/**
 * Records a carrier scan once (keyed by its gid). The newest scan also sets the shipment's
 * status, unless a fulfillment update newer than that scan already said something else.
 */
export async function applyFulfillmentEvent(db: Db, shop: string, e: FulfillmentEventRecord): Promise<ApplyResult> {
  return db.$transaction(async (tx) => {
    const existing = await tx.fulfillmentEvent.findUnique({
      where: { shop_shopifyId: { shop, shopifyId: e.shopifyId } },
      select: { id: true },
    });
    if (existing) return "unchanged";
    await tx.fulfillmentEvent.create({ data: { shop, ...e } });
    const newer = await tx.fulfillmentEvent.findFirst({
      where: { shop, fulfillmentShopifyId: e.fulfillmentShopifyId, happenedAt: { gt: e.happenedAt } },
      select: { id: true },
    });
    if (!newer) {
      await tx.fulfillment.updateMany({
        where: { shop, shopifyId: e.fulfillmentShopifyId, shopifyUpdatedAt: { lte: e.happenedAt } },
        data: {
          shipmentStatus: e.status,
          ...(e.estimatedDeliveryAt ? { estimatedDeliveryAt: e.estimatedDeliveryAt } : {}),
        },
      });
    }
    const stamp = STAMPS[e.status];
    if (stamp) {
      // The earliest scan of a kind is the one that counts (a repeated "delivered" scan does not move it).
      await tx.fulfillment.updateMany({
        where: { shop, shopifyId: e.fulfillmentShopifyId, OR: [{ [stamp]: null }, { [stamp]: { gt: e.happenedAt } }] },
        data: { [stamp]: e.happenedAt },
      });
    }
    return "created";
  });
}

/**
 * Refunds never change once made: recorded once by gid. One create with its lines nested; the
 * unique key turns a repeat into "unchanged" on every database, with no transaction held open.
 */
export async function applyRefund(db: Db, shop: string, r: RefundRecord): Promise<ApplyResult> {
  const { lines, ...fields } = r;
  try {
    await db.refund.create({ data: { shop, ...fields, lines: { create: lines } }, select: { id: true } });
    return "created";
  } catch (error) {
    if ((error as { code?: string } | null)?.code === "P2002") return "unchanged";
    throw error;
  }
}

/** "#1001", "1001" and " #1001 " all name order #1001; shops with a prefix ("AB-1001") are matched as typed. */
export function orderNameCandidates(input: string): string[] {
  const typed = input.trim();
  if (!typed || typed.length > 64) return [];
  const bare = typed.replace(/^#/, "");
  return [...new Set([typed, `#${bare}`, bare])];
}

export async function findOrdersByName(db: Db, shop: string, name: string) {
  const candidates = orderNameCandidates(name);
  if (candidates.length === 0) return [];
  return db.order.findMany({
    where: { shop, name: { in: candidates } },
    select: { shopifyId: true, email: true },
    take: 5,
  });
}

export async function findOrderById(db: Db, shop: string, orderShopifyId: string) {
  return db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    select: { shopifyId: true, email: true, customerShopifyId: true },
  });
}

/** When Shopify last changed the stored order (reconciliation compares it with Shopify's), or null. */
export async function storedOrderUpdatedAt(db: Db, shop: string, orderShopifyId: string): Promise<Date | null> {
  const row = await db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    select: { shopifyUpdatedAt: true },
  });
  return row?.shopifyUpdatedAt ?? null;
}

/** Orders by name, each with its line items: the storefront lookup reads what it shows (raw SQL: raw-sql.server.ts). */
export async function findOrdersByNameWithItems(db: Db, shop: string, name: string): Promise<OrderWithItems[]> {
  const candidates = orderNameCandidates(name);
  if (candidates.length === 0) return [];
  const orders = await rawRows<Order>(db, `SELECT * FROM "Order" WHERE "shop" = {} AND "name" IN ({*}) LIMIT 5`, [
    shop,
    candidates,
  ]);
  return withLineItems(db, orders);
}

export type OrderWithItems = Order & { lineItems: LineItem[] };

export const sortById = <T extends { id: string }>(rows: T[]) =>
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

async function withLineItems(db: Db, orders: Order[]): Promise<OrderWithItems[]> {
  if (orders.length === 0) return [];
  // No ORDER BY on the primary key in these reads: SQLite would walk the whole table in key order
  // rather than use the index on the filter. The few rows are sorted here instead.
  const items = sortById(
    await rawRows<LineItem>(db, `SELECT * FROM "LineItem" WHERE "orderId" IN ({*})`, [orders.map((o) => o.id)]),
  );
  return orders.map((o) => ({ ...o, lineItems: items.filter((i) => i.orderId === o.id) }));
}

export async function recentOrdersOfCustomer(db: Db, shop: string, customerShopifyId: string, take = 10) {
  return db.order.findMany({
    where: { shop, customerShopifyId },
    orderBy: { shopifyCreatedAt: "desc" },
    take,
    select: { shopifyId: true, name: true, shopifyCreatedAt: true, fulfillmentStatus: true, cancelledAt: true },
  });
}

/**
 * An order with its line items (unless `preloaded` is it) and its shipments, oldest first (raw
 * SQL: raw-sql.server.ts).
 */
export async function orderWithShipments(db: Db, shop: string, orderShopifyId: string, preloaded?: OrderWithItems) {
  let order: OrderWithItems | undefined =
    preloaded && preloaded.shop === shop && preloaded.shopifyId === orderShopifyId ? preloaded : undefined;
  if (!order) {
    const rows = await rawRows<Order>(db, `SELECT * FROM "Order" WHERE "shop" = {} AND "shopifyId" = {}`, [
      shop,
      orderShopifyId,
    ]);
    [order] = await withLineItems(db, rows);
  }
  if (!order) return null;
  const shipments = await rawRows<Fulfillment>(
    db,
    `SELECT * FROM "Fulfillment" WHERE "shop" = {} AND "orderShopifyId" = {} ORDER BY "shopifyCreatedAt"`,
    [shop, orderShopifyId],
  );
  return { order, shipments };
}

/** The lines of `shipments` and their carrier scans, newest first; both reads at once. */
export async function linesAndEventsOfShipments(
  db: Db,
  shop: string,
  shipments: Fulfillment[],
): Promise<[FulfillmentLine[], FulfillmentEvent[]]> {
  return Promise.all([
    rawRows<FulfillmentLine>(db, `SELECT * FROM "FulfillmentLine" WHERE "fulfillmentId" IN ({*})`, [
      shipments.map((f) => f.id),
    ]).then(sortById),
    rawRows<FulfillmentEvent>(
      db,
      `SELECT * FROM "FulfillmentEvent" WHERE "shop" = {} AND "fulfillmentShopifyId" IN ({*})
       ORDER BY "happenedAt" DESC`,
      [shop, shipments.map((f) => f.shopifyId)],
    ),
  ]);
}

/** The order a shipment belongs to, or null when the shipment is not mirrored (yet). */
export async function findFulfillmentOrder(db: Db, shop: string, fulfillmentShopifyId: string) {
  // A plain prepared read (decision 0012): the effects stage asks for every shipment event.
  const [found] = await rawRows<{ orderShopifyId: string }>(
    db,
    `SELECT "orderShopifyId" FROM "Fulfillment" WHERE "shop" = {} AND "shopifyId" = {}`,
    [shop, fulfillmentShopifyId],
  );
  return found ?? null;
}

/** An order with its line items, or null. */
export async function findOrderWithLineItems(db: Db, shop: string, orderShopifyId: string) {
  return db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    include: { lineItems: true },
  });
}

/** An order's currency and whether it was redacted, or null. */
export async function findOrderCurrency(db: Db, shop: string, orderShopifyId: string) {
  return db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    select: { currency: true, redactedAt: true },
  });
}

/** An order's shipments with their lines, oldest first. */
export async function fulfillmentsWithLines(db: Db, shop: string, orderShopifyId: string) {
  return db.fulfillment.findMany({
    where: { shop, orderShopifyId },
    include: { lines: true },
    orderBy: { shopifyCreatedAt: "asc" },
  });
}

/** An order's successful shipments with their lines (what can be returned). */
export async function successfulFulfillmentsWithLines(db: Db, shop: string, orderShopifyId: string) {
  return db.fulfillment.findMany({ where: { shop, orderShopifyId, status: "success" }, include: { lines: true } });
}

/** An order's refunds with their lines. */
export async function refundsWithLines(db: Db, shop: string, orderShopifyId: string) {
  return db.refund.findMany({ where: { shop, orderShopifyId }, include: { lines: true } });
}

/**
 * Units bought in the shop's orders not cancelled, all of them or one customer's (by customer id,
 * or by email in the spellings given).
 */
export async function unitsBought(
  db: Db,
  shop: string,
  customer: { customerShopifyId: string } | { email: { in: string[] } } | null = null,
): Promise<number> {
  const sum = await db.lineItem.aggregate({
    _sum: { quantity: true },
    where: { order: { shop, ...customer, cancelledAt: null } },
  });
  return sum._sum.quantity ?? 0;
}

/** Orders placed since `since` and not cancelled. */
export async function countOrdersSince(db: Db, shop: string, since: Date): Promise<number> {
  return db.order.count({ where: { shop, shopifyCreatedAt: { gte: since }, cancelledAt: null } });
}

/** What the inbox's order panel shows of an order, or null. */
export async function findOrderForInbox(db: Db, shop: string, orderShopifyId: string) {
  return db.order.findFirst({
    where: { shop, shopifyId: orderShopifyId },
    select: {
      shopifyId: true,
      name: true,
      totalMinor: true,
      currency: true,
      financialStatus: true,
      fulfillmentStatus: true,
      cancelledAt: true,
      shopifyCreatedAt: true,
      customerShopifyId: true,
      lineItems: { select: { title: true, quantity: true } },
    },
  });
}

/** An order's shipments, oldest first. */
export async function fulfillmentsOfOrder(db: Db, shop: string, orderShopifyId: string) {
  return db.fulfillment.findMany({ where: { shop, orderShopifyId }, orderBy: { shopifyCreatedAt: "asc" } });
}

/** An order's refunds: amount, currency and when. */
export async function refundAmountsOfOrder(db: Db, shop: string, orderShopifyId: string) {
  return db.refund.findMany({
    where: { shop, orderShopifyId },
    select: { amountMinor: true, currency: true, shopifyCreatedAt: true },
  });
}

/** Which of the orders `orderShopifyIds` is the customer's, if one is. */
export async function findCustomerOrderAmong(
  db: Db,
  shop: string,
  orderShopifyIds: string[],
  customerShopifyId: string,
) {
  return db.order.findFirst({
    where: { shop, shopifyId: { in: orderShopifyIds }, customerShopifyId },
    select: { shopifyId: true },
  });
}

/** The locale the customer placed the order in, or null when the order is not mirrored. */
export async function findOrderLocale(db: Db, shop: string, orderShopifyId: string) {
  return db.order.findFirst({ where: { shop, shopifyId: orderShopifyId }, select: { customerLocale: true } });
}

/** Shipments delivered after `from` and at or before `to` (at most `take`): the order each is of. */
export async function deliveredShipmentOrders(db: Db, shop: string, from: Date, to: Date, take: number) {
  return db.fulfillment.findMany({
    where: { shop, deliveredAt: { lte: to, gt: from } },
    select: { orderShopifyId: true },
    take,
  });
}

/** Of `orderShopifyIds`, the orders with an email, neither cancelled nor redacted. */
export async function emailableOrders(db: Db, shop: string, orderShopifyIds: string[]) {
  return db.order.findMany({
    where: { shop, shopifyId: { in: orderShopifyIds }, email: { not: null }, cancelledAt: null, redactedAt: null },
    select: { shopifyId: true, name: true, email: true, customerLocale: true },
  });
}

/** An order's refunds with the subtotal of each line, oldest first. */
export async function refundsWithLineSubtotals(
  db: Db,
  shop: string,
  orderShopifyId: string,
): Promise<(Refund & { lines: { subtotalMinor: number }[] })[]> {
  // Plain reads (decision 0012): loyalty settles an order in every effects batch that touches it,
  // and most orders have no refund, which is then one prepared statement.
  const refunds = await rawRows<Refund>(db, `SELECT * FROM "Refund" WHERE "shop" = {} AND "orderShopifyId" = {}`, [
    shop,
    orderShopifyId,
  ]);
  if (refunds.length === 0) return [];
  const lines = await rawRows<{ refundId: string; subtotalMinor: number }>(
    db,
    `SELECT "refundId", "subtotalMinor" FROM "RefundLine" WHERE "refundId" IN ({*})`,
    [refunds.map((r) => r.id)],
  );
  return refunds
    .sort(
      (a, b) =>
        a.shopifyCreatedAt.getTime() - b.shopifyCreatedAt.getTime() ||
        (a.shopifyId < b.shopifyId ? -1 : a.shopifyId > b.shopifyId ? 1 : 0),
    )
    .map((refund) => ({
      ...refund,
      lines: lines.filter((l) => l.refundId === refund.id).map((l) => ({ subtotalMinor: Number(l.subtotalMinor) })),
    }));
}

/** When the order was cancelled, or null when it is not mirrored. */
export async function findOrderCancellation(db: Db, shop: string, orderShopifyId: string) {
  const [order] = await rawRows<{ cancelledAt: Date | null }>(
    db,
    `SELECT "cancelledAt" FROM "Order" WHERE "shop" = {} AND "shopifyId" = {}`,
    [shop, orderShopifyId],
  );
  return order ?? null;
}

/**
 * The orders still to ship that were placed in [placedAfter, placedBefore), as a piece of SQL for
 * the needs-attention list (the tracking area builds it into its statement; decision 0028): each row
 * says the order's gid, name and when it was placed. Not cancelled or closed, some line still to
 * ship, the same rule the storefront and the delay check apply.
 */
export function unfulfilledOrdersPiece(shop: string, placedBefore: Date, placedAfter: Date): Sql {
  return sql`SELECT o."shopifyId" AS "orderShopifyId", o."name" AS "orderName", o."shopifyCreatedAt" AS "placedAt"
    FROM "Order" o
    WHERE o."shop" = ${shop} AND o."shopifyCreatedAt" < ${placedBefore} AND o."shopifyCreatedAt" >= ${placedAfter}
      AND o."cancelledAt" IS NULL AND o."closedAt" IS NULL
      AND (o."fulfillmentStatus" IS NULL OR o."fulfillmentStatus" IN (${["partial", "unfulfilled", "restocked"]}))
      AND EXISTS (SELECT 1 FROM "LineItem" li
        WHERE li."orderId" = o."id" AND li."requiresShipping" = TRUE AND li."fulfillableQuantity" > 0)`;
}
