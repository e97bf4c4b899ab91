/**
 * The Sync page's deliveries section: per destination, how many events were sent, are failing
 * (waiting to retry) and are parked; the recent failures with their error, a keyset page at a
 * time (?deliveriesAfter= / ?deliveriesBefore=); and Retry for a parked delivery. Counts are one
 * grouped query in the database; no page reads more than a page of rows.
 */
import type { Db } from "../../db.server";
import { EVENT_DESTINATIONS } from "../../domain/events/catalog";
import { deliveryCounts, retryDelivery, troubledDeliveries } from "../../models/events.server";
import { decodeCursor, type PageRequest } from "../../utils/paging.server";

export const DELIVERIES_PAGE_SIZE = 20;

export function deliveriesPageRequest(params: URLSearchParams, size = DELIVERIES_PAGE_SIZE): PageRequest {
  const before = decodeCursor(params.get("deliveriesBefore"));
  return { after: before ? null : decodeCursor(params.get("deliveriesAfter")), before, size };
}

export async function deliveriesView(db: Db, shop: string, request: PageRequest) {
  const [counts, failures] = await Promise.all([deliveryCounts(db, shop), troubledDeliveries(db, shop, request)]);
  const count = (destination: string, statuses: string[]) =>
    counts.filter((c) => c.destination === destination && statuses.includes(c.status)).reduce((n, c) => n + c.count, 0);
  return {
    destinations: EVENT_DESTINATIONS.map((destination) => ({
      destination,
      sent: count(destination, ["sent"]),
      failing: count(destination, ["retrying"]),
      parked: count(destination, ["parked"]),
    })),
    failures: {
      next: failures.next,
      previous: failures.previous,
      rows: failures.rows.map((r) => ({
        id: r.id,
        destination: r.destination,
        status: r.status,
        attempts: r.attempts,
        error: r.lastError ?? "",
        type: r.event.type,
        occurredAt: r.event.occurredAt.toISOString(),
        nextAttemptAt: r.status === "retrying" ? r.nextAttemptAt.toISOString() : null,
      })),
    },
  };
}

/** Retry of one parked (or waiting) delivery: false when it is no longer waiting. */
export function retryEventDelivery(db: Db, shop: string, id: unknown, now: Date) {
  if (typeof id !== "string" || id === "" || id.length > 100) return Promise.resolve(false);
  return retryDelivery(db, shop, id, now);
}
