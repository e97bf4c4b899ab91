/**
 * Calls from Aftercare's customer-account extensions: the app's backend with the extension's
 * session token (Shopify signs it; the backend takes the shopper and shop from it, never from the
 * request), and Shopify's Customer Account API, which the host authenticates itself.
 */

/**
 * The app's address, written in when the extensions are bundled: Shopify's CLI replaces
 * `process.env.APP_URL` with the environment's value (its tunnel under `shopify app dev`; the
 * app's URL under `npm run deploy`), and so does scripts/build-extensions.mjs.
 */
declare const process: { env: { APP_URL: string } };
const APP_URL = process.env.APP_URL;

/** The Customer Account API version the extensions' documents are written for (their api_version). */
export const CUSTOMER_ACCOUNT_API_VERSION = "2026-07";
/** Shopify's address for it from an extension, written out whole so a bundle shows what it fetches. */
export const CUSTOMER_ACCOUNT_API_URL = "shopify://customer-account/api/2026-07/graphql.json";

interface SessionTokenApi {
  sessionToken: { get(): Promise<string> };
}

export interface BackendAnswer<T> {
  ok: boolean;
  status: number;
  body: T & { error?: string; message?: string };
}

export async function backend<T>(
  api: SessionTokenApi,
  path: string,
  init: { query?: Record<string, string>; body?: object } = {},
): Promise<BackendAnswer<T>> {
  const url = new URL(`/api/customer-account/${path}`, APP_URL);
  for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.set(name, value);
  try {
    const token = await api.sessionToken.get();
    const response = await fetch(url.toString(), {
      method: init.body ? "POST" : "GET",
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.body ? { "Content-Type": "application/json" } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const body = (await response.json().catch(() => ({}))) as T & { error?: string; message?: string };
    return { ok: response.ok, status: response.status, body };
  } catch {
    return { ok: false, status: 0, body: {} as BackendAnswer<T>["body"] };
  }
}

export interface GraphQLAnswer<T> {
  data?: T;
  errors?: { message: string }[];
}

/**
 * A document sent to Shopify's Customer Account API as the signed-in shopper. In 2026-07 an
 * extension reaches it with fetch() on Shopify's own URL, and Shopify authenticates the call (no
 * token in the extension); `shopify.query` is the Storefront API, not this one. An answer that is
 * not GraphQL (the host refused the call) comes back as an error, not as data.
 */
export async function customerAccountApi<T>(document: string, variables: object): Promise<GraphQLAnswer<T>> {
  const response = await fetch(CUSTOMER_ACCOUNT_API_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: document, variables }),
  });
  const answer = (await response.json().catch(() => null)) as GraphQLAnswer<T> | null;
  if (!response.ok || !answer || (answer.data === undefined && !answer.errors?.length))
    return { errors: [...(answer?.errors ?? []), { message: `Shopify answered ${response.status}.` }] };
  return answer;
}

/** The numeric part of a Shopify gid ("gid://shopify/Order/12" -> "12"). */
export const numericId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/** An amount in minor units, written the shopper's way. */
export function money(locale: string, minor: number, currency: string) {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
