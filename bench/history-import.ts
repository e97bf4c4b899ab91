// History import benchmark:
//
//   npm run bench:import                                   # 10,000, 50,000 and 100,000 orders; SQLite and PostgreSQL
//   npm run bench:import -- --sizes=2000,10000 --db=sqlite
//   npm run bench:import -- --orders=100000                # one size
//   npm run bench:import -- --heap-cap=0                   # no second, heap-limited import per size
//
// 1. Shopify's side runs in a process of its own (bench/import-shopify.ts): a sandbox shop seeded
//    with as many orders as the largest size (two line items each, every order paid and shipped
//    with a tracking number; seeded while the app is not installed, so no webhook is built or
//    sent), answering the Admin API over HTTP and serving bulk results from their files.
// 2. For each database (SQLite always; PostgreSQL when it answers at BENCH_POSTGRES_URL, default
//    postgresql://postgres@127.0.0.1:5432/test) and each size, on a scratch database migrated like
//    production, the app's history import runs in a fresh process (bench/import-worker.ts) for the
//    newest `size` orders: the bulk query (Shopify's side, timed apart), then the file applied by
//    advanceHistoryImport as the finish webhook runs it, read over HTTP. Measured: orders applied
//    per second, the import process's RSS before applying and its peak (the kernel's high-water
//    mark), its live heap once done, CPU time, and the time until the first order is in the mirror.
// 3. The ceiling, in the same run and for the same file: a fresh process reading it the same way
//    (readline over the response body) and JSON-parsing every line, writing nothing. The import's
//    orders/s as a share of it says what the writes cost.
// Memory: the import process's peak RSS per size and the ratio of the largest size's peak to the
// smallest's. Node's default heap grows lazily with the garbage made (the live heap stays small), so
// each size is then imported a second time, into a new database from the same bulk file, with V8's
// heap limited to --heap-cap MB (default 96): the same limit at every size, so the import must
// finish holding the same memory whatever the file's length, and its peak RSS says what that is.
// Prints the figures and writes JSON to bench/results/.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

import pg from "pg";

import { children, stopChild } from "./processes";
import { postgresAdminUrl, postgresReachable } from "./postgres-scratch";

const root = join(import.meta.dirname, "..");

function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag ? flag.slice(name.length + 3) : fallback;
}
const clampSize = (n: number) => Math.min(Math.max(Math.floor(n) || 100, 100), 1_000_000);
const SIZES = [
  ...new Set(
    option("sizes", option("orders", "10000,50000,100000"))
      .split(",")
      .map((s) => clampSize(Number(s))),
  ),
].sort((a, b) => a - b);
const LARGEST = SIZES[SIZES.length - 1];
const DB_CHOICE = option("db", "all");
// Scratch databases are made by the tests' helper, which reads the server from here.
process.env.TEST_POSTGRES_URL = postgresAdminUrl;
process.env.NODE_ENV ??= "development";
const TARGET = 2000;
/** V8's old-space limit for the second import of each size (0: no second import). */
const HEAP_CAP_MB = Math.max(0, Math.floor(Number(option("heap-cap", "96"))) || 0);
const TSX = ["--import", "tsx"];

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (line: string) => console.log(line);

type Kind = "sqlite" | "postgresql";

interface ImportFigures {
  bulkQueryS: number;
  applyS: number;
  ordersImported: number;
  mirrored: number;
  perSecond: number;
  firstOrderS: number | null;
  resultUrl: string;
  bulkOperationId: string;
  heapCapMb: number | null;
  rssBeforeMb: number;
  rssPeakSampledMb: number;
  rssPeakMb: number;
  atPeak: { heapTotalMb: number; heapUsedMb: number; externalMb: number };
  heapAfterMb: number;
  cpuS: number;
  mainThreadCpuS: number;
  mainThreadWaitS: number;
}

interface CeilingFigures {
  orders: number;
  lines: number;
  seconds: number;
  perSecond: number;
  rssBeforeMb: number;
  rssPeakSampledMb: number;
  rssPeakMb: number;
}

/** Runs bench/import-worker.ts with `args` (and --expose-gc) and returns what it printed as its result. */
function runWorker<T>(args: string[], nodeArgs: string[] = []): Promise<T> {
  const child = spawn(process.execPath, [...TSX, "--expose-gc", ...nodeArgs, "bench/import-worker.ts", ...args], {
    cwd: root,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => errors.push(line));
  let result: T | undefined;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line.startsWith("result ")) result = JSON.parse(line.slice("result ".length)) as T;
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`bench/import-worker.ts ${args[0]} exited ${code}:\n${errors.slice(-30).join("\n")}`));
    });
  });
}

interface Row {
  kind: Kind;
  size: number;
  run: ImportFigures;
  /** The same import with the heap limited (null when --heap-cap=0). */
  capped: ImportFigures | null;
  ceiling: CeilingFigures;
  shareOfCeiling: number;
}

/** A scratch database migrated like production, for one worker; dropped afterwards. */
async function withScratch<T>(kind: Kind, work: (url: string) => Promise<T>): Promise<T> {
  const { createTestDatabase } = await import("../tests/helpers/db");
  const scratch = await createTestDatabase(kind);
  // Only the worker writes; this process's client stays closed until the database is dropped.
  await scratch.db.$disconnect();
  try {
    return await work(scratch.url);
  } finally {
    await scratch.drop();
  }
}

function checkImported(kind: Kind, size: number, run: ImportFigures) {
  if (run.mirrored !== size || run.ordersImported !== size) {
    throw new Error(`${kind}: ${run.mirrored} orders in the mirror (${run.ordersImported} imported), expected ${size}`);
  }
}

async function benchSize(kind: Kind, size: number, shopify: string, since: string): Promise<Row> {
  const importArgs = (url: string) => [
    "--mode=import",
    `--database=${url}`,
    `--shopify=${shopify}`,
    `--since=${since}`,
  ];
  const run = await withScratch(kind, (url) => runWorker<ImportFigures>(importArgs(url)));
  checkImported(kind, size, run);
  // Again into a new database from the same file, with V8's heap limited to HEAP_CAP_MB: the same
  // limit at every size, so the import must hold the same memory whatever the file's length.
  let capped: ImportFigures | null = null;
  if (HEAP_CAP_MB > 0) {
    capped = await withScratch(kind, (url) =>
      runWorker<ImportFigures>(
        [...importArgs(url), `--bulk-operation=${run.bulkOperationId}`],
        [`--max-old-space-size=${HEAP_CAP_MB}`],
      ),
    );
    checkImported(kind, size, capped);
  }
  const ceiling = await runWorker<CeilingFigures>(["--mode=ceiling", `--file=${run.resultUrl}`]);
  if (ceiling.orders !== size) throw new Error(`The ceiling read ${ceiling.orders} orders, expected ${size}`);
  return { kind, size, run, capped, ceiling, shareOfCeiling: run.perSecond / ceiling.perSecond };
}

function printRow(r: Row) {
  const { run, capped, ceiling } = r;
  log(
    `\n${r.kind}, ${fmt(r.size)} orders: Shopify's side (bulk query to JSONL) ${fmt(run.bulkQueryS, 1)} s; ` +
      `import ${fmt(run.applyS, 1)} s = ${fmt(run.perSecond)} orders/s ` +
      `(target ${fmt(TARGET)} on SQLite); first order in the mirror after ` +
      `${run.firstOrderS === null ? "?" : fmt(run.firstOrderS, 2)} s`,
  );
  const memory = (f: ImportFigures) =>
    `RSS ${fmt(f.rssBeforeMb)} MB before applying, peak ${fmt(f.rssPeakMb)} MB (kernel high-water mark; ` +
    `at the highest 20 ms sample V8's heap ${fmt(f.atPeak.heapTotalMb)} MB, ${fmt(f.atPeak.heapUsedMb)} MB of it ` +
    `in use or not collected yet), live heap once done ${fmt(f.heapAfterMb)} MB`;
  log(
    `  import process: ${memory(run)}; CPU ${fmt(run.cpuS, 1)} s (main thread ${fmt(run.mainThreadCpuS, 1)} s, ` +
      `waited for a core ${fmt(run.mainThreadWaitS, 1)} s)`,
  );
  if (capped) {
    log(
      `  again with V8's heap limited to ${fmt(HEAP_CAP_MB)} MB: ${fmt(capped.perSecond)} orders/s; ${memory(capped)}`,
    );
  }
  log(
    `  ceiling (read + JSON.parse the same JSONL, no writes): ${fmt(ceiling.perSecond)} orders/s, ` +
      `peak RSS ${fmt(ceiling.rssPeakMb)} MB; the import is ${fmt(r.shareOfCeiling * 100, 1)}% of it`,
  );
}

function printSummary(rows: Row[]) {
  const cap = HEAP_CAP_MB > 0 ? ` | heap ≤ ${HEAP_CAP_MB} MB: orders/s, peak RSS MB` : "";
  log(
    `\n| database | orders | import orders/s | ceiling orders/s | import/ceiling | peak RSS MB | first order s${cap} |`,
  );
  log(`| --- | ---: | ---: | ---: | ---: | ---: | ---:${cap ? " | ---:" : ""} |`);
  for (const r of rows) {
    const capped = r.capped ? ` | ${fmt(r.capped.perSecond)}, ${fmt(r.capped.rssPeakMb)}` : "";
    log(
      `| ${r.kind} | ${fmt(r.size)} | ${fmt(r.run.perSecond)} | ${fmt(r.ceiling.perSecond)} | ` +
        `${fmt(r.shareOfCeiling * 100, 1)}% | ${fmt(r.run.rssPeakMb)} | ` +
        `${r.run.firstOrderS === null ? "?" : fmt(r.run.firstOrderS, 2)}${capped} |`,
    );
  }
  for (const kind of new Set(rows.map((r) => r.kind))) {
    const mine = rows.filter((r) => r.kind === kind);
    if (mine.length < 2) continue;
    const [small, large] = [mine[0], mine[mine.length - 1]];
    const ratio = (pick: (r: Row) => number) =>
      `${fmt(pick(large))} MB at ${fmt(large.size)} orders against ${fmt(pick(small))} MB at ${fmt(small.size)}: ` +
      `ratio ${fmt(pick(large) / pick(small), 2)}`;
    const times = Number((large.size / small.size).toFixed(1));
    log(`${kind}, peak RSS of the import process for ${times}x the orders: ${ratio((r) => r.run.rssPeakMb)}`);
    if (small.capped && large.capped)
      log(`  with V8's heap limited to ${HEAP_CAP_MB} MB: ${ratio((r) => r.capped!.rssPeakMb)}`);
  }
}

/**
 * Starts bench/import-shopify.ts and waits for it to be seeded and listening (seeding 100,000
 * orders takes about a minute; at most 20 minutes are waited for).
 */
function startShopify(): Promise<{ url: string; child: ChildProcess; seeded: Seeded }> {
  const child = spawn(
    process.execPath,
    [...TSX, "bench/import-shopify.ts", `--orders=${LARGEST}`, `--sizes=${SIZES.join(",")}`],
    { cwd: root, env: process.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  child.once("exit", () => children.delete(child));
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => errors.push(line));
  let seeded: Seeded | undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("Shopify's process was not ready within 20 minutes"));
    }, 20 * 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Shopify's process exited (${code}) before listening:\n${errors.slice(-30).join("\n")}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("seeded ")) seeded = JSON.parse(line.slice("seeded ".length)) as Seeded;
      const match = /^listening on (http:\/\/\S+)/.exec(line);
      if (match && seeded) {
        clearTimeout(timer);
        resolve({ url: match[1], child, seeded });
      }
    });
  });
}

interface Seeded {
  seconds: number;
  /** Per size: the creation time of that many newest orders' oldest. */
  since: Record<string, string>;
}

async function main() {
  log(`History import benchmark: ${SIZES.map((n) => fmt(n)).join(", ")} orders`);
  const kinds: Kind[] = [];
  if (DB_CHOICE === "all" || DB_CHOICE === "sqlite") kinds.push("sqlite");
  if (DB_CHOICE === "all" || DB_CHOICE === "postgresql") {
    if (await postgresReachable()) kinds.push("postgresql");
    else log(`PostgreSQL does not answer at ${postgresAdminUrl}: skipped`);
  }
  const dir = join(root, "bench/results");
  mkdirSync(dir, { recursive: true });
  log(`Seeding ${fmt(LARGEST)} orders in Shopify's process`);
  const shopify = await startShopify();
  const rows: Row[] = [];
  try {
    const { seeded } = shopify;
    log(`Seeded ${fmt(LARGEST)} orders (2 line items, 1 shipment each) in ${fmt(seeded.seconds, 1)} s, no webhooks`);
    for (const kind of kinds) {
      for (const size of SIZES) {
        const row = await benchSize(kind, size, shopify.url, seeded.since[size]);
        rows.push(row);
        printRow(row);
      }
    }
  } finally {
    await stopChild(shopify.child);
  }
  printSummary(rows);
  const file = join(dir, `history-import-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ sizes: SIZES, rows }, null, 2));
  log(`\nWrote ${file}`);
}

await main();
