/**
 * Tracking's hooks into the rest of the app, attached when app/areas.server.ts is imported:
 * webhook listeners (after the mirror is updated, same job), personal data for compliance
 * requests, and the periodic delay check.
 */
import { env } from "../../env.server";
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { onWebhook, readOnce, type KeyedListener } from "../../webhooks/handlers.server";
import { gid, gidOf } from "../../domain/shared/shopify-ids";
import { findFulfillmentOrder } from "../../models/orders.server";
import { shopProfile } from "../../models/shop.server";
import { getTrackingSettings } from "../../models/tracking.server";
import {
  deleteShopNotifications,
  exportCustomerNotifications,
  redactCustomerNotifications,
} from "../../models/outbox.server";
import { registerPersonalDataArea } from "../compliance.server";
import { forgetShopRateLimits } from "../rate-limit.server";

import { detectDelays, refreshOrderTracking } from "./refresh.server";
import { NOTIFICATION_KIND } from "./notifications.server";

const secret = () => env().SHOPIFY_API_SECRET;

/**
 * One refresh of an order's tracking (its shipments' states and the emails they have earned) per
 * effects batch, whichever of its events asked for it: a shipment's create, its carrier scans and
 * the order's update (docs/decisions/0030). Keyed by the order, found through the mirror for a
 * shipment's events as before; a shipment not mirrored yet has nothing to refresh.
 */
const refreshTracking: KeyedListener = {
  async keyOf(ctx) {
    const { db, shop, topic, payload } = ctx;
    if (topic === "orders/updated") {
      // Heals shipments whose webhooks arrived before their order did.
      return Array.isArray(payload?.fulfillments) && payload.fulfillments.length > 0 ? gidOf("Order", payload) : null;
    }
    const shipment =
      topic === "fulfillment_events/create"
        ? payload?.fulfillment_id
          ? gid("Fulfillment", payload.fulfillment_id)
          : null
        : gidOf("Fulfillment", payload);
    if (!shipment) return null;
    const found = await readOnce(ctx, `tracking.shipment-order:${shop}:${shipment}`, () =>
      findFulfillmentOrder(db, shop, shipment),
    );
    return found?.orderShopifyId ?? null;
  },
  async run(ctx, orderShopifyId) {
    const { db, shop, now } = ctx;
    await refreshOrderTracking(db, shop, orderShopifyId, {
      secret: secret(),
      now,
      settings: await readOnce(ctx, `tracking.settings:${shop}`, () => getTrackingSettings(db, shop)),
      profile: await readOnce(ctx, `shop.profile:${shop}`, () => shopProfile(db, shop)),
    });
  },
};

let registered = false;

export function registerTracking() {
  if (registered) return;
  registered = true;
  onWebhook("fulfillments/create", refreshTracking);
  onWebhook("fulfillments/update", refreshTracking);
  onWebhook("fulfillment_events/create", refreshTracking);
  onWebhook("orders/updated", refreshTracking);

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
