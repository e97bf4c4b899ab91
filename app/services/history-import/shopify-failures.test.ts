/**
 * Which failures of a request to Shopify the details phase waits out: what @shopify/shopify-api
 * throws for a 5xx, a 429 past its retries and a request with no answer; what fetch throws for a
 * dropped connection or a timeout; GraphQL errors Shopify gives for a passing trouble. Everything
 * else is permanent.
 */
import {
  GraphqlQueryError,
  HttpInternalError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";

import { adminClient, ShopifyApiError } from "../../shopify/admin.server";

import { transientCause, transientReason, watchFailures } from "./shopify-failures.server";

const response = (code: number) => ({ message: "x", code, statusText: "", body: {}, headers: {} });

describe("failures that may pass", () => {
  it("knows the Shopify library's HTTP errors", () => {
    expect(transientCause(new HttpInternalError(response(503)))).toBe("Shopify answered 503");
    expect(transientCause(new HttpThrottlingError({ ...response(429), retryAfter: 2 }))).toBe("Shopify answered 429");
    expect(transientCause(new HttpMaxRetriesError("Attempted the maximum number of retries"))).toBe(
      "Shopify kept answering with errors",
    );
    expect(transientCause(new HttpRequestError("Http request error, no response available: fetch failed"))).toBe(
      "the connection to Shopify failed",
    );
    expect(transientCause(new HttpResponseError(response(403)))).toBeNull();
    expect(transientCause(new HttpResponseError(response(404)))).toBeNull();
  });

  it("knows fetch's dropped connections and timeouts", () => {
    const reset = new TypeError("fetch failed", { cause: Object.assign(new Error("read"), { code: "ECONNRESET" }) });
    expect(transientCause(reset)).toBe("the connection to Shopify failed");
    expect(transientCause(new DOMException("The operation timed out.", "TimeoutError"))).toBe(
      "Shopify did not answer in time",
    );
    expect(transientCause(new Error("Cannot read properties of undefined"))).toBeNull();
    expect(transientCause("a string")).toBeNull();
  });

  it("reads GraphQL codes through the admin client, and what the watched function saw beneath it", async () => {
    const answer =
      (body: unknown, status = 200) =>
      async () =>
        new Response(JSON.stringify(body), { status });
    const failWith = async (graphql: Parameters<typeof watchFailures>[0]) => {
      const watched = watchFailures(graphql);
      const client = adminClient(watched.graphql, { sleep: async () => {}, maxAttempts: 2 });
      const error = await client.request({ name: "Q", document: "query Q { shop { id } }" }).catch((e) => e);
      expect(error).toBeInstanceOf(ShopifyApiError);
      return transientReason(error, watched.lastFailure());
    };
    const throttled = { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] };
    expect(await failWith(answer(throttled))).toBe("Shopify kept asking Aftercare to slow down");
    const internal = { errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] };
    expect(await failWith(answer(internal))).toBe("Shopify reported an internal error");
    expect(await failWith(answer({ errors: "Service Unavailable" }, 503))).toBe("Shopify answered 503");
    // What the Shopify library throws for the 503 (no retries asked for), beneath the client.
    expect(
      await failWith(async () => {
        throw new HttpInternalError(response(503));
      }),
    ).toBe("Shopify answered 503");
    // The library's error for a 200 with GraphQL errors carries the body: its codes decide.
    const rejected = {
      errors: { graphQLErrors: [{ message: "Field 'x' doesn't exist", extensions: { code: "undefinedField" } }] },
    };
    expect(
      await failWith(async () => {
        throw new GraphqlQueryError({ message: "Field 'x' doesn't exist", response: {}, body: rejected });
      }),
    ).toBeNull();
    expect(
      await failWith(answer({ errors: [{ message: "Access denied", extensions: { code: "ACCESS_DENIED" } }] })),
    ).toBeNull();
  });
});
