/**
 * How an emailed answer finds its thread (docs/decisions/0046). Two marks the app puts on the
 * mail it sends, both signed with a key derived from the app's secret so nobody can make one up:
 *
 * - the reply address: a request's emails say Reply-To `<inbound local>+r.<request id>.<sig>@<inbound
 *   domain>`, so the answer arrives at an address naming the request;
 * - the Message-ID: every email the outbox sends is `<n.<notification id>.<sig>@<mail domain>>`, so an
 *   answer's In-Reply-To / References name the email it answers.
 *
 * A shop's own intake address is `<inbound local>+<shop handle>@<inbound domain>`: the merchant
 * forwards the shop's support mailbox there and new emails become requests.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

function threadKey(secret: string) {
  return createHmac("sha256", secret).update("aftercare email thread").digest();
}

const sign = (secret: string, what: string) =>
  createHmac("sha256", threadKey(secret)).update(what).digest("hex").slice(0, 16);

function sameSignature(given: string, expected: string) {
  const a = Buffer.from(given.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function split(address: string) {
  const at = address.lastIndexOf("@");
  if (at <= 0) return null;
  return { local: address.slice(0, at), domain: address.slice(at + 1).toLowerCase() };
}

/** The configured inbound address without any +tag: "support@inbound.example.com". */
function baseOf(inbound: string) {
  const parts = split(inbound.trim());
  if (!parts) throw new Error(`INBOUND_EMAIL_ADDRESS is not an address: ${inbound}`);
  return { local: parts.local.split("+")[0].toLowerCase(), domain: parts.domain };
}

// Request ids are cuids: lower-case letters and digits, as mail systems keep local parts.
const REQUEST_ID = /^[a-z0-9]{8,40}$/;
const SHOP_HANDLE = /^[a-z0-9][a-z0-9-]{0,60}$/;

export function replyAddressFor(inbound: string, requestId: string, secret: string) {
  const { local, domain } = baseOf(inbound);
  return `${local}+r.${requestId}.${sign(secret, `request:${requestId}`)}@${domain}`;
}

/** The address a shop forwards its support mailbox to, or null for a shop not on myshopify.com. */
export function intakeAddressFor(inbound: string, shop: string) {
  const handle = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/.exec(shop)?.[1];
  if (!handle) return null;
  const { local, domain } = baseOf(inbound);
  return `${local}+${handle}@${domain}`;
}

export type RecipientMark = { kind: "request"; requestId: string } | { kind: "shop"; shop: string };

/**
 * What an address the mail was delivered to names: a request (a valid signed reply address), a
 * shop (its intake address), or nothing (another address, or a reply address with a bad signature).
 */
export function readRecipient(address: string, inbound: string, secret: string): RecipientMark | null {
  const parts = split(address.trim().replace(/^<|>$/g, ""));
  if (!parts) return null;
  const base = baseOf(inbound);
  const [local, ...tags] = parts.local.toLowerCase().split("+");
  if (local !== base.local || parts.domain !== base.domain || tags.length !== 1) return null;
  const tag = tags[0];
  const reply = /^r\.([^.]+)\.([0-9a-f]{16})$/.exec(tag);
  if (reply) {
    if (!REQUEST_ID.test(reply[1]) || !sameSignature(reply[2], sign(secret, `request:${reply[1]}`))) return null;
    return { kind: "request", requestId: reply[1] };
  }
  if (SHOP_HANDLE.test(tag)) return { kind: "shop", shop: `${tag}.myshopify.com` };
  return null;
}

/**
 * The left part of the Message-ID the outbox gives a notification's email; the mailer adds
 * "@<its own domain>" (services/mailer.server.ts).
 */
export function notificationMessageTag(notificationId: string, secret: string) {
  return `n.${notificationId}.${sign(secret, `notification:${notificationId}`)}`;
}

/** The notifications (outbox rows) that message ids name, when their signatures hold, in order. */
export function notificationIdsIn(messageIds: string[], secret: string): string[] {
  const found: string[] = [];
  for (const id of messageIds) {
    const match = /^n\.([a-z0-9]{8,40})\.([0-9a-f]{16})@/i.exec(id);
    if (match && sameSignature(match[2], sign(secret, `notification:${match[1]}`))) found.push(match[1]);
  }
  return found;
}
