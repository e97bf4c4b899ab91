import { createHmac, randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { ADMIN_API_VERSION } from "../../app/shopify/api-version";

const fixtures = join(import.meta.dirname, "../fixtures/webhooks", ADMIN_API_VERSION);

/** Shopify's own documented example payload for a topic, as raw JSON text. */
export function examplePayload(topic: string): string {
  return readFileSync(join(fixtures, "examples", `${topic.replace("/", "__")}.json`), "utf8");
}

export function webhookSchema(topic: string): object {
  return JSON.parse(readFileSync(join(fixtures, "schemas", `${topic.replace("/", "__")}.json`), "utf8"));
}

export function fixtureTopics(): string[] {
  return readdirSync(join(fixtures, "examples")).map((f) => f.replace(".json", "").replace("__", "/"));
}

export function sign(body: string, secret = process.env.SHOPIFY_API_SECRET!): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

export interface DeliveryOptions {
  shop?: string;
  webhookId?: string;
  secret?: string;
  triggeredAt?: string;
  headers?: Record<string, string | null>;
  url?: string;
}

/** A webhook request exactly as Shopify sends it: raw body, base64 HMAC and the X-Shopify-* headers. */
export function webhookRequest(topic: string, body: string | object, options: DeliveryOptions = {}): Request {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": options.shop ?? "aftercare-test.myshopify.com",
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-api-version": ADMIN_API_VERSION,
    "x-shopify-event-id": randomUUID(),
    "x-shopify-triggered-at": options.triggeredAt ?? new Date().toISOString(),
    "x-shopify-hmac-sha256": sign(raw, options.secret),
  };
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (v === null) delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  return new Request(options.url ?? "http://127.0.0.1/webhooks", { method: "POST", headers, body: raw });
}

/**
 * A webhook endpoint for the sandbox that records each delivery through the real intake and runs
 * its handlers at once, so a test sees Shopify's change in the mirror as soon as the call returns.
 * The app's modules are imported on first use: route tests set DATABASE_URL before that.
 */
export function processingWebhookFetch(db: import("../../app/db.server").Db, secret: string) {
  return async (request: Request): Promise<Response> => {
    const { receiveWebhook } = await import("../../app/webhooks/receive.server");
    const { processEvent } = await import("../../app/jobs/process-event.server");
    const recorded: string[] = [];
    const response = await receiveWebhook(request, { db, secret, onRecorded: (id) => recorded.push(id) });
    for (const id of recorded) await processEvent(db, id);
    return response;
  };
}
