import { createHmac } from "node:crypto";

/**
 * Signs a query the way Shopify's app proxy does: hex HMAC-SHA256 with the app secret over the
 * parameters sorted by name as `name=value` (repeated names joined with commas), concatenated
 * with no separator, `signature` itself left out.
 */
export function proxySignature(params: URLSearchParams, secret = process.env.SHOPIFY_API_SECRET!): string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of params) if (k !== "signature") grouped.set(k, [...(grouped.get(k) ?? []), v]);
  const message = [...grouped.keys()]
    .sort()
    .map((k) => `${k}=${grouped.get(k)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
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
