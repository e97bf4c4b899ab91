import { Prisma } from "@prisma/client";

import { inboxWriterFor, payloadText, type Db } from "../db.server";

/** Attempts before an event is parked for a person to look at (Sync page). */
export const MAX_ATTEMPTS = 8;
/** How long a worker owns an event it claimed; after that another worker may take it over. */
export const CLAIM_MS = 2 * 60_000;

/** redacted: the shop's data was deleted (shop/redact); the row keeps only the webhook id, for good. */
export type InboxStatus = "pending" | "processing" | "processed" | "failed" | "parked" | "redacted";

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
  const message = (permanent ? "Parked at once, retrying cannot help: " : "") + describeError(error);
  const parked = permanent || attempts >= MAX_ATTEMPTS;
  await db.webhookEvent.updateMany({
    where: { id, status: "processing" },
    data: {
      status: parked ? "parked" : "failed",
      lastError: message.slice(0, 2000),
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

/** Events of every shop not yet run to the end (pending or processing). */
export async function countUnfinishedEvents(db: Db): Promise<number> {
  return db.webhookEvent.count({ where: { status: { in: ["pending", "processing"] } } });
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
  const backlogWhere = { shop, status: { in: ["pending", "processing", "failed"] } };
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
