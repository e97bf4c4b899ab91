// Loyalty benchmark: `npm run bench:loyalty -- [options]`.
//
// For SQLite (always) and PostgreSQL (when reachable), on a scratch database migrated like
// production:
//  1. Balance reads. Bulk-generates members and ledger rows with raw SQL in batches (the
//     ledger's sum kept in each member's row, a small share of entries still pending), then serves
//     balanceOf() (app/services/loyalty/ledger.server.ts) over HTTP on loopback and drives it with
//     keep-alive requests for random members: requests/s and p50/p99. Measured at half the ledger
//     and again at the full ledger, to show the read does not grow with the ledger.
//  2. Earning. Signed orders/paid deliveries through the real intake (receiveWebhook: HMAC,
//     inbox) and the real job (processEvent: mirror + loyalty listener), with the program on:
//     orders and points earned per second.
// Against a bare Node ceiling in the same run: an HTTP server answering a fixed JSON body to the
// same load generator, and HMAC check + JSON.parse of the same deliveries.
//
// Options: --members=200000 --ledger=5000000 --db=sqlite|postgresql|all --duration=5
// --concurrency=16 --orders=1000 --order-concurrency=4. Loopback only; every loop is bounded.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, Agent, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import Database from "better-sqlite3";

process.env.NODE_ENV ??= "production";
process.env.SHOPIFY_API_KEY ??= "bench-key";
process.env.SHOPIFY_API_SECRET ??= "bench-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:1";

const root = join(import.meta.dirname, "..");

function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? flag.slice(name.length + 3) : fallback;
}
const bounded = (value: string, min: number, max: number) => Math.min(Math.max(Math.floor(Number(value)) || min, min), max);
const MEMBERS = bounded(option("members", "200000"), 100, 2_000_000);
const LEDGER = bounded(option("ledger", "5000000"), MEMBERS * 2, 50_000_000);
const DB_CHOICE = option("db", "all");
const DURATION_MS = bounded(option("duration", "5"), 1, 60) * 1000;
const CONCURRENCY = bounded(option("concurrency", "16"), 1, 256);
const ORDERS = bounded(option("orders", "1000"), 10, 100_000);
const ORDER_CONCURRENCY = bounded(option("order-concurrency", "4"), 1, 64);
/** Hard cap on requests per measurement, whatever the duration. */
const MAX_REQUESTS = 2_000_000;
const SHOP = "bench-loyalty.myshopify.com";
const SECRET = process.env.SHOPIFY_API_SECRET!;
const POSTGRES_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (line: string) => console.log(line);

// ---------------------------------------------------------------------------------------------
// Load generator: CONCURRENCY keep-alive loops, for DURATION_MS or MAX_REQUESTS, whichever first.

interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function drive(port: number, path: () => string): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const get = (p: string) =>
    new Promise<number>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: p, agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", () => resolve(0));
      req.end();
    });
  // Warm-up: JIT, connection pool, page cache.
  const warmUntil = Date.now() + Math.min(1000, DURATION_MS / 2);
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (Date.now() < warmUntil) await get(path()); }));
  const started = performance.now();
  const until = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until && sent < MAX_REQUESTS) {
        sent++;
        const t0 = performance.now();
        const status = await get(path());
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.keepAliveTimeout = 10_000;
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

// ---------------------------------------------------------------------------------------------
// Scratch databases, migrated with the same SQL files production applies.

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

// ---------------------------------------------------------------------------------------------
// Bulk generation. Member i has id m<i>; ledger entries are +10 each, spread evenly; 2% of the
// entries of each batch are pending (availableAt a week ahead). `points` is kept equal to the sum.

interface Generator {
  members(count: number): Promise<void>;
  /** Appends `perMember` entries to every member, entries numbered from `offset`. */
  ledger(perMember: number, offset: number): Promise<void>;
  close(): Promise<void>;
}

const memberId = (i: number) => `m${String(i).padStart(8, "0")}`;

function sqliteGenerator(file: string): Generator {
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  return {
    async members(count) {
      const insert = raw.prepare(
        `INSERT INTO "LoyaltyMember" (id, shop, key, customerShopifyId, email, points, lifetimePoints, lastActivityAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
      );
      const now = Date.now();
      for (let start = 0; start < count; start += 20_000) {
        raw.transaction(() => {
          for (let i = start; i < Math.min(count, start + 20_000); i++) {
            const gid = `gid://shopify/Customer/${1_000_000 + i}`;
            insert.run(memberId(i), SHOP, `c:${gid}`, gid, `member${i}@example.com`, now, now, now);
          }
        })();
      }
    },
    async ledger(perMember, offset) {
      const insert = raw.prepare(`INSERT INTO "LoyaltyLedgerEntry" (id, shop, memberId, sourceKey, kind, points, availableAt, createdAt) VALUES (?, ?, ?, ?, 'earn_order', 10, ?, ?)`);
      const now = Date.now();
      const total = MEMBERS * perMember;
      const batch = 50_000;
      for (let start = 0; start < total; start += batch) {
        raw.transaction(() => {
          for (let n = start; n < Math.min(total, start + batch); n++) {
            const m = n % MEMBERS;
            const seq = offset + Math.floor(n / MEMBERS);
            const pending = n % 50 === 0;
            const created = now - (LEDGER - (offset * MEMBERS + n)) * 1000;
            insert.run(`e${m}-${seq}`, SHOP, memberId(m), `bench:${m}:${seq}`, pending ? now + 7 * 86_400_000 : created, created);
          }
        })();
      }
      raw.prepare(`UPDATE "LoyaltyMember" SET points = points + ?, lifetimePoints = lifetimePoints + ? WHERE shop = ?`).run(10 * perMember, 10 * perMember, SHOP);
      raw.exec("ANALYZE");
    },
    async close() {
      raw.close();
    },
  };
}

function postgresGenerator(url: string): Generator {
  const client = new pg.Client({ connectionString: url });
  const ready = client.connect();
  return {
    async members(count) {
      await ready;
      for (let start = 0; start < count; start += 100_000) {
        const end = Math.min(count, start + 100_000) - 1;
        await client.query(
          `INSERT INTO "LoyaltyMember" (id, shop, key, "customerShopifyId", email, points, "lifetimePoints", "lastActivityAt", "createdAt", "updatedAt")
           SELECT 'm' || lpad(i::text, 8, '0'), $1, 'c:gid://shopify/Customer/' || (1000000 + i), 'gid://shopify/Customer/' || (1000000 + i), 'member' || i || '@example.com', 0, 0, now(), now(), now()
           FROM generate_series($2::int, $3::int) AS i`,
          [SHOP, start, end],
        );
      }
    },
    async ledger(perMember, offset) {
      await ready;
      const total = MEMBERS * perMember;
      for (let start = 0; start < total; start += 250_000) {
        const end = Math.min(total, start + 250_000) - 1;
        await client.query(
          `INSERT INTO "LoyaltyLedgerEntry" (id, shop, "memberId", "sourceKey", kind, points, "availableAt", "createdAt")
           SELECT 'e' || (n % $2) || '-' || ($3 + n / $2), $1, 'm' || lpad((n % $2)::text, 8, '0'), 'bench:' || (n % $2) || ':' || ($3 + n / $2), 'earn_order', 10,
                  CASE WHEN n % 50 = 0 THEN now() + interval '7 days' ELSE now() - make_interval(secs => ($4 - ($3 * $2 + n))) END,
                  now() - make_interval(secs => ($4 - ($3 * $2 + n)))
           FROM generate_series($5::bigint, $6::bigint) AS n`,
          [SHOP, MEMBERS, offset, LEDGER, start, end],
        );
      }
      await client.query(`UPDATE "LoyaltyMember" SET points = points + $1, "lifetimePoints" = "lifetimePoints" + $1 WHERE shop = $2`, [10 * perMember, SHOP]);
      await client.query(`VACUUM ANALYZE "LoyaltyLedgerEntry"`);
      await client.query(`VACUUM ANALYZE "LoyaltyMember"`);
    },
    async close() {
      await client.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------

interface DbFigures {
  kind: Kind;
  generateS: number;
  reads: Array<{ ledgerRows: number; result: LoadResult }>;
  check: string;
  earning: { orders: number; intakePerS: number; ordersPerS: number; pointsPerS: number; points: number };
}

async function benchDatabase(kind: Kind): Promise<DbFigures> {
  const { createTestDatabase } = await import("../tests/helpers/db");
  const scratch = await createTestDatabase(kind);
  const { balanceOf } = await import("../app/services/loyalty/ledger.server");
  const db = scratch.db;
  const generator = kind === "sqlite" ? sqliteGenerator(scratch.url.replace(/^file:/, "")) : postgresGenerator(scratch.url);
  try {
    const half = Math.floor(LEDGER / MEMBERS / 2);
    const rest = Math.floor(LEDGER / MEMBERS) - half;
    const t0 = performance.now();
    await generator.members(MEMBERS);
    await generator.ledger(half, 0);
    let generateS = (performance.now() - t0) / 1000;
    log(`  ${kind}: ${fmt(MEMBERS)} members, ${fmt(MEMBERS * half)} ledger rows generated in ${fmt(generateS, 1)} s`);

    const { server, port } = await listen(async (req, res) => {
      const id = req.url!.slice(1);
      try {
        const balance = await balanceOf(db, SHOP, id, new Date());
        res.writeHead(balance ? 200 : 404, { "Content-Type": "application/json" });
        res.end(JSON.stringify(balance));
      } catch (error) {
        res.writeHead(500);
        res.end(String(error));
      }
    });
    const randomMember = () => `/${memberId(Math.floor(Math.random() * MEMBERS))}`;
    const reads: DbFigures["reads"] = [];
    reads.push({ ledgerRows: MEMBERS * half, result: await drive(port, randomMember) });
    const t1 = performance.now();
    await generator.ledger(rest, half);
    generateS += (performance.now() - t1) / 1000;
    log(`  ${kind}: ledger grown to ${fmt(MEMBERS * (half + rest))} rows (total generation ${fmt(generateS, 1)} s)`);
    reads.push({ ledgerRows: MEMBERS * (half + rest), result: await drive(port, randomMember) });
    server.close();

    // The invariant holds for what was generated: a sampled member's points = their ledger's sum.
    const sample = memberId(Math.floor(MEMBERS / 3));
    const [member, sum] = await Promise.all([
      db.loyaltyMember.findUniqueOrThrow({ where: { id: sample } }),
      db.loyaltyLedgerEntry.aggregate({ where: { memberId: sample }, _sum: { points: true } }),
    ]);
    const check = member.points === sum._sum.points ? `points = ledger sum (${member.points})` : `MISMATCH ${member.points} vs ${sum._sum.points}`;

    for (const r of reads) log(`  ${kind}: balance read at ${fmt(r.ledgerRows)} ledger rows: ${fmt(r.result.perSecond)} req/s, p50 ${fmt(r.result.p50, 2)} ms, p99 ${fmt(r.result.p99, 2)} ms, ${r.result.errors} errors`);
    const earning = await benchEarning(db);
    log(`  ${kind}: ${fmt(earning.orders)} orders/paid: ${fmt(earning.ordersPerS, 1)} orders/s, ${fmt(earning.pointsPerS)} points/s (intake ${fmt(earning.intakePerS)}/s)`);
    return { kind, generateS, reads, check, earning };
  } finally {
    await generator.close();
    await scratch.drop();
  }
}

function paidOrderPayload(template: Record<string, unknown>, i: number): string {
  return JSON.stringify({
    ...template,
    id: 9_000_000_000 + i,
    admin_graphql_api_id: `gid://shopify/Order/${9_000_000_000 + i}`,
    name: `#B${i}`,
    order_number: 100_000 + i,
    test: false,
    financial_status: "paid",
    email: `member${i % 1000}@example.com`,
    customer: { ...(template.customer as object), id: 1_000_000 + (i % 1000), email: `member${i % 1000}@example.com` },
  });
}

async function benchEarning(db: import("../app/db.server").Db) {
  const { receiveWebhook } = await import("../app/webhooks/receive.server");
  const { processEvent } = await import("../app/jobs/process-event.server");
  const { saveLoyaltySettings } = await import("../app/services/loyalty/settings.server");
  const { webhookRequest } = await import("../tests/helpers/webhooks");
  await saveLoyaltySettings(db, SHOP, { enabled: true, pointsPerUnit: 1, pendingDays: 14 });
  await db.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP, name: "Bench", currencyCode: "USD" }, update: {} });
  const template = JSON.parse(readFileSync(join(root, "tests/fixtures/webhooks/2026-07/examples/orders__paid.json"), "utf8"));
  const bodies = Array.from({ length: ORDERS }, (_, i) => paidOrderPayload(template, i));
  const before = await db.loyaltyLedgerEntry.aggregate({ where: { shop: SHOP, kind: "earn_order", sourceKey: { startsWith: "order:" } }, _sum: { points: true } });

  const ids: string[] = [];
  const t0 = performance.now();
  for (const body of bodies) {
    const res = await receiveWebhook(webhookRequest("orders/paid", body, { shop: SHOP, secret: SECRET }), { db, secret: SECRET, onRecorded: (id) => ids.push(id) });
    if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
  }
  const intakeS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: ORDER_CONCURRENCY }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const outcome = await processEvent(db, id);
        if (outcome !== "processed") throw new Error(`event ${id}: ${outcome}`);
      }
    }),
  );
  const processS = (performance.now() - t1) / 1000;
  const after = await db.loyaltyLedgerEntry.aggregate({ where: { shop: SHOP, kind: "earn_order", sourceKey: { startsWith: "order:" } }, _sum: { points: true } });
  const booked = await db.loyaltyOrder.count({ where: { shop: SHOP } });
  if (booked !== ORDERS) throw new Error(`${booked} of ${ORDERS} orders earned points`);
  const points = (after._sum.points ?? 0) - (before._sum.points ?? 0);
  return { orders: ORDERS, intakePerS: ORDERS / intakeS, ordersPerS: ORDERS / processS, pointsPerS: points / processS, points };
}

/** The same deliveries through only what cannot be avoided: HMAC check and JSON.parse. */
function earningCeiling(): number {
  const template = JSON.parse(readFileSync(join(root, "tests/fixtures/webhooks/2026-07/examples/orders__paid.json"), "utf8"));
  const bodies = Array.from({ length: ORDERS }, (_, i) => {
    const raw = paidOrderPayload(template, i);
    return { raw, hmac: createHmac("sha256", SECRET).update(raw).digest("base64") };
  });
  let handled = 0;
  const started = performance.now();
  const until = started + Math.min(DURATION_MS, 3000);
  for (let round = 0; round < 1000 && performance.now() < until; round++) {
    for (const b of bodies) {
      const digest = createHmac("sha256", SECRET).update(b.raw).digest();
      if (!timingSafeEqual(digest, Buffer.from(b.hmac, "base64"))) throw new Error("bad hmac");
      const order = JSON.parse(b.raw);
      if (!order.id) throw new Error("no id");
      handled++;
    }
  }
  return handled / ((performance.now() - started) / 1000);
}

async function main() {
  log(`Loyalty benchmark: ${fmt(MEMBERS)} members, ${fmt(LEDGER)} ledger rows, ${CONCURRENCY} concurrent readers for ${DURATION_MS / 1000} s, ${fmt(ORDERS)} orders/paid at ${ORDER_CONCURRENCY} workers`);
  const kinds: Kind[] = [];
  if (DB_CHOICE === "all" || DB_CHOICE === "sqlite") kinds.push("sqlite");
  if (DB_CHOICE === "all" || DB_CHOICE === "postgresql") {
    if (await postgresReachable()) kinds.push("postgresql");
    else log(`  PostgreSQL not reachable at ${POSTGRES_ADMIN}: skipped`);
  }

  const body = JSON.stringify({ total: 250, pending: 10, available: 240 });
  const { server, port } = await listen((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(body);
  });
  const ceilingRead = await drive(port, () => `/${memberId(Math.floor(Math.random() * MEMBERS))}`);
  server.close();
  const ceilingEarn = earningCeiling();
  log(`  bare Node ceiling: ${fmt(ceilingRead.perSecond)} req/s (p99 ${fmt(ceilingRead.p99, 2)} ms); HMAC + parse ${fmt(ceilingEarn)} deliveries/s`);

  const figures: DbFigures[] = [];
  for (const kind of kinds) figures.push(await benchDatabase(kind));

  log("\nBalance read (balanceOf over HTTP, loopback, random members)");
  log("  database     ledger rows    req/s     p50 ms   p99 ms   errors   of ceiling");
  log(`  ${"bare Node".padEnd(12)} ${"—".padStart(11)} ${fmt(ceilingRead.perSecond).padStart(8)} ${fmt(ceilingRead.p50, 2).padStart(9)} ${fmt(ceilingRead.p99, 2).padStart(8)} ${String(ceilingRead.errors).padStart(8)}`);
  for (const f of figures) {
    for (const r of f.reads) {
      log(`  ${f.kind.padEnd(12)} ${fmt(r.ledgerRows).padStart(11)} ${fmt(r.result.perSecond).padStart(8)} ${fmt(r.result.p50, 2).padStart(9)} ${fmt(r.result.p99, 2).padStart(8)} ${String(r.result.errors).padStart(8)} ${`${fmt((100 * r.result.perSecond) / ceilingRead.perSecond, 0)}%`.padStart(12)}`);
    }
    const [a, b] = f.reads;
    log(`  ${f.kind}: doubling the ledger changed throughput by ${fmt((100 * (b.result.perSecond - a.result.perSecond)) / a.result.perSecond, 1)}% and p99 by ${fmt((100 * (b.result.p99 - a.result.p99)) / a.result.p99, 1)}%; ${f.check}`);
  }
  log("\nPoints earned from orders/paid (signed delivery -> inbox -> job: mirror + loyalty)");
  log("  database     orders   intake/s   orders/s   points/s   of ceiling");
  for (const f of figures) {
    const e = f.earning;
    log(`  ${f.kind.padEnd(12)} ${fmt(e.orders).padStart(6)} ${fmt(e.intakePerS).padStart(10)} ${fmt(e.ordersPerS, 1).padStart(10)} ${fmt(e.pointsPerS).padStart(10)} ${`${fmt((100 * e.ordersPerS) / ceilingEarn, 2)}%`.padStart(12)}`);
  }
  log(`  ceiling (HMAC + JSON.parse only): ${fmt(ceilingEarn)} deliveries/s`);
  for (const f of figures) log(`  ${f.kind}: generation of the data set took ${fmt(f.generateS, 1)} s`);
}

await main();
process.exit(0);
