/**
 * Webhook delivery as Shopify does it: POST of the JSON payload to the app, signed with the app
 * secret (base64 HMAC-SHA256 of the raw body), with the X-Shopify-* headers; a non-2xx answer, a
 * network error or a timeout is retried with backoff under the same webhook id. Deliveries leave in
 * the order they were emitted, one at a time; retries come back later, as with Shopify, so the app
 * must not rely on order. Tests can hold deliveries and release them in any order, replay one,
 * and flush() to wait until nothing is pending. They can also drop chosen webhooks for good (the
 * next N of a topic, or all of it until cleared), as a delivery Shopify gave up on or never made:
 * the app must then find what it missed by asking (reconciliation, docs/decisions/0023).
 */
import { createHmac, randomUUID } from "node:crypto";

import type { Clock } from "./state";

export type WebhookFetch = (request: Request) => Promise<Response>;

export interface WebhookRetryOptions {
  /** Wait before each retry; attempts = 1 + delaysMs.length. */
  delaysMs?: number[];
  /** How long the app has to answer (Shopify: 5 s). */
  timeoutMs?: number;
}

/** Shopify retries a failed delivery 8 times over about 4 hours, backing off exponentially. */
export const SHOPIFY_RETRY_DELAYS_MS = [60, 120, 240, 480, 960, 1920, 3840, 3840].map((s) => s * 1000);

export interface WebhookAttempt {
  at: string;
  responseCode: number | null;
  error: string | null;
  replay: boolean;
}

export type DeliveryStatus = "held" | "queued" | "sending" | "retrying" | "delivered" | "failed" | "dropped";

/** A topic whose webhooks are dropped: `remaining` more of them (null: all, until cleared). */
export interface DropRule {
  topic: string;
  remaining: number | null;
}

export interface WebhookDelivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  apiVersion: string;
  triggeredAt: string;
  body: string;
  status: DeliveryStatus;
  attempts: WebhookAttempt[];
  responseCode: number | null;
}

export interface WebhookDispatcherOptions {
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  clock: Clock;
  /** Where deliveries go; defaults to global fetch. Tests can hand the app's handler in directly. */
  fetch?: WebhookFetch;
  retry?: WebhookRetryOptions;
  /** Path on the app that receives webhooks (shopify.app.toml: uri = "/webhooks"). */
  path?: string;
  onDelivery?: (delivery: WebhookDelivery) => void;
}

export function signWebhook(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private readonly queue: { delivery: WebhookDelivery; replay: boolean }[] = [];
  private readonly held: WebhookDelivery[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly waiting = new Map<Promise<void>, () => void>();
  private pumping: Promise<void> | null = null;
  private holding = false;
  private readonly drops = new Map<string, number | null>();
  private delays: number[];
  private timeoutMs: number;
  private fetchFn: WebhookFetch;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.delays = options.retry?.delaysMs ?? SHOPIFY_RETRY_DELAYS_MS;
    this.timeoutMs = options.retry?.timeoutMs ?? 5000;
    this.fetchFn = options.fetch ?? ((request) => fetch(request));
  }

  /** Points deliveries somewhere else (the HTTP server does this once it knows its port). */
  setTarget(target: { appUrl?: string; fetch?: WebhookFetch; retry?: WebhookRetryOptions }) {
    if (target.appUrl) this.options.appUrl = target.appUrl;
    if (target.fetch) this.fetchFn = target.fetch;
    if (target.retry?.delaysMs) this.delays = target.retry.delaysMs;
    if (target.retry?.timeoutMs) this.timeoutMs = target.retry.timeoutMs;
  }

  /** Queues a webhook; returns its delivery record at once (the POST happens asynchronously). */
  emit(
    shop: string,
    topic: string,
    payload: unknown,
    triggeredAt = this.options.clock().toISOString(),
  ): WebhookDelivery {
    const delivery: WebhookDelivery = {
      webhookId: randomUUID(),
      eventId: randomUUID(),
      topic,
      shop,
      apiVersion: this.options.apiVersion,
      triggeredAt,
      body: JSON.stringify(payload),
      status: "queued",
      attempts: [],
      responseCode: null,
    };
    this.log.push(delivery);
    if (this.drops.has(topic)) {
      const remaining = this.drops.get(topic)!;
      if (remaining !== null && remaining <= 1) this.drops.delete(topic);
      else if (remaining !== null) this.drops.set(topic, remaining - 1);
      // Logged, never sent: the app learns of the change only by asking the Admin API.
      delivery.status = "dropped";
    } else if (this.holding) {
      delivery.status = "held";
      this.held.push(delivery);
    } else {
      this.enqueue(delivery, false);
    }
    return delivery;
  }

  /** Every delivery so far, oldest first (optionally one topic's). */
  deliveries(filter: { topic?: string; shop?: string } = {}): WebhookDelivery[] {
    return this.log.filter(
      (d) => (!filter.topic || d.topic === filter.topic) && (!filter.shop || d.shop === filter.shop),
    );
  }

  delivery(webhookId: string): WebhookDelivery | undefined {
    return this.log.find((d) => d.webhookId === webhookId);
  }

  /**
   * Drops webhooks of `topic` from now on: the next `count` of them, or every one until
   * clearDrops() when count is omitted. A second call for a topic replaces the first.
   */
  drop(topic: string, count?: number) {
    if (!topic) throw new Error("Name the topic whose webhooks to drop");
    if (count !== undefined && (!Number.isInteger(count) || count < 1))
      throw new Error(`Drop a whole number of webhooks (1 or more), not ${count}`);
    this.drops.set(topic, count ?? null);
  }

  /** Stops dropping one topic's webhooks, or every topic's. */
  clearDrops(topic?: string) {
    if (topic) this.drops.delete(topic);
    else this.drops.clear();
  }

  dropRules(): DropRule[] {
    return [...this.drops].map(([topic, remaining]) => ({ topic, remaining }));
  }

  /** From now on, emitted webhooks wait until release(). */
  hold() {
    this.holding = true;
  }

  /**
   * Sends held deliveries: all of them in emission order, "reverse", or the listed webhook ids in
   * that order (the others stay held, and holding goes on).
   */
  release(order: "emitted" | "reverse" | string[] = "emitted") {
    let picked: WebhookDelivery[];
    if (Array.isArray(order)) {
      picked = order.map((id) => {
        const found = this.held.find((d) => d.webhookId === id);
        if (!found) throw new Error(`No held webhook ${id}`);
        return found;
      });
    } else {
      picked = order === "reverse" ? [...this.held].reverse() : [...this.held];
      this.holding = false;
    }
    for (const d of picked) {
      this.held.splice(this.held.indexOf(d), 1);
      this.enqueue(d, false);
    }
  }

  /** Delivers a webhook again with the same webhook id and body, as Shopify's retries do. */
  replay(webhookId: string) {
    const delivery = this.delivery(webhookId);
    if (!delivery) throw new Error(`No webhook ${webhookId}`);
    this.enqueue(delivery, true);
  }

  /** Resolves when nothing is queued, sending or waiting for a retry. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.pumping) {
        await this.pumping;
        continue;
      }
      if (this.waiting.size > 0) {
        await Promise.all([...this.waiting.keys()]);
        continue;
      }
      if (this.queue.length > 0) {
        this.pump();
        continue;
      }
      return;
    }
  }

  /** Stops retry timers (for shutdown); queued deliveries stay in the log as they are. */
  close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
  }

  private enqueue(delivery: WebhookDelivery, replay: boolean) {
    delivery.status = "queued";
    this.queue.push({ delivery, replay });
    this.pump();
  }

  private pump() {
    if (this.pumping) return;
    this.pumping = (async () => {
      // Let the caller finish the change that emitted this before anything is sent.
      await Promise.resolve();
      while (this.queue.length > 0) {
        const next = this.queue.shift()!;
        await this.attempt(next.delivery, next.replay);
      }
    })().finally(() => {
      this.pumping = null;
    });
  }

  private async attempt(delivery: WebhookDelivery, replay: boolean) {
    delivery.status = "sending";
    const url = new URL(this.options.path ?? "/webhooks", this.options.appUrl).href;
    const headers = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": delivery.topic,
      "X-Shopify-Hmac-Sha256": signWebhook(delivery.body, this.options.apiSecret),
      "X-Shopify-Shop-Domain": delivery.shop,
      "X-Shopify-Webhook-Id": delivery.webhookId,
      "X-Shopify-Api-Version": delivery.apiVersion,
      "X-Shopify-Event-Id": delivery.eventId,
      "X-Shopify-Triggered-At": delivery.triggeredAt,
    };
    const attempt: WebhookAttempt = { at: this.options.clock().toISOString(), responseCode: null, error: null, replay };
    delivery.attempts.push(attempt);
    try {
      const request = new Request(url, {
        method: "POST",
        headers,
        body: delivery.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const response = await this.fetchFn(request);
      attempt.responseCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      attempt.error = (error as Error).message || String(error);
    }
    // Attempts run one at a time (the pump awaits each), so nothing changed the delivery meanwhile.
    // eslint-disable-next-line require-atomic-updates -- attempts run one at a time, as above
    delivery.responseCode = attempt.responseCode;
    const ok = attempt.responseCode !== null && attempt.responseCode >= 200 && attempt.responseCode < 300;
    if (ok) {
      // eslint-disable-next-line require-atomic-updates -- attempts run one at a time, as above
      delivery.status = "delivered";
    } else if (replay) {
      // A replay is one extra try; the original's retry schedule is not restarted.
      delivery.status = delivery.attempts.some((a) => a.responseCode && a.responseCode < 300) ? "delivered" : "failed";
    } else {
      const tries = delivery.attempts.filter((a) => !a.replay).length;
      if (tries > this.delays.length) delivery.status = "failed";
      else this.scheduleRetry(delivery, this.delays[tries - 1]);
    }
    this.options.onDelivery?.(delivery);
  }

  private scheduleRetry(delivery: WebhookDelivery, delayMs: number) {
    delivery.status = "retrying";
    let done!: () => void;
    const waiting = new Promise<void>((resolve) => (done = resolve));
    this.waiting.set(waiting, done);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(delivery, false);
      this.waiting.delete(waiting);
      done();
    }, delayMs);
    // A pending retry must not keep a test or CLI process alive.
    timer.unref?.();
    this.timers.add(timer);
  }
}
