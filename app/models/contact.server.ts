/** Data access for Contact: settings, requests and their messages, surveys. Shop always first. */
import type { Db } from "../db.server";
import { readContactSettings, type ContactSettings } from "../domain/contact/settings";
import { REQUEST_STATUSES, type RequestStatus } from "../domain/contact/statuses";

import { rawExecute } from "./raw-sql.server";

export async function getContactSettings(db: Db, shop: string): Promise<ContactSettings> {
  const row = await db.contactSettings.findUnique({ where: { shop } });
  return readContactSettings(row?.settings);
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
