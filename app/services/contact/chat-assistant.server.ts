/**
 * The chat assistant (docs/decisions/0041): while no agent is available (outside business hours,
 * or nobody marked available with the inbox open) it answers a shopper's message first, with no
 * outside AI service:
 * - the shop's FAQ in the shopper's language (faq-search.ts ranks the entries);
 * - "where is my order": a signed-in shopper's recent orders, or the order named by number and
 *   email, through the storefront's own tracking lookup (lookupTracking) with its rate limits, so
 *   a wrong email reveals nothing it would not reveal there;
 * - "start a return" (a link to the returns page) and "talk to a person", which hands the chat to
 *   the inbox (the request is marked and opened, the conversation so far is in it) and says when
 *   to expect a reply from the shop's business hours.
 * Its messages are chat messages (author "assistant") with a JSON payload the storefront renders;
 * the body says the same in plain words for the inbox and email.
 */
import {
  ASSISTANT_COPY,
  ASSISTANT_PAYLOAD_VERSION,
  formatInstant,
  intentsOf,
  orderDetailsIn,
  orderStatusText,
  type AssistantAction,
  type AssistantOrder,
  type AssistantPayload,
} from "../../domain/contact/assistant";
import { answerText, indexFaq, searchFaq } from "../../domain/contact/faq-search";
import { expectedReplyBy, isOpenAt, nextOpening } from "../../domain/contact/hours";
import { businessHoursOf, languageFor, type ContactSettings, type Language } from "../../domain/contact/settings";
import { getContactSettings } from "../../models/contact.server";
import { shopProfile } from "../../models/shop.server";
import { lookupTracking, type LookupDeps, type TrackingView } from "../tracking/lookup.server";

import { isAnyAgentAvailable } from "./agents.server";
import {
  announceChatStatus,
  appendMessage,
  ChatError,
  messageView,
  storeShopperMessage,
  type ChatDeps,
  type ChatIdentity,
} from "./chat.server";

/** Where "start a return" leads: the page the returns block sits on (as the returns emails link it). */
export const RETURNS_PAGE_PATH = "/pages/returns";

/** Recent orders a signed-in shopper's "where is my order" shows with their tracking. */
const RECENT_ORDERS_SHOWN = 3;

export type ShopperAction = "track" | "human";

export interface ShopperInput {
  text: unknown;
  clientId: unknown;
  locale: string | null;
  clientIp: string | null;
  /** A button the shopper pressed under an assistant message, instead of text. */
  action?: { action: unknown; order?: unknown; email?: unknown };
}

export interface AssistantDeps extends ChatDeps {
  /** The tracking lookup's own dependencies beyond db, secret and clock (its limits, in tests). */
  tracking?: Pick<LookupDeps, "limits" | "admin" | "log">;
}

function actionText(action: ShopperAction, order: string | null, email: string | null, language: Language) {
  const buttons = ASSISTANT_COPY[language].buttons;
  if (action === "human") return buttons.human;
  if (!order) return buttons.track;
  return email ? `${order} · ${email}` : order;
}

function readAction(input: NonNullable<ShopperInput["action"]>) {
  const { action, order, email } = input;
  if (action !== "track" && action !== "human")
    throw new ChatError(400, "invalid_request", "That choice could not be read; send it again.");
  const text = (v: unknown, max: number, what: string) => {
    if (v === undefined || v === null || v === "") return null;
    if (typeof v !== "string" || v.trim().length > max)
      throw new ChatError(400, "invalid_request", `That ${what} could not be read; check it and send again.`);
    return v.trim() || null;
  };
  return { action: action as ShopperAction, order: text(order, 64, "order number"), email: text(email, 254, "email") };
}

/**
 * A shopper's message or button, stored like any chat message (limits, cleaning, sequence), then
 * answered by the assistant when it is on duty. Answers what sendShopperMessage answers, with the
 * assistant reply's sequence number when there is one.
 */
export async function sendShopperMessageWithAssistant(deps: AssistantDeps, id: ChatIdentity, input: ShopperInput) {
  const pressed = input.action ? readAction(input.action) : null;
  const language = languageFor(input.locale);
  const text = pressed ? actionText(pressed.action, pressed.order, pressed.email, language) : input.text;
  const { sent, chat } = await storeShopperMessage(deps, id, {
    text,
    clientId: input.clientId,
    locale: input.locale,
    clientIp: input.clientIp,
  });
  if (sent.repeated) return { ...sent, assistantSeq: null };
  // A person already answered this chat (that never changes back): the assistant stays silent.
  if (chat.firstResponseAt !== null) return { ...sent, assistantSeq: null };
  const reply = await assistantReply(deps, id, sent.conversationId, {
    text: typeof text === "string" ? text : "",
    pressed,
    language,
    clientIp: input.clientIp,
  });
  return { ...sent, assistantSeq: reply?.seq ?? null };
}

interface Turn {
  text: string;
  pressed: { action: ShopperAction; order: string | null; email: string | null } | null;
  language: Language;
  clientIp: string | null;
}

async function assistantReply(deps: AssistantDeps, id: ChatIdentity, conversationId: string, turn: Turn) {
  const { db, now } = deps;
  const chat = await db.contactRequest.findFirst({
    where: { shop: id.shop, id: conversationId },
    select: { handedOverAt: true, assigneeUserId: true, firstResponseAt: true, locale: true },
  });
  if (!chat) return null;
  const wantsPerson =
    turn.pressed?.action === "human" || (!turn.pressed && intentsOf(turn.text, turn.language).has("human"));
  // An agent who took or answered the chat answers from now on; so does the team once handed over.
  if (chat.assigneeUserId !== null || chat.firstResponseAt !== null) return null;
  if (chat.handedOverAt && !wantsPerson) return null;

  const [settings, profile, previous] = await Promise.all([
    getContactSettings(db, id.shop),
    shopProfile(db, id.shop),
    db.contactMessage.findFirst({
      where: { shop: id.shop, requestId: conversationId, author: "assistant" },
      orderBy: { seq: "desc" },
      select: { payload: true },
    }),
  ]);
  const hours = businessHoursOf(settings, profile.timeZone);
  const open = isOpenAt(now, hours);
  const agentsAvailable = open && (await isAnyAgentAvailable(id.shop, now, db));
  if (!wantsPerson && (agentsAvailable || !settings.assistant.enabled)) return null;

  const language = turn.language;
  const ctx: ReplyContext = { deps, id, conversationId, settings, language, timeZone: hours.timeZone, turn };
  let reply: Reply;
  if (wantsPerson) {
    if (chat.handedOverAt) {
      reply = { kind: "handover", body: ASSISTANT_COPY[language].handoverAgain, replyBy: null, actions: [] };
    } else {
      reply = handoverReply(ctx, open && agentsAvailable, expectedReplyBy(now, settings.form.replyMinutes, hours));
    }
  } else {
    const last = readPayload(previous?.payload ?? null);
    reply = await answer(ctx, last);
  }
  // The first answer of a conversation says the team is away, and when it is back.
  const away =
    !previous && reply.kind !== "handover" ? { opensAt: nextOpening(now, hours)?.toISOString() ?? null } : null;
  const copy = ASSISTANT_COPY[language];
  const awayLine = away
    ? away.opensAt
      ? copy.awayUntil(formatInstant(new Date(away.opensAt), language, hours.timeZone))
      : copy.away
    : null;
  const payload: AssistantPayload = {
    v: ASSISTANT_PAYLOAD_VERSION,
    kind: reply.kind,
    language,
    ...(away ? { away } : {}),
    ...(reply.faq ? { faq: reply.faq } : {}),
    ...(reply.orders ? { orders: reply.orders } : {}),
    ...(reply.fields ? { fields: reply.fields } : {}),
    ...(reply.pendingOrder ? { pendingOrder: reply.pendingOrder } : {}),
    ...(reply.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: reply.retryAfterSeconds }),
    ...(reply.kind === "handover" ? { replyBy: reply.replyBy ?? null, timeZone: hours.timeZone } : {}),
    actions: reply.actions,
  };
  const body = [awayLine, reply.body].filter(Boolean).join("\n\n");
  const handover = reply.kind === "handover" && !chat.handedOverAt;
  const { message } = await appendMessage(deps, id.shop, conversationId, {
    author: "assistant",
    body,
    clientId: null,
    staffUserId: null,
    payload: JSON.stringify(payload),
    // Handed over, the chat waits for an agent (open); answered by the assistant, it waits for the shopper.
    status: handover ? "open" : chat.handedOverAt ? "unchanged" : "waiting",
  });
  if (handover) {
    await db.contactRequest.updateMany({
      where: { shop: id.shop, id: conversationId, handedOverAt: null },
      data: { handedOverAt: now },
    });
  }
  await deps.bus.publish({
    shop: id.shop,
    conversationId,
    kind: "message",
    from: "merchant",
    message: messageView(message, undefined),
  });
  // The inbox lists the chat as one for a person now.
  if (handover) await announceChatStatus(deps.bus, id.shop, conversationId);
  return { seq: message.seq ?? 0, payload };
}

interface Reply {
  kind: AssistantPayload["kind"];
  body: string;
  faq?: AssistantPayload["faq"];
  orders?: AssistantOrder[];
  fields?: AssistantPayload["fields"];
  pendingOrder?: string;
  retryAfterSeconds?: number;
  replyBy?: string | null;
  actions: AssistantAction[];
}

interface ReplyContext {
  deps: AssistantDeps;
  id: ChatIdentity;
  conversationId: string;
  settings: ContactSettings;
  language: Language;
  timeZone: string;
  turn: Turn;
}

function readPayload(text: string | null): AssistantPayload | null {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The buttons under most answers: order status, a return, a person. */
function standardActions(language: Language, returnFirst = false): AssistantAction[] {
  const b = ASSISTANT_COPY[language].buttons;
  const track: AssistantAction = { type: "track", label: b.track };
  const ret: AssistantAction = { type: "link", label: b.return, url: RETURNS_PAGE_PATH, purpose: "return" };
  const human: AssistantAction = { type: "human", label: b.human };
  return returnFirst ? [ret, track, human] : [track, ret, human];
}

function handoverReply(ctx: ReplyContext, teamHere: boolean, replyBy: Date | null): Reply {
  const copy = ASSISTANT_COPY[ctx.language];
  const body = teamHere
    ? copy.handoverNow
    : replyBy
      ? copy.handoverBy(formatInstant(replyBy, ctx.language, ctx.timeZone))
      : copy.handoverNoHours;
  return { kind: "handover", body, replyBy: teamHere ? null : (replyBy?.toISOString() ?? null), actions: [] };
}

async function answer(ctx: ReplyContext, last: ReturnType<typeof readPayload>): Promise<Reply> {
  const { turn, language } = ctx;
  if (turn.pressed?.action === "track") return orderReply(ctx, turn.pressed.order, turn.pressed.email);
  const intents = intentsOf(turn.text, language);
  const details = orderDetailsIn(turn.text);
  const askedForOrder = last?.kind === "ask_order" || last?.kind === "order_not_found";
  // A number or an email answers the assistant's question; with the order intent, they are the lookup.
  if ((askedForOrder && (details.order || details.email)) || (details.order && details.email)) {
    return orderReply(ctx, details.order ?? last?.pendingOrder ?? null, details.email);
  }
  if (intents.has("order_status")) return orderReply(ctx, details.order, details.email);
  return faqReply(ctx, intents.has("return"));
}

function faqReply(ctx: ReplyContext, aboutReturns: boolean): Reply {
  const { settings, language, turn } = ctx;
  const copy = ASSISTANT_COPY[language];
  // The shopper's language; English when the shop wrote no FAQ in it.
  const own = settings.faq.filter((f) => f.language === language);
  const entries = own.length ? own : settings.faq.filter((f) => f.language === "en");
  const hits = searchFaq(
    indexFaq(
      entries.map((f) => ({ id: f.id, question: f.question, category: f.category, answer: answerText(f.answerHtml) })),
    ),
    turn.text,
  );
  const actions = standardActions(language, aboutReturns);
  if (!hits.length) return { kind: "no_answer", body: copy.notFound, actions };
  const byId = new Map(entries.map((f) => [f.id, f]));
  const faq = hits.map((h) => {
    const f = byId.get(h.id)!;
    return { id: f.id, question: f.question, answerHtml: f.answerHtml };
  });
  const body = [
    aboutReturns ? copy.foundForReturn : copy.found,
    ...faq.map((f) => `${f.question}\n${answerText(f.answerHtml)}`),
  ].join("\n\n");
  return { kind: "answers", body, faq, actions };
}

function askOrder(ctx: ReplyContext, pendingOrder: string | null, missingEmail: boolean): Reply {
  const copy = ASSISTANT_COPY[ctx.language];
  return {
    kind: "ask_order",
    body: missingEmail ? copy.askOrderMissingEmail : copy.askOrder,
    fields: ["order", "email"],
    ...(pendingOrder ? { pendingOrder } : {}),
    actions: [{ type: "human", label: copy.buttons.human }],
  };
}

/** The storefront's tracking lookup, as the tracking block calls it (same checks, same limits). */
function lookup(ctx: ReplyContext, params: Record<string, string>) {
  const { deps, id, turn, language } = ctx;
  return lookupTracking(
    {
      shop: id.shop,
      clientIp: turn.clientIp,
      loggedInCustomerId: id.customerId,
      params: new URLSearchParams({ ...params, locale: language }),
    },
    { db: deps.db, secret: deps.secret, now: deps.now, ...deps.tracking },
  );
}

async function orderReply(ctx: ReplyContext, order: string | null, email: string | null): Promise<Reply> {
  const { id, language } = ctx;
  const copy = ASSISTANT_COPY[language];
  if (!order) {
    if (!id.customerId) return askOrder(ctx, null, false);
    // Signed in: their recent orders, each with its tracking.
    const list = await lookup(ctx, {});
    const recent = list.status === 200 ? ((list.body as RecentOrders).customer?.orders ?? []) : [];
    if (!recent.length) return { ...askOrder(ctx, null, false), body: copy.noOrders };
    const orders: AssistantOrder[] = [];
    for (const o of recent.slice(0, RECENT_ORDERS_SHOWN)) {
      const found = await lookup(ctx, { order: o.name });
      if (found.status === 200) orders.push(assistantOrder(found.body as TrackingView));
    }
    return {
      kind: "order_status",
      body: [copy.recentOrders, ...orders.map((o) => orderStatusText(o, language))].join("\n\n"),
      orders,
      actions: [
        ...trackingLinks(orders, language),
        ...recent
          .slice(RECENT_ORDERS_SHOWN, RECENT_ORDERS_SHOWN + 3)
          .map((o): AssistantAction => ({ type: "track_order", label: o.name, order: o.name })),
        ...standardActions(language).filter((a) => a.type !== "track"),
      ],
    };
  }
  if (!email && !id.customerId) return askOrder(ctx, order, true);
  const found = await lookup(ctx, email ? { order, email } : { order });
  if (found.status === 200) {
    const o = assistantOrder(found.body as TrackingView);
    return {
      kind: "order_status",
      body: orderStatusText(o, language),
      orders: [o],
      actions: [...trackingLinks([o], language), ...standardActions(language).filter((a) => a.type !== "track")],
    };
  }
  if (found.status === 429) {
    const retryAfterSeconds = Number((found.body as { retryAfterSeconds?: number }).retryAfterSeconds) || 60;
    return {
      kind: "order_refused",
      body: copy.orderRefused(Math.max(1, Math.ceil(retryAfterSeconds / 60))),
      retryAfterSeconds,
      actions: [{ type: "human", label: copy.buttons.human }],
    };
  }
  if (found.status === 400) return askOrder(ctx, order, Boolean(order));
  // A wrong email and an unknown number get the same words, as on the tracking page.
  return {
    kind: "order_not_found",
    body: copy.orderNotFound,
    fields: ["order", "email"],
    actions: [{ type: "human", label: copy.buttons.human }],
  };
}

interface RecentOrders {
  customer?: { orders: { name: string }[] };
}

function trackingLinks(orders: AssistantOrder[], language: Language): AssistantAction[] {
  const copy = ASSISTANT_COPY[language];
  return orders
    .flatMap((o) => o.shipments)
    .filter((s) => s.trackingUrl && s.stage !== "delivered")
    .slice(0, 3)
    .map((s) => ({
      type: "link",
      label: s.carrier ? copy.trackWith(s.carrier) : copy.buttons.trackShipment,
      url: s.trackingUrl!,
      purpose: "tracking",
    }));
}

/** The tracking page's answer, cut to what a chat shows. */
function assistantOrder(view: TrackingView): AssistantOrder {
  return {
    name: view.order.name,
    placedAt: view.order.placedAt,
    cancelled: view.order.cancelled,
    preparing: view.preparing ? { expectedShipDate: view.preparing.expectedShipDate ?? null } : null,
    shipments: view.shipments.map((s) => ({
      number: s.number,
      stage: s.stage,
      problem: s.problem?.kind ?? null,
      carrier: s.carrier?.name ?? null,
      trackingNumber: s.trackingNumber ?? null,
      trackingUrl: s.trackingUrl ?? null,
      deliveredAt: s.deliveredAt,
      estimate: s.estimate ? { earliest: s.estimate.earliest, latest: s.estimate.latest } : null,
    })),
  };
}
