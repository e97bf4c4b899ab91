import type { LoaderFunctionArgs } from "@remix-run/node";

import { env } from "../env.server";
import { proxyJson } from "../services/app-proxy.server";
import { verifyProxyRequest } from "../services/app-proxy-auth.server";
import { issueChatToken } from "../services/contact/chat.server";

// GET /apps/aftercare/chat?visitor=…: a short-lived chat token naming the shop, this browser and
// the signed-in customer, and where the chat lives (the app itself: docs/decisions/0034).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await verifyProxyRequest(request);
  const config = env();
  const issued = issueChatToken(
    { shop: ctx.shop, visitor: ctx.params.get("visitor"), customerId: ctx.loggedInCustomerId },
    config.SHOPIFY_API_SECRET,
    new Date(),
  );
  return proxyJson({
    token: issued.token,
    // The chat endpoints take the shop beside the token (its signature names the same shop).
    shop: ctx.shop,
    visitor: issued.visitor,
    expiresAt: issued.expiresAt.toISOString(),
    endpoint: new URL("/chat", config.SHOPIFY_APP_URL).href,
  });
};
