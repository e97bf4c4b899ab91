/**
 * The one way a customer-account endpoint (api.customer-account.*) accepts a request: Shopify's
 * session token from the extension, verified by the Shopify library's customer-account
 * authentication. The shopper is the token's subject (a customer id) and the shop its
 * destination; nothing in the query or body can name either. Every answer, refusals and the
 * preflight included, carries CORS headers: extensions run on Shopify's origins, not the app's,
 * and a browser hides an answer without them, so the shopper would see a network error instead
 * of the message.
 */
import { env } from "../../env.server";
import { authenticate } from "../../shopify.server";
import { readTextLimited } from "../../utils/body.server";

export interface CustomerAccountSession {
  shop: string;
  /** gid://shopify/Customer/<id>, the token's subject. */
  customerGid: string;
  /** The numeric part of the customer id. */
  customerId: string;
}

/** Extensions send the token in Authorization, with no cookies, so any origin may read the answer. */
export const CUSTOMER_ACCOUNT_CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Max-Age": "7200",
} as const;

/** JSON for an extension, never cached (answers depend on who asks). */
export function customerAccountJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...headers,
      ...CUSTOMER_ACCOUNT_CORS,
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store, private",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export function preflight(): Response {
  return new Response(null, { status: 204, headers: CUSTOMER_ACCOUNT_CORS });
}

const SIGN_IN = "Your session has ended. Reload the page, signing in again if asked.";
const unauthorized = () => customerAccountJson({ error: "unauthorized", message: SIGN_IN }, 401);

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER = /^gid:\/\/shopify\/Customer\/(\d{1,20})$/;

/**
 * The shop a token's `dest` names. Shopify writes the shop's myshopify domain, bare
 * (`shop.myshopify.com`, what customer-account extensions' tokens carry) or as an https origin
 * (`https://shop.myshopify.com`, as the admin's tokens do); both name the same shop. Anything else
 * (another scheme, a path, a port, credentials, a domain that is not a shop's) names none.
 */
export function shopOfDestination(dest: unknown, customDomain: string | null = env().SHOP_CUSTOM_DOMAIN ?? null) {
  if (typeof dest !== "string" || dest.length > 300) return null;
  const host = dest
    .toLowerCase()
    .replace(/^https:\/\//, "")
    .replace(/\/$/, "");
  return SHOP.test(host) || (customDomain !== null && host === customDomain.toLowerCase()) ? host : null;
}

/**
 * Verifies the request's session token. Throws a Response: 204 for a preflight, 401 (JSON, with
 * CORS) for a missing, expired, forged or foreign token or one without a signed-in customer.
 */
export async function customerAccountSession(request: Request): Promise<CustomerAccountSession> {
  if (request.method === "OPTIONS") throw preflight();
  let payload: { dest?: unknown; sub?: unknown; aud?: unknown };
  try {
    ({ sessionToken: payload } = await authenticate.public.customerAccount(request));
  } catch (thrown) {
    if (thrown instanceof Response) throw unauthorized();
    throw thrown;
  }
  // The library leaves the audience unchecked for extensions; a token for another app is refused here.
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.includes(env().SHOPIFY_API_KEY)) throw unauthorized();
  const shop = shopOfDestination(payload.dest);
  const customer = typeof payload.sub === "string" ? CUSTOMER.exec(payload.sub) : null;
  if (!shop || !customer) throw unauthorized();
  return { shop, customerGid: payload.sub as string, customerId: customer[1] };
}

/**
 * Runs an endpoint: the preflight, the token, then `handle`. A Response thrown on the way is
 * answered as it is; anything unexpected is a 503 with a message rather than a 500 without CORS.
 */
export async function answerCustomerAccount(
  request: Request,
  handle: (
    session: CustomerAccountSession,
  ) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>,
  log: (message: string, error?: unknown) => void = (m, e) => console.error(`[customer-account] ${m}`, e ?? ""),
): Promise<Response> {
  try {
    const session = await customerAccountSession(request);
    const answer = await handle(session);
    return customerAccountJson(answer.body, answer.status, answer.headers);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    log(`${request.method} ${new URL(request.url).pathname} failed`, thrown);
    return customerAccountJson(
      { error: "unavailable", message: "This is unavailable just now. Please try again in a minute." },
      503,
    );
  }
}

/** An order id from the query or body: Shopify's gid, or its number alone. */
export function orderGidOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const id = /^(?:gid:\/\/shopify\/Order\/)?(\d{1,20})$/.exec(value.trim());
  return id ? `gid://shopify/Order/${id[1]}` : null;
}

/** The body of a POST: a JSON object of at most 64 KB, or an answer saying why not. */
export async function jsonBody(
  request: Request,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; status: number; body: unknown }> {
  if (request.method !== "POST")
    return { ok: false, status: 405, body: { error: "method_not_allowed", message: "Use GET or POST." } };
  const text = await readTextLimited(request, 4 * 64_000);
  if (text === null || text.length > 64_000)
    return { ok: false, status: 413, body: { error: "too_large", message: "The request is too large." } };
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object" && !Array.isArray(body))
      return { ok: true, body: body as Record<string, unknown> };
  } catch {
    // answered below
  }
  return {
    ok: false,
    status: 400,
    body: { error: "invalid_request", message: "The request could not be read. Reload the page and try again." },
  };
}
