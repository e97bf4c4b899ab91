// Load generator, run as its own process by bench/run.ts (so its CPU use and garbage never mix with
// the servers'), and kept for a whole database's run so that its JIT is equally warm for every
// window it drives, the ceiling's and the app's alike. Closed loop: `connections` clients each send
// one signed orders/create delivery, wait for the answer, send the next, for `seconds`.
//
//   fork("bench/load.mjs", [JSON.stringify({ secret, payloadFile, apiVersion })])
//   child.send({ id, url, connections, seconds, shop, idPrefix, orderBase, recordAcks })
//     -> child replies { id, result } (or { id, error })
//
// Every request carries a new X-Shopify-Webhook-Id (`${idPrefix}-${n}`, n counting on across the
// windows of one idPrefix) and a new order id (orderBase + n) in Shopify's example payload, signed
// like Shopify signs it. For each 200 the time it arrived is kept (epoch ms, sub-ms precision) so
// the runner can measure how long after the 200 the order showed up in the mirror.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

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
if (idParts.length !== 3 || template.split(NUMBER_MARKER).length !== 3) throw new Error("order markers not found where expected");
const bodyFor = (orderId, orderNumber) => idParts.join(String(orderId)).split(NUMBER_MARKER).join(String(orderNumber));

/** The next sequence number per idPrefix, so ids stay unique across one step's windows. */
const sequences = new Map();
const timeNow = () => performance.timeOrigin + performance.now();

function runWindow({ url, connections, seconds, shop, idPrefix, orderBase, recordAcks }) {
  const acks = [];
  const statuses = {};
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        // The window ends at the first sample tick after `seconds`: tick often, so that every
        // window is as long as it says.
        sampleInt: 50,
        pipelining: 1,
        timeout: 30,
        requests: [
          {
            method: "POST",
            path: "/webhooks",
            setupRequest(req, context) {
              const seq = sequences.get(idPrefix) ?? 0;
              sequences.set(idPrefix, seq + 1);
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
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
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
          acks,
        });
      },
    );
  });
}

process.on("message", (message) => {
  runWindow(message).then(
    (result) => process.send({ id: message.id, result }),
    (error) => process.send({ id: message.id, error: String(error?.stack ?? error) }),
  );
});
process.send({ ready: true });
