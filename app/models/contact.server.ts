/** Data access for Contact: settings, requests and their messages, surveys. Shop always first. */
import type { Db } from "../db.server";
import { readContactSettings, type ContactSettings } from "../domain/contact/settings";
import { REQUEST_STATUSES, type RequestStatus } from "../domain/contact/statuses";

import { rawExecute } from "./raw-sql.server";

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

export async function listRequests(
  db: Db,
  shop: string,
  input: { status: RequestStatus; query?: string; take?: number },
) {
  const q = (input.query ?? "").trim().toLowerCase().slice(0, 100);
  return db.contactRequest.findMany({
    where: { shop, status: input.status, ...(q ? { searchText: { contains: q } } : {}) },
    orderBy: { lastMessageAt: input.status === "closed" ? "desc" : "asc" },
    take: input.take ?? 100,
    include: { messages: { orderBy: { createdAt: "desc" }, take: 1, select: { body: true, author: true } } },
  });
}

export async function countRequestsByStatus(db: Db, shop: string) {
  const rows = await db.contactRequest.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const counts: Record<RequestStatus, number> = { open: 0, waiting: 0, closed: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as RequestStatus] = r._count._all;
  return counts;
}

export async function getRequest(db: Db, shop: string, id: string) {
  return db.contactRequest.findFirst({ where: { shop, id }, include: { messages: { orderBy: { createdAt: "asc" } } } });
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

/** Survey scores of a kind answered in the period. */
export async function answeredSurveyScores(db: Db, shop: string, kind: "csat" | "nps", period: Period) {
  const rows = await db.surveyResponse.findMany({
    where: { shop, kind, answeredAt: { gte: period.start, lt: period.end }, score: { not: null } },
    select: { score: true },
  });
  return rows.map((r) => r.score as number);
}

/** Business minutes to the first reply, for first replies sent in the period. */
export async function firstResponseMinutes(db: Db, shop: string, period: Period) {
  const rows = await db.contactRequest.findMany({
    where: { shop, firstResponseAt: { gte: period.start, lt: period.end }, firstResponseMinutes: { not: null } },
    select: { firstResponseMinutes: true },
  });
  return rows.map((r) => r.firstResponseMinutes as number);
}

/** Tracking page views on the period's days (shop calendar), and order-status requests made in it. */
export async function wismoCounts(db: Db, shop: string, period: Period) {
  const [views, orderStatusRequests] = await Promise.all([
    db.trackingViewDay.aggregate({ where: { shop, day: { gte: period.from, lte: period.to } }, _sum: { views: true } }),
    db.contactRequest.count({
      where: { shop, topic: "order_status", createdAt: { gte: period.start, lt: period.end } },
    }),
  ]);
  return { trackingViews: views._sum.views ?? 0, orderStatusRequests };
}

/** When each request of the period was made, and its topic: the dashboard's requests-per-day chart. */
export function requestTimesAndTopics(db: Db, shop: string, period: { start: Date; end: Date }) {
  return db.contactRequest.findMany({
    where: { shop, createdAt: { gte: period.start, lt: period.end } },
    select: { createdAt: true, topic: true },
  });
}
