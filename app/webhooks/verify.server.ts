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

/** The signature first; only a signed request is told which headers it lacks. */
export function validateWebhook(rawBody: string, headers: Headers, secret: string): WebhookValidation {
  if (!verifyShopifyHmac(rawBody, headers.get("x-shopify-hmac-sha256"), secret)) {
    return { valid: false, reason: "invalid_hmac" };
  }
  const missing = REQUIRED_WEBHOOK_HEADERS.filter((h) => !headers.get(h));
  if (missing.length > 0) return { valid: false, reason: "missing_headers", missingHeaders: [...missing] };
  return {
    valid: true,
    topic: headers.get("x-shopify-topic")!,
    domain: headers.get("x-shopify-shop-domain")!,
    apiVersion: headers.get("x-shopify-api-version")!,
    webhookId: headers.get("x-shopify-webhook-id")!,
  };
}
