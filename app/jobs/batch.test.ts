import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { interleave, orderEvents, type StreamEvent } from "../../bench/stream-events";
import type { Db } from "../db.server";
import { recordEvent } from "../models/webhook-inbox.server";

import { processEvent, processEvents, runEffects } from "./process-event.server";

const SHOPS = ["batch-a.myshopify.com", "batch-b.myshopify.com"];
let oneByOne: TestDatabase;
let batched: TestDatabase;

beforeAll(async () => {
  [oneByOne, batched] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([oneByOne?.drop(), batched?.drop()]);
});

async function wipe(db: Db) {
  await db.notification.deleteMany();
  await db.webhookEvent.deleteMany();
  await db.fulfillmentEvent.deleteMany();
  await db.fulfillment.deleteMany();
  await db.refund.deleteMany();
  await db.lineItem.deleteMany();
  await db.order.deleteMany();
  await db.customer.deleteMany();
}

/** The mirror as rows without the columns each database makes up (ids, write times), sorted. */
async function mirror(db: Db) {
  const drop = <T extends object>(rows: T[], ...columns: string[]) =>
    rows
      .map((row) => {
        const copy = { ...row } as Record<string, unknown>;
        for (const c of ["id", "createdAt", "updatedAt", ...columns]) delete copy[c];
        return JSON.stringify(copy, Object.keys(copy).sort());
      })
      .sort();
  const orders = await db.order.findMany({ include: { lineItems: true } });
  const fulfillments = await db.fulfillment.findMany({ include: { lines: true } });
  const refunds = await db.refund.findMany({ include: { lines: true } });
  return {
    orders: drop(
      orders.map(({ lineItems, ...o }) => ({ ...o, lineItems: drop(lineItems, "orderId") })),
      "lineItems",
    ),
    fulfillments: drop(fulfillments.map(({ lines, ...f }) => ({ ...f, lines: drop(lines, "fulfillmentId") }))),
    scans: drop(await db.fulfillmentEvent.findMany()),
    refunds: drop(refunds.map(({ lines, ...r }) => ({ ...r, lines: drop(lines, "refundId") }))),
    customers: drop(await db.customer.findMany()),
  };
}

async function record(db: Db, events: { shop: string; event: StreamEvent; webhookId: string }[]) {
  const ids: string[] = [];
  for (const { shop, event, webhookId } of events) {
    const id = await recordEvent(db, {
      shop,
      topic: event.topic,
      webhookId,
      triggeredAt: new Date(event.triggeredAt),
      payload: event.body,
    });
    if (id) ids.push(id);
  }
  return ids;
}

/**
 * A stream: a few orders' events, shuffled (out of order), some delivered twice (as a repeat with a
 * new webhook id, which the inbox cannot tell apart), some orders' snapshots changed (a line item
 * removed, a scan moved before its shipment's update), across two shops.
 */
const streams = fc
  .record({
    orders: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    shuffle: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    repeats: fc.array(fc.nat({ max: 39 }), { maxLength: 8 }),
    dropLineItem: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    shopOf: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 5, maxLength: 5 }),
    batches: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 }),
  })
  .map((p) => {
    const byOrder = orderEvents(p.orders, { base: 9_000_000 + p.seed * 10, idPrefix: `s${p.seed}` });
    const events = interleave(byOrder, 2).map((event, i) => {
      if (!event.topic.startsWith("orders/") || !p.dropLineItem[i % 40]) return event;
      // An order edit: this snapshot lacks a line item the others have.
      const body = JSON.parse(event.body);
      body.line_items = body.line_items.slice(1);
      return { ...event, body: JSON.stringify(body) };
    });
    const withShop = events.map((event, i) => ({
      event,
      shop: SHOPS[p.shopOf[(event.orderId - byOrder[0][0].orderId) % 5]],
      webhookId: `${event.webhookId}-${i}`,
    }));
    for (const r of p.repeats) {
      const original = withShop[r % withShop.length];
      withShop.push({ ...original, webhookId: `${original.webhookId}-again-${r}` });
    }
    // Shuffle by the drawn keys (stable, so equal keys keep their order).
    const keyed = withShop.map((e, i) => ({ e, key: p.shuffle[i % 40] }));
    keyed.sort((a, b) => a.key - b.key);
    return { deliveries: keyed.map((k) => k.e), batches: p.batches };
  });

describe("the mirror applied in batches", () => {
  it("equals the mirror of one-by-one application, for shuffled, repeated and out-of-order streams", async () => {
    await fc.assert(
      fc.asyncProperty(streams, async ({ deliveries, batches }) => {
        await Promise.all([wipe(oneByOne.db), wipe(batched.db)]);
        const single = await record(oneByOne.db, deliveries);
        for (const id of single) expect(await processEvent(oneByOne.db, id)).toBe("processed");

        const ids = await record(batched.db, deliveries);
        let at = 0;
        for (let i = 0; at < ids.length; i++) {
          const size = batches[i % batches.length];
          const outcome = await processEvents(batched.db, ids.slice(at, at + size));
          expect(outcome.single).toBe(0);
          await runEffects(batched.db, outcome.effectsDue);
          at += size;
        }
        const statuses = await batched.db.webhookEvent.groupBy({ by: ["status"], _count: { _all: true } });
        expect(statuses.map((s) => [s.status, s._count._all])).toEqual([["processed", ids.length]]);
        expect(await mirror(batched.db)).toEqual(await mirror(oneByOne.db));
      }),
      { numRuns: process.env.TEST_DATABASE === "postgresql" ? 8 : 15 },
    );
  }, 240_000);

  it("applies each event once: a batch given the same ids twice, or ids already done, changes nothing", async () => {
    await wipe(batched.db);
    const deliveries = orderEvents(3, { base: 8_000_000 })
      .flat()
      .map((event) => ({ event, shop: SHOPS[0], webhookId: event.webhookId }));
    const ids = await record(batched.db, deliveries);
    const first = await processEvents(batched.db, [...ids, ...ids]);
    expect(first.mirrored).toBe(ids.length);
    const again = await processEvents(batched.db, ids);
    expect(again).toEqual({ mirrored: 0, effectsDue: [], single: 0 });
    expect(await runEffects(batched.db, first.effectsDue)).toBe(first.effectsDue.length);
    expect(await runEffects(batched.db, first.effectsDue)).toBe(0);
    expect(await batched.db.webhookEvent.count({ where: { status: "processed" } })).toBe(ids.length);
    expect(await batched.db.fulfillmentEvent.count()).toBe(3);
    expect(await batched.db.order.count()).toBe(3);
  });
});
