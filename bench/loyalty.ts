// Loyalty benchmark: `npm run bench:loyalty -- [options]`.
//
// For SQLite (always) and PostgreSQL (when reachable), on a scratch database migrated like
// production:
//  1. Balance reads. Generates members and ledger rows with set-based SQL (see "Bulk generation"
//     below; the ledger's sum kept in each member's row, about 2% of entries pending), then serves
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

import { postgresAdminUrl, postgresReachable } from "./postgres-scratch";

process.env.NODE_ENV ??= "production";
process.env.SHOPIFY_API_KEY ??= "bench-key";
process.env.SHOPIFY_API_SECRET ??= "bench-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:1";

const root = join(import.meta.dirname, "..");

function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? flag.slice(name.length + 3) : fallback;
}
const bounded = (value: string, min: number, max: number) =>
  Math.min(Math.max(Math.floor(Number(value)) || min, min), max);
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

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
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
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < warmUntil) await get(path());
    }),
  );
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

// ---------------------------------------------------------------------------------------------
// Bulk generation, set-based: each step is one transaction of INSERT … SELECT over a generated
// series (a recursive CTE on SQLite, generate_series on PostgreSQL), so no row passes through
// JavaScript. Member i has id m<i>. Ledger entry n, numbered across the whole ledger, belongs to
// member n % MEMBERS (so every member gets one per round), has id e<n> (the primary key is only
// ever appended to), is worth +10, was created n seconds after the first, and is pending (a week
// ahead of the generation) when (member + round) % 50 = 0: about 2% of entries, spread over the
// members. Each member's `points` is raised by what the step gave it, so it stays the ledger's sum.
// The step drops the two tables' secondary indexes, inserts, and creates them again with the very
// statements the migrations left in the catalogue (checked to be the same afterwards): building an
// index once from sorted data is much faster than updating it row by row.

const PENDING_EVERY = 50;
const POINTS_PER_ENTRY = 10;

interface Step {
  /** Members m<0> .. m<count-1>, created in this step (first step only). */
  members?: number;
  /** Ledger entries [from, to) by number; both multiples of MEMBERS. */
  from: number;
  to: number;
}

interface StepTimes {
  insertS: number;
  indexS: number;
  analyzeS: number;
}

interface Generator {
  step(step: Step): Promise<StepTimes>;
  close(): Promise<void>;
}

const memberId = (i: number) => `m${String(i).padStart(8, "0")}`;
const TABLES = ["LoyaltyMember", "LoyaltyLedgerEntry"] as const;
/** Generation time: entry n was created at FIRST_ENTRY_S + n (seconds), the last one just now. */
const GENERATED_AT_MS = Date.now();
const FIRST_ENTRY_S = Math.floor(GENERATED_AT_MS / 1000) - LEDGER;
const PENDING_UNTIL_MS = GENERATED_AT_MS + 7 * 86_400_000;

/** What a member holds after entries [0, entries) exist: for the invariant check. */
function expectedBalance(member: number, entries: number) {
  let total = 0;
  let pending = 0;
  for (let round = 0; round * MEMBERS + member < entries; round++) {
    total += POINTS_PER_ENTRY;
    if ((member + round) % PENDING_EVERY === 0) pending += POINTS_PER_ENTRY;
  }
  return { total, pending, available: total - pending };
}

function checkSameIndexes(before: unknown, after: unknown) {
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    throw new Error(`indexes differ after generation:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
  }
}

function sqliteGenerator(file: string): Generator {
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  // A scratch database: a crash mid-generation only loses the scratch file.
  raw.pragma("synchronous = OFF");
  raw.pragma("cache_size = -262144");
  raw.pragma("temp_store = MEMORY");
  // ANALYZE samples each index instead of reading it whole (the plans are the same for these tables).
  raw.pragma("analysis_limit = 2000");
  // Prisma's adapter stores DateTime as ISO 8601 text with an explicit offset; the generated rows
  // must compare with its parameters exactly as its own rows do.
  const iso = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%f+00:00', ${seconds}, 'unixepoch')`;
  const isoOf = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  const indexes = () =>
    raw
      .prepare(
        `SELECT name, sql FROM sqlite_master
         WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${TABLES.map(() => "?").join(", ")})
         ORDER BY name`,
      )
      .all(...TABLES) as { name: string; sql: string }[];
  const insertMembers = raw.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < @last)
     INSERT INTO "LoyaltyMember" (id, shop, key, customerShopifyId, email, points, lifetimePoints, lastActivityAt,
                                  createdAt, updatedAt)
     SELECT 'm' || substr('00000000' || i, -8), @shop, 'c:gid://shopify/Customer/' || (1000000 + i),
            'gid://shopify/Customer/' || (1000000 + i),
            'member' || i || '@example.com', 0, 0, @now, @now, @now
     FROM seq`,
  );
  const insertEntries = raw.prepare(
    `WITH RECURSIVE seq(n) AS (SELECT @from UNION ALL SELECT n + 1 FROM seq WHERE n < @last)
     INSERT INTO "LoyaltyLedgerEntry" (id, shop, memberId, sourceKey, kind, points, availableAt, createdAt)
     SELECT 'e' || substr('000000000' || n, -9), @shop, 'm' || substr('00000000' || (n % @members), -8),
            'bench:' || (n % @members) || ':' || (n / @members), 'earn_order', ${POINTS_PER_ENTRY},
            CASE WHEN ((n % @members) + n / @members) % ${PENDING_EVERY} = 0 THEN @pendingUntil
                 ELSE ${iso("@first + n")} END,
            ${iso("@first + n")}
     FROM seq`,
  );
  const credit = raw.prepare(
    `UPDATE "LoyaltyMember" SET points = points + @points, lifetimePoints = lifetimePoints + @points, updatedAt = @now
     WHERE shop = @shop`,
  );
  return {
    async step({ members, from, to }) {
      const before = indexes();
      const now = isoOf(GENERATED_AT_MS);
      const t0 = performance.now();
      let t1 = t0;
      raw.transaction(() => {
        for (const index of before) raw.exec(`DROP INDEX "${index.name}"`);
        // BigInt binds as INTEGER (a plain number binds as REAL, and n % m, n / m would be real).
        if (members) insertMembers.run({ last: BigInt(members - 1), shop: SHOP, now });
        if (to > from)
          insertEntries.run({
            from: BigInt(from),
            last: BigInt(to - 1),
            shop: SHOP,
            members: BigInt(MEMBERS),
            first: BigInt(FIRST_ENTRY_S),
            pendingUntil: isoOf(PENDING_UNTIL_MS),
          });
        credit.run({ points: BigInt(((to - from) / MEMBERS) * POINTS_PER_ENTRY), now, shop: SHOP });
        t1 = performance.now();
        for (const index of before) raw.exec(index.sql);
      })();
      const t2 = performance.now();
      raw.exec("ANALYZE");
      raw.pragma("wal_checkpoint(TRUNCATE)");
      checkSameIndexes(before, indexes());
      return { insertS: (t1 - t0) / 1000, indexS: (t2 - t1) / 1000, analyzeS: (performance.now() - t2) / 1000 };
    },
    async close() {
      raw.close();
    },
  };
}

function postgresGenerator(url: string): Generator {
  const client = new pg.Client({ connectionString: url });
  const ready = client.connect();
  // Prisma's DateTime columns are timestamp(3) without time zone, holding UTC.
  const utc = (seconds: string) => `(to_timestamp(${seconds}) AT TIME ZONE 'UTC')::timestamp(3)`;
  const indexes = async () =>
    (
      await client.query<{ name: string; sql: string }>(
        `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conname = i.indexname
                             AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))
         ORDER BY i.indexname`,
        [TABLES],
      )
    ).rows;
  return {
    async step({ members, from, to }) {
      await ready;
      const before = await indexes();
      const t0 = performance.now();
      let t1 = t0;
      await client.query("BEGIN");
      try {
        await client.query("SET LOCAL synchronous_commit = off");
        await client.query("SET LOCAL maintenance_work_mem = '256MB'");
        for (const index of before) await client.query(`DROP INDEX "${index.name}"`);
        if (members) {
          await client.query(
            `INSERT INTO "LoyaltyMember" (id, shop, key, "customerShopifyId", email, points, "lifetimePoints",
                                          "lastActivityAt", "createdAt", "updatedAt")
             SELECT 'm' || lpad(i::text, 8, '0'), $1, 'c:gid://shopify/Customer/' || (1000000 + i),
                    'gid://shopify/Customer/' || (1000000 + i),
                    'member' || i || '@example.com', 0, 0, ${utc("$3")}, ${utc("$3")}, ${utc("$3")}
             FROM generate_series(0, $2::int - 1) AS i`,
            [SHOP, members, GENERATED_AT_MS / 1000],
          );
        }
        if (to > from) {
          await client.query(
            `INSERT INTO "LoyaltyLedgerEntry" (id, shop, "memberId", "sourceKey", kind, points, "availableAt",
                                               "createdAt")
             SELECT 'e' || lpad(n::text, 9, '0'), $1, 'm' || lpad((n % $2)::text, 8, '0'),
                    'bench:' || (n % $2) || ':' || (n / $2), 'earn_order', ${POINTS_PER_ENTRY},
                    CASE WHEN ((n % $2) + n / $2) % ${PENDING_EVERY} = 0 THEN ${utc("$6")} ELSE ${utc("$5 + n")} END,
                    ${utc("$5 + n")}
             FROM generate_series($3::bigint, $4::bigint - 1) AS n`,
            [SHOP, MEMBERS, from, to, FIRST_ENTRY_S, PENDING_UNTIL_MS / 1000],
          );
        }
        await client.query(
          `UPDATE "LoyaltyMember" SET points = points + $1, "lifetimePoints" = "lifetimePoints" + $1,
                                      "updatedAt" = ${utc("$3")}
           WHERE shop = $2`,
          [((to - from) / MEMBERS) * POINTS_PER_ENTRY, SHOP, GENERATED_AT_MS / 1000],
        );
        t1 = performance.now();
        for (const index of before) await client.query(index.sql);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      const t2 = performance.now();
      for (const table of TABLES) await client.query(`VACUUM ANALYZE "${table}"`);
      checkSameIndexes(before, await indexes());
      return { insertS: (t1 - t0) / 1000, indexS: (t2 - t1) / 1000, analyzeS: (performance.now() - t2) / 1000 };
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
  steps: { rows: number; times: StepTimes }[];
  reads: { ledgerRows: number; result: LoadResult }[];
  check: string;
  earning: { orders: number; intakePerS: number; ordersPerS: number; pointsPerS: number; points: number };
}

const seconds = (times: StepTimes) => times.insertS + times.indexS + times.analyzeS;
const describeStep = (times: StepTimes) =>
  `insert ${fmt(times.insertS, 1)} s, indexes ${fmt(times.indexS, 1)} s, analyze ${fmt(times.analyzeS, 1)} s`;

async function benchDatabase(kind: Kind): Promise<DbFigures> {
  const { createTestDatabase } = await import("../tests/helpers/db");
  const scratch = await createTestDatabase(kind);
  const { balanceOf } = await import("../app/services/loyalty/ledger.server");
  const db = scratch.db;
  const generator =
    kind === "sqlite" ? sqliteGenerator(scratch.url.replace(/^file:/, "")) : postgresGenerator(scratch.url);
  try {
    const rounds = Math.floor(LEDGER / MEMBERS);
    const half = Math.floor(rounds / 2) * MEMBERS;
    const full = rounds * MEMBERS;
    const steps: DbFigures["steps"] = [];
    const first = await generator.step({ members: MEMBERS, from: 0, to: half });
    steps.push({ rows: half, times: first });
    log(
      `  ${kind}: ${fmt(MEMBERS)} members, ${fmt(half)} ledger rows generated in ${fmt(seconds(first), 1)} s ` +
        `(${describeStep(first)})`,
    );

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
    reads.push({ ledgerRows: half, result: await drive(port, randomMember) });
    const second = await generator.step({ from: half, to: full });
    steps.push({ rows: full - half, times: second });
    const generateS = seconds(first) + seconds(second);
    log(
      `  ${kind}: ledger grown to ${fmt(full)} rows in ${fmt(seconds(second), 1)} s (${describeStep(second)}); ` +
        `total generation ${fmt(generateS, 1)} s`,
    );
    reads.push({ ledgerRows: full, result: await drive(port, randomMember) });
    server.close();

    // The invariant holds for what was generated, and balanceOf reads it as generated: for a few
    // members (one with a pending entry among them), points = the ledger's sum and the pending part
    // is the entries dated ahead.
    const problems: string[] = [];
    const samples = [0, 1, Math.floor(MEMBERS / 3), MEMBERS - 1];
    for (const i of samples) {
      const id = memberId(i);
      const [member, sum, balance] = await Promise.all([
        db.loyaltyMember.findUniqueOrThrow({ where: { id } }),
        db.loyaltyLedgerEntry.aggregate({ where: { memberId: id }, _sum: { points: true } }),
        balanceOf(db, SHOP, id, new Date()),
      ]);
      const expected = expectedBalance(i, full);
      if (member.points !== sum._sum.points)
        problems.push(`${id}: points ${member.points}, ledger sum ${sum._sum.points}`);
      if (JSON.stringify(balance) !== JSON.stringify(expected))
        problems.push(`${id}: balance ${JSON.stringify(balance)}, expected ${JSON.stringify(expected)}`);
    }
    const check =
      problems.length === 0
        ? `points = ledger sum and pending as generated for ${samples.length} sampled members`
        : `MISMATCH ${problems.join("; ")}`;

    for (const r of reads)
      log(
        `  ${kind}: balance read at ${fmt(r.ledgerRows)} ledger rows: ${fmt(r.result.perSecond)} req/s, ` +
          `p50 ${fmt(r.result.p50, 2)} ms, p99 ${fmt(r.result.p99, 2)} ms, ${r.result.errors} errors`,
      );
    const earning = await benchEarning(db);
    log(
      `  ${kind}: ${fmt(earning.orders)} orders/paid: ${fmt(earning.ordersPerS, 1)} orders/s, ` +
        `${fmt(earning.pointsPerS)} points/s (intake ${fmt(earning.intakePerS)}/s)`,
    );
    return { kind, generateS, steps, reads, check, earning };
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
  await db.shop.upsert({
    where: { domain: SHOP },
    create: { domain: SHOP, name: "Bench", currencyCode: "USD" },
    update: {},
  });
  const template = JSON.parse(
    readFileSync(join(root, "tests/fixtures/webhooks/2026-07/examples/orders__paid.json"), "utf8"),
  );
  const bodies = Array.from({ length: ORDERS }, (_, i) => paidOrderPayload(template, i));
  const before = await db.loyaltyLedgerEntry.aggregate({
    where: { shop: SHOP, kind: "earn_order", sourceKey: { startsWith: "order:" } },
    _sum: { points: true },
  });

  const ids: string[] = [];
  const t0 = performance.now();
  for (const body of bodies) {
    const res = await receiveWebhook(webhookRequest("orders/paid", body, { shop: SHOP, secret: SECRET }), {
      db,
      secret: SECRET,
      onRecorded: (id) => ids.push(id),
    });
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
  const after = await db.loyaltyLedgerEntry.aggregate({
    where: { shop: SHOP, kind: "earn_order", sourceKey: { startsWith: "order:" } },
    _sum: { points: true },
  });
  const booked = await db.loyaltyOrder.count({ where: { shop: SHOP } });
  if (booked !== ORDERS) throw new Error(`${booked} of ${ORDERS} orders earned points`);
  const points = (after._sum.points ?? 0) - (before._sum.points ?? 0);
  return {
    orders: ORDERS,
    intakePerS: ORDERS / intakeS,
    ordersPerS: ORDERS / processS,
    pointsPerS: points / processS,
    points,
  };
}

/** The same deliveries through only what cannot be avoided: HMAC check and JSON.parse. */
function earningCeiling(): number {
  const template = JSON.parse(
    readFileSync(join(root, "tests/fixtures/webhooks/2026-07/examples/orders__paid.json"), "utf8"),
  );
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
  log(
    `Loyalty benchmark: ${fmt(MEMBERS)} members, ${fmt(LEDGER)} ledger rows, ` +
      `${CONCURRENCY} concurrent readers for ${DURATION_MS / 1000} s, ` +
      `${fmt(ORDERS)} orders/paid at ${ORDER_CONCURRENCY} workers`,
  );
  const kinds: Kind[] = [];
  if (DB_CHOICE === "all" || DB_CHOICE === "sqlite") kinds.push("sqlite");
  if (DB_CHOICE === "all" || DB_CHOICE === "postgresql") {
    if (await postgresReachable()) kinds.push("postgresql");
    else log(`  PostgreSQL not reachable at ${postgresAdminUrl}: skipped`);
  }

  const body = JSON.stringify({ total: 250, pending: 10, available: 240 });
  const { server, port } = await listen((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(body);
  });
  const ceilingRead = await drive(port, () => `/${memberId(Math.floor(Math.random() * MEMBERS))}`);
  server.close();
  const ceilingEarn = earningCeiling();
  log(
    `  bare Node ceiling: ${fmt(ceilingRead.perSecond)} req/s (p99 ${fmt(ceilingRead.p99, 2)} ms); ` +
      `HMAC + parse ${fmt(ceilingEarn)} deliveries/s`,
  );

  const figures: DbFigures[] = [];
  for (const kind of kinds) figures.push(await benchDatabase(kind));

  /** One line of a table: its cells, already padded, after two spaces. */
  const row = (...cells: string[]) => `  ${cells.join(" ")}`;
  log("\nBalance read (balanceOf over HTTP, loopback, random members)");
  log("  database     ledger rows    req/s     p50 ms   p99 ms   errors   of ceiling");
  log(
    row(
      "bare Node".padEnd(12),
      "—".padStart(11),
      fmt(ceilingRead.perSecond).padStart(8),
      fmt(ceilingRead.p50, 2).padStart(9),
      fmt(ceilingRead.p99, 2).padStart(8),
      String(ceilingRead.errors).padStart(8),
    ),
  );
  for (const f of figures) {
    for (const r of f.reads) {
      log(
        row(
          f.kind.padEnd(12),
          fmt(r.ledgerRows).padStart(11),
          fmt(r.result.perSecond).padStart(8),
          fmt(r.result.p50, 2).padStart(9),
          fmt(r.result.p99, 2).padStart(8),
          String(r.result.errors).padStart(8),
          `${fmt((100 * r.result.perSecond) / ceilingRead.perSecond, 0)}%`.padStart(12),
        ),
      );
    }
    const [a, b] = f.reads;
    const throughput = fmt((100 * (b.result.perSecond - a.result.perSecond)) / a.result.perSecond, 1);
    const p99 = fmt((100 * (b.result.p99 - a.result.p99)) / a.result.p99, 1);
    log(`  ${f.kind}: doubling the ledger changed throughput by ${throughput}% and p99 by ${p99}%; ${f.check}`);
  }
  log("\nPoints earned from orders/paid (signed delivery -> inbox -> job: mirror + loyalty)");
  log("  database     orders   intake/s   orders/s   points/s   of ceiling");
  for (const f of figures) {
    const e = f.earning;
    log(
      row(
        f.kind.padEnd(12),
        fmt(e.orders).padStart(6),
        fmt(e.intakePerS).padStart(10),
        fmt(e.ordersPerS, 1).padStart(10),
        fmt(e.pointsPerS).padStart(10),
        `${fmt((100 * e.ordersPerS) / ceilingEarn, 2)}%`.padStart(12),
      ),
    );
  }
  log(`  ceiling (HMAC + JSON.parse only): ${fmt(ceilingEarn)} deliveries/s`);
  log("\nGeneration of the data set (set-based SQL, one transaction per step, indexes rebuilt as migrated)");
  for (const f of figures) {
    const rows = f.steps.map((s) => `${fmt(s.rows)} rows: ${describeStep(s.times)}`).join("; ");
    log(`  ${f.kind}: ${fmt(f.generateS, 1)} s in all (${rows})`);
  }
}

await main();
process.exit(0);
