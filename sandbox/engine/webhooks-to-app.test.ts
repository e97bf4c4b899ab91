import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { receiveWebhook } from "../../app/webhooks/receive.server";
import { processEvent } from "../../app/jobs/process-event.server";
import { SUBSCRIBED_TOPICS } from "../../app/webhooks/handlers.server";

import { testSandbox, TEST_SHOP, schemaErrors } from "./testing";
import { financialStatus, gidFor, orderFulfillmentStatus, orderTotals, sum, type Order } from "./state";

/**
 * Every webhook the sandbox emits fits Shopify's schema for its topic, and the app's own intake
 * (receiveWebhook -> inbox -> processEvent -> handlers) turns it into a mirror that matches the
 * sandbox's state.
 */
let t: TestDatabase;
const secret = process.env.SHOPIFY_API_SECRET!;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** Delivers into the app and runs the handler at once, as the in-process job runner would. */
function appReceiver() {
  const outcomes: string[] = [];
  const fetch = async (request: Request) => {
    const recorded: string[] = [];
    const response = await receiveWebhook(request, { db: t.db, secret, onRecorded: (id) => recorded.push(id) });
    for (const id of recorded) outcomes.push(await processEvent(t.db, id));
    return response;
  };
  return { fetch, outcomes };
}

function runStory() {
  const receiver = appReceiver();
  const { sandbox, mug, tee, candle } = testSandbox({ webhookFetch: receiver.fetch, apiSecret: secret });
  const s = TEST_SHOP;
  const ada = sandbox.createCustomer({
    shop: s,
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "Lovelace",
    tags: ["vip"],
  });
  const order = sandbox.placeOrder({
    shop: s,
    customer: ada,
    lines: [
      { variantId: mug.variants[0].id, quantity: 2 },
      { variantId: tee.variants[1].id, quantity: 1 },
    ],
    paid: true,
    taxRate: 0.13,
    shippingAddress: { city: "Toronto", provinceCode: "ON", province: "Ontario", zip: "M5V 2T6" },
  });
  const guest = sandbox.placeOrder({
    shop: s,
    email: "guest@example.com",
    lines: [{ variantId: candle.variants[0].id, quantity: 1 }],
    paid: false,
  });
  sandbox.payOrder({ shop: s, order: guest });
  // A split shipment: one mug first, the rest later.
  const first = sandbox.fulfil({
    shop: s,
    order,
    lines: [{ lineItemId: order.lineItems[0].id, quantity: 1 }],
    trackingCompany: "UPS",
    trackingNumber: "1Z999",
  });
  const second = sandbox.fulfil({ shop: s, order, trackingCompany: "Canada Post", trackingNumber: "CP123" });
  sandbox.carrierScan({
    shop: s,
    fulfillment: first,
    status: "in_transit",
    estimatedDeliveryAt: "2030-01-05T17:00:00Z",
  });
  sandbox.delay({ shop: s, fulfillment: first, until: "2030-01-07T17:00:00Z" });
  sandbox.carrierScan({ shop: s, fulfillment: first, status: "out_for_delivery" });
  sandbox.carrierScan({ shop: s, fulfillment: first, status: "delivered" });
  sandbox.carrierScan({ shop: s, fulfillment: second, status: "attempted_delivery", message: "Nobody home" });
  sandbox.refund({ shop: s, order, lines: [{ lineItemId: order.lineItems[1].id, quantity: 1 }], shipping: true });
  const requested = sandbox.requestReturn({
    shop: s,
    order,
    lines: [{ lineItemId: order.lineItems[0].id, quantity: 1 }],
    reason: "SIZE_TOO_SMALL",
  });
  sandbox.approveReturn({ shop: s, return: requested });
  sandbox.processReturn({ shop: s, return: requested });
  sandbox.closeReturn({ shop: s, return: requested });
  const declined = sandbox.requestReturn({
    shop: s,
    order,
    lines: [{ lineItemId: order.lineItems[0].id, quantity: 1 }],
  });
  sandbox.declineReturn({ shop: s, return: declined, reason: "FINAL_SALE", note: "Sale items are final" });
  const canceled = sandbox.merchantCreateReturn({
    shop: s,
    order,
    lines: [{ lineItemId: order.lineItems[0].id, quantity: 1 }],
    reason: "DEFECTIVE",
  });
  sandbox.cancelReturn({ shop: s, return: canceled });
  const cancelled = sandbox.placeOrder({
    shop: s,
    customer: ada,
    lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
    paid: true,
  });
  sandbox.cancelOrder({ shop: s, order: cancelled, reason: "customer" });
  sandbox.updateCustomer({ shop: s, customer: ada, tags: ["vip", "returns"], acceptsMarketing: true });
  return { sandbox, receiver, order, guest, cancelled, ada };
}

describe("the sandbox's webhooks, through the app's own intake", () => {
  let story: ReturnType<typeof runStory>;

  beforeAll(async () => {
    story = runStory();
    await story.sandbox.flush();
  });

  it("emits each topic Shopify would, and every payload fits Shopify's schema", () => {
    const deliveries = story.sandbox.webhooks.deliveries();
    const topics = new Set(deliveries.map((d) => d.topic));
    for (const topic of [
      "customers/create",
      "customers/update",
      "orders/create",
      "orders/paid",
      "orders/updated",
      "orders/cancelled",
      "fulfillments/create",
      "fulfillments/update",
      "fulfillment_events/create",
      "refunds/create",
      "returns/request",
      "returns/approve",
      "returns/decline",
      "returns/process",
      "returns/close",
      "returns/cancel",
    ]) {
      expect(topics, topic).toContain(topic);
    }
    for (const d of deliveries) {
      expect(schemaErrors(d.topic, JSON.parse(d.body)), `${d.topic} ${d.webhookId}`).toBeNull();
    }
  });

  it("is accepted by the app: every delivery answered 200 and every event processed", async () => {
    const deliveries = story.sandbox.webhooks.deliveries();
    expect(deliveries.every((d) => d.status === "delivered" && d.responseCode === 200)).toBe(true);
    expect(story.receiver.outcomes.length).toBe(deliveries.length);
    expect(new Set(story.receiver.outcomes)).toEqual(new Set(["processed"]));
    expect(await t.db.webhookEvent.count({ where: { status: { not: "processed" } } })).toBe(0);
  });

  it("leaves a mirror of orders and line items that matches the sandbox", async () => {
    const shop = story.sandbox.shop(TEST_SHOP);
    for (const order of shop.orders) {
      const row = await t.db.order.findUniqueOrThrow({
        where: { shop_shopifyId: { shop: TEST_SHOP, shopifyId: gidFor("Order", order.id) } },
        include: { lineItems: true },
      });
      const totals = orderTotals(order);
      expect(row).toMatchObject({
        name: order.name,
        orderNumber: order.number,
        email: order.email,
        customerShopifyId: gidFor("Customer", order.customerId!),
        currency: "USD",
        totalMinor: totals.currentTotalMinor,
        subtotalMinor: totals.currentSubtotalMinor,
        totalTaxMinor: totals.currentTaxMinor,
        totalShippingMinor: totals.shippingMinor,
        financialStatus: financialStatus(order),
        fulfillmentStatus: orderFulfillmentStatus(order),
        cancelReason: order.cancelReason,
      });
      expect(row.shopifyUpdatedAt.toISOString()).toBe(order.updatedAt);
      expect(row.cancelledAt?.toISOString() ?? null).toBe(order.cancelledAt);
      expect(row.lineItems.map((l) => [l.shopifyId, l.quantity, l.priceMinor, l.variantShopifyId]).sort()).toEqual(
        order.lineItems
          .map((l) => [gidFor("LineItem", l.id), l.quantity, l.priceMinor, gidFor("ProductVariant", l.variantId!)])
          .sort(),
      );
    }
    const first = await t.db.order.findFirstOrThrow({ where: { shopifyId: gidFor("Order", story.order.id) } });
    expect(first.financialStatus).toBe("partially_refunded");
    expect(first.fulfillmentStatus).toBe("fulfilled");
    expect(first.shippingCity).toBe("Toronto");
    const cancelled = await t.db.order.findFirstOrThrow({ where: { shopifyId: gidFor("Order", story.cancelled.id) } });
    expect(cancelled.financialStatus).toBe("refunded");
    expect(cancelled.cancelledAt).not.toBeNull();
  });

  it("mirrors fulfilments with tracking, lines, carrier scans and shipment status", async () => {
    const order = story.sandbox.shop(TEST_SHOP).orders.find((o) => o.id === story.order.id)!;
    const rows = await t.db.fulfillment.findMany({
      where: { orderShopifyId: gidFor("Order", order.id) },
      include: { lines: true },
      orderBy: { name: "asc" },
    });
    expect(rows.map((r) => r.name)).toEqual(order.fulfillments.map((f) => f.name));
    for (const [i, f] of order.fulfillments.entries()) {
      const row = rows[i];
      expect(row.shopifyId).toBe(gidFor("Fulfillment", f.id));
      expect(row.trackingCompany).toBe(f.trackingCompany);
      expect(JSON.parse(row.trackingNumbers)).toEqual(f.trackingNumbers);
      expect(JSON.parse(row.trackingUrls)).toEqual(f.trackingUrls);
      expect(row.shipmentStatus).toBe(f.shipmentStatus);
      expect(row.lines.map((l) => [l.lineItemShopifyId, l.quantity]).sort()).toEqual(
        f.lineItems.map((l) => [gidFor("LineItem", l.lineItemId), l.quantity]).sort(),
      );
      const events = await t.db.fulfillmentEvent.findMany({
        where: { fulfillmentShopifyId: row.shopifyId },
        orderBy: { happenedAt: "asc" },
      });
      expect(events.map((e) => [e.shopifyId, e.status, e.happenedAt.toISOString()])).toEqual(
        f.events.map((e) => [gidFor("FulfillmentEvent", e.id), e.status, e.happenedAt]),
      );
    }
    expect(rows[0].shipmentStatus).toBe("delivered");
    expect(rows[0].deliveredAt?.toISOString()).toBe(order.fulfillments[0].deliveredAt);
    expect(rows[1].shipmentStatus).toBe("attempted_delivery");
  });

  it("mirrors refunds with their lines and the money that went back", async () => {
    const shop = story.sandbox.shop(TEST_SHOP);
    const refunds = shop.orders.flatMap((o) => o.refunds.map((r) => ({ o, r })));
    expect(refunds.length).toBe(3);
    for (const { o, r } of refunds) {
      const row = await t.db.refund.findFirstOrThrow({
        where: { shopifyId: gidFor("Refund", r.id) },
        include: { lines: true },
      });
      const money = sum(r.transactionIds.map((id) => o.transactions.find((x) => x.id === id)!.amountMinor));
      expect(row.orderShopifyId).toBe(gidFor("Order", o.id));
      expect(row.amountMinor).toBe(money);
      expect(row.currency).toBe("USD");
      expect(row.lines.map((l) => [l.lineItemShopifyId, l.quantity, l.subtotalMinor, l.restockType]).sort()).toEqual(
        r.lines.map((l) => [gidFor("LineItem", l.lineItemId), l.quantity, l.subtotalMinor, l.restockType]).sort(),
      );
    }
  });

  it("mirrors each return's status, lines and decline", async () => {
    const order = story.sandbox.shop(TEST_SHOP).orders.find((o) => o.id === story.order.id)!;
    expect(order.returns.map((r) => r.status)).toEqual(["closed", "declined", "canceled"]);
    for (const ret of order.returns) {
      const row = await t.db.shopifyReturn.findFirstOrThrow({ where: { shopifyId: gidFor("Return", ret.id) } });
      expect(row.status).toBe(ret.status);
      expect(row.orderShopifyId).toBe(gidFor("Order", order.id));
      expect(row.totalQuantity).toBe(sum(ret.lines.map((l) => l.quantity)));
      expect(JSON.parse(row.lines)).toEqual(
        ret.lines.map((l) => ({
          lineItemShopifyId: gidFor("LineItem", l.lineItemId),
          quantity: l.quantity,
          reason: l.returnReason.toLowerCase(),
        })),
      );
    }
    const declined = await t.db.shopifyReturn.findFirstOrThrow({
      where: { shopifyId: gidFor("Return", order.returns[1].id) },
    });
    expect(declined).toMatchObject({ declineReason: "final_sale", declineNote: "Sale items are final" });
    const closed = await t.db.shopifyReturn.findFirstOrThrow({
      where: { shopifyId: gidFor("Return", order.returns[0].id) },
    });
    expect(closed.closedAt).not.toBeNull();
  });

  it("mirrors customers, including the guest Shopify files as a customer", async () => {
    const shop = story.sandbox.shop(TEST_SHOP);
    expect(shop.customers.map((c) => c.email).sort()).toEqual(["ada@example.com", "guest@example.com"]);
    for (const c of shop.customers) {
      const row = await t.db.customer.findFirstOrThrow({ where: { shopifyId: gidFor("Customer", c.id) } });
      expect(row).toMatchObject({
        email: c.email,
        firstName: c.firstName,
        lastName: c.lastName,
        tags: c.tags.join(", "),
        acceptsMarketing: c.acceptsMarketing,
      });
      expect(row.shopifyUpdatedAt?.toISOString()).toBe(c.updatedAt);
    }
  });
});

describe("app and compliance topics", () => {
  const everyAppTopic =
    "redact, data request, scopes update, uninstall and shop/redact all fit their schemas and are honoured";
  it(everyAppTopic, async () => {
    const receiver = appReceiver();
    const { sandbox, mug } = testSandbox({ webhookFetch: receiver.fetch, apiSecret: secret });
    const shop = "compliance-test.myshopify.com";
    sandbox.createShop({ domain: shop });
    const variant = sandbox.addProduct(shop, { title: "Mug", price: "10.00" }).variants[0];
    expect(mug).toBeTruthy();
    const grace = sandbox.createCustomer({ shop, email: "grace@example.com", firstName: "Grace", lastName: "Hopper" });
    const order: Order = sandbox.placeOrder({
      shop,
      customer: grace,
      lines: [{ variantId: variant.id, quantity: 1 }],
      paid: true,
    });
    await t.db.shop.create({ data: { domain: shop } });
    await t.db.session.create({
      data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_x", scope: "read_orders" },
    });

    sandbox.customersDataRequest({ shop, customer: grace });
    await sandbox.flush();
    const request = await t.db.dataRequest.findFirstOrThrow({
      where: { shop, customerShopifyId: gidFor("Customer", grace.id) },
    });
    expect(JSON.parse(request.ordersRequested)).toEqual([gidFor("Order", order.id)]);
    sandbox.customersRedact({ shop, customer: grace });
    sandbox.appScopesUpdate({ shop, scopes: ["read_orders", "write_orders"] });
    await sandbox.flush();
    const redacted = await t.db.order.findFirstOrThrow({ where: { shop, shopifyId: gidFor("Order", order.id) } });
    expect(redacted.email).toBeNull();
    expect((await t.db.session.findFirstOrThrow({ where: { shop } })).scope).toBe("read_orders,write_orders");

    sandbox.appUninstalled({ shop });
    // No webhooks for an uninstalled app, except shop/redact.
    sandbox.createCustomer({ shop, email: "late@example.com" });
    sandbox.shopRedact({ shop });
    await sandbox.flush();
    const deliveries = sandbox.webhooks.deliveries({ shop });
    expect(deliveries.filter((d) => d.topic === "customers/create").length).toBe(1);
    for (const topic of [
      "customers/data_request",
      "customers/redact",
      "app/scopes_update",
      "app/uninstalled",
      "shop/redact",
    ]) {
      const d = deliveries.find((x) => x.topic === topic);
      expect(d, topic).toBeTruthy();
      expect(schemaErrors(topic, JSON.parse(d!.body)), topic).toBeNull();
      expect(d!.responseCode).toBe(200);
    }
    expect(await t.db.order.count({ where: { shop } })).toBe(0);
    expect(await t.db.session.count({ where: { shop } })).toBe(0);
  });

  it("covers every topic the app subscribes to", async () => {
    const { sandbox } = testSandbox();
    expect(SUBSCRIBED_TOPICS.length).toBe(22);
    // The story above and this test between them emit all of them; checked here by name.
    const emitted = new Set<string>();
    const story = runStory();
    await story.sandbox.flush();
    for (const d of story.sandbox.webhooks.deliveries()) emitted.add(d.topic);
    sandbox.customersDataRequest({
      shop: TEST_SHOP,
      customer: sandbox.createCustomer({ shop: TEST_SHOP, email: "x@example.com" }),
    });
    sandbox.customersRedact({ shop: TEST_SHOP, customer: "x@example.com" });
    // A bulk query's end (the history import's), while the app is installed: bulk_operations/finish.
    const bulk = await sandbox.graphqlClient(TEST_SHOP)(
      `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id } } } }") { userErrors { message } } }`,
    );
    expect(await bulk.json()).toMatchObject({ data: { bulkOperationRunQuery: { userErrors: [] } } });
    await sandbox.bulk.settle();
    sandbox.appScopesUpdate({ shop: TEST_SHOP, scopes: [] });
    sandbox.appUninstalled({ shop: TEST_SHOP });
    sandbox.shopRedact({ shop: TEST_SHOP });
    await sandbox.flush();
    for (const d of sandbox.webhooks.deliveries()) emitted.add(d.topic);
    expect([...emitted].sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
  });
});
