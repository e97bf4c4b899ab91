import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { interleave, orderEvents, type StreamEvent } from "../../bench/stream-events";
import type { Db } from "../db.server";
import { recordEvent } from "../models/webhook-inbox.server";
import { saveLoyaltySettings } from "../services/loyalty/settings.server";
import { listenerRuns, onWebhook, type WebhookContext } from "../webhooks/handlers.server";

import { processEvents, runEffects } from "./process-event.server";

// The effects stage collapses keyed listeners (an order's tracking refresh, its points taken back)
// to one run per key and batch, and reads a shop's settings once per batch (decision 0030). These
// tests hold it to what running every listener of every event gives.

const SHOPS = ["effects-a.myshopify.com", "effects-b.myshopify.com"];
/** The stream's first event; the effects run a day later, so shipment emails are news. */
const START = new Date("2026-11-27T09:00:00Z");
const clock = () => new Date("2026-11-28T09:00:00Z");

let perEvent: TestDatabase;
let collapsed: TestDatabase;

beforeAll(async () => {
  [perEvent, collapsed] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  for (const t of [perEvent, collapsed]) {
    for (const shop of SHOPS) {
      const saved = await saveLoyaltySettings(t.db, shop, { enabled: true, pointsPerUnit: 1, pendingDays: 14 });
      expect(saved.ok).toBe(true);
    }
  }
});
afterAll(async () => {
  await Promise.all([perEvent?.drop(), collapsed?.drop()]);
});

async function wipe(db: Db) {
  await db.notification.deleteMany();
  await db.shipmentTracking.deleteMany();
  await db.loyaltyLedgerEntry.deleteMany();
  await db.loyaltyOrder.deleteMany();
  await db.loyaltyMember.deleteMany();
  await db.webhookEvent.deleteMany();
  await db.fulfillmentEvent.deleteMany();
  await db.fulfillment.deleteMany();
  await db.refund.deleteMany();
  await db.lineItem.deleteMany();
  await db.order.deleteMany();
  await db.customer.deleteMany();
}

/** What the effects left, without the columns each database makes up (ids, write times), sorted. */
async function effects(db: Db) {
  const rows = (list: object[]) => list.map((row) => JSON.stringify(row)).sort();
  const members = await db.loyaltyMember.findMany({
    select: { id: true, shop: true, key: true, points: true, lifetimePoints: true, spend12mMinor: true, tierKey: true },
  });
  const keyOf = new Map(members.map((m) => [m.id, m.key]));
  return {
    emails: rows(
      await db.notification.findMany({
        select: {
          shop: true,
          kind: true,
          subjectId: true,
          milestone: true,
          status: true,
          recipient: true,
          subject: true,
          bodyText: true,
          lastError: true,
        },
      }),
    ),
    members: rows(members.map(({ id: _id, ...m }) => m)),
    ledger: rows(
      (
        await db.loyaltyLedgerEntry.findMany({
          select: {
            shop: true,
            memberId: true,
            sourceKey: true,
            kind: true,
            points: true,
            availableAt: true,
            orderShopifyId: true,
          },
        })
      ).map(({ memberId, ...e }) => ({ ...e, member: keyOf.get(memberId) })),
    ),
    loyaltyOrders: rows(
      (
        await db.loyaltyOrder.findMany({
          select: {
            shop: true,
            orderShopifyId: true,
            memberId: true,
            basisMinor: true,
            pointsEarned: true,
            pointsReversed: true,
            refundedMinor: true,
            cancelledAt: true,
            paidAt: true,
          },
        })
      ).map(({ memberId, ...o }) => ({ ...o, member: keyOf.get(memberId) })),
    ),
    tracking: rows((await db.shipmentTracking.findMany()).map(({ id: _id, createdAt: _c, updatedAt: _u, ...t }) => t)),
  };
}

async function record(db: Db, deliveries: { shop: string; event: StreamEvent; webhookId: string }[]) {
  const ids: string[] = [];
  for (const { shop, event, webhookId } of deliveries) {
    const id = await recordEvent(db, {
      shop,
      topic: event.topic,
      webhookId,
      triggeredAt: new Date(event.triggeredAt),
      payload: event.body,
    });
    if (id) ids.push(id);
  }
  // Due at the fixed clock's time, whatever today's date.
  await db.webhookEvent.updateMany({ data: { nextAttemptAt: START } });
  return ids;
}

/**
 * A stream of real sales (not test orders): some cancelled, some shipments delivered (a second
 * milestone, which supersedes the first's email), shuffled, some deliveries repeated, over two
 * shops; and a schedule: mirror batches of drawn sizes, each followed by effects in slices of drawn
 * sizes (the collapsed run) or one event at a time (every listener of every event).
 */
const streams = fc
  .record({
    orders: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    cancelled: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    delivered: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    shopOf: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 6, maxLength: 6 }),
    shuffle: fc.array(fc.nat(), { minLength: 48, maxLength: 48 }),
    repeats: fc.array(fc.nat({ max: 47 }), { maxLength: 8 }),
    mirrorBatches: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
    effectSlices: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
  })
  .map((p) => {
    const byOrder = orderEvents(p.orders, { base: 7_000_000 + p.seed * 10, start: START, idPrefix: `e${p.seed}` });
    const first = byOrder[0][0].orderId;
    const events = interleave(byOrder, 2).map((event) => {
      const n = event.orderId - first;
      const body = JSON.parse(event.body);
      if (event.topic.startsWith("orders/")) {
        body.test = false;
        if (!p.cancelled[n]) Object.assign(body, { cancelled_at: null, cancel_reason: null });
      }
      if (event.topic === "fulfillment_events/create" && p.delivered[n]) body.status = "delivered";
      return { ...event, body: JSON.stringify(body) };
    });
    const deliveries = events.map((event, i) => ({
      event,
      shop: SHOPS[p.shopOf[event.orderId - first]],
      webhookId: `${event.webhookId}-${i}`,
    }));
    for (const r of p.repeats) {
      const original = deliveries[r % deliveries.length];
      deliveries.push({ ...original, webhookId: `${original.webhookId}-again-${r}` });
    }
    const keyed = deliveries.map((d, i) => ({ d, key: p.shuffle[i % 48] }));
    keyed.sort((a, b) => a.key - b.key);
    return { deliveries: keyed.map((k) => k.d), mirrorBatches: p.mirrorBatches, effectSlices: p.effectSlices };
  });

/** Mirror batches as drawn; after each, the effects due so far, in slices or one at a time. */
async function run(db: Db, ids: string[], mirrorBatches: number[], slices: number[] | "one by one") {
  let at = 0;
  for (let i = 0; at < ids.length; i++) {
    const size = mirrorBatches[i % mirrorBatches.length];
    const outcome = await processEvents(db, ids.slice(at, at + size), clock);
    at += size;
    const due = outcome.effectsDue;
    let from = 0;
    for (let k = 0; from < due.length; k++) {
      const slice = slices === "one by one" ? 1 : slices[(i + k) % slices.length];
      await runEffects(db, due.slice(from, from + slice), clock);
      from += slice;
    }
  }
  const statuses = await db.webhookEvent.groupBy({
    by: ["status"],
    where: { id: { in: ids } },
    _count: { _all: true },
  });
  expect(statuses.map((s) => [s.status, s._count._all])).toEqual([["processed", ids.length]]);
}

describe("effects collapsed per key and batch", () => {
  it("leave the emails, points and tracking states that every listener of every event leaves", async () => {
    let sawEmails = 0;
    let sawReversals = 0;
    await fc.assert(
      fc.asyncProperty(streams, async ({ deliveries, mirrorBatches, effectSlices }) => {
        await Promise.all([wipe(perEvent.db), wipe(collapsed.db)]);
        await run(perEvent.db, await record(perEvent.db, deliveries), mirrorBatches, "one by one");
        await run(collapsed.db, await record(collapsed.db, deliveries), mirrorBatches, effectSlices);
        const want = await effects(perEvent.db);
        expect(await effects(collapsed.db)).toEqual(want);
        // Every shipment is mailed once per milestone (the unique key), an order earns once.
        expect(new Set(want.emails).size).toBe(want.emails.length);
        sawEmails += want.emails.length;
        sawReversals += want.ledger.filter((e) => e.includes("reverse_")).length;
      }),
      { numRuns: process.env.TEST_DATABASE === "postgresql" ? 8 : 15 },
    );
    // The streams did exercise what is compared.
    expect(sawEmails).toBeGreaterThan(0);
    expect(sawReversals).toBeGreaterThan(0);
  }, 300_000);

  it("a shipment created, scanned and delivered in one batch: one email, for its last milestone", async () => {
    await Promise.all([wipe(perEvent.db), wipe(collapsed.db)]);
    // One order, its shipment created, scanned in transit, then delivered, and the order updated:
    // all in one mirror batch and one effects batch.
    const [events] = orderEvents(1, { base: 6_500_000, start: START, idPrefix: "milestones" });
    const scan = events.find((e) => e.topic === "fulfillment_events/create")!;
    const delivered = {
      ...scan,
      webhookId: `${scan.webhookId}-delivered`,
      triggeredAt: new Date(new Date(scan.triggeredAt).getTime() + 3_600_000).toISOString(),
      body: JSON.stringify({
        ...JSON.parse(scan.body),
        id: 999_001,
        admin_graphql_api_id: "gid://shopify/FulfillmentEvent/999001",
        status: "delivered",
        happened_at: new Date(new Date(scan.triggeredAt).getTime() + 3_600_000).toISOString(),
      }),
    };
    const deliveries = [...events, delivered].map((event) => ({
      event: event.topic.startsWith("orders/")
        ? { ...event, body: JSON.stringify({ ...JSON.parse(event.body), test: false, cancelled_at: null }) }
        : event,
      shop: SHOPS[0],
      webhookId: event.webhookId,
    }));
    await run(perEvent.db, await record(perEvent.db, deliveries), [100], "one by one");
    await run(collapsed.db, await record(collapsed.db, deliveries), [100], [100]);
    const want = await effects(perEvent.db);
    expect(await effects(collapsed.db)).toEqual(want);
    const emails = await collapsed.db.notification.findMany({ orderBy: { createdAt: "asc" } });
    // The mirror already says delivered: "delivered" is the one email; nothing earlier is pending.
    expect(emails.filter((e) => e.status === "pending").map((e) => e.milestone)).toEqual(["delivered"]);
    expect(await collapsed.db.shipmentTracking.findMany({ select: { stage: true } })).toEqual([{ stage: "delivered" }]);
  }, 60_000);

  it("a cancelled shipment's tracking row goes; the order's other shipment keeps its own", async () => {
    await wipe(collapsed.db);
    const [events] = orderEvents(1, { base: 6_600_000, start: START, idPrefix: "cancel" });
    const created = events.find((e) => e.topic === "fulfillments/create")!;
    const second = {
      ...created,
      webhookId: `${created.webhookId}-second`,
      body: JSON.stringify({
        ...JSON.parse(created.body),
        id: 66_000_002,
        admin_graphql_api_id: "gid://shopify/Fulfillment/66000002",
      }),
    };
    const cancelled = {
      ...created,
      topic: "fulfillments/update",
      webhookId: `${created.webhookId}-cancelled`,
      triggeredAt: new Date(new Date(created.triggeredAt).getTime() + 60_000).toISOString(),
      body: JSON.stringify({
        ...JSON.parse(created.body),
        status: "cancelled",
        updated_at: new Date(new Date(created.triggeredAt).getTime() + 60_000).toISOString(),
      }),
    };
    const first = events.filter((e) => e.topic !== "fulfillment_events/create" && e.topic !== "orders/updated");
    const shipments = async () =>
      (await collapsed.db.shipmentTracking.findMany({ select: { fulfillmentShopifyId: true } }))
        .map((t) => t.fulfillmentShopifyId)
        .sort();
    const deliveries = (list: StreamEvent[]) =>
      list.map((event) => ({ event, shop: SHOPS[0], webhookId: event.webhookId }));
    await run(collapsed.db, await record(collapsed.db, deliveries([...first, second])), [100], [100]);
    expect(await shipments()).toEqual(["gid://shopify/Fulfillment/66000001", "gid://shopify/Fulfillment/66000002"]);
    const ids = await record(collapsed.db, deliveries([cancelled]));
    await run(collapsed.db, ids, [100], [100]);
    expect(await shipments()).toEqual(["gid://shopify/Fulfillment/66000002"]);
  }, 60_000);

  it("runs a keyed listener at its key's last event in the batch; a failed key read runs on its own", async () => {
    const ran: string[] = [];
    let failKeyOnce = true;
    onWebhook("test/keyed", {
      keyOf: ({ payload }) => {
        if (payload.key === "flaky" && failKeyOnce) {
          failKeyOnce = false;
          throw new Error("database busy");
        }
        return payload.key ?? null;
      },
      run: async ({ payload }, key) => {
        ran.push(`${key}@${payload.n}`);
      },
    });
    onWebhook("test/keyed", async ({ payload }) => {
      ran.push(`plain@${payload.n}`);
    });
    const ctx = (n: number, key?: string): WebhookContext => ({
      db: collapsed.db,
      shop: SHOPS[0],
      topic: "test/keyed",
      payload: { n, key },
      eventAt: START,
      now: clock(),
    });
    const runs = await listenerRuns([ctx(1, "a"), ctx(2, "b"), ctx(3, "a"), ctx(4), ctx(5, "flaky"), ctx(6, "b")]);
    for (const [i, list] of runs.entries()) {
      ran.push(`event ${i + 1}`);
      for (const r of list) await r();
    }
    expect(ran).toEqual([
      "event 1",
      "plain@1",
      "event 2",
      "plain@2",
      "event 3",
      "a@3",
      "plain@3",
      "event 4",
      "plain@4",
      "event 5",
      "flaky@5",
      "plain@5",
      "event 6",
      "b@6",
      "plain@6",
    ]);
  });

  it("a keyed run that fails fails its own event, which retries it; the batch's other events are done", async () => {
    await wipe(collapsed.db);
    let failing = true;
    onWebhook("test/failing", {
      keyOf: ({ payload }) => payload.key,
      run: async (_ctx, key) => {
        if (failing && key === "x") throw new Error("carrier lookup timed out");
      },
    });
    const ids: string[] = [];
    for (const [n, key] of ["x", "y", "x"].entries()) {
      const id = await recordEvent(collapsed.db, {
        shop: SHOPS[0],
        topic: "test/failing",
        webhookId: `failing-${n}`,
        payload: JSON.stringify({ key }),
      });
      ids.push(id!);
    }
    // As the mirror leaves them: effects due.
    await collapsed.db.webhookEvent.updateMany({
      data: { status: "mirrored", nextAttemptAt: START, receivedAt: START },
    });
    expect(await runEffects(collapsed.db, ids, clock)).toBe(3);
    const statusOf = async () =>
      (await collapsed.db.webhookEvent.findMany({ where: { id: { in: ids } } }))
        .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
        .map((e) => [e.status, e.lastError?.includes("carrier lookup timed out") ?? false, e.nextAttemptAt > clock()]);
    // "x" belongs to the last event with it, which fails and waits for its retry (mirrored again,
    // due later); the first event, whose "x" it was too, is done; "y" ran.
    expect(await statusOf()).toEqual([
      ["processed", false, false],
      ["processed", false, false],
      ["mirrored", true, true],
    ]);
    failing = false;
    const later = () => new Date(clock().getTime() + 86_400_000);
    expect(await runEffects(collapsed.db, ids, later)).toBe(1);
    expect((await statusOf()).map(([status]) => status)).toEqual(["processed", "processed", "processed"]);
  }, 30_000);
});
