import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Where shops' Admin API lives. In production that is the shop itself (https://<shop>/admin/...)
 * and this module is never called. In development and tests SHOPIFY_ADMIN_API_ORIGIN points the
 * library's HTTP calls (Admin GraphQL, token exchange) at the local sandbox instead; the shop
 * travels in a header so one sandbox can host several shops. Configuration, not a code path:
 * every feature still calls Shopify through the same library client.
 */
export const SANDBOX_SHOP_HEADER = "x-sandbox-shop-domain";

const shopifyFetch = abstractFetch;

export function routeAdminApiTo(origin: string) {
  if (process.env.NODE_ENV === "production") {
    throw new Error("SHOPIFY_ADMIN_API_ORIGIN is refused when NODE_ENV=production.");
  }
  const target = new URL(origin);
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (!url.hostname.endsWith(".myshopify.com")) return shopifyFetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set(SANDBOX_SHOP_HEADER, url.hostname);
    return shopifyFetch(new URL(url.pathname + url.search, target).href, { ...init, headers });
  });
}

/**
 * The sandbox's admin frame embeds the app from its own origin, where Shopify's admin would be:
 * allow that origin as a frame ancestor too (only ever called when SHOPIFY_ADMIN_API_ORIGIN is set).
 */
export function allowAdminFrameFrom(origin: string, headers: Headers) {
  const csp = headers.get("Content-Security-Policy");
  if (!csp) return;
  const allowed = new URL(origin).origin;
  headers.set(
    "Content-Security-Policy",
    csp.replace(/frame-ancestors ([^;]*)/, (_m, list: string) => `frame-ancestors ${list} ${allowed}`),
  );
}

/** The document's preload hint names Shopify's App Bridge; point it at the one actually loaded. */
export function preloadAppBridgeFrom(url: string, headers: Headers) {
  if (headers.has("Link")) headers.set("Link", `<${url}>; rel="preload"; as="script";`);
}
