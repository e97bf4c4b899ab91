/**
 * The order-tracking block as a shopper uses it: its Liquid rendered, its script running in a DOM,
 * and the app proxy answering as GET /apps/aftercare/tracking does (lookupTracking's answers).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Window } from "happy-dom";

import { themeBlock } from "../helpers/theme-block";
import { held, mountBlock, settle, type ProxyAnswer, type ProxyCall } from "../helpers/block-dom";

const { render } = themeBlock("order-tracking.liquid", {
  heading: "",
  accent_color: "",
  text_color: "",
  show_items: true,
  show_images: true,
  show_scans: true,
  show_estimate: true,
  show_recommendations: true,
  show_contact: false,
});

/** The shape trackingView() answers, for one order with one shipment in transit. */
const view = (name: string) => ({
  order: { name, placedAt: "2026-03-02T15:00:00.000Z", cancelled: false },
  language: "en",
  timeZone: "America/Toronto",
  labels: {},
  branding: { accentColor: null, logoUrl: null },
  shipments: [
    {
      number: 1,
      carrier: { name: "Canada Post", url: null },
      trackingNumber: "CP123",
      trackingUrl: "https://carrier.example/CP123",
      stage: "in_transit",
      steps: [
        { milestone: "ordered", state: "done", at: "2026-03-02T15:00:00.000Z" },
        { milestone: "in_transit", state: "current", at: "2026-03-03T15:00:00.000Z" },
        { milestone: "delivered", state: "upcoming", at: null },
      ],
      problem: null,
      delay: null,
      deliveredAt: null,
      estimate: null,
      items: [{ title: "Mug", variantTitle: "Blue", quantity: 2, imageUrl: null }],
      scans: [],
    },
  ],
  preparing: null,
  recommendations: [],
  contact: null,
});
/** A signed-in customer as Liquid sees them, with customer.orders. */
const signedIn = { id: 501, orders: [{ name: "#1002", created_at: "2026-02-01T15:00:00Z" }] };
const notFound = {
  status: 404,
  body: { error: "not_found", message: "We could not find an order with that number and email." },
};

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
  const page = await mountBlock({ html, script: "order-tracking.js", url: options.url, proxy });
  windows.push(page.window);
  const block = page.document.querySelector("aftercare-order-tracking")!;
  // eslint-disable-next-line @shopify/prefer-module-scope-constants -- `$` is the block's querySelector, not a constant
  const $ = <T extends Element = HTMLElement>(selector: string) => block.querySelector(selector) as unknown as T;
  return { ...page, block, $ };
}

async function submit(page: Awaited<ReturnType<typeof mount>>, order: string, email: string) {
  page.$<HTMLInputElement>('[name="order"]').value = order;
  page.$<HTMLInputElement>('[name="email"]').value = email;
  page.$<HTMLFormElement>("[data-form]").requestSubmit();
  await settle(page.window);
}

describe("order tracking block in a browser", () => {
  it("looks an order up by number and email and shows it, announcing nothing once shown", async () => {
    const page = await mount((call) =>
      call.url.searchParams.get("order") === "#1001" ? { status: 200, body: view("#1001") } : notFound,
    );
    await submit(page, " #1001 ", "ada@example.com");

    expect(page.calls).toHaveLength(1);
    expect(page.calls[0].url.pathname).toBe("/apps/aftercare/tracking");
    expect(Object.fromEntries(page.calls[0].url.searchParams)).toEqual({
      order: "#1001",
      email: "ada@example.com",
      locale: "en",
    });
    expect(page.$("[data-result] h3").textContent).toBe("#1001");
    expect(page.$("[data-result]").textContent).toContain("Mug · Blue");
    expect(page.$<HTMLAnchorElement>('[data-slot="carrier-link"]').href).toBe("https://carrier.example/CP123");
    expect(page.$("[data-form]").hidden).toBe(true);
    expect(page.$("[data-status]").textContent).toBe("");
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
    expect(page.document.activeElement).toBe(page.$("[data-result]"));
  });

  it("shows a delay where the parcel is, never after the steps still to come", async () => {
    const delayed = view("#1001");
    delayed.shipments[0].problem = { kind: "delayed", at: "2026-03-04T15:00:00.000Z", message: null } as never;
    const page = await mount(() => ({ status: 200, body: delayed }));
    await submit(page, "#1001", "ada@example.com");
    const steps = [...page.block.querySelectorAll("[data-result] .aftercare-tracking__step")];
    expect(steps.map((li) => li.className.replace("aftercare-tracking__step aftercare-tracking__step--", ""))).toEqual([
      "done",
      "current",
      "problem",
      "upcoming",
    ]);
    expect(steps[2].previousElementSibling?.getAttribute("aria-current")).toBe("step");
  });

  it("says an order was not found in the live region and puts focus back on the order number", async () => {
    const page = await mount(() => notFound);
    await submit(page, "#9999", "ada@example.com");

    const status = page.$("[data-status]");
    expect(status.getAttribute("role")).toBe("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    expect(status.textContent).toBe("We could not find an order with that number and email. Check both and try again.");
    expect(status.classList.contains("aftercare-tracking__status--error")).toBe(true);
    expect(page.$("[data-form]").hidden).toBe(false);
    expect(page.document.activeElement).toBe(page.$('[name="order"]'));
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
  });

  it("asks for both fields before asking the shop, marking the missing one", async () => {
    const page = await mount(() => notFound);
    await submit(page, "#1001", "");
    expect(page.calls).toHaveLength(0);
    expect(page.$("[data-status]").textContent).toBe(
      "Enter your order number and the email address used for the order.",
    );
    expect(page.$('[name="email"]').getAttribute("aria-invalid")).toBe("true");
    expect(page.document.activeElement).toBe(page.$('[name="email"]'));
  });

  it("after too many attempts (429) says to wait, and a later try goes through", async () => {
    let limited = true;
    const page = await mount(() =>
      limited
        ? {
            status: 429,
            body: { error: "rate_limited", message: "Too many attempts.", retryAfterSeconds: 600 },
            headers: { "Retry-After": "600" },
          }
        : { status: 200, body: view("#1001") },
    );
    await submit(page, "#1001", "ada@example.com");
    expect(page.$("[data-status]").textContent).toBe("Too many attempts. Please wait a few minutes and try again.");
    expect(page.$("[data-form]").hidden).toBe(false);

    limited = false;
    await submit(page, "#1001", "ada@example.com");
    expect(page.$("[data-result] h3").textContent).toBe("#1001");
    expect(page.$("[data-status]").textContent).toBe("");
  });

  const unreachable =
    "says the shop could not be reached when the answer is a server error or the network fails, not 'not found'";
  it(unreachable, async () => {
    let answer: () => ProxyAnswer = () => ({ status: 502, text: "<html>Bad gateway</html>" });
    const page = await mount(() => answer());
    await submit(page, "#1001", "ada@example.com");
    expect(page.$("[data-status]").textContent).toBe(
      "We could not reach the shop. Check your connection and try again.",
    );

    answer = () => {
      throw new TypeError("Failed to fetch");
    };
    await submit(page, "#1001", "ada@example.com");
    expect(page.$("[data-status]").textContent).toBe(
      "We could not reach the shop. Check your connection and try again.",
    );
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
  });

  it("submits from the keyboard: Enter in the email field looks the order up", async () => {
    const page = await mount(() => ({ status: 200, body: view("#1001") }));
    page.$<HTMLInputElement>('[name="order"]').value = "#1001";
    const email = page.$<HTMLInputElement>('[name="email"]');
    email.value = "ada@example.com";
    email.focus();
    // What a browser does on Enter in a form's field: implicit submission through the submit button.
    page.$<HTMLButtonElement>('button[type="submit"]').click();
    await settle(page.window);
    expect(page.calls).toHaveLength(1);
    expect(page.$("[data-result] h3").textContent).toBe("#1001");
  });

  it("opens the order of an email's link for a signed-in shopper beside the orders Liquid listed", async () => {
    const link = held<ProxyAnswer>();
    const page = await mount(() => link.promise, {
      url: "https://shop.example/pages/track?token=from-email",
      customer: signedIn,
    });
    // The list is on the page from the first paint: only the link's lookup asks the shop.
    expect(page.calls.map((c) => c.url.searchParams.get("token"))).toEqual(["from-email"]);
    expect(page.$("[data-status]").textContent).toBe("Looking up your order…");
    expect(page.$("[data-mine] button").textContent).toBe("Track #1002");
    expect(page.$("[data-mine] bdi").getAttribute("dir")).toBe("ltr");
    expect(page.$("[data-mine] time").textContent).toBe("Feb 1, 2026");

    link.settle({ status: 200, body: view("#1001") });
    await settle(page.window);
    expect(page.aborted).toHaveLength(0);
    expect(page.$("[data-result] h3").textContent).toBe("#1001");
    expect(page.$("[data-status]").textContent).toBe("");
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
  });

  it("opens a listed order by name alone, and shows the last one asked when an earlier one answers after", async () => {
    const first = held<ProxyAnswer>();
    const page = await mount(
      (call) => (call.url.searchParams.get("order") === "#1002" ? first.promise : { status: 200, body: view("#1001") }),
      { customer: signedIn },
    );
    page.$("[data-mine] button").click();
    expect(Object.fromEntries(page.calls[0].url.searchParams)).toEqual({ order: "#1002", locale: "en" });
    await submit(page, "#1001", "ada@example.com");
    // The typed lookup answered; the older one is cancelled and could not overwrite it anyway.
    first.settle({ status: 200, body: view("#1002") });
    await settle(page.window);
    expect(page.$("[data-result] h3").textContent).toBe("#1001");
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
  });

  it("tells a signed-in shopper with no orders so, without asking the shop", async () => {
    const page = await mount(() => ({ status: 503, text: "unavailable" }), { customer: { id: 501, orders: [] } });
    expect(page.calls).toHaveLength(0);
    expect(page.$("[data-mine]").textContent).toBe("You have no orders yet.");
  });

  it("an expired link says so and leaves the form ready to type the order instead", async () => {
    const page = await mount(
      () => ({ status: 404, body: { error: "link_expired", message: "This link has expired." } }),
      { url: "https://shop.example/pages/track?token=old" },
    );
    expect(page.$("[data-status]").textContent).toBe(
      "This link has expired. Enter your order number and email instead.",
    );
    expect(page.$("[data-form]").hidden).toBe(false);
    expect(page.document.activeElement).toBe(page.$('[name="order"]'));
  });

  it("lets the shopper look up another order after one is shown", async () => {
    const page = await mount(() => ({ status: 200, body: view("#1001") }));
    await submit(page, "#1001", "ada@example.com");
    page.$('[data-action="again"]').click();
    expect(page.$("[data-result]").children).toHaveLength(0);
    expect(page.$("[data-form]").hidden).toBe(false);
    expect(page.document.activeElement).toBe(page.$('[name="order"]'));
  });

  it("cancels what it asked and stops listening once removed from the page", async () => {
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise, {
      url: "https://shop.example/pages/track?token=t",
      customer: signedIn,
    });
    expect(page.calls).toHaveLength(1);
    const form = page.$<HTMLFormElement>("[data-form]");
    page.block.remove();
    expect(page.calls.every((c) => c.signal?.aborted)).toBe(true);
    page.$<HTMLInputElement>('[name="order"]').value = "#1001";
    page.$<HTMLInputElement>('[name="email"]').value = "ada@example.com";
    form.dispatchEvent(new page.window.Event("submit", { cancelable: true }) as unknown as Event);
    await settle(page.window);
    expect(page.calls).toHaveLength(1);
  });

  it("gives a lookup that never answers up after 15 seconds and says the shop could not be reached", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise);
    await submit(page, "#1001", "ada@example.com");
    expect(page.$("[data-status]").textContent).toBe("Looking up your order…");

    await vi.advanceTimersByTimeAsync(14_999);
    expect(page.aborted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle(page.window);
    expect(page.$("[data-status]").textContent).toBe(
      "We could not reach the shop. Check your connection and try again.",
    );
    expect(page.block.hasAttribute("aria-busy")).toBe(false);
    expect(page.$("[data-form]").hidden).toBe(false);
  });
});
