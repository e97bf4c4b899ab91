import type { ActionFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { adminClient } from "../shopify/admin.server";
import { runFlowAction } from "../services/events/flow-actions.server";

// Shopify Flow runs the app's flow_action extensions here (extensions/aftercare-*/, runtime_url).
export async function action({ request, params }: ActionFunctionArgs) {
  const rawBody = await request.text();
  const answer = await runFlowAction(
    {
      db: db(),
      secret: env().SHOPIFY_API_SECRET,
      now: new Date(),
      adminFor: async (shop) => {
        const { unauthenticated } = await import("../shopify.server");
        const { admin } = await unauthenticated.admin(shop);
        return adminClient(admin.graphql);
      },
    },
    params.handle ?? "",
    rawBody,
    request.headers.get("X-Shopify-Hmac-Sha256"),
  );
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { "Content-Type": "application/json", ...answer.headers },
  });
}

export const loader = () => new Response("Flow actions are sent with POST.", { status: 405 });
