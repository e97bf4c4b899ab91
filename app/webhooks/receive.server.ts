import type { Db } from "../db.server";
import { recordEvent } from "../models/webhook-inbox.server";
import { validateWebhook } from "./verify.server";

export interface ReceiveDeps {
  db: Db;
  /** The app's client secret: Shopify signs webhooks with it. */
  secret: string;
  /** Called after the event is safely recorded; hands it to the job runner. Never awaited by Shopify. */
  onRecorded?: (eventId: string) => void;
  log?: (message: string, detail?: unknown) => void;
}

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/**
 * Takes one webhook delivery. The HMAC over the raw body is checked before anything else; the
 * event is then recorded in the inbox under its webhook id before Shopify gets its 200, so a crash
 * afterwards loses nothing and a repeated delivery changes nothing. Handlers run later, from the
 * inbox (see jobs/).
 */
export async function receiveWebhook(request: Request, deps: ReceiveDeps): Promise<Response> {
  if (request.method !== "POST") return text(405, "Webhooks are delivered with POST.");
  const rawBody = await request.text();

  const check = validateWebhook(rawBody, request.headers, deps.secret);
  if (!check.valid) {
    if (check.reason === "missing_headers") {
      return text(400, `Missing Shopify webhook headers: ${(check.missingHeaders ?? []).join(", ")}.`);
    }
    return text(401, "The webhook's HMAC signature does not match this app's secret.");
  }

  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return text(400, "The webhook body is not valid JSON.");
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return text(400, "The webhook body must be a JSON object.");
  }

  const triggeredAtHeader = request.headers.get("x-shopify-triggered-at");
  const triggeredAt = triggeredAtHeader ? new Date(triggeredAtHeader) : null;

  let eventId: string | null;
  try {
    eventId = await recordEvent(deps.db, {
      shop: check.domain,
      topic: normaliseTopic(check.topic),
      webhookId: check.webhookId,
      eventId: request.headers.get("x-shopify-event-id"),
      apiVersion: check.apiVersion,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      payload: rawBody,
    });
  } catch (error) {
    // Not recorded: Shopify must deliver it again.
    deps.log?.("webhook could not be recorded", error);
    return text(503, "The event could not be recorded; please retry.");
  }

  if (eventId) {
    try {
      deps.onRecorded?.(eventId);
    } catch (error) {
      deps.log?.("job runner did not take the event; the inbox sweep will", error);
    }
  }
  return text(200, eventId ? "recorded" : "already recorded");
}

/** "ORDERS_CREATE" or "orders/create" -> "orders/create". */
export function normaliseTopic(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  const split = lower.indexOf("_");
  // Topics whose first word itself has an underscore (fulfillment_events/create).
  for (const prefix of ["fulfillment_events", "fulfillment_orders", "inventory_items", "app_subscriptions"]) {
    if (lower.startsWith(prefix + "_")) return `${prefix}/${lower.slice(prefix.length + 1)}`;
  }
  return split === -1 ? lower : `${lower.slice(0, split)}/${lower.slice(split + 1)}`;
}
