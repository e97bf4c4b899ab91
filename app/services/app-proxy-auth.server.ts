/**
 * The one way a proxy route (and server.js's fast path, through the tracking endpoint) accepts a
 * request: the query is read and checked first (a repeated parameter or a bad shop is a 400, see
 * proxyContext), then Shopify's signature is verified by the Shopify library. Kept apart from
 * app-proxy.server.ts so that services and their tests can use those helpers without loading the
 * Shopify app.
 */
import { authenticate } from "../shopify.server";

import { proxyContext, type ProxyContext } from "./app-proxy.server";

type AppProxyContext = Awaited<ReturnType<typeof authenticate.public.appProxy>>;

export interface VerifiedProxyRequest extends ProxyContext {
  /** Answers with Liquid rendered in the shop's theme (pages rather than JSON). */
  liquid: AppProxyContext["liquid"];
}

/** Throws a Response (400) for a request that is malformed or not signed by Shopify. */
export async function verifyProxyRequest(request: Request): Promise<VerifiedProxyRequest> {
  const context = proxyContext(request);
  const { liquid } = await authenticate.public.appProxy(request);
  return { ...context, liquid };
}
