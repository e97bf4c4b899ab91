/**
 * Shipment emails end to end: webhooks through the inbox, the tracking listeners, the outbox and
 * the mailer, to a real SMTP server. Each message goes out once whatever Shopify replays or
 * reorders, and an unsubscribe link stops the next one.
 */
import type { AddressInfo } from "node:net";

import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { webhookRequest } from "../../../tests/helpers/webhooks";
import { proxyRequest } from "../../../tests/helpers/app-proxy";
import {
  fulfillmentEventPayload,
  fulfillmentPayload,
  hoursAgo,
  orderPayload,
  SHOP,
} from "../../../tests/helpers/tracking";
import { processEvent } from "../../jobs/process-event.server";
import { receiveWebhook } from "../../webhooks/receive.server";
import { deliverDueNotifications } from "../outbox.server";
import { createMailer, type Mailer } from "../mailer.server";
import { runDueTasks, periodicTasks } from "../../jobs/scheduler.server";
import { saveTrackingSettings } from "../../models/tracking.server";
import { DEFAULT_TRACKING_SETTINGS } from "../../domain/tracking/settings";
import { deleteShopData, recordDataRequest, redactCustomer } from "../compliance.server";
import { restoreClock, setClock } from "../../../tests/helpers/clock";

interface Received {
  to: string[];
  raw: string;
  subject: string;
  header(name: string): string | null;
}

let t: TestDatabase;
let smtp: SMTPServer;
let mailer: Mailer;
const inbox: Received[] = [];
/** Set to make the server refuse the next recipients with this SMTP code. */
let refuseWith: number | null = null;
const secret = process.env.SHOPIFY_API_SECRET!;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refuseWith) {
        const error = Object.assign(new Error(refuseWith >= 500 ? "No such mailbox" : "Mailbox busy, try later"), {
          responseCode: refuseWith,
        });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const headerBlock = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
        const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(headerBlock)?.[1] ?? null;
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: header("Subject") ?? "",
          header,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: "Aftercare <notifications@aftercare.test>" });
});

afterAll(async () => {
  mailer.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t.drop();
});

beforeEach(async () => {
  inbox.length = 0;
  refuseWith = null;
  for (const table of [
    "notification",
    "emailSuppression",
    "scheduledTask",
    "shipmentTracking",
    "fulfillmentEvent",
    "fulfillment",
    "lineItem",
    "order",
    "customer",
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

/** Delivers like Shopify: a webhook id per delivery (repeat it to replay the same delivery). */
async function deliver(topic: string, body: object, webhookId?: string) {
  const ids: string[] = [];
  const res = await receiveWebhook(webhookRequest(topic, body, { shop: SHOP, webhookId }), {
    db: t.db,
    secret,
    onRecorded: (id) => ids.push(id),
  });
  expect(res.status).toBe(200);
  for (const id of ids) expect(await processEvent(t.db, id)).toBe("processed");
}

const send = (now = new Date()) => deliverDueNotifications({ db: t.db, mailer, secret, now });

const order = (o: Partial<Parameters<typeof orderPayload>[0]> = {}) =>
  orderPayload({ id: 1001, name: "#1001", email: "ada@example.com", customerId: 501, createdAt: hoursAgo(72), ...o });
const shipment = (o: Partial<Parameters<typeof fulfillmentPayload>[0]> = {}) =>
  fulfillmentPayload({
    id: 9001,
    orderId: 1001,
    createdAt: hoursAgo(48),
    company: "UPS",
    numbers: ["1Z999AA10123456784"],
    lineItems: [{ id: 10011 }],
    ...o,
  });
const scan = (id: number, status: string, hours: number) =>
  fulfillmentEventPayload({ id, fulfillmentId: 9001, orderId: 1001, status, happenedAt: hoursAgo(hours) });

describe("shipment emails through SMTP", () => {
  it("sends shipped, out for delivery and delivered once each, whatever is replayed", async () => {
    await deliver("orders/create", order());
    await deliver("fulfillments/create", shipment(), "f-create");
    await deliver("fulfillments/create", shipment(), "f-create"); // the same delivery again
    await deliver("fulfillments/create", shipment()); // Shopify resending it under a new id
    await deliver("orders/updated", order({ updatedAt: hoursAgo(47), fulfillments: [shipment()] }));
    expect(await send()).toMatchObject({ sent: 1 });
    expect(inbox.map((m) => m.subject)).toEqual(["Your order #1001 is on its way"]);
    expect(inbox[0].to).toEqual(["ada@example.com"]);
    expect(inbox[0].header("From")).toBe("Maple Goods <notifications@aftercare.test>");
    expect(inbox[0].header("Reply-To")).toBe("help@maple.example");
    expect(inbox[0].raw).toContain("has shipped with UPS");

    await deliver("fulfillment_events/create", scan(1, "in_transit", 30));
    await deliver("fulfillment_events/create", scan(2, "out_for_delivery", 5));
    await send();
    await deliver("fulfillment_events/create", scan(3, "delivered", 1));
    // Every webhook again, in reverse.
    for (const [i, s] of [
      scan(3, "delivered", 1),
      scan(2, "out_for_delivery", 5),
      scan(1, "in_transit", 30),
    ].entries()) {
      await deliver("fulfillment_events/create", s, `replay-${i}`);
    }
    await deliver("fulfillments/update", shipment({ updatedAt: hoursAgo(1), shipmentStatus: "delivered" }));
    await send();
    await send();
    expect(inbox.map((m) => m.subject)).toEqual([
      "Your order #1001 is on its way",
      "Your order #1001 is out for delivery",
      "Your order #1001 was delivered",
    ]);
    const rows = await t.db.notification.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.milestone, r.status])).toEqual([
      ["shipped", "sent"],
      ["out_for_delivery", "sent"],
      ["delivered", "sent"],
    ]);
    expect(rows.every((r) => r.providerMessageId)).toBe(true);
  });

  it("sends only 'delivered' when the delivery scan arrives before the shipment", async () => {
    await deliver("orders/create", order());
    await deliver("fulfillment_events/create", scan(3, "delivered", 2)); // its shipment is not mirrored yet
    await deliver("fulfillments/create", shipment());
    await deliver("fulfillments/update", shipment({ updatedAt: hoursAgo(40), shipmentStatus: "in_transit" }));
    await send();
    expect(inbox.map((m) => m.subject)).toEqual(["Your order #1001 was delivered"]);
  });

  it("skips an unsent 'shipped' that a delivery overtook", async () => {
    await deliver("orders/create", order());
    await deliver("fulfillments/create", shipment());
    await deliver("fulfillment_events/create", scan(3, "delivered", 1));
    await send();
    expect(inbox.map((m) => m.subject)).toEqual(["Your order #1001 was delivered"]);
    expect((await t.db.notification.findFirstOrThrow({ where: { milestone: "shipped" } })).status).toBe("skipped");
  });

  it("sends nothing until there is a tracking number or link, nor for a switched-off milestone", async () => {
    await saveTrackingSettings(t.db, SHOP, {
      ...DEFAULT_TRACKING_SETTINGS,
      notifications: {
        ...DEFAULT_TRACKING_SETTINGS.notifications,
        enabled: { ...DEFAULT_TRACKING_SETTINGS.notifications.enabled, out_for_delivery: false },
      },
    });
    await deliver("orders/create", order());
    await deliver("fulfillments/create", shipment({ numbers: [], urls: [], company: null }));
    expect(await t.db.notification.count()).toBe(0);
    await deliver("fulfillments/update", shipment({ updatedAt: hoursAgo(40) }));
    await deliver("fulfillment_events/create", scan(2, "out_for_delivery", 3));
    await send();
    expect(inbox.map((m) => m.subject)).toEqual(["Your order #1001 is on its way"]);
  });

  it("writes in the shopper's language, right to left in Persian", async () => {
    await deliver("orders/create", order({ locale: "fa" }));
    await deliver("fulfillments/create", shipment());
    const row = await t.db.notification.findFirstOrThrow();
    expect(row.locale).toBe("fa");
    // The order number isolated left to right, so that it does not read "1001#".
    expect(row.subject).toBe("سفارش \u2066#1001\u2069 ارسال شد");
    expect(row.bodyHtml).toContain('dir="rtl"');
    expect(row.bodyHtml).toContain(`https://${SHOP}/pages/track-order?token=`);
    await send();
    expect(inbox).toHaveLength(1);
  });

  it("honours the unsubscribe link: the next email is not sent", async () => {
    await deliver("orders/create", order());
    await deliver("fulfillments/create", shipment());
    await send();
    const link = /<([^>]+)>/.exec(inbox[0].header("List-Unsubscribe") ?? "")?.[1];
    expect(link).toMatch(new RegExp(`^https://${SHOP.replace(/\./g, "\\.")}/apps/aftercare/unsubscribe\\?token=`));
    expect(inbox[0].header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const token = new URL(link!).searchParams.get("token")!;

    const { action, loader } = await import("../../routes/proxy.unsubscribe");
    const confirm = await loader({ request: proxyRequest("unsubscribe", { token }), params: {}, context: {} });
    expect(confirm.status).toBe(200);
    expect(await t.db.emailSuppression.count()).toBe(0); // looking is not unsubscribing
    const done = await action({
      request: proxyRequest("unsubscribe", { token }, { method: "POST" }),
      params: {},
      context: {},
    });
    expect(done.status).toBe(200);
    const forged = await action({
      request: proxyRequest("unsubscribe", { token: `${token.slice(0, -2)}xx` }, { method: "POST" }),
      params: {},
      context: {},
    });
    expect(forged.status).toBe(404);

    await deliver("fulfillment_events/create", scan(2, "out_for_delivery", 3));
    await send();
    expect(inbox).toHaveLength(1);
    expect((await t.db.notification.findFirstOrThrow({ where: { milestone: "out_for_delivery" } })).status).toBe(
      "suppressed",
    );
  });
});

describe("delivery failures", () => {
  it("retries after a temporary SMTP refusal and records the result", async () => {
    await deliver("orders/create", order());
    await deliver("fulfillments/create", shipment());
    refuseWith = 451;
    const now = new Date();
    expect(await send(now)).toMatchObject({ retrying: 1 });
    let row = await t.db.notification.findFirstOrThrow();
    expect(row).toMatchObject({ status: "retrying", attempts: 1 });
    expect(row.lastError).toMatch(/busy/);
    expect(row.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);
    refuseWith = null;
    expect(await send(now)).toMatchObject({ sent: 0 }); // not due yet
    expect(await send(new Date(now.getTime() + 61_000))).toMatchObject({ sent: 1 });
    row = await t.db.notification.findFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(inbox).toHaveLength(1);
  });

  it("fails for good when the server refuses the address permanently", async () => {
    await deliver("orders/create", order());
    await deliver("fulfillments/create", shipment());
    refuseWith = 550;
    expect(await send()).toMatchObject({ failed: 1 });
    expect((await t.db.notification.findFirstOrThrow()).status).toBe("failed");
  });
});

describe("periodic delay check", () => {
  // Which rule a parcel breaks first depends on the weekday (business days), so each test names its day.
  afterEach(() => restoreClock());

  it("emails 'delayed' once when a parcel has had no scan for too long", async () => {
    setClock("2026-11-10T15:00:00Z"); // a Tuesday, 10:00 in the shop's Toronto
    // Shipped 10 days ago, last scan 9 days ago: well past "no scan for 4 business days", while
    // the estimate for a parcel shipped on a Saturday still runs to today.
    await deliver("orders/create", order({ createdAt: hoursAgo(24 * 11) }));
    await deliver("fulfillments/create", shipment({ createdAt: hoursAgo(24 * 10) }));
    await deliver("fulfillment_events/create", scan(1, "in_transit", 24 * 9));
    // The webhook itself already judged it late; the check must not add a second email.
    const tasks = periodicTasks().filter((task) => task.name === "tracking.detect-delays");
    expect(tasks).toHaveLength(1);
    const now = new Date();
    expect(await runDueTasks(t.db, now, { tasks })).toEqual(["tracking.detect-delays"]);
    expect(await runDueTasks(t.db, now, { tasks })).toEqual([]); // not due again yet
    expect(await runDueTasks(t.db, new Date(now.getTime() + 16 * 60_000), { tasks })).toEqual([
      "tracking.detect-delays",
    ]);
    await send(new Date(now.getTime() + 17 * 60_000));
    expect(inbox.map((m) => m.subject)).toEqual(["An update on your order #1001"]);
    const tracked = await t.db.shipmentTracking.findFirstOrThrow();
    expect(tracked).toMatchObject({ problem: "delayed", problemReason: "no_carrier_scan", stage: "in_transit" });
  });

  it("names the passed estimate first when both rules are broken, as on a Saturday for the same parcel", async () => {
    setClock("2026-11-14T15:00:00Z"); // a Saturday: the estimate for a parcel shipped on Wednesday the 4th has passed
    await deliver("orders/create", order({ createdAt: hoursAgo(24 * 11) }));
    await deliver("fulfillments/create", shipment({ createdAt: hoursAgo(24 * 10) }));
    await deliver("fulfillment_events/create", scan(1, "in_transit", 24 * 9));
    const tasks = periodicTasks().filter((task) => task.name === "tracking.detect-delays");
    await runDueTasks(t.db, new Date(), { tasks });
    await send(new Date(Date.now() + 60_000));
    expect(inbox.map((m) => m.subject)).toEqual(["An update on your order #1001"]);
    const tracked = await t.db.shipmentTracking.findFirstOrThrow();
    expect(tracked).toMatchObject({ problem: "delayed", problemReason: "past_estimate", stage: "in_transit" });
  });

  it("the check finds a shipment that became late with no webhook", async () => {
    await deliver("orders/create", order({ createdAt: hoursAgo(24 * 3) }));
    await deliver("fulfillments/create", shipment({ createdAt: hoursAgo(24 * 2) }));
    await deliver("fulfillment_events/create", scan(1, "in_transit", 24 * 2 - 1));
    await send();
    expect(inbox).toHaveLength(1); // shipped
    const tasks = periodicTasks().filter((task) => task.name === "tracking.detect-delays");
    const later = new Date(Date.now() + 10 * 86_400_000);
    await runDueTasks(t.db, later, { tasks });
    await send(later);
    expect(inbox.map((m) => m.subject)).toEqual(["Your order #1001 is on its way", "An update on your order #1001"]);
  });
});

describe("history is not news", () => {
  const writesNothingAboutA =
    "writes nothing about a delay that began weeks ago, as when old webhooks arrive before their delivery scan";
  it(writesNothingAboutA, async () => {
    // A shipment from two months ago, processed now with its delivery scan still to come: by the
    // rules it has been late for weeks, but the shopper got the parcel long ago.
    await deliver("orders/create", order({ createdAt: hoursAgo(24 * 60) }));
    await deliver("fulfillments/create", shipment({ createdAt: hoursAgo(24 * 58) }));
    await deliver("fulfillment_events/create", scan(1, "in_transit", 24 * 57));
    const tasks = periodicTasks().filter((task) => task.name === "tracking.detect-delays");
    await runDueTasks(t.db, new Date(), { tasks });
    expect((await t.db.shipmentTracking.findFirstOrThrow()).problem).toBe("delayed"); // the admin still sees it
    await deliver("fulfillment_events/create", scan(3, "delivered", 24 * 54));
    await send();
    expect(await t.db.notification.count()).toBe(0);
    expect(inbox).toHaveLength(0);
  });
});

describe("personal data in tracking", () => {
  const exportsThenRedactsA =
    "exports, then redacts a customer's emails, keeping that they were sent; shop/redact removes the rest";
  it(exportsThenRedactsA, async () => {
    await deliver("orders/create", order({ email: "Ada@Example.com" }));
    await deliver("fulfillments/create", shipment());
    await send();
    const link = /<([^>]+)>/.exec(inbox[0].header("List-Unsubscribe") ?? "")![1];
    const { action } = await import("../../routes/proxy.unsubscribe");
    await action({
      request: proxyRequest("unsubscribe", { token: new URL(link).searchParams.get("token")! }, { method: "POST" }),
      params: {},
      context: {},
    });

    const subject = {
      customerShopifyId: "gid://shopify/Customer/501",
      email: "ada@example.com",
      orderShopifyIds: [],
    };
    const request = await recordDataRequest(t.db, SHOP, subject);
    const exported = JSON.parse(request.export);
    expect(exported.tracking.notifications).toEqual([
      expect.objectContaining({ milestone: "shipped", recipient: "ada@example.com", status: "sent" }),
    ]);
    expect(exported.tracking.unsubscribes).toHaveLength(1);

    await redactCustomer(t.db, SHOP, subject, new Date());
    const row = await t.db.notification.findFirstOrThrow();
    expect(row).toMatchObject({ recipient: null, bodyHtml: "", bodyText: "", status: "sent", milestone: "shipped" });
    expect(row.redactedAt).not.toBeNull();
    expect(await t.db.emailSuppression.count()).toBe(0);

    const expire = new Date(Date.now() + 60_000);
    await t.db.rateLimitCounter.createMany({
      data: [`tracking-lookup-client:${SHOP}:abc`, "tracking-lookup-client:other.myshopify.com:abc"].map((key) => ({
        key,
        points: 1,
        expire,
      })),
    });
    await deleteShopData(t.db, SHOP);
    expect(await t.db.rateLimitCounter.count({ where: { key: { contains: ":other.myshopify.com:" } } })).toBe(1);
    for (const table of ["notification", "shipmentTracking", "trackingSettings", "emailSuppression"] as const) {
      expect(await (t.db[table] as { count: (a: object) => Promise<number> }).count({ where: { shop: SHOP } })).toBe(0);
    }
    // Rate-limit counters carry the shop in their key.
    expect(await t.db.rateLimitCounter.count({ where: { key: { contains: `:${SHOP}:` } } })).toBe(0);
  });
});
