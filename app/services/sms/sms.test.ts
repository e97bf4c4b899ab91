/**
 * Texts end to end on the sandbox: Shopify's webhooks through the real inbox record shipment and
 * return events; the event outbox hands the ones the merchant chose to SMS to Twilio's official
 * client, which talks over HTTP to the sandbox's Twilio stand-in. One text per event in the
 * shopper's language; nothing for events the merchant left off, guests without a phone, or a
 * shopper who replied STOP (the reply signed as Twilio signs it; a forged one refused); Twilio
 * failing is retried, refusing for good is parked.
 */
import { createServer, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { processingWebhookFetch } from "../../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { createTwilioStandIn, TWILIO_DEMO_NUMBER } from "../../../sandbox/twilio";
import { smsSettingsSchema } from "../../domain/sms/templates";
import { storeSmsSettings } from "../../models/sms.server";
import { deliverDueEvents, EVENT_RETRY_DELAYS_MS } from "../events/deliver.server";

import { smsDestination } from "./destination.server";
import { saveSmsSettings } from "./settings.server";
import { receiveInboundSms } from "./inbound.server";
import { twilioSender } from "./twilio.server";

const SHOP = TEST_SHOP;
const secret = process.env.SHOPIFY_API_SECRET!;
const INBOUND_URL = "https://aftercare.example.com/sms/inbound";
const standIn = createTwilioStandIn();
let server: Server;
let baseUrl = "";
let t: TestDatabase;

const world = testSandbox({
  apiSecret: secret,
  webhookFetch: async (request) => processingWebhookFetch(t.db, secret)(request),
});

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await standIn.handle(
      new Request(url, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) }),
      url.pathname,
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  t = await createTestDatabase();
  await t.db.shop.create({ data: { domain: SHOP, currencyCode: "USD", name: "Sandbox Test" } });
  await storeSmsSettings(
    t.db,
    SHOP,
    smsSettingsSchema.parse({
      enabled: true,
      sender: TWILIO_DEMO_NUMBER,
      messages: { "shipment.shipped": true, "shipment.out_for_delivery": true, "shipment.delivered": true },
    }),
  );
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.drop();
});

const sms = () =>
  smsDestination({
    db: t.db,
    secret,
    sender: twilioSender({ apiUrl: baseUrl, accountSid: standIn.accountSid, authToken: standIn.authToken }),
  });

/** A shopper's reply as Twilio posts it, to the app's inbound handler in-process. */
const appInbound = (async (_url: URL | string, init?: RequestInit) => {
  const answer = await receiveInboundSms(
    { db: t.db, authToken: standIn.authToken, publicUrl: INBOUND_URL, now: new Date() },
    { rawBody: String(init?.body), signature: new Headers(init?.headers).get("X-Twilio-Signature") },
  );
  return new Response(answer.body, { status: answer.status });
}) as typeof fetch;

const smsDeliveries = () =>
  t.db.eventDelivery.findMany({
    where: { destination: "sms" },
    orderBy: { createdAt: "asc" },
    include: { event: { select: { type: true } } },
  });

describe("SMS", () => {
  it("texts the shipment once in the shopper's language, and stops when they reply STOP", async () => {
    const { sandbox, mug } = world;
    const min = sandbox.createCustomer({
      shop: SHOP,
      email: "min@example.com",
      phone: "+14155550123",
      locale: "ko",
      state: "ENABLED",
    });
    const order = sandbox.placeOrder({
      shop: SHOP,
      customer: min.id,
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    const parcel = sandbox.fulfil({ shop: SHOP, order: order.id, trackingCompany: "UPS", trackingNumber: "1ZSMS1" });
    await sandbox.flush();
    // Flow's and the metafields' deliveries are not this test's: only SMS is handed in (their rows wait).
    await deliverDueEvents({ db: t.db, destinations: [sms()] });
    expect(standIn.messages()).toHaveLength(1);
    const [text] = standIn.messages();
    expect(text).toMatchObject({ to: "+14155550123", from: TWILIO_DEMO_NUMBER });
    expect(text.body).toMatch(
      /^Sandbox Test: 주문 #\d+ 상품이 발송되었습니다\. 배송 조회: https:\/\/\S+track-order\?token=/,
    );
    const stored = await t.db.smsMessage.findMany({ where: { shop: SHOP } });
    expect(stored.map((m) => [m.eventType, m.status, m.providerSid])).toEqual([["shipment.shipped", "sent", text.sid]]);
    expect(stored[0].segments).toBeGreaterThanOrEqual(2); // Korean is sent as UCS-2: 70 a segment.
    // Nothing is due again; a replayed webhook records no second event.
    await deliverDueEvents({ db: t.db, destinations: [sms()] });
    expect(standIn.messages()).toHaveLength(1);

    // Twilio is down for the next text: retried after the backoff, then sent once.
    standIn.failNext(1, 503);
    sandbox.carrierScan({ shop: SHOP, fulfillment: parcel.id, status: "out_for_delivery" });
    await sandbox.flush();
    const now = new Date();
    await deliverDueEvents({ db: t.db, destinations: [sms()], now });
    const waiting = await smsDeliveries();
    expect(waiting.map((d) => [d.event.type, d.status])).toEqual([
      ["shipment.shipped", "sent"],
      ["shipment.out_for_delivery", "retrying"],
    ]);
    expect(waiting[1].lastError).toMatch(/Twilio/);
    const later = new Date(now.getTime() + EVENT_RETRY_DELAYS_MS[0] + 1000);
    await deliverDueEvents({ db: t.db, destinations: [sms()], now: later });
    expect(standIn.messages()).toHaveLength(2);
    expect((await smsDeliveries()).map((d) => [d.status, d.attempts])).toEqual([
      ["sent", 1],
      ["sent", 2],
    ]);

    // A forged reply is refused; the shopper's STOP (signed by Twilio) stops the shop's texts.
    const forged = await appInbound(INBOUND_URL, {
      method: "POST",
      headers: { "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl" },
      body: new URLSearchParams({ From: "+14155550123", To: TWILIO_DEMO_NUMBER, Body: "STOP" }).toString(),
    });
    expect(forged.status).toBe(403);
    expect(await t.db.smsOptOut.count()).toBe(0);
    const stop = await standIn.reply({
      webhookUrl: INBOUND_URL,
      from: "+14155550123",
      to: TWILIO_DEMO_NUMBER,
      body: "Stop",
      fetchFn: appInbound,
    });
    expect(stop.status).toBe(200);
    expect(await t.db.smsOptOut.count({ where: { shop: SHOP } })).toBe(1);
    sandbox.carrierScan({ shop: SHOP, fulfillment: parcel.id, status: "delivered" });
    await sandbox.flush();
    await deliverDueEvents({ db: t.db, destinations: [sms()], now: later });
    expect(standIn.messages()).toHaveLength(2);
    const skipped = await t.db.eventDelivery.findFirstOrThrow({
      where: { destination: "sms", status: "skipped" },
    });
    expect(skipped.lastError).toBe("the shopper replied STOP");
    // START lets texts go again.
    await standIn.reply({
      webhookUrl: INBOUND_URL,
      from: "+14155550123",
      to: TWILIO_DEMO_NUMBER,
      body: "START",
      fetchFn: appInbound,
    });
    expect(await t.db.smsOptOut.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("sends nothing for events left off or orders without a phone; parks what Twilio refuses", async () => {
    const { sandbox, mug } = world;
    const before = standIn.messages().length;
    // A guest with no phone: the delivery exists (shipped is on) and is skipped with the reason.
    const guest = sandbox.placeOrder({
      shop: SHOP,
      email: "guest@example.com",
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    sandbox.fulfil({ shop: SHOP, order: guest.id, trackingCompany: "UPS", trackingNumber: "1ZSMS2" });
    // A return approved: texts are off for returns, so no delivery row at all.
    const jo = sandbox.createCustomer({ shop: SHOP, email: "jo@example.com", phone: "555-0100", state: "ENABLED" });
    const order = sandbox.placeOrder({
      shop: SHOP,
      customer: jo.id,
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    sandbox.fulfil({ shop: SHOP, order: order.id, trackingCompany: "UPS", trackingNumber: "1ZSMS3" });
    await sandbox.flush();
    await deliverDueEvents({ db: t.db, destinations: [sms()] });
    // The guest's text is skipped; Jo's number is not a phone number Twilio takes: skipped too, never sent.
    expect(standIn.messages()).toHaveLength(before);
    const skipped = (await smsDeliveries()).filter((d) => d.status === "skipped" && d.lastError?.includes("no phone"));
    expect(skipped).toHaveLength(2);
    const returns = await t.db.eventDelivery.count({
      where: { destination: "sms", event: { type: { startsWith: "return." } } },
    });
    expect(returns).toBe(0);

    // Twilio refusing the text for good (an unreachable number) parks it at once.
    const kim = sandbox.createCustomer({
      shop: SHOP,
      email: "kim@example.com",
      phone: "+14155550177",
      state: "ENABLED",
    });
    const third = sandbox.placeOrder({
      shop: SHOP,
      customer: kim.id,
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    sandbox.fulfil({ shop: SHOP, order: third.id, trackingCompany: "UPS", trackingNumber: "1ZSMS4" });
    await sandbox.flush();
    standIn.failNext(1, 400, 21614, "'To' number is not a valid mobile number");
    await deliverDueEvents({ db: t.db, destinations: [sms()] });
    const parked = await t.db.eventDelivery.findFirstOrThrow({ where: { destination: "sms", status: "parked" } });
    expect(parked.lastError).toMatch(/Twilio 400 \(21614\)/);
  });

  it("saves the settings only when every field is right, and says what is wrong", async () => {
    const shop = "sms-settings.myshopify.com";
    const bad = await saveSmsSettings(t.db, shop, {
      enabled: true,
      sender: "555",
      messages: { "shipment.shipped": true },
      templates: { "shipment.shipped": { en: "Hi {{ first_name }}", ko: "x".repeat(1601) } },
    });
    expect(bad).toEqual({
      ok: false,
      problems: expect.arrayContaining([
        { path: "sender", message: "sms.error.sender" },
        { path: "templates.shipment.shipped.en", message: "sms.error.unknownVariable" },
        { path: "templates.shipment.shipped.ko", message: "sms.error.tooLong" },
      ]),
    });
    expect(await saveSmsSettings(t.db, shop, { enabled: true, sender: "" })).toMatchObject({
      ok: false,
      problems: [{ path: "sender", message: "sms.error.senderNeeded" }],
    });
    expect(await t.db.smsSettings.count({ where: { shop } })).toBe(0);
    const good = await saveSmsSettings(t.db, shop, {
      enabled: true,
      sender: "+15005550006",
      messages: { "return.approved": true },
      templates: { "return.approved": { ja: "{{ shop_name }}：返品{{ return_number }}を承認しました。" } },
    });
    expect(good.ok).toBe(true);
    expect(await t.db.smsSettings.count({ where: { shop } })).toBe(1);
  });
});
