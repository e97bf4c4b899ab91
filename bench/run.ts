// Webhook intake benchmark: `npm run bench` (see bench/README.md for options).
//
// Builds the app, then for SQLite (always) and PostgreSQL (when reachable) starts the production
// server (server.js, NODE_ENV=production) on a scratch database, plus a bare HMAC-only Node server
// (the ceiling), and drives both with signed orders/create deliveries at rising concurrency from a
// separate load-generator process. Prints throughput, latency, app/ceiling ratio, the time from the
// 200 to the order being in the mirror, and whether anything was lost; writes JSON to bench/results.
import { fork, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

import { ADMIN_API_VERSION } from "../app/shopify/api-version";

import { streamBench } from "./stream";
import {
  appNodeArgs,
  appTuning,
  children,
  killChildren,
  startServer,
  stopChild,
  threadClock,
  type ThreadClock,
} from "./processes";
import { createScratchDatabase, postgresAdminUrl, postgresReachable } from "./postgres-scratch";

const root = join(import.meta.dirname, "..");
const resultsDir = join(root, "bench/results");

// ---------------------------------------------------------------------------------------------
// Options: --db=sqlite|postgresql|all  --concurrency=1,8,32,64  --window=1  --rounds=5  --no-build
// (or BENCH_DB, BENCH_CONCURRENCY, BENCH_WINDOW, BENCH_ROUNDS, BENCH_NO_BUILD=1, BENCH_POSTGRES_URL)
function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (flag) return flag.slice(name.length + 3);
  return process.env[`BENCH_${name.toUpperCase()}`] ?? fallback;
}
const dbChoice = option("db", "all");
const concurrencies = option("concurrency", "1,8,32,64")
  .split(",")
  .map(Number)
  .filter((c) => Number.isInteger(c) && c > 0 && c <= 512);
/**
 * Each step alternates the ceiling and the app in windows of the same length, `rounds` times, and
 * compares their totals: both see the same machine, for the same time, from the same warm load
 * generator. Windows are short because every delivery the app accepts is an order the mirror must
 * then create (handlers are far slower than the intake): the app is left to work off each window's
 * backlog before the next window starts, so the ceiling never runs beside the app's catching up.
 * Five rounds: on a shared two-core machine one pair of windows can give 42% and the next 70% at the
 * same step, and three rounds left a step's total several points to chance (decision 0004, sixth round).
 */
const windowS = Math.min(Math.max(Number(option("window", "1")), 0.2), 30);
const rounds = Math.min(Math.max(Math.round(Number(option("rounds", "5"))), 1), 20);
const skipBuild = process.argv.includes("--no-build") || process.env.BENCH_NO_BUILD === "1";
/** intake (the closed-loop steps above), stream (bench/stream.ts: the mirror keeping up), or both. */
const parts = option("part", "intake,stream").split(",");
const streamRates = option("rates", "250,500,1000,1500,2000,3000")
  .split(",")
  .map(Number)
  .filter((r) => r > 0 && r <= 20_000);
const streamSeconds = Math.min(Math.max(Number(option("stream_seconds", "5")), 1), 60);
const streamWorkers = Math.min(Math.max(Math.round(Number(option("workers", "1"))), 1), 16);
/** After each app window, how long the app may take to work off its backlog before we call it lost. */
const DRAIN_LIMIT_MS = 90_000;

const TARGET = { ratio: 0.4, p99Ms: 100 };
const SECRET = `bench-secret-${randomBytes(8).toString("hex")}`;
const PAYLOAD_FILE = join(root, "tests/fixtures/webhooks", ADMIN_API_VERSION, "examples/orders__create.json");
const runId = new Date().toISOString().replace(/[:.]/g, "-");

interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  latency: { p50: number; p90: number; p99: number; mean: number; max: number };
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
  acks: [number, number][];
  /** Connections the load generator's pool had to open again during the window (closed while idle). */
  reconnects: number;
  /**
   * The first request on each of the step's new connections, sent all at once before the first
   * window and kept out of the window's figures (bench/load.mjs says why); null after the first.
   */
  opening: { requests: number; latency: { p50: number; p99: number; max: number } } | null;
}

interface Window {
  url: string;
  connections: number;
  seconds: number;
  shop: string;
  idPrefix: string;
  orderBase: number;
  recordAcks: boolean;
}

/** The load generator (bench/load.mjs), one process for a database's whole run. */
interface LoadGenerator {
  run(window: Window): Promise<LoadResult>;
  close(): void;
}

function startLoadGenerator(): Promise<LoadGenerator> {
  const config = JSON.stringify({ secret: SECRET, payloadFile: PAYLOAD_FILE, apiVersion: ADMIN_API_VERSION });
  const child = fork(join(root, "bench/load.mjs"), [config], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let next = 0;
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  child.on("message", (message: { id?: number; result?: LoadResult; error?: string }) => {
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(`load generator: ${message.error}`));
    else waiter.resolve(message.result!);
  });
  child.once("exit", (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
    pending.clear();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", () =>
      resolve({
        run(window) {
          const id = next++;
          return new Promise<LoadResult>((resolveRun, rejectRun) => {
            const timer = setTimeout(
              () => rejectRun(new Error("load generator did not answer")),
              (window.seconds + 60) * 1000,
            );
            pending.set(id, {
              resolve: (r) => {
                clearTimeout(timer);
                resolveRun(r);
              },
              reject: (e) => {
                clearTimeout(timer);
                rejectRun(e);
              },
            });
            child.send({ id, ...window });
          });
        },
        close() {
          child.kill("SIGTERM");
        },
      }),
    );
  });
}

/** Several windows against one server as one figure: totals, the worst p99, the median p50. */
function combine(windows: LoadResult[]): LoadResult {
  const requests = windows.reduce((n, w) => n + w.requests, 0);
  const durationS = windows.reduce((n, w) => n + w.durationS, 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const statuses: Record<string, number> = {};
  for (const w of windows)
    for (const [status, n] of Object.entries(w.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    connections: windows[0].connections,
    durationS,
    requests,
    rps: requests / durationS,
    latency: {
      p50: median(windows.map((w) => w.latency.p50)),
      p90: Math.max(...windows.map((w) => w.latency.p90)),
      p99: Math.max(...windows.map((w) => w.latency.p99)),
      mean: windows.reduce((n, w) => n + w.latency.mean * w.requests, 0) / Math.max(1, requests),
      max: Math.max(...windows.map((w) => w.latency.max)),
    },
    statuses,
    errors: windows.reduce((n, w) => n + w.errors, 0),
    timeouts: windows.reduce((n, w) => n + w.timeouts, 0),
    non2xx: windows.reduce((n, w) => n + w.non2xx, 0),
    acks: windows.flatMap((w) => w.acks),
    reconnects: windows.reduce((n, w) => n + w.reconnects, 0),
    opening: windows.find((w) => w.opening)?.opening ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Scratch databases

interface Inspector {
  backlog(): Promise<number>;
  inbox(shop: string): Promise<{ webhookId: string; status: string; processedAt: number | null }[]>;
  orders(shop: string): Promise<string[]>;
  /** Why events failed or were parked, most common first. */
  failures(): Promise<{ error: string; n: number }[]>;
  close(): Promise<void>;
}

interface Scratch {
  kind: "sqlite" | "postgresql";
  url: string;
  inspector(): Promise<Inspector>;
  drop(): Promise<void>;
}

/**
 * The SQL files `prisma migrate deploy` would apply, in order (as tests/helpers/db.ts does: the
 * schema engine's PostgreSQL introspection fails offline with engine "js").
 */
function migrationSql(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => readFileSync(join(root, dir, name, "migration.sql"), "utf8"));
}

/** Prisma writes DateTime to SQLite as text or epoch ms depending on the adapter; read either. */
const toMs = (v: unknown): number | null =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.getTime()
      : typeof v === "number"
        ? v
        : Date.parse(String(v));

function sqliteScratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), "aftercare-bench-"));
  const file = join(dir, "bench.sqlite");
  const url = `file:${file}`;
  // A new file in the default rollback-journal mode, as `prisma migrate deploy` leaves it: WAL and
  // the rest are the app's own doing (app/db.server.ts).
  const raw = new Database(file);
  for (const sql of migrationSql("prisma/migrations")) raw.exec(sql);
  raw.close();
  return {
    kind: "sqlite",
    url,
    async inspector() {
      const raw = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
      const backlog = raw.prepare(
        `SELECT COUNT(*) AS n FROM WebhookEvent WHERE status IN ('pending', 'processing', 'failed')`,
      );
      const inbox = raw.prepare(`SELECT webhookId, status, processedAt FROM WebhookEvent WHERE shop = ?`);
      const orders = raw.prepare(`SELECT shopifyId FROM "Order" WHERE shop = ?`);
      const failures = raw.prepare(
        `SELECT substr(lastError, 1, 200) AS error, COUNT(*) AS n FROM WebhookEvent ` +
          `WHERE status IN ('failed', 'parked') GROUP BY 1 ORDER BY 2 DESC LIMIT 5`,
      );
      return {
        async backlog() {
          return (backlog.get() as { n: number }).n;
        },
        async inbox(shop) {
          return (inbox.all(shop) as { webhookId: string; status: string; processedAt: unknown }[]).map((r) => ({
            ...r,
            processedAt: toMs(r.processedAt),
          }));
        },
        async orders(shop) {
          return (orders.all(shop) as { shopifyId: string }[]).map((r) => r.shopifyId);
        },
        async failures() {
          return failures.all() as { error: string; n: number }[];
        },
        async close() {
          raw.close();
        },
      };
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresScratch(): Promise<Scratch> {
  const scratchDb = await createScratchDatabase("aftercare_bench");
  const url = scratchDb.url;
  const drop = scratchDb.drop;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    for (const sql of migrationSql("prisma/postgres/migrations")) await client.query(sql);
  } catch (error) {
    await client.end().catch(() => {});
    await drop();
    throw error;
  }
  await client.end();
  return {
    kind: "postgresql",
    url,
    async inspector() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return {
        async backlog() {
          const r = await client.query(
            `SELECT COUNT(*)::int AS n FROM "WebhookEvent" WHERE status IN ('pending', 'processing', 'failed')`,
          );
          return r.rows[0].n;
        },
        async inbox(shop) {
          const r = await client.query(
            `SELECT "webhookId", status, "processedAt" FROM "WebhookEvent" WHERE shop = $1`,
            [shop],
          );
          return r.rows.map((row) => ({ ...row, processedAt: toMs(row.processedAt) }));
        },
        async orders(shop) {
          const r = await client.query(`SELECT "shopifyId" FROM "Order" WHERE shop = $1`, [shop]);
          return r.rows.map((row) => row.shopifyId);
        },
        async failures() {
          const r = await client.query(
            `SELECT left("lastError", 200) AS error, COUNT(*)::int AS n FROM "WebhookEvent" ` +
              `WHERE status IN ('failed', 'parked') GROUP BY 1 ORDER BY 2 DESC LIMIT 5`,
          );
          return r.rows;
        },
        async close() {
          await client.end();
        },
      };
    },
    drop,
  };
}

// ---------------------------------------------------------------------------------------------
// Figures

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

interface StepReport {
  concurrency: number;
  warmup: boolean;
  ceiling: Omit<LoadResult, "acks">;
  app: Omit<LoadResult, "acks">;
  ratio: number;
  /** Each round's pair of windows: the spread says how steady the machine was. */
  rounds: { ceilingRps: number; appRps: number; ratio: number }[];
  /**
   * CPU per request during the step, in µs: the ceiling's main thread, the app's main thread (the
   * event loop that answers deliveries), how long that thread waited for a core while runnable,
   * and all the app's threads together (the job thread's work during the step included).
   */
  cpuUs: { ceilingMain: number; appMain: number; appMainWaited: number; appAll: number };
  /** From the client receiving 200 to the inbox row marked processed (the order committed before that). */
  mirrorLagMs: { p50: number; p99: number; max: number; samples: number };
  /** Orders mirrored per second: a window's orders over the time from its first 200 to the end of its backlog. */
  mirrorPerS: number;
  drainMs: number;
  /** Events still unprocessed when the drain limit ran out (0 = caught up). */
  backlogAtEnd: number;
  check: {
    acknowledged: number;
    inInbox: number;
    processed: number;
    mirrored: number;
    missingFromInbox: number;
    notMirrored: number;
    status5xx: number;
    failedOrParked: number;
  };
}

const strip = ({ acks: _acks, ...rest }: LoadResult) => rest;

/** The environment every server of the bench starts with. */
function benchEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "aftercare-bench-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://aftercare-bench.example.com",
    // Required in production; loopback's discard port, so no mail can leave the machine.
    SMTP_URL: "smtp://127.0.0.1:9",
    HOST: "127.0.0.1",
    PORT: "0",
  };
}

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

function streamTable(kind: string, result: Awaited<ReturnType<typeof streamBench>>) {
  console.log(`\n${kind}: stream, open loop (200→visible: from the sender's 200 to the change in the mirror)`);
  console.table(
    result.reports.map((r) => ({
      "offered/s": r.offered,
      "applied/s": Math.round(r.appliedPerS),
      "p50 ms": Math.round(r.p50Ms),
      "p99 ms": Math.round(r.p99Ms),
      "effects done s": r.effectsDoneS === null ? "> 120" : r.effectsDoneS.toFixed(1),
      "CPU ms/event": r.cpuMsPerEvent.toFixed(2),
      lost: r.lost,
      doubled: r.doubled,
      load: r.load,
    })),
  );
  const held = result.reports.filter((r) => r.held).map((r) => r.offered);
  const best = held.length ? Math.max(...held) : 0;
  const bestApplied = Math.max(...result.reports.map((r) => r.appliedPerS));
  console.log(
    `  highest rate held (p99 < 2 s, nothing lost or doubled): ${best} events/s; ceiling (plain batched SQL, same ` +
      `kind of events, ${result.ceiling.events}): ${Math.round(result.ceiling.perS)} events/s at ` +
      `${result.ceiling.cpuMsPerEvent.toFixed(3)} ms CPU/event (load ${result.ceiling.load}); ` +
      `the app's best applied/s over it ` +
      `${((100 * bestApplied) / result.ceiling.perS).toFixed(1)}%`,
  );
}

async function benchDatabase(
  scratch: Scratch,
  logDir: string,
): Promise<{ steps: StepReport[]; serverErrors: string[]; failures: { error: string; n: number }[] }> {
  const common = benchEnv();
  const ceiling = await startServer(
    "ceiling",
    join(root, "bench/ceiling.mjs"),
    common,
    join(logDir, `${scratch.kind}-ceiling.log`),
  );
  const app = await startServer(
    "app",
    join(root, "server.js"),
    { ...common, ...appTuning(), DATABASE_URL: scratch.url, RUN_JOBS_IN_WEB: "true" },
    join(logDir, `${scratch.kind}-app.log`),
    appNodeArgs(),
  );
  const inspector = await scratch.inspector();
  const load = await startLoadGenerator();
  const steps: StepReport[] = [];
  let failures: { error: string; n: number }[] = [];
  try {
    const plan = [{ concurrency: 8, warmup: true }, ...concurrencies.map((c) => ({ concurrency: c, warmup: false }))];
    for (const [index, { concurrency, warmup }] of plan.entries()) {
      const label = warmup ? "warm-up" : `c${concurrency}`;
      const shop = `bench-${label}.myshopify.com`;
      const idPrefix = `bench-${runId}-${label}`;
      const orderBase = 1e12 + index * 1e8;
      process.stdout.write(`  ${scratch.kind} ${label}:`);
      const ceilingWindows: LoadResult[] = [];
      const appWindows: LoadResult[] = [];
      const roundReports: StepReport["rounds"] = [];
      const clocks = { ceilingMain: 0, appMain: 0, appMainWaited: 0, appAll: 0 };
      let drainMs = 0;
      let mirrorBusyMs = 0;
      let mirroredInRounds = 0;
      const clocked = async (
        pid: number | undefined,
        window: Window,
        onClock: (before: ThreadClock, after: ThreadClock) => void,
      ) => {
        const before = threadClock(pid);
        const result = await load.run(window);
        const after = threadClock(pid);
        if (before && after) onClock(before, after);
        return result;
      };
      const runCeiling = () =>
        clocked(
          ceiling.child.pid,
          {
            url: ceiling.url,
            connections: concurrency,
            seconds: windowS,
            shop: `ceiling-${label}.myshopify.com`,
            idPrefix: `ceiling-${runId}-${label}`,
            orderBase,
            recordAcks: false,
          },
          (before, after) => (clocks.ceilingMain += after.mainCpuNs - before.mainCpuNs),
        );
      const runApp = () =>
        clocked(
          app.child.pid,
          { url: app.url, connections: concurrency, seconds: windowS, shop, idPrefix, orderBase, recordAcks: true },
          (before, after) => {
            clocks.appMain += after.mainCpuNs - before.mainCpuNs;
            clocks.appMainWaited += after.mainWaitNs - before.mainWaitNs;
            clocks.appAll += after.allCpuNs - before.allCpuNs;
          },
        );
      // Let the app work off what a window gave it (bounded) before anything else runs.
      const drain = async (window: LoadResult) => {
        const drainStart = Date.now();
        while (Date.now() - drainStart < DRAIN_LIMIT_MS && (await inspector.backlog()) > 0) {
          await new Promise((r) => setTimeout(r, 100));
        }
        drainMs += Date.now() - drainStart;
        if (window.acks.length > 0) {
          mirrorBusyMs += Date.now() - Math.min(...window.acks.map(([, at]) => at));
          mirroredInRounds += window.acks.length;
        }
      };
      for (let round = 0; round < (warmup ? 1 : rounds); round++) {
        // The order alternates, so neither side always goes first; the ceiling never runs while
        // the app is still catching up on a window.
        let ceilingWindow: LoadResult;
        let appWindow: LoadResult;
        if (round % 2 === 0) {
          ceilingWindow = await runCeiling();
          appWindow = await runApp();
          await drain(appWindow);
        } else {
          appWindow = await runApp();
          await drain(appWindow);
          ceilingWindow = await runCeiling();
        }
        ceilingWindows.push(ceilingWindow);
        appWindows.push(appWindow);
        roundReports.push({
          ceilingRps: ceilingWindow.rps,
          appRps: appWindow.rps,
          ratio: appWindow.rps / ceilingWindow.rps,
        });
        process.stdout.write(` ${ceilingWindow.rps.toFixed(0)}/${appWindow.rps.toFixed(0)}`);
      }
      const ceilingResult = combine(ceilingWindows);
      const appResult = combine(appWindows);
      const perRequest = (ns: number, requests: number) => (requests > 0 ? ns / 1000 / requests : NaN);
      const backlogAtEnd = await inspector.backlog();
      const rows = await inspector.inbox(shop);
      const byId = new Map(rows.map((r) => [r.webhookId, r]));
      const orders = new Set(await inspector.orders(shop));
      const lags: number[] = [];
      let missingFromInbox = 0;
      let notMirrored = 0;
      let processed = 0;
      for (const [seq, at] of appResult.acks) {
        const row = byId.get(`${idPrefix}-${seq}`);
        if (!row) {
          missingFromInbox++;
          continue;
        }
        if (row.status === "processed") processed++;
        if (row.processedAt !== null) lags.push(Math.max(0, row.processedAt - at));
        if (!orders.has(`gid://shopify/Order/${1e12 + index * 1e8 + seq}`)) notMirrored++;
      }
      lags.sort((a, b) => a - b);
      // Orders the mirror took in per second: each window's orders over its first 200 to its drained backlog.
      const mirrorPerS = mirroredInRounds / Math.max(0.001, mirrorBusyMs / 1000);
      const status5xx = Object.entries(appResult.statuses)
        .filter(([s]) => Number(s) >= 500)
        .reduce((n, [, c]) => n + c, 0);
      const step: StepReport = {
        concurrency,
        warmup,
        ceiling: strip(ceilingResult),
        app: strip(appResult),
        ratio: appResult.rps / ceilingResult.rps,
        rounds: roundReports,
        cpuUs: {
          ceilingMain: perRequest(clocks.ceilingMain, ceilingResult.requests),
          appMain: perRequest(clocks.appMain, appResult.requests),
          appMainWaited: perRequest(clocks.appMainWaited, appResult.requests),
          appAll: perRequest(clocks.appAll, appResult.requests),
        },
        mirrorLagMs: {
          p50: percentile(lags, 50),
          p99: percentile(lags, 99),
          max: lags.at(-1) ?? NaN,
          samples: lags.length,
        },
        mirrorPerS,
        drainMs,
        backlogAtEnd,
        check: {
          acknowledged: appResult.acks.length,
          inInbox: appResult.acks.length - missingFromInbox,
          processed,
          mirrored: appResult.acks.length - notMirrored,
          missingFromInbox,
          notMirrored,
          status5xx,
          failedOrParked: rows.filter((r) => r.status === "failed" || r.status === "parked").length,
        },
      };
      steps.push(step);
      process.stdout.write(` req/s (ceiling/app); drained in ${(drainMs / 1000).toFixed(1)} s\n`);
    }
    failures = await inspector.failures();
  } finally {
    load.close();
    await inspector.close();
    await stopChild(app.child);
    await stopChild(ceiling.child);
  }
  return { steps, serverErrors: app.errors, failures };
}

// ---------------------------------------------------------------------------------------------
// Output

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");

/** The lowest and highest of the rounds' ratios, as "38–45%". */
const spread = (ratios: number[]) =>
  ratios.length < 2 ? "-" : `${(Math.min(...ratios) * 100).toFixed(0)}–${(Math.max(...ratios) * 100).toFixed(0)}%`;

function table(kind: string, steps: StepReport[]) {
  const rows = steps.filter((s) => !s.warmup);
  const header = [
    "conc",
    "ceiling req/s",
    "p50 ms",
    "p99 ms",
    "app req/s",
    "p50 ms",
    "p99 ms",
    "app/ceil",
    "rounds",
    "µs/req: ceil",
    "app main",
    "waited",
    "app all",
    "opening max ms: ceil",
    "app",
    "200→mirror p50 ms",
    "p99 ms",
    "mirror/s",
    "acked",
    "inbox",
    "mirrored",
    "5xx",
  ];
  const body = rows.map((s) => [
    String(s.concurrency),
    f0(s.ceiling.rps),
    f1(s.ceiling.latency.p50),
    f1(s.ceiling.latency.p99),
    f0(s.app.rps),
    f1(s.app.latency.p50),
    f1(s.app.latency.p99),
    `${(s.ratio * 100).toFixed(0)}%`,
    spread(s.rounds.map((r) => r.ratio)),
    f0(s.cpuUs.ceilingMain),
    f0(s.cpuUs.appMain),
    f0(s.cpuUs.appMainWaited),
    f0(s.cpuUs.appAll),
    f1(s.ceiling.opening?.latency.max ?? NaN),
    f1(s.app.opening?.latency.max ?? NaN),
    f1(s.mirrorLagMs.p50),
    f1(s.mirrorLagMs.p99),
    f0(s.mirrorPerS),
    String(s.check.acknowledged),
    String(s.check.inInbox),
    String(s.check.mirrored),
    String(s.check.status5xx),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  console.log(`\n${kind}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) console.log(line(r));
}

function verdict(kind: string, steps: StepReport[], serverErrors: string[]) {
  const measured = steps.filter((s) => !s.warmup);
  const lost = steps.reduce((n, s) => n + s.check.missingFromInbox, 0);
  const notMirrored = steps.reduce((n, s) => n + s.check.notMirrored, 0);
  const failed = steps.reduce((n, s) => n + s.check.failedOrParked, 0);
  const errors5xx = steps.reduce((n, s) => n + s.check.status5xx, 0);
  const transport = steps.reduce((n, s) => n + s.app.errors + s.app.timeouts, 0);
  const behind = steps.reduce((n, s) => Math.max(n, s.backlogAtEnd), 0);
  const worstRatio = Math.min(...measured.map((s) => s.ratio));
  const worstP99 = Math.max(...measured.map((s) => s.app.latency.p99));
  const ok = {
    ratio: worstRatio >= TARGET.ratio,
    p99: worstP99 < TARGET.p99Ms,
    nothingLost: lost === 0 && notMirrored === 0 && failed === 0 && errors5xx === 0 && transport === 0 && behind === 0,
  };
  const met = ok.ratio && ok.p99 && ok.nothingLost;
  const acked = steps.reduce((n, s) => n + s.check.acknowledged, 0);
  console.log(
    `${kind} verdict: ${met ? "TARGET MET" : "TARGET MISSED"} — worst app/ceiling ${(worstRatio * 100).toFixed(0)}% ` +
      `(target >= ${TARGET.ratio * 100}%) ${ok.ratio ? "ok" : "MISSED"}; worst app p99 ${f1(worstP99)} ms ` +
      `(target < ${TARGET.p99Ms} ms) ${ok.p99 ? "ok" : "MISSED"}; nothing lost: ${ok.nothingLost ? "yes" : "NO"} ` +
      `(${acked} acknowledged, ${lost} not in the inbox, ${notMirrored} not mirrored, ${failed} failed, ` +
      `${errors5xx} 5xx, ` +
      `${transport} socket errors/timeouts` +
      `${behind ? `, ${behind} still unprocessed after ${DRAIN_LIMIT_MS / 1000} s` : ""})${
        serverErrors.length ? `; server wrote ${serverErrors.length} stderr lines` : ""
      }`,
  );
  const reconnects = measured.reduce((n, s) => n + s.app.reconnects + s.ceiling.reconnects, 0);
  if (reconnects > 0)
    console.log(`  ${reconnects} connection(s) had to be opened again during windows (closed while idle).`);
  return { ...ok, met, worstRatio, worstP99, lost, notMirrored, failed, errors5xx, transport, behind };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  const logDir = join(resultsDir, `logs-${runId}`);
  mkdirSync(logDir, { recursive: true });

  if (!skipBuild) {
    console.log("Building the app (npm run build) ...");
    const build = spawnSync("npm", ["run", "build"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 300_000,
    });
    if (build.status !== 0) throw new Error("npm run build failed");
  }

  const kinds: ("sqlite" | "postgresql")[] = [];
  if (dbChoice === "all" || dbChoice === "sqlite") kinds.push("sqlite");
  if (dbChoice === "all" || dbChoice === "postgresql") {
    if (await postgresReachable()) kinds.push("postgresql");
    else console.log(`PostgreSQL not reachable at ${postgresAdminUrl.replace(/:[^:@/]*@/, ":***@")}: skipped.`);
  }

  console.log(
    `Signed orders/create deliveries (${(readFileSync(PAYLOAD_FILE).length / 1024).toFixed(1)} kB, ` +
      `Shopify's example payload), closed loop on kept-open connections, ${rounds} rounds of a ${windowS} s window ` +
      `for the ceiling and one for the app per step, concurrency ${concurrencies.join(", ")}; ` +
      `Node ${process.version}.`,
  );
  const report: Record<string, unknown> & { streams?: Record<string, unknown> } = {
    runId,
    node: process.version,
    windowS,
    rounds,
    concurrencies,
    target: TARGET,
    databases: {},
  };
  const summaries: (() => void)[] = [];
  for (const kind of kinds) {
    if (!parts.includes("intake")) break;
    const scratch = kind === "sqlite" ? sqliteScratch() : await postgresScratch();
    try {
      const { steps, serverErrors, failures } = await benchDatabase(scratch, logDir);
      const label =
        kind === "sqlite" ? "SQLite (jobs in the web process)" : "PostgreSQL (pg-boss, RUN_JOBS_IN_WEB=true)";
      (report.databases as Record<string, unknown>)[kind] = {
        steps,
        serverErrors: serverErrors.slice(0, 50),
        failures,
      };
      summaries.push(() => {
        table(label, steps);
        const v = verdict(kind === "sqlite" ? "SQLite" : "PostgreSQL", steps, serverErrors);
        for (const f of failures) console.log(`  ${f.n} event(s) failed with: ${f.error}`);
        (report.databases as Record<string, Record<string, unknown>>)[kind].verdict = v;
      });
    } finally {
      await scratch.drop();
    }
  }
  for (const kind of parts.includes("stream") ? kinds : []) {
    const scratch = kind === "sqlite" ? sqliteScratch() : await postgresScratch();
    try {
      const processes =
        kind === "postgresql" ? `, one web process that only records and ${streamWorkers} worker(s)` : "";
      console.log(
        `\nStream (${kind}${processes}): ` +
          `open loop, ${streamSeconds} s per rate, rates ${streamRates.join(", ")} events/s; load ${loadNow()}`,
      );
      const result = await streamBench({
        kind,
        url: scratch.url,
        secret: SECRET,
        logDir,
        common: benchEnv(),
        rates: streamRates,
        seconds: streamSeconds,
        workers: streamWorkers,
      });
      (report.streams ??= {} as Record<string, unknown>)[kind] = result;
      summaries.push(() => streamTable(kind, result));
    } finally {
      await scratch.drop();
    }
  }
  for (const summary of summaries) summary();
  console.log(
    "\napp/ceil: app req/s over the bare HMAC-only server's at the same concurrency, each measured in the same " +
      "number of windows of the same length, alternating; rounds: the lowest and highest ratio of one pair of " +
      "windows. " +
      "p50: the median of the windows' p50; p99: the highest of their p99, on open connections. opening max: the " +
      "slowest first request of the step's new connections, all opened at once before its first window; - when " +
      "the step keeps the previous step's connections (same concurrency) (Node " +
      "accepts one connection per event-loop turn; decision 0015). µs/req: CPU per request of the " +
      "ceiling's and the app's main thread, how long the app's main thread waited for a core while it had work, and " +
      "the CPU of all the app's threads during its windows (the job thread included). 200→mirror: from the client " +
      "getting its 200 to the event's inbox row being marked processed (its order was committed before that); " +
      "mirror/s: a window's orders over the time from its first 200 to the end of its backlog.",
  );
  const file = join(resultsDir, `bench-${runId}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`Results: ${file} (server logs in ${logDir}); took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
  killChildren();
});
