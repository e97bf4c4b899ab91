import { existsSync, readFileSync } from "node:fs";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { examplePayload, fixtureTopics, webhookRequest } from "../../tests/helpers/webhooks";
import { ADMIN_API_VERSION } from "../shopify/api-version";
import { createDb, sqlitePath } from "../db.server";
import { inProcessRunner } from "../jobs/runner.server";
import { processEvent } from "../jobs/process-event.server";
import { MAX_ATTEMPTS, requeueEvents } from "../models/webhook-inbox.server";

import { receiveWebhook } from "./receive.server";
import { SUBSCRIBED_TOPICS } from "./handlers.server";

const SHOP = "aftercare-test.myshopify.com";
const secret = process.env.SHOPIFY_API_SECRET!;
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function wipe() {
  const db = t.db;
  await db.webhookEvent.deleteMany();
  await db.fulfillmentEvent.deleteMany();
  await db.fulfillment.deleteMany();
  await db.refund.deleteMany();
  await db.shopifyReturn.deleteMany();
  await db.lineItem.deleteMany();
  await db.order.deleteMany();
  await db.customer.deleteMany();
  await db.dataRequest.deleteMany();
  await db.session.deleteMany();
  await db.shop.deleteMany();
}
beforeEach(wipe);

/** Delivers like Shopify and runs the handlers to completion, as the job runner would. */
async function deliver(topic: string, body: string | object, options: Parameters<typeof webhookRequest>[2] = {}) {
  const recorded: string[] = [];
  const response = await receiveWebhook(webhookRequest(topic, body, { shop: SHOP, ...options }), {
    db: t.db,
    secret,
    onRecorded: (id) => recorded.push(id),
  });
  for (const id of recorded) await processEvent(t.db, id);
  return response;
}

const order = (overrides: Record<string, unknown> = {}) => ({
  ...JSON.parse(examplePayload("orders/create")),
  ...overrides,
});
const ORDER_GID = "gid://shopify/Order/820982911946154508";

describe("webhook intake", () => {
  it("rejects a bad signature with 401 and records nothing", async () => {
    const response = await receiveWebhook(
      webhookRequest("orders/create", examplePayload("orders/create"), { secret: "not-the-app-secret" }),
      { db: t.db, secret },
    );
    expect(response.status).toBe(401);
    expect(await t.db.webhookEvent.count()).toBe(0);
  });

  it("rejects a request with no signature at all with 401", async () => {
    const response = await receiveWebhook(
      webhookRequest("orders/create", "{}", { headers: { "x-shopify-hmac-sha256": null } }),
      { db: t.db, secret },
    );
    expect(response.status).toBe(401);
  });

  it("answers 400 naming the missing Shopify headers", async () => {
    const response = await receiveWebhook(
      webhookRequest("orders/create", "{}", { headers: { "x-shopify-webhook-id": null, "x-shopify-topic": null } }),
      { db: t.db, secret },
    );
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("x-shopify-webhook-id");
    expect(text).toContain("x-shopify-topic");
    expect(await t.db.webhookEvent.count()).toBe(0);
  });

  it("answers 400 for a signed body that is not JSON", async () => {
    const response = await receiveWebhook(webhookRequest("orders/create", "this is not json"), { db: t.db, secret });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not valid JSON/);
    expect(await t.db.webhookEvent.count()).toBe(0);
  });

  it("answers 400 for a signed JSON body that is not an object", async () => {
    const response = await receiveWebhook(webhookRequest("orders/create", "[1,2]"), { db: t.db, secret });
    expect(response.status).toBe(400);
  });

  it("records a repeated delivery once and changes nothing the second time", async () => {
    const first = await deliver("orders/create", examplePayload("orders/create"), { webhookId: "dup-1" });
    expect(first.status).toBe(200);
    const before = await t.db.order.findFirstOrThrow({ include: { lineItems: true } });
    const again = await deliver("orders/create", examplePayload("orders/create"), { webhookId: "dup-1" });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe("already recorded");
    expect(await t.db.webhookEvent.count()).toBe(1);
    const after = await t.db.order.findFirstOrThrow({ include: { lineItems: true } });
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.lineItems).toHaveLength(5);
  });

  it("answers 503 when the event cannot be recorded, so Shopify retries", async () => {
    const unreachable =
      t.kind === "sqlite"
        ? createDb("file:/nonexistent-dir/for/aftercare/test.sqlite")
        : createDb("postgresql://postgres@127.0.0.1:1/none");
    const response = await receiveWebhook(webhookRequest("orders/create", examplePayload("orders/create")), {
      db: unreachable,
      secret,
    });
    expect(response.status).toBe(503);
    await unreachable.$disconnect().catch(() => {});
  });
});

describe("Shopify's example payload for every subscribed topic", () => {
  it("covers exactly the topics in shopify.app.toml", () => {
    const toml = readFileSync(new URL("../../shopify.app.toml", import.meta.url), "utf8");
    const declared = [...toml.matchAll(/topics = \[([^\]]*)\]/g)].flatMap((m) =>
      m[1].match(/"[^"]+"/g)!.map((s) => s.slice(1, -1)),
    );
    expect(declared.sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
    expect(fixtureTopics().sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
    expect(toml).toContain(`api_version = "${ADMIN_API_VERSION}"`);
  });

  it("orders/create mirrors the order with money in minor units and its line items", async () => {
    expect((await deliver("orders/create", examplePayload("orders/create"))).status).toBe(200);
    const row = await t.db.order.findFirstOrThrow({ where: { shop: SHOP }, include: { lineItems: true } });
    expect(row).toMatchObject({
      shopifyId: ORDER_GID,
      name: "#9999",
      email: "jon@example.com",
      currency: "USD",
      totalMinor: 41495,
      financialStatus: "voided",
      shippingCountryCode: "US",
      shippingProvince: "KY",
    });
    expect(row.cancelledAt?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    const titles = row.lineItems.map((li) => li.title).sort();
    expect(titles).toEqual([
      "Aviator sunglasses",
      "Coffee table",
      "Lens Protection Plan (2 Year)",
      "Mid-century lounger",
      "Premium Leather Case",
    ]);
    const sunglasses = row.lineItems.find((li) => li.title === "Aviator sunglasses")!;
    expect(sunglasses.priceMinor).toBe(8999);
    expect(sunglasses.productShopifyId).toMatch(/^gid:\/\/shopify\/Product\//);
    const event = await t.db.webhookEvent.findFirstOrThrow();
    expect(event.status).toBe("processed");
  });

  it.each(["orders/updated", "orders/paid", "orders/cancelled"])("%s mirrors the order", async (topic) => {
    expect((await deliver(topic, examplePayload(topic))).status).toBe(200);
    const row = await t.db.order.findFirstOrThrow({ include: { lineItems: true } });
    expect(row.name).toBe("#9999");
    expect(row.lineItems).toHaveLength(5);
  });

  it("fulfillments/create and fulfillments/update mirror the shipment with carrier and tracking", async () => {
    await deliver("fulfillments/create", examplePayload("fulfillments/create"));
    const f = await t.db.fulfillment.findFirstOrThrow({ include: { lines: true } });
    expect(f).toMatchObject({ trackingCompany: "UPS", orderShopifyId: ORDER_GID.replace("508", "500") });
    expect(JSON.parse(f.trackingNumbers)).toEqual(["1z827wk74630"]);
    expect(JSON.parse(f.trackingUrls)[0]).toContain("ups.com");
    expect(f.lines).toHaveLength(5);

    const update = {
      ...JSON.parse(examplePayload("fulfillments/update")),
      shipment_status: "in_transit",
      updated_at: "2022-01-02T10:00:00Z",
    };
    await deliver("fulfillments/update", update);
    const after = await t.db.fulfillment.findFirstOrThrow();
    expect(after.shipmentStatus).toBe("in_transit");
    expect(await t.db.fulfillment.count()).toBe(1);
  });

  it("fulfillment_events/create adds a timeline entry and moves the shipment status", async () => {
    await deliver("fulfillments/create", examplePayload("fulfillments/create"));
    await t.db.fulfillment.updateMany({ data: { shopifyId: "gid://shopify/Fulfillment/123456" } });
    await deliver("fulfillment_events/create", examplePayload("fulfillment_events/create"));
    const event = await t.db.fulfillmentEvent.findFirstOrThrow();
    expect(event).toMatchObject({ status: "in_transit", message: "Item is now in transit", countryCode: "CA" });
    const f = await t.db.fulfillment.findFirstOrThrow();
    expect(f.shipmentStatus).toBe("in_transit");
    expect(f.inTransitAt?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
  });

  it("refunds/create records the refund and its lines once", async () => {
    await deliver("refunds/create", examplePayload("refunds/create"));
    await deliver("refunds/create", examplePayload("refunds/create"));
    const refunds = await t.db.refund.findMany({ include: { lines: true } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amountMinor: 8500, note: "Things were damaged" });
    expect(refunds[0].lines).toHaveLength(5);
  });

  it("returns/* walk a return through its statuses", async () => {
    const base = "2024-05-01T10:00:00Z";
    const at = (minutes: number) => new Date(Date.parse(base) + minutes * 60_000).toISOString();
    await deliver("returns/request", examplePayload("returns/request"), { triggeredAt: at(0) });
    let r = await t.db.shopifyReturn.findFirstOrThrow();
    expect(r).toMatchObject({
      status: "requested",
      shopifyId: "gid://shopify/Return/123134564567890",
      totalQuantity: 2,
    });
    await deliver("returns/approve", examplePayload("returns/approve"), { triggeredAt: at(1) });
    expect((await t.db.shopifyReturn.findFirstOrThrow()).status).toBe("open");
    await deliver("returns/process", examplePayload("returns/process"), { triggeredAt: at(2) });
    expect((await t.db.shopifyReturn.findFirstOrThrow()).status).toBe("open");
    await deliver("returns/close", examplePayload("returns/close"), { triggeredAt: at(3) });
    r = await t.db.shopifyReturn.findFirstOrThrow();
    expect(r.status).toBe("closed");
    expect(r.closedAt?.toISOString()).toBe(at(3));
    // An approval delivered late does not reopen a closed return.
    await deliver("returns/approve", examplePayload("returns/approve"), { triggeredAt: at(1) });
    expect((await t.db.shopifyReturn.findFirstOrThrow()).status).toBe("closed");
    expect(await t.db.webhookEvent.count({ where: { status: { not: "processed" } } })).toBe(0);
  });

  it("returns/decline keeps the reason; returns/cancel marks it canceled", async () => {
    await deliver("returns/decline", examplePayload("returns/decline"));
    expect(await t.db.shopifyReturn.findFirstOrThrow()).toMatchObject({
      status: "declined",
      declineReason: "return_period_ended",
    });
    await deliver("returns/cancel", examplePayload("returns/cancel"));
    expect((await t.db.shopifyReturn.findFirstOrThrow()).status).toBe("canceled");
  });

  it("customers/create and customers/update keep the customer", async () => {
    await deliver("customers/create", examplePayload("customers/create"));
    expect(await t.db.customer.findFirstOrThrow()).toMatchObject({
      email: "bob@biller.com",
      firstName: "Bob",
      state: "disabled",
    });
    const update = {
      ...JSON.parse(examplePayload("customers/update")),
      email: "robert@biller.com",
      updated_at: "2023-01-01T00:00:00Z",
    };
    await deliver("customers/update", update);
    expect(await t.db.customer.count()).toBe(1);
    expect((await t.db.customer.findFirstOrThrow()).email).toBe("robert@biller.com");
  });

  it("app/uninstalled removes the shop's sessions and marks it uninstalled", async () => {
    await t.db.shop.create({ data: { domain: SHOP } });
    await t.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "token" } });
    await t.db.session.create({
      data: { id: "offline_other.myshopify.com", shop: "other.myshopify.com", state: "", accessToken: "t" },
    });
    await deliver("app/uninstalled", examplePayload("app/uninstalled"));
    expect(await t.db.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await t.db.session.count()).toBe(1);
    expect((await t.db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).not.toBeNull();
  });

  it("app/scopes_update records the granted scopes", async () => {
    await t.db.session.create({
      data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "token", scope: "read_products" },
    });
    await deliver("app/scopes_update", examplePayload("app/scopes_update"));
    expect((await t.db.session.findFirstOrThrow()).scope).toBe("read_products,write_products");
  });
});

describe("ordering", () => {
  it("an update that arrives before its create leaves the newest state", async () => {
    await deliver(
      "orders/updated",
      order({ updated_at: "2022-01-05T00:00:00Z", financial_status: "paid", email: "new@example.com" }),
    );
    await deliver(
      "orders/create",
      order({ updated_at: "2022-01-01T00:00:00Z", financial_status: "pending", email: "old@example.com" }),
    );
    const row = await t.db.order.findFirstOrThrow();
    expect(row.financialStatus).toBe("paid");
    expect(row.email).toBe("new@example.com");
    expect(await t.db.order.count()).toBe(1);
  });

  it("an old update after a new one changes nothing", async () => {
    await deliver("orders/create", order({ updated_at: "2022-01-01T00:00:00Z", financial_status: "pending" }));
    await deliver("orders/updated", order({ updated_at: "2022-01-03T00:00:00Z", financial_status: "refunded" }));
    await deliver("orders/paid", order({ updated_at: "2022-01-02T00:00:00Z", financial_status: "paid" }));
    expect((await t.db.order.findFirstOrThrow()).financialStatus).toBe("refunded");
  });

  it("a customer update older than the stored one changes nothing", async () => {
    const c = JSON.parse(examplePayload("customers/update"));
    await deliver("customers/update", { ...c, email: "new@biller.com", updated_at: "2024-02-01T00:00:00Z" });
    await deliver("customers/update", { ...c, email: "old@biller.com", updated_at: "2024-01-01T00:00:00Z" });
    expect((await t.db.customer.findFirstOrThrow()).email).toBe("new@biller.com");
  });

  it("a shipment scan does not overwrite a newer fulfillment status", async () => {
    const f = JSON.parse(examplePayload("fulfillments/update"));
    await deliver("fulfillments/update", { ...f, shipment_status: "delivered", updated_at: "2024-03-05T00:00:00Z" });
    const scan = JSON.parse(examplePayload("fulfillment_events/create"));
    await deliver("fulfillment_events/create", {
      ...scan,
      fulfillment_id: f.id,
      status: "in_transit",
      happened_at: "2024-03-02T00:00:00Z",
    });
    expect((await t.db.fulfillment.findFirstOrThrow()).shipmentStatus).toBe("delivered");
  });
});

describe("recovery", () => {
  it("events recorded before a crash are processed when a runner starts again", async () => {
    // Recorded, answered 200, then the process died before any handler ran.
    for (const topic of ["orders/create", "customers/create", "fulfillments/create"]) {
      const response = await receiveWebhook(webhookRequest(topic, examplePayload(topic), { shop: SHOP }), {
        db: t.db,
        secret,
      });
      expect(response.status).toBe(200);
    }
    expect(await t.db.order.count()).toBe(0);
    const runner = inProcessRunner(t.db, { sweepMs: 60_000 });
    await runner.start();
    await runner.idle();
    await runner.stop();
    expect(await t.db.order.count()).toBe(1);
    expect(await t.db.customer.count()).toBe(1);
    expect(await t.db.fulfillment.count()).toBe(1);
    expect(await t.db.webhookEvent.count({ where: { status: "processed" } })).toBe(3);
  });

  it("an event a worker claimed and abandoned is taken over once its claim expires", async () => {
    await receiveWebhook(webhookRequest("orders/create", examplePayload("orders/create"), { shop: SHOP }), {
      db: t.db,
      secret,
    });
    const event = await t.db.webhookEvent.findFirstOrThrow();
    await t.db.webhookEvent.update({
      where: { id: event.id },
      data: { status: "processing", attempts: 1, lockedUntil: new Date(Date.now() - 1000) },
    });
    expect(await processEvent(t.db, event.id)).toBe("processed");
    expect(await t.db.order.count()).toBe(1);
  });

  it("a failing event is retried with backoff, parked after the last attempt, and can be retried by hand", async () => {
    const broken = { ...JSON.parse(examplePayload("orders/create")), created_at: "not a date", updated_at: null };
    await receiveWebhook(webhookRequest("orders/create", broken, { shop: SHOP }), { db: t.db, secret });
    const event = await t.db.webhookEvent.findFirstOrThrow();
    // An unreadable payload is parked at once: retrying cannot help.
    expect(await processEvent(t.db, event.id)).toBe("parked");
    const parked = await t.db.webhookEvent.findFirstOrThrow();
    expect(parked.lastError).toMatch(/created_at/);

    expect(await requeueEvents(t.db, "someone-else.myshopify.com", [event.id])).toBe(0);
    expect(await requeueEvents(t.db, SHOP, [event.id])).toBe(1);
    expect((await t.db.webhookEvent.findFirstOrThrow()).status).toBe("pending");
  });

  it("a transient failure backs off and parks after MAX_ATTEMPTS", async () => {
    // A fulfillment event for a topic handler that throws until the data is fixed.
    const scan = {
      ...JSON.parse(examplePayload("fulfillment_events/create")),
      happened_at: "garbage",
      created_at: "garbage",
    };
    await receiveWebhook(webhookRequest("fulfillment_events/create", scan, { shop: SHOP }), { db: t.db, secret });
    const { id } = await t.db.webhookEvent.findFirstOrThrow();
    expect(await processEvent(t.db, id)).toBe("parked");
    expect(MAX_ATTEMPTS).toBeGreaterThan(1);
  });
});

describe("compliance", () => {
  // The customer Shopify's compliance examples are about.
  const email = "john@example.com";
  const customerRef = { id: 191167, admin_graphql_api_id: "gid://shopify/Customer/191167", email };
  // Their name, phone and address, spelled so that nothing else in the database contains them.
  const person = { first_name: "Wilhelmina", last_name: "Quarrington", phone: "+1 613-555-0143" };
  const address = {
    ...person,
    address1: "77 Larkspur Crescent",
    city: "Pemberwick",
    zip: "K9Q 4Z7",
    name: "Wilhelmina Quarrington",
  };
  const personalData = [
    email,
    person.first_name,
    person.last_name,
    person.phone,
    address.address1,
    address.city,
    address.zip,
  ];

  async function seedCustomerData() {
    const example = order();
    await deliver("orders/create", {
      ...example,
      email,
      contact_email: email,
      phone: person.phone,
      shipping_address: { ...example.shipping_address, ...address },
      billing_address: { ...example.billing_address, ...address },
      customer: { ...example.customer, ...customerRef, ...person, default_address: address },
    });
    await deliver("customers/create", {
      ...JSON.parse(examplePayload("customers/create")),
      id: 191167,
      admin_graphql_api_id: "gid://shopify/Customer/191167",
      email,
      ...person,
      default_address: address,
    });
  }

  /**
   * SQLite: which of the strings are still in the bytes of the database file or its write-ahead
   * log, where a deleted row's bytes outlive it in free pages and old log frames unless erased.
   */
  function fileMentions(needles: string[]): string[] {
    if (t.kind !== "sqlite") return [];
    const path = sqlitePath(t.url);
    const found: string[] = [];
    for (const file of [path, `${path}-wal`]) {
      const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
      const name = file.slice(path.length) || "db";
      for (const needle of needles) if (bytes.includes(needle)) found.push(`${name}: ${needle}`);
    }
    return found;
  }
  const anywhereInFiles = (needles: string[]) => new Set(fileMentions(needles).map((f) => f.replace(/^[^:]*: /, "")));

  /** Every text column of every table, searched for a string. */
  async function tablesMentioning(needle: string): Promise<string[]> {
    const tables = [
      "Session",
      "Shop",
      "WebhookEvent",
      "Customer",
      "Order",
      "LineItem",
      "Fulfillment",
      "FulfillmentLine",
      "FulfillmentEvent",
      "Refund",
      "RefundLine",
      "ShopifyReturn",
      "DataRequest",
    ];
    const found: string[] = [];
    for (const table of tables) {
      const rows = (await t.db.$queryRawUnsafe(`SELECT * FROM "${table}"`)) as object[];
      if (JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v)).includes(needle)) found.push(table);
    }
    return found;
  }

  it("customers/data_request records an export of what the app holds", async () => {
    await seedCustomerData();
    await deliver("customers/data_request", examplePayload("customers/data_request"));
    const request = await t.db.dataRequest.findFirstOrThrow();
    expect(request.customerShopifyId).toBe("gid://shopify/Customer/191167");
    const exported = JSON.parse(request.export);
    expect(exported.orders.customers[0].email).toBe(email);
    expect(exported.orders.orders[0].name).toBe("#9999");
  });

  it("customers/redact leaves the customer's email nowhere in the database", async () => {
    await seedCustomerData();
    await deliver("customers/data_request", examplePayload("customers/data_request"));
    expect(await tablesMentioning(email)).not.toEqual([]);
    // The search sees what it looks for while the data is there.
    if (t.kind === "sqlite") expect(anywhereInFiles(personalData)).toEqual(new Set(personalData));
    await deliver("customers/redact", examplePayload("customers/redact"));
    expect(await tablesMentioning(email)).toEqual([]);
    for (const needle of personalData) expect(await tablesMentioning(needle)).toEqual([]);
    // Not in the rows, nor in the file's free pages, nor in the log: the phone the request names too.
    expect(fileMentions([...personalData, "555-625-1199"])).toEqual([]);
    // Commercial facts stay for the merchant's reports.
    const row = await t.db.order.findFirstOrThrow();
    expect(row.totalMinor).toBe(41495);
    expect(row.redactedAt).not.toBeNull();
    // A late order webhook does not bring the email back.
    const example = order();
    await deliver("orders/updated", {
      ...example,
      email,
      customer: { ...example.customer, ...customerRef },
      updated_at: "2030-01-01T00:00:00Z",
    });
    expect(await tablesMentioning(email)).toEqual([]);
  });

  it("shop/redact deletes everything the shop had and nothing of another shop", async () => {
    await seedCustomerData();
    await deliver("orders/create", examplePayload("orders/create"), { shop: "other.myshopify.com" });
    await t.db.shop.create({ data: { domain: SHOP } });
    await t.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "token" } });
    if (t.kind === "sqlite") expect(anywhereInFiles(personalData)).toEqual(new Set(personalData));
    await deliver("shop/redact", examplePayload("shop/redact"));
    expect(fileMentions([...personalData, `offline_${SHOP}`])).toEqual([]);
    expect(await t.db.order.count({ where: { shop: SHOP } })).toBe(0);
    expect(await t.db.customer.count({ where: { shop: SHOP } })).toBe(0);
    expect(await t.db.lineItem.count({ where: { order: { shop: SHOP } } })).toBe(0);
    expect(await t.db.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await t.db.shop.count({ where: { domain: SHOP } })).toBe(0);
    // Only the delivery ids stay (docs/decisions/0017), with nothing of what they carried.
    expect(await t.db.webhookEvent.count({ where: { shop: SHOP, NOT: { payload: "" } } })).toBe(0);
    expect(await t.db.order.count({ where: { shop: "other.myshopify.com" } })).toBe(1);
  });
});
