import { signProxyQuery } from "../../sandbox/app-proxy";

/** Signs a query the way Shopify's app proxy does (the sandbox's signer, shared with the demo). */
export function proxySignature(params: URLSearchParams, secret = process.env.SHOPIFY_API_SECRET!): string {
  return signProxyQuery(params, secret);
}

export interface ProxyRequestOptions {
  shop?: string;
  loggedInCustomerId?: string;
  ip?: string;
  secret?: string;
  timestamp?: number;
  method?: string;
  /** Leave the signature off entirely. */
  unsigned?: boolean;
}

/** A request as Shopify forwards /apps/aftercare/<path> to the app's /proxy/<path>. */
export function proxyRequest(path: string, query: Record<string, string>, options: ProxyRequestOptions = {}): Request {
  const params = new URLSearchParams(query);
  params.set("shop", options.shop ?? "aftercare-test.myshopify.com");
  params.set("logged_in_customer_id", options.loggedInCustomerId ?? "");
  params.set("path_prefix", "/apps/aftercare");
  params.set("timestamp", String(options.timestamp ?? Math.floor(Date.now() / 1000)));
  if (!options.unsigned) params.set("signature", proxySignature(params, options.secret));
  return new Request(`http://127.0.0.1:3999/proxy/${path}?${params}`, {
    method: options.method ?? "GET",
    headers: { "x-forwarded-for": options.ip ?? "203.0.113.7", accept: "application/json" },
  });
}
