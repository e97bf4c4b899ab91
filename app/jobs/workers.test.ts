import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../../tests/helpers/db";
import { orderEvents } from "../../bench/stream-events";
import { createDb, type Db } from "../db.server";
import { recordEvent } from "../models/webhook-inbox.server";
import { saveLoyaltySettings } from "../services/loyalty/settings.server";

import { pgBossRunner } from "./pg-boss-runner.server";
import type { JobRunner } from "./runner.server";

const SHOP = "two-workers.myshopify.com";
const ORDERS = 30;
/** orders/updated snapshots per order, each a second newer than the one before. */
const UPDATES = 12;

// Several worker processes share the queue on PostgreSQL only; SQLite runs its jobs in one process.
describe.skipIf(testDatabaseKind() !== "postgresql")("two workers on PostgreSQL", () => {
  let t: TestDatabase;
  const clients: Db[] = [];
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.shop.create({ data: { domain: SHOP, currencyCode: "USD" } });
    const saved = await saveLoyaltySettings(t.db, SHOP, { enabled: true, pointsPerUnit: 1, pendingDays: 0 });
    expect(saved.ok).toBe(true);
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await Promise.all(clients.map((c) => c.$disconnect()));
    await t?.drop();
  });

  it("share updates to the same orders: each order ends at its newest snapshot, each effect once", async () => {
    // A web process that only records, and two workers, each with its own connections as a process has.
    const web = pgBossRunner(t.db, { connectionString: t.url, work: false });
    for (let i = 0; i < 2; i++) {
      const db = createDb(t.url);
      clients.push(db);
      runners.push(pgBossRunner(db, { connectionString: t.url, work: true, batchSize: 25, sweepMs: 500 }));
    }
    runners.push(web);
    // All at once, as a deployment's processes start: their start-up work must not deadlock.
    await Promise.all(runners.map((r) => r.start()));

    const [template] = orderEvents(1, { base: 1 })[0].filter((e) => e.topic === "orders/paid");
    const deliveries: { topic: string; body: string; webhookId: string }[] = [];
    for (let u = 0; u < UPDATES; u++) {
      for (let o = 0; o < ORDERS; o++) {
        const body = JSON.parse(template.body);
        Object.assign(body, {
          id: 5_000 + o,
          admin_graphql_api_id: `gid://shopify/Order/${5_000 + o}`,
          name: `#${5_000 + o}`,
          test: false,
          financial_status: "paid",
          updated_at: new Date(Date.UTC(2026, 10, 27, 9, 0, u)).toISOString(),
          note: `snapshot ${u}`,
        });
        // Each order's paid event twice (Shopify may send it again): it earns once.
        const topic = u === 0 || u === UPDATES - 1 ? "orders/paid" : "orders/updated";
        deliveries.push({ topic, body: JSON.stringify(body), webhookId: `w-${o}-${u}` });
      }
    }
    for (const d of deliveries) {
      const id = await recordEvent(t.db, { shop: SHOP, topic: d.topic, webhookId: d.webhookId, payload: d.body });
      if (id) web.enqueue(id);
    }
    await runners[0].idle();

    const statuses = await t.db.webhookEvent.groupBy({ by: ["status"], _count: { _all: true } });
    expect(statuses.map((s) => [s.status, s._count._all])).toEqual([["processed", ORDERS * UPDATES]]);
    const orders = await t.db.order.findMany({ where: { shop: SHOP }, select: { shopifyUpdatedAt: true } });
    expect(orders).toHaveLength(ORDERS);
    const newest = new Date(Date.UTC(2026, 10, 27, 9, 0, UPDATES - 1)).getTime();
    for (const o of orders) expect(o.shopifyUpdatedAt.getTime()).toBe(newest);
    // Points for each paid order once, whichever worker ran which of its two orders/paid events.
    expect(await t.db.loyaltyOrder.count({ where: { shop: SHOP } })).toBe(ORDERS);
    const earned = await t.db.loyaltyLedgerEntry.groupBy({ by: ["sourceKey"], _count: { _all: true } });
    expect(earned.filter((e) => e.sourceKey.includes("order:")).length).toBe(ORDERS);
    expect(earned.every((e) => e._count._all === 1)).toBe(true);
  }, 120_000);
});
