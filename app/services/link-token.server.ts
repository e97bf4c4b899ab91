/**
 * Signed links: a token that says "this link opens <subject> of <shop> for <purpose> until
 * <expiry>", so an email can open an order's tracking or unsubscribe an address without a login.
 * HMAC-SHA256 with the app secret; the shop and purpose are inside the signature, so a token made
 * for one shop or one use is worthless for another. Stateless: nothing to store or clean up.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface LinkClaims {
  /** What the link is for ("tracking", "unsubscribe", ...): checked on use. */
  purpose: string;
  shop: string;
  /** What it opens: an order gid, an email address, ... */
  subject: string;
  expiresAt: Date;
}

const VERSION = "v1";

function mac(secret: string, payload: string) {
  return createHmac("sha256", secret).update(`aftercare-link.${VERSION}.${payload}`).digest();
}

export function signLinkToken(claims: LinkClaims, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({
      p: claims.purpose,
      s: claims.shop,
      u: claims.subject,
      e: Math.floor(claims.expiresAt.getTime() / 1000),
    }),
  ).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

export type LinkTokenCheck =
  | { ok: true; subject: string; expiresAt: Date }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "wrong_shop" | "wrong_purpose" };

export function verifyLinkToken(
  token: string,
  expected: { secret: string; purpose: string; shop: string; now?: Date },
): LinkTokenCheck {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || token.length > 2048) return { ok: false, reason: "malformed" };
  const given = Buffer.from(signature, "base64url");
  const wanted = mac(expected.secret, payload);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: "bad_signature" };
  let claims: { p?: unknown; s?: unknown; u?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (
    typeof claims.p !== "string" ||
    typeof claims.s !== "string" ||
    typeof claims.u !== "string" ||
    typeof claims.e !== "number"
  ) {
    return { ok: false, reason: "malformed" };
  }
  if (claims.p !== expected.purpose) return { ok: false, reason: "wrong_purpose" };
  if (claims.s !== expected.shop) return { ok: false, reason: "wrong_shop" };
  const expiresAt = new Date(claims.e * 1000);
  if (expiresAt <= (expected.now ?? new Date())) return { ok: false, reason: "expired" };
  return { ok: true, subject: claims.u, expiresAt };
}
