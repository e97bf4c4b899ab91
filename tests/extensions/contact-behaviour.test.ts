/**
 * The Contact block as a shopper uses it: its Liquid rendered, its script running in a DOM, and
 * the app proxy answering as /apps/aftercare/contact does (contactView and submitContact's answers).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Window } from "happy-dom";

import { createStorefrontRenderer } from "../../sandbox/storefront";
import { held, mountBlock, settle, type ProxyAnswer, type ProxyCall } from "../helpers/block-dom";

// The sandbox's renderer, as it fills the __N__-style markers the script replaces (keyword arguments to t).
const renderer = createStorefrontRenderer();
const shop = { domain: "aftercare-test.myshopify.com", name: "Test", currency: "CAD" };
async function render(customer: { id: string; email: string; firstName?: string; lastName?: string } | null = null) {
  const [block] = await renderer.render({ locale: "en", shop, customer, assetBase: "/assets" }, ["contact"]);
  return block.html;
}

/** contactView()'s shape: open, email only, one FAQ, the form taking two topics. */
const view = {
  language: "en",
  timeZone: "America/Toronto",
  open: true,
  nextOpenAt: null,
  channels: [
    { kind: "email", href: "mailto:help@shop.example", display: "help@shop.example", replyMinutes: 120, online: true },
  ],
  faq: [
    {
      category: "Shipping",
      questions: [{ question: "How long does delivery take?", answerHtml: "<p>3 to 5 days.</p>" }],
    },
  ],
  form: { topics: ["order_status", "other"], replyMinutes: 1440 },
};
/** submitContact()'s 201. */
const sent = {
  status: 201,
  body: { reference: "REQ-1042", expectedReplyBy: "2026-03-03T15:00:00.000Z", replyMinutes: 1440 },
};
const couldNotSend = "Your message could not be sent. Please try again.";

const windows: Window[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const window of windows.splice(0)) await window.happyDOM.close();
});

/** The block with its view loaded; `send` answers the form. */
async function mount(send: (call: ProxyCall) => ProxyAnswer | Promise<ProxyAnswer>) {
  const html = await render();
  const page = await mountBlock({
    html,
    script: "contact.js",
    proxy: (call) => (call.method === "GET" ? { status: 200, body: view } : send(call)),
  });
  windows.push(page.window);
  const block = page.document.querySelector("aftercare-contact")!;
  // eslint-disable-next-line @shopify/prefer-module-scope-constants -- `$` is the block's querySelector, not a constant
  const $ = <T extends Element = HTMLElement>(selector: string) => block.querySelector(selector) as unknown as T;
  return { ...page, block, $ };
}

type Page = Awaited<ReturnType<typeof mount>>;

function fillIn(page: Page, fields: Record<string, string>) {
  for (const [name, value] of Object.entries(fields)) page.$<HTMLInputElement>(`[name="${name}"]`).value = value;
}
const valid = {
  name: "Ada",
  email: "ada@example.com",
  order: "#1001",
  topic: "order_status",
  message: "Where is my parcel?",
};

async function submit(page: Page) {
  page.$<HTMLFormElement>("[data-form]").requestSubmit();
  await settle(page.window);
}

describe("Contact block in a browser", () => {
  it("shows the channels and only the topics the shop takes", async () => {
    const page = await mount(() => sent);
    expect(page.calls[0].url.pathname).toBe("/apps/aftercare/contact");
    expect(page.$("[data-availability]").textContent).toBe("We're online now");
    expect(page.$("[data-channels]").textContent).toContain("help@shop.example");
    expect([...page.$<HTMLSelectElement>("[data-topics]").options].map((o) => o.value)).toEqual([
      "order_status",
      "other",
    ]);
    expect(page.$("[data-form-section]").hidden).toBe(false);
  });

  it("sends the form, announces that it is sending, then shows the reference and when to expect a reply", async () => {
    const answer = held<ProxyAnswer>();
    const page = await mount(() => answer.promise);
    fillIn(page, valid);
    await submit(page);

    const status = page.$("[data-status]");
    expect(status.getAttribute("role")).toBe("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    expect(status.textContent).toBe("Sending…");
    expect(page.$<HTMLButtonElement>('button[type="submit"]').disabled).toBe(true);
    const post = page.calls[1];
    expect(post.method).toBe("POST");
    expect(post.url.searchParams.get("locale")).toBe("en");
    expect(post.body).toEqual({ ...valid, website: "" });

    answer.settle(sent);
    await settle(page.window);
    expect(status.textContent).toBe("");
    expect(page.$("[data-form]").hidden).toBe(true);
    const done = page.$("[data-sent]");
    expect(done.hidden).toBe(false);
    expect(done.querySelector("[data-sent-reference]")!.textContent).toBe(
      "Your reference is REQ-1042. We have emailed you a confirmation and will answer there.",
    );
    expect(done.querySelector("[data-sent-reference] bdi[dir=ltr]")!.textContent).toBe("REQ-1042");
    // The shop's time zone, not the test machine's: 15:00 UTC is 10:00 in Toronto.
    expect(done.querySelector("[data-sent-expect]")!.textContent).toMatch(
      /^Expect an answer by Tuesday,? 10:00\sAM\.$/,
    );
    expect(page.document.activeElement).toBe(done);
  });

  it("shows the server's problem with a field next to that field, marks it and puts focus there", async () => {
    const page = await mount((call) =>
      (call.body as Record<string, string>).order === valid.order
        ? sent
        : {
            status: 400,
            body: {
              error: "invalid_request",
              message: "Enter the order number as it appears on your confirmation, like #1001.",
              fields: { orderName: "Enter the order number as it appears on your confirmation, like #1001." },
            },
          },
    );
    // What checkContactMessage refuses: not something the browser checks.
    fillIn(page, { ...valid, order: "10 01" });
    await submit(page);

    const order = page.$<HTMLInputElement>('[name="order"]');
    const note = page.document.getElementById(order.getAttribute("aria-describedby")!)!;
    expect(note.textContent).toBe("Enter the order number as it appears on your confirmation, like #1001.");
    expect(order.getAttribute("aria-invalid")).toBe("true");
    expect(page.document.activeElement).toBe(order);
    expect(page.$("[data-error]").textContent).toBe("");
    expect(page.$("[data-form]").hidden).toBe(false);

    // Fixed and sent again: the field's problem goes away with the answer.
    fillIn(page, valid);
    await submit(page);
    expect(note.textContent).toBe("");
    expect(order.hasAttribute("aria-invalid")).toBe(false);
  });

  it("checks required fields before asking the shop, each message next to its field", async () => {
    const page = await mount(() => sent);
    fillIn(page, { ...valid, name: "", message: "" });
    await submit(page);
    expect(page.calls).toHaveLength(1);
    const name = page.$<HTMLInputElement>('[name="name"]');
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(page.$('[data-field-error="name"]').textContent).not.toBe("");
    expect(page.$('[name="message"]').getAttribute("aria-invalid")).toBe("true");
    expect(page.document.activeElement).toBe(name);
  });

  it("after several messages (429) says to wait, in the block's words, in the alert next to the button", async () => {
    const page = await mount(() => ({
      status: 429,
      body: { error: "rate_limited", message: "You have sent several messages already.", retryAfterSeconds: 1800 },
      headers: { "Retry-After": "1800" },
    }));
    fillIn(page, valid);
    await submit(page);
    const error = page.$("[data-error]");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toBe(
      "You have sent several messages already. Please wait a while before sending another.",
    );
    expect(page.$("[data-form]").hidden).toBe(false);
    expect(page.$<HTMLButtonElement>('button[type="submit"]').disabled).toBe(false);
    expect(page.$("[data-status]").textContent).toBe("");
  });

  it("says the message could not be sent when the network fails or the shop answers with an error page", async () => {
    let answer: () => ProxyAnswer = () => {
      throw new TypeError("Failed to fetch");
    };
    const page = await mount(() => answer());
    fillIn(page, valid);
    await submit(page);
    expect(page.$("[data-error]").textContent).toBe(couldNotSend);

    answer = () => ({ status: 502, text: "<html>Bad gateway</html>" });
    await submit(page);
    expect(page.$("[data-error]").textContent).toBe(couldNotSend);
    expect(page.$("[data-sent]").hidden).toBe(true);
  });

  it("sends the hidden honeypot field as it is: a bot that fills it in is refused, never shown success", async () => {
    const page = await mount((call) =>
      (call.body as Record<string, string>).website
        ? { status: 422, body: { error: "rejected", message: "Your message could not be sent." } }
        : sent,
    );
    const honeypot = page.$<HTMLInputElement>('[name="website"]');
    expect(honeypot.tabIndex).toBe(-1);
    expect(honeypot.closest('[aria-hidden="true"]')).not.toBeNull();
    fillIn(page, { ...valid, website: "https://spam.example" });
    await submit(page);
    expect((page.calls[1].body as Record<string, string>).website).toBe("https://spam.example");
    expect(page.$("[data-error]").textContent).toBe("Your message could not be sent.");
    expect(page.$("[data-sent]").hidden).toBe(true);
  });

  it("gives a send that never answers up after 15 seconds and says so, instead of 'Sending…' forever", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise);
    fillIn(page, valid);
    await submit(page);
    expect(page.$("[data-status]").textContent).toBe("Sending…");

    await vi.advanceTimersByTimeAsync(15_000);
    await settle(page.window);
    expect(page.aborted).toHaveLength(1);
    expect(page.$("[data-status]").textContent).toBe("");
    expect(page.$("[data-error]").textContent).toBe(couldNotSend);
    expect(page.$<HTMLButtonElement>('button[type="submit"]').disabled).toBe(false);
  });

  it("fills in a signed-in shopper's name and email, and sends them unless the shopper changes them", async () => {
    const html = await render({ id: "7", email: "ada@example.com", firstName: "Ada", lastName: "O'Neil <b>" });
    const page = await mountBlock({
      html,
      script: "contact.js",
      proxy: (call) => (call.method === "GET" ? { status: 200, body: view } : { status: 201, body: sent.body }),
    });
    windows.push(page.window);
    const form = page.document.querySelector("[data-form]") as unknown as HTMLFormElement;
    const field = (name: string) => form.querySelector(`[name="${name}"]`) as unknown as HTMLInputElement;
    expect(field("name").value).toBe("Ada O'Neil <b>");
    expect(field("email").value).toBe("ada@example.com");
    expect(html).not.toContain("<b>");
    // A guest's fields start empty.
    expect(await render()).not.toMatch(/name="(name|email)"[^>]*value=/);
  });

  it("says the contact details could not be loaded when loading fails", async () => {
    const html = await render();
    const page = await mountBlock({ html, script: "contact.js", proxy: () => ({ status: 503, text: "unavailable" }) });
    windows.push(page.window);
    expect(page.document.querySelector("[data-status]")!.textContent).toBe(
      "Contact details could not be loaded. Please refresh the page.",
    );
  });

  it("cancels what it asked and stops listening once removed from the page", async () => {
    const never = held<ProxyAnswer>();
    const page = await mount(() => never.promise);
    fillIn(page, valid);
    await submit(page);
    const form = page.$<HTMLFormElement>("[data-form]");
    page.block.remove();
    expect(page.calls[1].signal?.aborted).toBe(true);
    form.dispatchEvent(new page.window.Event("submit", { cancelable: true }) as unknown as Event);
    await settle(page.window);
    expect(page.calls).toHaveLength(2);
  });
});
