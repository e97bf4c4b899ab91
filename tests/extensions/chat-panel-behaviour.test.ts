/**
 * The chat panel as a shopper uses it, with its launcher: the embed's Liquid rendered, the launcher
 * and chat.js running in a DOM, the app proxy and the chat endpoints answering as the app does, and
 * a stand-in EventSource the test feeds (decisions 0034, 0040). Messages show in sequence order,
 * each once, whatever arrives first; the typing preview is throttled; a refused stream resumes
 * after the last message shown.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Window } from "happy-dom";

import { createStorefrontRenderer } from "../../sandbox/storefront";
import { held, mountBlock, settle, type ProxyAnswer, type ProxyCall } from "../helpers/block-dom";

const renderer = createStorefrontRenderer();
const shop = { domain: "aftercare-test.myshopify.com", name: "Test", currency: "USD" };

/** A stand-in for the browser's EventSource: the test sends its events. */
class FakeSource {
  static all: FakeSource[] = [];
  readonly CLOSED = 2;
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, ((e: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeSource.all.push(this);
  }

  addEventListener(type: string, listener: (e: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.readyState = 2;
  }

  emit(type: string, data: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) });
  }
}

const windows: Window[] = [];
afterEach(async () => {
  vi.useRealTimers();
  FakeSource.all = [];
  for (const window of windows.splice(0)) await window.happyDOM.close();
});

async function open(post: (call: ProxyCall) => ProxyAnswer | Promise<ProxyAnswer>) {
  const [embed] = await renderer.render({ locale: "en", shop, assetBase: "/assets" }, ["none"], ["chat-launcher"]);
  const tokens: ProxyCall[] = [];
  const page = await mountBlock({
    html: embed.html,
    script: "aftercare-launcher.js",
    proxy: (call) => {
      if (call.url.pathname === "/apps/aftercare/chat") {
        tokens.push(call);
        return {
          status: 200,
          body: {
            token: `token-${tokens.length}`,
            shop: shop.domain,
            visitor: "v".repeat(22),
            endpoint: "https://app.example/chat",
            expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          },
        };
      }
      return post(call);
    },
  });
  windows.push(page.window);
  Object.assign(page.window, { EventSource: FakeSource });
  const { document } = page;
  (document.querySelector("button[data-open]") as unknown as HTMLElement).click();
  await settle(page.window);
  const chat = document.querySelector("aftercare-chat")!;
  const input = chat.querySelector("textarea") as unknown as HTMLTextAreaElement;
  const write = async (text: string) => {
    input.value = text;
    (chat.querySelector("form.aftercare-chat__form") as unknown as HTMLFormElement).requestSubmit();
    await settle(page.window);
  };
  const shown = () =>
    [...chat.querySelectorAll(".aftercare-chat__message")].map((li) => [
      (li as unknown as HTMLElement).dataset.seq ?? "-",
      li.querySelector(".aftercare-chat__text")!.textContent,
      li.querySelector(".aftercare-chat__state")?.textContent ?? "",
    ]);
  return { ...page, chat, input, write, shown, tokens };
}

const bodyOf = (call: ProxyCall) => call.body as { kind: string; text?: string; clientId?: string; upTo?: number };

describe("the chat panel", () => {
  it("shows every message once, in sequence order, whichever of the answer and the stream comes first", async () => {
    const posts: ProxyCall[] = [];
    const second = held<ProxyAnswer>();
    const page = await open((call) => {
      posts.push(call);
      const body = bodyOf(call);
      if (body.kind !== "message") return { status: 200, body: { ok: true } };
      if (body.text === "second") return second.promise;
      return { status: 201, body: { conversationId: "c1", seq: 2, repeated: false } };
    });
    // Nothing is asked of the app until the shopper writes.
    expect(page.tokens).toHaveLength(0);
    await page.write("first");
    expect(page.tokens).toHaveLength(1);
    const first = bodyOf(posts[0]);
    expect(first).toMatchObject({ kind: "message", text: "first", locale: "en", token: "token-1" });
    // The first message started a chat: the stream opens, from the start.
    expect(FakeSource.all).toHaveLength(1);
    const source = FakeSource.all[0];
    expect(new URL(source.url).searchParams.get("after")).toBe("0");

    await page.write("second");
    expect(page.shown()).toEqual([
      ["-", "first", "Sent"],
      ["-", "second", "Sending…"],
    ]);
    source.emit("status", {
      conversationId: "c1",
      status: "open",
      agent: "Sam",
      agentPhotoUrl: null,
      emailKnown: true,
    });
    const hello = { seq: 1, author: "merchant", body: "Hello!", at: "2026-12-06T10:00:00Z", agent: "Sam" };
    source.emit("message", hello);
    const echo = { seq: 2, author: "customer", body: "first", at: "2026-12-06T10:00:01Z", clientId: first.clientId };
    source.emit("message", echo);
    source.emit("message", echo);
    source.emit("message", { seq: 3, author: "merchant", body: "Checking", at: "2026-12-06T10:00:02Z", agent: "Sam" });
    // A message already shown, sent again (a resumed stream never does; the panel would not mind).
    source.emit("message", hello);
    // The agent's messages come before the shopper's send that is still on its way.
    expect(page.shown()).toEqual([
      ["1", "Hello!", ""],
      ["2", "first", "Sent"],
      ["3", "Checking", ""],
      ["-", "second", "Sending…"],
    ]);
    expect(page.chat.querySelector("[data-agent]")!.textContent).toBe("Sam is answering");

    second.settle({ status: 201, body: { conversationId: "c1", seq: 4, repeated: false } });
    await settle(page.window);
    const clientId = bodyOf(posts.find((p) => bodyOf(p).text === "second")!).clientId;
    source.emit("message", { seq: 4, author: "customer", body: "second", at: "2026-12-06T10:00:03Z", clientId });
    source.emit("delivered", { upTo: 4 });
    expect(page.shown()).toEqual([
      ["1", "Hello!", ""],
      ["2", "first", "Seen"],
      ["3", "Checking", ""],
      ["4", "second", "Seen"],
    ]);
    // The panel told the app it showed the agent's messages (a moment after they came).
    await new Promise((resolve) => setTimeout(resolve, 400));
    await settle(page.window);
    expect(
      posts
        .map(bodyOf)
        .filter((b) => b.kind === "delivered")
        .at(-1),
    ).toMatchObject({ upTo: 3 });
  });

  it("says a send failed, with the reason, and sends it again with the same client id", async () => {
    let answer: ProxyAnswer = { status: 429, body: { error: "rate_limited" } };
    const posts: ProxyCall[] = [];
    const page = await open((call) => {
      posts.push(call);
      return answer;
    });
    await page.write("hello");
    expect(page.shown()).toEqual([["-", "hello", "Not sent"]]);
    expect(page.chat.querySelector(".aftercare-chat__meta")!.textContent).toContain(
      "You are sending messages quickly.",
    );
    answer = { status: 201, body: { conversationId: "c1", seq: 1, repeated: false } };
    (page.chat.querySelector("[data-retry]") as unknown as HTMLElement).click();
    await settle(page.window);
    expect(page.shown()).toEqual([["-", "hello", "Sent"]]);
    expect(bodyOf(posts[1]).clientId).toBe(bodyOf(posts[0]).clientId);
  });

  it("relays the draft at most every 1.5 s, the last words always; a refused stream resumes", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    vi.setSystemTime(new Date("2026-12-06T10:00:00Z"));
    const posts: ProxyCall[] = [];
    const page = await open((call) => {
      posts.push(call);
      return { status: 201, body: { conversationId: "c1", seq: 1, repeated: false } };
    });
    await page.write("hi");
    const typing = () => posts.map(bodyOf).filter((b) => b.kind === "typing");
    for (const [text, wait] of [
      ["W", 0],
      ["Wh", 300],
      ["Whe", 300],
      ["Wher", 300],
      ["Where", 1000],
    ] as const) {
      page.input.value = text;
      page.input.dispatchEvent(new page.window.Event("input") as unknown as Event);
      await vi.advanceTimersByTimeAsync(wait);
      await settle(page.window);
    }
    await vi.advanceTimersByTimeAsync(2000);
    await settle(page.window);
    expect(typing().map((b) => b.text)).toEqual(["W", "Where"]);

    const source = FakeSource.all.at(-1)!;
    source.emit("message", { seq: 1, author: "customer", body: "hi", at: "2026-12-06T10:00:00Z" });
    source.emit("message", { seq: 2, author: "merchant", body: "Hello", at: "2026-12-06T10:00:01Z" });
    // The app refuses the stream (an expired token): a new token, then the stream after seq 2.
    source.readyState = 2;
    source.onerror?.();
    expect(page.chat.querySelector("[data-status]")!.textContent).toBe("Connection lost. Reconnecting…");
    await vi.advanceTimersByTimeAsync(2000);
    await settle(page.window);
    const again = FakeSource.all.at(-1)!;
    expect(again).not.toBe(source);
    expect(new URL(again.url).searchParams.get("after")).toBe("2");
    expect(new URL(again.url).searchParams.get("token")).toBe(`token-${page.tokens.length}`);
    expect(page.tokens.length).toBeGreaterThan(1);
  });
});
