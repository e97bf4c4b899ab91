/**
 * Mailgun's inbound routes, as Mailgun documents them (docs/decisions/0046): a route's forward()
 * action POSTs the parsed message to the app, urlencoded or multipart/form-data (with attachments),
 * with `timestamp`, `token` and `signature` = hex HMAC-SHA256 of timestamp + token under the
 * account's HTTP webhook signing key. The app checks the signature in constant time, refuses a
 * timestamp more than 15 minutes from its clock, and remembers the tokens it has seen within that
 * window, so a captured request cannot be played again.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

import { messageIdsIn } from "../../domain/contact/email-reply";

/** How far the signed timestamp may be from the app's clock. */
export const MAILGUN_FRESHNESS_SECONDS = 15 * 60;

export const signMailgun = (signingKey: string, timestamp: string, token: string) =>
  createHmac("sha256", signingKey).update(`${timestamp}${token}`).digest("hex");

export type MailgunCheck = { ok: true } | { ok: false; reason: "missing" | "mismatch" | "stale" | "replayed" };

/** The tokens seen in the freshness window, per process (a repeat is also caught by its Message-Id). */
export function createTokenMemory(limit = 50_000) {
  const seen = new Map<string, number>();
  return {
    /** True the first time a token is offered; false for a repeat. */
    remember(token: string, timestamp: number, now: number) {
      for (const [t, at] of seen) {
        if (at >= now - MAILGUN_FRESHNESS_SECONDS && seen.size < limit) break;
        seen.delete(t);
      }
      if (seen.has(token)) return false;
      seen.set(token, timestamp);
      return true;
    },
    /**
     * A post the app failed to take (5xx): Mailgun sends it again with the same signature, which
     * must then be accepted, or the email would be refused as a replay and lost.
     */
    forget(token: string) {
      seen.delete(token);
    },
  };
}

const processTokens = createTokenMemory();

/** After a failure on our side: the same signed post may come again (Mailgun retries 5xx). */
export const forgetMailgunToken = (token: unknown, tokens = processTokens) => {
  if (typeof token === "string") tokens.forget(token);
};

export function verifyMailgun(
  fields: { timestamp: unknown; token: unknown; signature: unknown },
  signingKey: string,
  now: Date,
  tokens = processTokens,
): MailgunCheck {
  const { timestamp, token, signature } = fields;
  if (typeof timestamp !== "string" || typeof token !== "string" || typeof signature !== "string")
    return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(timestamp) || !token || !/^[0-9a-f]{64}$/i.test(signature))
    return { ok: false, reason: "missing" };
  const expected = Buffer.from(signMailgun(signingKey, timestamp, token), "hex");
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "mismatch" };
  const seconds = Math.floor(now.getTime() / 1000);
  if (Math.abs(seconds - Number(timestamp)) > MAILGUN_FRESHNESS_SECONDS) return { ok: false, reason: "stale" };
  if (!tokens.remember(token, Number(timestamp), seconds)) return { ok: false, reason: "replayed" };
  return { ok: true };
}

/** An inbound email as the app needs it, whichever service delivered it. */
export interface InboundEmail {
  /** The address the mail was delivered to (the envelope's RCPT TO). */
  recipients: string[];
  /** The From header, "Name <address>". */
  from: string;
  subject: string;
  /** The whole text body. */
  text: string;
  /** The text without quoted parts and signature, when the service could tell them apart. */
  strippedText: string | null;
  messageId: string | null;
  /** In-Reply-To first, then References from the newest back. */
  threadIds: string[];
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
};

/**
 * Reads a forwarded message. Headers come from `message-headers` (a JSON list of [name, value]
 * pairs, order kept), else from the fields of the same name that Mailgun also posts.
 */
export function parseMailgunForm(form: FormData): InboundEmail | { error: string } {
  const recipient = field(form, "recipient");
  const from = field(form, "from") ?? field(form, "sender");
  const text = field(form, "body-plain");
  if (!recipient || !from || text === null)
    return { error: "The message needs recipient, from (or sender) and body-plain, as Mailgun posts them." };
  let headers: [string, string][] = [];
  const rawHeaders = field(form, "message-headers");
  if (rawHeaders) {
    try {
      const parsed: unknown = JSON.parse(rawHeaders);
      if (!Array.isArray(parsed)) throw new Error("not a list");
      headers = parsed.filter(
        (h): h is [string, string] => Array.isArray(h) && typeof h[0] === "string" && typeof h[1] === "string",
      );
    } catch {
      return { error: "message-headers must be a JSON list of [name, value] pairs." };
    }
  }
  const header = (name: string) =>
    headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ??
    [...form.keys()].map((k) => (k.toLowerCase() === name.toLowerCase() ? field(form, k) : null)).find(Boolean) ??
    null;
  const stripped = field(form, "stripped-text");
  return {
    recipients: recipient
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean),
    from,
    subject: field(form, "subject") ?? header("Subject") ?? "",
    text,
    strippedText: stripped !== null && stripped.trim() ? stripped : null,
    messageId: messageIdsIn(header("Message-Id"))[0] ?? null,
    threadIds: [...messageIdsIn(header("In-Reply-To")), ...messageIdsIn(header("References")).reverse()],
  };
}
