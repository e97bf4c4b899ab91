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
for (let k = 0; k < 200; k++) times.push((await lookup(1 + ((k * 48271) % n), base)).ms);
times.sort((a, b) => a - b);
console.log("200 lookups p50", times[100].toFixed(1), "p99", times[197].toFixed(1), "max", times[199].toFixed(1));
await base.$disconnect();
await scratch.drop();
