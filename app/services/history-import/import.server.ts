/**
 * Importing a shop's past (issue 16, docs/decisions/0022-history-import.md): one Shopify bulk query
 * for the orders of the window, its JSONL result streamed line by line and applied through the
 * mirror functions the webhooks use, in batches, with the line reached saved after each batch so a
 * restart resumes there. Memory holds one order with its lines at a time, whatever the file's size.
 * Then the details phase: the orders whose shipments' lines, refunds or returns' lines the file
 * could not carry (recorded with their batch) are read one by one with reconciliation's per-order
 * query and applied by reconciliation's own code, newest first, each crossed off once applied.
 */
import { createInterface } from "node:readline";
import { Readable } from "node:stream";

import type { Db } from "../../db.server";
import { applyCustomersTx } from "../../models/customers.server";
import {
  activeImport,
  beginDetails,
  claimApplyLease,
  claimQueuedImport,
  completeImport,
  createImport,
  failImport,
  findImport,
  finishPendingOrder,
  lastCompletedImport,
  latestImport,
  loadImportSettings,
  nextPendingOrders,
  pauseDetails,
  recordPendingOrdersTx,
  type DetailsPause,
  saveCursor,
  updateImport,
} from "../../models/history-import.server";
import { applyFulfillmentsTx, applyOrdersTx } from "../../models/orders.server";
import { ZERO_COUNTS } from "../../models/reconciliation.server";
import { applyReturnEventsTx } from "../../models/shopify-returns.server";
import { adminClient, ShopifyUserError, type AdminClientOptions, type GraphqlFn } from "../../shopify/admin.server";
import { HistoryImportStart, HistoryImportStatus, historyOrdersQuery } from "../../shopify/operations/history-import";
import { earnForPaidOrder } from "../loyalty/earning.server";
import { reconcileOrderById } from "../reconciliation/reconcile.server";

import {
  customerRecord,
  fulfillmentRecords,
  isPaid,
  needsDetails,
  orderRecord,
  paidOrderPayload,
  returnEvents,
  type LineItemLine,
  type OrderGroup,
  type OrderLine,
  type ReturnLine,
} from "./records";
import { transientReason, watchFailures } from "./shopify-failures.server";

export interface HistoryImportDeps {
  db: Db;
  graphql: GraphqlFn;
  /** GET of the result URL (global fetch; tests and the bench answer from the sandbox in-process). */
  fetchResult?: (url: string) => Promise<Response>;
  now?: () => Date;
  /** Orders applied between two saves of the cursor. */
  batchSize?: number;
  /** Tests: stop (as a crash would) after this many batches. */
  stopAfterBatches?: number;
  /** Tests: stop (as a crash would) after this many orders of the details phase. */
  stopAfterDetails?: number;
  /** How the Admin API client waits out throttling (tests pass a sleep that does not wait). */
  admin?: AdminClientOptions;
}

const DAY_MS = 86_400_000;
const LEASE_MS = 2 * 60_000;
/** Tries of the details phase that may fail in a row (Shopify down, a dropped connection) before the import fails. */
export const DETAILS_ATTEMPTS = 5;
/** How long a paused details phase waits before the next try: 30 s, doubling, at most 5 minutes. */
export const detailsRetryWait = (attempts: number) => Math.min(30_000 * 2 ** (attempts - 1), 5 * 60_000);
/** How long a taken import may wait for Shopify's answer to its start before it counts as lost. */
const LAUNCH_GRACE_MS = 5 * 60_000;

export class ImportInterrupted extends Error {
  constructor() {
    super("stopped on purpose after a batch");
    this.name = "ImportInterrupted";
  }
}

interface StartOptions {
  trigger: "install" | "merchant" | "retry";
  windowDays?: number;
  earnPoints?: boolean;
}

/**
 * Records an import of the last `windowDays` days, queued (Shopify is not asked yet), unless one is
 * already under way (which is returned). After a reinstall the window reaches back to the last
 * import's start as well, so everything imported before is brought up to date (the mirror keeps the
 * newest of each row). Only database work: an install calls it without waiting for Shopify.
 */
export async function queueHistoryImport(db: Db, shop: string, options: StartOptions, now: Date) {
  const running = await activeImport(db, shop);
  if (running) return running;
  const settings = await loadImportSettings(db, shop);
  const windowDays = options.windowDays ?? settings.windowDays;
  let since = new Date(now.getTime() - windowDays * DAY_MS);
  const previous = await lastCompletedImport(db, shop);
  if (options.trigger === "install" && previous && previous.since < since) since = previous.since;
  return createImport(db, shop, {
    trigger: options.trigger,
    windowDays,
    since,
    earnPoints: options.earnPoints ?? settings.pastOrdersEarnPoints,
    startedAt: now,
  });
}

/**
 * Asks Shopify to run the bulk query of a queued import. Only the caller that takes the queued row
 * asks (an install's background nudge and the periodic task may both try); a refusal or an error
 * fails the import with a message for the Sync page.
 */
export async function launchHistoryImport(deps: HistoryImportDeps, shop: string, id: string) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  if (!(await claimQueuedImport(db, shop, id))) return (await findImport(db, shop, id))?.status ?? "missing";
  const row = (await findImport(db, shop, id))!;
  try {
    const payload = await adminClient(deps.graphql).mutate(HistoryImportStart, (data) => data.bulkOperationRunQuery, {
      query: historyOrdersQuery(`created_at:>=${row.since.toISOString()}`),
    });
    if (!payload.bulkOperation) throw new Error("Shopify started no bulk operation");
    await updateImport(db, shop, id, { bulkOperationId: payload.bulkOperation.id });
    return "running";
  } catch (error) {
    const message =
      error instanceof ShopifyUserError && error.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS")
        ? "Another bulk query of this app is still running in Shopify; retry in a few minutes."
        : (error as Error).message;
    await failImport(db, shop, id, message, now());
    return "failed";
  }
}

/**
 * An install (Shopify's afterAuth, which also runs on later sign-ins): queues an import when the
 * shop has never had one, or was uninstalled after its last one began (what changed while the app
 * was away). `uninstalledAt` is the shop's state from before this install was recorded. Returns the
 * queued import's id, for the caller to start in the background, or null.
 */
export async function queueImportOnInstall(db: Db, shop: string, uninstalledAt: Date | null, now: Date) {
  const last = await latestImport(db, shop);
  if (last && !(uninstalledAt && uninstalledAt > last.createdAt)) return null;
  const row = await queueHistoryImport(db, shop, { trigger: "install" }, now);
  return row.status === "queued" ? row.id : null;
}

/**
 * An install's start: Shopify is asked to run the bulk query, and nothing more, so the web process
 * that answered the install never applies a file (the finish webhook's job does). Not awaited.
 */
export function launchInBackground(input: { db: Db; shop: string; id: string; graphql: GraphqlFn }) {
  launchHistoryImport({ db: input.db, graphql: input.graphql }, input.shop, input.id).catch((error) =>
    console.error(`[history-import] import ${input.id} of ${input.shop} could not be started`, error),
  );
}

/** Queues an import and asks Shopify at once (the Sync page's buttons, tests); returns its row. */
export async function startHistoryImport(deps: HistoryImportDeps, shop: string, options: StartOptions) {
  const now = (deps.now ?? (() => new Date()))();
  const row = await queueHistoryImport(deps.db, shop, options, now);
  if (row.status !== "queued") return row;
  await launchHistoryImport(deps, shop, row.id);
  return (await findImport(deps.db, shop, row.id))!;
}

/**
 * Moves an import on: asks Shopify how the bulk query is doing and, once it has completed,
 * applies its file. Safe to call any number of times from anywhere (the finish webhook, the
 * periodic fallback, a page): a finished import is left alone and only one process applies a file.
 */
export async function advanceHistoryImport(deps: HistoryImportDeps, shop: string, id: string) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const row = await findImport(db, shop, id);
  if (!row || row.status === "completed" || row.status === "failed") return row?.status ?? "missing";
  if (row.status === "queued") {
    const launched = await launchHistoryImport(deps, shop, id);
    if (launched !== "running") return launched;
    return advanceHistoryImport(deps, shop, id);
  }
  if (row.status === "running") {
    if (!row.bulkOperationId) {
      // Taken to be started, then nothing: the process that took it stopped before Shopify answered.
      if (now().getTime() - row.updatedAt.getTime() < LAUNCH_GRACE_MS) return "running";
      await failImport(db, shop, id, "Starting the import was interrupted; retry it.", now());
      return "failed";
    }
    const { bulkOperation: op } = await adminClient(deps.graphql).request(HistoryImportStatus, {
      id: row.bulkOperationId,
    });
    if (!op) {
      await failImport(db, shop, id, "Shopify no longer knows this import's bulk operation.", now());
      return "failed";
    }
    const counts = { ordersTotal: Number(op.rootObjectCount), objectsTotal: Number(op.objectCount) };
    if (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING") {
      await updateImport(db, shop, id, counts);
      return "running";
    }
    if (op.status !== "COMPLETED") {
      const reason = op.errorCode ? `${op.status.toLowerCase()} (${op.errorCode})` : op.status.toLowerCase();
      await failImport(db, shop, id, `Shopify's bulk query ended ${reason}.`, now());
      return "failed";
    }
    await updateImport(db, shop, id, { ...counts, status: "applying", resultUrl: op.url, applyingAt: now() });
  }
  return applyHistoryFile(deps, shop, id);
}

/** The details phase could not go on now (a failure that may pass, in a merchant's words): later. */
class DetailsPaused extends Error {}

/** Applies the completed bulk query's file from the saved cursor on, if this process wins the lease. */
async function applyHistoryFile(deps: HistoryImportDeps, shop: string, id: string) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const leaseUntil = () => new Date(now().getTime() + LEASE_MS);
  if (!(await claimApplyLease(db, shop, id, now(), leaseUntil()))) {
    return (await findImport(db, shop, id))?.status ?? "missing";
  }
  const row = (await findImport(db, shop, id))!;
  if (row.status === "details") return readDetails(deps, shop, id);
  const batchSize = deps.batchSize ?? 500;
  let ordersImported = row.ordersImported;
  let lineNo = 0;
  let batches = 0;
  try {
    if (!row.resultUrl) {
      // Shopify gives no URL when the query matched nothing.
      await completeImport(db, shop, id, { linesApplied: 0, ordersImported, finishedAt: now() });
      return "completed";
    }
    const response = await (deps.fetchResult ?? ((url: string) => fetch(url)))(row.resultUrl);
    if (!response.ok || !response.body) throw new Error(`The import's file answered ${response.status}.`);
    const lines = createInterface({
      input: Readable.from(response.body as unknown as AsyncIterable<Uint8Array>),
      crlfDelay: Infinity,
    });
    let group: OrderGroup | null = null;
    // Whole orders read but not written yet, and the line the last of them ends on.
    const pending: OrderGroup[] = [];
    let pendingEnd = 0;
    const write = async () => {
      if (pending.length === 0) return;
      await applyOrderGroups(db, shop, pending, { earnPoints: row.earnPoints, now: now(), importId: id });
      ordersImported += pending.length;
      pending.length = 0;
      batches += 1;
      await saveCursor(db, shop, id, { linesApplied: pendingEnd, ordersImported, leaseUntil: leaseUntil() });
      if (deps.stopAfterBatches !== undefined && batches >= deps.stopAfterBatches) throw new ImportInterrupted();
    };
    const flush = async (endLine: number) => {
      const done = group;
      if (!done) return;
      group = null;
      pending.push(done);
      pendingEnd = endLine;
      if (pending.length >= batchSize) await write();
    };
    for await (const text of lines) {
      lineNo += 1;
      if (lineNo <= row.linesApplied || text === "") continue;
      const node = JSON.parse(text) as { id: string; __parentId?: string };
      if (!node.__parentId) {
        await flush(lineNo - 1);
        group = { order: node as unknown as OrderLine, lineItems: [], returns: [], line: lineNo };
        continue;
      }
      const current = group as OrderGroup | null;
      // Shopify writes a node's children after it; one that belongs elsewhere means the file is not
      // what this reader understands, and guessing would write wrong rows.
      if (!current || node.__parentId !== current.order.id) {
        throw new Error(`Line ${lineNo} belongs to ${node.__parentId}, which is not the order being read.`);
      }
      if (node.id.startsWith("gid://shopify/LineItem/")) current.lineItems.push(node as LineItemLine);
      else if (node.id.startsWith("gid://shopify/Return/")) current.returns.push(node as ReturnLine);
      else throw new Error(`Line ${lineNo} is a ${node.id}, which the import does not expect.`);
    }
    await flush(lineNo);
    await write();
    await beginDetails(db, shop, id, {
      linesApplied: lineNo,
      ordersImported,
      detailsAt: now(),
      leaseUntil: leaseUntil(),
    });
  } catch (error) {
    if (error instanceof ImportInterrupted) throw error;
    await failImport(db, shop, id, (error as Error).message, now());
    return "failed";
  }
  return readDetails(deps, shop, id);
}

/**
 * The details phase, under the lease the caller holds: each order recorded for it is read whole
 * with reconciliation's per-order query (its follow-up pages included) and applied by
 * reconciliation's reconcileOrder, then crossed off; the newest orders first. A restart resumes
 * with the orders not crossed off yet; one applied but not crossed off is applied again, which
 * changes nothing (every write is keyed and newest-wins). A failure that may pass (Shopify down or
 * throttling past the admin client's own retries, a dropped connection, a timeout) pauses the phase:
 * the pause is recorded and no process tries again for a while (30 s, doubling); after
 * DETAILS_ATTEMPTS such tries in a row the import fails with a message for the merchant, and Retry.
 * Any other error (a query Shopify rejects) fails the import at once.
 */
async function readDetails(deps: HistoryImportDeps, shop: string, id: string) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const leaseUntil = () => new Date(now().getTime() + LEASE_MS);
  const watched = watchFailures(deps.graphql);
  const admin = adminClient(watched.graphql, deps.admin);
  // What reconciliation would count as missing: nothing reads it here; the mirror is the result.
  const counts = { ...ZERO_COUNTS };
  let read = 0;
  try {
    for (;;) {
      const ids = await nextPendingOrders(db, shop, id, 50);
      if (ids.length === 0) break;
      for (const orderId of ids) {
        try {
          // An order deleted in Shopify since the file was written has nothing more to bring.
          await reconcileOrderById(db, admin, shop, orderId, counts, (message) =>
            console.warn(`[history-import] ${message}`),
          );
        } catch (error) {
          const reason = transientReason(error, watched.lastFailure());
          if (reason) throw new DetailsPaused(reason);
          throw error;
        }
        await finishPendingOrder(db, shop, id, orderId, leaseUntil());
        read += 1;
        if (deps.stopAfterDetails !== undefined && read >= deps.stopAfterDetails) throw new ImportInterrupted();
      }
    }
    await completeImport(db, shop, id, { finishedAt: now() });
    return "completed";
  } catch (error) {
    if (error instanceof ImportInterrupted) throw error;
    if (error instanceof DetailsPaused) {
      const at = now();
      const pause = await pauseDetails(db, shop, id, { lastError: error.message, at, waitMs: detailsRetryWait });
      if (pause.attempts < DETAILS_ATTEMPTS) return "details";
      await failImport(db, shop, id, detailsGaveUp(pause), at);
      return "failed";
    }
    await failImport(db, shop, id, (error as Error).message, now());
    return "failed";
  }
}

/** What the merchant reads when the details phase gave up: what happened, what is kept, what to do. */
function detailsGaveUp(pause: DetailsPause): string {
  const minutes = Math.max(1, Math.round((pause.at.getTime() - pause.since.getTime()) / 60_000));
  return (
    `Shopify did not answer while Aftercare read the shipments, refunds and returns of your past orders: ` +
    `${pause.attempts} tries in a row failed over ${minutes === 1 ? "a minute" : `${minutes} minutes`} ` +
    `(the last: ${pause.lastError}). The orders imported so far are kept. Retry to finish the import.`
  );
}

/**
 * A batch of orders with their customers, line items, shipments and returns, in one transaction:
 * one multi-row upsert per mirror table (the owners' batch functions, with the webhooks' one-row
 * conditions: newest wins, redacted rows stay empty, lines are only added), return events included
 * (every return's request, then its current status). Should the database still report a conflict,
 * the batch runs again, which changes nothing already written (every write is keyed). Points, when
 * asked for, are earned after the batch through loyalty's own earning, once per order.
 */
export async function applyOrderGroups(
  db: Db,
  shop: string,
  groups: OrderGroup[],
  options: { earnPoints: boolean; now: Date; importId?: string },
) {
  const { earnPoints, now } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.$transaction(
        async (tx) => {
          await applyCustomersTx(
            tx,
            shop,
            groups.flatMap((g) => customerRecord(g.order) ?? []),
          );
          await applyOrdersTx(tx, shop, groups.map(orderRecord));
          await applyFulfillmentsTx(tx, shop, groups.flatMap(fulfillmentRecords));
          await applyReturnEventsTx(
            tx,
            shop,
            groups.flatMap((g) => g.returns.flatMap(returnEvents)),
          );
          // Orders whose shipments, refunds or returns the file cannot carry whole: read after it.
          if (options.importId) {
            const later = groups.filter(needsDetails);
            await recordPendingOrdersTx(
              tx,
              shop,
              options.importId,
              later.map((g) => ({ orderShopifyId: g.order.id, position: g.line ?? 0 })),
            );
          }
        },
        { maxWait: 30_000, timeout: 120_000 },
      );
      break;
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (attempt >= 5 || (code !== "P2002" && code !== "P2025")) throw error;
    }
  }
  if (!earnPoints) return;
  for (const group of groups) {
    if (!isPaid(group.order) || group.order.cancelledAt) continue;
    const paidAt = new Date(group.order.processedAt ?? group.order.createdAt);
    // Same code and key (order:<gid>) as a live orders/paid: an order earns once, whichever comes first.
    await earnForPaidOrder(db, shop, paidOrderPayload(group.order), paidAt, now);
  }
}

/** The merchant's view of an import: counts, progress and an estimate of the time left. */
export function importProgress(
  row: {
    status: string;
    ordersTotal: number | null;
    ordersImported: number;
    applyingAt: Date | null;
    startedAt: Date;
    detailsTotal: number | null;
    detailsDone: number;
    detailsAt: Date | null;
  },
  now: Date,
) {
  const total = row.ordersTotal ?? 0;
  const done = row.status === "completed" ? total || row.ordersImported : row.ordersImported;
  // Shopify builds the file (to half the bar), the app applies it (to 70%), then reads the orders
  // the file could not carry whole (the rest).
  let fraction = 0;
  if (row.status === "completed") fraction = 1;
  else if (row.status === "details" && row.detailsTotal)
    fraction = 0.7 + 0.3 * Math.min(1, row.detailsDone / row.detailsTotal);
  else if (row.status === "details") fraction = 0.7;
  else if (row.status === "applying" && total > 0) fraction = 0.5 + 0.2 * Math.min(1, row.ordersImported / total);
  else if (row.status === "applying") fraction = 0.5;
  else if (row.status === "running") fraction = 0.1;
  else if (row.status === "queued") fraction = 0.02;
  const left = (doneSoFar: number, of: number, since: Date | null) => {
    if (!since || doneSoFar <= 0 || of <= doneSoFar) return null;
    const rate = doneSoFar / Math.max(1, (now.getTime() - since.getTime()) / 1000);
    return Math.ceil((of - doneSoFar) / rate);
  };
  let secondsLeft: number | null = null;
  if (row.status === "applying") secondsLeft = left(row.ordersImported, total, row.applyingAt);
  if (row.status === "details") secondsLeft = left(row.detailsDone, row.detailsTotal ?? 0, row.detailsAt);
  const details =
    row.detailsTotal === null ? null : { total: row.detailsTotal, done: Math.min(row.detailsDone, row.detailsTotal) };
  return { total, done, percent: Math.round(fraction * 100), secondsLeft, details };
}
