/** Data access for Contact: settings, requests and their messages, surveys. Shop always first. */
import type { Db } from "../db.server";
import { readContactSettings, type ContactSettings } from "../domain/contact/settings";
import { REQUEST_STATUSES, type RequestStatus } from "../domain/contact/statuses";
import { keyset, pageOf, type PageRequest } from "../utils/paging.server";

import { asNumber, localDay, queryRows, rawExecute, sql, type Sql } from "./raw-sql.server";

export async function getContactSettings(db: Db, shop: string): Promise<ContactSettings> {
  const row = await db.contactSettings.findUnique({ where: { shop } });
  return readContactSettings(row?.settings);
}

/** Whether the settings were saved at least once (the setup guide's business hours step). */
export async function contactSettingsSaved(db: Db, shop: string): Promise<boolean> {
  return (await db.contactSettings.count({ where: { shop } })) > 0;
}

export async function saveContactSettings(db: Db, shop: string, settings: ContactSettings) {
  const json = JSON.stringify(settings);
  await db.contactSettings.upsert({ where: { shop }, create: { shop, settings: json }, update: { settings: json } });
}

export { REQUEST_STATUSES, type RequestStatus };

export function searchTextOf(r: {
  name?: string | null;
  email?: string | null;
  orderName?: string | null;
  number: number;
  topic: string;
}) {
  return [r.name, r.email, r.orderName, `#${r.number}`, r.topic].filter(Boolean).join(" ").toLowerCase();
}

/** Whose requests a page of the inbox shows: one staff member's, nobody's, or everyone's. */
export type AssigneeFilter = { userId: string } | "unassigned" | "all";
export type InboxSort = "oldest" | "newest";

/**
 * A page of the inbox: requests of one status (by default open and waiting ones oldest first,
 * closed ones newest first), by keyset on the last message's time, each with its last message
 * to the shopper (internal notes are not a preview).
 */
export async function listRequests(
  db: Db,
  shop: string,
  input: { status: RequestStatus; query?: string; assignee?: AssigneeFilter; sort?: InboxSort },
  request: PageRequest = { after: null, before: null, size: 100 },
) {
  const q = (input.query ?? "").trim().toLowerCase().slice(0, 100);
  const sort = input.sort ?? (input.status === "closed" ? "newest" : "oldest");
  const page = keyset(request, "lastMessageAt", sort === "newest" ? "desc" : "asc");
  const assignee = input.assignee ?? "all";
  const rows = await db.contactRequest.findMany({
    where: {
      shop,
      status: input.status,
      ...(assignee === "all" ? {} : { assigneeUserId: assignee === "unassigned" ? null : assignee.userId }),
      ...(q ? { searchText: { contains: q } } : {}),
      ...page.where,
    },
    orderBy: page.orderBy,
    take: page.take,
    include: {
      messages: {
        where: { author: { not: "note" } },
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { body: true, author: true },
      },
    },
  });
  return pageOf(rows, request, (r) => ({ at: r.lastMessageAt.toISOString(), id: r.id }));
}

/** Assigns a request to a staff member (their Shopify user id), or to nobody; false when there is no such request. */
export async function assignRequest(db: Db, shop: string, requestId: string, assigneeUserId: string | null) {
  const { count } = await db.contactRequest.updateMany({ where: { shop, id: requestId }, data: { assigneeUserId } });
  return count > 0;
}

/** An internal note on a request: kept in its thread, never sent to the shopper. */
export async function addNote(
  db: Db,
  shop: string,
  input: { requestId: string; body: string; staffUserId: string | null; now: Date },
) {
  return db.contactMessage.create({
    data: {
      shop,
      requestId: input.requestId,
      author: "note",
      body: input.body,
      staffUserId: input.staffUserId,
      createdAt: input.now,
    },
  });
}

export async function listSavedReplies(db: Db, shop: string) {
  return db.savedReply.findMany({ where: { shop }, orderBy: [{ title: "asc" }, { id: "asc" }], take: 500 });
}

export async function getSavedReply(db: Db, shop: string, id: string) {
  return db.savedReply.findFirst({ where: { shop, id } });
}

export async function countSavedReplies(db: Db, shop: string) {
  return db.savedReply.count({ where: { shop } });
}

/** Creates a saved reply, or changes one (`id`); null when `id` names none of this shop's. */
export async function writeSavedReply(db: Db, shop: string, input: { id?: string; title: string; bodies: string }) {
  const data = { title: input.title, bodies: input.bodies };
  if (!input.id) return db.savedReply.create({ data: { shop, ...data } });
  const { count } = await db.savedReply.updateMany({ where: { shop, id: input.id }, data });
  return count ? getSavedReply(db, shop, input.id) : null;
}

export async function deleteSavedReply(db: Db, shop: string, id: string) {
  const { count } = await db.savedReply.deleteMany({ where: { shop, id } });
  return count > 0;
}

export async function countRequestsByStatus(db: Db, shop: string) {
  const rows = await db.contactRequest.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const counts: Record<RequestStatus, number> = { open: 0, waiting: 0, closed: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as RequestStatus] = r._count._all;
  return counts;
}

export async function getRequest(db: Db, shop: string, id: string) {
  return db.contactRequest.findFirst({
    where: { shop, id },
    // A chat's messages written in the same millisecond keep their sequence.
    include: { messages: { orderBy: [{ createdAt: "asc" }, { seq: "asc" }] } },
  });
}

/**
 * One more view of an order's tracking on `day` (the shop's calendar): WISMO deflection on the
 * dashboard. One statement, the same on both databases; a first view and a repeat cannot collide.
 */
export async function countTrackingView(db: Db, shop: string, orderShopifyId: string, day: string, now: Date) {
  await rawExecute(
    db,
    `INSERT INTO "TrackingViewDay" ("shop", "orderShopifyId", "day", "views", "firstViewedAt")
     VALUES ({}, {}, {}, 1, {})
     ON CONFLICT ("shop", "orderShopifyId", "day") DO UPDATE SET "views" = "TrackingViewDay"."views" + 1`,
    [shop, orderShopifyId, day, now],
  );
}

/** A period of the dashboard: [start, end), and its first and last days in the shop's calendar. */
interface Period {
  start: Date;
  end: Date;
  from: string;
  to: string;
}

/** How many answers of a kind, answered in the period, gave each score (counted in the database). */
export async function surveyScoreCounts(db: Db, shop: string, kind: "csat" | "nps", period: Period) {
  const rows = await db.surveyResponse.groupBy({
    by: ["score"],
    where: { shop, kind, answeredAt: { gte: period.start, lt: period.end }, score: { not: null } },
    _count: { _all: true },
  });
  return rows.map((r) => ({ score: r.score as number, count: r._count._all }));
}

/**
 * First replies sent in the period: how many, and the median of their business minutes, found by
 * the database (the middle one or two of them in order), not by reading every request.
 */
export async function firstResponseMedian(db: Db, shop: string, period: Period) {
  const where = sql`"shop" = ${shop} AND "firstResponseAt" >= ${period.start} AND "firstResponseAt" < ${period.end}
    AND "firstResponseMinutes" IS NOT NULL`;
  const [counted] = await queryRows<{ n: unknown }>(
    db,
    sql`SELECT COUNT(*) AS "n" FROM "ContactRequest" WHERE ${where}`,
  );
  const answered = asNumber(counted?.n);
  if (answered === 0) return { answered, medianMinutes: null };
  const middle = await queryRows<{ minutes: unknown }>(
    db,
    sql`SELECT "firstResponseMinutes" AS "minutes" FROM "ContactRequest" WHERE ${where}
      ORDER BY "firstResponseMinutes" LIMIT ${answered % 2 ? 1 : 2} OFFSET ${Math.floor((answered - 1) / 2)}`,
  );
  const values = middle.map((m) => asNumber(m.minutes));
  return { answered, medianMinutes: values.reduce((a, b) => a + b, 0) / values.length };
}

/**
 * Conditions over an order gid (`order`, a piece of SQL) for the WISMO deflection
 * (domain/dashboard/definitions.ts): whether its shopper looked at its tracking (a view on any
 * day), and whether anyone wrote in about its status (an order-status request naming the order, at
 * any time). Each is one probe of an index on (shop, order).
 */
export function trackingViewed(shop: string, order: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM "TrackingViewDay" v WHERE v."shop" = ${shop} AND v."orderShopifyId" = ${order})`;
}

/**
 * The gids of orders first looked up, or named by a request written or changed, at or after
 * `since`, as a subquery (the dashboard's rollup recounts their days).
 */
export function ordersViewedOrAskedSince(shop: string, since: Date): Sql {
  return sql`SELECT v."orderShopifyId" FROM "TrackingViewDay" v
    WHERE v."shop" = ${shop} AND v."firstViewedAt" >= ${since}
    UNION SELECT c."orderShopifyId" FROM "ContactRequest" c
    WHERE c."shop" = ${shop} AND c."updatedAt" >= ${since} AND c."orderShopifyId" IS NOT NULL`;
}

export function askedAboutOrderStatus(shop: string, order: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM "ContactRequest" c
    WHERE c."shop" = ${shop} AND c."orderShopifyId" = ${order} AND c."topic" = 'order_status')`;
}

/**
 * Requests made in the period per day of the shop's calendar, all and order-status ones, counted
 * in the database: `spans` (kpi.ts's offsetSpans) say which offset takes each moment to its local
 * day. Only days with a request come back.
 */
export async function requestsPerLocalDay(
  db: Db,
  shop: string,
  period: { start: Date; end: Date },
  spans: ReadonlyArray<{ from: Date; offsetMinutes: number }>,
) {
  const day = localDay(db, sql`"createdAt"`, spans);
  const rows = await queryRows<{ day: string; requests: unknown; orderStatus: unknown }>(
    db,
    sql`SELECT ${day} AS "day", COUNT(*) AS "requests",
        SUM(CASE WHEN "topic" = 'order_status' THEN 1 ELSE 0 END) AS "orderStatus"
      FROM "ContactRequest"
      WHERE "shop" = ${shop} AND "createdAt" >= ${period.start} AND "createdAt" < ${period.end}
      GROUP BY 1`,
  );
  return rows.map((r) => ({ day: r.day, requests: asNumber(r.requests), orderStatus: asNumber(r.orderStatus) }));
}

/** The channels a request comes in by (docs/decisions/0042); a survey answer without one was a form's. */
export const SERVICE_CHANNELS = ["chat", "form", "email"] as const;
export type ServiceChannel = (typeof SERVICE_CHANNELS)[number];

/**
 * Per channel, counted by the database (docs/decisions/0042): requests started in the period, first
 * replies sent in it with the median of their minutes, and satisfaction answers given in it by
 * score. A few grouped statements and, per channel with first replies, one read of its middle row(s).
 */
export async function serviceFiguresByChannel(db: Db, shop: string, period: { start: Date; end: Date }) {
  const [started, answered, scores] = await Promise.all([
    queryRows<{ channel: string; n: unknown }>(
      db,
      sql`SELECT "channel", COUNT(*) AS "n" FROM "ContactRequest"
        WHERE "shop" = ${shop} AND "createdAt" >= ${period.start} AND "createdAt" < ${period.end} GROUP BY "channel"`,
    ),
    queryRows<{ channel: string; n: unknown }>(
      db,
      sql`SELECT "channel", COUNT(*) AS "n" FROM "ContactRequest"
        WHERE "shop" = ${shop} AND "firstResponseAt" >= ${period.start} AND "firstResponseAt" < ${period.end}
          AND "firstResponseMinutes" IS NOT NULL GROUP BY "channel"`,
    ),
    queryRows<{ channel: string | null; score: unknown; n: unknown }>(
      db,
      sql`SELECT "channel", "score", COUNT(*) AS "n" FROM "SurveyResponse"
        WHERE "shop" = ${shop} AND "kind" = 'csat' AND "answeredAt" >= ${period.start} AND "answeredAt" < ${period.end}
          AND "score" IS NOT NULL GROUP BY "channel", "score"`,
    ),
  ]);
  const channelOf = (c: string | null): ServiceChannel =>
    (SERVICE_CHANNELS as ReadonlyArray<string>).includes(c ?? "") ? (c as ServiceChannel) : "form";
  return Promise.all(
    SERVICE_CHANNELS.map(async (channel) => {
      const firstReplies = answered
        .filter((r) => channelOf(r.channel) === channel)
        .reduce((a, r) => a + asNumber(r.n), 0);
      let medianMinutes: number | null = null;
      if (firstReplies > 0) {
        const middle = await queryRows<{ minutes: unknown }>(
          db,
          sql`SELECT "firstResponseMinutes" AS "minutes" FROM "ContactRequest"
            WHERE "shop" = ${shop} AND "firstResponseAt" >= ${period.start} AND "firstResponseAt" < ${period.end}
              AND "firstResponseMinutes" IS NOT NULL AND "channel" = ${channel}
            ORDER BY "firstResponseMinutes"
            LIMIT ${firstReplies % 2 ? 1 : 2} OFFSET ${Math.floor((firstReplies - 1) / 2)}`,
        );
        const values = middle.map((m) => asNumber(m.minutes));
        medianMinutes = values.reduce((a, b) => a + b, 0) / values.length;
      }
      return {
        channel,
        started: started.filter((r) => channelOf(r.channel) === channel).reduce((a, r) => a + asNumber(r.n), 0),
        firstReplies,
        medianFirstResponseMinutes: medianMinutes,
        scores: scores
          .filter((r) => channelOf(r.channel) === channel)
          .map((r) => ({ score: asNumber(r.score), count: asNumber(r.n) })),
      };
    }),
  );
}
