/**
 * A shipment's story as the shopper sees it: six milestones in order, plus the problems that can
 * interrupt them. Built from the order mirror (the fulfillment and its carrier scans); later
 * milestones imply the earlier ones even when a scan for them never came.
 */
export const MILESTONES = ["ordered", "confirmed", "shipped", "in_transit", "out_for_delivery", "delivered"] as const;
export type Milestone = (typeof MILESTONES)[number];

export const PROBLEMS = ["attempted_delivery", "exception", "delayed"] as const;
export type ProblemKind = (typeof PROBLEMS)[number];

export type StepState = "done" | "current" | "upcoming";

export interface TimelineStep {
  milestone: Milestone;
  state: StepState;
  /** When it happened, if known (a milestone implied by a later one has no time). */
  at: Date | null;
}

export interface Scan {
  status: string;
  happenedAt: Date;
  message: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
}

export interface TimelineOrder {
  createdAt: Date;
  processedAt: Date | null;
  financialStatus: string | null;
  cancelledAt: Date | null;
}

export interface TimelineShipment {
  createdAt: Date;
  /** Shopify's fulfillment status: success, open, pending, cancelled, error, failure. */
  status: string;
  /** Shopify's latest shipment_status. */
  shipmentStatus: string | null;
  inTransitAt: Date | null;
  deliveredAt: Date | null;
  scans: ReadonlyArray<Scan>;
}

export interface ShipmentProblem {
  kind: ProblemKind;
  at: Date | null;
  message: string | null;
}

export interface ShipmentTimeline {
  /** The furthest milestone reached. */
  stage: Milestone;
  steps: TimelineStep[];
  /** What is wrong right now, if anything (a failed delivery followed by a delivery is not). */
  problem: ShipmentProblem | null;
  /** Carrier scans, newest first. */
  scans: Scan[];
  lastScanAt: Date | null;
}

const RANK: Record<Milestone, number> = Object.fromEntries(MILESTONES.map((m, i) => [m, i])) as Record<
  Milestone,
  number
>;

/** Shopify's shipment and fulfillment event statuses, as milestones or problems. */
const STATUS_MEANING: Record<string, Milestone | ProblemKind> = {
  label_printed: "confirmed",
  label_purchased: "confirmed",
  confirmed: "confirmed",
  carrier_picked_up: "shipped",
  picked_up: "shipped",
  in_transit: "in_transit",
  out_for_delivery: "out_for_delivery",
  // Waiting at a pickup point is the last step before the shopper has it, like a van on its way.
  ready_for_pickup: "out_for_delivery",
  delivered: "delivered",
  attempted_delivery: "attempted_delivery",
  failure: "exception",
  delayed: "delayed",
};

export function meaningOf(status: string | null | undefined): Milestone | ProblemKind | null {
  return status ? (STATUS_MEANING[status] ?? null) : null;
}

function isMilestone(value: Milestone | ProblemKind | null): value is Milestone {
  return value !== null && value in RANK;
}

const PAID = new Set(["authorized", "paid", "partially_paid", "partially_refunded", "refunded"]);

/** Statuses after which a fulfillment no longer describes a parcel on its way. */
export function isCancelledShipment(status: string): boolean {
  return status === "cancelled";
}

export function buildShipmentTimeline(order: TimelineOrder, shipment: TimelineShipment): ShipmentTimeline {
  const reachedAt = new Map<Milestone, Date | null>();
  const reach = (m: Milestone, at: Date | null) => {
    const prev = reachedAt.get(m);
    if (prev === undefined || prev === null || (at && at < prev)) reachedAt.set(m, at ?? prev ?? null);
  };

  reach("ordered", order.createdAt);
  if (order.financialStatus && PAID.has(order.financialStatus))
    reach("confirmed", order.processedAt ?? order.createdAt);
  // A fulfillment is Shopify's "shipped": the merchant handed the items over.
  reach("shipped", shipment.createdAt);

  const scans = [...shipment.scans].sort((a, b) => b.happenedAt.getTime() - a.happenedAt.getTime());
  for (const scan of scans) {
    const meaning = meaningOf(scan.status);
    if (isMilestone(meaning)) reach(meaning, scan.happenedAt);
  }
  if (shipment.inTransitAt) reach("in_transit", shipment.inTransitAt);
  if (shipment.deliveredAt) reach("delivered", shipment.deliveredAt);
  const current = meaningOf(shipment.shipmentStatus);
  if (isMilestone(current)) reach(current, null);

  let stageRank = 0;
  for (const m of reachedAt.keys()) stageRank = Math.max(stageRank, RANK[m]);
  const stage = MILESTONES[stageRank];

  const steps: TimelineStep[] = MILESTONES.map((milestone, i) => ({
    milestone,
    state:
      i < stageRank || (i === stageRank && stage === "delivered") ? "done" : i === stageRank ? "current" : "upcoming",
    at: i <= stageRank ? (reachedAt.get(milestone) ?? null) : null,
  }));

  return {
    stage,
    steps,
    problem: currentProblem(shipment, scans, stage),
    scans,
    lastScanAt: scans[0]?.happenedAt ?? null,
  };
}

function currentProblem(shipment: TimelineShipment, newestFirst: Scan[], stage: Milestone): ShipmentProblem | null {
  if (stage === "delivered") return null;
  if (shipment.status === "failure" || shipment.status === "error") {
    return { kind: "exception", at: null, message: null };
  }
  // The newest thing said about the parcel decides; Shopify's shipment_status is that newest
  // word unless a scan arrived later than the fulfillment update.
  const newest = newestFirst[0];
  const newestMeaning = meaningOf(newest?.status);
  const statusMeaning = meaningOf(shipment.shipmentStatus);
  const meaning = newestMeaning ?? statusMeaning;
  if (meaning && !isMilestone(meaning)) {
    const scan = newestMeaning === meaning ? newest : newestFirst.find((s) => meaningOf(s.status) === meaning);
    return { kind: meaning, at: scan?.happenedAt ?? null, message: scan?.message ?? null };
  }
  return null;
}

export function milestoneRank(m: Milestone): number {
  return RANK[m];
}
