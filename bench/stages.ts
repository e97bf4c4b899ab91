// CPU per event of the job runner's two stages (decision 0030), without HTTP: a shop's mixed stream
// (bench/stream-events.ts) recorded in the inbox of a scratch database, then applied as the
// in-process runner applies it: processEvents in batches of MIRROR_BATCH (the mirror), then
// runEffects in batches of 50 (points, tracking and its emails). Prints each stage's CPU per event
// of this process (for PostgreSQL the server's own CPU is not in it) and what the effects did.
//
//   npx tsx bench/stages.ts [--db=sqlite|postgresql] [--orders=400] [--loyalty=on|off] [--effects-batch=50]
//   npx tsx bench/stages.ts --sql-profile   (also the SQL statements the effects spent most time in, SQLite)
//   node --import tsx --cpu-prof --cpu-prof-dir=prof bench/stages.ts ...   (a CPU profile)
process.env.NODE_ENV ??= "development";
process.env.SHOPIFY_API_KEY ??= "bench-key";
process.env.SHOPIFY_API_SECRET ??= "bench-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:1";

const option = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const SHOP = "bench-stages.myshopify.com";

async function main() {
  const kind = option("db", "sqlite") === "postgresql" ? "postgresql" : "sqlite";
  const orders = Math.max(1, Number(option("orders", "400")));
  const loyalty = option("loyalty", "on") === "on";
  const effectsBatch = Math.max(1, Number(option("effects-batch", "50")));
  const sqlProfile = process.argv.includes("--sql-profile");
  const { createTestDatabase } = await import("../tests/helpers/db");
  const { recordEvent } = await import("../app/models/webhook-inbox.server");
  const { processEvents, runEffects } = await import("../app/jobs/process-event.server");
  const { MIRROR_BATCH } = await import("../app/jobs/runner.server");
  const { saveLoyaltySettings } = await import("../app/services/loyalty/settings.server");
  const { interleave, orderEvents } = await import("./stream-events");

  const scratch = await createTestDatabase(kind);
  const { db } = scratch;
  try {
    // The stream's events happened minutes ago, so its shipment emails are news (not history).
    const start = new Date(Date.now() - 10 * 60_000);
    if (loyalty) await saveLoyaltySettings(db, SHOP, { enabled: true, pointsPerUnit: 1, pendingDays: 14 });
    // Shopify's example order is a cancelled test order, which earns no points: these are real sales.
    const events = interleave(orderEvents(orders, { base: 20_000_000, start, idPrefix: "stages" }), 8).map((e) =>
      e.topic.startsWith("orders/")
        ? {
            ...e,
            body: JSON.stringify({ ...JSON.parse(e.body), test: false, cancelled_at: null, cancel_reason: null }),
          }
        : e,
    );
    const ids: string[] = [];
    for (const e of events) {
      const id = await recordEvent(db, {
        shop: SHOP,
        topic: e.topic,
        webhookId: e.webhookId,
        triggeredAt: new Date(e.triggeredAt),
        payload: e.body,
      });
      if (id) ids.push(id);
    }

    const effectsDue: string[] = [];
    let cpu = process.cpuUsage();
    let wall = performance.now();
    for (let at = 0; at < ids.length; at += MIRROR_BATCH) {
      const outcome = await processEvents(db, ids.slice(at, at + MIRROR_BATCH));
      effectsDue.push(...outcome.effectsDue);
    }
    const mirror = { cpu: process.cpuUsage(cpu), ms: performance.now() - wall };

    const { sqliteStatementCounts, profileSqliteStatements } = await import("../app/db.server");
    const countsBefore = { ...sqliteStatementCounts(db) };
    const timings = sqlProfile ? profileSqliteStatements(db) : undefined;
    cpu = process.cpuUsage();
    wall = performance.now();
    for (let at = 0; at < effectsDue.length; at += effectsBatch) {
      await runEffects(db, effectsDue.slice(at, at + effectsBatch));
    }
    const effects = { cpu: process.cpuUsage(cpu), ms: performance.now() - wall };
    // Counted, so a change can be judged on a busy machine where CPU times wander (SQLite only).
    const countsAfter = sqliteStatementCounts(db);
    const perEffect = (n: number | undefined, before: number | undefined) =>
      n === undefined ? undefined : Number(((n - (before ?? 0)) / Math.max(1, effectsDue.length)).toFixed(2));

    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    const statuses = await db.webhookEvent.groupBy({ by: ["status"], _count: { _all: true } });
    console.log(
      JSON.stringify({
        db: kind,
        orders,
        events: ids.length,
        loyalty,
        mirror: {
          cpuMsPerEvent: Number((ms(mirror.cpu) / ids.length).toFixed(3)),
          eventsPerS: Math.round(ids.length / (mirror.ms / 1000)),
        },
        effects: {
          batch: effectsBatch,
          events: effectsDue.length,
          cpuMsPerEvent: Number((ms(effects.cpu) / Math.max(1, effectsDue.length)).toFixed(3)),
          eventsPerS: Math.round(effectsDue.length / (effects.ms / 1000)),
          statementsPerEvent: perEffect(countsAfter?.statements, countsBefore.statements),
          transactionsPerEvent: perEffect(countsAfter?.transactions, countsBefore.transactions),
        },
        statuses: Object.fromEntries(statuses.map((s) => [s.status, s._count._all])),
        emails: await db.notification.count({ where: { shop: SHOP } }),
        trackingRows: await db.shipmentTracking.count({ where: { shop: SHOP } }),
        ledgerEntries: await db.loyaltyLedgerEntry.count({ where: { shop: SHOP } }),
      }),
    );
    if (timings) {
      const perEvent = (x: number) => Number((x / Math.max(1, effectsDue.length)).toFixed(3));
      const rows = [...timings].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
      for (const [sql, t] of rows)
        console.log(
          `${perEvent(t.ms).toFixed(3).padStart(7)} ms/event ${perEvent(t.runs).toFixed(2).padStart(6)} runs/event  ${sql.replace(/\s+/g, " ").slice(0, 160)}`,
        );
    }
  } finally {
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
