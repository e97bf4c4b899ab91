// A shop's webhooks as a busy shop sends them, built from Shopify's own example payloads: per order
// orders/create, orders/paid, fulfillments/create, fulfillment_events/create (in transit) and
// orders/updated (fulfilled, its shipment embedded), with a customers/update for one order in five
// and a refunds/create for one in ten: about 5.3 deliveries per order. Used by `npm run bench`'s
// stream and by the pipeline's batch tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ADMIN_API_VERSION } from "../app/shopify/api-version";

const examples = join(import.meta.dirname, "../tests/fixtures/webhooks", ADMIN_API_VERSION, "examples");
const example = (topic: string) =>
  JSON.parse(readFileSync(join(examples, `${topic.replace("/", "__")}.json`), "utf8")) as Record<string, unknown>;

export interface StreamEvent {
  topic: string;
  /** The delivery's raw JSON. */
  body: string;
  webhookId: string;
  /** X-Shopify-Triggered-At. */
  triggeredAt: string;
  /** The order the event is about (Shopify's numeric id). */
  orderId: number;
}

export interface StreamOptions {
  /** First order id; ids of orders, shipments, scans and refunds are derived from it. */
  base: number;
  /** When the first order was placed; each event of an order is a second after the previous. */
  start?: Date;
  /** Prefix of the webhook ids (distinct per run). */
  idPrefix?: string;
}

const templates = () => ({
  order: example("orders/create"),
  fulfillment: example("fulfillments/create"),
  scan: example("fulfillment_events/create"),
  refund: example("refunds/create"),
  customer: example("customers/update"),
});
let cached: ReturnType<typeof templates> | undefined;

const iso = (ms: number) => new Date(ms).toISOString();

/** The events of `count` orders, each order's in the order Shopify sends them. */
export function orderEvents(count: number, options: StreamOptions): StreamEvent[][] {
  cached ??= templates();
  const t = cached;
  const start = options.start?.getTime() ?? Date.UTC(2026, 10, 27, 9);
  const prefix = options.idPrefix ?? `stream-${options.base}`;
  const out: StreamEvent[][] = [];
  for (let i = 0; i < count; i++) {
    const orderId = options.base + i;
    const fulfillmentId = orderId * 10 + 1;
    const customerId = 700_000_000 + (orderId % 5_000);
    const at = (step: number) => iso(start + i * 10 + step * 1_000);
    const events: StreamEvent[] = [];
    const push = (topic: string, step: number, body: Record<string, unknown>) =>
      events.push({
        topic,
        body: JSON.stringify(body),
        webhookId: `${prefix}-${orderId}-${events.length}`,
        triggeredAt: at(step),
        orderId,
      });
    const order = (step: number, extra: Record<string, unknown>) => ({
      ...t.order,
      id: orderId,
      admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
      name: `#${orderId}`,
      order_number: orderId,
      email: `shopper${orderId % 5_000}@example.com`,
      created_at: at(0),
      processed_at: at(0),
      updated_at: at(step),
      customer: {
        ...(t.order.customer as object),
        id: customerId,
        admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
      },
      fulfillments: [],
      refunds: [],
      ...extra,
    });
    const fulfillment = (step: number) => ({
      ...t.fulfillment,
      id: fulfillmentId,
      order_id: orderId,
      admin_graphql_api_id: `gid://shopify/Fulfillment/${fulfillmentId}`,
      name: `#${orderId}.1`,
      status: "success",
      shipment_status: null,
      tracking_number: `1Z${orderId}`,
      tracking_numbers: [`1Z${orderId}`],
      created_at: at(2),
      updated_at: at(step),
    });
    push("orders/create", 0, order(0, { financial_status: "pending", fulfillment_status: null }));
    push("orders/paid", 1, order(1, { financial_status: "paid", fulfillment_status: null }));
    if (i % 5 === 0)
      push("customers/update", 1, {
        ...t.customer,
        id: customerId,
        admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
        updated_at: at(1),
      });
    push("fulfillments/create", 2, fulfillment(2));
    push("fulfillment_events/create", 3, {
      ...t.scan,
      id: fulfillmentId * 10 + 1,
      admin_graphql_api_id: `gid://shopify/FulfillmentEvent/${fulfillmentId * 10 + 1}`,
      fulfillment_id: fulfillmentId,
      order_id: orderId,
      status: "in_transit",
      happened_at: at(3),
      created_at: at(3),
      updated_at: at(3),
    });
    push(
      "orders/updated",
      4,
      order(4, { financial_status: "paid", fulfillment_status: "fulfilled", fulfillments: [fulfillment(2)] }),
    );
    if (i % 10 === 0) {
      push("refunds/create", 5, {
        ...t.refund,
        id: orderId * 10 + 7,
        order_id: orderId,
        admin_graphql_api_id: `gid://shopify/Refund/${orderId * 10 + 7}`,
        created_at: at(5),
        processed_at: at(5),
      });
    }
    out.push(events);
  }
  return out;
}

/**
 * Interleaves orders' events as a shop's traffic does: many orders at once, each order's events in
 * its own order, spread over the next `spread` slots.
 */
export function interleave(orders: StreamEvent[][], spread = 8): StreamEvent[] {
  const slots: StreamEvent[][] = [];
  orders.forEach((events, i) =>
    events.forEach((e, k) => {
      const slot = i + k * spread;
      (slots[slot] ??= []).push(e);
    }),
  );
  return slots.flat();
}
