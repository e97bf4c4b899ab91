/**
 * The details phase on a bad day at Shopify: a dropped connection or a server error (5xx) while an
 * order's details are read pauses the phase, records the pause (tries in a row, the last failure)
 * and lets a later nudge try again once the wait is over; an order read ends the pause; five tries
 * in a row that fail end the import with a message for the merchant, and Retry finishes it. A
 * query Shopify rejects still fails the import at once. Shopify is the in-process sandbox, made to
 * fail with its failNext hook.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { detailsPauseOf, latestImport } from "../../models/history-import.server";

import { retryImport } from "./admin.server";
import {
  advanceHistoryImport,
  DETAILS_ATTEMPTS,
  ImportInterrupted,
  startHistoryImport,
  type HistoryImportDeps,
} from "./import.server";

const DETAIL = "ReconcileOrderDetail";
let t: TestDatabase;
let world: ReturnType<typeof testSandbox>;
let clock = Date.parse("2026-12-04T10:00:00Z");
/** Detail reads sent to Shopify, failed ones included. */
let reads = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  world = testSandbox();
  const { sandbox, mug, tee } = world;
  // Three orders shipped in two parts: the file cannot carry their shipments' lines, so each is read.
  for (let i = 0; i < 3; i++) {
    const order = sandbox.placeOrder({
      shop: TEST_SHOP,
      email: `d${i}@example.com`,
      lines: [
        { variantId: mug.variants[0].id, quantity: 1 },
        { variantId: tee.variants[0].id, quantity: 1 },
      ],
      paid: true,
    });
    const first = [{ lineItemId: order.lineItems[0].id, quantity: 1 }];
    sandbox.fulfil({ shop: TEST_SHOP, order, lines: first, trackingCompany: "UPS", trackingNumber: `1Z${i}A` });
    sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: `1Z${i}B` });
  }
});

afterAll(async () => {
  world.sandbox.close();
  await t.drop();
});

beforeEach(() => {
  clock += 86_400_000;
});

function deps(overrides: Partial<HistoryImportDeps> = {}): HistoryImportDeps {
  const graphql = world.sandbox.graphqlClient(TEST_SHOP);
  return {
    db: t.db,
    graphql: async (query, options) => {
      if (query.includes(`query ${DETAIL}`)) reads += 1;
      return graphql(query, options);
    },
    fetchResult: async (url) => world.sandbox.fetchBulkResult(url),
    admin: { sleep: async () => {} },
    now: () => new Date(clock),
    ...overrides,
  };
}

/** An import whose file is applied, stopped before its details phase reads anything. */
async function importUpToDetails(d = deps()) {
  const started = await startHistoryImport(d, TEST_SHOP, { trigger: "merchant", windowDays: 36500 });
  await world.sandbox.bulk.settle();
  await expect(advanceHistoryImport({ ...d, stopAfterDetails: 0 }, TEST_SHOP, started.id)).rejects.toThrow(
    ImportInterrupted,
  );
  // stopAfterDetails: 0 stops after the first order read: start from a fresh lease.
  clock += 3 * 60_000;
  return started.id;
}

const row = async () => (await latestImport(t.db, TEST_SHOP))!;

describe("the details phase when Shopify fails", () => {
  it("pauses on a dropped connection, waits, and goes on where it was", async () => {
    const id = await importUpToDetails();
    const before = await row();
    expect(before).toMatchObject({ status: "details", detailsTotal: 3, detailsDone: 1 });
    world.sandbox.failNext(TEST_SHOP, 1, "network", { operation: DETAIL });
    reads = 0;
    expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("details");
    const paused = await row();
    expect(paused).toMatchObject({ status: "details", detailsDone: 1, leaseUntil: new Date(clock + 30_000) });
    expect(detailsPauseOf(paused)).toMatchObject({
      attempts: 1,
      lastError: "the connection to Shopify failed",
      at: new Date(clock),
    });
    // Nobody tries again before the wait is over.
    clock += 20_000;
    expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("details");
    expect(reads).toBe(1);
    clock += 11_000;
    expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("completed");
    expect(reads).toBe(3);
    expect(await row()).toMatchObject({ status: "completed", detailsDone: 3, error: null, leaseUntil: null });
    const shipments = await t.db.fulfillment.findMany({ where: { shop: TEST_SHOP }, include: { lines: true } });
    expect(shipments).toHaveLength(6);
    expect(shipments.every((f) => f.lines.length > 0)).toBe(true);
  });

  it("counts failures in a row only: an order read ends the pause", async () => {
    const id = await importUpToDetails();
    world.sandbox.failNext(TEST_SHOP, 1, 502, { operation: DETAIL });
    expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("details");
    expect(detailsPauseOf(await row())).toMatchObject({ attempts: 1, lastError: "Shopify answered 502" });
    clock += 31_000;
    // One order read, then a restart: the pause is over.
    await expect(advanceHistoryImport(deps({ stopAfterDetails: 1 }), TEST_SHOP, id)).rejects.toThrow(ImportInterrupted);
    expect(await row()).toMatchObject({ status: "details", detailsDone: 2, error: null });
    clock += 3 * 60_000;
    world.sandbox.failNext(TEST_SHOP, 1, 504, { operation: DETAIL });
    expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("details");
    expect(detailsPauseOf(await row())).toMatchObject({ attempts: 1, lastError: "Shopify answered 504" });
    clock += 31_000;
    expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("completed");
  });

  it("fails after five tries in a row, waiting longer each time, with a message and Retry", async () => {
    const id = await importUpToDetails();
    world.sandbox.failNext(TEST_SHOP, DETAILS_ATTEMPTS, 503, { operation: DETAIL });
    const waits: number[] = [];
    for (let attempt = 1; attempt < DETAILS_ATTEMPTS; attempt++) {
      expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("details");
      const paused = await row();
      expect(detailsPauseOf(paused)).toMatchObject({ attempts: attempt, lastError: "Shopify answered 503" });
      waits.push(paused.leaseUntil!.getTime() - clock);
      clock = paused.leaseUntil!.getTime() + 1;
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(await advanceHistoryImport(deps(), TEST_SHOP, id)).toBe("failed");
    const failed = await row();
    expect(failed).toMatchObject({ status: "failed", leaseUntil: null });
    expect(failed.error).toBe(
      "Shopify did not answer while Aftercare read the shipments, refunds and returns of your past orders: " +
        "5 tries in a row failed over 8 minutes (the last: Shopify answered 503). The orders imported so far " +
        "are kept. Retry to finish the import.",
    );
    expect(await t.db.historyImportPendingOrder.count({ where: { importId: id } })).toBe(0);
    // Shopify is back: Retry imports again and finishes.
    expect(await retryImport(deps(), TEST_SHOP)).toMatchObject({ ok: true });
    await world.sandbox.bulk.settle();
    const retried = await row();
    expect(retried.id).not.toBe(id);
    expect(await advanceHistoryImport(deps(), TEST_SHOP, retried.id)).toBe("completed");
  });

  it("still fails at once on a query Shopify rejects", async () => {
    const rejecting = deps();
    const graphql = rejecting.graphql;
    rejecting.graphql = async (query, options) => {
      if (!query.includes(`query ${DETAIL}`)) return graphql(query, options);
      const body = {
        errors: [
          { message: "Field 'deliveryDate' doesn't exist on type 'Order'", extensions: { code: "undefinedField" } },
        ],
      };
      return new Response(JSON.stringify(body), { status: 200 });
    };
    const id = await importUpToDetails();
    expect(await advanceHistoryImport(rejecting, TEST_SHOP, id)).toBe("failed");
    expect((await row()).error).toContain("Field 'deliveryDate' doesn't exist on type 'Order'");
  });
});
