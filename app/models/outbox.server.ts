/**
 * The notification outbox: every message any area wants sent is a row here first. The unique
 * key (shop, kind, subjectId, milestone) is what makes sending idempotent: enqueueing the same
 * message twice (a replayed or reordered webhook, two workers, a periodic job running again)
 * finds the row already there and creates nothing.
 */
import type { Db } from "../db.server";
import { keyset, pageOf, type PageRequest } from "../utils/paging.server";

import { rawRows, sql, type Sql } from "./raw-sql.server";

export type NotificationStatus = "pending" | "sending" | "sent" | "retrying" | "failed" | "suppressed" | "skipped";

export interface NotificationInput {
  shop: string;
  /** The area and kind of message: "tracking", "returns", "loyalty" ... (also the unsubscribe scope). */
  kind: string;
  /** What it is about: a shipment gid, a return gid ... */
  subjectId: string;
  /** The moment it marks: "shipped", "delivered", "approved" ... */
  milestone: string;
  recipient: string;
  locale: string;
  subject: string;
  bodyHtml: string;
  bodyText: string;
  fromName?: string | null;
  replyTo?: string | null;
  orderShopifyId?: string | null;
  customerShopifyId?: string | null;
  /** "skipped" records a message deliberately not sent (switched off), so the log can say so. */
  status?: "pending" | "skipped";
  note?: string | null;
}

export async function enqueueNotification(
  db: Db,
  input: NotificationInput,
  now = new Date(),
): Promise<{ id: string; created: boolean }> {
  const { note, status, ...fields } = input;
  try {
    const row = await db.notification.create({
      // Lower-cased so unsubscribes and redaction find every message to an address.
      data: {
        ...fields,
        recipient: fields.recipient.trim().toLowerCase(),
        status: status ?? "pending",
        lastError: note ?? null,
        nextAttemptAt: now,
      },
      select: { id: true },
    });
    return { id: row.id, created: true };
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const existing = await db.notification.findUniqueOrThrow({
      where: {
        shop_kind_subjectId_milestone: {
          shop: input.shop,
          kind: input.kind,
          subjectId: input.subjectId,
          milestone: input.milestone,
        },
      },
      select: { id: true },
    });
    return { id: existing.id, created: false };
  }
}

/** Marks unsent messages as no longer worth sending (a later milestone superseded them). */
export async function skipPendingNotifications(
  db: Db,
  shop: string,
  where: { kind: string; subjectId: string; milestones: string[] },
  reason: string,
): Promise<number> {
  if (where.milestones.length === 0) return 0;
  const { count } = await db.notification.updateMany({
    where: {
      shop,
      kind: where.kind,
      subjectId: where.subjectId,
      milestone: { in: where.milestones },
      status: { in: ["pending", "retrying"] },
    },
    data: { status: "skipped", lastError: reason, lockedUntil: null },
  });
  return count;
}

const CLAIMABLE = ["pending", "retrying"];

/**
 * Claims due messages for one sender. Each claim is a conditional update, so of several workers
 * only one gets a row; a row whose sender died is claimable again once its lease runs out.
 */
export async function claimDueNotifications(db: Db, now: Date, limit: number, leaseMs = 120_000) {
  const due = await db.notification.findMany({
    where: {
      OR: [
        { status: { in: CLAIMABLE }, nextAttemptAt: { lte: now } },
        { status: "sending", lockedUntil: { lt: now } },
      ],
    },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  const claimed = [];
  for (const { id } of due) {
    const { count } = await db.notification.updateMany({
      where: {
        id,
        OR: [
          { status: { in: CLAIMABLE }, nextAttemptAt: { lte: now } },
          { status: "sending", lockedUntil: { lt: now } },
        ],
      },
      data: { status: "sending", lockedUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
    });
    if (count === 1) claimed.push(await db.notification.findUniqueOrThrow({ where: { id } }));
  }
  return claimed;
}

export async function markNotification(
  db: Db,
  id: string,
  result:
    | { status: "sent"; providerMessageId: string; at: Date }
    | { status: "retrying"; error: string; nextAttemptAt: Date }
    | { status: "failed" | "suppressed" | "skipped"; error: string },
) {
  const data =
    result.status === "sent"
      ? { status: "sent", providerMessageId: result.providerMessageId, sentAt: result.at, lastError: null }
      : result.status === "retrying"
        ? { status: "retrying", lastError: result.error.slice(0, 1000), nextAttemptAt: result.nextAttemptAt }
        : { status: result.status, lastError: result.error.slice(0, 1000) };
  await db.notification.update({ where: { id }, data: { ...data, lockedUntil: null } });
}

export interface NotificationLogFilter {
  kind?: string;
  status?: NotificationStatus;
  take?: number;
}

/** A shop's notification log, newest first. */
export function listNotifications(db: Db, shop: string, filter: NotificationLogFilter = {}) {
  return db.notification.findMany({
    where: { shop, ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: Math.min(filter.take ?? 50, 200),
  });
}

/**
 * A page of a shop's notification log of one kind, newest first (by keyset: a page far back costs
 * what the first one does), without the emails' bodies, which only the one opened needs.
 */
export async function notificationLogPage(
  db: Db,
  shop: string,
  filter: { kind: string; status?: NotificationStatus },
  request: PageRequest,
) {
  const page = keyset(request, "createdAt", "desc");
  const rows = await db.notification.findMany({
    where: { shop, kind: filter.kind, ...(filter.status ? { status: filter.status } : {}), ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: {
      id: true,
      milestone: true,
      recipient: true,
      subject: true,
      status: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
      nextAttemptAt: true,
    },
  });
  return pageOf(rows, request, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
}

/** The subject (a request's id) of each of `ids` that is a notification of `kind`. */
export async function notificationSubjects(db: Db, ids: string[], kind: string) {
  if (!ids.length) return [];
  return db.notification.findMany({ where: { id: { in: ids }, kind }, select: { id: true, subjectId: true } });
}

/** One email of the log as it was sent (its HTML), or null when it is not this shop's. */
export async function notificationBody(db: Db, shop: string, id: string, kind: string) {
  return db.notification.findFirst({ where: { shop, id, kind }, select: { id: true, subject: true, bodyHtml: true } });
}

export async function isSuppressed(db: Db, shop: string, email: string, kind: string): Promise<boolean> {
  const row = await db.emailSuppression.findFirst({
    where: { shop, email: email.toLowerCase(), kind: { in: [kind, "*"] } },
    select: { id: true },
  });
  return row !== null;
}

/** Records an unsubscribe; doing it twice is harmless. */
export async function suppressEmail(db: Db, shop: string, email: string, kind: string, reason = "unsubscribed") {
  const normalized = email.toLowerCase();
  await db.emailSuppression.upsert({
    where: { shop_email_kind: { shop, email: normalized, kind } },
    create: { shop, email: normalized, kind, reason },
    update: {},
  });
  // Anything still waiting to go to that address for that kind now never will.
  await db.notification.updateMany({
    where: {
      shop,
      recipient: { in: [email, normalized] },
      status: { in: ["pending", "retrying"] },
      ...(kind === "*" ? {} : { kind }),
    },
    data: { status: "suppressed", lastError: "the recipient unsubscribed" },
  });
}

/** The milestones already in the outbox for one subject (a shipment, a return …) of a kind. */
export async function notifiedMilestones(db: Db, shop: string, kind: string, subjectId: string): Promise<string[]> {
  // Read at every shipment refresh: plain SQL, no model query to compile (docs/decisions/0012).
  const sent = await rawRows<{ milestone: string }>(
    db,
    `SELECT "milestone" FROM "Notification" WHERE "shop" = {} AND "kind" = {} AND "subjectId" = {}`,
    [shop, kind, subjectId],
  );
  return sent.map((n) => n.milestone);
}

/** Whom a customer's data request or redaction is about (compliance.server.ts's DataSubject). */
interface Recipient {
  customerShopifyId: string | null;
  email: string | null;
  orderShopifyIds: string[];
}

function notificationsOf(r: Recipient): object[] {
  const or: object[] = [];
  if (r.email) or.push({ recipient: r.email.toLowerCase() });
  if (r.customerShopifyId) or.push({ customerShopifyId: r.customerShopifyId });
  if (r.orderShopifyIds.length) or.push({ orderShopifyId: { in: r.orderShopifyIds } });
  return or;
}

/** customers/data_request: the messages sent to the customer and their unsubscribes. */
export async function exportCustomerNotifications(db: Db, shop: string, subject: Recipient) {
  const or = notificationsOf(subject);
  const notifications = or.length
    ? await db.notification.findMany({
        where: { shop, OR: or },
        select: {
          kind: true,
          milestone: true,
          recipient: true,
          subject: true,
          status: true,
          sentAt: true,
          createdAt: true,
        },
      })
    : [];
  const unsubscribes = subject.email
    ? await db.emailSuppression.findMany({
        where: { shop, email: subject.email.toLowerCase() },
        select: { kind: true, createdAt: true },
      })
    : [];
  return { notifications, unsubscribes };
}

/** customers/redact: the log keeps that a message was sent and its status, not to whom or what it said. */
export async function redactCustomerNotifications(db: Db, shop: string, subject: Recipient, now: Date) {
  const or = notificationsOf(subject);
  if (or.length) {
    await db.notification.updateMany({
      where: { shop, OR: or },
      data: {
        recipient: null,
        subject: "(redacted)",
        bodyHtml: "",
        bodyText: "",
        customerShopifyId: null,
        redactedAt: now,
      },
    });
  }
  if (subject.email) await db.emailSuppression.deleteMany({ where: { shop, email: subject.email.toLowerCase() } });
}

/** shop/redact: every message and unsubscribe of the shop. */
export async function deleteShopNotifications(db: Db, shop: string) {
  await db.notification.deleteMany({ where: { shop } });
  await db.emailSuppression.deleteMany({ where: { shop } });
}

/** The gids of orders a shipping email went out for at or after `since`, as a subquery (the dashboard's rollup). */
export function ordersEmailedSince(shop: string, since: Date): Sql {
  return sql`SELECT n."orderShopifyId" FROM "Notification" n
    WHERE n."shop" = ${shop} AND n."kind" = 'tracking' AND n."status" = 'sent' AND n."sentAt" >= ${since}
      AND n."orderShopifyId" IS NOT NULL`;
}

/**
 * A condition over an order gid (`order`, a piece of SQL) for the WISMO deflection
 * (domain/dashboard/definitions.ts): a shipping email of that order went out (any milestone; a
 * failed or skipped one told nobody).
 */
export function shippingEmailSent(shop: string, order: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM "Notification" n
    WHERE n."shop" = ${shop} AND n."orderShopifyId" = ${order} AND n."kind" = 'tracking' AND n."status" = 'sent')`;
}

/** When the message under this key was put in the outbox, or null when there is none. */
export async function notificationSentAt(
  db: Db,
  shop: string,
  kind: string,
  subjectId: string,
  milestone: string,
): Promise<Date | null> {
  const row = await db.notification.findUnique({
    where: { shop_kind_subjectId_milestone: { shop, kind, subjectId, milestone } },
    select: { createdAt: true },
  });
  return row?.createdAt ?? null;
}
