// Load generator, run as its own process by bench/run.ts (one process per step, so its CPU use and
// garbage never mix with the server's). Closed loop: `connections` clients each send one signed
// orders/create delivery, wait for the answer, send the next, for `duration` seconds or until
// `maxRequests` answers (whichever is first; requests then in flight still count).
//
//   node bench/load.mjs '<json config>'    -> writes the result as JSON to config.out
//
// Every request carries a new X-Shopify-Webhook-Id (`${idPrefix}-${n}`) and a new order id
// (orderBase + n) in Shopify's example payload, signed like Shopify signs it. For each 200 the
// time it arrived is kept (epoch ms, sub-ms precision) so the runner can measure how long after
// the 200 the order showed up in the mirror.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import autocannon from "autocannon";

const config = JSON.parse(process.argv[2]);
const { url, connections, duration, maxRequests, secret, shop, idPrefix, orderBase, payloadFile, apiVersion, out, recordAcks } =
  config;

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
if (idParts.length !== 3 || template.split(NUMBER_MARKER).length !== 3) throw new Error("order markers not found where expected");
const bodyFor = (orderId, orderNumber) => idParts.join(String(orderId)).split(NUMBER_MARKER).join(String(orderNumber));

let n = 0;
let answered = 0;
const acks = [];
const statuses = {};
const timeNow = () => performance.timeOrigin + performance.now();

const instance = autocannon(
  {
    url,
    connections,
    duration,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: "/webhooks",
        setupRequest(req, context) {
          const seq = n++;
          const orderId = orderBase + seq;
          const body = bodyFor(orderId, (orderId % 1_000_000_000) + 1);
          context.seq = seq;
          return {
            ...req,
            method: "POST",
            path: "/webhooks",
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
          };
        },
        onResponse(status, _body, context) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (recordAcks && status === 200) acks.push([context.seq, timeNow()]);
          // "duration seconds or maxRequests answers, whichever comes first"
          if (++answered === maxRequests) instance.stop();
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    writeFileSync(
      out,
      JSON.stringify({
        connections,
        durationS: result.duration,
        requests: result.requests.total,
        rps: result.requests.total / result.duration,
        latency: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          mean: result.latency.mean,
          max: result.latency.max,
        },
        statuses,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        sent: n,
        acks,
      }),
    );
  },
);
process.once("SIGTERM", () => instance.stop());
