/**
 * The chat assistant on a real database (docs/decisions/0041), with fixed clocks: when it answers
 * (outside business hours, or nobody available) and when it keeps quiet; which FAQ question finds
 * which answer in all four languages; the order status through the storefront's tracking lookup
 * with the right and a wrong email, and a signed-in shopper's recent orders; the handover to the
 * inbox with the conversation so far and when to expect a reply; the message on the shopper's
 * stream and through the POST route.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { fixtureFaq } from "../../../tests/helpers/faq-fixture";
import {
  fulfillmentEventPayload,
  fulfillmentPayload,
  hoursAgo,
  orderPayload,
  SHOP,
} from "../../../tests/helpers/tracking";
import { webhookRequest } from "../../../tests/helpers/webhooks";
import type { AssistantPayload } from "../../domain/contact/assistant";
import { answerText, indexFaq, searchFaq } from "../../domain/contact/faq-search";
import { DEFAULT_CONTACT_SETTINGS, type Language } from "../../domain/contact/settings";

import type { ChatBus } from "./chat-bus.server";

// The inbox page's embedded-admin session check is stood in for (as in app.inbox.chat.test.ts).
vi.mock("../../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../shopify.server")>();
  return {
    ...real,
    authenticate: {
      ...real.authenticate,
      admin: async () => ({ session: { shop: "aftercare-test.myshopify.com" }, admin: {}, sessionToken: {} }),
    },
  };
});

// The shop is in New York, open Monday to Friday 9:00 to 17:00 (the default hours).
const SATURDAY = new Date("2026-12-05T15:00:00Z"); // Saturday 10:00 in New York: closed
const MONDAY = new Date("2026-12-07T15:00:00Z"); // Monday 10:00 in New York: open

let t: TestDatabase;
let bus: ChatBus;
let chat: typeof import("./chat.server");
let assistant: typeof import("./chat-assistant.server");
let forgetInMemoryBlocks: () => void;
const secret = () => process.env.SHOPIFY_API_SECRET!;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  chat = await import("./chat.server");
  assistant = await import("./chat-assistant.server");
  forgetInMemoryBlocks = (await import("../rate-limit.server")).forgetInMemoryBlocks;
  bus = (await import("./chat-bus.server")).chatBus();
  await (await import("./chat-bus.server")).chatBusReady(bus);

  await t.db.shop.create({
    data: { domain: SHOP, name: "Maple Goods", ianaTimezone: "America/New_York", currencyCode: "USD" },
  });
  const { saveContactSettings } = await import("../../models/contact.server");
  await saveContactSettings(t.db, SHOP, { ...DEFAULT_CONTACT_SETTINGS, faq: fixtureFaq() });

  // Orders as Shopify's webhooks bring them: #1001 shipped and in transit, #1003 not shipped yet,
  // both Ada's (customer 501); #1002 Grace's.
  const { receiveWebhook } = await import("../../webhooks/receive.server");
  const { processEvent } = await import("../../jobs/process-event.server");
  const deliver = async (topic: string, body: object) => {
    const ids: string[] = [];
    const res = await receiveWebhook(webhookRequest(topic, body, { shop: SHOP }), {
      db: t.db,
      secret: secret(),
      onRecorded: (id) => ids.push(id),
    });
    expect(res.status).toBe(200);
    for (const id of ids) expect(await processEvent(t.db, id)).toBe("processed");
  };
  const ago = (h: number) => hoursAgo(h, SATURDAY.getTime());
  await deliver(
    "orders/create",
    orderPayload({ id: 1001, name: "#1001", email: "Ada@Example.com", customerId: 501, createdAt: ago(72) }),
  );
  await deliver(
    "fulfillments/create",
    fulfillmentPayload({
      id: 9001,
      orderId: 1001,
      createdAt: ago(48),
      company: "UPS",
      numbers: ["1Z999AA10123456784"],
      lineItems: [{ id: 10011 }],
    }),
  );
  await deliver(
    "fulfillment_events/create",
    fulfillmentEventPayload({
      id: 1,
      fulfillmentId: 9001,
      orderId: 1001,
      status: "in_transit",
      happenedAt: ago(40),
      message: "Departed facility",
    }),
  );
  await deliver(
    "orders/create",
    orderPayload({ id: 1002, name: "#1002", email: "grace@example.com", customerId: 502, createdAt: ago(30) }),
  );
  await deliver(
    "orders/create",
    orderPayload({ id: 1003, name: "#1003", email: "ada@example.com", customerId: 501, createdAt: ago(10) }),
  );
}, 60_000);

afterAll(async () => {
  await bus.close();
  globalThis.__aftercareChatBus = undefined;
  await t.drop();
});

beforeEach(async () => {
  forgetInMemoryBlocks();
  await t.db.rateLimitCounter.deleteMany();
  await t.db.staffMember.deleteMany();
});

let visitors = 0;
const identity = (customerId: string | null = null) => ({
  shop: SHOP,
  visitor: `assistant-${String(++visitors).padStart(4, "0")}-abcdefghijklmnop`,
  customerId,
});
type Identity = ReturnType<typeof identity>;

const deps = (now: Date) => ({ db: t.db, secret: secret(), now, bus });

const say = (id: Identity, text: string, now = SATURDAY, locale: Language = "en", ip = `203.0.113.${visitors}`) =>
  assistant.sendShopperMessageWithAssistant(deps(now), id, { text, clientId: null, locale, clientIp: ip });

const press = (
  id: Identity,
  action: { action: string; order?: string; email?: string },
  now = SATURDAY,
  locale: Language = "en",
  ip = `203.0.113.${visitors}`,
) =>
  assistant.sendShopperMessageWithAssistant(deps(now), id, {
    text: null,
    clientId: null,
    locale,
    clientIp: ip,
    action,
  });

/** The conversation as stored, oldest first, with each assistant payload read. */
async function conversation(conversationId: string) {
  const rows = await t.db.contactMessage.findMany({
    where: { shop: SHOP, requestId: conversationId },
    orderBy: { seq: "asc" },
  });
  return rows.map((r) => ({
    seq: r.seq,
    author: r.author,
    body: r.body,
    payload: r.payload ? (JSON.parse(r.payload) as AssistantPayload) : null,
  }));
}

async function lastReply(conversationId: string) {
  const all = await conversation(conversationId);
  const last = all.at(-1)!;
  expect(last.author).toBe("assistant");
  return last as typeof last & { payload: AssistantPayload };
}

describe("when the assistant answers", () => {
  it("answers outside business hours, first saying the team is away and when it is back", async () => {
    const id = identity();
    const sent = await say(id, "How long does delivery take?");
    expect(sent.assistantSeq).toBe(sent.seq + 1);
    const reply = await lastReply(sent.conversationId);
    expect(reply.payload.kind).toBe("answers");
    // Monday 9:00 in New York.
    expect(reply.payload.away).toEqual({ opensAt: "2026-12-07T14:00:00.000Z" });
    expect(reply.body).toMatch(/^Our team is away right now \(back Mon, Dec 7, 9:00 AM EST\)/);
    // The chat is answered: it waits for the shopper, not for an agent.
    const request = await t.db.contactRequest.findUniqueOrThrow({ where: { id: sent.conversationId } });
    expect(request.status).toBe("waiting");
    expect(request.handedOverAt).toBeNull();

    // The second answer does not repeat that the team is away.
    await say(id, "Do you take PayPal?");
    expect((await lastReply(sent.conversationId)).payload.away).toBeUndefined();
  });

  it("answers in business hours when no agent is available, and keeps quiet when one is", async () => {
    const alone = await say(identity(), "How long does delivery take?", MONDAY);
    expect(alone.assistantSeq).not.toBeNull();
    expect((await lastReply(alone.conversationId)).payload.away).toEqual({ opensAt: null });

    await t.db.staffMember.create({
      data: {
        shop: SHOP,
        userId: "42",
        firstName: "Mina",
        lastSeenAt: MONDAY,
        chatAvailable: true,
        chatSeenAt: MONDAY,
      },
    });
    const staffed = await say(identity(), "How long does delivery take?", MONDAY);
    expect(staffed.assistantSeq).toBeNull();
    expect((await conversation(staffed.conversationId)).map((m) => m.author)).toEqual(["customer"]);
    // Available but with the inbox closed for long: nobody is there.
    const later = new Date(MONDAY.getTime() + 10 * 60_000);
    expect((await say(identity(), "How long does delivery take?", later)).assistantSeq).not.toBeNull();
  });

  it("keeps quiet once an agent answered the chat, and when the shop turned it off", async () => {
    const id = identity();
    const first = await say(id, "hello?");
    await chat.sendAgentMessage(deps(SATURDAY), SHOP, first.conversationId, "Hi, Mina here.", null);
    expect((await say(id, "How long does delivery take?")).assistantSeq).toBeNull();

    const { saveContactSettings } = await import("../../models/contact.server");
    await saveContactSettings(t.db, SHOP, {
      ...DEFAULT_CONTACT_SETTINGS,
      faq: fixtureFaq(),
      assistant: { enabled: false },
    });
    try {
      expect((await say(identity(), "How long does delivery take?")).assistantSeq).toBeNull();
    } finally {
      await saveContactSettings(t.db, SHOP, { ...DEFAULT_CONTACT_SETTINGS, faq: fixtureFaq() });
    }
  });

  it("does not answer a retried message twice", async () => {
    const id = identity();
    const once = await assistant.sendShopperMessageWithAssistant(deps(SATURDAY), id, {
      text: "How long does delivery take?",
      clientId: "m-1",
      locale: "en",
      clientIp: "203.0.113.77",
    });
    const again = await assistant.sendShopperMessageWithAssistant(deps(SATURDAY), id, {
      text: "How long does delivery take?",
      clientId: "m-1",
      locale: "en",
      clientIp: "203.0.113.77",
    });
    expect(again.repeated).toBe(true);
    expect(again.assistantSeq).toBeNull();
    expect((await conversation(once.conversationId)).map((m) => m.author)).toEqual(["customer", "assistant"]);
  });
});

describe("FAQ answers in the shopper's language", () => {
  const cases: [Language, string, string][] = [
    ["en", "can I return these shoes", "en-returns"],
    ["en", "do you take paypal", "en-payment"],
    ["ko", "배송 기간이 얼마나 걸려요?", "ko-shipping-time"],
    ["ko", "주소를 바꾸고 싶어요", "ko-address"],
    ["ja", "PayPayは使えますか", "ja-payment"],
    ["ja", "韓国に海外発送できますか", "ja-international"],
    ["fa", "با پی‌پال می‌شود پرداخت کرد؟", "fa-payment"],
    ["fa", "ارسال چند روز طول میکشه؟", "fa-shipping-time"],
  ];
  for (const [language, question, expected] of cases) {
    it(`${language}: "${question}" → ${expected}`, async () => {
      const sent = await say(identity(), question, SATURDAY, language);
      const reply = await lastReply(sent.conversationId);
      expect(reply.payload.kind).toBe("answers");
      expect(reply.payload.language).toBe(language);
      expect(reply.payload.faq![0].id).toBe(expected);
      // The plain body carries the answer's words (for the inbox and email), not its markup.
      expect(reply.body).toContain(fixtureFaq().find((f) => f.id === expected)!.question);
      expect(reply.body).not.toMatch(/<p>|<a /);
      expect(reply.payload.actions.map((a) => a.type)).toContain("human");
    });
  }

  it("offers the return first when the question is about returns, with the returns page", async () => {
    const reply = await lastReply((await say(identity(), "I want a refund")).conversationId);
    expect(reply.payload.actions[0]).toEqual({
      type: "link",
      label: "Start a return",
      url: "/pages/returns",
      purpose: "return",
    });
  });

  it("says it found nothing, in the shopper's language, and offers the ways on", async () => {
    const reply = await lastReply((await say(identity(), "오늘 날씨 어때요", SATURDAY, "ko")).conversationId);
    expect(reply.payload.kind).toBe("no_answer");
    expect(reply.body).toContain("답변을 찾지 못했어요");
    expect(reply.payload.actions.map((a) => a.label)).toEqual(["주문 조회", "반품 신청", "상담원 연결"]);
  });
});

describe("the demo shop's FAQ (sandbox/seed-program.ts)", () => {
  const cases: [Language, string, string][] = [
    ["en", "when does my order ship?", "demo-en-0"],
    ["en", "how many days for delivery", "demo-en-1"],
    ["en", "I'd like to return a jacket", "demo-en-2"],
    ["ko", "언제 발송돼요?", "demo-ko-3"],
    ["ko", "배송 얼마나 걸려요", "demo-ko-4"],
    ["ko", "반품 방법", "demo-ko-5"],
    ["ja", "いつ発送されますか", "demo-ja-6"],
    ["ja", "配達まで何日？", "demo-ja-7"],
    ["ja", "返品したい", "demo-ja-8"],
    ["fa", "سفارشم کی ارسال میشه؟", "demo-fa-9"],
    ["fa", "تحویل چند روز طول میکشه", "demo-fa-10"],
    ["fa", "چطور برگردانم", "demo-fa-11"],
  ];
  for (const [language, question, expected] of cases) {
    it(`${language}: "${question}" → ${expected}`, async () => {
      const { DEMO_CONTACT } = await import("../../../sandbox/seed-program");
      const entries = DEMO_CONTACT.faq.filter((f) => f.language === language);
      const index = indexFaq(
        entries.map((f) => ({
          id: f.id,
          question: f.question,
          category: f.category,
          answer: answerText(f.answerHtml),
        })),
      );
      expect(searchFaq(index, question)[0]?.id).toBe(expected);
    });
  }
});

describe("where is my order", () => {
  it("asks a guest for the order number and email, then shows the order with the right email", async () => {
    const id = identity();
    const sent = await say(id, "Where is my order?");
    const ask = await lastReply(sent.conversationId);
    expect(ask.payload.kind).toBe("ask_order");
    expect(ask.payload.fields).toEqual(["order", "email"]);

    await say(id, "It's #1001, ada@example.com");
    const status = await lastReply(sent.conversationId);
    expect(status.payload.kind).toBe("order_status");
    expect(status.payload.orders).toHaveLength(1);
    const order = status.payload.orders![0];
    expect(order.name).toBe("#1001");
    expect(order.shipments[0]).toMatchObject({ stage: "in_transit", carrier: "UPS" });
    expect(status.body).toMatch(/^Order #1001: on its way/);
    const tracking = status.payload.actions.find((a) => a.type === "link" && a.purpose === "tracking");
    expect(tracking).toMatchObject({ label: "Track with UPS" });
  });

  it("with a wrong email says only that nothing matched, exactly as for an unknown order", async () => {
    const wrong = await press(identity(), { action: "track", order: "#1001", email: "grace@example.com" });
    const unknown = await press(identity(), { action: "track", order: "#9999", email: "grace@example.com" });
    const a = await lastReply(wrong.conversationId);
    const b = await lastReply(unknown.conversationId);
    expect(a.payload.kind).toBe("order_not_found");
    expect(a.body).toBe(b.body);
    expect({ ...a.payload, away: null }).toEqual({ ...b.payload, away: null });
    expect(JSON.stringify(a)).not.toMatch(/UPS|in_transit|1Z999/);
    // The shopper's own words stay in the conversation for the agents.
    const shopperWords = (await conversation(wrong.conversationId)).find((m) => m.author === "customer")!;
    expect(shopperWords.body).toBe("#1001 · grace@example.com");
  });

  it("shares the tracking lookup's limits: once refused, even the right email reveals nothing", async () => {
    const ip = "198.51.100.9";
    const id = identity();
    const deps8 = {
      ...deps(SATURDAY),
      tracking: {
        limits: {
          client: { name: "tracking-lookup-client", limit: 2, windowMs: 15 * 60_000 },
          order: { name: "tracking-lookup-order", limit: 20, windowMs: 15 * 60_000 },
        },
      },
    };
    const attempt = (email: string) =>
      assistant.sendShopperMessageWithAssistant(deps8, id, {
        text: null,
        clientId: null,
        locale: "en",
        clientIp: ip,
        action: { action: "track", order: "#1001", email },
      });
    await attempt("nobody@example.com");
    await attempt("nobody2@example.com");
    const refused = await attempt("ada@example.com");
    const reply = await lastReply(refused.conversationId);
    expect(reply.payload.kind).toBe("order_refused");
    expect(reply.payload.retryAfterSeconds).toBeGreaterThan(0);
    expect(reply.body).toMatch(/too many attempts/i);
    expect(JSON.stringify(reply)).not.toMatch(/UPS|in_transit/);
  });

  it("shows a signed-in shopper's recent orders with their tracking, no email asked", async () => {
    const sent = await say(identity("501"), "where is my order", SATURDAY, "ja");
    const reply = await lastReply(sent.conversationId);
    expect(reply.payload.kind).toBe("order_status");
    expect(reply.payload.orders!.map((o) => o.name)).toEqual(["#1003", "#1001"]);
    expect(reply.body).toContain("最近のご注文です");
    expect(reply.body).toContain("ご注文 #1001: 配送中");
    // Never another customer's order.
    expect(JSON.stringify(reply.payload)).not.toContain("#1002");
  });

  it("forgets what the assistant said about a customer's orders when the customer is redacted", async () => {
    const sent = await say(identity("501"), "where is my order");
    const { redactContactData } = await import("./register.server");
    await redactContactData(
      t.db,
      SHOP,
      { customerShopifyId: "gid://shopify/Customer/501", email: null, orderShopifyIds: [] },
      SATURDAY,
    );
    for (const m of await conversation(sent.conversationId)) expect([m.body, m.payload]).toEqual(["(redacted)", null]);
  });

  it("opens a signed-in shopper's own order by number alone, never another's", async () => {
    const own = await press(identity("501"), { action: "track", order: "#1001" });
    expect((await lastReply(own.conversationId)).payload.kind).toBe("order_status");
    const other = await press(identity("501"), { action: "track", order: "#1002" });
    expect((await lastReply(other.conversationId)).payload.kind).toBe("order_not_found");
  });

  it("asks for the email when only the number came, and uses the number with the email that follows", async () => {
    const id = identity();
    const sent = await say(id, "track order 1001");
    const ask = await lastReply(sent.conversationId);
    expect(ask.payload).toMatchObject({ kind: "ask_order", pendingOrder: "#1001" });
    await say(id, "ada@example.com");
    expect((await lastReply(sent.conversationId)).payload.orders![0].name).toBe("#1001");
  });
});

describe("talk to a person", () => {
  it("hands the chat to the inbox with the conversation so far and says when to expect a reply", async () => {
    const id = identity();
    const first = await say(id, "Do you ship to Japan?", SATURDAY, "en");
    await press(id, { action: "human" });
    const reply = await lastReply(first.conversationId);
    expect(reply.payload.kind).toBe("handover");
    // Opens Monday 9:00 New York time; 8 hours of opening time (the form's promise) later is 17:00.
    expect(reply.payload.replyBy).toBe("2026-12-07T22:00:00.000Z");
    expect(reply.payload.timeZone).toBe("America/New_York");
    expect(reply.body).toContain("You can expect a reply by Mon, Dec 7, 5:00 PM EST");

    const request = await t.db.contactRequest.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(request.status).toBe("open");
    expect(request.handedOverAt).toEqual(SATURDAY);
    // In the inbox's open list, with every message of the conversation for the agent to read.
    const { listRequests } = await import("../../models/contact.server");
    const page = await listRequests(t.db, SHOP, { status: "open" });
    expect(page.rows.map((r) => r.id)).toContain(first.conversationId);
    expect((await conversation(first.conversationId)).map((m) => [m.author, m.body.split("\n")[0]])).toEqual([
      ["customer", "Do you ship to Japan?"],
      ["assistant", expect.stringMatching(/^Our team is away/)],
      ["customer", "Talk to a person"],
      ["assistant", expect.stringMatching(/^I've passed your conversation to our team/)],
    ]);

    // From now on the assistant is silent: the chat waits for a person.
    expect((await say(id, "How long does delivery take?")).assistantSeq).toBeNull();
  });

  it("times the first response from the handover, not from the chat's first message", async () => {
    const id = identity();
    const first = await say(id, "Do you ship to Japan?", SATURDAY, "en");
    // The assistant answered at once; two hours later the shopper asks for a person.
    const handover = new Date(SATURDAY.getTime() + 2 * 60 * 60_000);
    await press(id, { action: "human" }, handover);
    // An agent answers 25 minutes after the handover (2 h 25 min after the first message).
    const answered = new Date(handover.getTime() + 25 * 60_000);
    await chat.sendAgentMessage(deps(answered), SHOP, first.conversationId, "Yes, we do.", null);
    const request = await t.db.contactRequest.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(request.handedOverAt).toEqual(handover);
    expect(request.firstResponseAt).toEqual(answered);
    expect(request.firstResponseMinutes).toBe(25);

    // A chat nobody handed over still counts from its first message.
    const direct = await say(identity(), "Do you take PayPal?", SATURDAY, "en");
    await chat.sendAgentMessage(deps(answered), SHOP, direct.conversationId, "We do.", null);
    const plain = await t.db.contactRequest.findUniqueOrThrow({ where: { id: direct.conversationId } });
    expect(plain.firstResponseMinutes).toBe(145);
  });

  it("shows agents the handed-over chat in the inbox page, the assistant's messages labelled as such", async () => {
    const id = identity();
    const first = await say(id, "Do you take PayPal?");
    await press(id, { action: "human" });
    const page = await import("../../routes/app.inbox.$id");
    const res = (await page.loader({
      request: new Request(`http://127.0.0.1/app/inbox/${first.conversationId}`),
      params: { id: first.conversationId },
      context: {},
    } as never)) as Response;
    const { request } = await res.json();
    expect(request.handedOver).toBe(true);
    expect(request.status).toBe("open");
    expect(request.messages.map((m: { author: string }) => m.author)).toEqual([
      "customer",
      "assistant",
      "customer",
      "assistant",
    ]);
    expect(request.messages[1].body).toContain("Which payment methods do you accept?");
  });

  it("understands asking for a person in words, in Persian, and answers in Persian with the shop's time", async () => {
    const sent = await say(identity(), "می‌خواهم با اپراتور صحبت کنم", SATURDAY, "fa");
    const reply = await lastReply(sent.conversationId);
    expect(reply.payload.kind).toBe("handover");
    expect(reply.body).toMatch(/^گفتگوی شما را به همکارانمان سپردم\. تا .*[۰-۹].* پاسخ می‌گیرید\.$/);
  });

  it("says a person answers shortly when an agent is there", async () => {
    await t.db.staffMember.create({
      data: {
        shop: SHOP,
        userId: "42",
        firstName: "Mina",
        lastSeenAt: MONDAY,
        chatAvailable: true,
        chatSeenAt: MONDAY,
      },
    });
    const sent = await press(identity(), { action: "human" }, MONDAY);
    const reply = await lastReply(sent.conversationId);
    expect(reply.payload).toMatchObject({ kind: "handover", replyBy: null });
    expect(reply.body).toBe("I've passed your conversation to our team. Someone will answer here shortly.");
  });

  it("refuses a button it does not know with a 400, storing nothing", async () => {
    const id = identity();
    await expect(press(id, { action: "refund-everything" })).rejects.toMatchObject({ status: 400 });
    expect(await chat.findChat(t.db, secret(), id)).toBeNull();
  });
});

describe("on the shopper's stream and through the route", () => {
  it("sends the assistant's message with its payload to the shopper's stream, after the shopper's", async () => {
    const id = identity();
    const sent = await say(id, "How long does delivery take?");
    const messages = await chat.chatMessagesAfter(t.db, SHOP, sent.conversationId, 0);
    expect(messages.map((m) => m.author)).toEqual(["customer", "assistant"]);
    const reply = messages[1];
    expect(reply.seq).toBe(2);
    expect(reply.payload).toMatchObject({ v: 1, kind: "answers", language: "en" });
    expect(reply.agent).toBeNull();
  });

  it("takes a button press as POST {kind: 'action'} on /chat/messages", async () => {
    const route = await import("../../routes/chat.messages");
    const id = identity();
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: id.visitor, customerId: null }, secret(), new Date());
    const post = (body: object) =>
      route.action({
        request: new Request(`http://127.0.0.1/chat/messages?shop=${SHOP}`, {
          method: "POST",
          headers: { "content-type": "text/plain", "x-forwarded-for": "192.0.2.44" },
          body: JSON.stringify({ token, ...body }),
        }),
        params: {},
        context: {},
      } as never) as Promise<Response>;
    const res = await post({ kind: "action", action: "human", clientId: "b-1", locale: "ko" });
    expect(res.status).toBe(201);
    const answer = await res.json();
    expect(answer.assistantSeq).toBe(2);
    const reply = await lastReply(answer.conversationId);
    expect(reply.payload.kind).toBe("handover");
    expect(reply.payload.language).toBe("ko");

    const bad = await post({ kind: "action", action: "delete" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/could not be read/);
  });
});
