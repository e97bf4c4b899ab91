/**
 * Every app proxy route refuses a request whose query repeats a parameter: Shopify's library
 * verifies the last value of a repeated parameter and the app would read the first, so a signed
 * URL for one shopper with another's id put in front must not show the other shopper anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { proxyRequest } from "../../tests/helpers/app-proxy";

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
let t: TestDatabase;
const routes: Record<string, { loader: Handler; action?: Handler }> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  for (const name of ["tracking", "returns", "loyalty", "contact", "contact.survey", "unsubscribe"]) {
    routes[name] = (await import(`./proxy.${name}.tsx`)) as never;
  }
});
afterAll(async () => t.drop());

/** A request signed for customer 502, then with customer 501 (or a second shop) put in front. */
function tampered(path: string, method: string, extra: string) {
  const signed = proxyRequest(path, { token: "x" }, { loggedInCustomerId: "502", method });
  return new Request(signed.url.replace("?", `?${extra}&`), {
    method,
    headers: signed.headers,
    body: method === "POST" ? "{}" : undefined,
  });
}

describe("a repeated signed query parameter", () => {
  for (const name of ["tracking", "returns", "loyalty", "contact", "contact.survey", "unsubscribe"]) {
    const path = name.replace(".", "/");
    for (const method of ["GET", "POST"]) {
      it(`is refused with 400 by ${method} /proxy/${path}`, async () => {
        const handler = method === "GET" ? routes[name].loader : routes[name].action;
        if (!handler) return;
        for (const extra of ["logged_in_customer_id=501", "shop=other.myshopify.com"]) {
          const res = await handler({ request: tampered(path, method, extra), params: {}, context: {} }).catch(
            (e: Response) => e,
          );
          expect(res.status).toBe(400);
          expect((await res.json()).message).toMatch(/repeats "(logged_in_customer_id|shop)"/);
        }
      });
    }
  }
});
