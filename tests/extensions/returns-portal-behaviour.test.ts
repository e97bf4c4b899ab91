/**
 * The returns block as a shopper uses it: its Liquid rendered, its script running in a DOM, and
 * the app proxy answering as GET /apps/aftercare/returns does (returnsLookup's answers).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Window } from "happy-dom";

import { themeBlock } from "../helpers/theme-block";
import { held, mountBlock, settle, type ProxyAnswer, type ProxyCall } from "../helpers/block-dom";

const { render } = themeBlock("returns-portal.liquid", { heading: "", show_previous: true });

/** statusView()'s shape: an approved refund of one item. */
const approved = {
  number: 7,
  orderName: "#1001",
  status: "approved",
  resolution: "refund",
  currency: "CAD",
  amounts: { items: 2500, restockingFee: 0, shippingFee: 0, bonus: 0, total: 2500 },
  requestedAt: "2026-03-05T15:00:00.000Z",
  items: [{ title: "Mug", variantTitle: "Blue", quantity: 1, exchangeTitle: null, exchangeState: null }],
  instructions: "Pack the mug well.",
  returnAddress: null,
  declineNote: null,
};
const myOrders = { customer: { orders: [{ name: "#1002", placedAt: "2026-02-01T15:00:00.000Z", token: "t-1002" }] } };

const windows: Window[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const window of windows.splice(0)) await window.happyDOM.close();
});

async function mount(
  proxy: (call: ProxyCall) => ProxyAnswer | Promise<ProxyAnswer>,
  options: { url?: string; customer?: unknown } = {},
) {
  const html = await render("en", { customer: options.customer ?? null });
  const page = await mountBlock({ html, script: "returns-portal.js", url: options.url, proxy });
  windows.push(page.window);
  const block = page.document.querySelector("aftercare-returns-portal")!;
  // eslint-disable-next-line @shopify/prefer-module-scope-constants -- `$` is the block's querySelector, not a constant
  const $ = <T extends Element = HTMLElement>(selector: string) => block.querySelector(selector) as unknown as T;
  return { ...page, block, $ };
}

describe("returns block in a browser", () => {
  it("shows the return of an email's status link to a signed-in shopper and still lists their orders", async () => {
    const link = held<ProxyAnswer>();
    const page = await mount(
      (call) => (call.url.searchParams.has("return") ? link.promise : { status: 200, body: myOrders }),
      {
        url: "https://shop.example/pages/returns?return=from-email",
        customer: { id: 501 },
      },
    );
    expect(page.calls.map((c) => c.url.searchParams.get("return"))).toEqual(["from-email", null]);
    expect(page.$("[data-status]").textContent).toBe("Looking up your order…");

    link.settle({ status: 200, body: { return: approved } });
    await settle(page.window);
    expect(page.aborted).toHaveLength(0);
    expect(page.$("[data-result]").textContent).toContain("Return 7");
    expect(page.$("[data-result]").textContent).toContain("Pack the mug well.");
    expect(page.$("[data-status]").textContent).toBe("");
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
    expect(page.$("[data-mine] button").textContent).toContain("#1002");
  });

  it("says a status link was not found and leaves the order form ready", async () => {
    const page = await mount(
      () => ({ status: 404, body: { error: "not_found", message: "We could not find that return." } }),
      {
        url: "https://shop.example/pages/returns?return=gone",
      },
    );
    expect(page.$("[data-status]").textContent).toBe("We could not find an order with that number and email.");
    expect(page.$("[data-find]").hidden).toBe(false);
    expect(page.document.activeElement).toBe(page.$('[name="order"]'));
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
  });

  it("says to try again, not that the return failed, when the shop answers with a server error", async () => {
    const page = await mount(() => ({ status: 502, text: "Bad gateway" }), {
      url: "https://shop.example/pages/returns?return=x",
    });
    expect(page.$("[data-status]").textContent).toBe(
      "We could not reach the shop. Check your connection and try again.",
    );
  });

  it("cancels what it asked once removed from the page", async () => {
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise, {
      url: "https://shop.example/pages/returns?return=x",
      customer: { id: 501 },
    });
    expect(page.calls).toHaveLength(2);
    page.block.remove();
    expect(page.calls.every((c) => c.signal?.aborted)).toBe(true);
  });

  it("gives a lookup that never answers up after 15 seconds and says the shop could not be reached", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise, { url: "https://shop.example/pages/returns?return=x" });
    expect(page.$("[data-status]").textContent).toBe("Looking up your order…");

    await vi.advanceTimersByTimeAsync(15_000);
    await settle(page.window);
    expect(page.aborted).toHaveLength(1);
    expect(page.$("[data-status]").textContent).toBe(
      "We could not reach the shop. Check your connection and try again.",
    );
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
    expect(page.$("[data-find]").hidden).toBe(false);
  });
});
