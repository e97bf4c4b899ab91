/**
 * Which failures of a request to Shopify may pass if the request is made again later: the
 * connection dropped or timed out, Shopify answered with a server error (5xx) or said it was
 * throttled or had an internal error. Anything else (a query Shopify rejects, access denied, no
 * data) is permanent: asking again gives the same answer.
 *
 * The Admin API client (app/shopify/admin.server.ts) turns every failure into a ShopifyApiError
 * whose message is all that is left of the original error; watchFailures sits between the client
 * and the GraphQL function and notes what the last request really met.
 */
import { HttpMaxRetriesError, HttpRequestError, HttpResponseError } from "@shopify/shopify-api";

import { ShopifyApiError, type GraphqlFn } from "../../shopify/admin.server";

/** GraphQL error codes with which Shopify says to try again later. */
const TRANSIENT_CODES = new Set(["THROTTLED", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"]);

/** Error codes of a connection that failed (Node's and undici's). */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

const isServerStatus = (status: number) => status >= 500 || status === 429;

/**
 * Why a thrown error (from the GraphQL function, or what it caused) may pass on a later try, in
 * words for a merchant; null when it is permanent.
 */
export function transientCause(error: unknown): string | null {
  if (error instanceof HttpResponseError) {
    // The Shopify library's answer to an HTTP status it did not retry (5xx, 429) or any other one.
    return isServerStatus(error.response.code) ? `Shopify answered ${error.response.code}` : null;
  }
  if (error instanceof HttpMaxRetriesError) return "Shopify kept answering with errors";
  if (error instanceof HttpRequestError) return "the connection to Shopify failed";
  if (!(error instanceof Error)) return null;
  if (error.name === "AbortError" || error.name === "TimeoutError") return "Shopify did not answer in time";
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return "the connection to Shopify failed";
  }
  // fetch's own words for a request that never got an answer.
  if (error instanceof TypeError && /fetch failed|terminated|network/i.test(error.message)) {
    return "the connection to Shopify failed";
  }
  return null;
}

/**
 * The GraphQL function, watched: `lastFailure()` says what the latest request met when it failed
 * below the client (a dropped connection, a 5xx), or null when it got an answer.
 */
export function watchFailures(graphql: GraphqlFn): { graphql: GraphqlFn; lastFailure: () => string | null } {
  let last: string | null = null;
  const watched: GraphqlFn = async (query, options) => {
    last = null;
    let response: Response;
    try {
      response = await graphql(query, options);
    } catch (error) {
      last = transientCause(error);
      throw error;
    }
    if (isServerStatus(response.status)) {
      last = `Shopify answered ${response.status}`;
      throw new Error(`Shopify answered ${response.status} ${response.statusText}`.trim());
    }
    return response;
  };
  return { graphql: watched, lastFailure: () => last };
}

/**
 * Why a failed read may pass later, in words for a merchant, or null when it is permanent: the
 * client's ShopifyApiError with a code Shopify gives for a passing trouble, or what the watched
 * GraphQL function saw beneath it.
 */
export function transientReason(error: unknown, beneath: string | null): string | null {
  if (error instanceof ShopifyApiError) {
    if (error.codes.includes("THROTTLED")) return "Shopify kept asking Aftercare to slow down";
    if (error.codes.some((c) => TRANSIENT_CODES.has(c))) return "Shopify reported an internal error";
    return beneath;
  }
  return transientCause(error);
}
