/**
 * Live chat on a real database (docs/decisions/0034): tokens and isolation between shops and
 * browsers, ordering under concurrent sends, resume after a reconnect without loss or duplicates,
 * limits, cleaning; through the real routes where the storefront reaches them.
 */
// Web streams work on Node 20 (the rule marks them experimental until 21).
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import { ReadableStream } from "node:stream/web";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { proxyRequest } from "../../../tests/helpers/app-proxy";

import type { ChatBus } from "./chat-bus.server";

const SHOP = "aftercare-test.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const NOW = new Date("2026-03-02T10:00:00Z");
let t: TestDatabase;
let chat: typeof import("./chat.server");
let bus: ChatBus;
let streamRoute: typeof import("../../routes/chat.stream");
let messagesRoute: typeof import("../../routes/chat.messages");
let tokenRoute: typeof import("../../routes/proxy.chat");
const secret = () => process.env.SHOPIFY_API_SECRET!;
const deps = () => ({ db: t.db, secret: secret(), now: NOW, bus });

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  chat = await import("./chat.server");
  bus = (await import("./chat-bus.server")).chatBus();
  await (await import("./chat-bus.server")).chatBusReady(bus);
  streamRoute = await import("../../routes/chat.stream");
  messagesRoute = await import("../../routes/chat.messages");
  tokenRoute = await import("../../routes/proxy.chat");
  await t.db.staffMember.create({
    data: { shop: SHOP, userId: "42", firstName: "Mina", lastName: "Park", lastSeenAt: NOW },
  });
});
afterAll(async () => {
  await bus.close();
  globalThis.__aftercareChatBus = undefined;
  await t.drop();
});

let visitors = 0;
const visitorId = () => `visitor-${String(++visitors).padStart(4, "0")}-abcdefghijklmnop`;
const identity = (shop = SHOP, visitor = visitorId()) => ({ shop, visitor, customerId: null });
// Each browser from its own address by default, so the per-address limits are met only where meant.
const send = (
  id: { shop: string; visitor: string; customerId: string | null },
  text: string,
  clientId: string | null = null,
  ip = `10.0.0.${visitors}`,
) => chat.sendShopperMessage(deps(), id, { text, clientId, locale: "en", clientIp: ip });

/** Reads a server-sent events body until `count` events arrived, then aborts the request. */
async function readEvents(response: Response, controller: AbortController, count: number, kinds = ["message"]) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { id: string | null; event: string; data: unknown }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        block
          .split("\n")
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? null;
      const data = field("data");
      const event = field("event") ?? "message";
      if (data !== null && kinds.includes(event)) events.push({ id: field("id"), event, data: JSON.parse(data) });
    }
  }
  controller.abort();
  return events;
}

/**
 * Opens the shopper's stream through its route. `via: "connection"` signals the client's leaving
 * only through the load context's connectionClosed, as server.js does when the request's own
 * signal no longer hears it (decision 0047).
 */
function openStream(token: string, shop = SHOP, lastEventId?: number, via: "request" | "connection" = "request") {
  const controller = new AbortController();
  const request = new Request(`http://127.0.0.1/chat/stream?shop=${shop}&token=${encodeURIComponent(token)}`, {
    signal: via === "request" ? controller.signal : undefined,
    headers: lastEventId ? { "Last-Event-ID": String(lastEventId) } : {},
  });
  const context = via === "connection" ? { connectionClosed: controller.signal } : {};
  return {
    controller,
    response: streamRoute.loader({ request, params: {}, context } as never) as Promise<Response>,
  };
}

const post = (shop: string, body: object, ip = "198.51.100.20") =>
  messagesRoute.action({
    request: new Request(`http://127.0.0.1/chat/messages?shop=${shop}`, {
      method: "POST",
      headers: { "content-type": "text/plain", "x-forwarded-for": ip },
      body: JSON.stringify(body),
    }),
    params: {},
    context: {},
  } as never) as Promise<Response>;

describe("chat token", () => {
  it("is issued by the signed app proxy, names the shop, the signed-in customer and the visitor", async () => {
    const visitor = visitorId();
    const res = await tokenRoute.loader({
      request: proxyRequest("chat", { visitor }, { loggedInCustomerId: "7001" }),
      params: {},
      context: {},
    } as never);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.visitor).toBe(visitor);
    expect(body.endpoint).toMatch(/\/chat$/);
    expect(chat.verifyChatToken(body.token, SHOP, secret(), new Date())).toEqual({
      shop: SHOP,
      visitor,
      customerId: "7001",
    });
    const unsigned = await tokenRoute
      .loader({ request: proxyRequest("chat", {}, { unsigned: true }), params: {}, context: {} } as never)
      .catch((r: Response) => r);
    expect(unsigned.status).toBe(400);
  });

  it("refuses another shop's, a forged, an expired or a missing token with a 401", () => {
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: null, customerId: null }, secret(), NOW);
    expect(() => chat.verifyChatToken(token, OTHER, secret(), NOW)).toThrow(/could not be opened/);
    expect(() => chat.verifyChatToken(token, SHOP, "another-secret", NOW)).toThrow(chat.ChatError);
    expect(() => chat.verifyChatToken(token, SHOP, secret(), new Date(NOW.getTime() + 61 * 60_000))).toThrow(
      /session ended/,
    );
    expect(() => chat.verifyChatToken(null, SHOP, secret(), NOW)).toThrow(chat.ChatError);
  });

  it("cannot read or write another shop's or another browser's conversation", async () => {
    const mine = identity();
    await send(mine, "Where is my parcel?");
    // Same visitor id, other shop: no conversation, and a token for this shop does not open the other.
    expect(await chat.findChat(t.db, secret(), { ...mine, shop: OTHER })).toBeNull();
    expect(await chat.findChat(t.db, secret(), identity())).toBeNull();
    const { token } = chat.issueChatToken(
      { shop: SHOP, visitor: mine.visitor, customerId: null },
      secret(),
      new Date(),
    );
    const other = await post(OTHER, { token, kind: "message", text: "hello" });
    expect(other.status).toBe(401);
    expect(other.headers.get("access-control-allow-origin")).toBe("*");
    const read = openStream(token, OTHER);
    expect((await read.response).status).toBe(401);
    expect(await t.db.contactRequest.count({ where: { shop: OTHER } })).toBe(0);
  });
});

describe("messages", () => {
  it("are numbered in order under concurrent sends from both sides, each exactly once", async () => {
    const id = identity();
    const first = await send(id, "first");
    const sends = [
      ...Array.from({ length: 12 }, (_, i) => send(id, `shopper ${i}`, `c${i}`, `198.51.100.${i + 2}`)),
      ...Array.from({ length: 12 }, (_, i) =>
        chat.sendAgentMessage(deps(), SHOP, first.conversationId, `agent ${i}`, "42"),
      ),
      // The same client id again: answered with the stored message, not a second one.
      send(id, "shopper 0", "c0", "198.51.100.99"),
    ];
    await Promise.all(sends);
    const all = await chat.chatMessagesAfter(t.db, SHOP, first.conversationId, 0);
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(all.filter((m) => m.body === "shopper 0")).toHaveLength(1);
    expect(all.find((m) => m.author === "merchant")?.agent).toBe("Mina");
    // Each side's messages keep the order their sender saw answered.
    const request = await t.db.contactRequest.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(request).toMatchObject({ channel: "chat", chatSeq: 25, status: expect.stringMatching(/open|waiting/) });
  });

  it("are plain text, cleaned of control and direction-override characters, at most 2,000 characters", async () => {
    const id = identity();
    const sent = await send(id, "  سلام\u200c دوست\u202e\u0007\r\n\r\n\r\n\r\nbye <b>x</b>  ");
    const [m] = await chat.chatMessagesAfter(t.db, SHOP, sent.conversationId, 0);
    expect(m.body).toBe("سلام\u200c دوست\n\nbye <b>x</b>");
    await expect(send(id, "x".repeat(2001))).rejects.toMatchObject({ status: 413, message: /2000 characters/ });
    await expect(send(id, " \u200b ")).rejects.toMatchObject({ status: 400 });
  });

  it("are limited per conversation and per client, with a 429 that says when to try again", async () => {
    const id = identity();
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: id.visitor, customerId: null }, secret(), new Date());
    let last: Response | null = null;
    for (let i = 0; i < 21; i++) {
      last = await post(SHOP, { token, kind: "message", text: `message ${i}` }, `192.0.2.${i + 1}`);
      if (i < 20) expect(last.status).toBe(201);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await last!.json()).message).toMatch(/too quickly/);

    // One address, many browsers: 60 messages a minute, then refused.
    const ip = "192.0.2.200";
    let refused = 0;
    for (let i = 0; i < 13; i++) {
      const v = identity();
      const tk = chat.issueChatToken({ shop: SHOP, visitor: v.visitor, customerId: null }, secret(), new Date());
      for (let j = 0; j < 5; j++) {
        const r = await post(SHOP, { token: tk.token, kind: "message", text: `hi ${j}` }, ip);
        if (r.status === 429) refused++;
      }
    }
    // New chats are limited first (5 an hour per address), so most browsers are refused outright.
    expect(refused).toBeGreaterThan(0);
  });

  it("refuses unreadable requests with a 400 and a message", async () => {
    const res = await messagesRoute.action({
      request: new Request(`http://127.0.0.1/chat/messages?shop=${SHOP}`, { method: "POST", body: "not json" }),
      params: {},
      context: {},
    } as never);
    expect(res.status).toBe(401);
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: null, customerId: null }, secret(), new Date());
    const bad = await post(SHOP, { token, kind: "shout" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/could not be read/);
  });
});

describe("signals and personal data", () => {
  it("limits typing and delivery signals per client with a 429", async () => {
    const id = identity();
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: id.visitor, customerId: null }, secret(), new Date());
    const ip = "192.0.2.240";
    const answers: number[] = [];
    for (let i = 0; i < 121; i++) answers.push((await post(SHOP, { token, kind: "typing", text: `t${i}` }, ip)).status);
    expect(answers.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(answers[120]).toBe(429);
  });

  it("keeps a signed-in shopper's chat under their customer id, so their redaction erases it", async () => {
    const id = { ...identity(), customerId: "7001" };
    const sent = await send(id, "My address is 1 Main St");
    const stored = await t.db.contactRequest.findUniqueOrThrow({ where: { id: sent.conversationId } });
    expect(stored.customerShopifyId).toBe("gid://shopify/Customer/7001");
    const { redactContactData } = await import("./register.server");
    await redactContactData(
      t.db,
      SHOP,
      { customerShopifyId: "gid://shopify/Customer/7001", email: null, orderShopifyIds: [] },
      NOW,
    );
    const [m] = await chat.chatMessagesAfter(t.db, SHOP, sent.conversationId, 0);
    expect(m.body).toBe("(redacted)");
  });
});

describe("a message post's size", () => {
  it("refuses a body streamed without a length once it passes the limit, without reading the rest", async () => {
    let pulled = 0;
    const megabyte = new Uint8Array(1024 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled++ < 1000) controller.enqueue(megabyte);
        else controller.close();
      },
    });
    const response = await messagesRoute.action({
      request: new Request(`http://127.0.0.1/chat/messages?shop=${SHOP}`, {
        method: "POST",
        headers: { "content-type": "text/plain", "x-forwarded-for": "198.51.100.77" },
        body: body as unknown as BodyInit,
        duplex: "half",
      } as RequestInit),
      params: {},
      context: {},
    } as never);
    expect(response.status).toBe(413);
    expect((await response.json()).message).toMatch(/too long/);
    expect(pulled).toBeLessThan(5);
  });
});

describe("the shopper's stream", () => {
  it("resumes after the last sequence number seen: nothing lost, nothing twice, notes never shown", async () => {
    const id = identity();
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: id.visitor, customerId: null }, secret(), new Date());
    const first = await send(id, "one");
    await chat.sendAgentMessage(deps(), SHOP, first.conversationId, "two", "42");
    await t.db.contactMessage.create({
      data: { shop: SHOP, requestId: first.conversationId, author: "note", body: "internal", createdAt: NOW },
    });

    const live = openStream(token);
    const response = await live.response;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(response.headers.get("cache-control")).toMatch(/no-transform/);
    const reading = readEvents(response, live.controller, 4);
    // Sent while the stream is open: delivered live, in order.
    await send(id, "three");
    await chat.sendAgentMessage(deps(), SHOP, first.conversationId, "four", "42");
    const seen = await reading;
    expect(seen.map((e) => [e.id, (e.data as { body: string }).body])).toEqual([
      ["1", "one"],
      ["2", "two"],
      ["3", "three"],
      ["4", "four"],
    ]);

    // Offline: two more arrive; the reconnect names the last id it saw and gets exactly those.
    await chat.sendAgentMessage(deps(), SHOP, first.conversationId, "five", "42");
    await send(id, "six");
    const again = openStream(token, SHOP, 4);
    const resumed = await readEvents(await again.response, again.controller, 2);
    expect(resumed.map((e) => (e.data as { body: string }).body)).toEqual(["five", "six"]);
  });

  it("sends a long conversation whole, and refuses a fifth window of the same browser with a 429", async () => {
    const id = identity();
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: id.visitor, customerId: null }, secret(), new Date());
    const first = await send(id, "start");
    for (let i = 0; i < 450; i++) await chat.sendAgentMessage(deps(), SHOP, first.conversationId, `line ${i}`, "42");
    const whole = openStream(token);
    const events = await readEvents(await whole.response, whole.controller, 451);
    expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: 451 }, (_, i) => i + 1));

    const open = await Promise.all(Array.from({ length: 4 }, () => openStream(token)));
    const statuses = await Promise.all(open.map((o) => o.response.then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200]);
    const fifth = await openStream(token).response;
    expect(fifth.status).toBe(429);
    expect((await fifth.json()).message).toMatch(/too many windows/);
    // Closing one frees its place.
    open[0].controller.abort();
    await expect
      .poll(async () => {
        const again = openStream(token);
        const status = (await again.response).status;
        again.controller.abort();
        return status;
      })
      .toBe(200);
    for (const o of open) o.controller.abort();
  });

  it("frees a window's place when only the connection says the shopper left", async () => {
    const id = identity();
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: id.visitor, customerId: null }, secret(), new Date());
    await send(id, "start");
    // Every allowed window opened and closed: once the closes are heard, all four places are free.
    const openAndClose = async () => {
      const open = Array.from({ length: 4 }, () => openStream(token, SHOP, undefined, "connection"));
      const statuses = await Promise.all(open.map((o) => o.response.then((r) => r.status)));
      for (const o of open) o.controller.abort();
      return statuses;
    };
    expect(await openAndClose()).toEqual([200, 200, 200, 200]);
    await expect.poll(openAndClose).toEqual([200, 200, 200, 200]);
  });

  it("shows the agent typing, and the agents see what the shopper types before sending", async () => {
    const id = identity();
    const { token } = chat.issueChatToken({ shop: SHOP, visitor: id.visitor, customerId: null }, secret(), new Date());
    const first = await send(id, "hello");
    const agentEvents: { kind: string; from: string; preview?: string }[] = [];
    const stop = bus.subscribe(SHOP, (e) => agentEvents.push(e));
    const live = openStream(token);
    const reading = readEvents(await live.response, live.controller, 1, ["typing"]);
    await chat.relayAgentTyping(deps(), SHOP, first.conversationId, "Mina");
    expect((await reading)[0].data).toEqual({ agent: "Mina" });
    const typed = await post(SHOP, { token, kind: "typing", text: "my order #1001 has not" });
    expect(typed.status).toBe(200);
    await expect
      .poll(() => agentEvents.find((e) => e.kind === "typing" && e.from === "customer")?.preview)
      .toBe("my order #1001 has not");
    stop();
  });
});
