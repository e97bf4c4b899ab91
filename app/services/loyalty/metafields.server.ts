/**
 * Customer metafields as a destination of the event stream (docs/decisions/0044): after each
 * loyalty event of a Shopify customer, the customer's app-owned metafields (declared in
 * shopify.app.toml: $app.points_balance, $app.loyalty_tier, $app.lifetime_points) are set to the
 * member's figures as they are now, with one metafieldsSet. Reading the figures now, not the
 * event's, makes the writes coalesce: of a customer's deliveries in one run of the sender (which
 * claims what was committed before it began), the first writes and the rest have nothing to add.
 * The sender runs every 5 seconds, so the metafields are at most a few seconds behind.
 */
import type { Db } from "../../db.server";
import type { EventEnvelope } from "../../domain/events/catalog";
import type { AdminClient } from "../../shopify/admin.server";
import { ShopifyUserError } from "../../shopify/admin.server";
import { CustomerMetafieldsSet } from "../../shopify/operations/events";
import { PermanentDeliveryError, type EventDestinationAdapter } from "../events/deliver.server";

import { findMemberByCustomer } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

export const CUSTOMER_METAFIELDS = {
  pointsBalance: { namespace: "$app", key: "points_balance", type: "number_integer" },
  tier: { namespace: "$app", key: "loyalty_tier", type: "single_line_text_field" },
  lifetimePoints: { namespace: "$app", key: "lifetime_points", type: "number_integer" },
} as const;

/** The metafields' values for a member: the balance (pending included), the tier's name, lifetime points. */
export async function customerMetafieldValues(db: Db, shop: string, customerShopifyId: string) {
  const member = await findMemberByCustomer(db, shop, customerShopifyId);
  if (!member || member.redactedAt) return null;
  const settings = await loadLoyaltySettings(db, shop);
  const tier = settings.tiers.find((t) => t.key === member.tierKey);
  return { pointsBalance: member.points, tier: tier?.name ?? "", lifetimePoints: member.lifetimePoints };
}

export function customerMetafieldsDestination(deps: {
  db: Db;
  adminFor: (shop: string) => Promise<AdminClient>;
}): EventDestinationAdapter {
  // The last run of the sender that wrote each customer's metafields (bounded: old runs are dropped).
  const writtenIn = new Map<string, number>();
  return {
    name: "metafields",
    async deliver(shop: string, event: EventEnvelope, meta: { eventId: string; batch?: number }) {
      const customer = event.customer?.id;
      if (!customer) return { status: "skipped", reason: "no Shopify customer (a guest member)" };
      const key = `${shop} ${customer}`;
      if (meta.batch !== undefined && writtenIn.get(key) === meta.batch) return { status: "sent" };
      const values = await customerMetafieldValues(deps.db, shop, customer);
      if (!values) return { status: "skipped", reason: "no loyalty member for this customer" };
      const admin = await deps.adminFor(shop);
      const field = (f: (typeof CUSTOMER_METAFIELDS)[keyof typeof CUSTOMER_METAFIELDS], value: string) => ({
        ownerId: customer,
        namespace: f.namespace,
        key: f.key,
        type: f.type,
        value,
      });
      const metafields = [
        field(CUSTOMER_METAFIELDS.pointsBalance, String(values.pointsBalance)),
        field(CUSTOMER_METAFIELDS.lifetimePoints, String(values.lifetimePoints)),
      ];
      // Shopify refuses an empty text value: no tier is shown by deleting nothing and writing nothing.
      if (values.tier) metafields.push(field(CUSTOMER_METAFIELDS.tier, values.tier));
      try {
        await admin.mutate(CustomerMetafieldsSet, (d) => d.metafieldsSet, { metafields });
      } catch (error) {
        if (error instanceof ShopifyUserError)
          throw new PermanentDeliveryError(`Shopify refused the metafields: ${error.message}`);
        throw error;
      }
      if (meta.batch !== undefined) {
        if (writtenIn.size > 10_000) writtenIn.clear();
        writtenIn.set(key, meta.batch);
      }
      return { status: "sent" };
    },
  };
}
