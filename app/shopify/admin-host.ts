/**
 * The `host` query parameter of an embedded admin page: base64 of the admin's host, e.g.
 * `admin.shopify.com/store/<shop>`. Shopify's library decodes it with `new URL`, which throws on a
 * value that decodes to something no URL can hold, and the page answered 500. Checked here first,
 * by the library's own rule, so any malformed value gets a 400 that says what is wrong.
 */
const BASE64 = /^[0-9a-zA-Z+/]+={0,2}$/;
const ADMIN_HOSTS = /\.(myshopify\.com|shopify\.com|myshopify\.io|spin\.dev|shop\.dev)$/;

export const MALFORMED_HOST_MESSAGE =
  "The host parameter is not a Shopify admin host. Open the app from the Shopify admin.";

/** Whether a present `host` parameter is malformed; an absent one is the library's to handle. */
export function isMalformedHost(host: string | null): boolean {
  if (host === null) return false;
  if (!BASE64.test(host)) return true;
  try {
    return !ADMIN_HOSTS.test(new URL(`https://${Buffer.from(host, "base64").toString("utf8")}`).hostname);
  } catch {
    return true;
  }
}

/** Throws the 400 Remix answers with, before the library can throw a 500. */
export function refuseMalformedHost(request: Request) {
  if (isMalformedHost(new URL(request.url).searchParams.get("host"))) {
    throw new Response(MALFORMED_HOST_MESSAGE, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
