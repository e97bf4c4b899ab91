/**
 * The support inbox: requests arrive from the storefront form, the merchant replies by email
 * through the one outbox, and closing a request sends the satisfaction survey. Every message is
 * kept on the request, so the thread reads in order in the admin.
 */
import type { Db } from "../../db.server";
import { businessMillisBetween, expectedReplyBy } from "../../domain/contact/hours";
import { shopperHasLeft } from "../../domain/contact/agents";
import type { ContactMessageInput } from "../../domain/contact/message";
import { greetingName } from "../../domain/shared/greeting";
import { contactReference } from "../../domain/contact/reference";
import { businessHoursOf, languageFor, type ContactSettings } from "../../domain/contact/settings";
import { addNote, assignRequest, getContactSettings, getRequest, searchTextOf } from "../../models/contact.server";
import { listStaffMembers } from "../../models/staff.server";
import { recordEvent } from "../../models/events.server";
import { nextRequestNumber } from "../../models/request-numbers.server";
import { enqueueNotification } from "../../models/outbox.server";
import { findCustomerOrderAmong, findOrdersByName } from "../../models/orders.server";
import { shopProfile } from "../../models/shop.server";
import { env } from "../../env.server";
import { renderEmail } from "../email-render.server";
import { unsubscribeUrl } from "../unsubscribe.server";

import { chatBus, type ChatBus } from "./chat-bus.server";
import { announceChatStatus, isChat, requestWithoutThread, sendAgentMessage } from "./chat.server";
import { replyAddressFor } from "./email-thread.server";
import { CONTACT_EMAIL_KIND, emailCopy } from "./emails";
import { sendCsatSurvey } from "./surveys.server";

export class ContactError extends Error {
  constructor(
    message: string,
    public readonly status: 400 | 404 | 409,
  ) {
    super(message);
    this.name = "ContactError";
  }
}

export interface CreatedRequest {
  id: string;
  number: number;
  /** When the shopper can expect an answer, from the promised reply time and the opening hours. */
  expectedReplyBy: Date | null;
  replyMinutes: number;
  /** False when the message joined a request still open about the same order and topic. */
  isNew: boolean;
}

/**
 * Records a shopper's message. An order number is linked only when the order's email matches the
 * sender's (or the signed-in customer owns it), so nobody can attach someone else's order. A new
 * message from the same address about the same order while a request is still open or waiting
 * joins that thread instead of starting another.
 */
export async function createRequest(
  db: Db,
  input: { shop: string; message: ContactMessageInput; locale: string; customerShopifyId: string | null; now: Date },
): Promise<CreatedRequest> {
  const { shop, message, now } = input;
  const [settings, profile] = await Promise.all([getContactSettings(db, shop), shopProfile(db, shop)]);
  if (!settings.form.enabled)
    throw new ContactError("This shop is not taking messages through the form right now.", 409);

  let orderShopifyId: string | null = null;
  if (message.orderName) {
    const candidates = await findOrdersByName(db, shop, message.orderName);
    const own = candidates.find((o) => o.email?.trim().toLowerCase() === message.email);
    orderShopifyId = own?.shopifyId ?? null;
    if (!orderShopifyId && input.customerShopifyId) {
      const mine = await findCustomerOrderAmong(
        db,
        shop,
        candidates.map((c) => c.shopifyId),
        input.customerShopifyId,
      );
      orderShopifyId = mine?.shopifyId ?? null;
    }
  }
  const hours = businessHoursOf(settings, profile.timeZone);
  const answerBy = expectedReplyBy(now, settings.form.replyMinutes, hours);

  const existing = await db.contactRequest.findFirst({
    where: {
      shop,
      email: message.email,
      status: { in: ["open", "waiting"] },
      orderName: message.orderName,
      topic: message.topic,
    },
    orderBy: { createdAt: "desc" },
  });
  if (existing) {
    await db.$transaction([
      db.contactMessage.create({
        data: { shop, requestId: existing.id, author: "customer", body: message.message, createdAt: now },
      }),
      db.contactRequest.update({ where: { id: existing.id }, data: { status: "open", lastMessageAt: now } }),
    ]);
    return {
      id: existing.id,
      number: existing.number,
      expectedReplyBy: answerBy,
      replyMinutes: settings.form.replyMinutes,
      isNew: false,
    };
  }

  const linkedOrder = orderShopifyId;
  // Per-shop request numbers, one statement each (models/request-numbers.server.ts).
  const number = await nextRequestNumber(db, shop);
  const created = await db.$transaction(async (tx) => {
    const row = await tx.contactRequest.create({
      data: {
        shop,
        number,
        topic: message.topic,
        name: message.name,
        email: message.email,
        orderName: message.orderName,
        orderShopifyId: linkedOrder,
        customerShopifyId: input.customerShopifyId,
        locale: languageFor(input.locale),
        searchText: searchTextOf({ ...message, number }),
        lastMessageAt: now,
        createdAt: now,
        messages: { create: { shop, author: "customer", body: message.message, createdAt: now } },
      },
    });
    await recordEvent(tx, {
      shop,
      type: "contact.request_created",
      key: row.id,
      occurredAt: now,
      order: linkedOrder ? { id: linkedOrder, name: message.orderName } : null,
      customer: { id: input.customerShopifyId },
      data: {
        request: {
          id: row.id,
          reference: contactReference(number),
          topic: message.topic,
          channel: "form",
          email: message.email,
        },
      },
    });
    return row;
  });
  return {
    id: created.id,
    number,
    expectedReplyBy: answerBy,
    replyMinutes: settings.form.replyMinutes,
    isNew: true,
  };
}

export interface ReplyDeps {
  db: Db;
  secret: string;
  now: Date;
  /** Live chat's bus (the process's own unless a test gives one). */
  bus?: ChatBus;
  /** Where answers by email arrive (INBOUND_EMAIL_ADDRESS unless a test gives one; null: none). */
  inboundAddress?: string | null;
}

/**
 * Where the shopper's answer to a request's email goes: the request's own signed reply address when
 * inbound email is set up (docs/decisions/0046), else the shop's support address as before.
 */
function replyToFor(deps: ReplyDeps, requestId: string, fallback: string | null) {
  const inbound = deps.inboundAddress === undefined ? env().INBOUND_EMAIL_ADDRESS : deps.inboundAddress;
  return inbound ? replyAddressFor(inbound, requestId, deps.secret) : fallback;
}

/**
 * The shopper's acknowledgement of a new request: its reference, that the answer comes by email,
 * and their message quoted, in the language they wrote in. Greeted by the name they typed, or
 * without a name when it is empty or a placeholder ("Guest"). Once per request (the outbox's key).
 */
export async function acknowledgeRequest(deps: ReplyDeps, shop: string, requestId: string) {
  const { db, now } = deps;
  const request = await getRequest(db, shop, requestId);
  if (!request || request.redactedAt || !request.email) return null;
  const [settings, profile] = await Promise.all([getContactSettings(db, shop), shopProfile(db, shop)]);
  const copy = emailCopy(request.locale);
  const quoted = request.messages.find((m) => m.author === "customer")?.body ?? "";
  const reference = contactReference(request.number);
  const email = await renderEmail(
    {
      subject: copy.ackSubject,
      body: `{{ greeting }}\n\n${copy.ackBody}\n\n${copy.yourMessage}:\n{{ quoted }}`,
    },
    { greeting: copy.greeting(greetingName(request.name)), shop_name: profile.name, reference, quoted },
    {
      shopName: profile.name,
      accentColor: "#1f5199",
      language: request.locale,
      footer: [copy.footer(reference)],
      unsubscribeUrl: unsubscribeUrl({
        shop: profile.domain,
        email: request.email,
        kind: CONTACT_EMAIL_KIND,
        secret: deps.secret,
        now,
      }),
      unsubscribeLabel: copy.unsubscribe,
    },
  );
  return enqueueNotification(
    db,
    {
      shop,
      kind: CONTACT_EMAIL_KIND,
      subjectId: request.id,
      milestone: "received",
      recipient: request.email,
      locale: request.locale,
      subject: email.subject,
      bodyHtml: email.html,
      bodyText: email.text,
      fromName: profile.name,
      replyTo: replyToFor(deps, request.id, settings.replyTo || profile.email),
      orderShopifyId: request.orderShopifyId,
      customerShopifyId: request.customerShopifyId,
    },
    now,
  );
}

/** The merchant's reply: kept on the thread, emailed through the outbox, first response timed. */
export async function replyToRequest(
  deps: ReplyDeps,
  shop: string,
  requestId: string,
  body: string,
  staffUserId: string | null = null,
) {
  const text = body.replace(/\r\n/g, "\n").trim();
  if (text.length < 2) throw new ContactError("Write a reply before sending.", 400);
  if (text.length > 10_000) throw new ContactError("Keep the reply under 10,000 characters.", 400);
  const { db, now } = deps;
  // Without its thread first: a live chat's reply needs none of it (docs/decisions/0034).
  const head = await requestWithoutThread(db, shop, requestId);
  if (!head) throw new ContactError("That request does not exist.", 404);
  // A chat's reply goes live to the shopper's chat; when the shopper has left (no stream open for
  // a while) and the chat knows their email, it is mailed too, like a form request's reply
  // (docs/decisions/0042). Their answer by email joins the same thread (inbound-email.server.ts).
  if (head.channel === "chat") {
    const sent = await sendAgentMessage({ ...deps, bus: deps.bus ?? chatBus() }, shop, requestId, text, staffUserId);
    if (!head.email || head.redactedAt || !shopperHasLeft(head.shopperSeenAt, now)) {
      return { messageId: sent.messageId, notificationId: null };
    }
    const request = (await getRequest(db, shop, requestId))!;
    const [settings, profile] = await Promise.all([getContactSettings(db, shop), shopProfile(db, shop)]);
    const notificationId = await mailReply(
      deps,
      settings,
      profile,
      { ...request, email: head.email },
      text,
      sent.messageId,
    );
    await db.contactMessage.update({ where: { id: sent.messageId }, data: { notificationId } });
    return { messageId: sent.messageId, notificationId };
  }
  const request = (await getRequest(db, shop, requestId))!;
  if (request.redactedAt || !request.email)
    throw new ContactError("This request's customer data was erased; it cannot be answered.", 409);
  const [settings, profile] = await Promise.all([getContactSettings(db, shop), shopProfile(db, shop)]);

  const message = await db.contactMessage.create({
    data: { shop, requestId, author: "merchant", body: text, staffUserId, createdAt: now },
  });
  const notificationId = await mailReply(
    deps,
    settings,
    profile,
    { ...request, email: request.email },
    text,
    message.id,
  );
  const first = request.firstResponseAt === null;
  await db.$transaction([
    db.contactMessage.update({ where: { id: message.id }, data: { notificationId } }),
    db.contactRequest.update({
      where: { id: request.id },
      data: {
        status: request.status === "closed" ? "closed" : "waiting",
        lastMessageAt: now,
        ...(first
          ? {
              firstResponseAt: now,
              firstResponseMinutes: Math.round(
                businessMillisBetween(request.createdAt, now, businessHoursOf(settings, profile.timeZone)) / 60_000,
              ),
            }
          : {}),
      },
    }),
  ]);
  return { messageId: message.id, notificationId };
}

/** A merchant's reply by email through the outbox, once per message (the outbox's key). */
async function mailReply(
  deps: ReplyDeps,
  settings: ContactSettings,
  profile: Awaited<ReturnType<typeof shopProfile>>,
  request: NonNullable<Awaited<ReturnType<typeof getRequest>>> & { email: string },
  text: string,
  messageId: string,
) {
  const email = await renderReply(settings, profile, request, text, deps);
  const { id } = await enqueueNotification(
    deps.db,
    {
      shop: request.shop,
      kind: CONTACT_EMAIL_KIND,
      subjectId: request.id,
      milestone: `reply:${messageId}`,
      recipient: request.email,
      locale: request.locale,
      subject: email.subject,
      bodyHtml: email.html,
      bodyText: email.text,
      fromName: profile.name,
      replyTo: replyToFor(deps, request.id, settings.replyTo || profile.email),
      orderShopifyId: request.orderShopifyId,
      customerShopifyId: request.customerShopifyId,
    },
    deps.now,
  );
  return id;
}

async function renderReply(
  settings: ContactSettings,
  profile: Awaited<ReturnType<typeof shopProfile>>,
  request: NonNullable<Awaited<ReturnType<typeof getRequest>>>,
  reply: string,
  deps: ReplyDeps,
) {
  const copy = emailCopy(request.locale);
  const quoted = request.messages
    .filter((m) => m.author === "customer")
    .slice(-1)
    .map((m) => m.body)
    .join("");
  return renderEmail(
    { subject: copy.replySubject, body: `{{ reply }}\n\n{{ shop_name }}\n\n${copy.yourMessage}:\n{{ quoted }}` },
    { reply, shop_name: profile.name, reference: contactReference(request.number), quoted },
    {
      shopName: profile.name,
      accentColor: "#1f5199",
      language: request.locale,
      footer: [copy.footer(contactReference(request.number))],
      unsubscribeUrl: request.email
        ? unsubscribeUrl({
            shop: profile.domain,
            email: request.email,
            kind: CONTACT_EMAIL_KIND,
            secret: deps.secret,
            now: deps.now,
          })
        : null,
      unsubscribeLabel: copy.unsubscribe,
    },
  );
}

/** Closes a request and, when the shop asks for it, sends the satisfaction survey once. */
export async function closeRequest(deps: ReplyDeps, shop: string, requestId: string) {
  const request = await getRequest(deps.db, shop, requestId);
  if (!request) throw new ContactError("That request does not exist.", 404);
  if (request.status === "closed") return { surveyed: false };
  await deps.db.contactRequest.update({ where: { id: request.id }, data: { status: "closed", closedAt: deps.now } });
  if (request.channel === "chat") await announceChatStatus(deps.bus ?? chatBus(), shop, request.id);
  const settings = await getContactSettings(deps.db, shop);
  if (!settings.surveys.csat || !request.email || request.redactedAt) return { surveyed: false };
  await sendCsatSurvey(deps, { ...request, email: request.email, channel: request.channel });
  return { surveyed: true };
}

export async function reopenRequest(db: Db, shop: string, requestId: string, now: Date) {
  const { count } = await db.contactRequest.updateMany({
    where: { shop, id: requestId },
    data: { status: "open", closedAt: null, lastMessageAt: now },
  });
  if (count === 0) throw new ContactError("That request does not exist.", 404);
}

/**
 * An internal note: in the thread for the shop's staff, never emailed, and not a reply (the
 * request's status, last message time and first response stay as they were).
 */
export async function addInternalNote(
  deps: { db: Db; now: Date },
  shop: string,
  requestId: string,
  body: string,
  staffUserId: string | null,
) {
  const text = body.replace(/\r\n/g, "\n").trim();
  if (!text) throw new ContactError("Write the note before adding it.", 400);
  if (text.length > 10_000) throw new ContactError("Keep the note under 10,000 characters.", 400);
  const request = await getRequest(deps.db, shop, requestId);
  if (!request) throw new ContactError("That request does not exist.", 404);
  const note = await addNote(deps.db, shop, { requestId, body: text, staffUserId, now: deps.now });
  return { noteId: note.id };
}

/**
 * Assigns a request to a staff member who has used the app (their Shopify user id), or to
 * nobody (null). Someone the app has never seen is refused: their name would be unknown.
 */
export async function assignContactRequest(
  db: Db,
  shop: string,
  requestId: string,
  assigneeUserId: string | null,
  bus?: ChatBus,
) {
  if (assigneeUserId !== null) {
    const staff = await listStaffMembers(db, shop);
    if (!staff.some((m) => m.userId === assigneeUserId))
      throw new ContactError("Choose a staff member from the list; that one has not used the app yet.", 400);
  }
  if (!(await assignRequest(db, shop, requestId, assigneeUserId)))
    throw new ContactError("That request does not exist.", 404);
  // A chat's shopper sees who took it.
  if (await isChat(db, shop, requestId)) await announceChatStatus(bus ?? chatBus(), shop, requestId);
}
