/**
 * Helpers every app proxy route (proxy.*) shares. Shopify forwards /apps/aftercare/* to /proxy/*
 * with shop, logged_in_customer_id, path_prefix and timestamp signed into the query; the routes
 * verify that with authenticate.public.appProxy and then read the request through these.
 */
export interface ProxyContext {
  shop: string;
  /** Shopify's numeric customer id when a customer is logged in to the storefront, else null. */
  loggedInCustomerId: string | null;
  /** The shopper's address (first x-forwarded-for entry), for rate limits. */
  clientIp: string | null;
  params: URLSearchParams;
}

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Reads a request whose signature was already verified. Throws 400 for a request with no valid shop. */
export function proxyContext(request: Request): ProxyContext {
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  if (!SHOP.test(shop)) throw proxyJson({ error: "invalid_request", message: "Unknown shop." }, { status: 400 });
  const customer = url.searchParams.get("logged_in_customer_id") ?? "";
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
  return {
    shop,
    loggedInCustomerId: /^\d+$/.test(customer) ? customer : null,
    clientIp: forwarded && forwarded.length <= 64 ? forwarded : null,
    params: url.searchParams,
  };
}

/** Headers of every JSON answer to the storefront. Never cached by Shopify or the browser: answers depend on who asks. */
export const PROXY_JSON_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store, private",
  "X-Content-Type-Options": "nosniff",
} as const;

/** JSON for the storefront. Built by hand rather than with Response.json (remix-serve's polyfill lacks it). */
export function proxyJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers: { ...PROXY_JSON_HEADERS, ...(init.headers ?? {}) } });
}
