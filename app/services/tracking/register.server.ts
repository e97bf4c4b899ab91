/**
 * Tracking's hooks into the rest of the app, attached when app/areas.server.ts is imported:
 * webhook listeners (after the mirror is updated, same job), personal data for compliance
 * requests, and the periodic delay check.
 */
import { env } from "../../env.server";
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { onWebhook, type WebhookContext } from "../../webhooks/handlers.server";
import { gid, gidOf } from "../../domain/shared/shopify-ids";
import {
  deleteShopNotifications,
  exportCustomerNotifications,
  redactCustomerNotifications,
} from "../../models/outbox.server";
import { registerPersonalDataArea } from "../compliance.server";
import { forgetShopRateLimits } from "../rate-limit.server";

import { detectDelays, refreshOrderTracking, refreshShipmentTracking } from "./refresh.server";
import { NOTIFICATION_KIND } from "./notifications.server";

const secret = () => env().SHOPIFY_API_SECRET;

async function onFulfillment({ db, shop, payload, now }: WebhookContext) {
  const id = gidOf("Fulfillment", payload);
  if (id) await refreshShipmentTracking(db, shop, id, { secret: secret(), now });
}

async function onFulfillmentEvent({ db, shop, payload, now }: WebhookContext) {
  if (payload?.fulfillment_id)
    await refreshShipmentTracking(db, shop, gid("Fulfillment", payload.fulfillment_id), { secret: secret(), now });
}

async function onOrder({ db, shop, payload, now }: WebhookContext) {
  // Heals shipments whose webhooks arrived before their order did.
  const id = gidOf("Order", payload);
  if (id && Array.isArray(payload?.fulfillments) && payload.fulfillments.length > 0) {
    await refreshOrderTracking(db, shop, id, { secret: secret(), now });
  }
}

let registered = false;

export function registerTracking() {
  if (registered) return;
  registered = true;
  onWebhook("fulfillments/create", onFulfillment);
  onWebhook("fulfillments/update", onFulfillment);
  onWebhook("fulfillment_events/create", onFulfillmentEvent);
  onWebhook("orders/updated", onOrder);

  registerPeriodicTask({
    name: "tracking.detect-delays",
    everyMs: 15 * 60_000,
    leaseMs: 30 * 60_000,
    run: ({ db, now }) => detectDelays(db, { secret: secret(), now }),
  });

  registerPersonalDataArea({
    name: "tracking",
    exportCustomer: (db, shop, subject) => exportCustomerNotifications(db, shop, subject),
    redactCustomer: (db, shop, subject, now) => redactCustomerNotifications(db, shop, subject, now),
    async deleteShop(db, shop) {
      await deleteShopNotifications(db, shop);
      await db.shipmentTracking.deleteMany({ where: { shop } });
      await db.trackingRecommendationCache.deleteMany({ where: { shop } });
      await db.trackingSettings.deleteMany({ where: { shop } });
      await forgetShopRateLimits(db, shop);
    },
  });
}

export { NOTIFICATION_KIND };
