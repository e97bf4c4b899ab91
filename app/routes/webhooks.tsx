import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "../db.server";
import { env } from "../env.server";
import { jobs } from "../jobs/index.server";
import { receiveWebhook } from "../webhooks/receive.server";

// Every subscription in shopify.app.toml delivers here; the topic is in X-Shopify-Topic.
export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, {
    db: db(),
    secret: env().SHOPIFY_API_SECRET,
    onRecorded: (id) => jobs().enqueue(id),
    log: (message, detail) => console.error(`[webhooks] ${message}`, detail),
  });

export const loader = () => new Response("Webhooks are delivered with POST.", { status: 405 });
