/**
 * Shoppers' emails, as the deployment's inbound mail service hands them on (docs/decisions/0046).
 *
 * An email that names a request joins its thread: by the signed reply address it was sent to, by
 * In-Reply-To / References naming an email the app sent about that request, or by the reference
 * ("REQ-1042") its subject quotes. The sender must be the request's own email; a wrong sender and
 * an unknown request get the same answer. An email to a shop's intake address (where the merchant
 * forwards the shop's support mailbox) that names no request starts a new request, channel "email",
 * acknowledged as a form request is. The same email delivered twice (its Message-Id) adds nothing.
 */
import { createHash } from "node:crypto";

import type { Db } from "../../db.server";
import { emailAddressOf, referencedNumber, stripQuotedReply } from "../../domain/contact/email-reply";
import { contactReference } from "../../domain/contact/reference";
import { searchTextOf } from "../../models/contact.server";
import { recordEvent } from "../../models/events.server";
import { findOrdersByName } from "../../models/orders.server";
import { notificationSubjects } from "../../models/outbox.server";
import { nextRequestNumber } from "../../models/request-numbers.server";
import { shopInstallState } from "../../models/shop.server";

import { chatBus, type ChatBus } from "./chat-bus.server";
import { appendMessage } from "./chat.server";
import { notificationIdsIn, readRecipient, type RecipientMark } from "./email-thread.server";
import type { InboundEmail } from "./mailgun.server";
import { acknowledgeRequest } from "./requests.server";
import { CONTACT_EMAIL_KIND } from "./emails";

export class InboundEmailError extends Error {
  constructor(
    message: string,
    /** 406 where retrying cannot help (Mailgun stops on 406), 400 for a malformed post. */
    public readonly status: 400 | 406,
  ) {
    super(message);
    this.name = "InboundEmailError";
  }
}

export interface InboundDeps {
  db: Db;
  secret: string;
  now: Date;
  /** INBOUND_EMAIL_ADDRESS: the address the service receives at, e.g. support@inbound.example.com. */
  inboundAddress: string;
  bus?: ChatBus;
}

export interface InboundResult {
  requestId: string;
  /** A new request (channel "email") was started. */
  created: boolean;
  /** The same email (Message-Id) was already added: nothing was added this time. */
  duplicate: boolean;
}

const NO_MATCH = "No request of this shop matches that email.";

/** The key a message id is kept under (ContactMessage.clientId, unique per request). */
const dedupKey = (messageId: string | null) =>
  messageId ? `email:${createHash("sha256").update(messageId.toLowerCase()).digest("hex").slice(0, 40)}` : null;

/** The language a new email is written in, from its script (the acknowledgement answers in it). */
export function languageOfText(text: string): "en" | "ko" | "ja" | "fa" {
  if (/[\uac00-\ud7af]/.test(text)) return "ko";
  if (/[\u3040-\u30ff]/.test(text) || /[\u4e00-\u9fff]/.test(text)) return "ja";
  if (/[\u0600-\u06ff]/.test(text)) return "fa";
  return "en";
}

async function threadOf(deps: InboundDeps, email: InboundEmail, marks: RecipientMark[]) {
  const byAddress = marks.find((m) => m.kind === "request");
  if (byAddress?.kind === "request") return { requestId: byAddress.requestId };
  const notificationIds = notificationIdsIn(email.threadIds, deps.secret);
  if (notificationIds.length) {
    const rows = await notificationSubjects(deps.db, notificationIds, CONTACT_EMAIL_KIND);
    const first = notificationIds.map((id) => rows.find((r) => r.id === id)).find(Boolean);
    if (first) return { requestId: first.subjectId };
  }
  const shopMark = marks.find((m) => m.kind === "shop");
  const number = referencedNumber(email.subject);
  if (shopMark?.kind === "shop" && number !== null) return { shop: shopMark.shop, number };
  return null;
}

export async function receiveInboundEmail(deps: InboundDeps, email: InboundEmail): Promise<InboundResult> {
  const sender = emailAddressOf(email.from);
  if (!sender) throw new InboundEmailError("The email has no sender address.", 400);
  const marks = email.recipients
    .map((r) => readRecipient(r, deps.inboundAddress, deps.secret))
    .filter((m): m is RecipientMark => m !== null);
  const body = stripQuotedReply(email.strippedText ?? email.text);
  const clientId = dedupKey(email.messageId);

  const thread = await threadOf(deps, email, marks);
  if (thread) {
    const request = await deps.db.contactRequest.findFirst({
      where: "requestId" in thread ? { id: thread.requestId } : { shop: thread.shop, number: thread.number },
      select: { id: true, shop: true, email: true, channel: true, redactedAt: true },
    });
    // A wrong sender and an unknown request get the same answer.
    if (!request || request.redactedAt || request.email?.toLowerCase() !== sender)
      throw new InboundEmailError(NO_MATCH, 406);
    if (!body) throw new InboundEmailError("The email has no text above the quoted message.", 406);
    return { requestId: request.id, created: false, duplicate: !(await addToThread(deps, request, body, clientId)) };
  }

  const shopMark = marks.find((m) => m.kind === "shop");
  if (shopMark?.kind !== "shop") throw new InboundEmailError("The email is addressed to no request or shop.", 406);
  // A shop that uninstalled keeps its row but takes no new requests.
  const installed = await shopInstallState(deps.db, shopMark.shop);
  if (!installed || installed.uninstalledAt) throw new InboundEmailError(NO_MATCH, 406);
  const shop = shopMark.shop;
  if (clientId) {
    const earlier = await deps.db.contactMessage.findFirst({
      where: { shop, clientId },
      select: { requestId: true },
    });
    if (earlier) return { requestId: earlier.requestId, created: false, duplicate: true };
  }
  if (!body) throw new InboundEmailError("The email has no text.", 406);
  const requestId = await startEmailRequest(deps, shop, { email, sender, body, clientId });
  await acknowledgeRequest({ db: deps.db, secret: deps.secret, now: deps.now }, shop, requestId);
  return { requestId, created: true, duplicate: false };
}

/** Adds the shopper's answer to the thread and opens it again; false when this email was already added. */
async function addToThread(
  deps: InboundDeps,
  request: { id: string; shop: string; channel: string },
  body: string,
  clientId: string | null,
) {
  const { db, now } = deps;
  if (request.channel === "chat") {
    // A chat's answer is its next message, live in the open inbox and the shopper's chat.
    const bus = deps.bus ?? chatBus();
    const appended = await appendMessage({ db, now, secret: deps.secret, bus }, request.shop, request.id, {
      author: "customer",
      body,
      clientId,
      staffUserId: null,
    });
    if (appended.repeated) return false;
    await bus.publish({ shop: request.shop, conversationId: request.id, kind: "message", from: "customer" });
    return true;
  }
  if (clientId) {
    const earlier = await db.contactMessage.findFirst({
      where: { requestId: request.id, clientId },
      select: { id: true },
    });
    if (earlier) return false;
  }
  try {
    await db.$transaction([
      db.contactMessage.create({
        data: { shop: request.shop, requestId: request.id, author: "customer", body, clientId, createdAt: now },
      }),
      db.contactRequest.update({
        where: { id: request.id },
        data: { status: "open", closedAt: null, lastMessageAt: now },
      }),
    ]);
    return true;
  } catch (error) {
    // The same email delivered twice at once: the other delivery stored it.
    if ((error as { code?: string }).code === "P2002") return false;
    throw error;
  }
}

/** A new request from an email: numbered like the form's, linked to an order the sender owns. */
async function startEmailRequest(
  deps: InboundDeps,
  shop: string,
  input: { email: InboundEmail; sender: string; body: string; clientId: string | null },
) {
  const { db, now } = deps;
  const subject = input.email.subject.replace(/\s+/g, " ").trim().slice(0, 200);
  const message = subject ? `${subject}\n\n${input.body}` : input.body;
  const name = /^\s*"?([^"<]*?)"?\s*</.exec(input.email.from)?.[1]?.replace(/[<>]/g, "").trim().slice(0, 100) || null;
  // An order number the email mentions ("#1042") is linked when that order is the sender's.
  let order: { name: string; shopifyId: string } | null = null;
  const mentioned = /#(\d{3,10})\b/.exec(`${subject} ${input.body}`)?.[1];
  if (mentioned) {
    const candidates = await findOrdersByName(db, shop, `#${mentioned}`);
    const own = candidates.find((o) => o.email?.trim().toLowerCase() === input.sender);
    if (own) order = { name: `#${mentioned}`, shopifyId: own.shopifyId };
  }
  const topic = order ? "order_status" : "other";
  const number = await nextRequestNumber(db, shop);
  const created = await db.$transaction(async (tx) => {
    const row = await tx.contactRequest.create({
      data: {
        shop,
        number,
        channel: "email",
        topic,
        name,
        email: input.sender,
        orderName: order?.name ?? null,
        orderShopifyId: order?.shopifyId ?? null,
        locale: languageOfText(message),
        searchText: searchTextOf({ name, email: input.sender, orderName: order?.name, number, topic }),
        lastMessageAt: now,
        createdAt: now,
        messages: {
          create: {
            shop,
            author: "customer",
            body: message.slice(0, 10_000),
            clientId: input.clientId,
            createdAt: now,
          },
        },
      },
    });
    await recordEvent(tx, {
      shop,
      type: "contact.request_created",
      key: row.id,
      occurredAt: now,
      order: order ? { id: order.shopifyId, name: order.name } : null,
      customer: { id: null },
      data: {
        request: {
          id: row.id,
          reference: contactReference(number),
          topic: row.topic,
          channel: "email",
          email: input.sender,
        },
      },
    });
    return row;
  });
  return created.id;
}
