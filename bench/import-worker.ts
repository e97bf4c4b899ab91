// One measurement of the history import benchmark (bench/history-import.ts), in a process of its
// own so that its peak memory is the import's alone. Prints one line "result {json}".
//
//   import:  tsx bench/import-worker.ts --mode=import --database=<url> --shopify=<url> --since=<iso>
//            [--bulk-operation=<gid>]   (apply the file of that earlier bulk query instead of running one)
//   ceiling: tsx bench/import-worker.ts --mode=ceiling --file=<bulk result url>
//
// import: the app's history import of the orders created since --since, from the sandbox process
// at --shopify: an import row as a merchant's request makes one (the window's start given exactly),
// launched (Shopify runs the bulk query), waited for, then applied by advanceHistoryImport exactly
// as the bulk_operations/finish webhook runs it, reading the file over HTTP. Measured: Shopify's
// side (until the bulk query completed), the applying (orders/s), the RSS before applying and the
// process's peak RSS (the kernel's high-water mark, which the 20 ms samples cannot miss), the live
// heap once applied (after a full collection), CPU time, and when the first order was in the mirror.
// ceiling: reads the same file the same way (readline over the response body) and JSON-parses
// every line, writing nothing.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";

process.env.NODE_ENV ??= "development";
process.env.SHOPIFY_API_KEY ??= "bench-key";
process.env.SHOPIFY_API_SECRET ??= "bench-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:1";

const SHOP = "bench-import.myshopify.com";

function option(name: string): string {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!flag) throw new Error(`--${name}= is required`);
  return flag.slice(name.length + 3);
}

const mb = (bytes: number) => bytes / 1024 / 1024;
/** The kernel's record of this process's largest resident set (Linux: ru_maxrss in KB). */
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
/** The old-space limit this process was started with (--max-old-space-size), or null. */
const heapCap = () => {
  const flag = process.execArgv.find((a) => a.startsWith("--max-old-space-size="));
  return flag ? Number(flag.split("=")[1]) : null;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** ns the main thread ran, and ns it was runnable but waited for a core (Linux; zeros elsewhere). */
function schedstat(): [number, number] {
  try {
    const [cpu, wait] = readFileSync("/proc/thread-self/schedstat", "utf8").trim().split(/\s+/).map(Number);
    return [cpu, wait];
  } catch {
    return [0, 0];
  }
}

/** Samples the memory every 20 ms until stopped; returns the sample with the highest RSS. */
function rssSampler() {
  let peak = process.memoryUsage();
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  }, 20);
  return () => {
    clearInterval(timer);
    const now = process.memoryUsage();
    return now.rss > peak.rss ? now : peak;
  };
}

async function ceiling(url: string) {
  const rssBefore = process.memoryUsage.rss();
  const stop = rssSampler();
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`The bulk file answered ${response.status}`);
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
  const sampled = stop();
  return {
    orders,
    lines: count,
    seconds,
    perSecond: orders / seconds,
    rssBeforeMb: mb(rssBefore),
    rssPeakSampledMb: mb(sampled.rss),
    rssPeakMb: peakRssMb(),
  };
}

async function importOrders(databaseUrl: string, shopify: string, since: Date, reuse: string | null) {
  const { createDb } = await import("../app/db.server");
  const { adminClient } = await import("../app/shopify/admin.server");
  const { HistoryImportStatus } = await import("../app/shopify/operations/history-import");
  const { claimQueuedImport, createImport, findImport, updateImport } =
    await import("../app/models/history-import.server");
  const { advanceHistoryImport, launchHistoryImport } = await import("../app/services/history-import/import.server");
  const db = createDb(databaseUrl);
  try {
    const graphql = (query: string, options?: { variables?: Record<string, unknown> }) =>
      fetch(`${shopify}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables: options?.variables }),
      });
    const deps = { db, graphql };
    const row = await createImport(db, SHOP, {
      trigger: "merchant",
      windowDays: Math.max(1, Math.ceil((Date.now() - since.getTime()) / 86_400_000)),
      since,
      earnPoints: false,
      startedAt: new Date(),
    });
    let started = performance.now();
    if (reuse) {
      // The bulk query of an earlier run, still known to Shopify with its file: the import is left
      // as launchHistoryImport leaves it, and applies that file.
      if (!(await claimQueuedImport(db, SHOP, row.id))) throw new Error("The import could not be taken");
      await updateImport(db, SHOP, row.id, { bulkOperationId: reuse });
    } else {
      const launched = await launchHistoryImport(deps, SHOP, row.id);
      if (launched !== "running") {
        throw new Error(`The import did not start: ${(await findImport(db, SHOP, row.id))?.error}`);
      }
    }
    const { bulkOperationId } = (await findImport(db, SHOP, row.id))!;
    // Shopify's side: the bulk query runs in the sandbox's process until its file is written.
    for (;;) {
      const { bulkOperation } = await adminClient(graphql).request(HistoryImportStatus, { id: bulkOperationId! });
      if (bulkOperation && bulkOperation.status !== "CREATED" && bulkOperation.status !== "RUNNING") break;
      await sleep(100);
    }
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
    const stop = rssSampler();
    const cpuBefore = process.cpuUsage();
    const [mainBefore, waitBefore] = schedstat();
    const status = await advanceHistoryImport(deps, SHOP, row.id);
    const applyS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const [mainAfter, waitAfter] = schedstat();
    const sampled = stop();
    clearInterval(watcher);
    const done = (await findImport(db, SHOP, row.id))!;
    if (status !== "completed") throw new Error(`The import ended ${status}: ${done.error}`);
    const mirrored = await db.order.count({ where: { shop: SHOP } });
    global.gc?.();
    return {
      bulkQueryS,
      applyS,
      ordersImported: done.ordersImported,
      mirrored,
      perSecond: done.ordersImported / applyS,
      firstOrderS,
      resultUrl: done.resultUrl,
      bulkOperationId,
      heapCapMb: heapCap(),
      rssBeforeMb: mb(rssBefore),
      rssPeakSampledMb: mb(sampled.rss),
      rssPeakMb: peakRssMb(),
      // At the highest RSS sample: what V8 had reserved for its heap, what of it was in use (live or
      // not collected yet), and memory outside the heap (buffers, the drivers').
      atPeak: {
        heapTotalMb: mb(sampled.heapTotal),
        heapUsedMb: mb(sampled.heapUsed),
        externalMb: mb(sampled.external),
      },
      heapAfterMb: mb(process.memoryUsage().heapUsed),
      cpuS: (cpu.user + cpu.system) / 1e6,
      mainThreadCpuS: (mainAfter - mainBefore) / 1e9,
      mainThreadWaitS: (waitAfter - waitBefore) / 1e9,
    };
  } finally {
    await db.$disconnect();
  }
}

const mode = option("mode");
const result =
  mode === "ceiling"
    ? await ceiling(option("file"))
    : await importOrders(
        option("database"),
        option("shopify"),
        new Date(option("since")),
        process.argv.find((a) => a.startsWith("--bulk-operation="))?.slice("--bulk-operation=".length) ?? null,
      );
console.log(`result ${JSON.stringify(result)}`);
process.exit(0);
