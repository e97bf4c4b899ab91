import type { Db } from "../db.server";
import { applyCustomer } from "../models/customers.server";
import { applyFulfillment, applyFulfillmentEvent, applyOrder, applyRefund } from "../models/orders.server";
import type { MirrorChange } from "../models/mirror-batch.server";
import { applyReturnEvent } from "../models/shopify-returns.server";
import { recordShopScopes, recordShopUninstall } from "../models/shop.server";
import { deleteShopData, recordDataRequest, redactCustomer, type DataSubject } from "../services/compliance.server";
import { gid } from "../domain/shared/shopify-ids";

import {
  customerFromPayload,
  fulfillmentEventFromPayload,
  fulfillmentFromPayload,
  complianceSubjectFromPayload,
  type Json,
  orderFromPayload,
  PayloadError,
  refundFromPayload,
  returnFromPayload,
} from "./payloads";

export interface WebhookContext {
  db: Db;
  shop: string;
  topic: string;
  /** The webhook's parsed JSON, read field by field by the payloads module. */
  payload: Json;
  /** When Shopify says the event happened (X-Shopify-Triggered-At), else when it was received. */
  eventAt: Date;
  now: Date;
  /** Says what the handler could not do although it did the rest; stored as the event's outcome. */
  note?: (message: string) => void;
  /** The effects batch the event's listeners run in (runEffects), for reads made once per batch. */
  batch?: EffectsBatch;
}

export type WebhookHandler = (ctx: WebhookContext) => Promise<unknown>;

/**
 * A listener whose effect depends only on what its key names and on the mirror, not on the rest of
 * the event (a shipment's tracking, an order's points taken back): events of one effects batch
 * with the same key need it once. It runs at the batch's last event with that key, so whatever the
 * listeners of earlier events did (an order earning its points) is done by then; the mirror is
 * ahead of the effects, so the run sees every change of the batch's events. If that run fails, its
 * event is retried and parked as usual and runs it again. Docs/decisions/0030.
 */
export interface KeyedListener {
  /**
   * What the event's effect is about (the same key, the same effect), or null when it has nothing
   * to do. May read the mirror.
   */
  keyOf(ctx: WebhookContext): Promise<string | null> | string | null;
  run(ctx: WebhookContext, key: string): Promise<unknown>;
}

type Listener = WebhookHandler | KeyedListener;

/** What the events of one effects batch share: reads made once per batch (a shop's settings). */
export interface EffectsBatch {
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function effectsBatch(): EffectsBatch {
  const reads = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, load: () => Promise<T>) {
      let read = reads.get(key) as Promise<T> | undefined;
      if (!read) {
        read = load();
        reads.set(key, read);
        // A failed read is not kept: the next event reads again.
        read.catch(() => reads.delete(key));
      }
      return read;
    },
  };
}

/** `load()` once per effects batch and `key` (a shop's settings), or every time outside a batch. */
export function readOnce<T>(ctx: Pick<WebhookContext, "batch">, key: string, load: () => Promise<T>): Promise<T> {
  return ctx.batch ? ctx.batch.once(key, load) : load();
}

/**
 * Listeners other areas attach to a topic (points for paid orders, shipment notifications ...).
 * They run after the mirror is updated and must be idempotent like it.
 */
const listeners = new Map<string, Listener[]>();

export function onWebhook(topic: string, listener: Listener) {
  const list = listeners.get(topic) ?? [];
  if (!list.includes(listener)) list.push(listener);
  listeners.set(topic, list);
}

async function mirrorOrder({ db, shop, payload }: WebhookContext) {
  const order = orderFromPayload(payload);
  const result = await applyOrder(db, shop, order);
  // The order payload also carries its fulfillments and refunds: mirror them too, so a missed
  // fulfillments/* or refunds/create webhook is healed by the next order update.
  for (const f of Array.isArray(payload.fulfillments) ? payload.fulfillments : []) {
    await applyFulfillment(db, shop, fulfillmentFromPayload(f, order.shopifyId));
  }
  for (const r of Array.isArray(payload.refunds) ? payload.refunds : []) {
    await applyRefund(db, shop, refundFromPayload(r, order.shopifyId));
  }
  return result;
}

/**
 * Who a compliance request is about, as far as its payload can be read. What could not be read is
 * noted on the event; a request that names nobody at all is parked for a person to look at.
 */
function subjectOf({ payload, topic, note }: WebhookContext): DataSubject {
  const field = topic === "customers/redact" ? "orders_to_redact" : "orders_requested";
  const { problems, ...subject } = complianceSubjectFromPayload(payload, field);
  if (!subject.customerShopifyId && !subject.email && subject.orderShopifyIds.length === 0) {
    throw new PayloadError(`${topic} names no customer, email or order: ${problems.join(" ")}`);
  }
  if (problems.length) note?.(`Done for what could be read. Not done: ${problems.join(" ")}`);
  return subject;
}

async function mirrorReturn({ db, shop, topic, payload, eventAt }: WebhookContext) {
  const record = returnFromPayload(payload);
  // Shopify's documented returns/process example is an empty object: nothing to apply.
  if (!record) return "unchanged";
  return applyReturnEvent(db, shop, topic, record, eventAt);
}

export const handlers: Record<string, WebhookHandler> = {
  "orders/create": mirrorOrder,
  "orders/updated": mirrorOrder,
  "orders/paid": mirrorOrder,
  "orders/cancelled": mirrorOrder,
  "fulfillments/create": ({ db, shop, payload }) => applyFulfillment(db, shop, fulfillmentFromPayload(payload)),
  "fulfillments/update": ({ db, shop, payload }) => applyFulfillment(db, shop, fulfillmentFromPayload(payload)),
  "fulfillment_events/create": ({ db, shop, payload }) =>
    applyFulfillmentEvent(db, shop, fulfillmentEventFromPayload(payload)),
  "refunds/create": ({ db, shop, payload }) => applyRefund(db, shop, refundFromPayload(payload)),
  "returns/request": mirrorReturn,
  "returns/approve": mirrorReturn,
  "returns/decline": mirrorReturn,
  "returns/process": mirrorReturn,
  "returns/close": mirrorReturn,
  "returns/cancel": mirrorReturn,
  "customers/create": ({ db, shop, payload }) => applyCustomer(db, shop, customerFromPayload(payload)),
  "customers/update": ({ db, shop, payload }) => applyCustomer(db, shop, customerFromPayload(payload)),
  "app/uninstalled": ({ db, shop, now }) => recordShopUninstall(db, shop, now),
  "app/scopes_update": async ({ db, shop, payload }) => {
    const current = Array.isArray(payload.current) ? payload.current.join(",") : null;
    if (current === null) return;
    await recordShopScopes(db, shop, current);
  },
  "customers/data_request": (ctx) => recordDataRequest(ctx.db, ctx.shop, subjectOf(ctx)),
  "customers/redact": (ctx) => redactCustomer(ctx.db, ctx.shop, subjectOf(ctx), ctx.now),
  "shop/redact": ({ db, shop, now }) => deleteShopData(db, shop, now),
  // A bulk query ended: nothing to mirror; the history import's listener applies its file
  // (app/services/history-import/register.server.ts).
  "bulk_operations/finish": async () => "unchanged",
};

export const SUBSCRIBED_TOPICS = Object.keys(handlers);

export class UnknownTopicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownTopicError";
  }
}

export async function handleWebhook(ctx: WebhookContext) {
  const handler = handlers[ctx.topic];
  if (!handler) throw new UnknownTopicError(`No handler for topic ${ctx.topic}`);
  const result = await handler(ctx);
  await runListeners(ctx);
  return result;
}

/** Whether anything hangs off the topic's events besides the mirror. */
export function hasListeners(topic: string): boolean {
  return (listeners.get(topic)?.length ?? 0) > 0;
}

/** The effects of an event whose change the mirror already holds. */
export async function runListeners(ctx: WebhookContext) {
  const [runs] = await listenerRuns([ctx]);
  for (const run of runs) await run();
}

/**
 * The effects of a batch of events whose changes the mirror holds (the job runner's second stage):
 * per event, in order, the runs of its listeners; a keyed listener runs once per key, at the last
 * event with that key. Running each event's runs in order gives what running every listener of
 * every event would (docs/decisions/0030).
 */
export async function listenerRuns(ctxs: ReadonlyArray<WebhookContext>): Promise<(() => Promise<unknown>)[][]> {
  const keys = new Map<KeyedListener, Map<string, number>>();
  const plans = [] as { listener: Listener; key: string | null | Error }[][];
  for (const [index, ctx] of ctxs.entries()) {
    const plan: { listener: Listener; key: string | null | Error }[] = [];
    for (const listener of listeners.get(ctx.topic) ?? []) {
      if (typeof listener === "function") {
        plan.push({ listener, key: null });
        continue;
      }
      let key: string | null | Error;
      try {
        key = await listener.keyOf(ctx);
      } catch (error) {
        key = error instanceof Error ? error : new Error(String(error));
      }
      if (typeof key === "string") {
        const last = keys.get(listener) ?? new Map<string, number>();
        last.set(key, index);
        keys.set(listener, last);
      }
      plan.push({ listener, key });
    }
    plans.push(plan);
  }
  return plans.map((plan, index) => {
    const ctx = ctxs[index];
    return plan.flatMap(({ listener, key }) => {
      if (typeof listener === "function") return [() => listener(ctx)];
      // Its key could not be read (the database was busy): the event runs it on its own, as before
      // keys, and fails with its own retries if it fails again.
      if (key instanceof Error)
        return [
          async () => {
            const again = await listener.keyOf(ctx);
            if (again !== null) await listener.run(ctx, again);
          },
        ];
      if (key === null || keys.get(listener)?.get(key) !== index) return [];
      return [() => listener.run(ctx, key)];
    });
  });
}

/**
 * The change an event of a mirror topic makes, read as its one-row handler above reads it, for the
 * job runner's batches (models/mirror-batch.server.ts); null for every other topic, whose handler
 * runs on its own. Throws PayloadError as the handler would.
 */
export function mirrorChangeOf(topic: string, payload: Json): MirrorChange | null {
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled": {
      const order = orderFromPayload(payload);
      const list = (value: unknown): Json[] => (Array.isArray(value) ? value : []);
      return {
        kind: "order",
        order,
        fulfillments: list(payload.fulfillments).map((f) => fulfillmentFromPayload(f, order.shopifyId)),
        refunds: list(payload.refunds).map((r) => refundFromPayload(r, order.shopifyId)),
      };
    }
    case "fulfillments/create":
    case "fulfillments/update":
      return { kind: "fulfillment", fulfillment: fulfillmentFromPayload(payload) };
    case "fulfillment_events/create":
      return { kind: "scan", scan: fulfillmentEventFromPayload(payload) };
    case "refunds/create":
      return { kind: "refund", refund: refundFromPayload(payload) };
    case "customers/create":
    case "customers/update":
      return { kind: "customer", customer: customerFromPayload(payload) };
    default:
      return null;
  }
}
