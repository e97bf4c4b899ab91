/**
 * The admin's parent route with the real authenticate.admin: a malformed `host` parameter is a
 * 400 with a message, before any session is looked at, and a well-formed one still goes on to
 * Shopify's authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";

const SHOP = "aftercare-test.myshopify.com";
type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
let t: TestDatabase;
let loader: Loader;

beforeAll(async () => {
  t = await createTestDatabase();
  // The routes' db() reads DATABASE_URL on first use.
  process.env.DATABASE_URL = t.url;
  loader = (await import("./app")).loader as never;
});
afterAll(async () => {
  await t.drop();
});

const base64 = (text: string) => Buffer.from(text).toString("base64");

/** The loader's answer, returned or thrown, as Remix would send it. */
async function open(host: string) {
  const url = `https://app.test/app?embedded=1&shop=${SHOP}&host=${encodeURIComponent(host)}`;
  try {
    return await loader({ request: new Request(url), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("/app with a malformed host", () => {
  it.each([
    ["base64 of something no URL can hold", base64("bad host")],
    ["not base64 at all", "%%%"],
    ["base64 of a host that is not Shopify's admin", base64("evil.example.com/store/x")],
    ["empty", ""],
  ])("answers 400 with a message for %s", async (_what, host) => {
    const response = await open(host);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/host parameter is not a Shopify admin host/);
  });

  it("lets a well-formed host through to Shopify's authentication", async () => {
    const response = await open(base64("admin.shopify.com/store/aftercare-test"));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/auth/session-token");
  });
});
