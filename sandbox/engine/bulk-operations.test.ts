import { afterAll, describe, expect, it } from "vitest";

import { historyOrdersQuery } from "../../app/shopify/operations/history-import";

import { testSandbox, TEST_SHOP } from "./testing";
import { signWebhook } from "./webhooks";

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies */

const RUN = `mutation Run($query: String!, $group: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $group) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;
const POLL = `query Poll($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url completedAt } }
}`;

function shopWithHistory() {
  const t = testSandbox();
  const { sandbox, mug, tee } = t;
  const ada = sandbox.createCustomer({ shop: TEST_SHOP, email: "ada@example.com", firstName: "Ada", lastName: "L" });
  const first = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: ada,
    lines: [
      { variantId: mug.variants[0].id, quantity: 2 },
      { variantId: tee.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  sandbox.fulfil({ shop: TEST_SHOP, order: first, trackingCompany: "UPS", trackingNumber: "1Z1" });
  const second = sandbox.placeOrder({
    shop: TEST_SHOP,
    email: "guest@example.com",
    lines: [{ variantId: tee.variants[1].id, quantity: 1 }],
    paid: true,
  });
  sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: ada,
    lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
    paid: false,
  });
  return { ...t, first, second };
}

const run = (sandbox: ReturnType<typeof testSandbox>["sandbox"], query: string, group = false) =>
  sandbox.graphql(TEST_SHOP, RUN, { query, group }) as Promise<any>;

describe("bulk query operations in the sandbox", () => {
  const t = shopWithHistory();
  afterAll(() => t.sandbox.close());

  it("runs one query at a time, reports progress and serves Shopify's JSONL with __parentId", async () => {
    const { sandbox, first } = t;
    const started = await run(sandbox, historyOrdersQuery("created_at:>=2000-01-01"));
    expect(started.data.bulkOperationRunQuery.userErrors).toEqual([]);
    const { id, status } = started.data.bulkOperationRunQuery.bulkOperation;
    expect(status).toBe("CREATED");
    const again = await run(sandbox, historyOrdersQuery("created_at:>=2000-01-01"));
    expect(again.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(again.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ code: "OPERATION_IN_PROGRESS" });

    await sandbox.bulk.settle();
    const polled = ((await sandbox.graphql(TEST_SHOP, POLL, { id })) as any).data.node;
    expect(polled).toMatchObject({ id, status: "COMPLETED", errorCode: null, rootObjectCount: "3" });
    // 3 orders, 4 line items, no returns.
    expect(polled.objectCount).toBe("7");
    const response = sandbox.fetchBulkResult(polled.url);
    const text = await response.text();
    expect(Number(polled.fileSize)).toBe(Buffer.byteLength(text));
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(7);
    const roots = lines.filter((l) => !("__parentId" in l));
    expect(roots.map((r) => r.id)).toHaveLength(3);
    // A nested connection's nodes are lines of their own, right after their parent.
    const firstAt = lines.findIndex((l) => l.id === `gid://shopify/Order/${first.id}`);
    expect(lines[firstAt]).not.toHaveProperty("lineItems");
    expect(lines[firstAt].fulfillments[0].trackingInfo[0]).toMatchObject({ company: "UPS", number: "1Z1" });
    expect(lines.slice(firstAt + 1, firstAt + 3).map((l) => l.__parentId)).toEqual([
      lines[firstAt].id,
      lines[firstAt].id,
    ]);
    expect(lines[firstAt + 1].id).toMatch(/^gid:\/\/shopify\/LineItem\//);

    // The finish webhook, signed like every other.
    const finish = sandbox.webhooks.deliveries({ topic: "bulk_operations/finish" });
    expect(finish).toHaveLength(1);
    const body = JSON.parse(finish[0].body);
    expect(body).toMatchObject({ admin_graphql_api_id: id, status: "completed", type: "query", error_code: null });
    expect(signWebhook(finish[0].body, process.env.SHOPIFY_API_SECRET ?? "aftercare-test-secret")).toBeTruthy();

    // Polling by bulkOperation(id:) and the deprecated currentBulkOperation agree.
    const byId = (await sandbox.graphql(TEST_SHOP, `query B($id: ID!) { bulkOperation(id: $id) { id status } }`, {
      id,
    })) as any;
    expect(byId.data.bulkOperation).toEqual({ id, status: "COMPLETED" });
    const current = (await sandbox.graphql(TEST_SHOP, `{ currentBulkOperation { id } }`)) as any;
    expect(current.data.currentBulkOperation.id).toBe(id);
  });

  it("filters by the order search it is given", async () => {
    const { sandbox } = t;
    const started = await run(sandbox, historyOrdersQuery("created_at:>=2999-01-01"));
    await sandbox.bulk.settle();
    const id = started.data.bulkOperationRunQuery.bulkOperation.id;
    const polled = ((await sandbox.graphql(TEST_SHOP, POLL, { id })) as any).data.node;
    expect(polled).toMatchObject({ status: "COMPLETED", objectCount: "0", rootObjectCount: "0" });
  });

  it.each([
    ["a field the schema lacks", "{ orders { edges { node { id riskScore } } } }", /Invalid bulk query/],
    ["no connection", "{ shop { name } }", /at least one connection/],
    ["the top-level node field", '{ node(id: "gid://shopify/Order/1") { id } }', /node/],
    [
      "a connection inside a list field",
      "{ orders { edges { node { id fulfillments { id fulfillmentLineItems { edges { node { id } } } } } } } }",
      /connection field within a list field/,
    ],
    [
      "connections three deep",
      "{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }",
      /nesting depth/,
    ],
    [
      "six connections",
      `{ orders { edges { node { id
          a: lineItems { edges { node { id } } } b: lineItems { edges { node { id } } }
          c: returns { edges { node { id } } } d: returns { edges { node { id } } }
          e: lineItems { edges { node { id } } } } } } }`,
      /more than 5 connections/,
    ],
    ["a parent without its id", "{ orders { edges { node { name lineItems { edges { node { id } } } } } } }", /'id'/],
    ["variables", "query Q($s: String) { orders(query: $s) { edges { node { id } } } }", /variables/],
  ])("refuses %s, as Shopify does", async (_what, query, message) => {
    const answer = await run(t.sandbox, query);
    expect(answer.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    const errors = answer.data.bulkOperationRunQuery.userErrors;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].code).toBe("INVALID");
    expect(errors.map((e: { message: string }) => e.message).join(" ")).toMatch(message);
  });

  it("answers grouped output, which it does not implement, with an error", async () => {
    const answer = await run(t.sandbox, historyOrdersQuery("created_at:>=2000-01-01"), true);
    expect(answer.errors[0].message).toMatch(/does not implement bulkOperationRunQuery\(groupObjects: true\)/);
  });

  it("says a result URL it does not know is not there", async () => {
    const response = t.sandbox.fetchBulkResult(`https://sandbox-bulk.invalid/bulk-results/${"0".repeat(32)}.jsonl`);
    expect(response.status).toBe(404);
  });
});

/* eslint-enable @typescript-eslint/no-explicit-any */
