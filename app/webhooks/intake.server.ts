import { db } from "../db.server";
import { env } from "../env.server";
import { jobs } from "../jobs/index.server";

import {
  receiveDelivery,
  receiveWebhook,
  type Delivery,
  type DeliveryAnswer,
  type ReceiveDeps,
} from "./receive.server";

/** The app's intake: its database, its secret, and its job runner. */
function intakeDeps(): ReceiveDeps {
  return {
    db: db(),
    secret: env().SHOPIFY_API_SECRET,
    customShopDomain: env().SHOP_CUSTOM_DOMAIN ?? null,
    onRecorded: (id) => jobs().enqueue(id),
    log: (message, detail) => console.error(`[webhooks] ${message}`, detail),
  };
}

/** A delivery as a web Request (the webhooks route, under Remix). */
export const receiveWebhookRequest = (request: Request): Promise<Response> => receiveWebhook(request, intakeDeps());

/**
 * A delivery as raw bytes and Node's headers: server.js's fast path, which skips Remix and the web
 * Request and Response objects on the one path Shopify hammers (docs/decisions/0004).
 */
export const receiveWebhookDelivery = (delivery: Delivery): Promise<DeliveryAnswer> =>
  receiveDelivery(delivery, intakeDeps());
