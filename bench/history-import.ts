// History import benchmark: `npm run bench:import -- [--orders=100000] [--db=sqlite|postgresql|all]`.
//
// 1. Seeds a sandbox shop with --orders orders (two line items each, every order paid and shipped
//    with a tracking number) while the app is not installed there, so no webhook is built or sent:
//    the fastest way the sandbox creates orders in bulk through its own commerce rules.
// 2. For each database (SQLite always; PostgreSQL when it answers at BENCH_POSTGRES_URL, default
//    postgresql://postgres@127.0.0.1:5432/test), on a scratch database migrated like production:
//    the app's history import (startHistoryImport, then advanceHistoryImport, exactly as the finish
//    webhook runs it) from the sandbox's bulk query. Measured: the time Shopify's side takes to
//    write the JSONL, then orders applied per second, the process's peak RSS while applying (and
//    its growth over the RSS before), and the time until the first order is in the mirror.
// 3. The ceiling, in the same run: reading the same JSONL the same way (readline over the
//    response body) and JSON-parsing every line, writing nothing. The import's orders/s as a share
//    of that ceiling says what the writes cost.
// Prints the figures and writes JSON to bench/results/.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";

import pg from "pg";

// The sandbox refuses NODE_ENV=production; the app code measured here does not depend on it.
process.env.NODE_ENV ??= "development";
process.env.SHOPIFY_API_KEY ??= "bench-key";
process.env.SHOPIFY_API_SECRET ??= "bench-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:1";

const root = join(import.meta.dirname, "..");

function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? flag.slice(name.length + 3) : fallback;
}
const ORDERS = Math.min(Math.max(Math.floor(Number(option("orders", "100000"))) || 100, 100), 1_000_000);
const DB_CHOICE = option("db", "all");
const POSTGRES_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const SHOP = "bench-import.myshopify.com";
const TARGET = 2000;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => bytes / 1024 / 1024;
const log = (line: string) => console.log(line);

type Kind = "sqlite" | "postgresql";

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Samples the process's RSS every 20 ms until stopped; returns the peak. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

async function seed() {
  const { createSandbox } = await import("../sandbox/engine");
  const sandbox = createSandbox({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: process.env.SHOPIFY_API_SECRET!,
    appUrl: "http://127.0.0.1:1",
    webhookFetch: async () => new Response("ok"),
  });
  sandbox.createShop({ domain: SHOP, name: "Bench Import", currency: "USD" });
  const products = [
    sandbox.addProduct(SHOP, {
      title: "Enamel Mug",
      variants: [{ title: "Default Title", sku: "MUG", price: "18.00" }],
    }),
    sandbox.addProduct(SHOP, {
      title: "Linen Tee",
      variants: [
        { title: "S", sku: "TEE-S", price: "35.00" },
        { title: "M", sku: "TEE-M", price: "35.00" },
      ],
    }),
  ];
  const variants = products.flatMap((p) => p.variants.map((v) => v.id));
  // The app is not installed: the engine builds and sends no webhook (commerce.ts, emitTo).
  sandbox.shop(SHOP).appInstalled = false;
  const customers = Array.from({ length: 500 }, (_, i) =>
    sandbox.createCustomer({ shop: SHOP, email: `shopper${i}@example.com`, firstName: "Shopper", lastName: `${i}` }),
  );
  const started = performance.now();
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
  }
  const seconds = (performance.now() - started) / 1000;
  log(`Seeded ${fmt(ORDERS)} orders (2 line items, 1 shipment each) in ${fmt(seconds, 1)} s, no webhooks`);
  sandbox.shop(SHOP).appInstalled = true;
  return sandbox;
}

type Sandbox = Awaited<ReturnType<typeof seed>>;

/** Reads the file as the import does (readline over the body) and parses each line; writes nothing. */
async function ceiling(sandbox: Sandbox, url: string) {
  const started = performance.now();
  const response = sandbox.fetchBulkResult(url);
  const lines = createInterface({
    input: Readable.from(response.body as unknown as AsyncIterable<Uint8Array>),
    crlfDelay: Infinity,
  });
  let orders = 0;
  let count = 0;
  for await (const text of lines) {
    if (text === "") continue;
    count += 1;
    const node = JSON.parse(text) as { __parentId?: string };
    if (!node.__parentId) orders += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return { orders, lines: count, seconds, perSecond: orders / seconds };
}

interface DbFigures {
  kind: Kind;
  bulkQueryS: number;
  applyS: number;
  ordersImported: number;
  perSecond: number;
  firstOrderS: number | null;
  rssBeforeMb: number;
  rssPeakMb: number;
  ceilingPerSecond: number;
  shareOfCeiling: number;
}

async function benchDatabase(kind: Kind, sandbox: Sandbox): Promise<DbFigures> {
  const { createTestDatabase } = await import("../tests/helpers/db");
  const { startHistoryImport, advanceHistoryImport } = await import("../app/services/history-import/import.server");
  const { findImport } = await import("../app/models/history-import.server");
  const scratch = await createTestDatabase(kind);
  const db = scratch.db;
  try {
    const deps = {
      db,
      graphql: sandbox.graphqlClient(SHOP),
      fetchResult: async (url: string) => sandbox.fetchBulkResult(url),
    };
    let started = performance.now();
    const row = await startHistoryImport(deps, SHOP, { trigger: "install", windowDays: 36500 });
    if (row.status !== "running") throw new Error(`The import did not start: ${row.error}`);
    await sandbox.bulk.settle();
    const bulkQueryS = (performance.now() - started) / 1000;

    // The time until the first imported order is in the mirror, watched from the side.
    let firstOrderS: number | null = null;
    started = performance.now();
    const watcher = setInterval(() => {
      if (firstOrderS !== null) return;
      db.order
        .findFirst({ where: { shop: SHOP }, select: { id: true } })
        .then((o) => {
          if (o && firstOrderS === null) firstOrderS = (performance.now() - started) / 1000;
        })
        .catch(() => {});
    }, 25);
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    const sampler = rssSampler();
    const status = await advanceHistoryImport(deps, SHOP, row.id);
    const applyS = (performance.now() - started) / 1000;
    const rssPeak = sampler.stop();
    clearInterval(watcher);
    const done = (await findImport(db, SHOP, row.id))!;
    if (status !== "completed") throw new Error(`The import ended ${status}: ${done.error}`);
    const mirrored = await db.order.count({ where: { shop: SHOP } });
    if (mirrored !== ORDERS) throw new Error(`${mirrored} orders in the mirror, expected ${ORDERS}`);
    const ceil = await ceiling(sandbox, done.resultUrl!);
    const perSecond = done.ordersImported / applyS;
    return {
      kind,
      bulkQueryS,
      applyS,
      ordersImported: done.ordersImported,
      perSecond,
      firstOrderS,
      rssBeforeMb: mb(rssBefore),
      rssPeakMb: mb(rssPeak),
      ceilingPerSecond: ceil.perSecond,
      shareOfCeiling: perSecond / ceil.perSecond,
    };
  } finally {
    await scratch.drop();
  }
}

async function main() {
  log(`History import benchmark: ${fmt(ORDERS)} orders`);
  const kinds: Kind[] = [];
  if (DB_CHOICE === "all" || DB_CHOICE === "sqlite") kinds.push("sqlite");
  if (DB_CHOICE === "all" || DB_CHOICE === "postgresql") {
    if (await postgresReachable()) kinds.push("postgresql");
    else log(`PostgreSQL does not answer at ${POSTGRES_ADMIN}: skipped`);
  }
  const sandbox = await seed();
  const figures: DbFigures[] = [];
  try {
    for (const kind of kinds) {
      const f = await benchDatabase(kind, sandbox);
      figures.push(f);
      log(
        `\n${kind}: Shopify's side (bulk query to JSONL) ${fmt(f.bulkQueryS, 1)} s; ` +
          `import ${fmt(f.ordersImported)} orders in ${fmt(f.applyS, 1)} s = ${fmt(f.perSecond)} orders/s ` +
          `(target ${fmt(TARGET)} on SQLite)`,
      );
      log(
        `  first order in the mirror after ${f.firstOrderS === null ? "?" : fmt(f.firstOrderS, 2)} s; ` +
          `RSS ${fmt(f.rssBeforeMb)} MB before, peak ${fmt(f.rssPeakMb)} MB ` +
          `(+${fmt(f.rssPeakMb - f.rssBeforeMb)} MB; the sandbox's shop lives in this process too)`,
      );
      log(
        `  ceiling (read + JSON.parse the same JSONL, no writes): ${fmt(f.ceilingPerSecond)} orders/s; ` +
          `the import is ${fmt(f.shareOfCeiling * 100, 1)}% of it`,
      );
    }
  } finally {
    sandbox.close();
  }
  const dir = join(root, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `history-import-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ orders: ORDERS, figures }, null, 2));
  log(`\nWrote ${file}`);
}

await main();
