/**
 * Helpers every app proxy route (proxy.*) shares. Shopify forwards /apps/aftercare/* to /proxy/*
 * with shop, logged_in_customer_id, path_prefix and timestamp signed into the query; the routes
 * verify that with verifyProxyRequest (app-proxy-auth.server.ts) and read the request through
 * proxyContext.
 */
import { isIP } from "node:net";

import { env } from "../env.server";

export interface ProxyContext {
  shop: string;
  /** Shopify's numeric customer id when a customer is logged in to the storefront, else null. */
  loggedInCustomerId: string | null;
  /** The shopper's address as the trusted proxies report it (shopperAddress), for rate limits. */
  clientIp: string | null;
  params: URLSearchParams;
}

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The first query parameter that appears more than once, or null. Shopify signs a repeated
 * parameter as its values joined with commas while the Shopify library verifies only the last
 * value and the app would read the first; a request that repeats one is refused, so what the app
 * reads is always exactly what was verified.
 */
export function repeatedParameter(params: URLSearchParams): string | null {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return null;
}

/**
 * Reads a proxy request. Throws a 400 for a query that repeats a parameter or names no valid
 * shop. The signature is verified apart (verifyProxyRequest does both).
 */
export function proxyContext(request: Request, trustedHops: number = env().TRUSTED_PROXY_HOPS): ProxyContext {
  const url = new URL(request.url);
  const repeated = repeatedParameter(url.searchParams);
  if (repeated !== null) {
    throw proxyJson(
      {
        error: "invalid_request",
        message: `The address repeats "${repeated.slice(0, 40)}". Open the page again from the shop.`,
      },
      { status: 400 },
    );
  }
  const shop = url.searchParams.get("shop") ?? "";
  if (!SHOP.test(shop)) throw proxyJson({ error: "invalid_request", message: "Unknown shop." }, { status: 400 });
  const customer = url.searchParams.get("logged_in_customer_id") ?? "";
  return {
    shop,
    loggedInCustomerId: /^\d+$/.test(customer) ? customer : null,
    clientIp: shopperAddress(request.headers.get("x-forwarded-for"), trustedHops),
    params: url.searchParams,
  };
}

/**
 * The shopper's address from X-Forwarded-For, given how many proxies in front of the app append
 * to it (TRUSTED_PROXY_HOPS). Each appends the address it was reached from, so the entry
 * `trustedHops` from the right is the one the outermost trusted proxy (Shopify) wrote; entries
 * left of it are whatever the client sent and are never used. An IPv6 address stands for its /64,
 * the block one subscriber is given, so rotating within it does not make a new client. Null when
 * there is no usable address.
 */
export function shopperAddress(forwardedFor: string | null, trustedHops: number): string | null {
  if (!forwardedFor) return null;
  const entries = forwardedFor.split(",").map((e) => e.trim());
  // A shorter chain than configured: every entry there was written by a trusted proxy.
  const entry = entries[Math.max(0, entries.length - trustedHops)] ?? "";
  return normalAddress(entry);
}

function normalAddress(entry: string): string | null {
  // Some proxies add a port: "203.0.113.7:51234", "[2001:db8::1]:443".
  const bare = entry.replace(/^\[([^\]]+)\](?::\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1");
  const kind = isIP(bare);
  if (kind === 4) return bare;
  if (kind !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1];
  return `${ipv6Groups(bare).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, "::" expanded, without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.toLowerCase().split("::");
  // A trailing dotted IPv4 ("64:ff9b::192.0.2.1") is two groups.
  const part = (s: string | undefined) =>
    (s ? s.split(":") : []).flatMap((g) => {
      if (!g.includes(".")) return [g];
      const [a, b, c, d] = g.split(".").map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  let groups = part(head);
  if (tail !== undefined) {
    const rest = part(tail);
    groups = [...groups, ...Array<string>(8 - groups.length - rest.length).fill("0"), ...rest];
  }
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/**
 * Headers of every JSON answer to the storefront. Never cached by Shopify or the browser: answers depend on who
 * asks.
 */
export const PROXY_JSON_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store, private",
  "X-Content-Type-Options": "nosniff",
} as const;

/** JSON for the storefront. Built by hand rather than with Response.json (remix-serve's polyfill lacks it). */
export function proxyJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { ...PROXY_JSON_HEADERS, ...(init.headers ?? {}) },
  });
}
