import type { Db } from "../db.server";
import { recordEvent } from "../models/webhook-inbox.server";
import { readTextLimited } from "../utils/body.server";

import { jsonBodyShape } from "./json-body.server";
import { acceptedShopDomain, headerReader, validateWebhook, type HeaderReader } from "./verify.server";

export interface ReceiveDeps {
  db: Db;
  /** The app's client secret: Shopify signs webhooks with it. */
  secret: string;
  /** The app's custom shop domain (SHOP_CUSTOM_DOMAIN), accepted beside `<name>.myshopify.com`. */
  customShopDomain?: string | null;
  /** Called after the event is safely recorded; hands it to the job runner. Never awaited by Shopify. */
  onRecorded?: (eventId: string) => void;
  log?: (message: string, detail?: unknown) => void;
}

/** What the intake answers: a status and a sentence for whoever reads Shopify's delivery log. */
export interface DeliveryAnswer {
  status: number;
  message: string;
}

const answer = (status: number, message: string): DeliveryAnswer => ({ status, message });

/** One delivery as it came over the wire: the raw body and a way to read its headers. */
export interface Delivery {
  method: string;
  rawBody: string | Buffer;
  header: HeaderReader;
}

/**
 * Takes one webhook delivery. The HMAC over the raw body is checked before anything else; the
 * event is then recorded in the inbox under its webhook id before Shopify gets its 200, so a crash
 * afterwards loses nothing and a repeated delivery changes nothing. Handlers run later, from the
 * inbox (see jobs/).
 */
export async function receiveDelivery(delivery: Delivery, deps: ReceiveDeps): Promise<DeliveryAnswer> {
  if (delivery.method !== "POST") return answer(405, "Webhooks are delivered with POST.");
  const { rawBody, header } = delivery;

  const check = validateWebhook(rawBody, header, deps.secret);
  if (!check.valid) {
    if (check.reason === "missing_headers") {
      return answer(400, `Missing Shopify webhook headers: ${(check.missingHeaders ?? []).join(", ")}.`);
    }
    return answer(401, "The webhook's HMAC signature does not match this app's secret.");
  }

  // Only after the signature: an unsigned request learns nothing about what else is wrong.
  const shop = acceptedShopDomain(check.domain, deps.customShopDomain);
  if (!shop) {
    return answer(
      400,
      `X-Shopify-Shop-Domain ${JSON.stringify(check.domain.slice(0, 100))} is not a shop domain: ` +
        "expected <shop>.myshopify.com.",
    );
  }

  // The raw bytes go on as they are: checked, then stored as UTF-8 text, never decoded here.
  const shape = jsonBodyShape(rawBody);
  if (shape === "not_json") return answer(400, "The webhook body is not valid JSON.");
  if (shape === "not_object") return answer(400, "The webhook body must be a JSON object.");

  const triggeredAtHeader = header("x-shopify-triggered-at");
  const triggeredAt = triggeredAtHeader ? new Date(triggeredAtHeader) : null;

  let eventId: string | null;
  try {
    eventId = await recordEvent(deps.db, {
      shop,
      topic: normaliseTopic(check.topic),
      webhookId: check.webhookId,
      eventId: header("x-shopify-event-id"),
      apiVersion: check.apiVersion,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      payload: rawBody,
    });
  } catch (error) {
    // Not recorded: Shopify must deliver it again.
    deps.log?.("webhook could not be recorded", error);
    return answer(503, "The event could not be recorded; please retry.");
  }

  if (eventId) {
    try {
      deps.onRecorded?.(eventId);
    } catch (error) {
      deps.log?.("job runner did not take the event; the inbox sweep will", error);
    }
  }
  return answer(200, eventId ? "recorded" : "already recorded");
}

/** Shopify does not send bigger webhooks than this (server.js's fast path has the same limit). */
const WEBHOOK_BODY_LIMIT = 20 * 1024 * 1024;

/** The same, for a web Request (the Remix route). */
export async function receiveWebhook(request: Request, deps: ReceiveDeps): Promise<Response> {
  const rawBody = request.method === "POST" ? await readTextLimited(request, WEBHOOK_BODY_LIMIT) : "";
  if (rawBody === null)
    return new Response("The webhook body is too large.", {
      status: 413,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  const delivery: Delivery = {
    method: request.method,
    rawBody,
    header: headerReader(request.headers),
  };
  const { status, message } = await receiveDelivery(delivery, deps);
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** "ORDERS_CREATE" or "orders/create" -> "orders/create". */
export function normaliseTopic(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  const split = lower.indexOf("_");
  // Topics whose first word itself has an underscore (fulfillment_events/create).
  for (const prefix of ["fulfillment_events", "fulfillment_orders", "inventory_items", "app_subscriptions"]) {
    if (lower.startsWith(`${prefix}_`)) return `${prefix}/${lower.slice(prefix.length + 1)}`;
  }
  return split === -1 ? lower : `${lower.slice(0, split)}/${lower.slice(split + 1)}`;
}
