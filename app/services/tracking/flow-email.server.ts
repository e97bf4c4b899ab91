/**
 * Flow's "send tracking update email": the email about where the order's latest shipment is now
 * (its problem if it has one, else its furthest progress), rendered and sent the way the
 * automatic shipment emails are, through the outbox. It is keyed by the workflow run, so Flow
 * retrying the step sends once, and it does not count as the automatic email for that milestone.
 */
import type { Db } from "../../db.server";
import { progressNotification } from "../../domain/tracking/notify";
import type { NotifiedMilestone } from "../../domain/tracking/settings";

import { enqueueTrackingEmail } from "./notifications.server";
import { assembleTracking, type ShipmentState } from "./shipments.server";

export type FlowTrackingEmailOutcome =
  | { ok: true; milestone: NotifiedMilestone; created: boolean }
  | { ok: false; problem: "no_order" | "no_email" | "no_shipment" };

/** What to tell the shopper about a shipment: what is wrong, else how far it got. */
export function milestoneToReport(shipment: Pick<ShipmentState, "timeline" | "delay">): NotifiedMilestone | null {
  const { stage, problem } = shipment.timeline;
  if (stage !== "delivered") {
    if (problem?.kind === "exception" || problem?.kind === "attempted_delivery") return "exception";
    if (problem?.kind === "delayed" || shipment.delay) return "delayed";
  }
  return progressNotification(stage);
}

export async function sendTrackingEmailForFlow(
  db: Db,
  shop: string,
  input: { orderShopifyId: string; runId: string },
  deps: { secret: string; now: Date },
): Promise<FlowTrackingEmailOutcome> {
  const state = await assembleTracking(db, shop, input.orderShopifyId, deps.now);
  if (!state) return { ok: false, problem: "no_order" };
  const { order } = state.data;
  if (!order.email || order.redactedAt) return { ok: false, problem: "no_email" };
  // The shipment Shopify told us about last.
  const shipment = [...state.shipments].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  const milestone = shipment ? milestoneToReport(shipment) : null;
  if (!shipment || !milestone) return { ok: false, problem: "no_shipment" };
  // Keyed by the run, not the milestone's own key: a retried step sends once, and it never stands
  // in for the automatic email of that milestone.
  const subjectId = `flow:${input.runId}`.slice(0, 191);
  const { created } = await enqueueTrackingEmail(db, state, shipment, { subjectId, milestone }, deps);
  return { ok: true, milestone, created };
}
