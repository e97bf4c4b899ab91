/**
 * The event stream end to end on the sandbox: a shop's story (a member signs up, orders, reaches
 * a tier, the parcels ship, arrive, run late or fail, returns go through every step, a reward is
 * redeemed, a shopper writes and answers a survey) through the real webhook inbox and the areas'
 * services, then the outbox to Shopify Flow's flowTriggerReceive. Every event type reaches Flow
 * exactly once however the webhooks are replayed or reordered, and a destination that fails is
 * retried with backoff and parked without holding back anything else.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import type { TestDatabase } from "../../../tests/helpers/db";
import { loyaltyShopDatabase } from "../../../tests/helpers/loyalty-shop";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { receiveWebhook } from "../../webhooks/receive.server";
import { processEvent } from "../../jobs/process-event.server";
import { adminClient } from "../../shopify/admin.server";
import { EVENT_TYPES } from "../../domain/events/catalog";
import { FLOW_TRIGGERS } from "../../domain/events/flow";
import { listEvents, retryDelivery, troubledDeliveries } from "../../models/events.server";
import { createReward } from "../loyalty/admin.server";
import { redeemReward } from "../loyalty/redemption.server";
import { receiveReturn, resolveReturn } from "../returns/workflow.server";
import { createRequest } from "../contact/requests.server";
import { answerSurvey, surveyToken } from "../contact/surveys.server";
import { syncCustomerMetafields } from "../loyalty/metafields.server";
import { runLoyaltyMaintenance } from "../loyalty/maintenance.server";

import { deliverDueEvents, EVENT_RETRY_DELAYS_MS } from "./deliver.server";
import { flowDestination } from "./flow.server";

const SHOP = TEST_SHOP;
const OTHER = "other-shop.myshopify.com";
const secret = process.env.SHOPIFY_API_SECRET!;
const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const d of opened) await d.drop();
});

type Sandbox = ReturnType<typeof testSandbox>;

/** A database with the shop, loyalty on with a Gold tier from $50 of spend. */
async function shopDatabase() {
  const t = await loyaltyShopDatabase({ signupBonus: 50, expiryDays: 365, expiryReminderDays: 14 });
  opened.push(t);
  return t;
}

/** A webhook sender that keeps what the sandbox sends, to deliver it later in any order. */
function holdInto(held: Request[]) {
  return async (request: Request) => {
    held.push(request.clone());
    return new Response("ok");
  };
}

/** Records a webhook in the inbox (as the route does) and returns its event ids. */
async function record(t: TestDatabase, request: Request): Promise<string[]> {
  const ids: string[] = [];
  const response = await receiveWebhook(request, { db: t.db, secret, onRecorded: (id) => ids.push(id) });
  expect(response.status).toBe(200);
  return ids;
}

/** The same delivery again under another webhook id: Shopify sending an event twice. */
async function replayed(r: Request) {
  const headers = new Headers(r.headers);
  headers.set("X-Shopify-Webhook-Id", `${headers.get("X-Shopify-Webhook-Id")}-again`);
  return new Request(r.url, { method: "POST", headers, body: await r.clone().text() });
}

/** Runs every recorded event until the inbox is done, an hour later each round so retries are due. */
async function drain(t: TestDatabase, ids: string[]) {
  const start = Date.now();
  for (let round = 0; round < 8; round++) {
    const at = new Date(start + round * 3_600_000);
    for (const id of ids) await processEvent(t.db, id, () => at);
    const open = await t.db.webhookEvent.count({ where: { id: { in: ids }, status: { notIn: ["processed"] } } });
    if (open === 0) return;
  }
  const stuck = await t.db.webhookEvent.findMany({ where: { id: { in: ids }, status: { not: "processed" } } });
  throw new Error(`inbox not drained: ${stuck.map((e) => `${e.topic} ${e.status} ${e.lastError}`).join("; ")}`);
}

/** A seeded shuffle, so a failing order can be run again. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The webhooks of the story, held rather than delivered; then what the app does itself. */
function webhookStory(world: Sandbox) {
  const { sandbox, mug, tee, candle } = world;
  const lin = sandbox.createCustomer({ shop: SHOP, email: "lin@example.com", firstName: "Lin", state: "ENABLED" });
  const first = sandbox.placeOrder({
    shop: SHOP,
    customer: lin.id,
    lines: [
      { variantId: mug.variants[0].id, quantity: 2 },
      { variantId: tee.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  const parcel = sandbox.fulfil({ shop: SHOP, order: first.id, trackingCompany: "UPS", trackingNumber: "1Z999" });
  sandbox.carrierScan({ shop: SHOP, fulfillment: parcel.id, status: "out_for_delivery" });
  sandbox.carrierScan({ shop: SHOP, fulfillment: parcel.id, status: "delivered" });
  const second = sandbox.placeOrder({
    shop: SHOP,
    customer: lin.id,
    lines: [{ variantId: candle.variants[0].id, quantity: 1 }],
    paid: true,
  });
  const late = sandbox.fulfil({ shop: SHOP, order: second.id, trackingCompany: "UPS", trackingNumber: "1Z777" });
  sandbox.delay({ shop: SHOP, fulfillment: late.id, message: "Weather delay" });
  const third = sandbox.placeOrder({
    shop: SHOP,
    customer: lin.id,
    lines: [{ variantId: candle.variants[0].id, quantity: 1 }],
    paid: true,
  });
  const failed = sandbox.fulfil({ shop: SHOP, order: third.id, trackingCompany: "UPS", trackingNumber: "1Z555" });
  sandbox.carrierScan({ shop: SHOP, fulfillment: failed.id, status: "attempted_delivery", message: "Nobody home" });
  const kept = sandbox.requestReturn({
    shop: SHOP,
    order: first.id,
    lines: [{ lineItemId: first.lineItems[0].id, quantity: 1 }],
  });
  sandbox.approveReturn({ shop: SHOP, return: kept.id });
  const refused = sandbox.requestReturn({ shop: SHOP, order: third.id });
  sandbox.declineReturn({ shop: SHOP, return: refused.id, reason: "FINAL_SALE" });
  return { lin, keptReturn: kept };
}

/** What the app does itself after the webhooks: a return received and resolved, a reward, a message, a survey. */
async function appStory(t: TestDatabase, world: Sandbox, lin: { id: number }, keptReturnGid: string) {
  const admin = adminClient(world.sandbox.graphqlClient(SHOP));
  const now = new Date();
  const ret = await t.db.returnCase.findFirstOrThrow({
    where: { shop: SHOP, shopifyReturnId: keptReturnGid },
    include: { lines: true },
  });
  const wf = { db: t.db, admin, secret, now };
  await receiveReturn(SHOP, ret.id, Object.fromEntries(ret.lines.map((l) => [l.id, "restock" as const])), wf);
  await resolveReturn(SHOP, ret.id, wf);
  const reward = await createReward(t.db, SHOP, {
    kind: "fixed_amount",
    title: "$5 off",
    pointsCost: 40,
    valueMinor: 500,
  });
  if (!reward.ok) throw new Error("reward");
  await redeemReward(
    { db: t.db, admin, now, shopCurrency: "USD" },
    { shop: SHOP, customerId: String(lin.id), rewardId: reward.reward.id },
  );
  const request = await createRequest(t.db, {
    shop: SHOP,
    message: {
      name: "Lin",
      email: "lin@example.com",
      orderName: null,
      topic: "other",
      message: "Do you ship to Busan?",
    },
    locale: "en",
    customerShopifyId: null,
    now,
  });
  const survey = await t.db.surveyResponse.create({
    data: { shop: SHOP, kind: "csat", subjectId: request.id, sentAt: now },
  });
  const token = surveyToken({ shop: SHOP, surveyId: survey.id, secret, now });
  expect(await answerSurvey({ db: t.db, secret, now }, SHOP, token, { score: "5", comment: "" })).toMatchObject({
    ok: true,
  });
  // The same answer again (a double click) is a change, not a second event.
  await answerSurvey({ db: t.db, secret, now }, SHOP, token, { score: "5", comment: "" });
  // Almost a year without activity: the points expire soon (announced once, however often it runs).
  const later = new Date(now.getTime() + 355 * 86_400_000);
  await runLoyaltyMaintenance(t.db, { now: later, secret });
  await runLoyaltyMaintenance(t.db, { now: later, secret });
  return later;
}

function flowOf(world: Sandbox) {
  return flowDestination(async () => world.sandbox.graphqlClient(SHOP));
}

/** Flow on the sandbox's Admin API (customer metafields follow the members, not the events). */
function destinationsOf(world: Sandbox, _t: TestDatabase) {
  return [flowOf(world)];
}

/** Each event reached Flow once: one run per event, with the event's handle, and no run left over. */
async function expectEachEventOnceInFlow(t: TestDatabase, world: Sandbox) {
  const events = await listEvents(t.db, SHOP, 500);
  const runs = world.sandbox.flow.runs(SHOP);
  const byHandle = (handle: string) => runs.filter((r) => r.handle === handle).length;
  for (const type of EVENT_TYPES) {
    const handle = FLOW_TRIGGERS[type].handle;
    expect(byHandle(handle), type).toBe(events.filter((e) => e.type === type).length);
  }
  expect(runs.length).toBe(events.length);
  for (const e of events)
    expect(e.deliveries.filter((d) => d.destination === "flow").map((d) => [d.status, d.attempts])).toEqual([
      ["sent", 1],
    ]);
  return events;
}

describe("the event stream", () => {
  it("announces every event type once, in order and with every webhook delivered twice", async () => {
    const t = await shopDatabase();
    const held: Request[] = [];
    const world = testSandbox({
      apiSecret: secret,
      webhookFetch: holdInto(held),
    });
    const { lin, keptReturn } = webhookStory(world);
    await world.sandbox.flush();
    const ids: string[] = [];
    for (const r of held) {
      ids.push(...(await record(t, r.clone())));
      ids.push(...(await record(t, await replayed(r))));
      // The very same delivery again (same webhook id): the inbox takes it once.
      await record(t, r.clone());
      await drain(t, ids);
    }
    const later = await appStory(t, world, lin, `gid://shopify/Return/${keptReturn.id}`);

    const report = await deliverDueEvents({ db: t.db, destinations: destinationsOf(world, t), now: later });
    expect(report).toMatchObject({ retrying: 0, parked: 0, skipped: 0 });
    const events = await expectEachEventOnceInFlow(t, world);
    // Every type of the catalog happened in this story, and each cause once.
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    const causes = events.map((e) => `${e.type} ${e.key}`);
    expect(new Set(causes).size).toBe(causes.length);
    // A second pass finds nothing to send.
    expect(await deliverDueEvents({ db: t.db, destinations: destinationsOf(world, t), now: later })).toEqual({
      sent: 0,
      retrying: 0,
      parked: 0,
      skipped: 0,
    });

    // What Flow got carries the figures a workflow needs.
    const delivered = world.sandbox.flow.runs(SHOP).find((r) => r.handle === "aftercare-shipment-delivered")!;
    expect(delivered.payload).toMatchObject({
      order_id: expect.any(Number),
      Carrier: "UPS",
      "Tracking number": "1Z999",
    });
    const tier = world.sandbox.flow.runs(SHOP).find((r) => r.handle === "aftercare-tier-changed")!;
    expect(tier.payload).toEqual({ customer_id: lin.id, "Previous tier": "", "New tier": "gold" });
    const refused = world.sandbox.flow.runs(SHOP).find((r) => r.handle === "aftercare-return-declined")!;
    expect(refused.payload).toMatchObject({ "Decline reason": "FINAL_SALE", Currency: "USD" });
    const expiring = world.sandbox.flow.runs(SHOP).filter((r) => r.handle === "aftercare-points-expiring");
    expect(expiring).toHaveLength(1);
    expect(expiring[0].payload).toMatchObject({ customer_id: lin.id, "Expires on": expect.stringMatching(/^\d{4}-/) });

    // The customer's metafields hold the member's figures as they are now, coalesced: every
    // change of the story since the last sync makes one write for the one customer.
    const synced = await syncCustomerMetafields({
      db: t.db,
      adminFor: async () => adminClient(world.sandbox.graphqlClient(SHOP)),
      now: later,
    });
    expect(synced).toMatchObject({ calls: 1, written: 1, retrying: 0, parked: 0 });
    const member = await t.db.loyaltyMember.findFirstOrThrow({
      where: { shop: SHOP, customerShopifyId: `gid://shopify/Customer/${lin.id}` },
    });
    const customer = world.sandbox.state.shop(SHOP).customers.find((c) => c.id === lin.id) as unknown as {
      metafields: { namespace: string; key: string; type: string; value: string }[];
    };
    expect(Object.fromEntries(customer.metafields.map((m) => [`${m.namespace}.${m.key}`, [m.type, m.value]]))).toEqual({
      "app--sandbox.points_balance": ["number_integer", String(member.points)],
      "app--sandbox.lifetime_points": ["number_integer", String(member.lifetimePoints)],
      "app--sandbox.loyalty_tier": ["single_line_text_field", "Gold"],
    });
    expect(events.flatMap((e) => e.deliveries.filter((d) => d.destination === "metafields"))).toEqual([]);
    // Nothing changed since: the next sync makes no call.
    expect(
      await syncCustomerMetafields({
        db: t.db,
        adminFor: async () => adminClient(world.sandbox.graphqlClient(SHOP)),
        now: later,
      }),
    ).toMatchObject({ calls: 0 });
  }, 120_000);

  it.each([1, 2, 3])(
    "announces each event once when the webhooks come shuffled and replayed (seed %i)",
    async (seed) => {
      const t = await shopDatabase();
      const held: Request[] = [];
      const world = testSandbox({
        apiSecret: secret,
        webhookFetch: holdInto(held),
      });
      webhookStory(world);
      await world.sandbox.flush();
      const copies = [...held.map((r) => r.clone()), ...(await Promise.all(held.map(replayed)))];
      const ids: string[] = [];
      for (const r of shuffled(copies, seed)) ids.push(...(await record(t, r)));
      await drain(t, ids);
      // Flow in between, then everything again: nothing is announced twice.
      await deliverDueEvents({ db: t.db, destinations: destinationsOf(world, t) });
      for (const r of shuffled(held, seed + 7)) ids.push(...(await record(t, await replayed(await replayed(r)))));
      await drain(t, ids);
      await deliverDueEvents({ db: t.db, destinations: destinationsOf(world, t) });
      const events = await expectEachEventOnceInFlow(t, world);
      // Whatever the order, these steps happened and were announced (a returns/approve or
      // returns/decline before its returns/request too: docs/decisions/0038).
      const types = new Set(events.map((e) => e.type));
      for (const type of [
        "return.requested",
        "return.approved",
        "return.declined",
        "loyalty.points_earned",
        "loyalty.tier_changed",
      ])
        expect(types.has(type as never), type).toBe(true);
    },
    120_000,
  );
});

describe("a destination that fails", () => {
  it("is retried with backoff, then parked, while another shop's events go at once; Retry sends it once", async () => {
    const t = await shopDatabase();
    await t.db.shop.create({ data: { domain: OTHER, currencyCode: "USD", name: "Other" } });
    const world = testSandbox({ apiSecret: secret });
    world.sandbox.createShop({ domain: OTHER, name: "Other", currency: "USD", timezone: "UTC" });
    const at = new Date("2026-06-01T12:00:00Z");
    for (const shop of [SHOP, OTHER])
      for (const n of [1, 2])
        await createRequest(t.db, {
          shop,
          message: {
            name: "Ana",
            email: `ana${n}@example.com`,
            orderName: null,
            topic: "other",
            message: "Hello there",
          },
          locale: "en",
          customerShopifyId: null,
          now: at,
        });
    // This shop's Admin API is down for every try (two events, six tries each); the other shop's is fine.
    world.sandbox.failNext(SHOP, 2 * (EVENT_RETRY_DELAYS_MS.length + 1), 503);
    const flow = flowDestination(async (shop) => world.sandbox.graphqlClient(shop));
    let now = at;
    const first = await deliverDueEvents({ db: t.db, destinations: [flow], now });
    expect(first).toEqual({ sent: 2, retrying: 2, parked: 0, skipped: 0 });
    expect(world.sandbox.flow.runs(OTHER)).toHaveLength(2);
    // Not due before its backoff.
    expect(
      await deliverDueEvents({ db: t.db, destinations: [flow], now: new Date(now.getTime() + 1000) }),
    ).toMatchObject({ retrying: 0 });
    for (const delay of EVENT_RETRY_DELAYS_MS) {
      now = new Date(now.getTime() + delay);
      await deliverDueEvents({ db: t.db, destinations: [flow], now });
    }
    const parked = await t.db.eventDelivery.findMany({ where: { shop: SHOP } });
    expect(parked.map((d) => [d.status, d.attempts])).toEqual([
      ["parked", EVENT_RETRY_DELAYS_MS.length + 1],
      ["parked", EVENT_RETRY_DELAYS_MS.length + 1],
    ]);
    expect(parked[0].lastError).toMatch(/FlowTriggerReceive/);
    const page = await troubledDeliveries(t.db, SHOP, { after: null, before: null, size: 10 });
    expect(page.rows).toHaveLength(2);
    expect(page.rows[0].event.type).toBe("contact.request_created");

    // Shopify is back; the merchant's Retry sends each once.
    for (const d of parked) expect(await retryDelivery(t.db, SHOP, d.id, now)).toBe(true);
    expect(await retryDelivery(t.db, OTHER, parked[0].id, now)).toBe(false);
    expect(await deliverDueEvents({ db: t.db, destinations: [flow], now })).toMatchObject({ sent: 2 });
    expect(await deliverDueEvents({ db: t.db, destinations: [flow], now })).toMatchObject({ sent: 0 });
    expect(world.sandbox.flow.runs(SHOP)).toHaveLength(2);
  });

  it("parks at once what Flow refuses (a trigger the app does not declare), and skips a guest member", async () => {
    const t = await shopDatabase();
    // A Shopify that knows none of the app's triggers.
    const world = testSandbox({ apiSecret: secret, extensionsDir: mkdtempSync(join(tmpdir(), "no-flow-")) });
    const at = new Date("2026-06-01T12:00:00Z");
    await createRequest(t.db, {
      shop: SHOP,
      message: { name: "Ana", email: "ana@example.com", orderName: null, topic: "other", message: "Hello there" },
      locale: "en",
      customerShopifyId: null,
      now: at,
    });
    const guest = await t.db.loyaltyMember.create({
      data: { shop: SHOP, key: "e:guest@example.com", email: "guest@example.com" },
    });
    const { postEntry } = await import("../loyalty/ledger.server");
    await postEntry(
      t.db,
      SHOP,
      guest.id,
      { sourceKey: "adjust:guest", kind: "adjust", points: 5, availableAt: at, reason: "Thanks" },
      { now: at },
    );
    const report = await deliverDueEvents({ db: t.db, destinations: [flowOf(world)], now: at });
    expect(report).toEqual({ sent: 0, retrying: 0, parked: 1, skipped: 1 });
    const rows = await t.db.eventDelivery.findMany({ include: { event: true } });
    const parked = rows.find((r) => r.status === "parked")!;
    expect(parked.event.type).toBe("contact.request_created");
    expect(parked.lastError).toMatch(/Invalid handle 'aftercare-contact-request'/);
    expect(rows.find((r) => r.status === "skipped")!.lastError).toMatch(/guest/);
  });
});
