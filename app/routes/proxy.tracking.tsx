import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../db.server";
import { env } from "../env.server";
import { adminClient } from "../shopify/admin.server";
import { authenticate, unauthenticated } from "../shopify.server";
import { proxyContext, proxyJson } from "../services/app-proxy.server";
import { lookupTracking } from "../services/tracking/lookup.server";

// GET /apps/aftercare/tracking (Shopify's app proxy forwards it here, signed).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  const ctx = proxyContext(request);
  const answer = await lookupTracking(ctx, {
    db: db(),
    secret: env().SHOPIFY_API_SECRET,
    admin: async (shop) => {
      try {
        const { admin } = await unauthenticated.admin(shop);
        return adminClient(admin.graphql);
      } catch {
        return null;
      }
    },
    log: (message, error) => console.error(`[tracking] ${message}`, error ?? ""),
  });
  return proxyJson(answer.body, { status: answer.status, headers: answer.headers });
};
