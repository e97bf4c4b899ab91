/**
 * What the merchant can do about an item of the needs-attention list: tell the shopper (the
 * shipment emails' own path: the "delayed" or "delivery problem" email in the shopper's language,
 * through the outbox, so it shows in the notification log and is never sent twice), or mark it
 * handled (it leaves the list until a new problem begins).
 */
import type { Db } from "../../db.server";
import { resolveCarrier } from "../../domain/tracking/carriers";
import type { NotifiedMilestone } from "../../domain/tracking/settings";
import { notificationSentAt } from "../../models/outbox.server";
import { markAttentionHandled } from "../../models/tracking.server";

import { findAttentionItem } from "./insights.server";
import { enqueueTrackingEmail, NOTIFICATION_KIND } from "./notifications.server";
import { assembleTracking } from "./shipments.server";

export type AttentionOutcome =
  { ok: true } | { ok: false; problem: "gone" | "no_email" | "already_notified"; at?: Date };

interface Deps {
  secret: string;
  now: Date;
}

/** The email an item earns: a carrier's problem is a delivery problem; anything late is a delay. */
function milestoneOf(kind: string): NotifiedMilestone {
  return kind === "exception" || kind === "attempted_delivery" ? "exception" : "delayed";
}

export async function notifyShopperAbout(
  db: Db,
  shop: string,
  subjectId: string,
  deps: Deps,
): Promise<AttentionOutcome> {
  const item = await findAttentionItem(db, shop, deps.now, subjectId);
  if (!item) return { ok: false, problem: "gone" };
  const state = await assembleTracking(db, shop, item.orderShopifyId, deps.now);
  if (!state) return { ok: false, problem: "gone" };
  const { order } = state.data;
  if (!order.email || order.redactedAt) return { ok: false, problem: "no_email" };
  const milestone = milestoneOf(item.kind);
  const already = await notificationSentAt(db, shop, NOTIFICATION_KIND, subjectId, milestone);
  if (already) return { ok: false, problem: "already_notified", at: already };

  const shipment = state.shipments.find((s) => s.fulfillmentShopifyId === subjectId);
  // An order not shipped yet: the delay email about what is being prepared, with no carrier.
  const about = shipment ?? {
    carrier: resolveCarrier({ company: null, trackingNumbers: [], trackingUrls: [] }),
    estimate: state.preparing?.estimate ?? null,
    items: state.preparing?.items ?? [],
    timeline: { problem: null },
  };
  const { created } = await enqueueTrackingEmail(db, state, about, { subjectId, milestone }, deps);
  return created ? { ok: true } : { ok: false, problem: "already_notified", at: deps.now };
}

export async function markHandled(
  db: Db,
  shop: string,
  subjectId: string,
  staffUserId: string | null,
  deps: Pick<Deps, "now">,
): Promise<AttentionOutcome> {
  const item = await findAttentionItem(db, shop, deps.now, subjectId);
  if (!item) return { ok: false, problem: "gone" };
  await markAttentionHandled(db, shop, { subjectId, since: item.sinceDate }, staffUserId, deps.now);
  return { ok: true };
}
