import type { AdminMessageKey, Translate } from "../locales/admin";

/** The admin's name for each event type (written out, so TypeScript checks every key). */
const EVENT_LABELS: Record<string, AdminMessageKey> = {
  "shipment.shipped": "klaviyo.event.shipmentShipped",
  "shipment.out_for_delivery": "klaviyo.event.shipmentOutForDelivery",
  "shipment.delivered": "klaviyo.event.shipmentDelivered",
  "shipment.delayed": "klaviyo.event.shipmentDelayed",
  "shipment.exception": "klaviyo.event.shipmentException",
  "return.requested": "klaviyo.event.returnRequested",
  "return.approved": "klaviyo.event.returnApproved",
  "return.declined": "klaviyo.event.returnDeclined",
  "return.received": "klaviyo.event.returnReceived",
  "return.resolved": "klaviyo.event.returnResolved",
  "loyalty.points_earned": "klaviyo.event.pointsEarned",
  "loyalty.points_expiring": "klaviyo.event.pointsExpiring",
  "loyalty.tier_changed": "klaviyo.event.tierChanged",
  "loyalty.reward_redeemed": "klaviyo.event.rewardRedeemed",
  "contact.request_created": "klaviyo.event.contactRequest",
  "survey.answered": "klaviyo.event.surveyAnswered",
};

/** An event type in the admin's words (its own name when the admin has none yet). */
export const eventLabel = (t: Translate, type: string) => (EVENT_LABELS[type] ? t(EVENT_LABELS[type]) : type);
