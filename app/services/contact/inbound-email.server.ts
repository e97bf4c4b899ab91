/**
 * The signature of a shopper's answer by email, handed on by the deployment's inbound mail service
 * (docs/decisions/0042): the hex HMAC-SHA256 of the raw body with a key derived from the app's
 * secret, so there is nothing new to keep.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function inboundEmailKey(secret: string) {
  return createHmac("sha256", secret).update("aftercare inbound email").digest("hex");
}

export const signInboundEmail = (body: string, secret: string) =>
  createHmac("sha256", inboundEmailKey(secret)).update(body).digest("hex");

export function inboundEmailSigned(body: string, signature: string | null, secret: string) {
  const given = Buffer.from(signature ?? "", "hex");
  const expected = Buffer.from(signInboundEmail(body, secret), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
