/**
 * The returns block as a shopper uses it: its Liquid rendered, its script running in a DOM, and
 * the app proxy answering as GET /apps/aftercare/returns does (returnsLookup's answers).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Window } from "happy-dom";

import { RETURNS_LOOKUP_ON, themeBlock } from "../helpers/theme-block";
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
/** A signed-in customer as Liquid sees them, with customer.orders. */
const signedIn = { id: 501, orders: [{ name: "#1002", created_at: "2026-02-01T15:00:00Z" }] };

const windows: Window[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const window of windows.splice(0)) await window.happyDOM.close();
});

async function mount(
  proxy: (call: ProxyCall) => ProxyAnswer | Promise<ProxyAnswer>,
  options: { url?: string; customer?: unknown; lookup?: boolean } = {},
) {
  const app = options.lookup === false ? undefined : RETURNS_LOOKUP_ON;
  const html = await render("en", { customer: options.customer ?? null, app });
  const page = await mountBlock({ html, script: "returns-portal.js", url: options.url, proxy });
  windows.push(page.window);
  const block = page.document.querySelector("aftercare-returns-portal")!;
  // eslint-disable-next-line @shopify/prefer-module-scope-constants -- `$` is the block's querySelector, not a constant
  const $ = <T extends Element = HTMLElement>(selector: string) => block.querySelector(selector) as unknown as T;
  return { ...page, block, $ };
}

describe("returns block in a browser", () => {
  it("shows the return of an email's status link to a signed-in shopper beside the orders Liquid listed", async () => {
    const link = held<ProxyAnswer>();
    const page = await mount(() => link.promise, {
      url: "https://shop.example/pages/returns?return=from-email",
      customer: signedIn,
    });
    // The list is on the page from the first paint: only the link's lookup asks the shop.
    expect(page.calls.map((c) => c.url.searchParams.get("return"))).toEqual(["from-email"]);
    expect(page.$("[data-status]").textContent).toBe("Looking up your order…");
    expect(page.$("[data-mine] button").textContent).toContain("#1002");
    expect(page.$("[data-mine] time").textContent).toBe("Feb 1, 2026");

    link.settle({ status: 200, body: { return: approved } });
    await settle(page.window);
    expect(page.aborted).toHaveLength(0);
    expect(page.$("[data-result]").textContent).toContain("Return 7");
    expect(page.$("[data-result]").textContent).toContain("Pack the mug well.");
    expect(page.$("[data-status]").textContent).toBe("");
    expect(page.block.hasAttribute("aria-busy")).toBe(false);

    // A listed order opens by its name alone: the app proxy knows the signed-in customer.
    page.$("[data-mine] button").click();
    expect(Object.fromEntries(page.calls[1].url.searchParams)).toEqual({ order: "#1002", locale: "en" });
  });

  it("without the lookup, opens an email's status link, and going back leads to signing in", async () => {
    const page = await mount(() => ({ status: 200, body: { return: approved } }), {
      url: "https://shop.example/pages/returns?return=from-email",
      lookup: false,
    });
    await settle(page.window);
    expect(page.$("[data-find]")).toBeNull();
    expect(page.$("[data-result]").textContent).toContain("Return 7");
    page.$<HTMLButtonElement>('[data-action="again"]').click();
    expect(page.$("[data-result]").textContent).toBe("");
    expect(page.document.activeElement).toBe(page.$("[data-sign-in]"));
    expect(page.calls).toHaveLength(1);
  });

  it("says to sign in when the shop refuses a lookup it no longer offers (a page from before the change)", async () => {
    const page = await mount(() => ({
      status: 403,
      body: { error: "sign_in_required", message: "This shop takes returns in your account." },
    }));
    const form = page.$<HTMLFormElement>("[data-find]");
    (form.elements.namedItem("order") as HTMLInputElement).value = "#1001";
    (form.elements.namedItem("email") as HTMLInputElement).value = "ada@example.com";
    form.requestSubmit();
    await settle(page.window);
    expect(page.$("[data-status]").textContent).toBe(
      "This shop takes returns in your account: sign in with your email to start a return.",
    );
  });

  it("says why nothing can be returned yet instead of offering resolutions, an amount and a button", async () => {
    const line = (id: string, reason: string | null, returnable: number) => ({
      id,
      title: `Item ${id}`,
      variantTitle: null,
      imageUrl: null,
      quantity: 1,
      paidMinor: 2500,
      returnable,
      reason,
      windowEndsAt: "2026-04-01T00:00:00.000Z",
      exchangeVariants: [],
    });
    const view = (lines: ReturnType<typeof line>[]) => ({
      order: { name: "#1001", currency: "CAD" },
      token: "t",
      enabled: true,
      lines,
      reasons: [{ id: "too_small", label: "Too small", requireNote: false }],
      resolutions: [{ id: "refund", bonusPercent: 0 }],
      fees: { restockingPercent: 0, returnShippingMinor: 0, waiveForExchanges: false },
      returns: [],
    });
    let answer = view([line("a", "not_shipped", 0), line("b", "in_transit", 0)]);
    const page = await mount(() => ({ status: 200, body: answer }));
    const find = async () => {
      const form = page.$<HTMLFormElement>("[data-find]");
      (form.elements.namedItem("order") as HTMLInputElement).value = "#1001";
      (form.elements.namedItem("email") as HTMLInputElement).value = "ada@example.com";
      form.requestSubmit();
      await settle(page.window);
    };
    await find();
    const shown = (slot: string) => !page.$(`[data-result] [data-slot="${slot}"]`).hidden;
    expect(page.$('[data-line="a"] [data-slot="availability"]').textContent).toBe(
      "Not shipped yet, so it cannot be returned yet.",
    );
    expect(page.$('[data-line="b"] [data-slot="availability"]').textContent).toBe(
      "On its way to you: it can be returned once it has arrived.",
    );
    expect([shown("resolution-box"), shown("summary"), shown("submit"), shown("nothing")]).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(page.$('[data-slot="nothing"]').textContent).toBe(
      "Nothing in this order can be returned now: each item says why.",
    );
    // One line that can go back: the whole form again.
    page.$<HTMLButtonElement>('[data-action="again"]').click();
    answer = view([line("a", null, 1), line("b", "in_transit", 0)]);
    await find();
    expect([shown("resolution-box"), shown("summary"), shown("submit"), shown("nothing")]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  const payment =
    "shows a dearer exchange awaiting payment with Shopify's page to pay it, then paid, in the list and the card";
  it(payment, async () => {
    const exchange = (payment: object) => ({
      ...approved,
      number: "1001-R1",
      resolution: "exchange_variant",
      amounts: { ...approved.amounts, exchange: 3100, storeCredit: 0 },
      payment,
    });
    const awaiting = exchange({ state: "awaiting", amountMinor: 660, payUrl: "https://shop.example/pay/abc" });
    const view = (returns: object[]) => ({
      order: { name: "#1001", currency: "CAD", tax: "added" },
      token: "t",
      enabled: true,
      lines: [
        {
          id: "a",
          title: "Mug",
          variantTitle: null,
          imageUrl: null,
          quantity: 1,
          paidMinor: 2500,
          returnable: 0,
          reason: "already_returned",
          windowEndsAt: "2026-04-01T00:00:00.000Z",
          exchangeVariants: [],
        },
      ],
      reasons: [{ id: "too_small", label: "Too small", requireNote: false }],
      resolutions: [{ id: "refund", bonusPercent: 0 }],
      fees: { restockingPercent: 0, returnShippingMinor: 0, waiveForExchanges: false },
      returns,
    });
    let answer: object = view([awaiting]);
    const page = await mount(() => ({ status: 200, body: answer }));
    const form = page.$<HTMLFormElement>("[data-find]");
    (form.elements.namedItem("order") as HTMLInputElement).value = "#1001";
    (form.elements.namedItem("email") as HTMLInputElement).value = "ada@example.com";
    form.requestSubmit();
    await settle(page.window);
    const earlier = page.$('[data-slot="previous"] li');
    expect(earlier.textContent).toBe("Return 1001-R1: Approved · Awaiting your payment of CA$6.60 Pay now");
    expect(earlier.querySelector("a")?.getAttribute("href")).toBe("https://shop.example/pay/abc");

    // The email's status link: the same on the return's card; once paid, no link.
    answer = { return: exchange({ state: "paid", amountMinor: 660, payUrl: null }) };
    const card = await mount(() => ({ status: 200, body: answer }), {
      url: "https://shop.example/pages/returns?return=from-email",
    });
    await settle(card.window);
    const amount = card.$('[data-result] [data-slot="amount"]');
    expect(amount.textContent).toMatch(/ · Difference of CA\$6\.60 paid$/);
    expect(amount.querySelector("a")).toBeNull();
  });

  it.each([
    ["added", "The new items cost CA$6.00 more before tax; Shopify's invoice adds the tax."],
    ["included", "The new items cost CA$6.00 more, tax included."],
    ["none", "The new items cost CA$6.00 more."],
  ])("says how Shopify's invoice taxes a dearer exchange's difference (%s)", async (tax, said) => {
    const view = {
      order: { name: "#1001", currency: "CAD", tax },
      token: "t",
      enabled: true,
      lines: [
        {
          id: "a",
          title: "Bottle",
          variantTitle: "500 ml",
          imageUrl: null,
          quantity: 1,
          paidMinor: 3600,
          returnable: 1,
          reason: null,
          windowEndsAt: "2026-04-01T00:00:00.000Z",
          exchangeVariants: [{ id: "v750", title: "750 ml", priceMinor: 4200 }],
        },
      ],
      reasons: [{ id: "changed_mind", label: "Changed my mind", requireNote: false }],
      resolutions: [{ id: "exchange_variant", bonusPercent: 0 }],
      fees: { restockingPercent: 0, returnShippingMinor: 0, waiveForExchanges: true },
      returns: [],
    };
    const page = await mount(() => ({ status: 200, body: view }));
    const form = page.$<HTMLFormElement>("[data-find]");
    (form.elements.namedItem("order") as HTMLInputElement).value = "#1001";
    (form.elements.namedItem("email") as HTMLInputElement).value = "ada@example.com";
    form.requestSubmit();
    await settle(page.window);
    const choose = (selector: string, set: (el: HTMLInputElement & HTMLSelectElement) => void) => {
      const el = page.$<HTMLInputElement & HTMLSelectElement>(selector);
      set(el);
      el.dispatchEvent(new page.window.Event("change", { bubbles: true }) as unknown as Event);
    };
    choose('[data-line="a"] [data-field="pick"]', (el) => (el.checked = true));
    choose('[data-line="a"] [data-field="reason"]', (el) => (el.value = "changed_mind"));
    choose('input[name="resolution"][value="exchange_variant"]', (el) => (el.checked = true));
    choose('[data-line="a"] [data-field="exchange"]', (el) => {
      el.selectedIndex = 1;
      // happy-dom leaves selectedOptions empty; a browser lists the chosen option.
      Object.defineProperty(el, "selectedOptions", { get: () => [el.options[el.selectedIndex]] });
    });
    await settle(page.window);
    expect(page.$("[data-status]").textContent).toBe(
      `${said} Once the shop approves, Shopify emails you ${tax === "added" ? "that invoice" : "an invoice"} to pay ` +
        "the difference; your new items ship once it is paid.",
    );
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
      customer: signedIn,
    });
    expect(page.calls).toHaveLength(1);
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
