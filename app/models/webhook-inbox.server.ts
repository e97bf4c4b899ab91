import { Prisma } from "@prisma/client";

import { inboxWriterFor, isSqliteDb, payloadText, sqliteTime, type Db, type Tx } from "../db.server";

import { executeInTx } from "./batch-sql.server";

/** Attempts before an event is parked for a person to look at (Sync page). */
export const MAX_ATTEMPTS = 8;
/** How long a worker owns an event it claimed; after that another worker may take it over. */
export const CLAIM_MS = 2 * 60_000;

/**
 * redacted: the shop's data was deleted (shop/redact); the row keeps only the webhook id, for good.
 * mirrored: the mirror holds the event's change (processedAt says since when); the effects that hang
 * off it (points, tracking, emails) are still to run, `effects` while a worker runs them.
 */
export type InboxStatus =
  "pending" | "processing" | "mirrored" | "effects" | "processed" | "failed" | "parked" | "redacted";

/** Statuses of events not run to the end: the backlog. */
export const BACKLOG_STATUSES = ["pending", "processing", "failed", "mirrored", "effects"];

export interface IncomingEvent {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  /** The body as Shopify sent it: UTF-8 bytes, or the same as text. Stored as text. */
  payload: string | Buffer;
}

/** Records a delivery once. Returns the new row's id, or null when this webhook id was seen before. */
export async function recordEvent(db: Db, event: IncomingEvent): Promise<string | null> {
  // A prepared statement on the intake's own connection (db.server.ts says why).
  const writer = inboxWriterFor(db);
  if (writer) return writer.record(event);
  try {
    const row = await db.webhookEvent.create({
      data: { ...event, payload: payloadText(event.payload) },
      select: { id: true },
    });
    return row.id;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

// The PostgreSQL client is generated apart from @prisma/client, so its error class differs;
// both carry Prisma's code.
function isUniqueViolation(error: unknown) {
  return (error as { code?: string } | null)?.code === "P2002";
}

/** Takes an event for processing unless another worker holds it or it is already done. */
export async function claimEvent(db: Db, id: string, now = new Date()) {
  const claimed = await db.webhookEvent.updateMany({
    where: {
      id,
      OR: [
        { status: { in: ["pending", "failed"] }, nextAttemptAt: { lte: now } },
        { status: "processing", lockedUntil: { lt: now } },
      ],
    },
    data: { status: "processing", lockedUntil: new Date(now.getTime() + CLAIM_MS), attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return null;
  return db.webhookEvent.findUnique({ where: { id } });
}

/** A claimed event, as the job runner reads it. */
export interface ClaimedEvent {
  id: string;
  shop: string;
  topic: string;
  payload: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  attempts: number;
}

const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const CLAIMED_COLUMNS = `"id", "shop", "topic", "payload", "triggeredAt", "receivedAt", "attempts"`;
function claimedRow(row: Record<string, unknown>): ClaimedEvent {
  return {
    id: String(row.id),
    shop: String(row.shop),
    topic: String(row.topic),
    payload: String(row.payload),
    triggeredAt: row.triggeredAt === null || row.triggeredAt === undefined ? null : toDate(row.triggeredAt),
    receivedAt: toDate(row.receivedAt),
    attempts: Number(row.attempts),
  };
}

/**
 * claimEvent for many events in one statement: those of `ids` no other worker holds and not yet
 * done, taken for CLAIM_MS. `stage` "effects" takes mirrored events whose effects are due instead.
 */
export async function claimEvents(
  db: Db,
  ids: ReadonlyArray<string>,
  now = new Date(),
  stage: "mirror" | "effects" = "mirror",
): Promise<ClaimedEvent[]> {
  if (ids.length === 0) return [];
  const [due, taken] = stage === "mirror" ? [`IN ('pending', 'failed')`, "processing"] : [`= 'mirrored'`, "effects"];
  const rows = await rawReturning(
    db,
    `UPDATE "WebhookEvent" SET "status" = '${taken}', "lockedUntil" = {}, "attempts" = "attempts" + 1
     WHERE "id" IN ({*})
       AND (("status" ${due} AND "nextAttemptAt" <= {}) OR ("status" = '${taken}' AND "lockedUntil" < {}))
     RETURNING ${CLAIMED_COLUMNS}`,
    [new Date(now.getTime() + CLAIM_MS), [...ids], now, now],
  );
  return rows.map(claimedRow);
}

/**
 * Inside the mirror's transaction: its events are done with the mirror, `mirrored` (effects to run;
 * the payload stays for them) or `processed` (nothing hangs off them; the payload goes).
 */
export async function finishMirrorTx(
  tx: Tx,
  done: ReadonlyArray<{ id: string; status: "mirrored" | "processed" }>,
  now: Date,
): Promise<void> {
  for (const status of ["mirrored", "processed"] as const) {
    const ids = done.filter((d) => d.status === status).map((d) => d.id);
    if (ids.length === 0) continue;
    await executeInTx(
      tx,
      `UPDATE "WebhookEvent" SET "status" = {}, "processedAt" = {}, "lockedUntil" = NULL, "lastError" = NULL,
         "nextAttemptAt" = {}, "outcome" = NULL${status === "processed" ? `, "payload" = ''` : ""}
       WHERE "status" = 'processing' AND "id" IN (${ids.map(() => "{}").join(", ")})`,
      [status, now, now, ...ids],
    );
  }
}

/** Effects ran: the event is processed (its payload dropped, `outcome` kept as markProcessed does). */
export async function markEffectsDone(db: Db, ids: ReadonlyArray<string>, outcome: string | null = null) {
  if (ids.length === 0) return;
  await db.webhookEvent.updateMany({
    where: { id: { in: [...ids] }, status: "effects" },
    data: {
      status: "processed",
      lockedUntil: null,
      lastError: null,
      payload: "",
      outcome: outcome?.slice(0, 2000) ?? null,
    },
  });
}

/**
 * An effect failed: the event waits as mirrored for its retry (backoff as markFailed's), or is parked
 * (Sync page; its Retry runs the event from the start, and the mirror takes it again unchanged).
 */
export async function markEffectsFailed(
  db: Db,
  id: string,
  attempts: number,
  error: unknown,
  now = new Date(),
  permanent = false,
) {
  return recordFailure(
    db,
    id,
    { from: "effects", retryAs: "mirrored", prefix: "Mirrored; an effect failed: " },
    {
      attempts,
      error,
      now,
      permanent,
    },
  );
}

/** Mirrored events whose effects are due (new, retried, or abandoned by a worker that died). */
export async function dueEffectIds(db: Db, limit: number, now = new Date()): Promise<string[]> {
  const rows = await db.webhookEvent.findMany({
    where: {
      OR: [
        { status: "mirrored", nextAttemptAt: { lte: now } },
        { status: "effects", lockedUntil: { lt: now } },
      ],
    },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** The oldest event of any shop not run to the end, or null: the health endpoint's backlog age. */
export async function oldestBacklogAt(db: Db): Promise<Date | null> {
  const oldest = await db.webhookEvent.findFirst({
    where: { status: { in: BACKLOG_STATUSES } },
    orderBy: { receivedAt: "asc" },
    select: { receivedAt: true },
  });
  return oldest?.receivedAt ?? null;
}

/**
 * Once handled, an event's payload is dropped: the mirror holds what features need, and a raw
 * payload full of names and addresses kept "just in case" is personal data nobody asked us to
 * keep. The row stays (without it) so a late repeat of the delivery is still recognised.
 * updateMany, not update: a shop/redact handler has already turned its own event into a kept id.
 * `outcome`: what the handler could not do, or why it did nothing. `status` "redacted" keeps the id
 * for good (a shop/redact must not run again from a replay of its own delivery).
 */
export async function markProcessed(
  db: Db,
  id: string,
  now = new Date(),
  outcome: string | null = null,
  status: "processed" | "redacted" = "processed",
) {
  await db.webhookEvent.updateMany({
    where: { id, status: "processing" },
    data: {
      status,
      processedAt: now,
      lockedUntil: null,
      lastError: null,
      payload: "",
      outcome: outcome?.slice(0, 2000) ?? null,
    },
  });
}

/** Shopify retries a delivery for up to 48 hours; a week of processed ids is plenty for dedup. */
export const PROCESSED_RETENTION_MS = 7 * 86_400_000;

export async function pruneProcessed(db: Db, now = new Date()) {
  const result = await db.webhookEvent.deleteMany({
    where: { status: "processed", processedAt: { lt: new Date(now.getTime() - PROCESSED_RETENTION_MS) } },
  });
  return result.count;
}

/** Exponential backoff: 10 s, 20 s, 40 s ... capped at one hour, with jitter so retries spread. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * What the Sync page shows for a failure: short and readable. Prisma's messages quote the calling
 * code at length; the cause is on their last line, and its code says what kind of failure it was.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const lines = error.message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const cause = lines.length > 3 ? lines[lines.length - 1] : lines.join(" ");
  return typeof code === "string" && !cause.includes(code) ? `${code}: ${cause}` : cause;
}

/** `permanent`: the failure will repeat on every attempt (jobs/failure-kind.ts), so park it now. */
export async function markFailed(
  db: Db,
  id: string,
  attempts: number,
  error: unknown,
  now = new Date(),
  permanent = false,
) {
  return recordFailure(
    db,
    id,
    { from: "processing", retryAs: "failed", prefix: "" },
    { attempts, error, now, permanent },
  );
}

/**
 * One failed attempt of a stage (the mirror's or the effects'): the event leaves the stage's
 * working status for its retry status with the backoff's next attempt, or is parked after the last
 * attempt, or at once when retrying cannot help.
 */
async function recordFailure(
  db: Db,
  id: string,
  stage: { from: "processing" | "effects"; retryAs: "failed" | "mirrored"; prefix: string },
  failure: { attempts: number; error: unknown; now: Date; permanent: boolean },
) {
  const { attempts, error, now, permanent } = failure;
  const message = (permanent ? "Parked at once, retrying cannot help: " : "") + describeError(error);
  const parked = permanent || attempts >= MAX_ATTEMPTS;
  await db.webhookEvent.updateMany({
    where: { id, status: stage.from },
    data: {
      status: parked ? "parked" : stage.retryAs,
      lastError: `${stage.prefix}${message}`.slice(0, 2000),
      lockedUntil: null,
      nextAttemptAt: new Date(now.getTime() + (parked ? 0 : retryDelayMs(attempts))),
    },
  });
  return parked ? ("parked" as const) : ("failed" as const);
}

/** Events ready to run now: new, due for retry, or abandoned by a worker that died. */
export async function dueEventIds(db: Db, limit: number, now = new Date()): Promise<string[]> {
  const rows = await db.webhookEvent.findMany({
    where: {
      OR: [
        { status: { in: ["pending", "failed"] }, nextAttemptAt: { lte: now } },
        { status: "processing", lockedUntil: { lt: now } },
      ],
    },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** The shop's events waiting to run (at most `limit`), to hand to the job runner again. */
export async function pendingEventIds(db: Db, shop: string, limit: number): Promise<string[]> {
  const rows = await db.webhookEvent.findMany({
    where: { shop, status: "pending" },
    select: { id: true },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/**
 * Events of every shop not yet run to the end: the backlog, including those waiting for a retry
 * (a worker that is "idle" while one waits would let its caller read a half-applied mirror).
 */
export async function countUnfinishedEvents(db: Db): Promise<number> {
  return db.webhookEvent.count({ where: { status: { in: BACKLOG_STATUSES } } });
}

/** A person asked to try parked or failed events again (Sync page). Scoped to their shop. */
export async function requeueEvents(db: Db, shop: string, ids: string[] | "all-parked", now = new Date()) {
  const result = await db.webhookEvent.updateMany({
    where:
      ids === "all-parked"
        ? { shop, status: "parked" }
        : { shop, status: { in: ["parked", "failed"] }, id: { in: ids } },
    data: { status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null },
  });
  return result.count;
}

export interface SyncOverview {
  ordersMirrored: number;
  customersMirrored: number;
  fulfillmentsMirrored: number;
  backlog: number;
  oldestBacklogAt: Date | null;
  processedLastDay: number;
  lastEventByTopic: { topic: string; receivedAt: Date; count: number }[];
  problems: {
    id: string;
    topic: string;
    status: string;
    attempts: number;
    lastError: string | null;
    receivedAt: Date;
    nextAttemptAt: Date;
  }[];
  /** Privacy requests handled only in part: what the request left out or got wrong (the event's outcome). */
  partlyHandled: { id: string; topic: string; outcome: string; receivedAt: Date }[];
}

/** The topics whose partial handling a merchant must hear about: Shopify relays them from shoppers. */
const PRIVACY_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"];

export async function syncOverview(db: Db, shop: string, now = new Date()): Promise<SyncOverview> {
  const backlogWhere = { shop, status: { in: BACKLOG_STATUSES } };
  const [orders, customers, fulfillments, backlog, oldest, processedLastDay, byTopic, problems, partly] =
    await Promise.all([
      db.order.count({ where: { shop } }),
      db.customer.count({ where: { shop, redactedAt: null } }),
      db.fulfillment.count({ where: { shop } }),
      db.webhookEvent.count({ where: backlogWhere }),
      db.webhookEvent.findFirst({ where: backlogWhere, orderBy: { receivedAt: "asc" }, select: { receivedAt: true } }),
      db.webhookEvent.count({
        where: { shop, status: "processed", processedAt: { gte: new Date(now.getTime() - 86_400_000) } },
      }),
      db.webhookEvent.groupBy({
        by: ["topic"],
        // Ids kept from before a shop/redact are not deliveries of the current installation.
        where: { shop, status: { not: "redacted" } },
        _max: { receivedAt: true },
        _count: { _all: true },
        orderBy: { topic: "asc" },
      }),
      db.webhookEvent.findMany({
        where: { shop, status: { in: ["failed", "parked"] } },
        orderBy: { receivedAt: "desc" },
        take: 50,
        select: {
          id: true,
          topic: true,
          status: true,
          attempts: true,
          lastError: true,
          receivedAt: true,
          nextAttemptAt: true,
        },
      }),
      // Few rows: privacy requests are rare, and (shop, topic, receivedAt) is indexed.
      db.webhookEvent.findMany({
        where: { shop, topic: { in: PRIVACY_TOPICS }, status: "processed", outcome: { not: null } },
        orderBy: { receivedAt: "desc" },
        take: 20,
        select: { id: true, topic: true, outcome: true, receivedAt: true },
      }),
    ]);
  return {
    ordersMirrored: orders,
    customersMirrored: customers,
    fulfillmentsMirrored: fulfillments,
    backlog,
    oldestBacklogAt: oldest?.receivedAt ?? null,
    processedLastDay,
    lastEventByTopic: byTopic.map((t) => ({
      topic: t.topic,
      receivedAt: t._max.receivedAt as Date,
      count: (t._count as { _all: number })._all,
    })),
    problems,
    partlyHandled: partly.map((e) => ({
      id: e.id,
      topic: e.topic,
      outcome: e.outcome ?? "",
      receivedAt: e.receivedAt,
    })),
  };
}

/** An UPDATE … RETURNING with `{}` placeholders (`{*}`: an IN list), outside a transaction. */
async function rawReturning(
  db: Db,
  sql: string,
  values: ReadonlyArray<Date | string | ReadonlyArray<string>>,
): Promise<Record<string, unknown>[]> {
  const sqlite = isSqliteDb(db);
  const args: string[] = [];
  let i = 0;
  const mark = () => (sqlite ? "?" : `$${args.length}`);
  const text = sql.replace(/\{\*?\}/g, (token) => {
    const value = values[i++];
    if (token === "{*}") {
      return (value as string[])
        .map((v) => {
          args.push(v);
          return mark();
        })
        .join(", ");
    }
    args.push(value instanceof Date ? (sqlite ? sqliteTime(value) : value.toISOString()) : (value as string));
    return mark();
  });
  return db.$queryRawUnsafe<Record<string, unknown>[]>(text, ...args);
}
