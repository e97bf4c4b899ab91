// Shopify's side of the history import benchmark (bench/history-import.ts), in a process of its
// own so that the shop's orders and the writing of the bulk file never count in the import's
// memory or CPU: a sandbox shop seeded with --orders orders, answering the Admin API over HTTP
// (POST /graphql, the shop's queries and mutations as the sandbox answers them) and serving bulk
// results as Shopify's storage does (GET /bulk-results/<token>.jsonl, streamed from the file).
//
//   tsx bench/import-shopify.ts --orders=100000 --sizes=10000,50000,100000
//
// Prints "seeded {json}" (how long seeding took, and for each size the creation time of the
// size-th newest order: an import of the orders created since then reads exactly that many), then
// "listening on <url>". Stops on SIGTERM.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";

// The sandbox refuses NODE_ENV=production.
process.env.NODE_ENV ??= "development";

function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? flag.slice(name.length + 3) : fallback;
}

export const SHOP = "bench-import.myshopify.com";
const ORDERS = Number(option("orders", "100000"));
const SIZES = option("sizes", String(ORDERS))
  .split(",")
  .map(Number)
  .filter((n) => n > 0 && n <= ORDERS);

const { createSandbox } = await import("../sandbox/engine");
const sandbox = createSandbox({
  apiKey: "bench-key",
  apiSecret: "bench-secret",
  appUrl: "http://127.0.0.1:1",
  webhookFetch: async () => new Response("ok"),
});
sandbox.createShop({ domain: SHOP, name: "Bench Import", currency: "USD" });
const products = [
  sandbox.addProduct(SHOP, { title: "Enamel Mug", variants: [{ title: "Default Title", sku: "MUG", price: "18.00" }] }),
  sandbox.addProduct(SHOP, {
    title: "Linen Tee",
    variants: [
      { title: "S", sku: "TEE-S", price: "35.00" },
      { title: "M", sku: "TEE-M", price: "35.00" },
    ],
  }),
];
const variants = products.flatMap((p) => p.variants.map((v) => v.id));
// The app is not installed while seeding: the engine builds and sends no webhook (commerce.ts, emitTo).
sandbox.shop(SHOP).appInstalled = false;
const customers = Array.from({ length: 500 }, (_, i) =>
  sandbox.createCustomer({ shop: SHOP, email: `shopper${i}@example.com`, firstName: "Shopper", lastName: `${i}` }),
);
const started = performance.now();
const createdAt: string[] = [];
for (let i = 0; i < ORDERS; i++) {
  const order = sandbox.placeOrder({
    shop: SHOP,
    customer: customers[i % customers.length],
    lines: [
      { variantId: variants[i % variants.length], quantity: 1 + (i % 3) },
      { variantId: variants[(i + 1) % variants.length], quantity: 1 },
    ],
    paid: true,
  });
  sandbox.fulfil({ shop: SHOP, order, trackingCompany: "UPS", trackingNumber: `1Z${String(i).padStart(10, "0")}` });
  // Every stamp is later than the one before (state.ts), so creation times are distinct and rising.
  createdAt.push(order.createdAt);
}
sandbox.shop(SHOP).appInstalled = true;
const seededS = (performance.now() - started) / 1000;
const since = Object.fromEntries(SIZES.map((n) => [n, createdAt[ORDERS - n]]));
console.log(`seeded ${JSON.stringify({ orders: ORDERS, seconds: seededS, since })}`);

const graphql = sandbox.graphqlClient(SHOP);

async function readJson(req: IncomingMessage): Promise<{ query: string; variables?: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

async function handle(req: IncomingMessage, res: ServerResponse, origin: string) {
  const path = new URL(req.url ?? "/", origin).pathname;
  if (req.method === "POST" && path === "/graphql") {
    const { query, variables } = await readJson(req);
    const answer = await graphql(query, { variables });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(await answer.text());
    return;
  }
  if (req.method === "GET" && path.startsWith("/bulk-results/")) {
    const answer = sandbox.fetchBulkResult(`${origin}${path}`);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    // Streamed chunk by chunk, as Shopify's storage sends it; never read whole.
    if (answer.body) Readable.from(answer.body as unknown as AsyncIterable<Uint8Array>).pipe(res);
    else res.end();
    return;
  }
  res.writeHead(404).end();
}

const server = createServer((req, res) => {
  handle(req, res, `http://${req.headers.host}`).catch((error: Error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end(error.message);
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  sandbox.bulk.setOrigin(url);
  console.log(`listening on ${url}`);
});
process.once("SIGTERM", () => {
  server.close();
  sandbox.close();
  process.exit(0);
});
