/**
 * The event stream's hooks into the shared machinery, attached when app/areas.server.ts is
 * imported: the periodic sender of the event outbox, and what compliance asks of its tables.
 */
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { deleteShopEvents, exportCustomerEvents, redactCustomerEvents } from "../../models/events.server";
import { registerPersonalDataArea } from "../compliance.server";
import { env } from "../../env.server";
import { klaviyoApi } from "../klaviyo/client.server";
import { klaviyoDestination } from "../klaviyo/destination.server";

import { flowDestination } from "./flow.server";
import { deliverDueEvents } from "./deliver.server";

/** Flow through the shop's offline session, as the other background work reaches Shopify. */
export const flowThroughOfflineSession = flowDestination(async (shop) => {
  // Imported when needed: shopify.server.ts opens the session storage on the database of that moment.
  const { unauthenticated } = await import("../../shopify.server");
  const { admin } = await unauthenticated.admin(shop);
  return admin.graphql;
});

let registered = false;

export function registerEvents() {
  if (registered) return;
  registered = true;
  registerPeriodicTask({
    name: "events.deliver",
    everyMs: 5_000,
    leaseMs: 5 * 60_000,
    run: ({ db, now }) =>
      deliverDueEvents({
        db,
        destinations: [flowThroughOfflineSession, klaviyoDestination({ db, api: klaviyoApi(env().KLAVIYO_API_URL) })],
        now,
      }),
  });
  registerPersonalDataArea({
    name: "events",
    exportCustomer: (db, shop, subject) => exportCustomerEvents(db, shop, subject),
    redactCustomer: (db, shop, subject) => redactCustomerEvents(db, shop, subject),
    deleteShop: (db, shop) => deleteShopEvents(db, shop),
  });
}
