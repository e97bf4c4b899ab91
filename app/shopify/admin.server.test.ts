import { GraphqlQueryError } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";

import { adminClient, operation, ShopifyApiError, ShopifyUserError, type GraphqlFn } from "./admin.server";

const Thing = operation<{ thing: { id: string } }, { id: string }>(`#graphql
  query Thing($id: ID!) { thing(id: $id) { id } }
`);
const Make = operation<{ makeThing: { userErrors: { message: string }[]; thing: { id: string } | null } }>(`#graphql
  mutation MakeThing { makeThing { userErrors { message } thing { id } } }
`);

function scripted(bodies: object[]): GraphqlFn & { calls: number } {
  const fn = (async () => {
    fn.calls++;
    return new Response(JSON.stringify(bodies[Math.min(fn.calls - 1, bodies.length - 1)]));
  }) as unknown as GraphqlFn & { calls: number };
  fn.calls = 0;
  return fn;
}

const throttled = {
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
  extensions: {
    cost: {
      requestedQueryCost: 50,
      throttleStatus: { currentlyAvailable: 10, restoreRate: 100, maximumAvailable: 2000 },
    },
  },
};

describe("Admin API adapter", () => {
  it("takes the operation name from the document", () => {
    expect(Thing.name).toBe("Thing");
    expect(() => operation("query { shop { name } }")).toThrow(/named/);
  });

  it("waits for the bucket to refill and retries when throttled", async () => {
    const waits: number[] = [];
    const graphql = scripted([throttled, { data: { thing: { id: "1" } } }]);
    const client = adminClient(graphql, {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(client.request(Thing, { id: "1" })).resolves.toEqual({ thing: { id: "1" } });
    expect(graphql.calls).toBe(2);
    // 40 points missing at 100 points a second: 400 ms, plus a margin.
    expect(waits).toEqual([450]);
  });

  it("retries when the library's client throws THROTTLED as a GraphqlQueryError", async () => {
    // What @shopify/shopify-api throws for a 200 with GraphQL errors: its body is the GraphQL client's
    // response, in which the errors Shopify listed are `errors.graphQLErrors`.
    const thrown = () =>
      new GraphqlQueryError({
        message: "Throttled",
        response: {},
        body: {
          errors: {
            networkStatusCode: 200,
            message:
              "GraphQL Client: An error occurred while fetching from the API. Review 'graphQLErrors' for details.",
            graphQLErrors: throttled.errors,
            response: {},
          },
          extensions: throttled.extensions,
        },
      });
    let calls = 0;
    const graphql: GraphqlFn = async () => {
      calls++;
      if (calls === 1) throw thrown();
      return new Response(JSON.stringify({ data: { thing: { id: "1" } } }));
    };
    const waits: number[] = [];
    const client = adminClient(graphql, {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(client.request(Thing, { id: "1" })).resolves.toEqual({ thing: { id: "1" } });
    expect([calls, waits]).toEqual([2, [450]]);
    const always = adminClient(
      async () => {
        throw thrown();
      },
      { maxAttempts: 2, sleep: async () => {} },
    );
    await expect(always.request(Thing, { id: "1" })).rejects.toMatchObject({
      message: "Thing: Throttled",
      codes: ["THROTTLED"],
    });
  });

  it("gives up after the last attempt", async () => {
    const client = adminClient(scripted([throttled]), { maxAttempts: 3, sleep: async () => {} });
    await expect(client.request(Thing, { id: "1" })).rejects.toMatchObject({ codes: ["THROTTLED"] });
  });

  it("turns GraphQL errors into ShopifyApiError and userErrors into ShopifyUserError", async () => {
    const failing = adminClient(scripted([{ errors: [{ message: "Field 'x' doesn't exist" }] }]));
    await expect(failing.request(Thing, { id: "1" })).rejects.toBeInstanceOf(ShopifyApiError);
    const refused = adminClient(
      scripted([{ data: { makeThing: { userErrors: [{ message: "Title can't be blank" }], thing: null } } }]),
    );
    const error = await refused.mutate(Make, (d) => d.makeThing).catch((e) => e);
    expect(error).toBeInstanceOf(ShopifyUserError);
    expect(error.message).toBe("Title can't be blank");
  });
});
