/**
 * The history import's tables (HistoryImport, HistoryImportSettings, HistoryImportPendingOrder):
 * the only module that reads or writes them. Shop first, as every model.
 */
import type { Db, Tx } from "../db.server";

export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_WINDOW_DAYS = 3650;

/**
 * queued: recorded, Shopify not asked yet (an install queues one and starts it in the background);
 * running: Shopify is building the file; applying: the app is writing it; details: the app reads,
 * one by one, the orders whose shipments, refunds or returns the file could not carry whole; then
 * completed or failed.
 */
export type HistoryImportStatus = "queued" | "running" | "applying" | "details" | "completed" | "failed";
export const ACTIVE_STATUSES: HistoryImportStatus[] = ["queued", "running", "applying", "details"];
/** The statuses in which a process holding the lease writes to the mirror. */
const LEASED_STATUSES: HistoryImportStatus[] = ["applying", "details"];

export interface HistoryImportSettingsRow {
  windowDays: number;
  pastOrdersEarnPoints: boolean;
}

export async function loadImportSettings(db: Db, shop: string): Promise<HistoryImportSettingsRow> {
  const row = await db.historyImportSettings.findUnique({ where: { shop } });
  return {
    windowDays: row?.windowDays ?? DEFAULT_WINDOW_DAYS,
    pastOrdersEarnPoints: row?.pastOrdersEarnPoints ?? false,
  };
}

export async function saveImportSettings(db: Db, shop: string, settings: HistoryImportSettingsRow) {
  await db.historyImportSettings.upsert({ where: { shop }, create: { shop, ...settings }, update: settings });
}

export async function createImport(
  db: Db,
  shop: string,
  data: { trigger: string; windowDays: number; since: Date; earnPoints: boolean; startedAt: Date },
) {
  return db.historyImport.create({ data: { shop, status: "queued", ...data } });
}

/** Takes a queued import to start it: true for the one caller that wins (the install's nudge or the task). */
export async function claimQueuedImport(db: Db, shop: string, id: string): Promise<boolean> {
  const { count } = await db.historyImport.updateMany({
    where: { shop, id, status: "queued" },
    data: { status: "running" },
  });
  return count === 1;
}

export const latestImport = (db: Db, shop: string) =>
  db.historyImport.findFirst({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });

export const activeImport = (db: Db, shop: string) =>
  db.historyImport.findFirst({ where: { shop, status: { in: ACTIVE_STATUSES } }, orderBy: { createdAt: "desc" } });

export const lastCompletedImport = (db: Db, shop: string) =>
  db.historyImport.findFirst({ where: { shop, status: "completed" }, orderBy: { createdAt: "desc" } });

export const findImport = (db: Db, shop: string, id: string) => db.historyImport.findFirst({ where: { shop, id } });

export const importForBulkOperation = (db: Db, shop: string, bulkOperationId: string) =>
  db.historyImport.findFirst({ where: { shop, bulkOperationId } });

/** Every shop's unfinished imports (the periodic fallback in case a finish webhook is missed). */
export const unfinishedImports = (db: Db) =>
  db.historyImport.findMany({
    where: { status: { in: ACTIVE_STATUSES } },
    select: { id: true, shop: true, status: true },
    orderBy: { createdAt: "asc" },
    take: 50,
  });

export async function updateImport(
  db: Db,
  shop: string,
  id: string,
  data: Partial<{
    status: HistoryImportStatus;
    bulkOperationId: string;
    resultUrl: string | null;
    ordersTotal: number | null;
    objectsTotal: number | null;
    error: string | null;
    applyingAt: Date;
    finishedAt: Date;
  }>,
) {
  await db.historyImport.updateMany({ where: { shop, id }, data });
}

/**
 * Takes the right to apply an import's file, then to read its orders' details, until `until`: only
 * one process writes an import at a time, and another takes over when the holder stopped renewing
 * (a restart).
 */
export async function claimApplyLease(db: Db, shop: string, id: string, now: Date, until: Date): Promise<boolean> {
  const { count } = await db.historyImport.updateMany({
    where: { shop, id, status: { in: LEASED_STATUSES }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: until },
  });
  return count === 1;
}

/**
 * A details phase paused by failures that may pass (Shopify down or throttling, a dropped
 * connection): how many tries in a row met one, since when, and the last one in a merchant's words.
 * Kept in the row's `error` while the import is in `details` (a failed import's `error` is its
 * message); the next order read clears it.
 */
export interface DetailsPause {
  attempts: number;
  lastError: string;
  since: Date;
  at: Date;
}

/** The pause a row records, or null. */
export function detailsPauseOf(row: { status: string; error: string | null }): DetailsPause | null {
  if (row.status !== "details" || !row.error?.startsWith("{")) return null;
  try {
    const { pause } = JSON.parse(row.error) as {
      pause?: { attempts: number; lastError: string; since: string; at: string };
    };
    if (!pause) return null;
    return { ...pause, since: new Date(pause.since), at: new Date(pause.at) };
  } catch {
    return null;
  }
}

/**
 * One more try of the details phase failed: the pause is counted (one more in a row) and recorded,
 * and the lease is held for `waitMs(attempts)`, so no process tries again before then. Returns the
 * pause.
 */
export async function pauseDetails(
  db: Db,
  shop: string,
  id: string,
  failure: { lastError: string; at: Date; waitMs: (attempts: number) => number },
): Promise<DetailsPause> {
  const row = await db.historyImport.findFirst({ where: { shop, id }, select: { status: true, error: true } });
  const before = row ? detailsPauseOf(row) : null;
  const pause = {
    attempts: (before?.attempts ?? 0) + 1,
    lastError: failure.lastError.slice(0, 500),
    since: before?.since ?? failure.at,
    at: failure.at,
  };
  await db.historyImport.updateMany({
    where: { shop, id, status: "details" },
    data: {
      error: JSON.stringify({ pause }),
      leaseUntil: new Date(failure.at.getTime() + failure.waitMs(pause.attempts)),
    },
  });
  return pause;
}

/** Records how far the file has been applied (the line of the last order applied in full). */
export async function saveCursor(
  db: Db,
  shop: string,
  id: string,
  cursor: { linesApplied: number; ordersImported: number; leaseUntil: Date },
) {
  await db.historyImport.updateMany({ where: { shop, id }, data: cursor });
}

/**
 * Records, in the batch's transaction, the orders of a batch whose details are still to be read.
 * A batch applied again after a restart records nothing twice.
 */
export async function recordPendingOrdersTx(
  tx: Tx,
  shop: string,
  importId: string,
  orders: { orderShopifyId: string; position: number }[],
) {
  if (orders.length === 0) return;
  const known = await tx.historyImportPendingOrder.findMany({
    where: { importId, shop, orderShopifyId: { in: orders.map((o) => o.orderShopifyId) } },
    select: { orderShopifyId: true },
  });
  const skip = new Set(known.map((o) => o.orderShopifyId));
  const fresh = [...new Map(orders.filter((o) => !skip.has(o.orderShopifyId)).map((o) => [o.orderShopifyId, o]))];
  if (fresh.length === 0) return;
  await tx.historyImportPendingOrder.createMany({ data: fresh.map(([, o]) => ({ importId, shop, ...o })) });
}

/** The file is applied: the import moves on to reading the details of the orders recorded for it. */
export async function beginDetails(
  db: Db,
  shop: string,
  id: string,
  data: { linesApplied: number; ordersImported: number; detailsAt: Date; leaseUntil: Date },
) {
  const detailsTotal = await db.historyImportPendingOrder.count({ where: { importId: id, shop } });
  await db.historyImport.updateMany({
    where: { shop, id, status: "applying" },
    data: { ...data, status: "details", detailsTotal, detailsDone: 0 },
  });
  return detailsTotal;
}

/** The next orders to read, newest first (the last lines of the file: the orders shoppers return now). */
export async function nextPendingOrders(db: Db, shop: string, id: string, take: number): Promise<string[]> {
  const rows = await db.historyImportPendingOrder.findMany({
    where: { importId: id, shop },
    orderBy: [{ position: "desc" }, { orderShopifyId: "asc" }],
    select: { orderShopifyId: true },
    take,
  });
  return rows.map((r) => r.orderShopifyId);
}

/**
 * An order's details are applied: its row goes and the count moves on, together, the lease is
 * renewed and a pause is over (Shopify answered). Counted only when the row was still there, so an
 * order read twice (a lapsed lease, a restart between the write and this) counts once.
 */
export async function finishPendingOrder(
  db: Db,
  shop: string,
  id: string,
  orderShopifyId: string,
  leaseUntil: Date,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.historyImportPendingOrder.deleteMany({ where: { importId: id, shop, orderShopifyId } });
    await tx.historyImport.updateMany({
      where: { shop, id },
      data: { leaseUntil, error: null, ...(count > 0 ? { detailsDone: { increment: count } } : {}) },
    });
  });
}

export async function completeImport(
  db: Db,
  shop: string,
  id: string,
  data: { linesApplied?: number; ordersImported?: number; finishedAt: Date },
) {
  await db.historyImport.updateMany({
    where: { shop, id },
    data: { ...data, status: "completed", leaseUntil: null, error: null },
  });
}

export async function failImport(db: Db, shop: string, id: string, error: string, finishedAt: Date) {
  await db.historyImport.updateMany({
    where: { shop, id },
    data: { status: "failed", error: error.slice(0, 1000), finishedAt, leaseUntil: null },
  });
  // A failed import is not resumed (Retry starts a new one): what it had left to read goes.
  await db.historyImportPendingOrder.deleteMany({ where: { importId: id, shop } });
}

/** shop/redact: the shop's imports and settings go with the rest of its data. */
export async function deleteShopImports(db: Db, shop: string) {
  await db.historyImportPendingOrder.deleteMany({ where: { shop } });
  await db.historyImport.deleteMany({ where: { shop } });
  await db.historyImportSettings.deleteMany({ where: { shop } });
}
