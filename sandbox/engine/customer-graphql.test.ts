import "@shopify/shopify-api/adapters/node";

import { describe, expect, it } from "vitest";
import { shopifyApi, ApiVersion } from "@shopify/shopify-api";

import { CUSTOMER_TOKEN_TTL_MS } from "./customer-graphql";
import { setReturnRules } from "./customer-graphql-return-rules";
import { TEST_SHOP, testSandbox, schemaErrors } from "./testing";
import { gidFor } from "./state";

const ENDPOINT = "http://127.0.0.1/customer-accounts/api/2026-07/graphql.json";

function story() {
  const deliveries: { topic: string; body: Record<string, unknown> }[] = [];
  let now = new Date("2030-01-01T12:00:00Z");
  const built = testSandbox({
    clock: () => now,
    webhookFetch: async (request) => {
      deliveries.push({ topic: request.headers.get("x-shopify-topic") ?? "", body: await request.json() });
      return new Response("ok");
    },
  });
  const { sandbox, mug, tee } = built;
  const ada = sandbox.createCustomer({ shop: TEST_SHOP, email: "ada@example.com", firstName: "Ada", lastName: "L" });
  const bob = sandbox.createCustomer({ shop: TEST_SHOP, email: "bob@example.com", firstName: "Bob", lastName: "K" });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: ada,
    lines: [
      { variantId: mug.variants[0].id, quantity: 2 },
      { variantId: tee.variants[1].id, quantity: 1 },
    ],
    paid: true,
    taxRate: 0.1,
  });
  const shipped = sandbox.fulfil({
    shop: TEST_SHOP,
    order,
    lines: [{ lineItemId: order.lineItems[0].id, quantity: 2 }],
    trackingCompany: "UPS",
    trackingNumber: "1Z999",
  });
  sandbox.carrierScan({
    shop: TEST_SHOP,
    fulfillment: shipped,
    status: "in_transit",
    estimatedDeliveryAt: "2030-01-05T17:00:00Z",
  });
  const bobsOrder = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: bob,
    lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
    paid: true,
  });
  const ca = sandbox.customerAccounts;
  const post = (token: string | null, query: string, variables?: Record<string, unknown>, url = ENDPOINT) =>
    ca.handleGraphql(
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) },
        body: JSON.stringify({ query, variables }),
      }),
    );
  return {
    ...built,
    ada,
    bob,
    order,
    bobsOrder,
    deliveries,
    post,
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

const ORDER = `query Order($id: ID!) {
  order(id: $id) {
    id name financialStatus fulfillmentStatus
    lineItems(first: 10) { nodes { id title quantity price { amount currencyCode } } }
    fulfillments(first: 5) {
      nodes { id latestShipmentStatus estimatedDeliveryAt trackingInformation { company number url }
        events(first: 10) { nodes { status happenedAt } } }
    }
    returnInformation {
      returnableLineItems(first: 10) { nodes { quantity lineItem { id } } }
      nonReturnableLineItems(first: 10) { nodes { quantity quantityDetails { quantity reasonCode } lineItem { id } } }
    }
  }
}`;

const REQUEST_RETURN = `mutation Request($orderId: ID!, $lines: [RequestedLineItemInput!]!) {
  orderRequestReturn(orderId: $orderId, requestedLineItems: $lines) {
    return {
      id name status
      returnLineItems(first: 5) { nodes { quantity ... on ReturnLineItem { returnReasonDefinition { handle } } } }
    }
    userErrors { field message code }
  }
}`;

describe("the sandbox's Customer Account API", () => {
  it("answers 401 without a live customer access token, and 404 for another version", async () => {
    const t = story();
    expect((await t.post(null, "{ customer { id } }")).status).toBe(401);
    expect((await t.post("shcat_forged", "{ customer { id } }")).status).toBe(401);
    const { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    expect((await t.post(token, "{ customer { id } }")).status).toBe(200);
    t.advance(CUSTOMER_TOKEN_TTL_MS + 1000);
    expect((await t.post(token, "{ customer { id } }")).status).toBe(401);
    const fresh = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id).token;
    const old = await t.post(fresh, "{ customer { id } }", {}, ENDPOINT.replace("2026-07", "2024-01"));
    expect(old.status).toBe(404);
  });

  it("shows the customer their own order with its shipment, and nobody else's", async () => {
    const t = story();
    const { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    const me = await (
      await t.post(
        token,
        "{ customer { id displayName emailAddress { emailAddress } orders(first: 5) { nodes { id name } } } }",
      )
    ).json();
    expect(me.data.customer).toMatchObject({
      id: gidFor("Customer", t.ada.id),
      displayName: "Ada L",
      emailAddress: { emailAddress: "ada@example.com" },
    });
    expect(me.data.customer.orders.nodes.map((o: { id: string }) => o.id)).toEqual([gidFor("Order", t.order.id)]);

    const answer = await (await t.post(token, ORDER, { id: gidFor("Order", t.order.id) })).json();
    expect(answer.errors).toBeUndefined();
    const order = answer.data.order;
    expect(order.fulfillmentStatus).toBe("PARTIALLY_FULFILLED");
    expect(order.fulfillments.nodes[0]).toMatchObject({
      latestShipmentStatus: "IN_TRANSIT",
      estimatedDeliveryAt: "2030-01-05T17:00:00Z",
      trackingInformation: [{ company: "UPS", number: "1Z999" }],
    });
    expect(order.fulfillments.nodes[0].trackingInformation[0].url).toContain("1Z999");
    expect(order.returnInformation.returnableLineItems.nodes).toEqual([
      { quantity: 2, lineItem: { id: gidFor("LineItem", t.order.lineItems[0].id) } },
    ]);
    expect(order.returnInformation.nonReturnableLineItems.nodes[0].quantityDetails).toEqual([
      { quantity: 1, reasonCode: "UNFULFILLED" },
    ]);

    // Bob's order, asked for by Ada, is as unknown as an order that never existed.
    const theirs = await (await t.post(token, ORDER, { id: gidFor("Order", t.bobsOrder.id) })).json();
    const nobody = await (await t.post(token, ORDER, { id: gidFor("Order", 999_999) })).json();
    expect(theirs).toEqual(nobody);
    expect(theirs.data.order).toBeNull();
  });

  it("orderRequestReturn creates a REQUESTED return in the shop and sends returns/request", async () => {
    const t = story();
    const { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    const lines = [
      {
        lineItemId: gidFor("LineItem", t.order.lineItems[0].id),
        quantity: 1,
        returnReasonDefinitionId: gidFor("ReturnReasonDefinition", 1),
        customerNote: "Too small for tea",
      },
    ];
    const answer = await (await t.post(token, REQUEST_RETURN, { orderId: gidFor("Order", t.order.id), lines })).json();
    expect(answer.errors).toBeUndefined();
    const payload = answer.data.orderRequestReturn;
    expect(payload.userErrors).toEqual([]);
    expect(payload.return).toMatchObject({
      status: "REQUESTED",
      returnLineItems: { nodes: [{ quantity: 1, returnReasonDefinition: { handle: "too-small" } }] },
    });

    const stored = t.sandbox.shop(TEST_SHOP).orders.find((o) => o.id === t.order.id)!.returns;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      status: "requested",
      lines: [{ quantity: 1, customerNote: "Too small for tea" }],
    });
    expect(gidFor("Return", stored[0].id)).toBe(payload.return.id);

    await t.sandbox.flush();
    const sent = t.deliveries.filter((d) => d.topic === "returns/request");
    expect(sent).toHaveLength(1);
    expect(sent[0].body.admin_graphql_api_id).toBe(payload.return.id);
    expect(schemaErrors("returns/request", sent[0].body)).toBeNull();

    // The unit now in a return is no longer returnable.
    const after = await (await t.post(token, ORDER, { id: gidFor("Order", t.order.id) })).json();
    expect(after.data.order.returnInformation.returnableLineItems.nodes[0].quantity).toBe(1);
  });

  it("refuses bad requests with userErrors and writes nothing", async () => {
    const t = story();
    const { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    const ask = async (orderId: string, lines: Record<string, unknown>[]) =>
      (await (await t.post(token, REQUEST_RETURN, { orderId, lines })).json()).data.orderRequestReturn;
    const mugLine = gidFor("LineItem", t.order.lineItems[0].id);
    const teeLine = gidFor("LineItem", t.order.lineItems[1].id);
    const reason = gidFor("ReturnReasonDefinition", 13);

    const tooMany = await ask(gidFor("Order", t.order.id), [
      { lineItemId: mugLine, quantity: 3, returnReasonDefinitionId: reason },
    ]);
    expect(tooMany.userErrors).toEqual([
      {
        field: ["requestedLineItems", "0", "quantity"],
        message: "Quantity 3 is greater than the returnable quantity 2.",
        code: "LESS_THAN_OR_EQUAL_TO",
      },
    ]);
    // The tee never shipped; the first line alone would have been fine.
    const unshipped = await ask(gidFor("Order", t.order.id), [
      { lineItemId: mugLine, quantity: 1, returnReasonDefinitionId: reason },
      { lineItemId: teeLine, quantity: 1, returnReasonDefinitionId: reason },
    ]);
    expect(unshipped.userErrors[0].field).toEqual(["requestedLineItems", "1", "quantity"]);
    // Shopify takes a note of at most 300 characters (an emoji is one): 300 would pass, 301 does not.
    const note = (n: number) => `${"😀".repeat(10)}${"a".repeat(n - 10)}`;
    const long = await ask(gidFor("Order", t.order.id), [
      { lineItemId: mugLine, quantity: 1, returnReasonDefinitionId: reason },
      { lineItemId: mugLine, quantity: 1, returnReasonDefinitionId: reason, customerNote: note(301) },
    ]);
    expect(long).toEqual({
      return: null,
      userErrors: [
        {
          field: ["requestedLineItems", "1", "customerNote"],
          message: "Customer note is too long (maximum is 300 characters)",
          code: "TOO_LONG",
        },
      ],
    });
    // 300 characters pass the note's check; this one is refused for its missing reason.
    const noReason = await ask(gidFor("Order", t.order.id), [
      { lineItemId: mugLine, quantity: 1, customerNote: note(300) },
    ]);
    expect(noReason.userErrors[0].code).toBe("BLANK");
    const theirs = await ask(gidFor("Order", t.bobsOrder.id), [
      { lineItemId: gidFor("LineItem", t.bobsOrder.lineItems[0].id), quantity: 1, returnReasonDefinitionId: reason },
    ]);
    expect(theirs).toEqual({
      return: null,
      userErrors: [{ field: ["orderId"], message: "Order does not exist.", code: "NOT_FOUND" }],
    });

    const shop = t.sandbox.shop(TEST_SHOP);
    expect(shop.orders.flatMap((o) => o.returns)).toEqual([]);
    await t.sandbox.flush();
    expect(t.deliveries.filter((d) => d.topic.startsWith("returns/"))).toEqual([]);
  });

  it("validates against Shopify's schema and names what the sandbox does not implement", async () => {
    const t = story();
    const { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    const typo = await (await t.post(token, "{ customer { fristName } }")).json();
    expect(typo.errors[0].message).toMatch(/Did you mean "firstName"/);
    const missing = await (await t.post(token, "{ customer { companyContacts(first: 1) { nodes { id } } } }")).json();
    expect(missing.errors[0].message).toBe("Sandbox does not implement Customer.companyContacts");
  });

  it("returnCalculate prices the units to return", async () => {
    const t = story();
    const { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    const answer = await (
      await t.post(
        token,
        `query Calc($input: CalculateReturnInput!) { returnCalculate(input: $input) {
          financialSummary {
            returnSubtotalSet { shopMoney { amount currencyCode } }
            returnTotalSet { shopMoney { amount } }
          }
        } }`,
        {
          input: {
            orderId: gidFor("Order", t.order.id),
            returnLineItems: [{ lineItemId: gidFor("LineItem", t.order.lineItems[0].id), quantity: 2 }],
          },
        },
      )
    ).json();
    expect(answer.errors).toBeUndefined();
    expect(answer.data.returnCalculate.financialSummary.returnSubtotalSet.shopMoney).toEqual({
      amount: "36.00",
      currencyCode: "USD",
    });
    expect(answer.data.returnCalculate.financialSummary.returnTotalSet.shopMoney.amount).toBe("39.60");
  });
});

const CALC = `query Calc($input: CalculateReturnInput!) { returnCalculate(input: $input) {
  financialSummary {
    returnSubtotalSet { shopMoney { amount } }
    returnSubtotalWithCartDiscountSet { shopMoney { amount } }
    returnTotalTaxSet { shopMoney { amount } }
    restockingFeeSubtotalSet { shopMoney { amount } }
    returnShippingFeeSubtotalSet { shopMoney { amount } }
    returnTotalSet { shopMoney { amount } }
  }
  returnLineItems(first: 5) { nodes { quantity subtotalSet { shopMoney { amount } } } }
} }`;
const INFO = `query Info($id: ID!) { order(id: $id) { returnInformation {
  hasRestockingFee hasReturnShippingFee returnShippingMethods returnShippingMethodNote
  returnFees { __typename title amountSet { shopMoney { amount } } }
  returnableLineItems(first: 5) { nodes { quantity lineItem { id } } }
  nonReturnableLineItems(first: 5) { nodes { quantity quantityDetails { quantity reasonCode } } }
} } }`;
const REQUEST = `mutation R($orderId: ID!, $lines: [RequestedLineItemInput!]!) {
  orderRequestReturn(orderId: $orderId, requestedLineItems: $lines) {
    return { id } userErrors { field message code }
  }
}`;

describe("the shop's return rules", () => {
  const feesInForce =
    "charge the fees in force when the order was placed, in returnCalculate and the order's return information";
  it(feesInForce, async () => {
    const t = story();
    const shop = t.sandbox.shop(TEST_SHOP);
    const rules = { windowDays: 30, restockingFeePercent: 10, returnShippingFeeMinor: 500 } as const;
    setReturnRules(shop, { ...rules, shippingMethod: "MERCHANT_PROVIDED_LABEL" }, new Date("2029-12-01T00:00:00Z"));
    // Rules set after the order was placed do not apply to it.
    setReturnRules(
      shop,
      { ...rules, restockingFeePercent: 50, shippingMethod: "CUSTOMER_PROVIDED_LABEL" },
      t.advance(60_000),
    );
    const { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    const mugs = gidFor("LineItem", t.order.lineItems[0].id);
    const orderId = gidFor("Order", t.order.id);
    const calc = await (
      await t.post(token, CALC, { input: { orderId, returnLineItems: [{ lineItemId: mugs, quantity: 2 }] } })
    ).json();
    expect(calc.errors).toBeUndefined();
    const amount = (set: { shopMoney: { amount: string } }) => set.shopMoney.amount;
    const summary = calc.data.returnCalculate.financialSummary;
    // Two mugs at 18.00 with 10% tax; 10% restocking of 36.00, and 5.00 for the label.
    expect(Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, amount(v as never)]))).toEqual({
      returnSubtotalSet: "36.00",
      returnSubtotalWithCartDiscountSet: "36.00",
      returnTotalTaxSet: "3.60",
      restockingFeeSubtotalSet: "3.60",
      returnShippingFeeSubtotalSet: "5.00",
      returnTotalSet: "31.00",
    });
    expect(calc.data.returnCalculate.returnLineItems.nodes).toEqual([
      { quantity: 2, subtotalSet: { shopMoney: { amount: "36.00" } } },
    ]);

    const info = async () => (await (await t.post(token, INFO, { id: orderId })).json()).data.order.returnInformation;
    expect(await info()).toMatchObject({
      hasRestockingFee: true,
      hasReturnShippingFee: true,
      returnShippingMethods: ["MERCHANT_PROVIDED_LABEL"],
      returnShippingMethodNote: "merchant_provided_label",
      returnFees: [],
    });
    const asked = await (
      await t.post(token, REQUEST, {
        orderId,
        lines: [{ lineItemId: mugs, quantity: 1, returnReason: "UNWANTED" }],
      })
    ).json();
    expect(asked.data.orderRequestReturn.userErrors).toEqual([]);
    // The request is charged: the fees of one mug's return, by type.
    expect((await info()).returnFees).toEqual([
      { __typename: "ReturnRestockingFee", title: "Restocking fee", amountSet: { shopMoney: { amount: "1.80" } } },
      { __typename: "ReturnShippingFee", title: "Return shipping", amountSet: { shopMoney: { amount: "5.00" } } },
    ]);
  });

  it("close returns when the window from delivery has passed", async () => {
    const t = story();
    setReturnRules(
      t.sandbox.shop(TEST_SHOP),
      { windowDays: 30, restockingFeePercent: 0, returnShippingFeeMinor: 0, shippingMethod: "CUSTOMER_PROVIDED_LABEL" },
      new Date("2029-12-01T00:00:00Z"),
    );
    const shipment = t.sandbox.shop(TEST_SHOP).orders.find((o) => o.id === t.order.id)!.fulfillments[0];
    t.sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment.id, status: "delivered" });
    let { token } = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id);
    const orderId = gidFor("Order", t.order.id);
    const mugs = gidFor("LineItem", t.order.lineItems[0].id);
    const info = async () => (await (await t.post(token, INFO, { id: orderId })).json()).data.order.returnInformation;
    expect((await info()).returnableLineItems.nodes).toEqual([{ quantity: 2, lineItem: { id: mugs } }]);
    expect((await info()).returnShippingMethodNote).toBe("You're responsible for return shipping costs.");

    t.advance(31 * 86_400_000);
    token = t.sandbox.customerAccounts.tokens.issue(TEST_SHOP, t.ada.id).token;
    const late = await info();
    expect(late.returnableLineItems.nodes).toEqual([]);
    expect(late.nonReturnableLineItems.nodes).toContainEqual({
      quantity: 2,
      quantityDetails: [{ quantity: 2, reasonCode: "RETURN_WINDOW_EXPIRED" }],
    });
    const asked = await (
      await t.post(token, REQUEST, { orderId, lines: [{ lineItemId: mugs, quantity: 1, returnReason: "UNWANTED" }] })
    ).json();
    expect(asked.data.orderRequestReturn).toEqual({
      return: null,
      userErrors: [
        {
          field: ["requestedLineItems", "0", "lineItemId"],
          message: "The return window for this item has expired.",
          code: "INVALID",
        },
      ],
    });
  });
});

describe("the customer-account session token", () => {
  it("verifies with the library's session-token decoding and carries the customer as subject", async () => {
    const t = story();
    const api = shopifyApi({
      apiKey: "aftercare-test-key",
      apiSecretKey: "aftercare-test-secret",
      apiVersion: ApiVersion.July26,
      hostName: "127.0.0.1",
      isEmbeddedApp: true,
    });
    const token = t.sandbox.customerAccounts.mintSessionToken({
      shop: TEST_SHOP,
      customerId: t.ada.id,
      now: new Date(),
    });
    const claims = await api.session.decodeSessionToken(token);
    expect(claims).toMatchObject({
      dest: TEST_SHOP,
      iss: `https://${TEST_SHOP}`,
      aud: "aftercare-test-key",
      sub: gidFor("Customer", t.ada.id),
    });
    expect(claims.exp - claims.iat).toBe(300);
    expect(typeof claims.jti).toBe("string");

    const other = shopifyApi({
      apiKey: "aftercare-test-key",
      apiSecretKey: "another-secret",
      apiVersion: ApiVersion.July26,
      hostName: "127.0.0.1",
      isEmbeddedApp: true,
    });
    await expect(other.session.decodeSessionToken(token)).rejects.toThrow();
    const stale = t.sandbox.customerAccounts.mintSessionToken({
      shop: TEST_SHOP,
      customerId: t.ada.id,
      now: new Date(Date.now() - 10 * 60_000),
    });
    await expect(api.session.decodeSessionToken(stale)).rejects.toThrow(/exp/);
  });
});
