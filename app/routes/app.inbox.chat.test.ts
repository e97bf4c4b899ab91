/**
 * Live chat in the inbox through the real route modules: live chats listed first, an agent takes
 * one, replies with a saved reply (in the chat, not by email), the shopper's stream gets it with
 * the agent's first name, the agent's stream sees what the shopper types before sending, and
 * closing ends the chat for the shopper. Only the embedded-admin session check is stood in for.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";

const SHOP = "inbox-chat.myshopify.com";
vi.mock("../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../shopify.server")>();
  return {
    ...real,
    authenticate: {
      ...real.authenticate,
      admin: async () => ({ session: { shop: SHOP }, admin: {}, sessionToken: { sub: "7001" } }),
    },
  };
});

interface Route {
  loader: (args: { request: Request; params: object; context: object }) => Promise<Response>;
  action?: (args: { request: Request; params: object; context: object }) => Promise<Response>;
}
let t: TestDatabase;
let inbox: Route;
let page: Route;
let agentStream: Route;
let chat: typeof import("../services/contact/chat.server");
let busModule: typeof import("../services/contact/chat-bus.server");
const NOW = new Date("2026-03-02T10:00:00Z");

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  inbox = (await import("./app.inbox._index")) as never;
  page = (await import("./app.inbox.$id")) as never;
  agentStream = (await import("./app.chat.stream")) as never;
  chat = await import("../services/contact/chat.server");
  busModule = await import("../services/contact/chat-bus.server");
  await busModule.chatBusReady(busModule.chatBus());
  await t.db.shop.create({ data: { domain: SHOP, name: "Maple Goods", ianaTimezone: "UTC", currencyCode: "CAD" } });
  await t.db.staffMember.create({
    data: { shop: SHOP, userId: "7001", firstName: "Mina", lastName: "Park", lastSeenAt: new Date() },
  });
  await t.db.savedReply.create({
    data: {
      id: "sr-1",
      shop: SHOP,
      title: "Thanks",
      bodies: JSON.stringify({ en: "Thanks for waiting!", fa: "ممنون که صبر کردید!" }),
    },
  });
});
afterAll(async () => {
  await busModule.chatBus().close();
  globalThis.__aftercareChatBus = undefined;
  await t.drop();
});

const form = (fields: Record<string, string>) => {
  const body = new URLSearchParams(fields);
  return new Request("http://127.0.0.1/app/inbox/x", { method: "POST", body });
};

/** Reads events from a stream until `want` says stop, then aborts. */
async function collect(response: Response, controller: AbortController, want: (events: string[]) => boolean) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!want(text.split("\n\n"))) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  controller.abort();
  return text.split("\n\n");
}

describe("live chat in the inbox", () => {
  it("is listed first, taken, answered live with a saved reply, and closed", async () => {
    const shopper = { shop: SHOP, visitor: "visitor-fa-0001-abcdefghijk", customerId: null };
    const deps = { db: t.db, secret: process.env.SHOPIFY_API_SECRET!, now: NOW, bus: busModule.chatBus() };
    const sent = await chat.sendShopperMessage(deps, shopper, {
      text: "سفارشم کجاست؟",
      clientId: "m1",
      locale: "fa",
      clientIp: "203.0.113.5",
    });

    const list = await (
      await inbox.loader({ request: new Request("http://127.0.0.1/app/inbox"), params: {}, context: {} })
    ).json();
    expect(list.chats).toEqual([
      expect.objectContaining({ id: sent.conversationId, taken: false, waiting: true, preview: "سفارشم کجاست؟" }),
    ]);

    // The agent's stream sees the shopper typing before they send.
    const agentAbort = new AbortController();
    const agentEvents = collect(
      await agentStream.loader({
        request: new Request("http://127.0.0.1/app/chat/stream", { signal: agentAbort.signal }),
        params: {},
        context: {},
      }),
      agentAbort,
      (blocks) => blocks.some((b) => b.includes("event: typing") && b.includes("شماره")),
    );
    await chat.relayShopperTyping(deps, shopper, "شماره سفارش ۱۰۰۱");
    expect((await agentEvents).join()).toContain(sent.conversationId);

    const id = { id: sent.conversationId };
    const take = await page.action!({ request: form({ intent: "assign", assignee: "me" }), params: id, context: {} });
    expect(take.status).toBe(200);
    const inserted = await (
      await page.action!({
        request: form({ intent: "insertSavedReply", savedReplyId: "sr-1" }),
        params: id,
        context: {},
      })
    ).json();
    expect(inserted.inserted).toMatchObject({ text: "ممنون که صبر کردید!", language: "fa" });
    const reply = await page.action!({
      request: form({ intent: "reply", body: inserted.inserted.text }),
      params: id,
      context: {},
    });
    expect(reply.status).toBe(200);

    const messages = await chat.chatMessagesAfter(t.db, SHOP, sent.conversationId, 1);
    expect(messages).toEqual([
      expect.objectContaining({ seq: 2, author: "merchant", agent: "Mina", body: "ممنون که صبر کردید!" }),
    ]);
    // Not emailed: a chat's reply goes to the chat.
    expect(await t.db.notification.count({ where: { shop: SHOP } })).toBe(0);

    // Opening the chat marks the shopper's messages delivered; the page knows it is a chat.
    const view = await (
      await page.loader({ request: new Request("http://127.0.0.1/app/inbox/x"), params: id, context: {} })
    ).json();
    expect(view.request.channel).toBe("chat");
    const first = await t.db.contactMessage.findFirstOrThrow({ where: { requestId: sent.conversationId, seq: 1 } });
    expect(first.deliveredAt).not.toBeNull();

    await page.action!({ request: form({ intent: "close" }), params: id, context: {} });
    expect(await chat.chatState(t.db, SHOP, sent.conversationId)).toEqual({
      status: "closed",
      agent: "Mina",
      agentPhotoUrl: null,
      agentsAvailable: false,
      rated: false,
      emailKnown: false,
    });
    const after = await (
      await inbox.loader({ request: new Request("http://127.0.0.1/app/inbox"), params: {}, context: {} })
    ).json();
    expect(after.chats).toEqual([]);
  });

  it("ends the agent's presence when only the connection says the inbox closed (decision 0047)", async () => {
    const agents = await import("../services/contact/agents.server");
    await agents.setAgentAvailability(t.db, SHOP, "7001", true, new Date());
    const closed = new AbortController();
    const response = await agentStream.loader({
      // A request whose own signal never hears the client leave, as after a garbage collection.
      request: new Request("http://127.0.0.1/app/chat/stream"),
      params: {},
      context: { connectionClosed: closed.signal },
    });
    const reader = response.body!.getReader();
    await reader.read();
    expect(await agents.isAnyAgentAvailable(SHOP, new Date(), t.db)).toBe(true);
    closed.abort();
    await expect.poll(() => agents.isAnyAgentAvailable(SHOP, new Date(), t.db)).toBe(false);
  });
});
