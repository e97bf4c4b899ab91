/**
 * Needs attention as a list a merchant works through: problem shipments and orders not shipped in
 * time in one list, paged by keyset in the database (filters, search, both sorts), each row acted on
 * for real: "mark handled" is kept and takes the row off the list until a new problem begins;
 * "notify" puts the shipment email in the outbox, where the notification log shows it, once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { webhookRequest } from "../../../tests/helpers/webhooks";
import { fulfillmentEventPayload, fulfillmentPayload, orderPayload, SHOP } from "../../../tests/helpers/tracking";
import { directReaderFor, type Db } from "../../db.server";
import { processEvent } from "../../jobs/process-event.server";
import { notificationLogPage } from "../../models/outbox.server";
import { receiveWebhook } from "../../webhooks/receive.server";
import type { PageRequest } from "../../utils/paging.server";
import { readTrackingSettings } from "../../domain/tracking/settings";

import { markHandled, notifyShopperAbout } from "./attention.server";
import { attentionListPage, unfulfilledCutoff } from "./insights.server";

let t: TestDatabase;
const secret = process.env.SHOPIFY_API_SECRET!;
const HOUR = 3_600_000;
/** A fixed Wednesday noon in Toronto, so business days are predictable. */
const NOW = new Date("2026-03-11T16:00:00Z");
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const first = (size: number): PageRequest => ({ after: null, before: null, size });
const ALL = { kinds: [], search: "", sort: "oldest" } as const;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  for (const table of [
    "attentionHandled",
    "notification",
    "shipmentTracking",
    "fulfillmentEvent",
    "fulfillmentLine",
    "fulfillment",
    "lineItem",
    "order",
    "trackingSettings",
    "shop",
    "webhookEvent",
  ] as const) {
    await (t.db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await t.db.shop.create({
    data: { domain: SHOP, name: "Maple Goods", email: "help@maple.example", ianaTimezone: "America/Toronto" },
  });
});

async function deliver(topic: string, body: object) {
  const ids: string[] = [];
  const res = await receiveWebhook(webhookRequest(topic, body, { shop: SHOP }), {
    db: t.db,
    secret,
    onRecorded: (id) => ids.push(id),
  });
  expect(res.status).toBe(200);
  for (const id of ids) expect(await processEvent(t.db, id)).toBe("processed");
}

/** An order placed `hoursAgo`, with one line still to ship. */
const placed = (id: number, hoursAgo: number, email: string | null = "ada@example.com") =>
  deliver(
    "orders/create",
    orderPayload({
      id,
      name: `#${id}`,
      email,
      createdAt: ago(hoursAgo).toISOString(),
      lineItems: [{ id: id * 10 + 1, fulfillable: 1 }],
    }),
  );

/** An order shipped `shippedHoursAgo` whose carrier then reported a failed delivery `failedHoursAgo`. */
async function failed(id: number, shippedHoursAgo: number, failedHoursAgo: number) {
  await deliver(
    "orders/create",
    orderPayload({
      id,
      name: `#${id}`,
      email: "bo@example.com",
      createdAt: ago(shippedHoursAgo + 24).toISOString(),
      lineItems: [{ id: id * 10 + 1 }],
    }),
  );
  await deliver(
    "fulfillments/create",
    fulfillmentPayload({
      id: id + 8000,
      orderId: id,
      createdAt: ago(shippedHoursAgo).toISOString(),
      company: "UPS",
      numbers: [`1Z999AA10123456${id}`],
      lineItems: [{ id: id * 10 + 1 }],
    }),
  );
  await deliver(
    "fulfillment_events/create",
    fulfillmentEventPayload({
      id: id + 500,
      fulfillmentId: id + 8000,
      orderId: id,
      status: "failure",
      happenedAt: ago(failedHoursAgo).toISOString(),
    }),
  );
}

describe("Needs attention: one list, paged in the database", () => {
  it("finds the day before which orders are late by the rule, in the shop's calendar", () => {
    const settings = readTrackingSettings(undefined);
    expect(settings.delays.unfulfilledAfterBusinessDays).toBe(3);
    // Wed 11 March in Toronto: orders of Thu 5 March or before have had more than 3 business days
    // (Fri, Mon, Tue... fully passed); Fri 6 March's have had Mon, Tue only. The cut-off is the
    // start of Fri 6 March, 00:00 EST (05:00 UTC).
    expect(unfulfilledCutoff(settings, "America/Toronto", NOW)?.toISOString()).toBe("2026-03-06T05:00:00.000Z");
    const off = readTrackingSettings(JSON.stringify({ delays: { unfulfilledAfterBusinessDays: null } }));
    expect(unfulfilledCutoff(off, "America/Toronto", NOW)).toBeNull();
  });

  it("merges problem shipments and late orders, pages both ways, filters, searches and sorts", async () => {
    await placed(2001, 10 * 24); // late: placed 10 days ago
    await placed(2002, 8 * 24); // late
    await placed(2003, 24); // not late yet
    await failed(3001, 9 * 24, 9 * 24 - 5); // carrier failure 9 days ago (minus 5 h)
    await failed(3002, 50, 6);

    const expected = ["#2001", "#3001", "#2002", "#3002"];
    const one = await attentionListPage(t.db, SHOP, NOW, ALL, first(2));
    expect(one.rows.map((r) => r.orderName)).toEqual(["#2001", "#3001"]);
    expect(one.previous).toBeNull();
    const two = await attentionListPage(t.db, SHOP, NOW, ALL, { after: decode(one.next!), before: null, size: 2 });
    expect(two.rows.map((r) => r.orderName)).toEqual(["#2002", "#3002"]);
    expect(two.next).toBeNull();
    // Back from the second page gives the first again.
    const back = await attentionListPage(t.db, SHOP, NOW, ALL, { after: null, before: decode(two.previous!), size: 2 });
    expect(back.rows.map((r) => r.orderName)).toEqual(["#2001", "#3001"]);
    expect(back.previous).toBeNull();

    const all = await attentionListPage(t.db, SHOP, NOW, ALL, first(50));
    expect(all.rows.map((r) => r.orderName)).toEqual(expected);
    expect(all.counts).toEqual({ exception: 2, attempted_delivery: 0, delayed: 0, unfulfilled: 2 });
    const unfulfilled = all.rows.find((r) => r.orderName === "#2001")!;
    expect(unfulfilled).toMatchObject({ kind: "unfulfilled", reason: "unfulfilled_too_long", carrier: null });
    expect(unfulfilled.subjectId).toBe("gid://shopify/Order/2001");

    const newest = await attentionListPage(t.db, SHOP, NOW, { ...ALL, sort: "newest" }, first(50));
    expect(newest.rows.map((r) => r.orderName)).toEqual([...expected].reverse());
    const onlyLate = await attentionListPage(t.db, SHOP, NOW, { ...ALL, kinds: ["unfulfilled"] }, first(50));
    expect(onlyLate.rows.map((r) => r.orderName)).toEqual(["#2001", "#2002"]);
    const byName = await attentionListPage(t.db, SHOP, NOW, { ...ALL, search: "300" }, first(50));
    expect(byName.rows.map((r) => r.orderName)).toEqual(["#3001", "#3002"]);
    expect(byName.counts).toEqual({ exception: 2, attempted_delivery: 0, delayed: 0, unfulfilled: 0 });
    const byTracking = await attentionListPage(t.db, SHOP, NOW, { ...ALL, search: "1Z999AA101234563002" }, first(50));
    expect(byTracking.rows.map((r) => r.orderName)).toEqual(["#3002"]);
    // LIKE's wildcards in a search are plain characters.
    const wild = await attentionListPage(t.db, SHOP, NOW, { ...ALL, search: "%" }, first(50));
    expect(wild.rows).toEqual([]);
  });

  it("reads the same pages through Prisma's raw query (a transaction's client, no direct reader)", async () => {
    await placed(2001, 10 * 24);
    await placed(2002, 8 * 24);
    await failed(3001, 9 * 24, 9 * 24 - 5);
    await failed(3002, 50, 6);
    const direct = await attentionListPage(t.db, SHOP, NOW, ALL, first(2));
    // A transaction's client is another object than the one createDb made: it has no direct reader,
    // and the statement's placeholders must still be the database's own (SQLite read `$1` as a name).
    const read = (filter: Parameters<typeof attentionListPage>[3], page: PageRequest) =>
      t.db.$transaction((tx) => attentionListPage(tx as unknown as Db, SHOP, NOW, filter, page));
    const one = await read(ALL, first(2));
    expect(one).toEqual(direct);
    const two = await read(ALL, { after: decode(one.next!), before: null, size: 2 });
    expect(two.rows.map((r) => r.orderName)).toEqual(["#2002", "#3002"]);
    const searched = await read({ kinds: ["exception"], search: "#300", sort: "newest" }, first(50));
    expect(searched.rows.map((r) => r.orderName)).toEqual(["#3002", "#3001"]);
    expect(searched.counts).toEqual({ exception: 2, attempted_delivery: 0, delayed: 0, unfulfilled: 0 });
  });

  it("keeps 'handled' and shows the shipment again when a new problem begins", async () => {
    await placed(2001, 10 * 24);
    await failed(3001, 9 * 24, 9 * 24 - 5);
    const staff = "gid://shopify/StaffMember/1001";
    expect(await markHandled(t.db, SHOP, "gid://shopify/Order/2001", staff, { now: NOW })).toEqual({ ok: true });
    const fulfillment = (await attentionListPage(t.db, SHOP, NOW, ALL, first(50))).rows[0].subjectId;
    expect(await markHandled(t.db, SHOP, fulfillment, null, { now: NOW })).toEqual({ ok: true });
    expect((await attentionListPage(t.db, SHOP, NOW, ALL, first(50))).rows).toEqual([]);
    // Twice, or something not on the list: refused, nothing written.
    expect(await markHandled(t.db, SHOP, fulfillment, null, { now: NOW })).toEqual({ ok: false, problem: "gone" });
    expect(await markHandled(t.db, SHOP, "gid://shopify/Order/404", null, { now: NOW })).toEqual({
      ok: false,
      problem: "gone",
    });
    expect(await t.db.attentionHandled.count()).toBe(2);

    // A second failure later is a new problem only once the first one cleared; here the carrier
    // reports it in transit, then a failure again.
    for (const [n, status, hours] of [
      [1, "in_transit", 48],
      [2, "failure", 3],
    ] as const) {
      await deliver(
        "fulfillment_events/create",
        fulfillmentEventPayload({
          id: 9000 + n,
          fulfillmentId: 11001,
          orderId: 3001,
          status,
          happenedAt: ago(hours).toISOString(),
        }),
      );
    }
    const again = await attentionListPage(t.db, SHOP, NOW, ALL, first(50));
    expect(again.rows.map((r) => [r.orderName, r.since])).toEqual([["#3001", ago(3).toISOString()]]);
  });

  it("notifies the shopper through the outbox once, shown in the notification log", async () => {
    await placed(2001, 10 * 24);
    await failed(3001, 9 * 24, 9 * 24 - 5);
    await placed(2004, 10 * 24, null);
    expect(await notifyShopperAbout(t.db, SHOP, "gid://shopify/Order/2001", { secret, now: NOW })).toEqual({
      ok: true,
    });
    const shipment = (await attentionListPage(t.db, SHOP, NOW, { ...ALL, kinds: ["exception"] }, first(50))).rows[0];
    expect(await notifyShopperAbout(t.db, SHOP, shipment.subjectId, { secret, now: NOW })).toEqual({ ok: true });

    const log = await notificationLogPage(t.db, SHOP, { kind: "tracking" }, first(50));
    expect(log.rows.map((r) => [r.milestone, r.recipient]).sort()).toEqual([
      ["delayed", "ada@example.com"],
      ["exception", "bo@example.com"],
    ]);
    const email = await t.db.notification.findFirstOrThrow({ where: { subjectId: "gid://shopify/Order/2001" } });
    expect(email).toMatchObject({ orderShopifyId: "gid://shopify/Order/2001", status: "pending" });
    expect(email.bodyText).toContain("#2001");

    // Again: refused, with nothing sent twice; no address: refused.
    const twice = await notifyShopperAbout(t.db, SHOP, "gid://shopify/Order/2001", { secret, now: NOW });
    expect(twice).toMatchObject({ ok: false, problem: "already_notified" });
    expect(await notifyShopperAbout(t.db, SHOP, "gid://shopify/Order/2004", { secret, now: NOW })).toEqual({
      ok: false,
      problem: "no_email",
    });
    expect(await notifyShopperAbout(t.db, SHOP, "gid://shopify/Order/404", { secret, now: NOW })).toEqual({
      ok: false,
      problem: "gone",
    });
    expect(await t.db.notification.count({ where: { shop: SHOP } })).toBe(2);
  });
});

describe("Needs attention at a big shop's size", () => {
  it("reads a page and the counts without loading the rows of the list", async () => {
    // 3,000 orders left unfulfilled over the last 50 days and 3,000 problem shipments.
    const orders = Array.from({ length: 3000 }, (_, i) => ({
      id: `o${i}`,
      shop: SHOP,
      shopifyId: `gid://shopify/Order/${100000 + i}`,
      name: `#${100000 + i}`,
      currency: "USD",
      shopifyCreatedAt: ago(24 * 50 - i * 0.3),
      shopifyUpdatedAt: ago(1),
    }));
    for (let i = 0; i < orders.length; i += 30) await t.db.order.createMany({ data: orders.slice(i, i + 30) });
    const lines = orders.map((o) => ({
      orderId: o.id,
      shopifyId: `${o.shopifyId}/1`,
      title: "Mug",
      quantity: 1,
      priceMinor: 1000,
      fulfillableQuantity: 1,
    }));
    for (let i = 0; i < lines.length; i += 50) await t.db.lineItem.createMany({ data: lines.slice(i, i + 50) });
    const shipments = Array.from({ length: 3000 }, (_, i) => ({
      shop: SHOP,
      fulfillmentShopifyId: `gid://shopify/Fulfillment/${i}`,
      orderShopifyId: `gid://shopify/Order/${200000 + i}`,
      orderName: `#${200000 + i}`,
      stage: "in_transit",
      problem: i % 3 === 0 ? "exception" : "delayed",
      problemReason: i % 3 === 0 ? null : "no_carrier_scan",
      problemSince: ago(24 * 40 - i * 0.2),
    }));
    for (let i = 0; i < shipments.length; i += 30)
      await t.db.shipmentTracking.createMany({ data: shipments.slice(i, i + 30) });

    const { db: counted, largest } = countingRows(t.db);
    const started = performance.now();
    const page = await attentionListPage(counted, SHOP, NOW, ALL, first(50));
    const next = await attentionListPage(counted, SHOP, NOW, ALL, {
      after: decode(page.next!),
      before: null,
      size: 50,
    });
    const newest = await attentionListPage(counted, SHOP, NOW, { ...ALL, sort: "newest" }, first(50));
    const elapsed = performance.now() - started;
    expect(page.rows).toHaveLength(50);
    expect(next.rows).toHaveLength(50);
    expect(next.rows[0].since > page.rows[49].since).toBe(true);
    expect(newest.rows[0].orderName).toBe("#102999");
    expect(page.counts).toEqual({ exception: 1000, attempted_delivery: 0, delayed: 2000, unfulfilled: 3000 });
    // No statement brought more than a page and one row into the app.
    expect(largest()).toBeLessThanOrEqual(51);
    expect(elapsed).toBeLessThan(5000);
  }, 60_000);
});

/** A cursor's JSON, as the route reads it from ?after=. */
function decode(cursor: string) {
  const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
  return { at, id };
}

/**
 * Every raw read's row count watched (the direct reader SQLite's client keeps, or the client's own
 * raw query): the most rows any one statement returned.
 */
function countingRows(db: Db): { db: Db; largest: () => number } {
  let most = 0;
  const watch = <T>(result: T) => {
    if (Array.isArray(result)) most = Math.max(most, result.length);
    return result;
  };
  const reader = directReaderFor(db);
  if (reader) {
    const all = reader.all.bind(reader);
    vi.spyOn(reader, "all").mockImplementation(async (...args: Parameters<typeof all>) => watch(await all(...args)));
  }
  const raw = db.$queryRawUnsafe.bind(db);
  vi.spyOn(db, "$queryRawUnsafe").mockImplementation(((...args: Parameters<typeof raw>) =>
    raw(...args).then(watch)) as typeof raw);
  return { db, largest: () => most };
}
