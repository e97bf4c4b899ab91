/**
 * The events Aftercare announces, named once (docs/events.md). Each has a version: a payload's
 * shape changes only with a new version, so a destination that reads version 1 keeps working.
 * Areas write events through `recordEvent` (models/events.server.ts) in the transaction of the
 * change that caused them; destinations (Shopify Flow first) receive them from the outbox.
 */

export const EVENT_TYPES = [
  "shipment.shipped",
  "shipment.out_for_delivery",
  "shipment.delivered",
  "shipment.delayed",
  "shipment.exception",
  "return.requested",
  "return.approved",
  "return.declined",
  "return.received",
  "return.resolved",
  "loyalty.points_earned",
  "loyalty.tier_changed",
  "loyalty.reward_redeemed",
  "loyalty.points_expiring",
  "contact.request_created",
  "survey.answered",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType =>
  (EVENT_TYPES as ReadonlyArray<string>).includes(value);

/**
 * Where events go. Every event is offered to every destination (a destination may skip one),
 * except Klaviyo, which gets only the types a shop chose to send it (docs/decisions/0043), and SMS,
 * which gets the shipment and return events a shop chose to text (docs/decisions/0044). "metafields"
 * is kept for deliveries recorded before customer metafields followed the member's every change.
 */
export const EVENT_DESTINATIONS = ["flow", "klaviyo", "metafields", "sms"] as const;
export type EventDestination = (typeof EVENT_DESTINATIONS)[number];

export interface ShipmentData {
  shipment: {
    id: string;
    carrier: string | null;
    trackingNumber: string | null;
    trackingUrl: string | null;
    /** Dates in the shop's calendar (YYYY-MM-DD). */
    estimate: { earliest: string; latest: string } | null;
    /** What the carrier said about a delay or a problem. */
    message: string | null;
  };
}

export interface ReturnData {
  return: {
    id: string;
    /** The merchant's return number ("R1001"). */
    number: string;
    shopifyReturnId: string | null;
    status: "requested" | "approved" | "declined" | "received" | "resolved";
    resolution: string;
    /** What the shopper gets back (refund or credit) or the exchange's value, in minor units. */
    amountMinor: number;
    currency: string;
    declineReason: string | null;
  };
}

export interface PointsEarnedData {
  points: number;
  /** The member's balance (available and pending) after the entry. */
  balance: number;
  /** earn_order, signup, birthday, adjust … (the ledger's kind). */
  source: string;
  reason: string | null;
}

export interface TierChangedData {
  from: string | null;
  to: string | null;
  spend12mMinor: number;
}

export interface RewardRedeemedData {
  reward: string;
  kind: string;
  pointsSpent: number;
  balance: number;
}

export interface PointsExpiringData {
  /** The points that expire unless the member is active before then. */
  points: number;
  balance: number;
  /** The day they expire, in the shop's calendar (YYYY-MM-DD). */
  expiresOn: string;
}

export interface ContactRequestData {
  request: { id: string; reference: string; topic: string; channel: string; email: string | null };
}

export interface SurveyAnsweredData {
  survey: { id: string; kind: "csat" | "nps"; score: number; comment: string | null };
}

export interface EventDataOf {
  "shipment.shipped": ShipmentData;
  "shipment.out_for_delivery": ShipmentData;
  "shipment.delivered": ShipmentData;
  "shipment.delayed": ShipmentData;
  "shipment.exception": ShipmentData;
  "return.requested": ReturnData;
  "return.approved": ReturnData;
  "return.declined": ReturnData;
  "return.received": ReturnData;
  "return.resolved": ReturnData;
  "loyalty.points_earned": PointsEarnedData;
  "loyalty.tier_changed": TierChangedData;
  "loyalty.reward_redeemed": RewardRedeemedData;
  "loyalty.points_expiring": PointsExpiringData;
  "contact.request_created": ContactRequestData;
  "survey.answered": SurveyAnsweredData;
}

/** The stored payload: the same envelope for every type, `data` by type. */
export interface EventEnvelope<T extends EventType = EventType> {
  type: T;
  version: number;
  occurredAt: string;
  order: { id: string; name: string | null } | null;
  customer: { id: string | null } | null;
  data: EventDataOf[T];
}

export const EVENT_VERSION: Record<EventType, number> = Object.fromEntries(EVENT_TYPES.map((t) => [t, 1])) as Record<
  EventType,
  number
>;
