/**
 * The inbox's staff tools through the real route modules with real Requests: internal notes (kept
 * in the thread, never mailed), assignment and the "assigned to me / unassigned" filter paged past
 * one page, saved replies rendered with the order's values in the shopper's language, and broken
 * templates refused next to their field with nothing saved. Only the embedded-admin session check
 * is stood in for; the staff member's name comes from the sandbox's own token exchange.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";

const SHOP = "inbox-staff.myshopify.com";
let staffSub = "7001";
vi.mock("../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../shopify.server")>();
  return {
    ...real,
    authenticate: {
      ...real.authenticate,
      admin: async () => ({ session: { shop: SHOP }, admin: {}, sessionToken: { sub: staffSub } }),
    },
  };
});

interface Route {
  loader: (args: { request: Request; params: object; context: object }) => Promise<Response>;
  action?: (args: { request: Request; params: object; context: object }) => Promise<Response>;
}
let t: TestDatabase;
let inbox: Route;
let requestPage: Route;
let repliesPage: Route;

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute));

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  inbox = (await import("./app.inbox._index")) as never;
  requestPage = (await import("./app.inbox.$id")) as never;
  repliesPage = (await import("./app.inbox.replies")) as never;
  await t.db.shop.create({ data: { domain: SHOP, name: "Maple Goods", ianaTimezone: "UTC", currencyCode: "CAD" } });
  // Two staff members who have used the app (their names as Shopify gave them, seen just now).
  for (const [userId, firstName, lastName] of [
    ["7001", "Mina", "Park"],
    ["7002", "Kenji", "Sato"],
  ])
    await t.db.staffMember.create({ data: { shop: SHOP, userId, firstName, lastName, lastSeenAt: new Date() } });
  // A Korean shopper's order, with a customer account; a request about it.
  await t.db.customer.create({
    data: { shop: SHOP, shopifyId: "gid://shopify/Customer/5", firstName: "Jiwoo", email: "jiwoo@example.com" },
  });
  await t.db.order.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Order/900",
      name: "#1900",
      email: "jiwoo@example.com",
      customerShopifyId: "gid://shopify/Customer/5",
      customerLocale: "ko",
      currency: "CAD",
      totalMinor: 5000,
      shopifyCreatedAt: at(0),
      shopifyUpdatedAt: at(0),
    },
  });
  await t.db.contactRequest.create({
    data: {
      id: "req-ko",
      shop: SHOP,
      number: 1,
      topic: "order_status",
      name: "Jiwoo Kim",
      email: "jiwoo@example.com",
      orderName: "#1900",
      orderShopifyId: "gid://shopify/Order/900",
      locale: "ko",
      status: "open",
      lastMessageAt: at(1),
      createdAt: at(1),
      messages: { create: { shop: SHOP, author: "customer", body: "제 주문은 어디에 있나요?", createdAt: at(1) } },
    },
  });
  // 70 more open requests, one a minute: 55 assigned to Mina, 5 to Kenji, 10 to nobody.
  for (let n = 2; n <= 71; n++) {
    await t.db.contactRequest.create({
      data: {
        shop: SHOP,
        number: n,
        topic: "other",
        status: "open",
        assigneeUserId: n <= 56 ? "7001" : n <= 61 ? "7002" : null,
        lastMessageAt: at(n),
        createdAt: at(n),
      },
    });
  }
});
afterAll(async () => {
  await t.drop();
});

const call = (route: Route, kind: "loader" | "action", path: string, form?: Record<string, string>, id = "") =>
  route[kind]!({
    request: new Request(`https://app.test${path}`, form ? { method: "POST", body: new URLSearchParams(form) } : {}),
    params: { id },
    context: {},
  });

async function read<T>(response: Promise<Response>, status = 200): Promise<T> {
  const answer = await response;
  expect(answer.status).toBe(status);
  return (await answer.json()) as T;
}

interface InboxPage {
  requests: { number: number; assignee: { name: string | null } | null }[];
  next: string | null;
  previous: string | null;
}

describe("assignment", () => {
  it("'assigned to me' pages past 50 through only my requests, with names, never ids", async () => {
    const first = await read<InboxPage>(call(inbox, "loader", "/app/inbox?assignee=me"));
    expect(first.requests).toHaveLength(50);
    expect(first.requests.every((r) => r.assignee?.name === "Mina Park")).toBe(true);
    const second = await read<InboxPage>(call(inbox, "loader", `/app/inbox?assignee=me&after=${first.next}`));
    expect(second.requests.map((r) => r.number)).toEqual([52, 53, 54, 55, 56]);
    expect(second.next).toBeNull();
    const back = await read<InboxPage>(call(inbox, "loader", `/app/inbox?assignee=me&before=${second.previous}`));
    expect(back.requests.map((r) => r.number)).toEqual(first.requests.map((r) => r.number));
    // Newest first is the same requests in the other order.
    const newest = await read<InboxPage>(call(inbox, "loader", "/app/inbox?assignee=me&sort=newest"));
    expect(newest.requests[0].number).toBe(56);
  });

  it("assigns to me, to someone who has used the app, and to nobody; 'unassigned' follows", async () => {
    const unassigned = async () =>
      (await read<InboxPage>(call(inbox, "loader", "/app/inbox?assignee=unassigned"))).requests.map((r) => r.number);
    expect(await unassigned()).toEqual([1, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71]);

    staffSub = "7002";
    await read(call(requestPage, "action", "/app/inbox/req-ko", { intent: "assign", assignee: "me" }, "req-ko"));
    expect(await unassigned()).not.toContain(1);
    const mine = await read<InboxPage>(call(inbox, "loader", "/app/inbox?assignee=me"));
    expect(mine.requests.map((r) => [r.number, r.assignee?.name])).toContainEqual([1, "Kenji Sato"]);

    await read(call(requestPage, "action", "/app/inbox/req-ko", { intent: "assign", assignee: "7001" }, "req-ko"));
    const page = await read<{ request: { assignee: { name: string } } }>(
      call(requestPage, "loader", "/app/inbox/req-ko", undefined, "req-ko"),
    );
    expect(page.request.assignee.name).toBe("Mina Park");

    await read(call(requestPage, "action", "/app/inbox/req-ko", { intent: "assign", assignee: "" }, "req-ko"));
    expect(await unassigned()).toContain(1);
    staffSub = "7001";
  });

  it("refuses someone who has never used the app, with a 400 and a reason", async () => {
    const answer = await read<{ ok: boolean; error: string }>(
      call(requestPage, "action", "/app/inbox/req-ko", { intent: "assign", assignee: "9999" }, "req-ko"),
      400,
    );
    expect(answer.error).toMatch(/has not used the app/);
    expect((await t.db.contactRequest.findUniqueOrThrow({ where: { id: "req-ko" } })).assigneeUserId).toBeNull();
  });
});

describe("internal notes", () => {
  it("are kept in the thread as notes with their author's name and never reach the outbox", async () => {
    const before = await t.db.contactRequest.findUniqueOrThrow({ where: { id: "req-ko" } });
    await read(
      call(requestPage, "action", "/app/inbox/req-ko", { intent: "note", body: "Carrier says Tuesday." }, "req-ko"),
    );
    await read(call(requestPage, "action", "/app/inbox/req-ko", { intent: "reply", body: "곧 도착합니다." }, "req-ko"));
    const page = await read<{ request: { messages: { author: string; staff: string | null; body: string }[] } }>(
      call(requestPage, "loader", "/app/inbox/req-ko", undefined, "req-ko"),
    );
    expect(page.request.messages.map((m) => [m.author, m.staff, m.body])).toEqual([
      ["customer", null, "제 주문은 어디에 있나요?"],
      ["note", "Mina Park", "Carrier says Tuesday."],
      ["merchant", "Mina Park", "곧 도착합니다."],
    ]);
    // Only the reply is mailed, and it does not quote the note.
    const mails = await t.db.notification.findMany({ where: { shop: SHOP, subjectId: "req-ko" } });
    expect(mails).toHaveLength(1);
    expect(mails[0].bodyText).toContain("곧 도착합니다.");
    expect(mails[0].bodyText).not.toContain("Carrier says Tuesday");
    // A note is not an answer: the first response is the reply's, not the note's.
    const after = await t.db.contactRequest.findUniqueOrThrow({ where: { id: "req-ko" } });
    expect(before.firstResponseAt).toBeNull();
    expect(after.firstResponseAt).not.toBeNull();
    // The list's preview is what the shopper saw last, never a note.
    const notes = await t.db.contactMessage.count({ where: { requestId: "req-ko", author: "note" } });
    expect(notes).toBe(1);
  });

  it("an empty note is a 400 that says what to do", async () => {
    const answer = await read<{ error: string }>(
      call(requestPage, "action", "/app/inbox/req-ko", { intent: "note", body: "  " }, "req-ko"),
      400,
    );
    expect(answer.error).toBe("Write the note before adding it.");
  });
});

describe("saved replies", () => {
  const save = (form: Record<string, string>, status = 200) =>
    read<{ ok: boolean; id?: string; problems?: { path: string; message: string }[] }>(
      call(repliesPage, "action", "/app/inbox/replies", { intent: "save", ...form }),
      status,
    );

  it("are inserted in the shopper's language with the order's values filled in", async () => {
    const { id } = await save({
      title: "Where is my order",
      "body.en": "Hi {{ customer.first_name }}, order {{ order.name }} is on its way: {{ tracking.url }}",
      "body.ko": "{{ customer.first_name }}님, 주문 {{ order.name }}이(가) 배송 중입니다: {{ tracking.url }}",
    });
    const answer = await read<{ inserted: { language: string; text: string; empty: string[] } }>(
      call(requestPage, "action", "/app/inbox/req-ko", { intent: "insertSavedReply", savedReplyId: id! }, "req-ko"),
    );
    expect(answer.inserted.language).toBe("ko");
    expect(answer.inserted.text).toMatch(
      /^Jiwoo님, 주문 #1900이\(가\) 배송 중입니다: https:\/\/inbox-staff\.myshopify\.com\/\S+\?token=\S+$/,
    );
    expect(answer.inserted.empty).toEqual([]);
    // Listed in the reply box's picker.
    const page = await read<{ savedReplies: { id: string; title: string }[] }>(
      call(requestPage, "loader", "/app/inbox/req-ko", undefined, "req-ko"),
    );
    expect(page.savedReplies).toEqual([{ id, title: "Where is my order" }]);
  });

  it("fall back to English for a language without its own, and say which placeholders stayed empty", async () => {
    const { id } = await save({ title: "Thanks", "body.en": "Thanks {{ customer.first_name }} ({{ order.name }})" });
    await t.db.contactRequest.create({
      data: {
        id: "req-ja",
        shop: SHOP,
        number: 500,
        topic: "other",
        name: "Guest",
        locale: "ja",
        lastMessageAt: at(0),
      },
    });
    const answer = await read<{ inserted: { language: string; text: string; empty: string[] } }>(
      call(requestPage, "action", "/app/inbox/req-ja", { intent: "insertSavedReply", savedReplyId: id! }, "req-ja"),
    );
    expect(answer.inserted).toEqual({
      language: "en",
      text: "Thanks  ()",
      empty: ["customer.first_name", "order.name"],
    });
  });

  it("a broken template or an unknown placeholder is a 400 next to its field, and nothing is saved", async () => {
    const count = await t.db.savedReply.count({ where: { shop: SHOP } });
    const broken = await save(
      {
        title: "Broken",
        "body.en": "Hi {{ customer.first_name ",
        "body.ja": "{{ custmer.first_name }}様",
        "body.fa": "{{ order.name | nope }}",
      },
      400,
    );
    expect(broken.problems?.map((p) => p.path)).toEqual(["body.en", "body.ja", "body.fa"]);
    expect(broken.problems?.[0].message).toMatch(/^Reply in English has a template error: .*not closed/);
    expect(broken.problems?.[1].message).toMatch(/uses \{\{ custmer\.first_name \}\}.*\{\{ customer\.first_name \}\}/);
    expect(broken.problems?.[2].message).toMatch(/there is no filter “nope”/);
    const untitled = await save({ title: "", "body.en": "" }, 400);
    expect(untitled.problems?.map((p) => p.message)).toEqual(["Title is required", "Reply in English is required"]);
    expect(await t.db.savedReply.count({ where: { shop: SHOP } })).toBe(count);
  });

  it("are edited and deleted only in their own shop", async () => {
    const { id } = await save({ title: "Old", "body.en": "Old text" });
    await save({ id: id!, title: "New", "body.en": "New text" });
    expect((await t.db.savedReply.findUniqueOrThrow({ where: { id: id! } })).title).toBe("New");
    const theirs = await t.db.savedReply.create({ data: { shop: "other.myshopify.com", title: "Theirs" } });
    await save({ id: theirs.id, title: "Mine now", "body.en": "x" }, 404);
    await read(call(repliesPage, "action", "/app/inbox/replies", { intent: "delete", id: theirs.id }), 404);
    await read(call(repliesPage, "action", "/app/inbox/replies", { intent: "delete", id: id! }));
    expect(await t.db.savedReply.findUnique({ where: { id: id! } })).toBeNull();
    expect((await t.db.savedReply.findUniqueOrThrow({ where: { id: theirs.id } })).title).toBe("Theirs");
  });
});

describe("the acting staff member", () => {
  it("is named by Shopify's token exchange for an online token, once, and kept", async () => {
    const { actingStaff } = await import("../services/staff.server");
    const { sandbox } = testSandbox({ apiKey: "inbox-key", apiSecret: "inbox-secret" });
    const owner = sandbox.shop(TEST_SHOP).staff[0];
    const token = sandbox.mintSessionToken({ shop: TEST_SHOP, userId: owner.id });
    let exchanges = 0;
    const deps = {
      db: t.db,
      apiKey: "inbox-key",
      apiSecret: "inbox-secret",
      now: new Date(),
      fetch: async (url: string, init?: RequestInit) => {
        exchanges++;
        const headers = new Headers(init?.headers);
        headers.set("x-sandbox-shop-domain", new URL(url).hostname);
        return sandbox.handleTokenExchange(new Request(url, { ...init, headers }));
      },
    };
    const request = new Request("https://app.test/app/inbox", { headers: { authorization: `Bearer ${token}` } });
    const auth = { session: { shop: TEST_SHOP }, sessionToken: { sub: String(owner.id) } };
    expect(await actingStaff(deps as never, request, auth)).toEqual({
      userId: String(owner.id),
      name: `${owner.firstName} ${owner.lastName}`,
    });
    expect(await actingStaff(deps as never, request, auth)).toEqual({
      userId: String(owner.id),
      name: `${owner.firstName} ${owner.lastName}`,
    });
    expect(exchanges).toBe(1);
    // A token that does not name this user is not taken for them.
    const stranger = { session: { shop: TEST_SHOP }, sessionToken: { sub: "424242" } };
    expect(await actingStaff(deps as never, request, stranger)).toEqual({ userId: "424242", name: null });
  });
});
