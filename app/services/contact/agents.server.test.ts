/**
 * Live chat's agents and ratings on a real database (docs/decisions/0042): presence that needs an
 * open inbox, the profile photo resized and served, agents' names and photos on their messages,
 * the rating at the end and CSAT by channel, the reply mailed once the shopper left and their
 * answer by email joining the thread. Through the real routes where the storefront reaches them.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { AGENT_PROBLEM_CODES } from "../../domain/contact/agents";
import en from "../../locales/admin/en.json";
import ja from "../../locales/admin/ja.json";
import ko from "../../locales/admin/ko.json";

import type { ChatBus } from "./chat-bus.server";

const SHOP = "aftercare-test.myshopify.com";
const INBOUND = "support@inbound.example.com";
const OTHER = "other-shop.myshopify.com";
const NOW = new Date("2026-03-02T10:00:00Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);
let t: TestDatabase;
let agents: typeof import("./agents.server");
let chat: typeof import("./chat.server");
let requests: typeof import("./requests.server");
let byChannel: typeof import("../dashboard/by-channel.server");
let photoRoute: typeof import("../../routes/chat.agents.$photoId");
let messagesRoute: typeof import("../../routes/chat.messages");
let inbound: typeof import("./inbound-email.server");
let bus: ChatBus;
const secret = () => process.env.SHOPIFY_API_SECRET!;
const deps = (now = NOW) => ({ db: t.db, secret: secret(), now, bus });

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.SHOPIFY_APP_URL = "https://aftercare.example.com";
  agents = await import("./agents.server");
  chat = await import("./chat.server");
  requests = await import("./requests.server");
  byChannel = await import("../dashboard/by-channel.server");
  photoRoute = await import("../../routes/chat.agents.$photoId");
  messagesRoute = await import("../../routes/chat.messages");
  inbound = await import("./inbound-email.server");
  bus = (await import("./chat-bus.server")).chatBus();
  await (await import("./chat-bus.server")).chatBusReady(bus);
  for (const [shop, userId, firstName] of [
    [SHOP, "42", "Mina"],
    [SHOP, "43", "Jun"],
    [OTHER, "42", "Other"],
  ]) {
    await t.db.staffMember.create({ data: { shop, userId, firstName, lastName: "", lastSeenAt: NOW } });
  }
});
afterAll(async () => {
  await bus.close();
  globalThis.__aftercareChatBus = undefined;
  await t.drop();
});

let visitors = 0;
const identity = (shop = SHOP) => ({
  shop,
  visitor: `visitor-${String(++visitors).padStart(4, "0")}-abcdefghijklmnop`,
  customerId: null,
});
const startChat = async (id = identity()) => {
  const sent = await chat.sendShopperMessage(deps(), id, {
    text: "Hello, where is my parcel?",
    clientId: null,
    locale: "en",
    clientIp: `10.1.0.${visitors}`,
  });
  return { id, conversationId: sent.conversationId };
};
const post = (body: object) =>
  messagesRoute.action({
    request: new Request(`http://127.0.0.1/chat/messages?shop=${SHOP}`, {
      method: "POST",
      headers: { "content-type": "text/plain", "x-forwarded-for": `198.51.100.${visitors}` },
      body: JSON.stringify(body),
    }),
    params: {},
    context: {},
  } as never) as Promise<Response>;
const tokenFor = (id: { shop: string; visitor: string }) =>
  chat.issueChatToken({ shop: id.shop, visitor: id.visitor, customerId: null }, secret(), new Date()).token;

async function png(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: "#3366cc" } })
    .png()
    .toBuffer();
}
const upload = (bytes: Buffer, type = "image/png", size = bytes.length) => ({
  type,
  size,
  bytes: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
});

describe("agent presence", () => {
  it("counts an agent who chose available only while an inbox stream of theirs is open", async () => {
    expect(await agents.isAnyAgentAvailable(SHOP, NOW, t.db)).toBe(false);
    await agents.setAgentAvailability(t.db, SHOP, "42", true, NOW);
    // Chosen now, with no inbox open: fresh for 90 seconds, then gone.
    expect(await agents.isAnyAgentAvailable(SHOP, later(89_000), t.db)).toBe(true);
    expect(await agents.isAnyAgentAvailable(SHOP, later(91_000), t.db)).toBe(false);
    // An inbox stream refreshes it; another shop's agents are not this shop's.
    const held = agents.holdAgentPresence(t.db, SHOP, "42", () => later(100_000));
    await held.ready;
    expect(await agents.isAnyAgentAvailable(SHOP, later(120_000), t.db)).toBe(true);
    expect(await agents.isAnyAgentAvailable(OTHER, later(120_000), t.db)).toBe(false);
    // Two tabs: closing one keeps the agent; closing the last ends the presence at once.
    const second = agents.holdAgentPresence(t.db, SHOP, "42", () => later(100_000));
    await second.ready;
    await second.release();
    expect(await agents.isAnyAgentAvailable(SHOP, later(120_000), t.db)).toBe(true);
    await held.release();
    expect(await agents.isAnyAgentAvailable(SHOP, later(120_000), t.db)).toBe(false);
  });

  it("does not count an agent who set themselves away, inbox open or not", async () => {
    const held = agents.holdAgentPresence(t.db, SHOP, "43", () => NOW);
    await held.ready;
    await agents.setAgentAvailability(t.db, SHOP, "43", false, NOW);
    expect(await agents.isAnyAgentAvailable(SHOP, NOW, t.db)).toBe(false);
    await agents.setAgentAvailability(t.db, SHOP, "43", true, NOW);
    expect(await agents.isAnyAgentAvailable(SHOP, NOW, t.db)).toBe(true);
    await held.release();
    await agents.setAgentAvailability(t.db, SHOP, "43", false, NOW);
  });
});

describe("agent profile", () => {
  it("resizes an uploaded photo to a 256 px WebP square, served to any origin and cached for good", async () => {
    const saved = await agents.saveAgentPhoto(t.db, SHOP, "42", upload(await png(1200, 800)), NOW);
    expect(saved.photoUrl).toBe(`https://aftercare.example.com/chat/agents/${saved.photoId}`);
    const res = await photoRoute.loader({
      params: { photoId: saved.photoId! },
      request: new Request("http://x"),
      context: {},
    } as never);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toContain("immutable");
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);
    // A new photo replaces the old one: its address answers 404 from then on.
    const next = await agents.saveAgentPhoto(t.db, SHOP, "42", upload(await png(300, 300)), NOW);
    expect(next.photoId).not.toBe(saved.photoId);
    const gone = await photoRoute.loader({
      params: { photoId: saved.photoId! },
      request: new Request("http://x"),
      context: {},
    } as never);
    expect(gone.status).toBe(404);
    expect(await t.db.staffPhoto.count({ where: { shop: SHOP, userId: "42" } })).toBe(1);
  });

  it.each([
    ["a GIF", async () => upload(await png(300, 300), "image/gif"), 415, "photo_type"],
    ["over 5 MB", async () => upload(await png(300, 300), "image/png", 6 * 1024 * 1024), 413, "photo_too_large"],
    ["text called a PNG", async () => upload(Buffer.from("not an image at all"), "image/png"), 400, "photo_unreadable"],
    ["32 pixels wide", async () => upload(await png(32, 300)), 400, "photo_too_small"],
    ["empty", async () => upload(Buffer.alloc(0)), 400, "photo_missing"],
  ])("refuses %s with a clear 4xx and keeps the photo it had", async (_name, make, status, code) => {
    const before = await t.db.staffMember.findUniqueOrThrow({ where: { shop_userId: { shop: SHOP, userId: "42" } } });
    const error = await agents.saveAgentPhoto(t.db, SHOP, "42", await make(), NOW).catch((e) => e);
    expect(error).toBeInstanceOf(agents.AgentProfileError);
    expect([error.problem.status, error.problem.code]).toEqual([status, code]);
    const after = await t.db.staffMember.findUniqueOrThrow({ where: { shop_userId: { shop: SHOP, userId: "42" } } });
    expect(after.photoId).toBe(before.photoId);
  });

  it("checks the display name, and every refusal has admin words in en, ko and ja", async () => {
    await expect(agents.saveAgentDisplayName(t.db, SHOP, "42", "x".repeat(41), NOW)).rejects.toMatchObject({
      problem: { code: "name_too_long", status: 400 },
    });
    await expect(agents.saveAgentDisplayName(t.db, SHOP, "42", "<b>Mina</b>", NOW)).rejects.toMatchObject({
      problem: { code: "name_invalid" },
    });
    expect(await agents.saveAgentDisplayName(t.db, SHOP, "42", "  Mina \u202E K.  ", NOW)).toBe("Mina K.");
    for (const messages of [en, ko, ja] as Record<string, unknown>[]) {
      for (const code of AGENT_PROBLEM_CODES) expect(messages[`inbox.agent.error.${code}`], code).toBeTruthy();
    }
  });

  it("puts the agent's display name and photo on their messages and the chat's status", async () => {
    const { id, conversationId } = await startChat();
    await requests.assignContactRequest(t.db, SHOP, conversationId, "42", bus);
    await requests.replyToRequest({ ...deps(), bus }, SHOP, conversationId, "Hi! Let me look.", "42");
    const messages = await chat.chatMessagesAfter(t.db, SHOP, conversationId, 0);
    const reply = messages.find((m) => m.author === "merchant")!;
    const photoId = (await t.db.staffMember.findUniqueOrThrow({ where: { shop_userId: { shop: SHOP, userId: "42" } } }))
      .photoId;
    expect(reply).toMatchObject({
      agent: "Mina K.",
      agentPhotoUrl: `https://aftercare.example.com/chat/agents/${photoId}`,
    });
    expect(messages.find((m) => m.author === "customer")).toMatchObject({ agent: null, agentPhotoUrl: null });
    const state = await chat.chatState(t.db, SHOP, conversationId, NOW);
    expect(state).toMatchObject({ agent: "Mina K.", agentPhotoUrl: reply.agentPhotoUrl, status: "waiting" });
    // The shopper's next message answers with who is answering, too.
    const res = await post({ token: tokenFor(id), kind: "message", text: "Thanks", clientId: "c-1", locale: "en" });
    expect(await res.json()).toMatchObject({ agent: "Mina K.", agentPhotoUrl: reply.agentPhotoUrl });
  });
});

describe("rating a chat", () => {
  it("is refused while the chat is open, taken once when closed, and validated", async () => {
    const { id, conversationId } = await startChat();
    const token = tokenFor(id);
    const open = await post({ token, kind: "rating", score: 5 });
    expect(open.status).toBe(409);
    await requests.closeRequest({ ...deps(), bus }, SHOP, conversationId);
    for (const [body, status] of [
      [{ score: 0 }, 400],
      [{ score: 4.5 }, 400],
      [{ score: "5" }, 400],
      [{ score: 5, comment: "x".repeat(2001) }, 400],
      [{ score: 5, comment: 7 }, 400],
    ] as const) {
      const res = await post({ token, kind: "rating", ...body });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(status);
      expect((await res.json()).message).toMatch(/\w/);
    }
    expect(await t.db.surveyResponse.count({ where: { shop: SHOP, subjectId: conversationId } })).toBe(0);
    const rated = await post({ token, kind: "rating", score: 4, comment: "  Quick and kind  " });
    expect(rated.status).toBe(201);
    const again = await post({ token, kind: "rating", score: 1 });
    expect(again.status).toBe(409);
    const row = await t.db.surveyResponse.findFirstOrThrow({ where: { shop: SHOP, subjectId: conversationId } });
    expect(row).toMatchObject({ kind: "csat", channel: "chat", score: 4, comment: "Quick and kind" });
    const event = await t.db.appEvent.findFirstOrThrow({ where: { shop: SHOP, type: "survey.answered", key: row.id } });
    expect(JSON.parse(event.payload).data.survey).toMatchObject({ kind: "csat", score: 4 });
    expect(await chat.chatState(t.db, SHOP, conversationId, NOW)).toMatchObject({ rated: true, status: "closed" });
    // Another browser's token rates its own chat, never this one.
    const stranger = await post({ token: tokenFor(identity()), kind: "rating", score: 1 });
    expect(stranger.status).toBe(404);
  });

  it("counts in CSAT by channel, with chats, first responses and form answers apart", async () => {
    const period = { start: new Date("2026-03-01T00:00:00Z"), end: new Date("2026-03-03T00:00:00Z") };
    const form = await t.db.contactRequest.create({
      data: {
        shop: SHOP,
        number: 9001,
        topic: "other",
        email: "a@example.com",
        lastMessageAt: NOW,
        createdAt: NOW,
        firstResponseAt: NOW,
        firstResponseMinutes: 30,
      },
    });
    await t.db.surveyResponse.create({
      data: {
        shop: SHOP,
        kind: "csat",
        subjectId: form.id,
        requestId: form.id,
        channel: "form",
        score: 2,
        sentAt: NOW,
        answeredAt: NOW,
      },
    });
    // An answer from before channels were kept counts as the form's; another shop's never.
    await t.db.surveyResponse.create({
      data: { shop: SHOP, kind: "csat", subjectId: "old", score: 5, sentAt: NOW, answeredAt: NOW },
    });
    await t.db.surveyResponse.create({
      data: { shop: OTHER, kind: "csat", subjectId: "x", channel: "chat", score: 1, sentAt: NOW, answeredAt: NOW },
    });
    // The route rated a chat at the real time: moved before the period, so only these two count.
    await t.db.surveyResponse.updateMany({
      where: { shop: SHOP, channel: "chat" },
      data: { answeredAt: new Date("2026-02-01T00:00:00Z") },
    });
    for (const score of [5, 3]) {
      const { id, conversationId } = await startChat();
      await requests.closeRequest({ ...deps(), bus }, SHOP, conversationId);
      await chat.rateChat(deps(), id, { score, comment: null });
    }
    const rows = await byChannel.serviceByChannel(t.db, SHOP, period);
    const of = (c: string) => rows.find((r) => r.channel === c)!;
    expect(rows.map((r) => r.channel)).toEqual(["chat", "form", "email"]);
    const chats = await t.db.contactRequest.count({ where: { shop: SHOP, channel: "chat" } });
    expect(of("chat")).toMatchObject({ started: chats, csat: 0.5, csatAnswers: 2 });
    expect(of("form")).toMatchObject({ started: 1, medianFirstResponseMinutes: 30, csat: 0.5, csatAnswers: 2 });
    expect(of("email")).toMatchObject({ started: 0, medianFirstResponseMinutes: null, csat: null, csatAnswers: 0 });
    expect(of("chat").firstReplies).toBeGreaterThan(0);
  });
});

describe("continuing by email", () => {
  it("mails an agent's reply only once the shopper has left, and their email answer joins the chat", async () => {
    const { id, conversationId } = await startChat();
    const token = tokenFor(id);
    expect((await post({ token, kind: "email", email: "not an address" })).status).toBe(400);
    expect((await post({ token, kind: "email", email: " Shopper@Example.com " })).status).toBe(200);
    // The shopper's stream is open: the reply goes to the chat only.
    const here = chat.holdShopperPresence(t.db, SHOP, conversationId, () => NOW);
    await here.ready;
    const live = await requests.replyToRequest(
      { ...deps(later(60_000)), bus },
      SHOP,
      conversationId,
      "One moment",
      "42",
    );
    expect(live.notificationId).toBeNull();
    await here.release();
    // Three minutes after the stream closed, the shopper has left: the next reply is mailed too.
    const mailed = await requests.replyToRequest(
      { ...deps(later(4 * 60_000)), bus, inboundAddress: INBOUND },
      SHOP,
      conversationId,
      "Your parcel left today.",
      "42",
    );
    expect(mailed.notificationId).not.toBeNull();
    const note = await t.db.notification.findUniqueOrThrow({ where: { id: mailed.notificationId! } });
    expect(note.recipient).toBe("shopper@example.com");
    expect(note.bodyText).toContain("Your parcel left today.");
    // The mailed reply's Reply-To is this request's signed address (docs/decisions/0046); the
    // shopper's answer there joins the chat as its next message. The route's own checks (Mailgun's
    // signature, matching, duplicates) are in inbound-email.server.test.ts.
    expect(note.replyTo).toMatch(/^support\+r\.[a-z0-9]+\.[0-9a-f]{16}@inbound\.example\.com$/);
    const answer = {
      recipients: [note.replyTo!],
      from: "Shopper <shopper@example.com>",
      subject: "Re: your message",
      text: "Great, thank you!\n\nOn Mon, 2 Mar 2026 the shop wrote:\n> Your parcel left today.",
      strippedText: null,
      messageId: "answer-1@mail.example.com",
      threadIds: [],
    };
    const inboundDeps = { ...deps(later(5 * 60_000)), inboundAddress: INBOUND };
    await expect(
      inbound.receiveInboundEmail(inboundDeps, { ...answer, from: "someone@else.com" }),
    ).rejects.toMatchObject({ status: 406 });
    const before = await chat.chatMessagesAfter(t.db, SHOP, conversationId, 0);
    expect(await inbound.receiveInboundEmail(inboundDeps, answer)).toMatchObject({ duplicate: false });
    const after = await chat.chatMessagesAfter(t.db, SHOP, conversationId, before.at(-1)!.seq);
    expect(after.map((m) => [m.author, m.body])).toEqual([["customer", "Great, thank you!"]]);
    expect((await t.db.contactRequest.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("open");
  });
});
