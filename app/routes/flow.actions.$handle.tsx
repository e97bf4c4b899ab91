import type { ActionFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { adminClient } from "../shopify/admin.server";
import { runFlowAction } from "../services/events/flow-actions.server";
import { readTextLimited } from "../utils/body.server";

const FLOW_BODY_LIMIT = 1024 * 1024;

// Shopify Flow runs the app's flow_action extensions here (extensions/aftercare-*/, runtime_url).
export async function action({ request, params }: ActionFunctionArgs) {
  // Flow's action bodies are a few kilobytes; a bigger one is not Flow's.
  const rawBody = await readTextLimited(request, FLOW_BODY_LIMIT);
  if (rawBody === null)
    return new Response(JSON.stringify({ message: "The request body is too large for a Flow action." }), {
      status: 413,
      headers: { "Content-Type": "application/json" },
    });
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
