/**
 * The Rewards block as a shopper uses it: its Liquid rendered, its script running in a DOM, and
 * the app proxy answering as /apps/aftercare/loyalty does (loyaltyGet and loyaltyPost's answers).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Window } from "happy-dom";

import { createStorefrontRenderer } from "../../sandbox/storefront";
import { held, mountBlock, settle, type ProxyAnswer, type ProxyCall } from "../helpers/block-dom";

// The sandbox's renderer, as it fills the __N__-style markers the script replaces (keyword arguments to t).
const renderer = createStorefrontRenderer();
const shop = { domain: "aftercare-test.myshopify.com", name: "Test", currency: "CAD" };
const member = { id: "501", email: "ada@example.com", firstName: "Ada" };
async function render(customer: typeof member | null) {
  const [block] = await renderer.render({ locale: "en", shop, customer, assetBase: "/assets" }, ["loyalty-widget"]);
  return block.html;
}

/** loyaltySummary()'s shape for a signed-in member with `balance` points to spend. */
const summary = (balance: number, redemptions: { title: string; code: string }[] = []) => ({
  program: {
    currencyName: "points",
    pointsPerUnit: 1,
    currency: "CAD",
    signupBonus: 50,
    birthdayBonus: 0,
    pendingDays: 14,
    tiers: [],
  },
  rewards: [
    {
      id: "r-5",
      kind: "fixed",
      title: "$5 off",
      pointsCost: 500,
      valueMinor: 500,
      percentOff: null,
      minimumOrderMinor: null,
    },
    {
      id: "r-20",
      kind: "fixed",
      title: "$20 off",
      pointsCost: 2000,
      valueMinor: 2000,
      percentOff: null,
      minimumOrderMinor: 5000,
    },
  ],
  member: {
    balance,
    pending: 0,
    unlocks: [],
    tier: null,
    nextTier: null,
    remainingMinor: 0,
    progress: 0,
    expiresAt: null,
    birthdaySaved: true,
    history: [{ kind: "earn", points: 700, at: "2026-03-02T15:00:00.000Z", pendingUntil: null, label: "#1001" }],
    redemptions: redemptions.map((r, i) => ({
      id: `d-${i}`,
      title: r.title,
      kind: "fixed",
      code: r.code,
      checkoutUrl: `/discount/${r.code}?redirect=/cart`,
      at: "2026-03-05T15:00:00.000Z",
    })),
  },
});
/** loyaltyPost()'s 201 for a redeemed reward. */
const redeemed = {
  redemption: {
    redemptionId: "d-0",
    kind: "fixed",
    points: 500,
    code: "AFTER-5OFF",
    valueMinor: 500,
    currency: "CAD",
    checkoutUrl: "/discount/AFTER-5OFF?redirect=/cart",
  },
};
const unavailable = "Rewards are unavailable just now.";

const windows: Window[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const window of windows.splice(0)) await window.happyDOM.close();
});

async function mount(
  proxy: (call: ProxyCall) => ProxyAnswer | Promise<ProxyAnswer>,
  customer: typeof member | null = member,
) {
  const html = await render(customer);
  const page = await mountBlock({ html, script: "loyalty-widget.js", proxy });
  windows.push(page.window);
  const block = page.document.querySelector("aftercare-loyalty")!;
  // eslint-disable-next-line @shopify/prefer-module-scope-constants -- `$` is the block's querySelector, not a constant
  const $ = <T extends Element = HTMLElement>(selector: string) => block.querySelector(selector) as unknown as T;
  const redeem = (title: string) =>
    block.querySelector(`[data-action="redeem"][aria-label="Redeem: ${title}"]`) as unknown as HTMLButtonElement;
  /** The answer in the confirmation the block asks before spending points. */
  const answer = (choice: "confirm" | "cancel") =>
    (block.querySelector(`[data-confirm] [data-action="${choice}"]`) as unknown as HTMLButtonElement).click();
  return { ...page, block, $, redeem, answer };
}

describe("Rewards block in a browser", () => {
  it("loads the shopper's points and the rewards, offering only those they can afford", async () => {
    const page = await mount(() => ({ status: 200, body: summary(700) }));

    expect(page.calls).toHaveLength(1);
    expect(page.calls[0].method).toBe("GET");
    expect(page.calls[0].url.pathname).toBe("/apps/aftercare/loyalty");
    expect(page.calls[0].url.searchParams.get("locale")).toBe("en");
    expect(page.$("[data-status]").textContent).toBe("");
    expect(page.$("[data-member]").hidden).toBe(false);
    expect(page.$('[data-slot="balance"]').textContent).toBe("700");
    expect(page.$('[data-slot="rewards"]').getAttribute("aria-busy")).toBe("false");
    expect(page.redeem("$5 off").disabled).toBe(false);
    expect(page.redeem("$20 off").disabled).toBe(true);
    expect(page.redeem("$20 off").title).toBe("Not enough points yet");
    expect(page.$('[data-slot="history"]').textContent).toContain("#1001");
  });

  it("redeems a reward, shows its code to copy and apply, and reloads the balance", async () => {
    let balance = 700;
    const page = await mount((call) => {
      if (call.method === "GET")
        return { status: 200, body: summary(balance, balance < 700 ? [{ title: "$5 off", code: "AFTER-5OFF" }] : []) };
      balance -= 500;
      return { status: 201, body: redeemed };
    });
    page.redeem("$5 off").click();
    await settle(page.window);
    // Nothing is spent until the shopper confirms the reward and its cost.
    const dialog = page.$<HTMLDialogElement>("[data-confirm]");
    expect(dialog.open).toBe(true);
    expect(dialog.textContent).toContain("Spend 500 points on $5 off?");
    expect(dialog.querySelector("bdi")!.textContent).toBe("$5 off");
    expect(page.calls.map((c) => c.method)).toEqual(["GET"]);
    page.answer("confirm");
    await settle(page.window);
    expect(dialog.open).toBe(false);

    expect(page.calls.map((c) => c.method)).toEqual(["GET", "POST", "GET"]);
    expect(page.calls[1].body).toEqual({ intent: "redeem", rewardId: "r-5" });
    expect(page.$('[data-slot="balance"]').textContent).toBe("200");
    const box = page.$("[data-code]");
    expect(box.hidden).toBe(false);
    expect(box.querySelector('[data-slot="code"]')!.textContent).toBe("AFTER-5OFF");
    expect(box.querySelector<HTMLAnchorElement>('[data-slot="apply"]')!.getAttribute("href")).toBe(
      "/discount/AFTER-5OFF?redirect=/cart",
    );
    expect(page.document.activeElement).toBe(box);
    expect(page.$('[data-slot="codes"]').textContent).toContain("AFTER-5OFF");
    expect(page.redeem("$5 off").disabled).toBe(true);
  });

  it("spends nothing when the shopper cancels the confirmation, and gives the focus back to the reward", async () => {
    const page = await mount((call) => {
      if (call.method === "POST") throw new Error("nothing may be redeemed");
      return { status: 200, body: summary(700) };
    });
    const button = page.redeem("$5 off");
    button.focus();
    button.click();
    await settle(page.window);
    expect(page.$<HTMLDialogElement>("[data-confirm]").open).toBe(true);
    page.answer("cancel");
    await settle(page.window);
    expect(page.$<HTMLDialogElement>("[data-confirm]").open).toBe(false);
    expect(page.calls.map((c) => c.method)).toEqual(["GET"]);
    expect(button.disabled).toBe(false);
    expect(page.document.activeElement).toBe(button);
  });

  it("shows the balance after redeeming even when the first load answers after the reload", async () => {
    const first = held<ProxyAnswer>();
    let loads = 0;
    const page = await mount((call) => {
      if (call.method === "POST") return { status: 201, body: redeemed };
      loads++;
      return loads === 1 ? first.promise : { status: 200, body: summary(200) };
    });
    // The member redeems from rewards already on screen (rendered earlier) while the first load is slow.
    page.$('[data-slot="rewards"]').innerHTML =
      '<li><button type="button" data-action="redeem" data-reward-id="r-5">Redeem</button></li>';
    page.$<HTMLButtonElement>('[data-action="redeem"]').click();
    page.answer("confirm");
    await settle(page.window);
    expect(page.$('[data-slot="balance"]').textContent).toBe("200");

    first.settle({ status: 200, body: summary(700) });
    await settle(page.window);
    expect(page.aborted.map((c) => c.method)).toEqual(["GET"]);
    expect(page.$('[data-slot="balance"]').textContent).toBe("200");
  });

  it("after too many requests (429) says in its own words that rewards are unavailable, not in English", async () => {
    const page = await mount(() => ({
      status: 429,
      body: { error: "rate_limited", message: "Too many requests. Try again in 10 minutes.", retryAfterSeconds: 600 },
      headers: { "Retry-After": "600" },
    }));
    expect(page.$("[data-status]").textContent).toBe(unavailable);
    expect(page.$("[data-member]").hidden).toBe(true);
  });

  it("words a known refusal itself and keeps the server's text for one it has no words for", async () => {
    const page = await mount((call) =>
      call.method === "GET"
        ? { status: 200, body: summary(700) }
        : {
            status: 409,
            body: { error: "not_enough_points", message: "You need 500 points for this reward and have 200 to spend." },
          },
    );
    page.redeem("$5 off").click();
    page.answer("confirm");
    await settle(page.window);
    expect(page.$("[data-status]").textContent).toBe("You need 500 points for this reward and have 200 to spend.");
    expect(page.redeem("$5 off").disabled).toBe(false);

    const off = await mount(() => ({
      status: 403,
      body: { error: "program_off", message: "This shop's rewards program is not running right now." },
    }));
    expect(off.$("[data-status]").textContent).toBe("Rewards aren't available at the moment. Please check back soon.");
  });

  it("says rewards are unavailable when the network fails or the shop answers with a server error page", async () => {
    let answer: () => ProxyAnswer = () => {
      throw new TypeError("Failed to fetch");
    };
    const page = await mount(() => answer());
    expect(page.$("[data-status]").textContent).toBe(unavailable);

    answer = () => ({ status: 502, text: "<html>Bad gateway</html>" });
    const again = await mount(() => answer());
    expect(again.$("[data-status]").textContent).toBe(unavailable);
    // Waiting is over: nothing is left marked busy (screen readers would skip it for good).
    for (const p of [page, again]) expect(p.block.querySelector('[aria-busy="true"]')).toBeNull();
  });

  it("gives a request that never answers up after 15 seconds and says so, instead of loading forever", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise);
    expect(page.$("[data-status]").textContent).toBe("Loading your points…");

    await vi.advanceTimersByTimeAsync(14_999);
    expect(page.aborted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle(page.window);
    expect(page.aborted).toHaveLength(1);
    expect(page.$("[data-status]").textContent).toBe(unavailable);
  });

  it("cancels what it asked and stops listening once removed from the page", async () => {
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise);
    page.$('[data-slot="rewards"]').innerHTML =
      '<li><button type="button" data-action="redeem" data-reward-id="r-5">Redeem</button></li>';
    page.block.remove();
    expect(page.calls).toHaveLength(1);
    expect(page.calls[0].signal?.aborted).toBe(true);
    page.$<HTMLButtonElement>('[data-action="redeem"]').click();
    page.answer("confirm");
    await settle(page.window);
    expect(page.calls).toHaveLength(1);
  });
});
