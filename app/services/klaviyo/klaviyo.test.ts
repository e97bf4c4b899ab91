/**
 * Klaviyo as a destination, end to end on the sandbox: a shop's story through the real webhook
 * inbox and the areas' services, then the event outbox to Klaviyo's official client, which talks
 * over HTTP to the sandbox's Klaviyo stand-in (it checks every request against the client's API
 * definitions). Every event type reaches Klaviyo exactly once however the webhooks are replayed;
 * a Klaviyo that fails is retried with backoff and parked without holding back Flow; the key is
 * checked on save and sealed at rest; a message handed to Klaviyo is not mailed by Aftercare.
 */
import { createServer, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestDatabase } from "../../../tests/helpers/db";
import { loyaltyShopDatabase } from "../../../tests/helpers/loyalty-shop";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { createKlaviyoStandIn, KLAVIYO_DEMO_KEY } from "../../../sandbox/klaviyo";
import { receiveWebhook } from "../../webhooks/receive.server";
import { processEvent } from "../../jobs/process-event.server";
import { adminClient } from "../../shopify/admin.server";
import { EVENT_DESTINATIONS, EVENT_TYPES, type EventType } from "../../domain/events/catalog";
import { KLAVIYO_METRICS, SHOPPER_MESSAGE_EVENTS } from "../../domain/events/klaviyo";
import { listEvents, retryDelivery, troubledDeliveries } from "../../models/events.server";
import { createReward } from "../loyalty/admin.server";
import { redeemReward } from "../loyalty/redemption.server";
import { receiveReturn, resolveReturn } from "../returns/workflow.server";
import { createRequest } from "../contact/requests.server";
import { answerSurvey, surveyToken } from "../contact/surveys.server";
import { deliverDueEvents, EVENT_RETRY_DELAYS_MS, type EventDestinationAdapter } from "../events/deliver.server";
import { flowDestination } from "../events/flow.server";
import { unseal } from "../../utils/sealed-secret.server";

import { klaviyoApi, KlaviyoError } from "./client.server";
import { klaviyoDestination } from "./destination.server";
import { connectKlaviyo, messageSender, saveKlaviyoChoices } from "./settings.server";

const SHOP = TEST_SHOP;
const secret = process.env.SHOPIFY_API_SECRET!;
const opened: TestDatabase[] = [];
const standIn = createKlaviyoStandIn();
let server: Server;
let baseUrl = "";

beforeAll(async () => {
  // The stand-in over HTTP, as the sandbox server serves it: the official client's real requests.
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = req.method === "GET" ? undefined : Buffer.concat(chunks);
    const answer = await standIn.handle(new Request(url, { method: req.method, headers, body }), url.pathname);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  // Kept open as a production front end keeps it: Node's 5 s would race the client's reused connection.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const d of opened) await d.drop();
});

type Sandbox = ReturnType<typeof testSandbox>;

const STORY_TYPES = [
  "shipment.shipped",
  "shipment.out_for_delivery",
  "shipment.delivered",
  "shipment.delayed",
  "shipment.exception",
  "return.requested",
  "return.approved",
  "return.declined",
  "return.received",
  "return.resolved",
  "loyalty.points_earned",
  "loyalty.tier_changed",
  "loyalty.reward_redeemed",
  "contact.request_created",
  "survey.answered",
];

async function shopDatabase() {
  const t = await loyaltyShopDatabase({ signupBonus: 50 });
  opened.push(t);
  return t;
}

/** Connects Klaviyo as the merchant does (the key checked with the stand-in) and chooses these events. */
async function connect(
  t: TestDatabase,
  events: ReadonlyArray<EventType> = EVENT_TYPES,
  klaviyoSends: EventType[] = [],
) {
  const api = klaviyoApi(baseUrl);
  const connected = await connectKlaviyo(
    { db: t.db, api, now: new Date("2026-06-01T00:00:00Z") },
    SHOP,
    KLAVIYO_DEMO_KEY,
  );
  expect(connected).toEqual({ ok: true, said: { key: "klaviyo.connected" } });
  const form = new FormData();
  for (const e of events) form.append("events", e);
  for (const e of klaviyoSends) form.append("klaviyoSends", e);
  expect(await saveKlaviyoChoices(t.db, SHOP, form)).toMatchObject({ ok: true });
}

function holdInto(held: Request[]) {
  return async (request: Request) => {
    held.push(request.clone());
    return new Response("ok");
  };
}

async function record(t: TestDatabase, request: Request): Promise<string[]> {
  const ids: string[] = [];
  const response = await receiveWebhook(request, { db: t.db, secret, onRecorded: (id) => ids.push(id) });
  expect(response.status).toBe(200);
  return ids;
}

async function replayed(r: Request) {
  const headers = new Headers(r.headers);
  headers.set("X-Shopify-Webhook-Id", `${headers.get("X-Shopify-Webhook-Id")}-again`);
  return new Request(r.url, { method: "POST", headers, body: await r.clone().text() });
}

async function drain(t: TestDatabase, ids: string[]) {
  const start = new Date("2026-06-01T12:00:00Z").getTime();
  for (let round = 0; round < 8; round++) {
    const at = new Date(Math.max(Date.now(), start) + round * 3_600_000);
    for (const id of ids) await processEvent(t.db, id, () => at);
    const open = await t.db.webhookEvent.count({ where: { id: { in: ids }, status: { notIn: ["processed"] } } });
    if (open === 0) return;
  }
  throw new Error("inbox not drained");
}

/** The story of events.test.ts: orders shipped, delivered, late and failed, returns, a tier. */
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
    data: { shop: SHOP, kind: "csat", subjectId: request.id, requestId: request.id, sentAt: now },
  });
  const token = surveyToken({ shop: SHOP, surveyId: survey.id, secret, now });
  expect(await answerSurvey({ db: t.db, secret, now }, SHOP, token, { score: "4", comment: "" })).toMatchObject({
    ok: true,
  });
}

function destinations(t: TestDatabase, world: Sandbox): EventDestinationAdapter[] {
  // Other destinations (metafields, SMS …) are not under test here: they take nothing.
  const others = EVENT_DESTINATIONS.filter((d) => d !== "flow" && d !== "klaviyo").map((name) => ({
    name,
    deliver: async () => ({ status: "skipped" as const, reason: "not under test" }),
  }));
  return [
    flowDestination(async (shop) => world.sandbox.graphqlClient(shop)),
    klaviyoDestination({ db: t.db, api: klaviyoApi(baseUrl) }),
    ...others,
  ];
}

/** One destination's deliveries as [status, attempts]. */
async function deliveriesTo(t: TestDatabase, destination: string) {
  const rows = await t.db.eventDelivery.findMany({ where: { shop: SHOP, destination }, orderBy: { id: "asc" } });
  return rows.map((d) => [d.status, d.attempts]);
}

describe("Klaviyo as a destination", () => {
  it("receives every event type once, shaped as Klaviyo defines it, every webhook delivered twice", async () => {
    standIn.reset();
    const t = await shopDatabase();
    // Klaviyo mails the shopper about delays and approved returns; Aftercare about the rest.
    await connect(t, EVENT_TYPES, ["shipment.delayed", "return.approved"]);
    const held: Request[] = [];
    const world = testSandbox({ apiSecret: secret, webhookFetch: holdInto(held) });
    const { lin, keptReturn } = webhookStory(world);
    await world.sandbox.flush();
    const ids: string[] = [];
    for (const r of held) {
      ids.push(...(await record(t, r.clone())));
      ids.push(...(await record(t, await replayed(r))));
      await record(t, r.clone());
      await drain(t, ids);
    }
    // Klaviyo in between, then every webhook again: nothing goes twice.
    await deliverDueEvents({ db: t.db, destinations: destinations(t, world) });
    for (const r of held) ids.push(...(await record(t, await replayed(await replayed(r)))));
    await drain(t, ids);
    await appStory(t, world, lin, `gid://shopify/Return/${keptReturn.id}`);
    expect(await deliverDueEvents({ db: t.db, destinations: destinations(t, world) })).toMatchObject({
      retrying: 0,
      parked: 0,
    });
    for (const d of ["flow", "klaviyo"])
      expect(
        (await deliveriesTo(t, d)).filter(([status]) => status !== "sent"),
        d,
      ).toEqual([]);
    expect(await deliverDueEvents({ db: t.db, destinations: destinations(t, world) })).toMatchObject({ sent: 0 });

    expect(standIn.refused()).toEqual([]);
    const events = await listEvents(t.db, SHOP, 500);
    // Every type this story causes (all but the periodic "points expiring") happened, each went once.
    const happened = new Set(events.map((e) => e.type as string));
    for (const type of STORY_TYPES) expect(happened.has(type), type).toBe(true);
    for (const e of events) {
      const klaviyo = e.deliveries.find((d) => d.destination === "klaviyo");
      expect([e.type, klaviyo?.status, klaviyo?.attempts]).toEqual([e.type, "sent", 1]);
    }
    const received = standIn.events();
    expect(received.filter((r) => r.duplicate)).toEqual([]);
    for (const type of EVENT_TYPES)
      expect(received.filter((r) => r.metric === KLAVIYO_METRICS[type]).length, type).toBe(
        events.filter((e) => e.type === type).length,
      );
    expect(received).toHaveLength(events.length);
    expect(new Set(received.map((r) => r.uniqueId))).toEqual(new Set(events.map((e) => e.id)));

    // The messages handed to Klaviyo are in the log as skipped, never mailed; the others go as before.
    const emails = await t.db.notification.findMany({ where: { shop: SHOP, kind: { in: ["tracking", "returns"] } } });
    const emailOf = (kind: string, milestone: string) =>
      emails.filter((n) => n.kind === kind && n.milestone === milestone);
    expect(emailOf("tracking", "delayed").map((n) => [n.status, n.lastError])).toEqual([
      ["skipped", "Klaviyo sends this message"],
    ]);
    expect(emailOf("returns", "approved").map((n) => n.status)).toEqual(["skipped"]);
    expect(emailOf("tracking", "delivered").map((n) => n.status)).toEqual(["pending"]);
    expect(emailOf("returns", "declined").map((n) => n.status)).toEqual(["pending"]);

    // What Klaviyo got: the metric, the shopper's profile with the properties segments use, the figures.
    const delayed = received.find((r) => r.metric === "Aftercare Shipment Delayed")!.body.data.attributes;
    expect(delayed.profile.data.attributes).toMatchObject({ email: "lin@example.com", first_name: "Lin" });
    expect(delayed.properties).toMatchObject({ Carrier: "UPS", "Tracking Number": "1Z777" });
    const resolved = received.find((r) => r.metric === "Aftercare Return Resolved")!.body.data.attributes;
    expect(resolved).toMatchObject({ value_currency: "USD", value: expect.any(Number) });
    expect(resolved.profile.data.attributes!.properties).toMatchObject({
      "Aftercare Points Balance": expect.any(Number),
      "Aftercare Tier": "gold",
      "Aftercare Last Return Status": expect.any(String),
    });
    const survey = received.find((r) => r.metric === "Aftercare Survey Answered")!.body.data.attributes;
    expect(survey.profile.data.attributes).toMatchObject({ email: "lin@example.com" });
    expect(survey.profile.data.attributes!.properties).toMatchObject({ "Aftercare Last CSAT": 4 });
  }, 180_000);

  it("is retried, then parked, while Klaviyo is down; Flow's deliveries go at once; Retry sends once", async () => {
    standIn.reset();
    const t = await shopDatabase();
    await connect(t, ["contact.request_created"]);
    const world = testSandbox({ apiSecret: secret });
    const at = new Date("2026-06-01T12:00:00Z");
    for (const n of [1, 2])
      await createRequest(t.db, {
        shop: SHOP,
        message: { name: "Ana", email: `ana${n}@example.com`, orderName: null, topic: "other", message: "Hello there" },
        locale: "en",
        customerShopifyId: null,
        now: at,
      });
    // Klaviyo answers 503 to every try of both events.
    standIn.failNext(2 * (EVENT_RETRY_DELAYS_MS.length + 1), 503);
    let now = at;
    await deliverDueEvents({ db: t.db, destinations: destinations(t, world), now });
    expect(await deliveriesTo(t, "flow")).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
    expect(await deliveriesTo(t, "klaviyo")).toEqual([
      ["retrying", 1],
      ["retrying", 1],
    ]);
    // Flow had both at once.
    expect(world.sandbox.flow.runs(SHOP)).toHaveLength(2);
    for (const delay of EVENT_RETRY_DELAYS_MS) {
      now = new Date(now.getTime() + delay);
      await deliverDueEvents({ db: t.db, destinations: destinations(t, world), now });
    }
    const rows = await t.db.eventDelivery.findMany({ where: { shop: SHOP, destination: "klaviyo" } });
    expect(rows.map((d) => [d.status, d.attempts])).toEqual([
      ["parked", EVENT_RETRY_DELAYS_MS.length + 1],
      ["parked", EVENT_RETRY_DELAYS_MS.length + 1],
    ]);
    expect(rows[0].lastError).toMatch(/Klaviyo answered 503/);
    expect(standIn.events()).toHaveLength(0);
    const failing = await troubledDeliveries(t.db, SHOP, { after: null, before: null, size: 10 }, "klaviyo");
    expect(failing.rows).toHaveLength(2);
    // Klaviyo is back; the merchant's Retry sends each once.
    for (const d of rows) expect(await retryDelivery(t.db, SHOP, d.id, now)).toBe(true);
    expect(await deliverDueEvents({ db: t.db, destinations: destinations(t, world), now })).toMatchObject({ sent: 2 });
    expect(await deliverDueEvents({ db: t.db, destinations: destinations(t, world), now })).toMatchObject({ sent: 0 });
    expect(standIn.events().map((e) => e.metric)).toEqual([
      "Aftercare Contact Request Created",
      "Aftercare Contact Request Created",
    ]);
    expect(world.sandbox.flow.runs(SHOP)).toHaveLength(2);
  });

  it("parks at once a revoked key's event; writes no delivery for a type not chosen", async () => {
    standIn.reset();
    const t = await shopDatabase();
    await connect(t, ["contact.request_created"]);
    const world = testSandbox({ apiSecret: secret });
    const at = new Date("2026-06-01T12:00:00Z");
    await createRequest(t.db, {
      shop: SHOP,
      message: { name: "Ana", email: "ana@example.com", orderName: null, topic: "other", message: "Hello there" },
      locale: "en",
      customerShopifyId: null,
      now: at,
    });
    standIn.failNext(1, 401);
    expect(await deliverDueEvents({ db: t.db, destinations: destinations(t, world), now: at })).toMatchObject({
      sent: 1,
      retrying: 0,
      parked: 1,
    });
    // Not chosen: points earned makes no Klaviyo delivery at all.
    const member = await t.db.loyaltyMember.create({
      data: { shop: SHOP, key: "e:g@example.com", email: "g@example.com" },
    });
    const { postEntry } = await import("../loyalty/ledger.server");
    await postEntry(
      t.db,
      SHOP,
      member.id,
      { sourceKey: "adjust:g", kind: "adjust", points: 5, availableAt: at },
      { now: at },
    );
    const points = (await listEvents(t.db, SHOP)).find((e) => e.type === "loyalty.points_earned")!;
    expect(points.deliveries.map((d) => d.destination)).toEqual(["flow"]);
  });
});

describe("a Klaviyo that never answers", () => {
  it("times out as an outage to retry, instead of holding the sender", async () => {
    // Accepts the connection and the request, and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as { port: number };
      const api = klaviyoApi(`http://127.0.0.1:${port}`, { timeoutMs: 300 });
      const started = performance.now();
      const error = await api.account(KLAVIYO_DEMO_KEY).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KlaviyoError);
      expect((error as KlaviyoError).transient).toBe(true);
      // Its own retry included (one), well within what the sender's lease allows.
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("connecting Klaviyo", () => {
  it("checks the key with Klaviyo, then seals it; refuses a wrong shape, a refused key, no Klaviyo", async () => {
    standIn.reset();
    const t = await shopDatabase();
    const now = new Date("2026-06-01T00:00:00Z");
    const deps = { db: t.db, api: klaviyoApi(baseUrl), now };
    expect(await connectKlaviyo(deps, SHOP, "")).toMatchObject({ ok: false, status: 400 });
    expect(await connectKlaviyo(deps, SHOP, "sk_live_123")).toMatchObject({ ok: false, status: 400 });
    expect(await connectKlaviyo(deps, SHOP, "pk_0123456789abcdef0123456789abcdef99")).toMatchObject({
      ok: false,
      status: 422,
      said: { key: "klaviyo.error.keyRefused" },
    });
    const down = { ...deps, api: klaviyoApi("http://127.0.0.1:9") };
    expect(await connectKlaviyo(down, SHOP, KLAVIYO_DEMO_KEY)).toMatchObject({ ok: false, status: 502 });
    expect(await t.db.klaviyoConnection.count()).toBe(0);

    expect(await connectKlaviyo(deps, SHOP, `  ${KLAVIYO_DEMO_KEY} `)).toMatchObject({ ok: true });
    const row = await t.db.klaviyoConnection.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.apiKeySealed).not.toContain(KLAVIYO_DEMO_KEY.slice(3));
    expect(row.apiKeyLast4).toBe(KLAVIYO_DEMO_KEY.slice(-4));
    expect(row.accountName).toBe("Sandbox Klaviyo account");
    expect(unseal(row.apiKeySealed, SHOP)).toBe(KLAVIYO_DEMO_KEY);
    expect(() => unseal(row.apiKeySealed, "another-shop.myshopify.com")).toThrow();
  });

  it("lets Klaviyo send only messages of events it receives, and then Aftercare sends none", async () => {
    const t = await shopDatabase();
    const form = (events: string[], sends: string[]) => {
      const f = new FormData();
      events.forEach((e) => f.append("events", e));
      sends.forEach((e) => f.append("klaviyoSends", e));
      return f;
    };
    expect(await saveKlaviyoChoices(t.db, SHOP, form(["shipment.delayed"], []))).toMatchObject({ status: 409 });
    await connect(t, []);
    expect(await saveKlaviyoChoices(t.db, SHOP, form(["shipment.nope"], []))).toMatchObject({ status: 400 });
    expect(await saveKlaviyoChoices(t.db, SHOP, form([], ["shipment.delayed"]))).toMatchObject({ status: 422 });
    expect(
      await saveKlaviyoChoices(t.db, SHOP, form(["loyalty.points_earned"], ["loyalty.points_earned"])),
    ).toMatchObject({ status: 422 });
    expect(await messageSender(t.db, SHOP, "shipment.delayed")).toBe("aftercare");
    expect(
      await saveKlaviyoChoices(
        t.db,
        SHOP,
        form(["shipment.delayed", "return.approved"], ["shipment.delayed", "return.approved"]),
      ),
    ).toMatchObject({ ok: true });
    for (const type of SHOPPER_MESSAGE_EVENTS)
      expect(await messageSender(t.db, SHOP, type), type).toBe(
        type === "shipment.delayed" || type === "return.approved" ? "klaviyo" : "aftercare",
      );
  });
});
