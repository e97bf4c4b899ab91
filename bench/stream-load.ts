// Open-loop load for `npm run bench`'s stream (bench/stream.ts), run as its own process: sends a
// shop's mixed webhooks (bench/stream-events.ts) at a fixed offered rate, whatever the app answers,
// on a keep-alive pool, and reports when each 200 arrived.
//
//   fork("bench/stream-load.ts", [JSON.stringify({ secret, apiVersion })], { execArgv: ["--import", "tsx"] })
//   child.send({ id, url, shop, rate, seconds, base, idPrefix }) -> child replies { id, result }
import { createHmac } from "node:crypto";

import { Pool } from "undici";

import { interleave, orderEvents } from "./stream-events";

interface Job {
  id: number;
  url: string;
  shop: string;
  rate: number;
  seconds: number;
  base: number;
  idPrefix: string;
}

export interface StreamLoadResult {
  offered: number;
  sent: number;
  /** [webhook id, epoch ms of its 200]. */
  acks: [string, number][];
  /** Topic of each acknowledged delivery, counted. */
  topics: Record<string, number>;
  non2xx: number;
  errors: number;
  /** How far behind its schedule the generator fell at worst (ms): above a few ms, the offered rate was not offered. */
  maxLagMs: number;
}

const { secret, apiVersion } = JSON.parse(process.argv[2]) as { secret: string; apiVersion: string };
const pools = new Map<string, Pool>();
const now = () => performance.timeOrigin + performance.now();

async function run(job: Job): Promise<StreamLoadResult> {
  const origin = new URL(job.url).origin;
  let pool = pools.get(origin);
  if (!pool)
    pools.set(origin, (pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 120_000 })));
  const total = Math.round(job.rate * job.seconds);
  // About 5.3 deliveries per order: enough orders for `total`, cut to it.
  const events = interleave(
    orderEvents(Math.ceil(total / 5) + 10, { base: job.base, idPrefix: job.idPrefix }),
    16,
  ).slice(0, total);
  const signed = events.map((e) => ({ ...e, hmac: createHmac("sha256", secret).update(e.body).digest("base64") }));
  const result: StreamLoadResult = {
    offered: job.rate,
    sent: 0,
    acks: [],
    topics: {},
    non2xx: 0,
    errors: 0,
    maxLagMs: 0,
  };
  const started = now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < signed.length; i++) {
    const due = started + (i * 1000) / job.rate;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    result.maxLagMs = Math.max(result.maxLagMs, now() - due);
    const e = signed[i];
    result.sent++;
    inFlight.push(
      pool
        .request({
          path: new URL(job.url).pathname,
          method: "POST",
          body: e.body,
          headers: {
            "content-type": "application/json",
            "x-shopify-topic": e.topic,
            "x-shopify-hmac-sha256": e.hmac,
            "x-shopify-shop-domain": job.shop,
            "x-shopify-webhook-id": e.webhookId,
            "x-shopify-triggered-at": e.triggeredAt,
            "x-shopify-api-version": apiVersion,
            "x-shopify-event-id": e.webhookId,
          },
        })
        .then(async (response) => {
          await response.body.dump();
          if (response.statusCode === 200) {
            result.acks.push([e.webhookId, now()]);
            result.topics[e.topic] = (result.topics[e.topic] ?? 0) + 1;
          } else result.non2xx++;
        })
        .catch(() => {
          result.errors++;
        }),
    );
  }
  await Promise.all(inFlight);
  return result;
}

process.on("message", (job: Job) => {
  run(job)
    .then((result) => process.send!({ id: job.id, result }))
    .catch((error: unknown) => process.send!({ id: job.id, error: String(error) }));
});
