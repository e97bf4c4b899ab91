/**
 * A shipment's milestones as events (docs/events.md): the milestones a shipment has earned, by the
 * same rule that picks its emails (domain/tracking/notify.ts), whether or not the merchant sends
 * Aftercare's own emails. Keyed by (shipment, milestone), so a replayed or reordered webhook or
 * the periodic delay check announces each milestone once; a milestone older than the news window
 * (an import, an old replay) is history and is not announced.
 */
import type { Db } from "../../db.server";
import type { EventType } from "../../domain/events/catalog";
import { notificationsDue } from "../../domain/tracking/notify";
import type { NotifiedMilestone } from "../../domain/tracking/settings";
import { recordedTypes, recordEvent } from "../../models/events.server";

import type { ShipmentState, TrackingState } from "./shipments.server";

export interface ShipmentEventClock {
  now: Date;
  /** When the shipment reached a milestone, if known (notifications.server.ts's rule). */
  happenedAt: (milestone: NotifiedMilestone) => Date | null;
  /** Older than this is history (NEWS_WINDOW_MS). */
  newsWindowMs: number;
}

export async function recordShipmentEvents(
  db: Db,
  state: TrackingState,
  shipment: ShipmentState,
  { now, happenedAt, newsWindowMs }: ShipmentEventClock,
) {
  const { order } = state.data;
  if (order.redactedAt) return [];
  const due = notificationsDue({
    timeline: shipment.timeline,
    hasTracking: shipment.hasTracking,
    delayed: shipment.delay !== null,
  }).filter((milestone) => {
    const at = happenedAt(milestone);
    return !(at && now.getTime() - at.getTime() > newsWindowMs);
  });
  const recorded: string[] = [];
  const typeOf = (milestone: NotifiedMilestone) => `shipment.${milestone}` as EventType & `shipment.${string}`;
  const shop = state.profile.domain;
  const known = await recordedTypes(db, shop, shipment.fulfillmentShopifyId, due.map(typeOf));
  const fresh = due.filter((milestone) => !known.has(typeOf(milestone)));
  if (fresh.length === 0) return recorded;
  // One transaction for the shipment's new milestones; the insert's conflict rule still settles a
  // writer that recorded one since the read above.
  await db.$transaction(async (tx) => {
    for (const milestone of fresh) {
      const written = await recordEvent(tx, {
        shop,
        type: typeOf(milestone),
        key: shipment.fulfillmentShopifyId,
        occurredAt: happenedAt(milestone) ?? now,
        order: { id: order.shopifyId, name: order.name },
        customer: { id: order.customerShopifyId },
        data: {
          shipment: {
            id: shipment.fulfillmentShopifyId,
            carrier: shipment.carrier.name,
            trackingNumber: shipment.carrier.trackingNumber,
            trackingUrl: shipment.carrier.trackingUrl,
            estimate: shipment.estimate
              ? { earliest: shipment.estimate.earliest, latest: shipment.estimate.latest }
              : null,
            message: shipment.timeline.problem?.message ?? null,
          },
        },
      });
      if (written) recorded.push(milestone);
    }
  });
  return recorded;
}
