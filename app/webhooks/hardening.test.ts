/**
 * The intake and the inbox under attack: shop domains that are not shops, payloads that fail the
 * same way every time, malformed compliance requests, and deliveries replayed after shop/redact.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { examplePayload, webhookRequest } from "../../tests/helpers/webhooks";
import { failureKind } from "../jobs/failure-kind";
import { processEvent, REDACTED_SHOP_OUTCOME } from "../jobs/process-event.server";
import { MAX_ATTEMPTS, pruneProcessed, PROCESSED_RETENTION_MS, syncOverview } from "../models/webhook-inbox.server";
import { recordInstall } from "../services/record-install.server";

import { onWebhook } from "./handlers.server";
import { PayloadError } from "./payloads";
import { receiveWebhook, type ReceiveDeps } from "./receive.server";

const SHOP = "aftercare-test.myshopify.com";
const secret = process.env.SHOPIFY_API_SECRET!;
const T0 = new Date("2026-11-02T10:00:00Z");
const clock = (at: Date) => () => at;
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  // Rows get their times from the clock too (receivedAt, nextAttemptAt): one fixed moment for all.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});
afterAll(async () => {
  vi.useRealTimers();
  await t.drop();
});
beforeEach(async () => {
  for (const table of [
    "webhookEvent",
    "lineItem",
    "order",
    "customer",
    "dataRequest",
    "session",
    "shop",
    "redactedShop",
  ] as const) {
    await (t.db[table] as unknown as { deleteMany(): Promise<unknown> }).deleteMany();
  }
});

/** Delivers like Shopify and runs the handlers at T0, as the job runner would. */
async function deliver(
  topic: string,
  body: string | object,
  options: Parameters<typeof webhookRequest>[2] = {},
  extra: Partial<ReceiveDeps> = {},
) {
  const recorded: string[] = [];
  const response = await receiveWebhook(
    webhookRequest(topic, body, {
      shop: SHOP,
      triggeredAt: T0.toISOString(),
      ...options,
    }),
    { db: t.db, secret, onRecorded: (id) => recorded.push(id), ...extra },
  );
  const outcomes = [];
  for (const id of recorded) outcomes.push(await processEvent(t.db, id, clock(T0)));
  return {
    status: response.status,
    text: await response.text(),
    outcomes,
    ids: recorded,
  };
}

const order = (overrides: Record<string, unknown> = {}) => ({
  ...JSON.parse(examplePayload("orders/create")),
  ...overrides,
});

describe("the shop a delivery names", () => {
  it.each([
    "evil.example.com",
    "not a domain",
    "shop.myshopify.com.evil.test",
    "-x.myshopify.com",
    "",
    "a/../b.myshopify.com",
  ])("answers 400 for %j and records nothing", async (domain) => {
    const answer = await deliver("orders/create", examplePayload("orders/create"), {
      headers: { "x-shopify-shop-domain": domain },
    });
    if (domain === "") {
      // An empty header is a missing header.
      expect(answer.status).toBe(400);
    } else {
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/not a shop domain.*myshopify\.com/);
    }
    expect(await t.db.webhookEvent.count()).toBe(0);
  });

  it("checks the signature first: a bad HMAC is 401 whatever the domain or body", async () => {
    const response = await receiveWebhook(
      webhookRequest("orders/create", "not json", {
        secret: "wrong",
        headers: { "x-shopify-shop-domain": "evil.example.com" },
      }),
      { db: t.db, secret },
    );
    expect(response.status).toBe(401);
  });

  it("stores the domain in lower case, so one shop is one tenant", async () => {
    await deliver("orders/create", examplePayload("orders/create"), {
      shop: "Aftercare-Test.MyShopify.COM",
    });
    const event = await t.db.webhookEvent.findFirstOrThrow();
    expect(event.shop).toBe(SHOP);
    expect(await t.db.order.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("accepts the configured custom shop domain, and only when one is configured", async () => {
    const custom = { shop: "Shop.Example.COM" };
    expect((await deliver("orders/create", examplePayload("orders/create"), custom)).status).toBe(400);
    const accepted = await deliver("orders/create", examplePayload("orders/create"), custom, {
      customShopDomain: "shop.example.com",
    });
    expect(accepted.status).toBe(200);
    expect((await t.db.webhookEvent.findFirstOrThrow()).shop).toBe("shop.example.com");
  });
});

describe("failures that will repeat are parked at once", () => {
  it("tells transient failures from permanent ones", () => {
    expect(failureKind(new PayloadError("order payload has no id"))).toBe("permanent");
    expect(failureKind(new TypeError("Cannot read properties of undefined (reading 'map')"))).toBe("permanent");
    expect(
      failureKind(
        Object.assign(new Error("Argument `quantity`: Invalid value"), {
          name: "PrismaClientValidationError",
        }),
      ),
    ).toBe("permanent");
    expect(failureKind(Object.assign(new Error("value too long"), { code: "P2000" }))).toBe("permanent");
    expect(failureKind(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe("transient");
    expect(
      failureKind(
        Object.assign(new Error("Can't reach database server"), {
          code: "P1001",
        }),
      ),
    ).toBe("transient");
    // Node's fetch reports a refused connection as a TypeError; its cause says what happened.
    const refused = Object.assign(new Error("connect ECONNREFUSED"), {
      code: "ECONNREFUSED",
    });
    expect(failureKind(new TypeError("fetch failed", { cause: refused }))).toBe("transient");
    expect(failureKind(new Error("something we have never seen"))).toBe("transient");
  });

  // A listener on a real topic, failing as the payload says: the inbox's mechanism is what is tested.
  onWebhook("customers/update", async ({ payload }) => {
    if (payload.fail === "type") (payload.missing as { field: string }).field.trim();
    if (payload.fail === "busy")
      throw Object.assign(new Error("database is locked"), {
        code: "SQLITE_BUSY",
      });
  });
  const customer = (fail: string) => ({
    ...JSON.parse(examplePayload("customers/update")),
    fail,
  });

  it("a handler's type error parks the event on its first attempt, shown on the Sync page", async () => {
    const { outcomes } = await deliver("customers/update", customer("type"));
    expect(outcomes).toEqual(["parked"]);
    const event = await t.db.webhookEvent.findFirstOrThrow();
    expect(event).toMatchObject({ status: "parked", attempts: 1 });
    expect(event.lastError).toMatch(/retrying cannot help/);
    const overview = await syncOverview(t.db, SHOP, T0);
    expect(overview.problems.map((p) => p.status)).toEqual(["parked"]);
  });

  it("a payload the database refuses (a quantity that is not a number) is parked at once", async () => {
    const shipment = JSON.parse(examplePayload("fulfillments/create"));
    const body = {
      ...shipment,
      line_items: [{ ...shipment.line_items[0], quantity: "several" }],
    };
    const { outcomes } = await deliver("fulfillments/create", body);
    expect(outcomes).toEqual(["parked"]);
    expect((await t.db.webhookEvent.findFirstOrThrow()).attempts).toBe(1);
  });

  it("a busy database keeps its retries", async () => {
    const { outcomes, ids } = await deliver("customers/update", customer("busy"));
    expect(outcomes).toEqual(["failed"]);
    let event = await t.db.webhookEvent.findFirstOrThrow();
    expect(event.nextAttemptAt.getTime()).toBeGreaterThan(T0.getTime());
    // Each retry when due; parked only after the last attempt.
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      event = await t.db.webhookEvent.findFirstOrThrow();
      expect(await processEvent(t.db, ids[0], clock(event.nextAttemptAt))).toBe(
        attempt < MAX_ATTEMPTS ? "failed" : "parked",
      );
    }
    expect((await t.db.webhookEvent.findFirstOrThrow()).attempts).toBe(MAX_ATTEMPTS);
  });
});

describe("customers/redact with a malformed body", () => {
  const email = "john@example.com";
  const customerGid = "gid://shopify/Customer/191167";

  async function seed() {
    const example = order();
    const customerRef = { id: 191167, admin_graphql_api_id: customerGid, email };
    await deliver("orders/create", {
      ...example,
      email,
      contact_email: email,
      customer: { ...example.customer, ...customerRef },
    });
    await deliver("customers/create", {
      ...JSON.parse(examplePayload("customers/create")),
      ...customerRef,
    });
  }

  it("redacts by customer id when the orders are malformed and the email missing, saying what it skipped", async () => {
    await seed();
    const body = {
      shop_id: 954889,
      shop_domain: SHOP,
      customer: { id: 191167 },
      orders_to_redact: "299938,280263",
    };
    const { outcomes } = await deliver("customers/redact", body);
    expect(outcomes).toEqual(["processed"]);
    expect(await t.db.customer.findFirstOrThrow()).toMatchObject({
      email: null,
      redactedAt: T0,
    });
    expect(await t.db.order.findFirstOrThrow()).toMatchObject({
      email: null,
      redactedAt: T0,
    });
    const event = await t.db.webhookEvent.findFirstOrThrow({
      where: { topic: "customers/redact" },
    });
    expect(event.outcome).toMatch(/orders_to_redact is not a list/);
    expect(event.outcome).toMatch(/customer\.email is missing/);
    expect(event.outcome).not.toContain("299938");
    // The merchant sees it on the Sync page, among privacy requests handled in part.
    const { partlyHandled } = await syncOverview(t.db, SHOP, T0);
    expect(partlyHandled).toEqual([
      { id: event.id, topic: "customers/redact", outcome: event.outcome, receivedAt: event.receivedAt },
    ]);
  });

  it("redacts by email when the customer id is not an id, skipping order entries that are not ids", async () => {
    await seed();
    const body = {
      customer: { id: { nested: true }, email },
      orders_to_redact: ["820982911946154508", "drop table", { id: 1 }],
    };
    expect((await deliver("customers/redact", body)).outcomes).toEqual(["processed"]);
    expect((await t.db.customer.findFirstOrThrow()).email).toBeNull();
    expect((await t.db.order.findFirstOrThrow()).redactedAt).toEqual(T0);
    const event = await t.db.webhookEvent.findFirstOrThrow({
      where: { topic: "customers/redact" },
    });
    expect(event.outcome).toMatch(/customer\.id is missing/);
    expect(event.outcome).toMatch(/2 entries are not order ids/);
  });

  it("parks a request that names nobody, for a person to look at", async () => {
    const { outcomes } = await deliver("customers/redact", {
      customer: "?",
      orders_to_redact: {},
    });
    expect(outcomes).toEqual(["parked"]);
    expect((await t.db.webhookEvent.findFirstOrThrow()).lastError).toMatch(/names no customer, email or order/);
  });
});

describe("deliveries after shop/redact", () => {
  const shopDetails = {
    shop: {
      name: "Again",
      email: "owner@example.com",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Paris",
    },
  };
  const graphql = async () => new Response(JSON.stringify({ data: shopDetails }));

  it("an old delivery replayed after shop/redact is acknowledged and brings nothing back", async () => {
    expect(
      (
        await deliver("orders/create", examplePayload("orders/create"), {
          webhookId: "old-1",
        })
      ).outcomes,
    ).toEqual(["processed"]);
    await deliver("shop/redact", examplePayload("shop/redact"), {
      webhookId: "redact-1",
    });
    expect(await t.db.order.count()).toBe(0);

    // The same delivery again: its id is kept, so it is recognised at the door.
    const replay = await deliver("orders/create", examplePayload("orders/create"), { webhookId: "old-1" });
    expect(replay).toMatchObject({
      status: 200,
      text: "already recorded",
      outcomes: [],
    });
    // Even once processed ids would have been pruned, the kept ids stay.
    expect(await pruneProcessed(t.db, new Date(T0.getTime() + 10 * PROCESSED_RETENTION_MS))).toBe(0);
    expect(
      await t.db.webhookEvent.count({
        where: { webhookId: { in: ["old-1", "redact-1"] } },
      }),
    ).toBe(2);
    expect(await t.db.webhookEvent.count({ where: { NOT: { payload: "" } } })).toBe(0);

    // Under a new id (headers are not signed) it is acknowledged and does nothing.
    const forged = await deliver("orders/create", examplePayload("orders/create"), { webhookId: "forged-1" });
    expect(forged).toMatchObject({ status: 200, outcomes: ["processed"] });
    expect(await t.db.order.count()).toBe(0);
    expect(await t.db.shop.count()).toBe(0);
    expect(
      (
        await t.db.webhookEvent.findFirstOrThrow({
          where: { webhookId: "forged-1" },
        })
      ).outcome,
    ).toBe(REDACTED_SHOP_OUTCOME);
    // An old app/uninstalled does not recreate the shop's record either.
    await deliver("app/uninstalled", examplePayload("app/uninstalled"));
    expect(await t.db.shop.count()).toBe(0);
  });

  it("a reinstall takes new deliveries again; deliveries from before the redaction stay refused", async () => {
    await deliver("orders/create", examplePayload("orders/create"), {
      webhookId: "old-1",
    });
    await deliver("shop/redact", examplePayload("shop/redact"));
    await recordInstall(t.db, graphql, SHOP, "read_orders");
    expect(await t.db.redactedShop.count()).toBe(0);

    expect(
      (
        await deliver("orders/create", examplePayload("orders/create"), {
          webhookId: "old-1",
        })
      ).text,
    ).toBe("already recorded");
    expect(await t.db.order.count()).toBe(0);
    expect(
      (
        await deliver("orders/create", examplePayload("orders/create"), {
          webhookId: "new-1",
        })
      ).outcomes,
    ).toEqual(["processed"]);
    expect(await t.db.order.count({ where: { shop: SHOP } })).toBe(1);
    // The Sync page counts the new installation's deliveries, not the kept ids.
    const overview = await syncOverview(t.db, SHOP, T0);
    expect(overview.lastEventByTopic.find((e) => e.topic === "orders/create")?.count).toBe(1);
  });
});
