import { afterEach, describe, expect, it, vi } from "vitest";

import { testSandbox, TEST_SHOP } from "./testing";
import { gidFor, parseId } from "./state";

import { createSandbox } from "./index";

const fixedClock = () => {
  let now = Date.parse("2030-05-01T09:00:00Z");
  return () => new Date((now += 60_000));
};

function script(sandbox: ReturnType<typeof testSandbox>["sandbox"], mugVariant: number) {
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    email: "a@example.com",
    lines: [{ variantId: mugVariant, quantity: 2 }],
    paid: true,
  });
  const f = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z" });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: f, status: "in_transit" });
  sandbox.merchantCreateReturn({ shop: TEST_SHOP, order, lines: [{ lineItemId: order.lineItems[0].id, quantity: 1 }] });
  return order;
}

describe("sandbox state", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("numbers ids and orders deterministically: the same script gives the same state", () => {
    const a = testSandbox({ clock: fixedClock() });
    const b = testSandbox({ clock: fixedClock() });
    script(a.sandbox, a.mug.variants[0].id);
    script(b.sandbox, b.mug.variants[0].id);
    expect(JSON.stringify(a.sandbox.toJSON())).toBe(JSON.stringify(b.sandbox.toJSON()));
    const order = a.sandbox.shop(TEST_SHOP).orders[0];
    expect(order.name).toBe("#1001");
    expect(gidFor("Order", order.id)).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(parseId(gidFor("Order", order.id), "Order")).toBe(order.id);
    expect(parseId(gidFor("Order", order.id), "Customer")).toBeNull();
  });

  it("saves to JSON and continues from it: numbering, lookups and the API carry on", async () => {
    const first = testSandbox({ clock: fixedClock() });
    const order = script(first.sandbox, first.mug.variants[0].id);
    const saved = JSON.stringify(first.sandbox.toJSON());

    const again = createSandbox({
      apiKey: "k",
      apiSecret: "s",
      appUrl: "http://127.0.0.1:1",
      state: saved,
      webhookFetch: async () => new Response("ok"),
    });
    expect(JSON.stringify(again.toJSON())).toBe(saved);
    const next = again.placeOrder({
      shop: TEST_SHOP,
      customer: "a@example.com",
      lines: [{ variantId: first.tee.variants[0].id, quantity: 1 }],
      paid: false,
    });
    expect(next.name).toBe("#1002");
    expect(next.id).toBeGreaterThan(
      Math.max(...first.sandbox.shop(TEST_SHOP).orders.flatMap((o) => [o.id, ...o.lineItems.map((l) => l.id)])),
    );
    const body = (await again.graphql(
      TEST_SHOP,
      `query O($id: ID!) {
        order(id: $id) { name returns(first: 1) { nodes { status } } fulfillments { displayStatus } }
      }`,
      {
        id: gidFor("Order", order.id),
      },
    )) as { data: { order: unknown } };
    expect(body.data.order).toEqual({
      name: "#1001",
      returns: { nodes: [{ status: "OPEN" }] },
      fulfillments: [{ displayStatus: "IN_TRANSIT" }],
    });
  });

  it("gives every change a later updated_at even when the clock stands still", () => {
    const frozen = new Date("2030-05-01T09:00:00Z");
    const { sandbox, mug } = testSandbox({ clock: () => frozen });
    const order = sandbox.placeOrder({
      shop: TEST_SHOP,
      email: "a@example.com",
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: false,
    });
    const created = order.updatedAt;
    sandbox.payOrder({ shop: TEST_SHOP, order });
    expect(Date.parse(order.updatedAt)).toBeGreaterThan(Date.parse(created));
    const paid = order.updatedAt;
    sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z" });
    expect(Date.parse(order.updatedAt)).toBeGreaterThan(Date.parse(paid));
  });

  it("refuses to be created when NODE_ENV=production", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(() => createSandbox({ apiKey: "k", apiSecret: "s", appUrl: "http://127.0.0.1:1" })).toThrow(
      /NODE_ENV=production/,
    );
  });

  it("throws on scripting mistakes in scenarios, naming them", () => {
    const { sandbox, mug } = testSandbox();
    const order = sandbox.placeOrder({
      shop: TEST_SHOP,
      email: "a@example.com",
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    expect(() =>
      sandbox.placeOrder({
        shop: TEST_SHOP,
        email: "not-an-email",
        lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
        paid: true,
      }),
    ).toThrow(/valid email/);
    expect(() => sandbox.merchantCreateReturn({ shop: TEST_SHOP, order })).toThrow(
      /merchantCreateReturn: Return line items must not be empty/,
    );
    expect(() =>
      sandbox.fulfil({ shop: TEST_SHOP, order: "#1999", trackingCompany: "UPS", trackingNumber: "1" }),
    ).toThrow(/No order #1999/);
  });
});
