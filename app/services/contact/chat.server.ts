/**
 * Live chat (docs/decisions/0034): a chat is an inbox request (channel "chat") whose messages
 * carry a per-conversation sequence number. The app proxy issues a short-lived token naming the
 * shop and the browser (and the signed-in customer); the storefront then talks to the app
 * directly. Every read and write is scoped by the token's shop and the browser's visitor id.
 */
import { randomBytes } from "node:crypto";

import type { ContactMessage, ContactRequest } from "@prisma/client";

import type { Db } from "../../db.server";
import {
  CHAT_RATE_RULES,
  CHAT_TOKEN_TTL_MS,
  chatSubjectText,
  checkChatText,
  isClientId,
  isVisitorId,
  readChatSubject,
  typingPreview,
  type ChatSubject,
} from "../../domain/contact/chat";
import { languageFor } from "../../domain/contact/settings";
import { gid } from "../../domain/shared/shopify-ids";
import { checkChatRating, chatEmail, SHOPPER_REFRESH_MS } from "../../domain/contact/agents";
import { customerEmail } from "../../models/customers.server";
import { recordEvent } from "../../models/events.server";
import { rawExecute, rawRows, rawWriteRows, isSqlite } from "../../models/raw-sql.server";
import { nextRequestNumber } from "../../models/request-numbers.server";
import { signLinkToken, verifyLinkToken } from "../link-token.server";
import { clientKey, rateLimiter } from "../rate-limit.server";

import { agentCards, isAnyAgentAvailable, type AgentCard } from "./agents.server";
import type { ChatBus } from "./chat-bus.server";

export class ChatError extends Error {
  constructor(
    public readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    public readonly code: string,
    message: string,
    public readonly retryAfterSeconds = 0,
  ) {
    super(message);
    this.name = "ChatError";
  }
}

export interface ChatDeps {
  db: Db;
  secret: string;
  now: Date;
  bus: ChatBus;
}

/** Who is writing, as the verified token says. */
export interface ChatIdentity extends ChatSubject {
  shop: string;
}

const PURPOSE = "chat";

/** A token for this browser (its visitor id, a new one when it has none or a malformed one). */
export function issueChatToken(
  input: { shop: string; visitor: string | null; customerId: string | null },
  secret: string,
  now: Date,
) {
  const visitor = isVisitorId(input.visitor) ? input.visitor : randomBytes(16).toString("base64url");
  const expiresAt = new Date(now.getTime() + CHAT_TOKEN_TTL_MS);
  const token = signLinkToken(
    {
      purpose: PURPOSE,
      shop: input.shop,
      subject: chatSubjectText({ visitor, customerId: input.customerId }),
      expiresAt,
    },
    secret,
  );
  return { token, visitor, expiresAt };
}

/** The identity a token proves for `shop`; a 401 for a missing, forged, expired or other shop's token. */
export function verifyChatToken(token: string | null, shop: string, secret: string, now: Date): ChatIdentity {
  const check = token ? verifyLinkToken(token, { secret, purpose: PURPOSE, shop, now }) : null;
  const subject = check?.ok ? readChatSubject(check.subject) : null;
  if (!subject) {
    const expired = check && !check.ok && check.reason === "expired";
    throw new ChatError(
      401,
      expired ? "token_expired" : "invalid_token",
      expired ? "The chat session ended; reopen the chat." : "This chat could not be opened; reload the page.",
    );
  }
  return { shop, ...subject };
}

const visitorKey = (secret: string, id: ChatIdentity) => clientKey(secret, "chat-visitor", id.shop, id.visitor);

export interface ChatRow {
  id: string;
  status: string;
  chatSeq: number;
  assigneeUserId: string | null;
  locale: string;
  firstResponseAt: Date | null;
}

/**
 * The browser's most recent chat in this shop, or null. Read on every message and signal: plain
 * SQL (docs/decisions/0012), a model query costs several times more to compile than this to run.
 */
export async function findChat(db: Db, secret: string, id: ChatIdentity): Promise<ChatRow | null> {
  const rows = await rawRows<ChatRow>(
    db,
    `SELECT "id", "status", "chatSeq", "assigneeUserId", "locale", "firstResponseAt" FROM "ContactRequest"
     WHERE "shop" = {} AND "channel" = 'chat' AND "chatVisitor" = {} ORDER BY "createdAt" DESC LIMIT 1`,
    [id.shop, visitorKey(secret, id)],
  );
  return rows[0] ?? null;
}

export interface ChatMessageView {
  seq: number;
  author: "customer" | "merchant" | "assistant";
  body: string;
  at: string;
  clientId: string | null;
  /** The agent's display name (else first name) for the shopper; null for the shopper's own messages. */
  agent: string | null;
  /** The agent's photo (an absolute URL on the app), or null. */
  agentPhotoUrl: string | null;
  delivered: boolean;
  /** An assistant message's structure (domain/contact/assistant.ts, docs/decisions/0041); null for others. */
  payload: unknown;
}

/** Messages after `afterSeq`, in order (internal notes never: they have no sequence number). */
export async function chatMessagesAfter(
  db: Db,
  shop: string,
  conversationId: string,
  afterSeq: number,
  take = 500,
): Promise<ChatMessageView[]> {
  const rows = await rawRows<MessageRow>(
    db,
    `SELECT * FROM "ContactMessage" WHERE "shop" = {} AND "requestId" = {} AND "seq" > {}
       AND "author" IN ('customer', 'merchant', 'assistant') ORDER BY "seq" LIMIT {}`,
    [shop, conversationId, afterSeq, take],
  );
  const cards = await agentCards(
    db,
    shop,
    rows.map((r) => (r.author === "merchant" ? r.staffUserId : null)).filter((s): s is string => Boolean(s)),
  );
  return rows.map((r) =>
    messageView(r, r.author === "merchant" && r.staffUserId ? cards.get(r.staffUserId) : undefined),
  );
}

type MessageRow = Pick<
  ContactMessage,
  "id" | "seq" | "author" | "body" | "createdAt" | "clientId" | "staffUserId" | "deliveredAt" | "payload"
>;

/** A stored message as the shopper's stream sends it. */
export function messageView(r: MessageRow, card: AgentCard | undefined): ChatMessageView {
  return {
    seq: Number(r.seq ?? 0),
    author: r.author as ChatMessageView["author"],
    body: r.body,
    at: r.createdAt.toISOString(),
    clientId: r.clientId,
    agent: card?.name ?? null,
    agentPhotoUrl: card?.photoUrl ?? null,
    delivered: r.deliveredAt !== null,
    payload: readPayload(r.payload),
  };
}

async function limit(
  deps: ChatDeps,
  rule: (typeof CHAT_RATE_RULES)[keyof typeof CHAT_RATE_RULES],
  shop: string,
  subject: string,
) {
  const decision = await rateLimiter(deps.db, rule).hit(shop, subject);
  if (!decision.allowed) {
    throw new ChatError(
      429,
      "rate_limited",
      "You are sending messages too quickly; wait a moment and send again.",
      decision.retryAfterSeconds,
    );
  }
}

const readPayload = (text: string | null) => {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

/**
 * Appends a message with the conversation's next sequence number, in one statement. The
 * assistant's (chat-assistant.server.ts) carry a JSON payload and say what the chat's status
 * becomes ("unchanged" keeps it).
 *
 * Messages must become visible in the order of their numbers (a stream reads "after the last
 * number it sent"). PostgreSQL: one statement adds one to the chat's counter (the row stays
 * locked until the statement commits) and inserts the message with it. SQLite writes one
 * statement at a time: the insert takes the highest number so far plus one; the chat's counter,
 * time and status follow in a second statement.
 */
export async function appendMessage(
  deps: ChatDeps,
  shop: string,
  conversationId: string,
  input: {
    author: "customer" | "merchant" | "assistant";
    body: string;
    clientId: string | null;
    staffUserId: string | null;
    payload?: string | null;
    status?: "open" | "waiting" | "unchanged";
  },
): Promise<{ message: ContactMessage; repeated: boolean }> {
  const { db, now } = deps;
  const { status, ...message } = input;
  // A shopper's message opens the chat again; an answer leaves it waiting.
  const nextStatus = status ?? (message.author === "customer" ? "open" : "waiting");
  const setStatus = nextStatus === "unchanged" ? null : nextStatus;
  const sameClientId = async () =>
    message.clientId
      ? ((
          await rawRows<ContactMessage>(
            db,
            `SELECT * FROM "ContactMessage" WHERE "shop" = {} AND "requestId" = {} AND "clientId" = {}`,
            [shop, conversationId, message.clientId],
          )
        )[0] ?? null)
      : null;
  const earlier = await sameClientId();
  if (earlier) return { message: earlier, repeated: true };
  const row: ContactMessage = {
    id: messageId(),
    shop,
    requestId: conversationId,
    author: message.author,
    body: message.body,
    staffUserId: message.staffUserId,
    notificationId: null,
    seq: 0,
    clientId: message.clientId,
    deliveredAt: null,
    payload: message.payload ?? null,
    createdAt: now,
  };
  const values = [row.id, shop, conversationId, row.author, row.body, row.staffUserId, row.clientId, row.payload, now];
  try {
    if (isSqlite(db)) {
      const [inserted] = await rawWriteRows<{ seq: number | bigint }>(
        db,
        `INSERT INTO "ContactMessage"
           ("id", "shop", "requestId", "author", "body", "staffUserId", "clientId", "payload", "createdAt", "seq")
         SELECT {}, {}, {}, {}, {}, {}, {}, {}, {}, MAX(
           (SELECT COALESCE(MAX("seq"), 0) FROM "ContactMessage" WHERE "requestId" = {}),
           (SELECT "chatSeq" FROM "ContactRequest" WHERE "id" = {} AND "shop" = {})) + 1
         WHERE EXISTS (SELECT 1 FROM "ContactRequest" WHERE "id" = {} AND "shop" = {})
         RETURNING "seq"`,
        [...values, conversationId, conversationId, shop, conversationId, shop],
      );
      if (!inserted) throw new ChatError(404, "not_found", "That chat does not exist.");
      row.seq = Number(inserted.seq);
      await rawExecute(
        db,
        `UPDATE "ContactRequest" SET "chatSeq" = MAX("chatSeq", {}), "lastMessageAt" = {},
           "status" = COALESCE({}, "status"), "updatedAt" = {} WHERE "id" = {} AND "shop" = {}`,
        [row.seq, now, setStatus, now, conversationId, shop],
      );
    } else {
      const [inserted] = await rawWriteRows<{ seq: number | bigint }>(
        db,
        `WITH "counter" AS (
           UPDATE "ContactRequest" SET "chatSeq" = "chatSeq" + 1, "lastMessageAt" = {},
             "status" = COALESCE({}, "status"), "updatedAt" = {}
           WHERE "id" = {} AND "shop" = {} RETURNING "chatSeq")
         INSERT INTO "ContactMessage"
           ("id", "shop", "requestId", "author", "body", "staffUserId", "clientId", "payload", "createdAt", "seq")
         SELECT {}, {}, {}, {}, {}, {}, {}, {}, CAST({} AS TIMESTAMP(3)), "chatSeq" FROM "counter"
         RETURNING "seq"`,
        [now, setStatus, now, conversationId, shop, ...values],
      );
      if (!inserted) throw new ChatError(404, "not_found", "That chat does not exist.");
      row.seq = Number(inserted.seq);
    }
    return { message: row, repeated: false };
  } catch (error) {
    // The same client id sent twice at once: the other send stored it.
    if (error instanceof ChatError || !message.clientId) throw error;
    const other = await sameClientId();
    if (!other) throw error;
    return { message: other, repeated: true };
  }
}

/** A message id in the shape Prisma's cuid() gives: "c", the time, a counter and randomness. */
let idCounter = 0;
function messageId(): string {
  idCounter = (idCounter + 1) % 1_679_616;
  return `c${Date.now().toString(36)}${idCounter.toString(36).padStart(4, "0")}${randomBytes(8).toString("hex")}`;
}

/**
 * A shopper's message: checked, cleaned and limited, then stored in their chat (a new chat, an
 * inbox request numbered like the form's, when they have none open).
 */
export async function sendShopperMessage(
  deps: ChatDeps,
  id: ChatIdentity,
  input: { text: unknown; clientId: unknown; locale: string | null; clientIp: string | null },
) {
  return (await storeShopperMessage(deps, id, input)).sent;
}

/** sendShopperMessage's work, with the chat as read before the message (for the assistant). */
export async function storeShopperMessage(
  deps: ChatDeps,
  id: ChatIdentity,
  input: { text: unknown; clientId: unknown; locale: string | null; clientIp: string | null },
) {
  const check = checkChatText(input.text);
  if (!check.ok) throw new ChatError(check.status, check.error, check.message);
  const clientId = input.clientId === undefined || input.clientId === null ? null : input.clientId;
  if (clientId !== null && !isClientId(clientId))
    throw new ChatError(400, "invalid_request", "The message could not be read; send it again.");
  const client = clientKey(deps.secret, input.clientIp ?? `visitor:${id.visitor}`);
  await limit(deps, CHAT_RATE_RULES.perClient, id.shop, client);

  let chat: ChatRow | null = await findChat(deps.db, deps.secret, id);
  if (!chat || chat.status === "closed") {
    await limit(deps, CHAT_RATE_RULES.newChatPerClient, id.shop, client);
    chat = { ...(await startChat(deps, id, input.locale)), firstResponseAt: null };
  }
  await limit(deps, CHAT_RATE_RULES.perConversation, id.shop, chat.id);
  const { message, repeated } = await appendMessage(deps, id.shop, chat.id, {
    author: "customer",
    body: check.text,
    clientId,
    staffUserId: null,
  });
  if (!repeated) {
    // The message itself rides along: the shopper's other windows send it without reading it.
    const view = messageView(message, undefined);
    await deps.bus.publish({
      shop: id.shop,
      conversationId: chat.id,
      kind: "message",
      from: "customer",
      message: view,
    });
  }
  // Who answers (name and photo, once taken) and whether anyone is there to, for the panel's header.
  const state = await chatState(deps.db, id.shop, chat.id, deps.now);
  const sent = {
    conversationId: chat.id,
    seq: message.seq ?? 0,
    repeated,
    agent: state.agent,
    agentPhotoUrl: state.agentPhotoUrl,
    agentsAvailable: state.agentsAvailable,
  };
  return { sent, chat };
}

async function startChat(deps: ChatDeps, id: ChatIdentity, locale: string | null) {
  const { db, now } = deps;
  // A signed-in shopper's chat can continue by email (docs/decisions/0042).
  const email = id.customerId ? await customerEmail(db, id.shop, gid("Customer", id.customerId)) : null;
  // Numbered like the form's requests, one statement each: chats started at once never collide.
  const number = await nextRequestNumber(db, id.shop);
  return db.contactRequest.create({
    data: {
      shop: id.shop,
      number,
      topic: "other",
      channel: "chat",
      chatVisitor: visitorKey(deps.secret, id),
      // As the form stores it, so a customer's data request and redaction find their chats too.
      customerShopifyId: id.customerId ? gid("Customer", id.customerId) : null,
      email,
      locale: languageFor(locale),
      searchText: `#${number} chat`,
      lastMessageAt: now,
      createdAt: now,
    },
    select: { id: true, status: true, chatSeq: true, assigneeUserId: true, locale: true },
  });
}

/** An agent's reply in a chat: stored with the next sequence number and delivered live. */
export async function sendAgentMessage(
  deps: ChatDeps,
  shop: string,
  conversationId: string,
  text: string,
  staffUserId: string | null,
) {
  const check = checkChatText(text);
  if (!check.ok) throw new ChatError(check.status, check.error, check.message);
  const [chat] = await rawRows<{
    id: string;
    firstResponseAt: Date | null;
    createdAt: Date;
    handedOverAt: Date | null;
  }>(
    deps.db,
    `SELECT "id", "firstResponseAt", "createdAt", "handedOverAt" FROM "ContactRequest"
     WHERE "shop" = {} AND "id" = {} AND "channel" = 'chat'`,
    [shop, conversationId],
  );
  if (!chat) throw new ChatError(404, "not_found", "That chat does not exist.");
  const { message } = await appendMessage(deps, shop, chat.id, {
    author: "merchant",
    body: check.text,
    clientId: null,
    staffUserId,
  });
  if (!chat.firstResponseAt) {
    // A chat the assistant handed over waited for a person from the handover, not from its
    // first message: the assistant had answered until then (docs/decisions/0041).
    const minutes = Math.round((deps.now.getTime() - (chat.handedOverAt ?? chat.createdAt).getTime()) / 60_000);
    await rawExecute(
      deps.db,
      `UPDATE "ContactRequest" SET "firstResponseAt" = {}, "firstResponseMinutes" = {}, "updatedAt" = {}
       WHERE "shop" = {} AND "id" = {} AND "firstResponseAt" IS NULL`,
      [deps.now, minutes, deps.now, shop, chat.id],
    );
  }
  // With the agent's name and photo, as the shopper's stream shows it, so the stream need not read it.
  const card = staffUserId ? (await agentCards(deps.db, shop, [staffUserId])).get(staffUserId) : undefined;
  await deps.bus.publish({
    shop,
    conversationId: chat.id,
    kind: "message",
    from: "merchant",
    message: messageView(message, card),
  });
  return { messageId: message.id, seq: message.seq ?? 0 };
}

/** The other side's client has shown every message up to `upToSeq`: marks them delivered. */
export async function markChatDelivered(
  deps: ChatDeps,
  shop: string,
  conversationId: string,
  reader: "customer" | "merchant",
  upToSeq: number,
) {
  if (!Number.isInteger(upToSeq) || upToSeq < 1) return 0;
  const { count } = await deps.db.contactMessage.updateMany({
    where: {
      shop,
      requestId: conversationId,
      author: reader === "customer" ? "merchant" : "customer",
      seq: { lte: upToSeq },
      deliveredAt: null,
    },
    data: { deliveredAt: deps.now },
  });
  if (count) await deps.bus.publish({ shop, conversationId, kind: "delivered", from: reader, seq: upToSeq });
  return count;
}

/**
 * Typing and delivery signals from a storefront client, limited apart from messages: a client
 * sends one every second or two at most, so many more mean a script, refused with a 429.
 */
export async function limitShopperSignal(deps: ChatDeps, id: ChatIdentity, clientIp: string | null) {
  await limit(
    deps,
    CHAT_RATE_RULES.signalsPerClient,
    id.shop,
    clientKey(deps.secret, clientIp ?? `visitor:${id.visitor}`),
  );
}

/** Relays what the shopper is typing to the shop's agents; nothing is stored. */
export async function relayShopperTyping(deps: ChatDeps, id: ChatIdentity, text: unknown) {
  const chat = await findChat(deps.db, deps.secret, id);
  if (!chat || chat.status === "closed") return;
  await deps.bus.publish({
    shop: id.shop,
    conversationId: chat.id,
    kind: "typing",
    from: "customer",
    preview: typingPreview(text),
  });
}

/** Tells the shopper an agent is typing (with the agent's first name, when known). */
export async function relayAgentTyping(deps: ChatDeps, shop: string, conversationId: string, agent: string | null) {
  await deps.bus.publish({ shop, conversationId, kind: "typing", from: "merchant", preview: agent ?? "" });
}

/** A chat's status changed (taken, closed, reopened): streams on both sides refresh it. */
export async function announceChatStatus(bus: ChatBus, shop: string, conversationId: string) {
  await bus.publish({ shop, conversationId, kind: "status", from: "merchant" });
}

/** Live chats first in the inbox: the shop's open and waiting chats, newest message first. */
export async function liveChats(db: Db, shop: string, take = 50) {
  return db.contactRequest.findMany({
    where: { shop, channel: "chat", status: { in: ["open", "waiting"] } },
    orderBy: { lastMessageAt: "desc" },
    take,
    select: {
      id: true,
      number: true,
      status: true,
      name: true,
      locale: true,
      assigneeUserId: true,
      lastMessageAt: true,
      messages: {
        where: { author: { in: ["customer", "merchant"] } },
        orderBy: { seq: "desc" },
        take: 1,
        select: { body: true, author: true },
      },
    },
  });
}

/** A request's row without its messages (a reply to a live chat needs none of them). */
export async function requestWithoutThread(db: Db, shop: string, requestId: string) {
  const [row] = await rawRows<ContactRequest>(db, `SELECT * FROM "ContactRequest" WHERE "shop" = {} AND "id" = {}`, [
    shop,
    requestId,
  ]);
  return row ?? null;
}

/** Whether a request is a chat (its replies go live instead of by email). */
export async function isChat(db: Db, shop: string, requestId: string) {
  return (await db.contactRequest.count({ where: { shop, id: requestId, channel: "chat" } })) > 0;
}

/**
 * What the shopper's chat shows at its top: open or closed, who is answering (display name and
 * photo), whether any agent is available now, and whether the shopper may still rate it.
 */
export async function chatState(db: Db, shop: string, conversationId: string, now: Date = new Date()) {
  const [chat] = await rawRows<{ status: string; assigneeUserId: string | null; email: string | null }>(
    db,
    `SELECT "status", "assigneeUserId", "email" FROM "ContactRequest"
     WHERE "shop" = {} AND "id" = {} AND "channel" = 'chat'`,
    [shop, conversationId],
  );
  const agentsAvailable = await isAnyAgentAvailable(shop, now, db);
  if (!chat) {
    return { status: "closed", agent: null, agentPhotoUrl: null, agentsAvailable, rated: false, emailKnown: false };
  }
  const card = chat.assigneeUserId
    ? (await agentCards(db, shop, [chat.assigneeUserId])).get(chat.assigneeUserId)
    : undefined;
  const rated =
    chat.status === "closed" &&
    (await db.surveyResponse.count({
      where: { shop, kind: "csat", subjectId: conversationId, answeredAt: { not: null } },
    })) > 0;
  return {
    status: chat.status,
    agent: card?.name ?? null,
    agentPhotoUrl: card?.photoUrl ?? null,
    agentsAvailable,
    rated,
    emailKnown: Boolean(chat.email),
  };
}

/**
 * The shopper's email for this chat, so an answer written after they leave reaches them
 * (docs/decisions/0042). Refused with a 400 when it is not an address.
 */
export async function setChatEmail(deps: ChatDeps, id: ChatIdentity, raw: unknown) {
  const email = chatEmail(raw);
  if (!email) throw new ChatError(400, "invalid_email", "Enter an email address such as name@example.com.");
  const chat = await findChat(deps.db, deps.secret, id);
  if (!chat) throw new ChatError(404, "no_chat", "There is no chat yet.");
  await deps.db.contactRequest.updateMany({
    where: { shop: id.shop, id: chat.id },
    data: { email, searchText: `#${(await chatNumber(deps.db, id.shop, chat.id)) ?? ""} chat ${email}` },
  });
  return { conversationId: chat.id, email };
}

async function chatNumber(db: Db, shop: string, conversationId: string) {
  return (await db.contactRequest.findFirst({ where: { shop, id: conversationId }, select: { number: true } }))?.number;
}

/**
 * The shopper's rating of their closed chat: 1 to 5 and a comment, once per conversation. It is
 * the conversation's satisfaction answer (kind csat, channel chat), so it counts in the
 * dashboard's CSAT like an emailed survey's, and it is announced as "survey.answered" in the same
 * transaction (docs/events.md). A chat rated by email first, or rated twice, is a 409.
 */
export async function rateChat(deps: ChatDeps, id: ChatIdentity, input: { score: unknown; comment: unknown }) {
  const check = checkChatRating(input.score, input.comment);
  if (!check.ok) throw new ChatError(400, `invalid_${check.code}`, check.message);
  const chat = await findChat(deps.db, deps.secret, id);
  if (!chat) throw new ChatError(404, "no_chat", "There is no chat to rate.");
  if (chat.status !== "closed") throw new ChatError(409, "chat_open", "A chat can be rated once it has ended.");
  const { db, now } = deps;
  const shop = id.shop;
  const rated = await db.$transaction(async (tx) => {
    const survey = await tx.surveyResponse.upsert({
      where: { shop_kind_subjectId: { shop, kind: "csat", subjectId: chat.id } },
      create: { shop, kind: "csat", subjectId: chat.id, requestId: chat.id, channel: "chat", sentAt: now },
      update: {},
    });
    const answered = await tx.surveyResponse.updateMany({
      where: { shop, id: survey.id, answeredAt: null },
      data: { score: check.score, comment: check.comment, answeredAt: now, channel: "chat" },
    });
    if (answered.count !== 1) return null;
    const request = await tx.contactRequest.findFirst({
      where: { shop, id: chat.id },
      select: { orderShopifyId: true, orderName: true, customerShopifyId: true },
    });
    await recordEvent(tx, {
      shop,
      type: "survey.answered",
      key: survey.id,
      occurredAt: now,
      order: request?.orderShopifyId ? { id: request.orderShopifyId, name: request.orderName } : null,
      customer: { id: request?.customerShopifyId ?? null },
      data: { survey: { id: survey.id, kind: "csat", score: check.score, comment: check.comment } },
    });
    return survey.id;
  });
  if (!rated) throw new ChatError(409, "already_rated", "This chat has already been rated. Thank you!");
  await deps.bus.publish({ shop, conversationId: chat.id, kind: "status", from: "customer" });
  return { conversationId: chat.id, score: check.score };
}

/**
 * The shopper's chat stream is open: refreshed every SHOPPER_REFRESH_MS while it is, and once
 * more when it closes; a chat not refreshed for SHOPPER_LEFT_MS has been left (replies are mailed).
 */
export function holdShopperPresence(
  db: Db,
  shop: string,
  conversationId: string,
  clock: () => Date = () => new Date(),
) {
  // Every open stream, every SHOPPER_REFRESH_MS: one plain statement.
  const touch = () =>
    rawExecute(db, `UPDATE "ContactRequest" SET "shopperSeenAt" = {} WHERE "shop" = {} AND "id" = {}`, [
      clock(),
      shop,
      conversationId,
    ]).catch(() => {});
  const ready = touch();
  const timer = setInterval(touch, SHOPPER_REFRESH_MS);
  timer.unref?.();
  let released = false;
  return {
    ready,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await ready;
      await touch();
    },
  };
}
