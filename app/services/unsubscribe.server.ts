/**
 * Unsubscribe links for every kind of message. The link goes through the app proxy on the shop's
 * own domain (/apps/aftercare/unsubscribe, answered by routes/proxy.unsubscribe.tsx) and carries a
 * signed token naming the address and the kind of message, so it works without a login and
 * cannot be forged or pointed at someone else's address.
 */
import type { Db } from "../db.server";
import { suppressEmail } from "../models/outbox.server";

import { signLinkToken, verifyLinkToken } from "./link-token.server";

const PURPOSE = "unsubscribe";
const VALID_FOR_MS = 400 * 86_400_000;

export function unsubscribeToken(input: {
  shop: string;
  email: string;
  kind: string;
  secret: string;
  now?: Date;
}): string {
  return signLinkToken(
    {
      purpose: PURPOSE,
      shop: input.shop,
      subject: JSON.stringify([input.kind, input.email.toLowerCase()]),
      expiresAt: new Date((input.now ?? new Date()).getTime() + VALID_FOR_MS),
    },
    input.secret,
  );
}

export function unsubscribeUrl(input: {
  shop: string;
  email: string;
  kind: string;
  secret: string;
  now?: Date;
}): string {
  return `https://${input.shop}/apps/aftercare/unsubscribe?token=${encodeURIComponent(unsubscribeToken(input))}`;
}

export type UnsubscribeResult = { ok: true; kind: string } | { ok: false; message: string };

export function readUnsubscribeToken(token: string, shop: string, secret: string, now = new Date()) {
  const check = verifyLinkToken(token, { secret, purpose: PURPOSE, shop, now });
  if (!check.ok) return null;
  try {
    const [kind, email] = JSON.parse(check.subject) as [string, string];
    return typeof kind === "string" && typeof email === "string" ? { kind, email } : null;
  } catch {
    return null;
  }
}

export async function unsubscribe(
  db: Db,
  input: { shop: string; token: string; secret: string; now?: Date },
): Promise<UnsubscribeResult> {
  const claims = readUnsubscribeToken(input.token, input.shop, input.secret, input.now);
  if (!claims) return { ok: false, message: "This unsubscribe link is not valid or has expired." };
  await suppressEmail(db, input.shop, claims.email, claims.kind);
  return { ok: true, kind: claims.kind };
}
