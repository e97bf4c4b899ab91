import type { ActionFunctionArgs } from "@remix-run/node";

import { receiveWebhookRequest } from "../webhooks/intake.server";

// Every subscription in shopify.app.toml delivers here; the topic is in X-Shopify-Topic. In
// production server.js answers POST /webhooks itself with the same intake (entry.server's
// receiveWebhookDelivery); this route serves the dev server and anything else.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhookRequest(request);

export const loader = () => new Response("Webhooks are delivered with POST.", { status: 405 });
