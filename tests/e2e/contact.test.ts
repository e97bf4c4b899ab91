import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, FrameLocator, Page } from "playwright-core";

import type { Db } from "../../app/db.server";
import { translator } from "../../app/locales/admin";
import { codeLabel } from "../../app/locales/admin/codes";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

// Contact from both sides, in Chromium against the production build and the sandbox: the merchant
// configures channels and the FAQ, a shopper finds the block, searches, writes about an order; the
// merchant sees the order's shipments in the Inbox, replies (a real email through SMTP), closes;
// the survey link from the closing email is answered and the dashboard shows the score.

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined> | T | null | undefined,
  timeoutMs = 40_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!chromiumAvailable())("Contact and the service dashboard, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  let order: { name: string; email: string; shopifyId: string; trackingNumber: string | null };
  const shopper = {
    name: "Mina Rahimi",
    message: "Hello, my parcel has not moved for days. Can you check where it is?",
  };

  beforeAll(async () => {
    demo = await startTestDemo();
    db = openDb(demo.databaseUrl);
    // Generous: the seed's few hundred webhooks take longer on a busy machine.
    await waitForInboxDrained(db, 300_000);
    browser = await launchBrowser();
    // A demo order that has shipped, so the inbox has shipments to show.
    const shipped = await db.fulfillment.findFirst({
      where: { shop: demo.shop, trackingCompany: { not: null } },
      orderBy: { shopifyCreatedAt: "asc" },
    });
    const o = await db.order.findFirstOrThrow({
      where: { shop: demo.shop, shopifyId: shipped!.orderShopifyId, email: { not: null } },
    });
    order = {
      name: o.name,
      email: o.email!,
      shopifyId: o.shopifyId,
      trackingNumber: (JSON.parse(shipped!.trackingNumbers) as string[])[0] ?? null,
    };
  }, 480_000);
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  async function admin(path: string): Promise<{ page: Page; app: FrameLocator }> {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=${path}`);
    return { page, app: page.frameLocator("iframe#app") };
  }

  it("the merchant sets channels, hours and FAQ on the Contact page and saves through the save bar", async () => {
    const { page, app } = await admin("/app/contact");
    await app.getByRole("button", { name: "Add channel" }).waitFor({ timeout: 30_000 });
    // Nothing changed yet: no save bar.
    expect(await page.locator("#savebar").getAttribute("data-open")).not.toBe("true");

    await app.getByRole("button", { name: "Add channel" }).click();
    await app.getByLabel("Address, number or link").nth(0).fill("care@northwind.example");
    await app.getByRole("button", { name: "Add channel" }).click();
    await app.getByLabel("Channel", { exact: true }).nth(1).selectOption("whatsapp");
    await app.getByLabel("Address, number or link").nth(1).fill("+1 416 555 0100");
    await app.getByLabel("Replies within (min)").nth(1).fill("30");
    await app.getByRole("button", { name: "Add channel" }).click();
    await app.getByLabel("Channel", { exact: true }).nth(2).selectOption("phone");
    await app.getByLabel("Address, number or link").nth(2).fill("+1 416 555 0199");
    // Phone is kept but switched off: the storefront must not show it.
    await app.getByLabel("Shown").nth(2).uncheck();

    // Open every day, all day, so the storefront shows the channels online whenever this runs.
    for (const day of ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]) {
      const box = app.getByRole("checkbox", { name: day, exact: true });
      if (!(await box.isChecked())) await box.check();
      await app.getByLabel(`${day} opens`).fill("00:00");
      await app.getByLabel(`${day} closes`).fill("00:00"); // until midnight
    }

    // Answers are typed in the rich-text editor: the parts in odd places are made bold from its toolbar.
    const faq = [
      {
        language: "en",
        category: "Shipping",
        question: "How long does delivery take?",
        answer: ["Most orders arrive in ", "3 to 5 business days", "."],
      },
      {
        language: "en",
        category: "Returns",
        question: "Can I return a sale item?",
        answer: ["Yes, within 30 days."],
      },
      {
        language: "fa",
        category: "ارسال",
        question: "ارسال چقدر طول می‌کشد؟",
        answer: ["بیشتر سفارش‌ها در ۳ تا ۵ روز کاری می‌رسند."],
      },
    ];
    for (const [i, f] of faq.entries()) {
      await app.getByRole("button", { name: "Add question" }).click();
      await app.getByLabel("Language").nth(i).selectOption(f.language);
      await app.getByLabel("Category").nth(i).fill(f.category);
      await app.getByLabel("Question").nth(i).fill(f.question);
      const answer = app.getByRole("textbox", { name: "Answer" }).nth(i);
      const bold = app.getByRole("toolbar", { name: "Formatting" }).nth(i).getByRole("button", { name: "Bold" });
      await answer.click();
      for (const [j, part] of f.answer.entries()) {
        if (j % 2 === 1) await bold.click();
        await answer.pressSequentially(part);
        if (j % 2 === 1) await bold.click();
      }
    }

    // The host's save bar opened for the unsaved changes; saving goes through it.
    await page.locator('#savebar[data-open="true"]').waitFor({ timeout: 10_000 });
    await page.locator("#save").click();
    await page.locator(".toast", { hasText: "Contact settings saved" }).waitFor({ timeout: 15_000 });
    await page.locator('#savebar[data-open="false"]').waitFor({ state: "attached", timeout: 10_000 });

    const stored = JSON.parse((await db.contactSettings.findUniqueOrThrow({ where: { shop: demo.shop } })).settings);
    expect(
      stored.hours.weekly.every((d: { open: string; close: string }) => d.open === "00:00" && d.close === "24:00"),
    ).toBe(true);
    expect(stored.channels.map((c: { kind: string; enabled: boolean }) => `${c.kind}:${c.enabled}`)).toEqual([
      "email:true",
      "whatsapp:true",
      "phone:false",
    ]);
    expect(stored.faq[0].answerHtml).toContain("<strong>3 to 5 business days</strong>");
    expect(stored.faq[0].answerHtml).not.toContain("script");
    // The form now shows what was stored (sanitised).
    await expect(app.getByRole("textbox", { name: "Answer" }).nth(0).innerHTML()).resolves.toContain(
      "<strong>3 to 5 business days</strong>",
    );
    await page.screenshot({ path: screenshotPath("contact-settings"), fullPage: true });
    await page.close();
  });

  it("a shopper sees the channels online, searches the FAQ, and writes about an order (English)", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/store?block=contact&locale=en`);
    const block = page.locator("aftercare-contact");
    await block.locator("[data-channels-section]:not([hidden])").waitFor({ timeout: 15_000 });
    await expect(block.locator("[data-availability]").innerText()).resolves.toBe("We're online now");
    const channels = block.locator(".aftercare-contact__channel");
    expect(await channels.count()).toBe(2); // phone is switched off
    await expect(channels.nth(0).innerText()).resolves.toMatch(/Email[\s\S]*care@northwind\.example/);
    await expect(channels.nth(1).innerText()).resolves.toMatch(/WhatsApp[\s\S]*Usually replies within 30 minutes/);
    expect(await channels.nth(1).locator("a").getAttribute("href")).toBe("https://wa.me/14165550100");

    // FAQ: only this language's questions; the search narrows them and says how many match.
    const questions = block.locator(".aftercare-contact__faq-item");
    expect(await questions.count()).toBe(2);
    await block.locator("[data-faq-search]").fill("deliver");
    await expect(block.locator("[data-faq-status]").innerText()).resolves.toBe("1 matching question");
    await expect(block.locator(".aftercare-contact__faq-item:visible").innerText()).resolves.toContain(
      "3 to 5 business days",
    );
    await block.locator("[data-faq-search]").fill("zzzz");
    await expect(block.locator("[data-faq-status]").innerText()).resolves.toBe(
      "No question matches. Write to us below.",
    );
    await block.locator("[data-faq-search]").fill("");
    // The injected script never reached the page.
    expect(await block.locator(".aftercare-contact__answer script").count()).toBe(0);
    await page.screenshot({ path: screenshotPath("contact-block-en"), fullPage: true });

    await block.getByLabel("Name", { exact: true }).fill(shopper.name);
    await block.getByLabel("Email", { exact: true }).fill(order.email);
    await block.getByLabel("Order number (optional)").fill(order.name);
    await block.getByLabel("Topic", { exact: true }).selectOption("order_status");
    await block.getByLabel("Message", { exact: true }).fill(shopper.message);
    await block.getByRole("button", { name: "Send message" }).click();
    const sent = block.locator("[data-sent]:not([hidden])");
    await sent.waitFor({ timeout: 15_000 });
    // A reference that does not look like an order number, and an email saying the same.
    await expect(sent.innerText()).resolves.toMatch(/Your reference is REQ-\d+\./);
    await expect(sent.innerText()).resolves.toContain("Expect an answer by");
    await page.screenshot({ path: screenshotPath("contact-block-en-sent"), fullPage: true });

    const request = await db.contactRequest.findFirstOrThrow({
      where: { shop: demo.shop, email: order.email.toLowerCase() },
    });
    const ack = await waitFor("the acknowledgement email", () =>
      demo.mails.find(
        (m) =>
          m.to.includes(order.email.toLowerCase()) && m.subject === `We received your message (REQ-${request.number})`,
      ),
    );
    expect(ack.text).toContain(`Your reference: REQ-${request.number}`);
    expect(ack.text).toContain(shopper.message);
    expect(ack.text).not.toMatch(/\bguest\b/i);
    expect(request.orderShopifyId).toBe(order.shopifyId);
    expect(request.topic).toBe("order_status");
    await page.close();
  });

  it("shows the block right-to-left in Persian, offline with when it is back on a holiday", async () => {
    // Close the shop for yesterday, today and tomorrow (UTC dates cover every shop time zone).
    const row = await db.contactSettings.findUniqueOrThrow({ where: { shop: demo.shop } });
    const settings = JSON.parse(row.settings);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await db.contactSettings.update({
      where: { shop: demo.shop },
      data: {
        settings: JSON.stringify({
          ...settings,
          hours: { ...settings.hours, holidays: [-1, 0, 1].map((o) => ({ date: day(o), name: "" })) },
        }),
      },
    });

    const page = await newPage(browser, { locale: "fa-IR" });
    await page.goto(`${demo.sandboxUrl}/store?block=contact&locale=fa`);
    const block = page.locator("aftercare-contact");
    await block.locator("[data-channels-section]:not([hidden])").waitFor({ timeout: 15_000 });
    expect(await block.getAttribute("dir")).toBe("rtl");
    const main = await page.locator("main").innerText();
    expect(main).not.toMatch(/translation missing/i);
    // Persian words, not English fallbacks.
    expect(main).not.toContain("Contact us");
    expect(main).not.toContain("Send message");
    const availability = await block.locator("[data-availability]").innerText();
    // "Back <weekday and time>": the time is filled in, not just the word.
    expect(availability).toMatch(/^بازگشت .+/);
    expect(await block.locator("[data-availability]").getAttribute("data-open")).toBe("false");
    await expect(block.locator(".aftercare-contact__channel").first().innerText()).resolves.not.toMatch(
      /Usually replies/,
    );
    // Only the Persian question.
    expect(await block.locator(".aftercare-contact__faq-item").count()).toBe(1);
    await page.screenshot({ path: screenshotPath("contact-block-fa"), fullPage: true });

    // A signed-in shopper finds their name and email filled in.
    const customer = demo.sandbox.customers(demo.shop)[0];
    await page.goto(`${demo.sandboxUrl}/store?block=contact&locale=fa&customer=${customer.id}`);
    await block.locator("[data-form-section]:not([hidden])").waitFor({ timeout: 15_000 });
    expect(await block.locator('[name="name"]').inputValue()).toBe(`${customer.firstName} ${customer.lastName}`);
    expect(await block.locator('[name="email"]').inputValue()).toBe(customer.email);
    await page.screenshot({ path: screenshotPath("contact-block-fa-signed-in"), fullPage: true });
    await page.close();

    await db.contactSettings.update({ where: { shop: demo.shop }, data: { settings: row.settings } });
  });

  it("the merchant saves a reply for every language, and a broken template is refused next to its field", async () => {
    const { page, app } = await admin("/app/inbox/replies");
    await app.getByLabel("Title").waitFor({ timeout: 30_000 });
    await app.getByLabel("Title").fill("Tracking link");
    await app.getByLabel("Reply in English").fill("You can follow order {{ order.name }} here: {{ tracking.url ");
    await app.getByRole("button", { name: "Save reply" }).click();
    await app.getByText(/Reply in English has a template error/).waitFor({ timeout: 15_000 });
    await app.getByLabel("Reply in English").fill("You can follow order {{ order.name }} here: {{ tracking.url }}");
    await app.getByLabel("Reply in Persian").fill("سفارش {{ order.name }} را اینجا دنبال کنید: {{ tracking.url }}");
    await app.getByRole("button", { name: "Save reply" }).click();
    await page.locator(".toast", { hasText: "Saved reply saved" }).waitFor({ timeout: 15_000 });
    await app.getByRole("heading", { name: "Tracking link" }).waitFor();
    await app.locator("body").evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath("contact-saved-replies"), fullPage: true });
    // Opened again to edit: every language as saved, Persian right to left.
    await app.getByRole("heading", { name: "Tracking link" }).click();
    await app.getByRole("heading", { name: "Edit saved reply" }).waitFor({ timeout: 15_000 });
    await expect(app.getByLabel("Reply in Persian").inputValue()).resolves.toContain("سفارش {{ order.name }}");
    await expect(app.getByLabel("Reply in Persian").getAttribute("dir")).resolves.toBe("auto");
    await page.screenshot({ path: screenshotPath("contact-saved-reply-edit"), fullPage: true });
    await page.close();
  });

  it("the merchant sees the request with the order's shipments, replies by email and closes it", async () => {
    const request = await db.contactRequest.findFirstOrThrow({
      where: { shop: demo.shop, email: order.email.toLowerCase() },
    });
    const { page, app } = await admin("/app/inbox");
    const link = app.getByRole("link", { name: `#${request.number}` });
    await link.waitFor({ timeout: 30_000 });
    await expect(app.locator("table").innerText()).resolves.toContain(order.name);
    await page.screenshot({ path: screenshotPath("contact-inbox-list"), fullPage: true });
    await link.click();

    await app.getByText(shopper.message).waitFor({ timeout: 15_000 });
    await app.getByRole("heading", { name: `Order ${order.name}` }).waitFor();
    await app.getByRole("heading", { name: "Shipments" }).waitFor();
    if (order.trackingNumber) await app.getByText(order.trackingNumber, { exact: false }).first().waitFor();
    const fulfillment = await db.fulfillment.findFirstOrThrow({
      where: { shop: demo.shop, orderShopifyId: order.shopifyId },
    });
    const status = codeLabel(translator("en"), "shipmentStatus", fulfillment.shipmentStatus ?? fulfillment.status);
    await expect(app.locator("body").innerText()).resolves.toContain(status);

    // Assigned to the signed-in staff member, named as Shopify's token exchange names them.
    await app.getByRole("button", { name: "Assign to me" }).click();
    await page.locator(".toast", { hasText: "Assigned" }).waitFor({ timeout: 15_000 });
    await app.getByText(/Sam Owner \(you\)/).waitFor();
    // The list's "Assigned to me" filter now finds it.
    const mine = await admin("/app/inbox?assignee=me");
    await mine.app.getByRole("link", { name: `#${request.number}` }).waitFor({ timeout: 30_000 });
    await mine.page.screenshot({ path: screenshotPath("contact-inbox-assigned-to-me"), fullPage: true });
    await mine.page.close();

    // An internal note: in the thread, marked as such, never mailed.
    const note = "Carrier confirmed a delay at the depot; check again Thursday.";
    await app.getByRole("button", { name: "Internal note" }).click();
    await app.getByLabel("Internal note", { exact: true }).fill(note);
    await app.getByRole("button", { name: "Add note" }).click();
    await page.locator(".toast", { hasText: "Note added" }).waitFor({ timeout: 15_000 });
    await app.getByText(note).waitFor();

    // The reply, with the saved reply inserted and its placeholders filled from the order.
    await app.getByRole("button", { name: "Reply", exact: true }).click();
    const reply = "Hi Mina, your parcel is with the carrier and should arrive by Friday. Sorry for the wait!";
    const box = app.getByLabel(`Reply to ${order.email.toLowerCase()}`);
    await box.fill(reply);
    await app.getByLabel("Saved reply").selectOption({ label: "Tracking link" });
    await expect
      .poll(() => box.inputValue(), { timeout: 15_000 })
      .toContain(`You can follow order ${order.name} here: https://`);
    await app.getByRole("button", { name: "Send reply" }).click();
    await page.locator(".toast", { hasText: "Reply sent" }).waitFor({ timeout: 15_000 });
    await app.getByText(reply, { exact: false }).waitFor();
    await page.screenshot({ path: screenshotPath("contact-inbox-thread"), fullPage: true });

    // The outbox sends it through SMTP; the capture server received a real message.
    const mail = await waitFor("the reply email", () =>
      // The reply itself: the shopper may also have shipping emails that name the same number.
      demo.mails.find(
        (m) =>
          m.to.includes(order.email.toLowerCase()) &&
          m.subject.startsWith("Re: your message to ") &&
          m.subject.includes(`REQ-${request.number}`),
      ),
    );
    expect(mail.subject).toMatch(/^Re: your message to /);
    expect(mail.text).toContain("should arrive by Friday");
    expect(mail.text).toContain(`You can follow order ${order.name} here: https://`);
    expect(demo.mails.some((m) => m.text.includes("delay at the depot"))).toBe(false);

    await app.getByRole("button", { name: "Close request" }).click();
    await page.locator(".toast", { hasText: "Closed; survey sent" }).waitFor({ timeout: 15_000 });
    await app.getByRole("button", { name: "Reopen" }).waitFor();
    const closed = await db.contactRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(closed.status).toBe("closed");
    expect(closed.firstResponseMinutes).not.toBeNull();
    await page.close();

    // The same request with the admin in Japanese: the thread, the note and the tools in Japanese.
    const ja = await newPage(browser);
    await ja.goto(`${demo.sandboxUrl}/admin?locale=ja&path=/app/inbox/${request.id}`);
    const jaApp = ja.frameLocator("iframe#app");
    await jaApp.getByRole("heading", { name: `問い合わせ #${request.number}` }).waitFor({ timeout: 30_000 });
    await jaApp.getByText("社内メモ").first().waitFor();
    await jaApp.getByRole("button", { name: "再開" }).waitFor();
    await ja.screenshot({ path: screenshotPath("contact-inbox-thread-ja"), fullPage: true });
    await ja.close();
  });

  it("the survey link in the closing email is answered in the browser and the dashboard shows it", async () => {
    const mail = await waitFor("the survey email", () =>
      demo.mails.find((m) => m.to.includes(order.email.toLowerCase()) && m.subject.startsWith("How did we do?")),
    );
    const link = mail.text.match(/https:\/\/[^\s"<>]+\/apps\/aftercare\/contact\/survey\?token=[^\s"<>]+/)?.[0];
    expect(link).toBeTruthy();
    // The shop's domain stands for the storefront; the sandbox serves it (and its app proxy).
    const url = new URL(link!.replace(/&amp;/g, "&"));
    expect(url.host).toBe(demo.shop);

    const page = await newPage(browser);
    const opened = await page.goto(`${demo.sandboxUrl}${url.pathname}${url.search}`);
    expect(opened?.status()).toBe(200);
    await page.getByText("How happy are you with the help you got").waitFor({ timeout: 15_000 });
    await page.getByRole("radio", { name: "5" }).check();
    await page.getByLabel(/Anything you would like to tell us/).fill("Quick and kind, thank you.");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("heading", { name: "Thank you" }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: screenshotPath("contact-survey-answered"), fullPage: true });
    await page.close();

    const survey = await db.surveyResponse.findFirstOrThrow({ where: { shop: demo.shop, kind: "csat" } });
    expect(survey.score).toBe(5);

    const { page: dash, app } = await admin("/app");
    const csat = app.locator("#kpi-csat");
    await csat.waitFor({ timeout: 30_000 });
    await expect(csat.innerText()).resolves.toBe("100.0%");
    await expect(app.locator("#kpi-first_response").innerText()).resolves.not.toBe("—");
    // The charts render client-side from polaris-viz: an SVG appears in the frame.
    await app.locator('div[role=img][aria-label^="Requests per day"] svg').first().waitFor({ timeout: 20_000 });
    await dash.waitForTimeout(1000);
    await dash.screenshot({ path: screenshotPath("contact-dashboard"), fullPage: true });
    await dash.close();
  });
});
