import { beforeEach, describe, expect, it } from "vitest";

import { adminClient, ShopifyApiError, ShopifyUserError, throttleWait } from "../../app/shopify/admin.server";
import { ShopDetails } from "../../app/shopify/operations/shop";

import { schemaErrors, testSandbox, TEST_SHOP } from "./testing";
import { gidFor, type Order } from "./state";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
type Any = any;

let env: ReturnType<typeof testSandbox>;
let order: Order;
const s = TEST_SHOP;

beforeEach(() => {
  let now = Date.parse("2030-03-01T12:00:00Z");
  env = testSandbox({ clock: () => new Date((now += 1000)) });
  const customer = env.sandbox.createCustomer({
    shop: s,
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "Lovelace",
  });
  order = env.sandbox.placeOrder({
    shop: s,
    customer,
    lines: [
      { variantId: env.mug.variants[0].id, quantity: 2 },
      { variantId: env.tee.variants[0].id, quantity: 1 },
    ],
    paid: true,
    taxRate: 0.1,
  });
});

const gql = async (query: string, variables?: Record<string, unknown>): Promise<Any> =>
  env.sandbox.graphql(s, query, variables);

describe("queries", () => {
  it("answers the app's own ShopDetails operation through adminClient", async () => {
    const data = await adminClient(env.sandbox.graphqlClient(s)).request(ShopDetails);
    expect(data.shop).toEqual({
      name: "Sandbox Test",
      email: `hello@${s}`,
      currencyCode: "USD",
      ianaTimezone: "America/Toronto",
      myshopifyDomain: s,
    });
  });

  it("answers an order with lines, totals and statuses", async () => {
    const body = await gql(
      `query O($id: ID!) {
        order(id: $id) {
          id name email displayFinancialStatus displayFulfillmentStatus customer { id email }
          totalPriceSet { shopMoney { amount currencyCode } } subtotalPriceSet { shopMoney { amount } }
          totalTaxSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount } }
          lineItems(first: 10) {
            nodes {
              id title quantity sku originalUnitPriceSet { shopMoney { amount } } variant { id } product { title tags }
            }
          }
          fulfillmentOrders(first: 5) {
            nodes { id status lineItems(first: 10) { nodes { id remainingQuantity totalQuantity } } }
          }
        }
      }`,
      { id: gidFor("Order", order.id) },
    );
    expect(body.errors).toBeUndefined();
    const o = body.data.order;
    expect(o).toMatchObject({
      name: "#1001",
      email: "ada@example.com",
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "UNFULFILLED",
    });
    // 2 x 18.00 + 35.00 = 71.00; tax 10% = 7.10; shipping 5.00.
    expect(o.subtotalPriceSet.shopMoney.amount).toBe("71.00");
    expect(o.totalTaxSet.shopMoney.amount).toBe("7.10");
    expect(o.totalShippingPriceSet.shopMoney.amount).toBe("5.00");
    expect(o.totalPriceSet.shopMoney).toEqual({ amount: "83.10", currencyCode: "USD" });
    expect(o.lineItems.nodes.map((l: Any) => [l.title, l.quantity, l.originalUnitPriceSet.shopMoney.amount])).toEqual([
      ["Enamel Mug", 2, "18.00"],
      ["Linen Tee", 1, "35.00"],
    ]);
    expect(o.lineItems.nodes[0].product.tags).toEqual(["kitchen", "gift"]);
    expect(o.fulfillmentOrders.nodes[0].status).toBe("OPEN");
    expect(body.extensions.cost).toMatchObject({ throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
    expect(body.extensions.cost.actualQueryCost).toBeLessThanOrEqual(body.extensions.cost.requestedQueryCost);
  });

  it("pages and searches orders", async () => {
    for (let i = 0; i < 3; i++) {
      env.sandbox.placeOrder({
        shop: s,
        email: `buyer${i}@example.com`,
        lines: [{ variantId: env.candle.variants[0].id, quantity: 1 }],
        paid: i % 2 === 0,
      });
    }
    const first = await gql(
      `{ orders(first: 2) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(first.data.orders.edges.map((e: Any) => e.node.name)).toEqual(["#1001", "#1002"]);
    expect(first.data.orders.pageInfo.hasNextPage).toBe(true);
    const next = await gql(
      `query N($after: String) { orders(first: 5, after: $after) { nodes { name } pageInfo { hasNextPage } } }`,
      {
        after: first.data.orders.pageInfo.endCursor,
      },
    );
    expect(next.data.orders.nodes.map((n: Any) => n.name)).toEqual(["#1003", "#1004"]);
    expect(next.data.orders.pageInfo.hasNextPage).toBe(false);
    const found = await gql(`{ orders(first: 5, query: "financial_status:pending") { nodes { name email } } }`);
    expect(found.data.orders.nodes.map((n: Any) => n.name)).toEqual(["#1003"]);
    const byName = await gql(`{ orders(first: 5, query: "name:#1004") { nodes { email } } }`);
    expect(byName.data.orders.nodes).toEqual([{ email: "buyer2@example.com" }]);
    const missing = await gql(`{ orders(query: "x") { nodes { name } } }`);
    expect(missing.errors[0].message).toMatch(/first or last/);
    const since = await gql(
      `{ orders(first: 5, query: "updated_at:>=2000-01-01T00:00:00Z", sortKey: UPDATED_AT) { nodes { name } } }`,
    );
    expect(since.data.orders.nodes).toHaveLength(4);
    const unknownFilter = await gql(`{ orders(first: 5, query: "sales_channel:web") { nodes { name } } }`);
    expect(unknownFilter.errors[0].message).toBe("Sandbox does not implement orders(query:) filter sales_channel");
  });

  it("answers products, collections and nodes with images and tags", async () => {
    const body = await gql(
      `query P($ids: [ID!]!, $c: ID!) {
        products(first: 10, query: "tag:gift") {
          nodes {
            title featuredImage { url altText } featuredMedia { ... on MediaImage { image { url } } }
            variants(first: 5) { nodes { sku price } }
          }
        }
        nodes(ids: $ids) { __typename ... on Product { title } ... on Customer { email } }
        collection(id: $c) { title productsCount { count } products(first: 5) { nodes { handle } } }
      }`,
      {
        ids: [gidFor("Product", env.tee.id), gidFor("Customer", order.customerId!)],
        c: gidFor("Collection", env.collection.id),
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.products.nodes).toEqual([
      {
        title: "Enamel Mug",
        featuredImage: { url: "/cdn/products/enamel-mug.svg", altText: "A white enamel mug" },
        featuredMedia: { image: { url: "/cdn/products/enamel-mug.svg" } },
        variants: { nodes: [{ sku: "MUG-1", price: "18.00" }] },
      },
    ]);
    expect(body.data.nodes).toEqual([
      { __typename: "Product", title: "Linen Tee" },
      { __typename: "Customer", email: "ada@example.com" },
    ]);
    expect(body.data.collection).toEqual({
      title: "Gifts",
      productsCount: { count: 2 },
      products: { nodes: [{ handle: "enamel-mug" }, { handle: "cedar-candle" }] },
    });
  });

  it("answers a field it does not implement with an error naming it, never a silent null", async () => {
    const body = await gql(`query R($id: ID!) { order(id: $id) { name riskLevel } }`, {
      id: gidFor("Order", order.id),
    });
    expect(body.errors.map((e: Any) => e.message)).toEqual(["Sandbox does not implement Order.riskLevel"]);
    expect(body.errors[0].path).toEqual(["order", "riskLevel"]);
    const root = await gql(`{ abandonedCheckoutsCount { count } }`);
    expect(root.errors[0].message).toBe("Sandbox does not implement QueryRoot.abandonedCheckoutsCount");
  });

  it("pages nested connections with cursors, each item once, and answers a refund by id", async () => {
    const id = gidFor("Order", order.id);
    const f = env.sandbox.fulfil({ shop: s, order, trackingCompany: "UPS", trackingNumber: "1Z" });
    for (const status of ["in_transit", "out_for_delivery", "delivered"] as const) {
      env.sandbox.carrierScan({ shop: s, fulfillment: f, status });
    }
    const refund = env.sandbox.refund({ shop: s, order, lines: [{ lineItemId: order.lineItems[0].id, quantity: 1 }] });
    const page = `query P($id: ID!, $f: ID!, $after: String) {
      order(id: $id) { lineItems(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }
      fulfillment(id: $f) {
        events(first: 2, after: $after, sortKey: HAPPENED_AT) { pageInfo { hasNextPage } nodes { status } }
      }
    }`;
    const first = await gql(page, { id, f: gidFor("Fulfillment", f.id) });
    expect(first.data.order.lineItems).toMatchObject({
      pageInfo: { hasNextPage: true },
      nodes: [{ id: gidFor("LineItem", order.lineItems[0].id) }],
    });
    expect(first.data.fulfillment.events).toEqual({
      pageInfo: { hasNextPage: true },
      nodes: [{ status: "IN_TRANSIT" }, { status: "OUT_FOR_DELIVERY" }],
    });
    const lines = `query L($id: ID!, $after: String) {
      order(id: $id) { lineItems(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }
    }`;
    const second = await gql(lines, { id, after: first.data.order.lineItems.pageInfo.endCursor });
    expect(second.data.order.lineItems).toMatchObject({
      pageInfo: { hasNextPage: false },
      nodes: [{ id: gidFor("LineItem", order.lineItems[1].id) }],
    });
    const byId = await gql(
      `query R($id: ID!) { refund(id: $id) { id refundLineItems(first: 5) { nodes { quantity } } } }`,
      {
        id: gidFor("Refund", refund.id),
      },
    );
    expect(byId.data.refund).toEqual({
      id: gidFor("Refund", refund.id),
      refundLineItems: { nodes: [{ quantity: 1 }] },
    });
    // Filters on nested lists it does not implement fail loudly rather than answer unfiltered.
    const filtered = await gql(
      `query Q($id: ID!) { order(id: $id) { fulfillments(first: 5, query: "created_at:>=2030-01-01") { id } } }`,
      {
        id,
      },
    );
    expect(filtered.errors[0].message).toBe("Sandbox does not implement Order.fulfillments(query:)");
  });

  it("validates documents against Shopify's schema", async () => {
    const body = await gql(`{ shop { nmae } }`);
    expect(body.errors[0].message).toMatch(/Cannot query field "nmae" on type "Shop". Did you mean "name"/);
    expect(body.data).toBeUndefined();
  });
});

describe("fulfilment mutations", () => {
  const fulfilMutation = `mutation F($f: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $f) {
      fulfillment {
        id name status trackingInfo { company number url }
        fulfillmentLineItems(first: 5) { nodes { quantity lineItem { title } } }
      }
      userErrors { field message }
    }
  }`;

  it("fulfils part of a fulfillment order, refuses more than remains, and records carrier events", async () => {
    const fo = order.fulfillmentOrders[0];
    const mugLine = fo.lineItems[0];
    const tooMany = await gql(fulfilMutation, {
      f: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: gidFor("FulfillmentOrder", fo.id),
            fulfillmentOrderLineItems: [{ id: gidFor("FulfillmentOrderLineItem", mugLine.id), quantity: 3 }],
          },
        ],
      },
    });
    expect(tooMany.data.fulfillmentCreate.fulfillment).toBeNull();
    expect(tooMany.data.fulfillmentCreate.userErrors[0].message).toMatch(/exceeds the 2 remaining/);

    const ok = await gql(fulfilMutation, {
      f: {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: gidFor("FulfillmentOrder", fo.id),
            fulfillmentOrderLineItems: [{ id: gidFor("FulfillmentOrderLineItem", mugLine.id), quantity: 1 }],
          },
        ],
        trackingInfo: { company: "UPS", number: "1Z42" },
      },
    });
    const f = ok.data.fulfillmentCreate.fulfillment;
    expect(ok.data.fulfillmentCreate.userErrors).toEqual([]);
    expect(f).toMatchObject({
      name: "#1001.1",
      status: "SUCCESS",
      trackingInfo: [{ company: "UPS", number: "1Z42", url: "https://www.ups.com/track?tracknum=1Z42" }],
    });
    expect(f.fulfillmentLineItems.nodes).toEqual([{ quantity: 1, lineItem: { title: "Enamel Mug" } }]);

    const event = await gql(
      `mutation E($e: FulfillmentEventInput!) {
        fulfillmentEventCreate(fulfillmentEvent: $e) { fulfillmentEvent { status happenedAt } userErrors { message } }
      }`,
      {
        e: {
          fulfillmentId: f.id,
          status: "IN_TRANSIT",
          happenedAt: "2030-03-02T08:00:00Z",
          estimatedDeliveryAt: "2030-03-04T17:00:00Z",
        },
      },
    );
    expect(event.data.fulfillmentEventCreate.fulfillmentEvent).toEqual({
      status: "IN_TRANSIT",
      happenedAt: "2030-03-02T08:00:00.000Z",
    });
    const after = await gql(
      `query A($id: ID!) {
        fulfillment(id: $id) { displayStatus estimatedDeliveryAt inTransitAt events(first: 5) { nodes { status } } }
      }`,
      { id: f.id },
    );
    expect(after.data.fulfillment).toEqual({
      displayStatus: "IN_TRANSIT",
      estimatedDeliveryAt: "2030-03-04T17:00:00.000Z",
      inTransitAt: "2030-03-02T08:00:00.000Z",
      events: { nodes: [{ status: "IN_TRANSIT" }] },
    });
    const tracking = await gql(
      `mutation T($id: ID!, $t: FulfillmentTrackingInput!) {
        fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $t) {
          fulfillment { trackingInfo { number } } userErrors { message }
        }
      }`,
      { id: f.id, t: { company: "UPS", number: "1Z43" } },
    );
    expect(tracking.data.fulfillmentTrackingInfoUpdate.fulfillment.trackingInfo).toEqual([{ number: "1Z43" }]);
    await env.sandbox.flush();
    expect(
      env.sandbox.webhooks
        .deliveries()
        .map((d) => d.topic)
        .slice(-5),
    ).toEqual([
      "fulfillments/create",
      "orders/updated",
      "fulfillment_events/create",
      "fulfillments/update",
      "fulfillments/update",
    ]);
  });

  it("refuses to cancel a fulfilled order and cancels an open one", async () => {
    const cancelMutation = `mutation C($id: ID!) {
      orderCancel(orderId: $id, reason: CUSTOMER, restock: true, refund: true) {
        job { done } orderCancelUserErrors { code message } userErrors { message }
      }
    }`;
    env.sandbox.fulfil({ shop: s, order, trackingCompany: "UPS", trackingNumber: "1Z1" });
    const refused = await gql(cancelMutation, { id: gidFor("Order", order.id) });
    expect(refused.data.orderCancel.orderCancelUserErrors[0].message).toMatch(/fulfillments/);
    const open = env.sandbox.placeOrder({
      shop: s,
      email: "c@example.com",
      lines: [{ variantId: env.mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    const done = await gql(cancelMutation, { id: gidFor("Order", open.id) });
    expect(done.data.orderCancel).toMatchObject({ job: { done: true }, orderCancelUserErrors: [] });
    const check = await gql(
      `query Q($id: ID!) {
        order(id: $id) { cancelledAt cancelReason displayFinancialStatus totalRefundedSet { shopMoney { amount } } }
      }`,
      { id: gidFor("Order", open.id) },
    );
    expect(check.data.order).toMatchObject({
      cancelReason: "CUSTOMER",
      displayFinancialStatus: "REFUNDED",
      totalRefundedSet: { shopMoney: { amount: "23.00" } },
    });
  });
});

describe("returns and refunds", () => {
  const returnableQuery = `query R($id: ID!) {
    returnableFulfillments(orderId: $id, first: 5) {
      nodes {
        id returnableFulfillmentLineItems(first: 5) { nodes { quantity fulfillmentLineItem { id lineItem { title } } } }
      }
    }
  }`;

  async function shipAndFindLines() {
    env.sandbox.fulfil({ shop: s, order, trackingCompany: "UPS", trackingNumber: "1Z1" });
    const body = await gql(returnableQuery, { id: gidFor("Order", order.id) });
    return body.data.returnableFulfillments.nodes[0].returnableFulfillmentLineItems.nodes as Any[];
  }

  it("requests a return within what was shipped, refusing more and unknown lines", async () => {
    const requestMutation = `mutation Q($input: ReturnRequestInput!) {
      returnRequest(input: $input) {
        return {
          id status totalQuantity
          returnLineItems(first: 5) { nodes { ... on ReturnLineItem { quantity returnReason } } }
        }
        userErrors { field message code }
      }
    }`;
    const before = await gql(returnableQuery, { id: gidFor("Order", order.id) });
    expect(before.data.returnableFulfillments.nodes).toEqual([]);
    const lines = await shipAndFindLines();
    const mug = lines.find((l) => l.fulfillmentLineItem.lineItem.title === "Enamel Mug");
    expect(mug.quantity).toBe(2);

    const tooMany = await gql(requestMutation, {
      input: {
        orderId: gidFor("Order", order.id),
        returnLineItems: [
          { fulfillmentLineItemId: mug.fulfillmentLineItem.id, quantity: 3, returnReason: "SIZE_TOO_SMALL" },
        ],
      },
    });
    expect(tooMany.data.returnRequest.return).toBeNull();
    expect(tooMany.data.returnRequest.userErrors[0]).toMatchObject({
      code: "LESS_THAN_OR_EQUAL_TO",
      field: ["input", "returnLineItems", "0", "quantity"],
    });

    const unknown = await gql(requestMutation, {
      input: {
        orderId: gidFor("Order", order.id),
        returnLineItems: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", quantity: 1 }],
      },
    });
    expect(unknown.data.returnRequest.userErrors[0].code).toBe("NOT_FOUND");

    const ok = await gql(requestMutation, {
      input: {
        orderId: gidFor("Order", order.id),
        returnLineItems: [
          { fulfillmentLineItemId: mug.fulfillmentLineItem.id, quantity: 2, returnReason: "SIZE_TOO_SMALL" },
        ],
      },
    });
    expect(ok.data.returnRequest.return).toMatchObject({
      status: "REQUESTED",
      totalQuantity: 2,
      returnLineItems: { nodes: [{ quantity: 2, returnReason: "SIZE_TOO_SMALL" }] },
    });
    const left = await gql(returnableQuery, { id: gidFor("Order", order.id) });
    expect(
      left.data.returnableFulfillments.nodes[0].returnableFulfillmentLineItems.nodes.map(
        (l: Any) => l.fulfillmentLineItem.lineItem.title,
      ),
    ).toEqual(["Linen Tee"]);

    const declineMutation = `mutation D($input: ReturnDeclineRequestInput!) {
      returnDeclineRequest(input: $input) { return { status decline { reason note } } userErrors { code message } }
    }`;
    const approve = await gql(
      `mutation A($id: ID!) {
        returnApproveRequest(input: { id: $id }) {
          return { status reverseFulfillmentOrders(first: 1) { nodes { status } } } userErrors { message }
        }
      }`,
      {
        id: ok.data.returnRequest.return.id,
      },
    );
    expect(approve.data.returnApproveRequest.return).toEqual({
      status: "OPEN",
      reverseFulfillmentOrders: { nodes: [{ status: "OPEN" }] },
    });
    const declineOpen = await gql(declineMutation, {
      input: { id: ok.data.returnRequest.return.id, declineReason: "OTHER" },
    });
    expect(declineOpen.data.returnDeclineRequest.userErrors[0].code).toBe("INVALID_STATE");
  });

  it("creates a return, disposes of its items, processes a refund and closes it", async () => {
    const lines = await shipAndFindLines();
    const tee = lines.find((l) => l.fulfillmentLineItem.lineItem.title === "Linen Tee");
    const created = await gql(
      `mutation C($r: ReturnInput!) {
        returnCreate(returnInput: $r) {
          return {
            id name status returnLineItems(first: 5) { nodes { id } }
            reverseFulfillmentOrders(first: 1) { nodes { lineItems(first: 5) { nodes { id totalQuantity } } } }
          }
          userErrors { message }
        }
      }`,
      {
        r: {
          orderId: gidFor("Order", order.id),
          returnLineItems: [
            { fulfillmentLineItemId: tee.fulfillmentLineItem.id, quantity: 1, returnReason: "DEFECTIVE" },
          ],
        },
      },
    );
    const ret = created.data.returnCreate.return;
    expect(ret).toMatchObject({ name: "#1001-R1", status: "OPEN" });
    const rfoLine = ret.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0];
    const disposeMutation = `mutation X($d: [ReverseFulfillmentOrderDisposeInput!]!) {
      reverseFulfillmentOrderDispose(dispositionInputs: $d) {
        reverseFulfillmentOrderLineItems { dispositions { type quantity } } userErrors { code message }
      }
    }`;
    const noLocation = await gql(disposeMutation, {
      d: [{ reverseFulfillmentOrderLineItemId: rfoLine.id, quantity: 1, dispositionType: "RESTOCKED" }],
    });
    expect(noLocation.data.reverseFulfillmentOrderDispose.userErrors[0].code).toBe("BLANK");
    const disposed = await gql(disposeMutation, {
      d: [{ reverseFulfillmentOrderLineItemId: rfoLine.id, quantity: 1, dispositionType: "NOT_RESTOCKED" }],
    });
    expect(disposed.data.reverseFulfillmentOrderDispose.reverseFulfillmentOrderLineItems[0].dispositions).toEqual([
      { type: "NOT_RESTOCKED", quantity: 1 },
    ]);
    const again = await gql(disposeMutation, {
      d: [{ reverseFulfillmentOrderLineItemId: rfoLine.id, quantity: 1, dispositionType: "NOT_RESTOCKED" }],
    });
    expect(again.data.reverseFulfillmentOrderDispose.userErrors[0].code).toBe("LESS_THAN_OR_EQUAL_TO");

    const sale = env.sandbox.shop(s).orders[0].transactions[0];
    const processed = await gql(
      `mutation P($input: ReturnProcessInput!) {
        returnProcess(input: $input) {
          return {
            status refunds(first: 2) { nodes { totalRefundedSet { shopMoney { amount } } } }
            returnLineItems(first: 2) { nodes { ... on ReturnLineItem { processedQuantity } } }
          }
          userErrors { message }
        }
      }`,
      {
        input: {
          returnId: ret.id,
          returnLineItems: [{ id: ret.returnLineItems.nodes[0].id, quantity: 1 }],
          financialTransfer: {
            issueRefund: {
              orderTransactions: [
                {
                  parentId: gidFor("OrderTransaction", sale.id),
                  transactionAmount: { amount: "38.50", currencyCode: "USD" },
                },
              ],
            },
          },
        },
      },
    );
    expect(processed.data.returnProcess.userErrors).toEqual([]);
    expect(processed.data.returnProcess.return).toMatchObject({
      status: "OPEN",
      refunds: { nodes: [{ totalRefundedSet: { shopMoney: { amount: "38.50" } } }] },
      returnLineItems: { nodes: [{ processedQuantity: 1 }] },
    });
    const closed = await gql(
      `mutation Z($id: ID!) { returnClose(id: $id) { return { status closedAt } userErrors { message } } }`,
      { id: ret.id },
    );
    expect(closed.data.returnClose.return.status).toBe("CLOSED");
    const cancel = await gql(
      `mutation Y($id: ID!) { returnCancel(id: $id) { return { status } userErrors { code } } }`,
      { id: ret.id },
    );
    expect(cancel.data.returnCancel.userErrors[0].code).toBe("INVALID_STATE");
    await env.sandbox.flush();
    expect(env.sandbox.webhooks.deliveries().map((d) => d.topic)).toEqual(
      expect.arrayContaining(["returns/approve", "refunds/create", "returns/process", "returns/close"]),
    );
  });

  it("refunds lines up to what was bought and never more money than was paid", async () => {
    const refundMutation = `mutation R($input: RefundInput!) {
      refundCreate(input: $input) {
        refund {
          id totalRefundedSet { shopMoney { amount } }
          refundLineItems(first: 5) { nodes { quantity restockType subtotalSet { shopMoney { amount } } } }
        }
        order { displayFinancialStatus } userErrors { field message }
      }
    }`;
    const mugLine = gidFor("LineItem", order.lineItems[0].id);
    const sale = gidFor("OrderTransaction", order.transactions[0].id);
    const tooMany = await gql(refundMutation, {
      input: { orderId: gidFor("Order", order.id), refundLineItems: [{ lineItemId: mugLine, quantity: 3 }] },
    });
    expect(tooMany.data.refundCreate.userErrors[0]).toMatchObject({ field: ["refundLineItems", "0", "quantity"] });
    const tooMuch = await gql(refundMutation, {
      input: {
        orderId: gidFor("Order", order.id),
        transactions: [
          { amount: "500.00", gateway: "bogus", kind: "REFUND", orderId: gidFor("Order", order.id), parentId: sale },
        ],
      },
    });
    expect(tooMuch.data.refundCreate.userErrors[0].message).toMatch(/greater than the net payment/);
    const ok = await gql(refundMutation, {
      input: {
        orderId: gidFor("Order", order.id),
        refundLineItems: [{ lineItemId: mugLine, quantity: 1, restockType: "NO_RESTOCK" }],
        transactions: [
          { amount: "19.80", gateway: "bogus", kind: "REFUND", orderId: gidFor("Order", order.id), parentId: sale },
        ],
      },
    });
    expect(ok.data.refundCreate).toMatchObject({
      refund: {
        totalRefundedSet: { shopMoney: { amount: "19.80" } },
        refundLineItems: {
          nodes: [{ quantity: 1, restockType: "NO_RESTOCK", subtotalSet: { shopMoney: { amount: "18.00" } } }],
        },
      },
      order: { displayFinancialStatus: "PARTIALLY_REFUNDED" },
      userErrors: [],
    });
  });

  describe("exchanges", () => {
    const createMutation = `mutation C($r: ReturnInput!) {
      returnCreate(returnInput: $r) {
        return {
          id status returnLineItems(first: 5) { nodes { id } }
          exchangeLineItems(first: 5) {
            nodes { id quantity processedQuantity unprocessedQuantity variantId lineItems { id } }
          }
        }
        userErrors { field message code }
      }
    }`;
    const processMutation = `mutation P($input: ReturnProcessInput!) {
      returnProcess(input: $input) {
        return {
          exchangeLineItems(first: 5) {
            nodes {
              id processedQuantity processableQuantity
              lineItems { id title variantTitle quantity originalUnitPriceSet { shopMoney { amount } } }
            }
          }
        }
        userErrors { field message code }
      }
    }`;
    const orderQuery = `query O($id: ID!) {
      order(id: $id) {
        totalOutstandingSet { shopMoney { amount } } displayFinancialStatus
        lineItems(first: 10) { nodes { title variantTitle quantity } }
        fulfillmentOrders(first: 5) {
          nodes { status lineItems(first: 5) { nodes { remainingQuantity lineItem { variantTitle } } } }
        }
      }
    }`;

    async function exchangeReturn(returnTitle: string, variantId: number, quantity = 1) {
      const lines = await shipAndFindLines();
      const returned = lines.find((l) => l.fulfillmentLineItem.lineItem.title === returnTitle);
      return gql(createMutation, {
        r: {
          orderId: gidFor("Order", order.id),
          returnLineItems: [
            { fulfillmentLineItemId: returned.fulfillmentLineItem.id, quantity, returnReason: "SIZE_TOO_SMALL" },
          ],
          exchangeLineItems: [{ variantId: gidFor("ProductVariant", variantId), quantity }],
        },
      });
    }

    it("creates a return with exchange items, refusing unknown, unavailable and missing variants", async () => {
      const lines = await shipAndFindLines();
      const tee = lines.find((l) => l.fulfillmentLineItem.lineItem.title === "Linen Tee");
      const attempt = (exchange: Record<string, unknown>) =>
        gql(createMutation, {
          r: {
            orderId: gidFor("Order", order.id),
            returnLineItems: [{ fulfillmentLineItemId: tee.fulfillmentLineItem.id, quantity: 1 }],
            exchangeLineItems: [exchange],
          },
        });
      const unknown = await attempt({ variantId: "gid://shopify/ProductVariant/1", quantity: 1 });
      expect(unknown.data.returnCreate).toMatchObject({
        return: null,
        userErrors: [{ field: ["returnInput", "exchangeLineItems", "0", "variantId"], code: "NOT_FOUND" }],
      });
      expect((await attempt({ quantity: 1 })).data.returnCreate.userErrors[0].code).toBe("BLANK");
      env.sandbox.shop(s).products.find((p) => p.title === "Cedar Candle")!.variants[0].inventoryQuantity = 0;
      const soldOut = await attempt({ variantId: gidFor("ProductVariant", env.candle.variants[0].id), quantity: 1 });
      expect(soldOut.data.returnCreate.userErrors[0]).toMatchObject({ code: "INVALID" });
      const discounted = await attempt({
        variantId: gidFor("ProductVariant", env.tee.variants[1].id),
        quantity: 1,
        appliedDiscount: { value: { percentage: 10 } },
      });
      expect(discounted.errors[0].message).toBe("Sandbox does not implement ExchangeLineItemInput.appliedDiscount");
      // None of the refused attempts left a return behind.
      expect(env.sandbox.shop(s).orders[0].returns).toEqual([]);

      const created = await attempt({ variantId: gidFor("ProductVariant", env.tee.variants[1].id), quantity: 1 });
      expect(created.data.returnCreate.userErrors).toEqual([]);
      expect(created.data.returnCreate.return).toMatchObject({
        status: "OPEN",
        exchangeLineItems: {
          nodes: [
            {
              quantity: 1,
              processedQuantity: 0,
              unprocessedQuantity: 1,
              variantId: gidFor("ProductVariant", env.tee.variants[1].id),
              lineItems: null,
            },
          ],
        },
      });
      await env.sandbox.flush();
      const approve = env.sandbox.webhooks.deliveries({ topic: "returns/approve" }).at(-1)!;
      const body = JSON.parse(approve.body);
      expect(body.exchange_line_items).toEqual([
        {
          id: expect.any(Number),
          admin_graphql_api_id: created.data.returnCreate.return.exchangeLineItems.nodes[0].id,
          line_item: null,
        },
      ]);
      expect(body.total_exchange_line_items).toBe(1);
      expect(schemaErrors("returns/approve", body)).toBeNull();
    });

    const processingAddsItems =
      "processing adds the new items to the original order with their own fulfillment order; " +
      "the returned value pays for them";
    it(processingAddsItems, async () => {
      const stockBefore = env.tee.variants[1].inventoryQuantity;
      const created = (await exchangeReturn("Linen Tee", env.tee.variants[1].id)).data.returnCreate.return;
      const exchangeId = created.exchangeLineItems.nodes[0].id;
      const tooMany = await gql(processMutation, {
        input: {
          returnId: created.id,
          returnLineItems: [{ id: created.returnLineItems.nodes[0].id, quantity: 1 }],
          exchangeLineItems: [{ id: exchangeId, quantity: 2 }],
        },
      });
      expect(tooMany.data.returnProcess.userErrors[0]).toMatchObject({
        field: ["input", "exchangeLineItems", "0", "quantity"],
        code: "LESS_THAN_OR_EQUAL_TO",
      });
      const wrong = await gql(processMutation, {
        input: { returnId: created.id, exchangeLineItems: [{ id: "gid://shopify/ExchangeLineItem/1", quantity: 1 }] },
      });
      expect(wrong.data.returnProcess.userErrors[0].code).toBe("NOT_FOUND");

      const processed = await gql(processMutation, {
        input: {
          returnId: created.id,
          returnLineItems: [{ id: created.returnLineItems.nodes[0].id, quantity: 1 }],
          exchangeLineItems: [{ id: exchangeId, quantity: 1 }],
        },
      });
      expect(processed.data.returnProcess.userErrors).toEqual([]);
      const exchange = processed.data.returnProcess.return.exchangeLineItems.nodes[0];
      expect(exchange).toMatchObject({
        processedQuantity: 1,
        processableQuantity: 0,
        lineItems: [
          {
            title: "Linen Tee",
            variantTitle: "M",
            quantity: 1,
            originalUnitPriceSet: { shopMoney: { amount: "35.00" } },
          },
        ],
      });
      const again = await gql(processMutation, {
        input: { returnId: created.id, exchangeLineItems: [{ id: exchangeId, quantity: 1 }] },
      });
      expect(again.data.returnProcess.userErrors[0].code).toBe("LESS_THAN_OR_EQUAL_TO");

      const o = (await gql(orderQuery, { id: gidFor("Order", order.id) })).data.order;
      expect(o.lineItems.nodes.map((l: Any) => [l.title, l.variantTitle, l.quantity])).toEqual([
        ["Enamel Mug", null, 2],
        ["Linen Tee", "S", 1],
        ["Linen Tee", "M", 1],
      ]);
      // The replacement waits to be shipped on a fulfillment order of its own.
      expect(o.fulfillmentOrders.nodes.at(-1)).toEqual({
        status: "OPEN",
        lineItems: { nodes: [{ remainingQuantity: 1, lineItem: { variantTitle: "M" } }] },
      });
      // Same price both ways: nothing is owed, and no money went back.
      expect(o.totalOutstandingSet.shopMoney.amount).toBe("0.00");
      expect(o.displayFinancialStatus).toBe("PAID");
      const refund = env.sandbox.shop(s).orders[0].refunds.at(-1)!;
      expect(refund).toMatchObject({
        transactionIds: [],
        storeCreditMinor: 0,
        lines: [{ quantity: 1, restockType: "return" }],
      });
      expect(env.tee.variants[1].inventoryQuantity).toBe(stockBefore - 1);
      await env.sandbox.flush();
      const updated = JSON.parse(env.sandbox.webhooks.deliveries({ topic: "orders/updated" }).at(-1)!.body);
      expect(updated.line_items.map((l: Any) => l.variant_title)).toEqual([null, "S", "M"]);
      expect(schemaErrors("orders/updated", updated)).toBeNull();
    });

    it(
      "owes a dearer exchange's difference from the return's creation; orderInvoiceSend emails a link " +
        "where the customer pays it, then orders/paid says nothing is outstanding",
      async () => {
        // A mug (18.00 + 10% tax) for a tee (35.00 + 10% tax): 18.70 to pay, before processing.
        const created = (await exchangeReturn("Enamel Mug", env.tee.variants[1].id)).data.returnCreate.return;
        const id = gidFor("Order", order.id);
        const owed = async () => (await gql(orderQuery, { id })).data.order;
        expect(await owed()).toMatchObject({
          totalOutstandingSet: { shopMoney: { amount: "18.70" } },
          displayFinancialStatus: "PARTIALLY_PAID",
        });
        const invoiceMutation = `mutation I($id: ID!, $email: EmailInput) {
          orderInvoiceSend(id: $id, email: $email) { order { id } userErrors { field message code } }
        }`;
        const sent = await gql(invoiceMutation, {
          id,
          email: { to: "ada@example.com", customMessage: "For your exchange" },
        });
        expect(sent.data.orderInvoiceSend).toEqual({ order: { id }, userErrors: [] });
        const shop = env.sandbox.shop(s);
        const invoice = shop.orders[0].invoices!.at(-1)!;
        expect(invoice).toMatchObject({ to: "ada@example.com", amountMinor: 1870 });
        expect(invoice.body).toContain("For your exchange");
        expect(invoice.body).toContain(invoice.url);
        // What the sandbox does not model is refused loudly, not ignored.
        const bcc = await gql(invoiceMutation, { id, email: { bcc: ["boss@example.com"] } });
        expect(bcc.errors?.[0]?.message).toMatch(/does not implement/i);
        const unknown = await gql(invoiceMutation, { id: gidFor("Order", 999999) });
        expect(unknown.data.orderInvoiceSend.userErrors[0]).toMatchObject({ code: "ORDER_INVOICE_SEND_UNSUCCESSFUL" });

        // The customer pays through the link: a sale for the balance, orders/paid and orders/updated.
        const paid = env.sandbox.invoices.pay(s, invoice.url.split("/").pop()!);
        expect(paid.ok).toBe(true);
        expect(await owed()).toMatchObject({
          totalOutstandingSet: { shopMoney: { amount: "0.00" } },
          displayFinancialStatus: "PAID",
        });
        expect(env.sandbox.invoices.pay(s, invoice.url.split("/").pop()!)).toMatchObject({ ok: false });
        await env.sandbox.flush();
        const paidHook = JSON.parse(env.sandbox.webhooks.deliveries({ topic: "orders/paid" }).at(-1)!.body);
        expect(paidHook).toMatchObject({ total_outstanding: "0.00", financial_status: "paid" });
        expect(schemaErrors("orders/paid", paidHook)).toBeNull();
        // Nothing more is owed once the exchange is processed either; the sandbox refuses an
        // invoice then, loudly, since it does not model one for an order that owes nothing.
        await gql(processMutation, {
          input: {
            returnId: created.id,
            returnLineItems: [{ id: created.returnLineItems.nodes[0].id, quantity: 1 }],
            exchangeLineItems: [{ id: created.exchangeLineItems.nodes[0].id, quantity: 1 }],
          },
        });
        expect((await owed()).totalOutstandingSet.shopMoney.amount).toBe("0.00");
        expect((await gql(invoiceMutation, { id })).errors?.[0]?.message).toMatch(/does not implement/i);
      },
    );

    it("leaves a balance due when the new item costs more than the returned one", async () => {
      // A mug (18.00 + 10% tax) for a tee (35.00 + 10% tax): 18.70 still to pay.
      const created = (await exchangeReturn("Enamel Mug", env.tee.variants[1].id)).data.returnCreate.return;
      const before = (await gql(orderQuery, { id: gidFor("Order", order.id) })).data.order;
      expect(before.totalOutstandingSet.shopMoney.amount).toBe("18.70");
      await gql(processMutation, {
        input: {
          returnId: created.id,
          returnLineItems: [{ id: created.returnLineItems.nodes[0].id, quantity: 1 }],
          exchangeLineItems: [{ id: created.exchangeLineItems.nodes[0].id, quantity: 1 }],
        },
      });
      const o = (await gql(orderQuery, { id: gidFor("Order", order.id) })).data.order;
      expect(o.totalOutstandingSet.shopMoney.amount).toBe("18.70");
    });
  });

  it("answers userErrors through adminClient.mutate as typed errors", async () => {
    const client = adminClient(env.sandbox.graphqlClient(s));
    const op = {
      name: "ReturnCloseMissing",
      document: `mutation ReturnCloseMissing {
        returnClose(id: "gid://shopify/Return/1") { return { id } userErrors { field message code } }
      }`,
    };
    await expect(client.mutate(op as never, (d: Any) => d.returnClose)).rejects.toBeInstanceOf(ShopifyUserError);
  });
});

describe("discounts and store credit", () => {
  const createMutation = `mutation D($d: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $d) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic {
            title status codes(first: 1) { nodes { code } }
            customerGets {
              value { ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount } } }
            }
            context { ... on DiscountCustomers { customers { email } } ... on DiscountBuyerSelectionAll { all } }
          }
        }
      }
      userErrors { field code message }
    }
  }`;

  it("creates customer-specific and general code discounts, refuses a taken code, and finds them by code", async () => {
    const ada = gidFor("Customer", order.customerId!);
    const personal = await gql(createMutation, {
      d: {
        title: "Loyalty reward",
        code: "ADA-10",
        startsAt: "2030-01-01T00:00:00Z",
        customerGets: {
          value: { discountAmount: { amount: "10.00", appliesOnEachItem: false } },
          items: { all: true },
        },
        context: { customers: { add: [ada] } },
        usageLimit: 1,
      },
    });
    expect(personal.data.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(personal.data.discountCodeBasicCreate.codeDiscountNode.codeDiscount).toMatchObject({
      title: "Loyalty reward",
      status: "ACTIVE",
      codes: { nodes: [{ code: "ADA-10" }] },
      customerGets: { value: { amount: { amount: "10.00" } } },
      context: { customers: [{ email: "ada@example.com" }] },
    });
    const taken = await gql(createMutation, {
      d: {
        title: "Again",
        code: "ada-10",
        startsAt: "2030-01-01T00:00:00Z",
        customerGets: { value: { percentage: 0.1 }, items: { all: true } },
        context: { all: "ALL" },
      },
    });
    expect(taken.data.discountCodeBasicCreate.userErrors[0]).toMatchObject({
      code: "TAKEN",
      field: ["basicCodeDiscount", "code"],
    });
    const badPercent = await gql(createMutation, {
      d: {
        title: "Big",
        code: "BIG",
        startsAt: "2030-01-01T00:00:00Z",
        customerGets: { value: { percentage: 15 }, items: { all: true } },
      },
    });
    expect(badPercent.data.discountCodeBasicCreate.userErrors[0].code).toBe("VALUE_OUTSIDE_RANGE");
    const found = await gql(
      `{
        codeDiscountNodeByCode(code: "ADA-10") { id }
        discountNodes(first: 5, query: "code:ADA-10") { nodes { discount { ... on DiscountCodeBasic { title } } } }
      }`,
    );
    expect(found.data.codeDiscountNodeByCode.id).toBe(personal.data.discountCodeBasicCreate.codeDiscountNode.id);
    expect(found.data.discountNodes.nodes).toEqual([{ discount: { title: "Loyalty reward" } }]);
    // The code works at checkout for Ada only, once.
    expect(() =>
      env.sandbox.placeOrder({
        shop: s,
        email: "someone@example.com",
        lines: [{ variantId: env.mug.variants[0].id, quantity: 1 }],
        paid: true,
        discountCode: "ADA-10",
      }),
    ).toThrow(/not valid for this customer/);
    const discounted = env.sandbox.placeOrder({
      shop: s,
      customer: "ada@example.com",
      lines: [{ variantId: env.mug.variants[0].id, quantity: 2 }],
      paid: true,
      discountCode: "ADA-10",
    });
    expect(discounted.lineItems[0].discountMinor).toBe(1000);
  });

  it("credits and debits store credit, refusing to overdraw", async () => {
    const ada = gidFor("Customer", order.customerId!);
    const creditMutation = `mutation C($id: ID!, $a: MoneyInput!) {
      storeCreditAccountCredit(id: $id, creditInput: { creditAmount: $a }) {
        storeCreditAccountTransaction {
          amount { amount } balanceAfterTransaction { amount } account { id balance { amount currencyCode } }
        }
        userErrors { code message }
      }
    }`;
    const debitMutation = `mutation D($id: ID!, $a: MoneyInput!) {
      storeCreditAccountDebit(id: $id, debitInput: { debitAmount: $a }) {
        storeCreditAccountTransaction { balanceAfterTransaction { amount } } userErrors { code }
      }
    }`;
    const credited = await gql(creditMutation, { id: ada, a: { amount: "25.00", currencyCode: "USD" } });
    const account = credited.data.storeCreditAccountCredit.storeCreditAccountTransaction.account;
    expect(account.balance).toEqual({ amount: "25.00", currencyCode: "USD" });
    const zero = await gql(creditMutation, { id: account.id, a: { amount: "0", currencyCode: "USD" } });
    expect(zero.data.storeCreditAccountCredit.userErrors[0].code).toBe("NEGATIVE_OR_ZERO_AMOUNT");
    const overdraw = await gql(debitMutation, { id: account.id, a: { amount: "30.00", currencyCode: "USD" } });
    expect(overdraw.data.storeCreditAccountDebit.userErrors[0].code).toBe("INSUFFICIENT_FUNDS");
    const debited = await gql(debitMutation, { id: account.id, a: { amount: "5.00", currencyCode: "USD" } });
    expect(debited.data.storeCreditAccountDebit.storeCreditAccountTransaction.balanceAfterTransaction.amount).toBe(
      "20.00",
    );
    const customer = await gql(
      `query C($id: ID!) {
        customer(id: $id) {
          storeCreditAccounts(first: 2) {
            nodes { balance { amount } transactions(first: 5) { nodes { amount { amount } } } }
          }
        }
      }`,
      { id: ada },
    );
    expect(customer.data.customer.storeCreditAccounts.nodes).toEqual([
      {
        balance: { amount: "20.00" },
        transactions: { nodes: [{ amount: { amount: "25.00" } }, { amount: { amount: "-5.00" } }] },
      },
    ]);
  });
});

describe("the HTTP endpoint", () => {
  const post = (path: string, token: string | null, body: unknown, shop = s) =>
    env.sandbox.handleAdminGraphql(
      new Request(`http://127.0.0.1${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-sandbox-shop-domain": shop,
          ...(token ? { "x-shopify-access-token": token } : {}),
        },
        body: JSON.stringify(body),
      }),
    );

  it("answers 401 without a token it issued, 404 for an unknown version or shop, 200 otherwise", async () => {
    const token = env.sandbox.issueAccessToken(s);
    const query = { query: "{ shop { name } }" };
    expect((await post("/admin/api/2026-07/graphql.json", null, query)).status).toBe(401);
    expect((await post("/admin/api/2026-07/graphql.json", "shpat_made_up", query)).status).toBe(401);
    expect((await post("/admin/api/2019-01/graphql.json", token, query)).status).toBe(404);
    expect((await post("/admin/api/2026-07/graphql.json", token, query, "nowhere.myshopify.com")).status).toBe(404);
    const ok = await post("/admin/api/2026-07/graphql.json", token, query);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      data: { shop: { name: "Sandbox Test" } },
      extensions: { cost: { requestedQueryCost: 1 } },
    });
    // A token belongs to its shop.
    env.sandbox.createShop({ domain: "second.myshopify.com" });
    expect((await post("/admin/api/2026-07/graphql.json", token, query, "second.myshopify.com")).status).toBe(401);
  });
});

describe("query cost and throttling", () => {
  it("charges connections by their page size and refuses a query above 1000", async () => {
    const small = await gql(`{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { title } } } } }`);
    // 2 + 10 * (1 order + 2 + 5 line items)
    expect(small.extensions.cost.requestedQueryCost).toBe(2 + 10 * (1 + 2 + 5));
    expect(small.extensions.cost.actualQueryCost).toBe(2 + 1 * (1 + 2 + 2));
    const huge = await gql(`{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { title } } } } }`);
    expect(huge.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");
  });

  it("answers THROTTLED when the bucket is empty; the app's adminClient waits and retries", async () => {
    let now = Date.parse("2030-04-01T00:00:00Z");
    const { sandbox } = testSandbox({ clock: () => new Date(now) });
    sandbox.setThrottle(s, { maximumAvailable: 50, restoreRate: 10, currentlyAvailable: 0 });
    const waits: number[] = [];
    const client = adminClient(sandbox.graphqlClient(s), {
      sleep: async (ms) => {
        waits.push(ms);
        now += ms; // time passes in the sandbox too, so the bucket refills
      },
    });
    const data = await client.request(ShopDetails);
    expect(data.shop.name).toBe("Sandbox Test");
    expect(waits.length).toBe(1);
    // ShopDetails costs 1; 1 point at 10 a second is 100 ms, plus the client's margin.
    expect(waits[0]).toBe(
      throttleWait(
        { extensions: { cost: { requestedQueryCost: 1, throttleStatus: { currentlyAvailable: 0, restoreRate: 10 } } } },
        1,
      ),
    );
  });

  it("throttles the next n requests on demand, and gives up after the client's attempts", async () => {
    const body = { shop: null as Any };
    env.sandbox.throttleNext(s, 2);
    const throttled = await gql(`{ shop { name } }`);
    expect(throttled.errors[0]).toMatchObject({ message: "Throttled", extensions: { code: "THROTTLED" } });
    expect(throttled.extensions.cost).toMatchObject({
      requestedQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
    const client = adminClient(env.sandbox.graphqlClient(s), { sleep: async () => {} });
    body.shop = (await client.request(ShopDetails)).shop;
    expect(body.shop.name).toBe("Sandbox Test");
    env.sandbox.throttleNext(s, 5);
    const failing = adminClient(env.sandbox.graphqlClient(s), { sleep: async () => {}, maxAttempts: 3 });
    await expect(failing.request(ShopDetails)).rejects.toSatisfy(
      (e: unknown) => e instanceof ShopifyApiError && e.codes.includes("THROTTLED"),
    );
  });
});

describe("app-data metafields", () => {
  const set = `mutation Set($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) { metafields { id key value } userErrors { field message code } }
  }`;
  const flag = (ownerId: string, value: string) => ({
    metafields: [{ ownerId, namespace: "aftercare", key: "returns_order_lookup", type: "boolean", value }],
  });

  it("sets the app installation's metafields; a wrong value writes nothing", async () => {
    const installation = (await gql("{ currentAppInstallation { id } }")).data.currentAppInstallation.id;
    expect(installation).toMatch(/^gid:\/\/shopify\/AppInstallation\/\d+$/);
    const on = await gql(set, flag(installation, "true"));
    expect(on.data.metafieldsSet).toMatchObject({
      metafields: [{ key: "returns_order_lookup", value: "true" }],
      userErrors: [],
    });
    const wrong = await gql(set, flag(installation, "yes"));
    expect(wrong.data.metafieldsSet).toMatchObject({ metafields: null, userErrors: [{ code: "INVALID_VALUE" }] });
    await gql(set, flag(installation, "false"));
    expect(env.sandbox.shop(s).appMetafields).toEqual([
      expect.objectContaining({ namespace: "aftercare", key: "returns_order_lookup", type: "boolean", value: "false" }),
    ]);
  });

  it("fails loudly for an owner or a type it does not implement", async () => {
    const other = await gql(set, flag(gidFor("Product", env.mug.id), "true"));
    expect(other.errors[0]).toMatchObject({ extensions: { code: "SANDBOX_NOT_IMPLEMENTED" } });
    const installation = (await gql("{ currentAppInstallation { id } }")).data.currentAppInstallation.id;
    const json = {
      metafields: [{ ownerId: installation, namespace: "aftercare", key: "k2", type: "json", value: "{}" }],
    };
    expect((await gql(set, json)).errors[0].message).toBe(
      "Sandbox does not implement metafieldsSet with the type json",
    );
    expect((await gql("{ currentAppInstallation { id launchUrl } }")).errors[0].message).toMatch(/does not implement/);
  });
});
