/**
 * GET /apps/aftercare/tracking as one function of the request: Shopify's app-proxy signature is
 * checked (by the Shopify library, exactly as every proxy route does), then the lookup answers.
 * The Remix route (routes/proxy.tracking.tsx) and server.js's fast path both call it, so the two
 * ways in cannot answer differently (docs/decisions/0013-storefront-lookup-fast-path.md).
 */
import { db } from "../../db.server";
import { env } from "../../env.server";
import { adminClient } from "../../shopify/admin.server";
import { unauthenticated } from "../../shopify.server";
import { PROXY_JSON_HEADERS } from "../app-proxy.server";
import { verifyProxyRequest } from "../app-proxy-auth.server";
import { noteBlockSeen } from "../setup-guide/block-seen.server";

import { lookupTracking, type LookupAnswer } from "./lookup.server";

const deps = () => ({
  db: db(),
  secret: env().SHOPIFY_API_SECRET,
  admin: async (shop: string) => {
    try {
      const { admin } = await unauthenticated.admin(shop);
      return adminClient(admin.graphql);
    } catch {
      return null;
    }
  },
  log: (message: string, error?: unknown) => console.error(`[tracking] ${message}`, error ?? ""),
});

/**
 * The answer to one signed lookup. A bad signature or shop is thrown as a Response (400), as the
 * Shopify library and proxyContext throw it (a repeated query parameter is one).
 */
export async function trackingEndpoint(request: Request): Promise<LookupAnswer> {
  const ctx = await verifyProxyRequest(request);
  const d = deps();
  // The setup guide's "block at work" mark: a map lookup here, a write at most once an hour.
  await noteBlockSeen(d.db, ctx.shop, "tracking", new Date());
  return lookupTracking(ctx, d);
}

/** The answer as text, for server.js: whatever was thrown as a Response becomes the answer. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * server.js's fast path for GET /proxy/tracking: the path and query as received, and the one
 * header the lookup reads (the shopper's address, for the rate limit). Skips express, Remix's
 * router and the streamed Response, which cost more than the lookup itself.
 */
export async function answerTrackingLookup(input: { url: string; forwardedFor: string | null }): Promise<PlainAnswer> {
  const request = new Request(new URL(input.url, "http://app.internal"), {
    headers: input.forwardedFor ? { "x-forwarded-for": input.forwardedFor } : {},
  });
  try {
    const answer = await trackingEndpoint(request);
    return {
      status: answer.status,
      headers: { ...PROXY_JSON_HEADERS, ...(answer.headers ?? {}) },
      body: JSON.stringify(answer.body),
    };
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    const headers: Record<string, string> = {};
    thrown.headers.forEach((value, name) => (headers[name] = value));
    return { status: thrown.status, headers, body: await thrown.text() };
  }
}
