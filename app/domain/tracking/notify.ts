/**
 * Which shipment emails a shipment has earned. Only the furthest progress milestone counts
 * (a parcel already delivered does not also get "shipped"), and nothing goes out before the
 * shopper has something to follow: a tracking number or link.
 */
import type { NotifiedMilestone } from "./settings";
import { milestoneRank, type Milestone, type ShipmentTimeline } from "./timeline";

export function progressNotification(stage: Milestone): NotifiedMilestone | null {
  if (stage === "delivered") return "delivered";
  if (stage === "out_for_delivery") return "out_for_delivery";
  if (milestoneRank(stage) >= milestoneRank("shipped")) return "shipped";
  return null;
}

/** Progress emails in the order a shipment earns them: a later one supersedes an unsent earlier one. */
export const PROGRESS_ORDER: NotifiedMilestone[] = ["shipped", "out_for_delivery", "delivered"];

export function notificationsDue(input: {
  timeline: ShipmentTimeline;
  hasTracking: boolean;
  /** A delay rule says the shipment is late. */
  delayed: boolean;
}): NotifiedMilestone[] {
  if (!input.hasTracking) return [];
  const due: NotifiedMilestone[] = [];
  const progress = progressNotification(input.timeline.stage);
  if (progress) due.push(progress);
  if (input.timeline.stage !== "delivered") {
    const problem = input.timeline.problem?.kind;
    if (problem === "exception" || problem === "attempted_delivery") due.push("exception");
    if (problem === "delayed" || input.delayed) due.push("delayed");
  }
  return due;
}
