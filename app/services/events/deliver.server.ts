/**
 * Sends what waits in the event outbox to each destination (Shopify Flow first). A periodic task
 * calls this; each delivery is claimed by one sender, handed to its destination's adapter and its
 * result recorded: sent, retried later with backoff, skipped (the destination cannot take this
 * event, e.g. Flow and a guest member with no Shopify customer), or parked after the last try,
 * where the Sync page shows it with a Retry. One destination failing never holds back another:
 * each event has its own row per destination.
 */
import type { Db } from "../../db.server";
import type { EventDestination, EventEnvelope } from "../../domain/events/catalog";
import { claimDueDeliveries, markDelivery } from "../../models/events.server";

/** Waits after each failed try; once they are used up, the delivery is parked. */
export const EVENT_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 3_600_000];

export type DestinationOutcome = { status: "sent" } | { status: "skipped"; reason: string };

/** A destination that will never take this event as it is (bad input): parked at once, not retried. */
export class PermanentDeliveryError extends Error {}

export interface EventDestinationAdapter {
  name: EventDestination;
  /** `meta.eventId` is the event's own id, stable across tries (a destination's idempotency key). */
  /** `meta.batch` names one run of deliverDueEvents: everything it claimed was committed before it began. */
  deliver(shop: string, event: EventEnvelope, meta: { eventId: string; batch?: number }): Promise<DestinationOutcome>;
}

export interface EventDeliveryReport {
  sent: number;
  retrying: number;
  parked: number;
  skipped: number;
}

let batches = 0;

export async function deliverDueEvents(deps: {
  db: Db;
  destinations: EventDestinationAdapter[];
  now?: Date;
  limit?: number;
}): Promise<EventDeliveryReport> {
  const now = deps.now ?? new Date();
  const report: EventDeliveryReport = { sent: 0, retrying: 0, parked: 0, skipped: 0 };
  const batch = ++batches;
  for (const row of await claimDueDeliveries(deps.db, now, deps.limit ?? 100)) {
    const adapter = deps.destinations.find((d) => d.name === row.destination);
    if (!adapter) {
      // A destination this process does not know (an older worker): leave it for one that does.
      await markDelivery(deps.db, row.id, {
        status: "retrying",
        error: `no adapter for ${row.destination} in this process`,
        nextAttemptAt: new Date(now.getTime() + EVENT_RETRY_DELAYS_MS[0]),
      });
      report.retrying++;
      continue;
    }
    try {
      const outcome = await adapter.deliver(row.shop, JSON.parse(row.event.payload) as EventEnvelope, {
        eventId: row.eventId,
        batch,
      });
      if (outcome.status === "sent") {
        await markDelivery(deps.db, row.id, { status: "sent", at: now });
        report.sent++;
      } else {
        await markDelivery(deps.db, row.id, { status: "skipped", error: outcome.reason });
        report.skipped++;
      }
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const delay = EVENT_RETRY_DELAYS_MS[row.attempts - 1];
      if (error instanceof PermanentDeliveryError || delay === undefined) {
        await markDelivery(deps.db, row.id, { status: "parked", error: message });
        report.parked++;
      } else {
        await markDelivery(deps.db, row.id, {
          status: "retrying",
          error: message,
          nextAttemptAt: new Date(now.getTime() + delay),
        });
        report.retrying++;
      }
    }
  }
  return report;
}
