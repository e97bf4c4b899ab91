/**
 * The history import's tables (HistoryImport, HistoryImportSettings): the only module that reads or
 * writes them. Shop first, as every model.
 */
import type { Db } from "../db.server";

export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_WINDOW_DAYS = 3650;

/**
 * queued: recorded, Shopify not asked yet (an install queues one and starts it in the background);
 * running: Shopify is building the file; applying: the app is writing it; then completed or failed.
 */
export type HistoryImportStatus = "queued" | "running" | "applying" | "completed" | "failed";
export const ACTIVE_STATUSES: HistoryImportStatus[] = ["queued", "running", "applying"];

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
 * Takes the right to apply an import's file until `until`: only one process applies it at a time,
 * and another takes over when the holder stopped renewing (a restart).
 */
export async function claimApplyLease(db: Db, shop: string, id: string, now: Date, until: Date): Promise<boolean> {
  const { count } = await db.historyImport.updateMany({
    where: { shop, id, status: "applying", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: until },
  });
  return count === 1;
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

export async function completeImport(
  db: Db,
  shop: string,
  id: string,
  data: { linesApplied: number; ordersImported: number; finishedAt: Date },
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
}

/** shop/redact: the shop's imports and settings go with the rest of its data. */
export async function deleteShopImports(db: Db, shop: string) {
  await db.historyImport.deleteMany({ where: { shop } });
  await db.historyImportSettings.deleteMany({ where: { shop } });
}
