/**
 * The event stream's hooks into the shared machinery, attached when app/areas.server.ts is
 * imported: the periodic sender of the event outbox, and what compliance asks of its tables.
 */
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import {
  deleteShopEvents,
  exportCustomerEvents,
  pruneDeliveredEvents,
  redactCustomerEvents,
} from "../../models/events.server";
import { deleteShopMetafieldSyncs } from "../../models/metafield-sync.server";
import { deleteShopSms, exportSmsMessages, redactSmsMessages } from "../../models/sms.server";
import { adminClient } from "../../shopify/admin.server";
import { customerMetafieldsDestination, syncCustomerMetafields } from "../loyalty/metafields.server";
import { smsDestination } from "../sms/destination.server";
import { twilioSender } from "../sms/twilio.server";
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

/** Days a delivered event is kept (events with a parked or waiting delivery stay until done). */
export const EVENT_RETENTION_DAYS = 30;

async function offlineAdmin(shop: string) {
  const { unauthenticated } = await import("../../shopify.server");
  const { admin } = await unauthenticated.admin(shop);
  return adminClient(admin.graphql);
}

/** Twilio from configuration, or null (SMS deliveries are skipped with the reason) when unset. */
function configuredTwilio() {
  const { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_URL } = env();
  return TWILIO_ACCOUNT_SID && TWILIO_AUTH_TOKEN
    ? twilioSender({ apiUrl: TWILIO_API_URL, accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN })
    : null;
}

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
        destinations: [
          flowThroughOfflineSession,
          klaviyoDestination({ db, api: klaviyoApi(env().KLAVIYO_API_URL) }),
          customerMetafieldsDestination({ db }),
          smsDestination({ db, sender: configuredTwilio(), secret: env().SHOPIFY_API_SECRET }),
        ],
        now,
      }),
  });
  // Customer metafields of the members changed since the last run: a few seconds behind at most.
  registerPeriodicTask({
    name: "metafields.sync",
    everyMs: 2_000,
    leaseMs: 5 * 60_000,
    run: ({ db, now }) => syncCustomerMetafields({ db, adminFor: offlineAdmin, now }),
  });
  // Delivered events are kept 30 days for the Sync page and support, then pruned in batches.
  registerPeriodicTask({
    name: "events.prune",
    everyMs: 60 * 60_000,
    leaseMs: 10 * 60_000,
    run: ({ db, now }) => pruneDeliveredEvents(db, new Date(now.getTime() - EVENT_RETENTION_DAYS * 86_400_000)),
  });
  registerPersonalDataArea({
    name: "sms",
    exportCustomer: (db, shop, subject) => exportSmsMessages(db, shop, subject.orderShopifyIds),
    redactCustomer: (db, shop, subject) => redactSmsMessages(db, shop, subject.orderShopifyIds),
    deleteShop: (db, shop) => deleteShopSms(db, shop),
  });
  registerPersonalDataArea({
    name: "metafields",
    // Only member ids and figures Shopify holds anyway; the member's own area exports and redacts.
    exportCustomer: async () => undefined,
    redactCustomer: async () => {},
    deleteShop: (db, shop) => deleteShopMetafieldSyncs(db, shop),
  });
  registerPersonalDataArea({
    name: "events",
    exportCustomer: (db, shop, subject) => exportCustomerEvents(db, shop, subject),
    redactCustomer: (db, shop, subject) => redactCustomerEvents(db, shop, subject),
    deleteShop: (db, shop) => deleteShopEvents(db, shop),
  });
}
