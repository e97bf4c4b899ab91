import { sqliteScratch, postgresScratch, orderName, orderEmail, SHOP } from "./gen";
const kind = process.argv[2] ?? "sqlite";
const n = Number(process.argv[3] ?? 100000);
const scratch = kind === "sqlite" ? sqliteScratch() : await postgresScratch();
const now = Date.now();
let t = Date.now();
await scratch.fill(n, now);
console.log("filled", (Date.now() - t) / 1000, "s", scratch.url);
process.env.DATABASE_URL = scratch.url;
process.env.SHOPIFY_API_SECRET ??= "x";
const { db } = await import("../../app/db.server");
const { lookupTracking } = await import("../../app/services/tracking/lookup.server");
const base = db();
const log: string[] = [];
const timed = base.$extends({
  query: {
    $allModels: {
      async $allOperations({ model, operation, args, query }) {
        const s = performance.now();
        const r = await query(args);
        log.push(`${(performance.now() - s).toFixed(2)}ms ${model}.${operation} ${JSON.stringify(args).slice(0, 160)}`);
        return r;
      },
    },
  },
}) as unknown as typeof base;
const lookup = async (i: number, d = timed) => {
  const params = new URLSearchParams({ order: orderName(i), email: orderEmail(i), locale: "en" });
  const s = performance.now();
  const a = await lookupTracking({ shop: SHOP, clientIp: `198.51.100.${i % 250}`, loggedInCustomerId: null, params }, { db: d, secret: "x" });
  return { ms: performance.now() - s, status: a.status };
};
for (let k = 0; k < 5; k++) await lookup(1 + ((k * 7717) % n));
log.length = 0;
const r = await lookup(4242);
console.log("one lookup", r, "\n" + log.join("\n"));
const times: number[] = [];
const agg = new Map<string, number[]>();
for (let k = 0; k < 400; k++) { log.length = 0; times.push((await lookup(1 + ((k * 48271) % n), process.env.PLAIN ? base : timed)).ms); for (const l of log) { const [ms, op] = l.split(" "); const a = agg.get(op) ?? []; a.push(parseFloat(ms)); agg.set(op, a); } }
for (const [op, a] of agg) { a.sort((x, y) => x - y); console.log(op.padEnd(32), "n", a.length, "mean", (a.reduce((x, y) => x + y, 0) / a.length).toFixed(2), "p99", a[Math.floor(a.length * 0.99)].toFixed(2), "max", a.at(-1)!.toFixed(2)); }
times.sort((a, b) => a - b);
console.log("400 lookups p50", times[200].toFixed(1), "p99", times[395].toFixed(1), "max", times[399].toFixed(1));
await base.$disconnect();
if (!process.env.KEEP) await scratch.drop();
