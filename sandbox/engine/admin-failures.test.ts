/**
 * The sandbox's Admin API failing on purpose (failNext): over HTTP a request meets the status asked
 * for with Shopify's body, in-process a dropped connection is fetch's TypeError; only the operation
 * named fails when one is named; the next requests go through again.
 */
import { afterAll, describe, expect, it } from "vitest";

import { testSandbox, TEST_SHOP } from "./testing";

const { sandbox } = testSandbox();
afterAll(() => sandbox.close());

const post = (query: string) =>
  sandbox.handleAdminGraphql(
    new Request("http://127.0.0.1/admin/api/2026-07/graphql.json", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-sandbox-shop-domain": TEST_SHOP,
        "x-shopify-access-token": sandbox.issueAccessToken(TEST_SHOP),
      },
      body: JSON.stringify({ query }),
    }),
  );

describe("failNext", () => {
  it("fails the next requests over HTTP with the status asked for, then answers again", async () => {
    sandbox.failNext(TEST_SHOP, 2, 502);
    const first = await post("query ShopName { shop { name } }");
    expect(first.status).toBe(502);
    expect(await first.json()).toEqual({ errors: "Bad Gateway" });
    expect((await post("{ shop { name } }")).status).toBe(502);
    const third = await post("{ shop { name } }");
    expect(third.status).toBe(200);
    expect(await third.json()).toMatchObject({ data: { shop: { name: "Sandbox Test" } } });
  });

  it("fails only the operation named, and drops the connection in-process", async () => {
    const graphql = sandbox.graphqlClient(TEST_SHOP);
    sandbox.failNext(TEST_SHOP, 1, "network", { operation: "OrderRead" });
    expect((await graphql("query ShopName { shop { name } }")).status).toBe(200);
    const dropped = await graphql("query OrderRead { orders(first: 1) { nodes { id } } }").catch((e) => e);
    expect(dropped).toBeInstanceOf(TypeError);
    expect(dropped).toMatchObject({ message: "fetch failed", cause: { code: "ECONNRESET" } });
    expect((await graphql("query OrderRead { orders(first: 1) { nodes { id } } }")).status).toBe(200);
    expect(() => sandbox.failNext(TEST_SHOP, 1, 418)).toThrow("Sandbox does not fail requests with 418");
  });
});
