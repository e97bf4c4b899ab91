/**
 * The Sync page's "Order history" card: the latest import as the merchant sees it, and the
 * merchant's two actions (import again for a chosen window, retry a failed import).
 */
import type { Db } from "../../db.server";
import { IMPORT_WINDOWS } from "../../domain/history-import/windows";
import { said, type Said } from "../../locales/admin";
import {
  ACTIVE_STATUSES,
  detailsPauseOf,
  latestImport,
  loadImportSettings,
  saveImportSettings,
  type HistoryImportStatus,
} from "../../models/history-import.server";

import { DETAILS_ATTEMPTS, importProgress, startHistoryImport, type HistoryImportDeps } from "./import.server";

export { IMPORT_WINDOWS };

export interface ImportCardView {
  settings: { windowDays: number; pastOrdersEarnPoints: boolean };
  latest: {
    id: string;
    status: string;
    /** Still under way (queued, running, applying its file or reading details). */
    active: boolean;
    trigger: string;
    windowDays: number;
    earnPoints: boolean;
    total: number;
    done: number;
    percent: number;
    secondsLeft: number | null;
    /** The orders read one by one after the file (shipments, refunds, returns), once that began. */
    details: { total: number; done: number } | null;
    /** Reading details paused on failures that may pass: tries in a row so far, of how many, the last one. */
    paused: { attempts: number; of: number; lastError: string } | null;
    /** Why the import failed (a failed import only). */
    error: string | null;
    startedAt: string;
    finishedAt: string | null;
  } | null;
}

export async function importCard(db: Db, shop: string, now: Date): Promise<ImportCardView> {
  const [row, settings] = await Promise.all([latestImport(db, shop), loadImportSettings(db, shop)]);
  if (!row) return { settings, latest: null };
  const progress = importProgress(row, now);
  const pause = detailsPauseOf(row);
  return {
    settings,
    latest: {
      id: row.id,
      status: row.status,
      active: ACTIVE_STATUSES.includes(row.status as HistoryImportStatus),
      trigger: row.trigger,
      windowDays: row.windowDays,
      earnPoints: row.earnPoints,
      ...progress,
      paused: pause && { attempts: pause.attempts, of: DETAILS_ATTEMPTS, lastError: pause.lastError },
      error: row.status === "failed" ? row.error : null,
      startedAt: row.startedAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
    },
  };
}

/** `said`: the answer in the admin's words, for the page (`message` stays English for logs and API callers). */
export type ImportActionResult =
  | { ok: true; message: string; said: Said }
  | {
      ok: false;
      status: 400 | 409;
      message: string;
      said: Said;
      /** Shopify's (or the import's) own English, shown only as a detail under `said`. */
      detail?: string;
    };

/** Reads the "import again" form: a window from IMPORT_WINDOWS and the points switch (a checkbox). */
export function parseImportForm(form: FormData): { windowDays: number; earnPoints: boolean } | { error: string } {
  const raw = form.get("windowDays");
  const windowDays = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(IMPORT_WINDOWS as ReadonlyArray<number>).includes(windowDays)) {
    return { error: `Choose how far back to import: ${IMPORT_WINDOWS.join(", ")} days.` };
  }
  const points = form.get("earnPoints");
  if (points !== null && points !== "on" && points !== "true" && points !== "false") {
    return { error: "Past orders earning points is either on or off." };
  }
  return { windowDays, earnPoints: points === "on" || points === "true" };
}

function started(row: { status: string; error: string | null }, windowDays: number): ImportActionResult {
  if (row.status === "failed")
    return row.error
      ? { ok: false, status: 409, message: row.error, said: said("sync.toast.importFailed"), detail: row.error }
      : { ok: false, status: 409, message: "The import could not start.", said: said("sync.toast.importFailed") };
  return {
    ok: true,
    message: `Importing the last ${windowDays} days of orders`,
    said: said("sync.toast.importing", { count: windowDays }),
  };
}

/** The merchant's import for a longer (or shorter) window; the choices are kept for next time. */
export async function importAgain(deps: HistoryImportDeps, shop: string, form: FormData): Promise<ImportActionResult> {
  const input = parseImportForm(form);
  if ("error" in input) return { ok: false, status: 400, message: input.error, said: said("sync.toast.importInvalid") };
  const current = await latestImport(deps.db, shop);
  if (current && ACTIVE_STATUSES.includes(current.status as HistoryImportStatus)) {
    return {
      ok: false,
      status: 409,
      message: "An import is already under way; wait for it to finish.",
      said: said("sync.toast.importBusy"),
    };
  }
  await saveImportSettings(deps.db, shop, { windowDays: input.windowDays, pastOrdersEarnPoints: input.earnPoints });
  const row = await startHistoryImport(deps, shop, {
    trigger: "merchant",
    windowDays: input.windowDays,
    earnPoints: input.earnPoints,
  });
  return started(row, input.windowDays);
}

/** Runs the latest import again, with its window and points choice, if it failed. */
export async function retryImport(deps: HistoryImportDeps, shop: string): Promise<ImportActionResult> {
  const last = await latestImport(deps.db, shop);
  if (last?.status !== "failed")
    return {
      ok: false,
      status: 409,
      message: "There is no failed import to retry.",
      said: said("sync.toast.noFailedImport"),
    };
  const row = await startHistoryImport(deps, shop, {
    trigger: "retry",
    windowDays: last.windowDays,
    earnPoints: last.earnPoints,
  });
  return started(row, last.windowDays);
}
