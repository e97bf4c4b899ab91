/**
 * The link in Shopify's invoice email, as the sandbox serves it: a dearer exchange leaves the order
 * owing the difference, orderInvoiceSend emails a link, and the page behind it takes the payment,
 * after which the order owes nothing and Shopify's orders/paid goes out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startSandboxServer } from "./server";
import { testSandbox, TEST_SHOP } from "./engine/testing";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("the invoice's pay page", () => {
  const { sandbox, mug, tee } = testSandbox();
  let server: Awaited<ReturnType<typeof startSandboxServer>>;
  const gql = async (query: string, variables: Record<string, unknown>): Promise<Any> =>
    (await sandbox.graphqlClient(TEST_SHOP)(query, { variables })).json();

  beforeAll(async () => {
    server = await startSandboxServer({
      sandbox,
      shop: TEST_SHOP,
      apiKey: "k",
      apiSecret: "s",
      appUrl: "http://127.0.0.1:1",
      port: 0,
    });
  });
  afterAll(() => server.close());

  it("shows what the order owes, takes the payment once, and answers 404 for an unknown order", async () => {
    const customer = sandbox.createCustomer({ shop: TEST_SHOP, email: "ada@example.com", firstName: "Ada" });
    const order = sandbox.placeOrder({
      shop: TEST_SHOP,
      customer,
      lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
    sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z1" });
    const orderId = `gid://shopify/Order/${order.id}`;
    const returnable = await gql(
      `query R($id: ID!) { returnableFulfillments(orderId: $id, first: 5) { nodes {
        returnableFulfillmentLineItems(first: 5) { nodes { fulfillmentLineItem { id } } } } } }`,
      { id: orderId },
    );
    const fulfillmentLineItemId =
      returnable.data.returnableFulfillments.nodes[0].returnableFulfillmentLineItems.nodes[0].fulfillmentLineItem.id;
    const created = await gql(
      `mutation C($r: ReturnInput!) { returnCreate(returnInput: $r) { return { id } userErrors { message } } }`,
      {
        r: {
          orderId,
          returnLineItems: [{ fulfillmentLineItemId, quantity: 1, returnReason: "OTHER" }],
          exchangeLineItems: [{ variantId: `gid://shopify/ProductVariant/${tee.variants[1].id}`, quantity: 1 }],
        },
      },
    );
    expect(created.data.returnCreate.userErrors).toEqual([]);
    const sent = await gql(
      `mutation I($id: ID!) { orderInvoiceSend(id: $id) { order { id } userErrors { message code } } }`,
      { id: orderId },
    );
    expect(sent.data.orderInvoiceSend.userErrors).toEqual([]);
    const [invoice] = sandbox.invoices.sent(TEST_SHOP);
    expect(invoice).toMatchObject({ to: "ada@example.com", amountMinor: 1700 });
    expect(invoice.url.startsWith(`${server.url}/invoices/`)).toBe(true);

    const page = await fetch(invoice.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("17.00 USD");
    expect(html).toContain(order.name);

    const paid = await fetch(invoice.url, { method: "POST" });
    expect(await paid.text()).toContain("is paid");
    expect(sandbox.invoices.owed(TEST_SHOP, invoice.url.split("/").pop()!)).toMatchObject({ amountMinor: 0 });
    // Paying again is refused with Shopify's words; nothing more is charged.
    expect(await (await fetch(invoice.url, { method: "POST" })).text()).toContain("nothing left to pay");
    await sandbox.flush();
    const hooks = sandbox.webhooks.deliveries({ topic: "orders/paid" }).map((d) => JSON.parse(d.body));
    expect(hooks.at(-1)).toMatchObject({ id: order.id, total_outstanding: "0.00", financial_status: "paid" });

    expect((await fetch(`${server.url}/invoices/nosuchorder`)).status).toBe(404);
  });
});
