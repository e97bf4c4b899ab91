/**
 * Pruning the event stream: delivered events older than the cut-off go, a few at a time and
 * oldest first; an event with a delivery still waiting or parked stays (the Sync page shows it),
 * and so does anything newer than the cut-off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { pruneDeliveredEvents, recordEvent } from "../../models/events.server";

const SHOP = "prune-shop.myshopify.com";
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

async function contactEvent(n: number, createdAt: Date) {
  await t.db.$transaction((tx) =>
    recordEvent(tx, {
      shop: SHOP,
      type: "contact.request_created",
      key: `request-${n}`,
      occurredAt: createdAt,
      data: { request: { id: `r${n}`, reference: `C-${n}`, topic: "other", channel: "form", email: null } },
    }),
  );
  // As if recorded then: the prune reads the row's own time.
  await t.db.appEvent.updateMany({ where: { shop: SHOP, key: `request-${n}` }, data: { createdAt } });
}

describe("pruning delivered events", () => {
  it("deletes old delivered events in batches and keeps waiting, parked and recent ones", async () => {
    const old = new Date("2026-01-01T00:00:00Z");
    for (let n = 1; n <= 7; n++) await contactEvent(n, new Date(old.getTime() + n * 60_000));
    await contactEvent(8, new Date("2026-06-01T00:00:00Z"));
    await t.db.eventDelivery.updateMany({ where: { shop: SHOP }, data: { status: "sent" } });
    // One old event still has a delivery parked, another one waiting to retry.
    const [parked, waiting] = await t.db.appEvent.findMany({
      where: { shop: SHOP, key: { in: ["request-2", "request-5"] } },
      orderBy: { key: "asc" },
    });
    await t.db.eventDelivery.updateMany({ where: { eventId: parked.id }, data: { status: "parked" } });
    await t.db.eventDelivery.updateMany({ where: { eventId: waiting.id }, data: { status: "retrying" } });

    const cutOff = new Date("2026-03-01T00:00:00Z");
    // At most 2 a batch and 2 batches a call: 4 go, the fifth waits for the next call.
    expect(await pruneDeliveredEvents(t.db, cutOff, { batch: 2, maxBatches: 2 })).toBe(4);
    expect(await pruneDeliveredEvents(t.db, cutOff, { batch: 2, maxBatches: 2 })).toBe(1);
    expect(await pruneDeliveredEvents(t.db, cutOff, { batch: 2, maxBatches: 2 })).toBe(0);
    const left = await t.db.appEvent.findMany({ where: { shop: SHOP }, orderBy: { key: "asc" } });
    expect(left.map((e) => e.key)).toEqual(["request-2", "request-5", "request-8"]);
    // Their deliveries went with them.
    expect(await t.db.eventDelivery.count({ where: { shop: SHOP } })).toBe(3 * (await deliveriesPerEvent()));
  });
});

async function deliveriesPerEvent() {
  const one = await t.db.appEvent.findFirstOrThrow({ where: { shop: SHOP }, include: { deliveries: true } });
  return one.deliveries.length;
}
