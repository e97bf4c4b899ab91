/**
 * Shopify's app proxy: the storefront calls /apps/aftercare/<path> on the shop's domain and
 * Shopify forwards it to the app's proxy URL (/proxy/<path>) with shop, logged_in_customer_id,
 * path_prefix and timestamp added to the query and signed: hex HMAC-SHA256, with the app secret,
 * over the parameters sorted by name as `name=value` (several values joined with commas) and
 * concatenated with no separator, `signature` itself left out.
 */
import { createHmac } from "node:crypto";

export const PROXY_PREFIX = "/apps/aftercare";

export function signProxyQuery(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.keys()]
    .sort()
    .map((key) => `${key}=${grouped.get(key)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface ProxyForward {
  url: string;
  init: RequestInit;
}

/** The request Shopify would send the app for a storefront request to /apps/aftercare/... */
export function proxiedRequest(
  storefrontUrl: URL,
  method: string,
  headers: Headers,
  body: ArrayBuffer | undefined,
  options: {
    appUrl: string;
    shop: string;
    secret: string;
    loggedInCustomerId?: string | null;
    clientIp?: string;
    now?: Date;
  },
): ProxyForward {
  const subpath = storefrontUrl.pathname.slice(PROXY_PREFIX.length) || "/";
  const params = new URLSearchParams(storefrontUrl.search);
  for (const key of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) params.delete(key);
  params.set("shop", options.shop);
  params.set("logged_in_customer_id", options.loggedInCustomerId ?? "");
  params.set("path_prefix", PROXY_PREFIX);
  params.set("timestamp", String(Math.floor((options.now ?? new Date()).getTime() / 1000)));
  params.set("signature", signProxyQuery(params, options.secret));
  const forwarded = new Headers();
  for (const name of ["content-type", "accept", "accept-language", "user-agent"]) {
    const value = headers.get(name);
    if (value) forwarded.set(name, value);
  }
  // Shopify passes the shopper's address on, which the app uses to rate-limit lookups.
  if (options.clientIp) forwarded.set("x-forwarded-for", options.clientIp);
  return {
    url: `${options.appUrl.replace(/\/$/, "")}/proxy${subpath === "/" ? "" : subpath}?${params.toString()}`,
    init: { method, headers: forwarded, body: method === "GET" || method === "HEAD" ? undefined : body },
  };
}
