import { beforeEach, describe, expect, it } from "vitest";

import { testSandbox, TEST_SHOP } from "./testing";
import { gidFor, type Order } from "./state";

interface Definition {
  id: string;
  handle: string;
  name: string;
  deleted: boolean;
}
interface ReturnAnswer {
  /** Null only beside userErrors; the tests that read it assert there are none. */
  return: { returnLineItems: { nodes: { returnReason: string; returnReasonDefinition: Definition }[] } };
  userErrors: { field: string[]; message: string; code: string }[];
}
/** The fields these tests read from the sandbox's answers. */
interface Answer {
  data: {
    returnReasonDefinitions: { nodes: Definition[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    returnRequest: ReturnAnswer;
    returnCreate: ReturnAnswer;
    node: { handle: string } | null;
    returnableFulfillments: {
      nodes: {
        returnableFulfillmentLineItems: {
          nodes: { fulfillmentLineItem: { id: string; lineItem: { title: string } } }[];
        };
      }[];
    };
  };
  errors: { message: string }[];
}

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
    lines: [{ variantId: env.mug.variants[0].id, quantity: 2 }],
    paid: true,
  });
});

const gql = async (query: string, variables?: Record<string, unknown>): Promise<Answer> =>
  (await env.sandbox.graphql(s, query, variables)) as unknown as Answer;

describe("return reason definitions", () => {
  const definitionsQuery = `query D($first: Int!, $handles: [String!], $ids: [ID!], $query: String, $after: String) {
    returnReasonDefinitions(first: $first, handles: $handles, ids: $ids, query: $query, after: $after) {
      nodes { id handle name deleted }
      pageInfo { hasNextPage endCursor }
    } }`;
  const requestMutation = `mutation Q($input: ReturnRequestInput!) { returnRequest(input: $input) {
    return { id returnLineItems(first: 5) {
      nodes { ... on ReturnLineItem { returnReason returnReasonDefinition { id handle name } } } } }
    userErrors { field message code } } }`;

  async function mugLine(): Promise<string> {
    env.sandbox.fulfil({ shop: s, order, trackingCompany: "UPS", trackingNumber: "1Z1" });
    const body = await gql(
      `query R($id: ID!) { returnableFulfillments(orderId: $id, first: 5) { nodes {
      returnableFulfillmentLineItems(first: 5) { nodes { fulfillmentLineItem { id lineItem { title } } } } } } }`,
      { id: gidFor("Order", order.id) },
    );
    const nodes = body.data.returnableFulfillments.nodes[0].returnableFulfillmentLineItems.nodes;
    return nodes.find((n) => n.fulfillmentLineItem.lineItem.title === "Enamel Mug")!.fulfillmentLineItem.id;
  }

  it("lists the library, filtered by handle, id and deleted, and pages through it", async () => {
    const all = await gql(definitionsQuery, { first: 250 });
    expect(all.errors).toBeUndefined();
    const nodes = all.data.returnReasonDefinitions.nodes;
    expect(nodes.find((d) => d.handle === "too-small")).toEqual({
      id: "gid://shopify/ReturnReasonDefinition/1",
      handle: "too-small",
      name: "Too small",
      deleted: false,
    });
    expect(nodes.some((d) => d.deleted)).toBe(true);

    const byHandle = await gql(definitionsQuery, { first: 5, handles: ["changed-my-mind", "other"] });
    expect(byHandle.data.returnReasonDefinitions.nodes.map((d) => d.handle)).toEqual(["changed-my-mind", "other"]);
    const byId = await gql(definitionsQuery, { first: 5, ids: ["gid://shopify/ReturnReasonDefinition/2"] });
    expect(byId.data.returnReasonDefinitions.nodes.map((d) => d.handle)).toEqual(["too-large"]);
    const live = await gql(definitionsQuery, { first: 250, query: "deleted:false" });
    expect(live.data.returnReasonDefinitions.nodes.every((d) => !d.deleted)).toBe(true);
    expect(live.data.returnReasonDefinitions.nodes.length).toBe(nodes.length - 1);

    const first = await gql(definitionsQuery, { first: 2 });
    expect(first.data.returnReasonDefinitions.pageInfo.hasNextPage).toBe(true);
    const next = await gql(definitionsQuery, {
      first: 2,
      after: first.data.returnReasonDefinitions.pageInfo.endCursor,
    });
    expect(next.data.returnReasonDefinitions.nodes.map((d) => d.id)).toEqual(nodes.slice(2, 4).map((d) => d.id));
  });

  it("answers a filter it does not implement with an error, not a wider list", async () => {
    const body = await gql(definitionsQuery, { first: 5, query: "category:apparel" });
    expect(body.errors[0].message).toMatch(
      /Sandbox does not implement returnReasonDefinitions\(query:\) filter category/,
    );
  });

  it("creates return lines from a definition id and answers the definition and its legacy reason", async () => {
    const fli = await mugLine();
    const input = (line: Record<string, unknown>) => ({
      input: {
        orderId: gidFor("Order", order.id),
        returnLineItems: [{ fulfillmentLineItemId: fli, quantity: 1, ...line }],
      },
    });
    const ok = await gql(
      requestMutation,
      input({ returnReasonDefinitionId: "gid://shopify/ReturnReasonDefinition/3" }),
    );
    expect(ok.data.returnRequest.userErrors).toEqual([]);
    expect(ok.data.returnRequest.return.returnLineItems.nodes).toEqual([
      {
        returnReason: "SIZE_TOO_SMALL",
        returnReasonDefinition: {
          id: "gid://shopify/ReturnReasonDefinition/3",
          handle: "too-tight",
          name: "Too tight",
        },
      },
    ]);
    const node = await gql(`query N($id: ID!) { node(id: $id) { ... on ReturnReasonDefinition { handle } } }`, {
      id: "gid://shopify/ReturnReasonDefinition/13",
    });
    expect(node.data.node).toEqual({ handle: "changed-my-mind" });
  });

  it("refuses an unknown definition and both kinds of reason at once; a deleted one stays valid", async () => {
    const fli = await mugLine();
    const input = (line: Record<string, unknown>) => ({
      input: {
        orderId: gidFor("Order", order.id),
        returnLineItems: [{ fulfillmentLineItemId: fli, quantity: 1, ...line }],
      },
    });
    const unknown = await gql(
      requestMutation,
      input({ returnReasonDefinitionId: "gid://shopify/ReturnReasonDefinition/999" }),
    );
    expect(unknown.data.returnRequest.userErrors[0]).toMatchObject({
      code: "NOT_FOUND",
      field: ["input", "returnLineItems", "0", "returnReasonDefinitionId"],
    });
    const both = await gql(
      requestMutation,
      input({ returnReasonDefinitionId: "gid://shopify/ReturnReasonDefinition/1", returnReason: "SIZE_TOO_SMALL" }),
    );
    expect(both.data.returnRequest.userErrors[0].code).toBe("INVALID");
    const deleted = await gql(
      requestMutation,
      input({ returnReasonDefinitionId: "gid://shopify/ReturnReasonDefinition/17" }),
    );
    expect(deleted.data.returnRequest.return.returnLineItems.nodes[0].returnReasonDefinition.handle).toBe(
      "size-was-too-small",
    );
  });

  it("translates the deprecated returnReason to its definition", async () => {
    const fli = await mugLine();
    const body = await gql(requestMutation, {
      input: {
        orderId: gidFor("Order", order.id),
        returnLineItems: [{ fulfillmentLineItemId: fli, quantity: 1, returnReason: "UNWANTED" }],
      },
    });
    expect(body.data.returnRequest.return.returnLineItems.nodes[0].returnReasonDefinition.handle).toBe(
      "changed-my-mind",
    );
  });

  it("keeps the REST return_reason in webhooks, derived from the definition", async () => {
    const fli = await mugLine();
    const created = await gql(
      `mutation C($r: ReturnInput!) { returnCreate(returnInput: $r) { return { id } userErrors { message } } }`,
      {
        r: {
          orderId: gidFor("Order", order.id),
          returnLineItems: [
            {
              fulfillmentLineItemId: fli,
              quantity: 1,
              returnReasonDefinitionId: "gid://shopify/ReturnReasonDefinition/10",
              returnReasonNote: "Pilled fabric",
            },
          ],
        },
      },
    );
    expect(created.data.returnCreate.userErrors).toEqual([]);
    const sent =
      env.sandbox.webhooks.deliveries({ topic: "returns/approve" }).at(-1) ??
      env.sandbox.webhooks.deliveries({ topic: "returns/request" }).at(-1);
    const line = JSON.parse(sent!.body).return_line_items[0];
    expect(line).toMatchObject({ return_reason: "defective", return_reason_note: "Pilled fabric" });
  });
});
