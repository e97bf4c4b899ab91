import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopify signs each webhook with base64(HMAC-SHA256(raw body, app secret)) in
 * X-Shopify-Hmac-Sha256. Checked here rather than through authenticate.webhook, which parses the
 * body before we can answer 400 for non-JSON (it would be a 500) and loads the shop's session on
 * every delivery (docs/decisions/0003-webhook-intake.md).
 */
export function verifyShopifyHmac(rawBody: string | Buffer, hmacHeader: string | null, secret: string): boolean {
  if (!hmacHeader) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  let given: Buffer;
  try {
    given = Buffer.from(hmacHeader, "base64");
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const REQUIRED_WEBHOOK_HEADERS = [
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "x-shopify-webhook-id",
  "x-shopify-api-version",
] as const;

export type WebhookValidation =
  | { valid: true; topic: string; domain: string; apiVersion: string; webhookId: string }
  | { valid: false; reason: "invalid_hmac" | "missing_headers"; missingHeaders?: string[] };

/** A request's headers, read by lower-case name: a web Headers or Node's incoming headers. */
export type HeaderReader = (name: string) => string | null;

export function headerReader(headers: Headers | Record<string, string | string[] | undefined>): HeaderReader {
  if (headers instanceof Headers) return (name) => headers.get(name);
  return (name) => {
    const value = headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  };
}

/** The signature first; only a signed request is told which headers it lacks. */
export function validateWebhook(
  rawBody: string | Buffer,
  headers: Headers | HeaderReader,
  secret: string,
): WebhookValidation {
  const header = typeof headers === "function" ? headers : headerReader(headers);
  if (!verifyShopifyHmac(rawBody, header("x-shopify-hmac-sha256"), secret)) {
    return { valid: false, reason: "invalid_hmac" };
  }
  const missing = REQUIRED_WEBHOOK_HEADERS.filter((h) => !header(h));
  if (missing.length > 0) return { valid: false, reason: "missing_headers", missingHeaders: [...missing] };
  return {
    valid: true,
    topic: header("x-shopify-topic")!,
    domain: header("x-shopify-shop-domain")!,
    apiVersion: header("x-shopify-api-version")!,
    webhookId: header("x-shopify-webhook-id")!,
  };
}

/** A shop's own name on Shopify: letters, digits and hyphens, then .myshopify.com. */
const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The shop a delivery names, lower-cased, if it is one a shop can have: `<name>.myshopify.com`, or
 * the app's configured custom shop domain. Anything else would become a tenant of its own.
 */
export function acceptedShopDomain(value: string, customDomain?: string | null): string | null {
  const domain = value.trim().toLowerCase();
  if (domain.length <= 255 && MYSHOPIFY_DOMAIN.test(domain)) return domain;
  if (customDomain && domain === customDomain.trim().toLowerCase()) return domain;
  return null;
}
