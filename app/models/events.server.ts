/**
 * The event stream's tables (docs/events.md, docs/decisions for the design). `recordEvent` runs
 * inside the transaction of the change that caused the event: the event and one delivery row per
 * destination commit with the change or not at all. Its (shop, type, key) is unique and the insert
 * is ON CONFLICT DO NOTHING, so a replayed or reordered webhook, a retried job or two workers
 * record one event, and no statement fails inside the caller's transaction (a failed statement
 * would abort a PostgreSQL transaction). Deliveries are claimed, retried and parked as the
 * notification outbox's messages are (models/outbox.server.ts).
 */
import { randomUUID } from "node:crypto";

import type { Db, Tx } from "../db.server";
import {
  EVENT_DESTINATIONS,
  EVENT_VERSION,
  type EventDestination,
  type EventDataOf,
  type EventEnvelope,
  type EventType,
} from "../domain/events/catalog";
import { keyset, pageOf, type PageRequest } from "../utils/paging.server";

import { klaviyoWants } from "./klaviyo.server";
import { rawExecute, rawRows } from "./raw-sql.server";
import { smsWants } from "./sms.server";

export interface EventInput<T extends EventType> {
  shop: string;
  type: T;
  /** The cause, unique per shop and type: "order:<gid>", "<return case id>", "<shipment gid>". */
  key: string;
  occurredAt: Date;
  order?: { id: string; name: string | null } | null;
  customer?: { id: string | null } | null;
  data: EventDataOf[T];
}

/** Records an event and its deliveries once; true when this call recorded it. */
export async function recordEvent<T extends EventType>(tx: Tx, input: EventInput<T>): Promise<boolean> {
  const envelope: EventEnvelope<T> = {
    type: input.type,
    version: EVENT_VERSION[input.type],
    occurredAt: input.occurredAt.toISOString(),
    order: input.order ?? null,
    customer: input.customer ?? null,
    data: input.data,
  };
  const id = randomUUID();
  const inserted = await rawExecute(
    tx as Db,
    `INSERT INTO "AppEvent" ("id", "shop", "type", "version", "key", "payload",
       "orderShopifyId", "customerShopifyId", "occurredAt", "createdAt")
     VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT ("shop", "type", "key") DO NOTHING`,
    [
      id,
      input.shop,
      input.type,
      envelope.version,
      input.key,
      JSON.stringify(envelope),
      input.order?.id ?? null,
      input.customer?.id ?? null,
      input.occurredAt,
      new Date(),
    ],
  );
  if (inserted !== 1) return false;
  // One plain INSERT for the event's deliveries: a model createMany is compiled on every call, and
  // this runs for every event a webhook records (docs/decisions/0030).
  const destinations = await destinationsOf(tx, input.shop, input.type);
  if (destinations.length === 0) return true;
  const row = "({}, {}, {}, {}, {}, {})";
  await rawExecute(
    tx as Db,
    `INSERT INTO "EventDelivery" ("id", "shop", "eventId", "destination", "nextAttemptAt", "createdAt")
     VALUES ${destinations.map(() => row).join(", ")}`,
    destinations.flatMap((destination) => [randomUUID(), input.shop, id, destination, input.occurredAt, new Date()]),
  );
  return true;
}

/**
 * Of `types`, those already recorded for the cause `key`: one read, so that a cause seen again (a
 * shipment's every later webhook, the periodic checks) opens no transaction for events it has.
 */
export async function recordedTypes(
  db: Db,
  shop: string,
  key: string,
  types: ReadonlyArray<EventType>,
): Promise<Set<string>> {
  if (types.length === 0) return new Set();
  const rows = await rawRows<{ type: string }>(
    db,
    `SELECT "type" FROM "AppEvent" WHERE "shop" = {} AND "key" = {} AND "type" IN ({*})`,
    [shop, key, [...types]],
  );
  return new Set(rows.map((row) => row.type));
}

/**
 * Klaviyo gets a delivery only for the types the shop chose to send it, read in the event's
 * transaction. Customer metafields get none: they follow the member's own changes, event or not
 * (models/metafield-sync.server.ts); "metafields" rows recorded before that are still delivered.
 */
async function destinationsOf(tx: Tx, shop: string, type: EventType): Promise<EventDestination[]> {
  const wanted = await klaviyoWants(tx, shop, type);
  const texted = await smsWants(tx, shop, type);
  return EVENT_DESTINATIONS.filter((d) => d !== "metafields" && (d !== "klaviyo" || wanted) && (d !== "sms" || texted));
}

const CLAIMABLE = ["pending", "retrying"];

/** Claims due deliveries, each by a conditional update, so one sender gets each (a dead one's lease runs out). */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, leaseMs = 120_000) {
  const due = {
    OR: [
      { status: { in: CLAIMABLE }, nextAttemptAt: { lte: now } },
      { status: "sending", lockedUntil: { lt: now } },
    ],
  };
  const rows = await db.eventDelivery.findMany({
    where: due,
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  const claimed = [];
  for (const { id } of rows) {
    const { count } = await db.eventDelivery.updateMany({
      where: { id, ...due },
      data: { status: "sending", lockedUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
    });
    if (count === 1)
      claimed.push(await db.eventDelivery.findUniqueOrThrow({ where: { id }, include: { event: true } }));
  }
  return claimed;
}

export type DeliveryResult =
  | { status: "sent"; at: Date }
  | { status: "retrying"; error: string; nextAttemptAt: Date }
  | { status: "parked" | "skipped"; error: string };

export async function markDelivery(db: Db, id: string, result: DeliveryResult) {
  const data =
    result.status === "sent"
      ? { status: "sent", sentAt: result.at, lastError: null }
      : result.status === "retrying"
        ? { status: "retrying", lastError: result.error.slice(0, 1000), nextAttemptAt: result.nextAttemptAt }
        : { status: result.status, lastError: result.error.slice(0, 1000) };
  await db.eventDelivery.update({ where: { id }, data: { ...data, lockedUntil: null } });
}

/** The Sync page's Retry: a parked (or waiting) delivery goes again now, with its tries counted afresh. */
export async function retryDelivery(db: Db, shop: string, id: string, now: Date): Promise<boolean> {
  const { count } = await db.eventDelivery.updateMany({
    where: { id, shop, status: { in: ["parked", "retrying"] } },
    data: { status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null },
  });
  return count === 1;
}

/** A shop's deliveries that did not go through (parked or waiting to retry), newest first. */
export async function troubledDeliveries(db: Db, shop: string, request: PageRequest, destination?: string) {
  const page = keyset(request, "createdAt", "desc");
  const rows = await db.eventDelivery.findMany({
    where: { shop, status: { in: ["parked", "retrying"] }, ...(destination ? { destination } : {}), ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: {
      id: true,
      destination: true,
      status: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      createdAt: true,
      event: { select: { type: true, key: true, occurredAt: true } },
    },
  });
  return pageOf(rows, request, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
}

/** What went to one destination, newest first, a keyset page at a time (the Klaviyo page's "sent"). */
export async function sentDeliveries(db: Db, shop: string, destination: string, request: PageRequest) {
  const page = keyset(request, "createdAt", "desc");
  const rows = await db.eventDelivery.findMany({
    where: { shop, destination, status: "sent", ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: {
      id: true,
      sentAt: true,
      createdAt: true,
      event: { select: { type: true, occurredAt: true, orderShopifyId: true, payload: true } },
    },
  });
  return pageOf(rows, request, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
}

/** Counts of a shop's deliveries by destination and status (the Sync page). */
export async function deliveryCounts(db: Db, shop: string) {
  const rows = await db.eventDelivery.groupBy({
    by: ["destination", "status"],
    where: { shop },
    _count: { _all: true },
  });
  return rows.map((r) => ({ destination: r.destination, status: r.status, count: r._count._all }));
}

/** Events of a shop, newest first (tests, the demo). */
export function listEvents(db: Db, shop: string, take = 50) {
  return db.appEvent.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    take: Math.min(take, 500),
    include: { deliveries: true },
  });
}

/** Compliance: the events about a customer or their orders. */
function aboutSubject(subject: { customerShopifyId: string | null; orderShopifyIds: string[] }) {
  const or: object[] = [];
  if (subject.customerShopifyId) or.push({ customerShopifyId: subject.customerShopifyId });
  if (subject.orderShopifyIds.length) or.push({ orderShopifyId: { in: subject.orderShopifyIds } });
  return or;
}

export async function exportCustomerEvents(
  db: Db,
  shop: string,
  subject: { customerShopifyId: string | null; orderShopifyIds: string[] },
) {
  const or = aboutSubject(subject);
  if (!or.length) return [];
  const rows = await db.appEvent.findMany({
    where: { shop, OR: or },
    select: { type: true, payload: true, occurredAt: true },
  });
  return rows.map((r) => ({ type: r.type, occurredAt: r.occurredAt, payload: JSON.parse(r.payload) as unknown }));
}

/** customers/redact: an event is about the shopper through and through, so it goes, deliveries with it. */
export async function redactCustomerEvents(
  db: Db,
  shop: string,
  subject: { customerShopifyId: string | null; orderShopifyIds: string[] },
) {
  const or = aboutSubject(subject);
  if (or.length) await db.appEvent.deleteMany({ where: { shop, OR: or } });
}

export async function deleteShopEvents(db: Db, shop: string) {
  await db.appEvent.deleteMany({ where: { shop } });
}

/**
 * Deletes events older than `before` whose every delivery is done (sent or skipped), oldest first,
 * `batch` at a time and at most `maxBatches` batches a call: each batch reads only the ids it
 * deletes, so a call never holds a shop's ids in memory. Events with a parked or waiting delivery
 * stay for the Sync page. Returns how many went.
 */
export async function pruneDeliveredEvents(
  db: Db,
  before: Date,
  options: { batch?: number; maxBatches?: number } = {},
): Promise<number> {
  const batch = Math.min(options.batch ?? 500, 1000);
  let pruned = 0;
  for (let i = 0; i < (options.maxBatches ?? 20); i++) {
    const rows = await db.appEvent.findMany({
      where: { createdAt: { lt: before }, deliveries: { every: { status: { in: ["sent", "skipped"] } } } },
      orderBy: { createdAt: "asc" },
      take: batch,
      select: { id: true },
    });
    if (rows.length === 0) break;
    // Deliveries go with their event (ON DELETE CASCADE).
    const { count } = await db.appEvent.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    pruned += count;
    if (rows.length < batch) break;
  }
  return pruned;
}
