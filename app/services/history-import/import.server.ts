/**
 * Importing a shop's past (issue 16, docs/decisions/0022-history-import.md): one Shopify bulk query
 * for the orders of the window, its JSONL result streamed line by line and applied through the
 * mirror functions the webhooks use, in batches, with the line reached saved after each batch so a
 * restart resumes there. Memory holds one order with its lines at a time, whatever the file's size.
 */
import { createInterface } from "node:readline";
import { Readable } from "node:stream";

import type { Db } from "../../db.server";
import { applyCustomersTx } from "../../models/customers.server";
import {
  activeImport,
  claimApplyLease,
  claimQueuedImport,
  completeImport,
  createImport,
  failImport,
  findImport,
  lastCompletedImport,
  latestImport,
  loadImportSettings,
  saveCursor,
  updateImport,
} from "../../models/history-import.server";
import { applyFulfillmentsTx, applyOrdersTx } from "../../models/orders.server";
import { applyReturnEventTx } from "../../models/shopify-returns.server";
import { adminClient, ShopifyUserError, type GraphqlFn } from "../../shopify/admin.server";
import { HistoryImportStart, HistoryImportStatus, historyOrdersQuery } from "../../shopify/operations/history-import";
import { earnForPaidOrder } from "../loyalty/earning.server";

import {
  customerRecord,
  fulfillmentRecords,
  isPaid,
  orderRecord,
  paidOrderPayload,
  returnEvents,
  type LineItemLine,
  type OrderGroup,
  type OrderLine,
  type ReturnLine,
} from "./records";

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
}

const DAY_MS = 86_400_000;
const LEASE_MS = 2 * 60_000;
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

/** Applies the completed bulk query's file from the saved cursor on, if this process wins the lease. */
async function applyHistoryFile(deps: HistoryImportDeps, shop: string, id: string) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const leaseUntil = () => new Date(now().getTime() + LEASE_MS);
  if (!(await claimApplyLease(db, shop, id, now(), leaseUntil()))) return "applying";
  const row = (await findImport(db, shop, id))!;
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
      await applyOrderGroups(db, shop, pending, row.earnPoints, now());
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
        group = { order: node as unknown as OrderLine, lineItems: [], returns: [] };
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
    await completeImport(db, shop, id, { linesApplied: lineNo, ordersImported, finishedAt: now() });
    return "completed";
  } catch (error) {
    if (error instanceof ImportInterrupted) throw error;
    await failImport(db, shop, id, (error as Error).message, now());
    return "failed";
  }
}

/**
 * A batch of orders with their customers, line items, shipments and returns, in one transaction,
 * through the mirror's Tx-taking functions (the webhooks' conditional writes; rows not mirrored yet
 * are inserted together). PostgreSQL: a row another writer created meanwhile makes the batch run
 * again, which changes nothing already written (every write is keyed and newest-wins). Points, when
 * asked for, are earned after the batch through loyalty's own earning, once per order.
 */
export async function applyOrderGroups(db: Db, shop: string, groups: OrderGroup[], earnPoints: boolean, now: Date) {
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
          await applyFulfillmentsTx(
            tx,
            shop,
            groups.flatMap((g) => fulfillmentRecords(g.order)),
          );
          for (const ret of groups.flatMap((g) => g.returns)) {
            for (const e of returnEvents(ret)) await applyReturnEventTx(tx, shop, e.topic, e.record, e.eventAt);
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
  },
  now: Date,
) {
  const total = row.ordersTotal ?? 0;
  const done = row.status === "completed" ? total || row.ordersImported : row.ordersImported;
  // Shopify builds the file first (half the bar), then the app applies it (the other half).
  let fraction = 0;
  if (row.status === "completed") fraction = 1;
  else if (row.status === "applying" && total > 0) fraction = 0.5 + 0.5 * Math.min(1, row.ordersImported / total);
  else if (row.status === "applying") fraction = 0.5;
  else if (row.status === "running") fraction = 0.1;
  else if (row.status === "queued") fraction = 0.02;
  let secondsLeft: number | null = null;
  if (row.status === "applying" && row.applyingAt && row.ordersImported > 0 && total > row.ordersImported) {
    const rate = row.ordersImported / Math.max(1, (now.getTime() - row.applyingAt.getTime()) / 1000);
    secondsLeft = Math.ceil((total - row.ordersImported) / rate);
  }
  return { total, done, percent: Math.round(fraction * 100), secondsLeft };
}
