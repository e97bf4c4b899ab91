// Load generator, run as its own process by bench/run.ts (so its CPU use and garbage never mix with
// the servers'), and kept for a whole database's run so that its JIT is equally warm for every
// window it drives, the ceiling's and the app's alike. Closed loop: `connections` clients each send
// one signed orders/create delivery, wait for the answer, send the next, for `seconds`.
//
//   fork("bench/load.mjs", [JSON.stringify({ secret, payloadFile, apiVersion })])
//   child.send({ id, url, connections, seconds, shop, idPrefix, orderBase, recordAcks })
//     -> child replies { id, result } (or { id, error })
//
// Connections are kept open from one window to the next (undici's keep-alive pool, one per server
// and concurrency), as a proxy in front of the app keeps them to it, so a window measures deliveries
// on open connections. Opening them is measured apart, once per server and step: the first
// request on each new connection (`opening` in the result). Node accepts one connection per turn
// of its event loop, so a server that is busy when many connections open at once makes the last of
// them wait for as many turns (decision 0015); mixed into a one-second window, those few requests
// are more than 1% of it and would make its p99 a measure of connection opening alone.
//
// Every request carries a new X-Shopify-Webhook-Id (`${idPrefix}-${n}`, n counting on across the
// windows of one idPrefix) and a new order id (orderBase + n) in Shopify's example payload, signed
// like Shopify signs it. For each 200 the time it arrived is kept (epoch ms, sub-ms precision) so
// the runner can measure how long after the 200 the order showed up in the mirror.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import { Pool } from "undici";

/**
 * @typedef {{ id: number; url: string; connections: number; seconds: number; shop: string; idPrefix: string;
 *   orderBase: number; recordAcks?: boolean }} LoadWindow
 * @typedef {{ connections: number; connects: number; pool: Pool }} PoolEntry
 */

const { secret, payloadFile, apiVersion } = JSON.parse(process.argv[2]);

// The example payload with its order id and order number swapped for markers, so that each
// request's body is two string joins rather than a JSON.stringify of 13 kB. The order number must
// fit a 32-bit integer (PostgreSQL's column); the id is Shopify's 64-bit-safe order id.
const ID_MARKER = "987654321012345";
const NUMBER_MARKER = "1987654321";
const example = JSON.parse(readFileSync(payloadFile, "utf8"));
example.id = Number(ID_MARKER);
example.admin_graphql_api_id = `gid://shopify/Order/${ID_MARKER}`;
example.order_number = Number(NUMBER_MARKER);
example.name = `#${NUMBER_MARKER}`;
const template = JSON.stringify(example);
const idParts = template.split(ID_MARKER);
if (idParts.length !== 3 || template.split(NUMBER_MARKER).length !== 3)
  throw new Error("order markers not found where expected");
const bodyFor = (/** @type {number} */ orderId, /** @type {number} */ orderNumber) =>
  idParts.join(String(orderId)).split(NUMBER_MARKER).join(String(orderNumber));

/** The next sequence number per idPrefix, so ids stay unique across one step's windows. */
/** @type {Map<string, number>} */
const sequences = new Map();
const timeNow = () => performance.timeOrigin + performance.now();
/** A request that has no answer after this long counts as a timeout. */
const TIMEOUT_MS = 30_000;

/** One keep-alive pool per server, remade when the concurrency changes (a new step). */
/** @type {Map<string, PoolEntry>} */
const pools = new Map();

/** @param {string} url @param {number} connections @returns {{ entry: PoolEntry; fresh: boolean }} */
function poolFor(url, connections) {
  const current = pools.get(url);
  if (current?.connections === connections) return { entry: current, fresh: false };
  // The old pool closes in the background; the new step does not wait for it, nor care if it fails.
  if (current) current.pool.close().catch(() => undefined);
  const entry = {
    connections,
    connects: 0,
    pool: new Pool(url, { connections, pipelining: 1, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS }),
  };
  entry.pool.on("connect", () => entry.connects++);
  pools.set(url, entry);
  return { entry, fresh: true };
}

/** @param {LoadWindow} window */
function delivery({ shop, idPrefix, orderBase }) {
  const seq = sequences.get(idPrefix) ?? 0;
  sequences.set(idPrefix, seq + 1);
  const orderId = orderBase + seq;
  const body = bodyFor(orderId, (orderId % 1_000_000_000) + 1);
  return {
    seq,
    /** @type {import("undici").Dispatcher.RequestOptions} */
    request: {
      path: "/webhooks",
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": shop,
        "x-shopify-webhook-id": `${idPrefix}-${seq}`,
        "x-shopify-event-id": randomUUID(),
        "x-shopify-api-version": apiVersion,
        "x-shopify-triggered-at": new Date().toISOString(),
        "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
      },
    },
  };
}

/** Latency figures of a set of requests, in ms. @param {number[]} latencies */
function latencyOf(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (/** @type {number} */ q) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0;
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0,
    max: sorted.length ? sorted[sorted.length - 1] : 0,
  };
}

/** @param {LoadWindow} window */
async function runWindow(window) {
  const { url, connections, seconds } = window;
  const { entry, fresh } = poolFor(url, connections);
  // Statuses, acks and errors count every delivery, the opening ones too (the runner checks each
  // is in the inbox); latencies are kept apart.
  /** @type {Record<string, number>} */
  const statuses = {};
  /** @type {Array<[number, number]>} */
  const acks = [];
  let errors = 0;
  let timeouts = 0;
  const send = async (/** @type {number[]} */ latencies) => {
    const { seq, request } = delivery(window);
    const start = performance.now();
    try {
      const { statusCode, body } = await entry.pool.request(request);
      await body.dump();
      latencies.push(performance.now() - start);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (window.recordAcks && statusCode === 200) acks.push([seq, timeNow()]);
    } catch (error) {
      const code = /** @type {{ code?: string } | null} */ (error)?.code;
      if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") timeouts++;
      else errors++;
    }
  };
  const each = (/** @type {() => Promise<void>} */ work) => Promise.all(Array.from({ length: connections }, work));

  // New connections: one request on each, all at once, measured apart from the window.
  /** @type {number[]} */
  const opening = [];
  if (fresh) await each(() => send(opening));
  const connectsBefore = entry.connects;
  /** @type {number[]} */
  const latencies = [];
  const started = performance.now();
  const endAt = started + seconds * 1000;
  await each(async () => {
    while (performance.now() < endAt) await send(latencies);
  });
  const durationS = (performance.now() - started) / 1000;
  return {
    connections,
    durationS,
    requests: latencies.length,
    rps: latencies.length / durationS,
    latency: latencyOf(latencies),
    statuses,
    errors,
    timeouts,
    non2xx: Object.entries(statuses).reduce((n, [status, count]) => (status.startsWith("2") ? n : n + count), 0),
    acks,
    // Connections the pool had to open during the window (the server closed an idle one).
    reconnects: entry.connects - connectsBefore,
    opening: fresh ? { requests: opening.length, latency: latencyOf(opening) } : null,
  };
}

/** Sends a message to the runner (this process is always forked with an IPC channel). @param {object} message */
const reply = (message) => /** @type {NonNullable<typeof process.send>} */ (process.send)(message);

process.on("message", (/** @type {LoadWindow} */ message) => {
  runWindow(message)
    .then((result) => reply({ id: message.id, result }))
    .catch((error) => reply({ id: message.id, error: String(/** @type {Error} */ (error)?.stack ?? error) }));
});
process.once("SIGTERM", async () => {
  await Promise.allSettled([...pools.values()].map((entry) => entry.pool.destroy()));
  process.exit(0);
});
reply({ ready: true });
