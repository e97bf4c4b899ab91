/**
 * Aftercare's events as Klaviyo sees them (docs/events.md, docs/decisions/0043): each type is a
 * metric ("Aftercare Shipment Delayed"), its figures are the event's properties (top-level and
 * plain, so segments and flow filters can use them), and the shopper is the profile, with the
 * properties segments need (points balance, tier, last return, last CSAT). Pure: the service
 * gathers the shopper's facts and sends what this builds through Klaviyo's client.
 */
import { minorDigits } from "../shared/money";

import type { EventEnvelope, EventType } from "./catalog";

export const KLAVIYO_METRICS: Record<EventType, string> = {
  "shipment.shipped": "Aftercare Shipment Shipped",
  "shipment.out_for_delivery": "Aftercare Shipment Out For Delivery",
  "shipment.delivered": "Aftercare Shipment Delivered",
  "shipment.delayed": "Aftercare Shipment Delayed",
  "shipment.exception": "Aftercare Shipment Exception",
  "return.requested": "Aftercare Return Requested",
  "return.approved": "Aftercare Return Approved",
  "return.declined": "Aftercare Return Declined",
  "return.received": "Aftercare Return Received",
  "return.resolved": "Aftercare Return Resolved",
  "loyalty.points_earned": "Aftercare Points Earned",
  "loyalty.tier_changed": "Aftercare Tier Changed",
  "loyalty.reward_redeemed": "Aftercare Reward Redeemed",
  "loyalty.points_expiring": "Aftercare Points Expiring Soon",
  "contact.request_created": "Aftercare Contact Request Created",
  "survey.answered": "Aftercare Survey Answered",
};

/**
 * The events Aftercare itself emails the shopper about (shipping updates, return steps). For
 * these the merchant picks one sender, Aftercare or Klaviyo, so a shopper never gets both.
 */
export const SHOPPER_MESSAGE_EVENTS = [
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
] as const satisfies ReadonlyArray<EventType>;

export type ShopperMessageEvent = (typeof SHOPPER_MESSAGE_EVENTS)[number];

export const hasShopperMessage = (type: string): type is ShopperMessageEvent =>
  (SHOPPER_MESSAGE_EVENTS as ReadonlyArray<string>).includes(type);

/** What Aftercare knows about the shopper an event is about, gathered when it is sent. */
export interface ShopperFacts {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  pointsBalance: number | null;
  tier: string | null;
  lastReturn: { number: string; status: string; requestedAt: string } | null;
  lastCsat: { score: number; answeredAt: string } | null;
}

/** Klaviyo takes phone numbers in E.164 only; anything else is left out rather than refused. */
export function e164(phone: string | null): string | null {
  if (!phone) return null;
  const compact = phone.replace(/[\s().-]/g, "");
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : null;
}

/** Minor units as the decimal amount Klaviyo's `value` takes (2 digits for USD, 0 for JPY). */
export function decimalAmount(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** minorDigits(currency);
}

type Plain = string | number | boolean | null;

/** The event's figures as flat, named properties. */
export function klaviyoEventProperties(event: EventEnvelope): Record<string, Plain> {
  const base: Record<string, Plain> = {
    "Aftercare Event": event.type,
    "Event Version": event.version,
    Order: event.order?.name ?? null,
  };
  const e = event as EventEnvelope<EventType>;
  switch (e.type) {
    case "shipment.shipped":
    case "shipment.out_for_delivery":
    case "shipment.delivered":
    case "shipment.delayed":
    case "shipment.exception": {
      const { shipment } = (e as EventEnvelope<"shipment.delayed">).data;
      return {
        ...base,
        Carrier: shipment.carrier,
        "Tracking Number": shipment.trackingNumber,
        "Tracking URL": shipment.trackingUrl,
        "Estimated Delivery From": shipment.estimate?.earliest ?? null,
        "Estimated Delivery To": shipment.estimate?.latest ?? null,
        "Carrier Message": shipment.message,
      };
    }
    case "return.requested":
    case "return.approved":
    case "return.declined":
    case "return.received":
    case "return.resolved": {
      const r = (e as EventEnvelope<"return.requested">).data.return;
      return {
        ...base,
        "Return Number": r.number,
        "Return Status": r.status,
        Resolution: r.resolution,
        Amount: decimalAmount(r.amountMinor, r.currency),
        Currency: r.currency,
        "Decline Reason": r.declineReason,
      };
    }
    case "loyalty.points_earned": {
      const d = (e as EventEnvelope<"loyalty.points_earned">).data;
      return { ...base, Points: d.points, "Points Balance": d.balance, Source: d.source, Reason: d.reason };
    }
    case "loyalty.tier_changed": {
      const d = (e as EventEnvelope<"loyalty.tier_changed">).data;
      return {
        ...base,
        "Previous Tier": d.from,
        "New Tier": d.to,
        "Spend Last 12 Months (minor units)": d.spend12mMinor,
      };
    }
    case "loyalty.reward_redeemed": {
      const d = (e as EventEnvelope<"loyalty.reward_redeemed">).data;
      return {
        ...base,
        Reward: d.reward,
        "Reward Kind": d.kind,
        "Points Spent": d.pointsSpent,
        "Points Balance": d.balance,
      };
    }
    case "loyalty.points_expiring": {
      const d = (e as EventEnvelope<"loyalty.points_expiring">).data;
      return { ...base, Points: d.points, "Points Balance": d.balance, "Expires On": d.expiresOn };
    }
    case "contact.request_created": {
      const { request } = (e as EventEnvelope<"contact.request_created">).data;
      return { ...base, Reference: request.reference, Topic: request.topic, Channel: request.channel };
    }
    case "survey.answered": {
      const { survey } = (e as EventEnvelope<"survey.answered">).data;
      return { ...base, Survey: survey.kind, Score: survey.score, Comment: survey.comment };
    }
  }
}

/** The profile properties segments use, only those Aftercare knows (Klaviyo keeps the others). */
export function klaviyoProfileProperties(facts: ShopperFacts): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  if (facts.pointsBalance !== null) out["Aftercare Points Balance"] = facts.pointsBalance;
  if (facts.pointsBalance !== null || facts.tier !== null) out["Aftercare Tier"] = facts.tier;
  if (facts.lastReturn) {
    out["Aftercare Last Return Number"] = facts.lastReturn.number;
    out["Aftercare Last Return Status"] = facts.lastReturn.status;
    out["Aftercare Last Return At"] = facts.lastReturn.requestedAt;
  }
  if (facts.lastCsat) {
    out["Aftercare Last CSAT"] = facts.lastCsat.score;
    out["Aftercare Last CSAT At"] = facts.lastCsat.answeredAt;
  }
  return out;
}

/**
 * The Create Event request's body, in the client's model (camelCase names it serializes to
 * Klaviyo's snake_case), or why there is nothing to send: a shopper with neither email nor phone
 * is not a profile Klaviyo can take.
 */
export function klaviyoCreateEvent(
  event: EventEnvelope,
  eventId: string,
  facts: ShopperFacts,
): { ok: true; body: KlaviyoCreateEventBody } | { ok: false; reason: string } {
  const phone = e164(facts.phone);
  if (!facts.email && !phone) return { ok: false, reason: "no email or phone number for this shopper" };
  const value =
    event.type.startsWith("return.") && "return" in (event.data as object)
      ? (event as EventEnvelope<"return.requested">).data.return
      : null;
  return {
    ok: true,
    body: {
      data: {
        type: "event",
        attributes: {
          properties: { ...klaviyoEventProperties(event), $extra: { aftercare: event } },
          time: new Date(event.occurredAt),
          ...(value ? { value: decimalAmount(value.amountMinor, value.currency), valueCurrency: value.currency } : {}),
          // Klaviyo records a unique id once per profile and metric: a send retried after a lost
          // answer is not a second event.
          uniqueId: eventId,
          metric: { data: { type: "metric", attributes: { name: KLAVIYO_METRICS[event.type] } } },
          profile: {
            data: {
              type: "profile",
              attributes: {
                ...(facts.email ? { email: facts.email } : {}),
                ...(phone ? { phoneNumber: phone } : {}),
                ...(facts.firstName ? { firstName: facts.firstName } : {}),
                ...(facts.lastName ? { lastName: facts.lastName } : {}),
                properties: klaviyoProfileProperties(facts),
              },
            },
          },
        },
      },
    },
  };
}

/** The shape of klaviyo-api's EventCreateQueryV2, spelled out so the domain imports no client. */
export interface KlaviyoCreateEventBody {
  data: {
    type: "event";
    attributes: {
      properties: Record<string, unknown>;
      time: Date;
      value?: number;
      valueCurrency?: string;
      uniqueId: string;
      metric: { data: { type: "metric"; attributes: { name: string } } };
      profile: {
        data: {
          type: "profile";
          attributes: {
            email?: string;
            phoneNumber?: string;
            firstName?: string;
            lastName?: string;
            properties: Record<string, unknown>;
          };
        };
      };
    };
  };
}
