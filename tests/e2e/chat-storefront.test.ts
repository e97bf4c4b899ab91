import { createServer, connect, type Server, type Socket } from "node:net";

import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, FrameLocator, Page } from "playwright-core";

import type { Db } from "../../app/db.server";
import { contactReference } from "../../app/domain/contact/reference";
import { getContactSettings, saveContactSettings } from "../../app/models/contact.server";
import { saveAgentPhoto } from "../../app/services/contact/agents.server";
import { saveSavedReply } from "../../app/services/contact/saved-replies.server";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";
import { axeProblems } from "./storefront-quality";

// Live chat from both sides in Chromium (issue 21, decisions 0034 and 0040), against the production
// build and the sandbox: a shopper opens the chat launcher (an app embed) on the storefront, writes;
// an agent in the admin's inbox (another browser context) sees the chat arrive without reloading,
// sees what the shopper types before they send, replies with a saved reply (in the shopper's
// language, its placeholder filled); the shopper sees the agent typing, the reply with the agent's
// name, and their message seen. A reload, and a stream cut while the agent writes, keep the whole
// conversation in order without duplicates; the agent closes the chat, the shopper rates it, and
// the rating counts in the dashboard's chat row. English and Persian, light and dark, axe clean
// with the panel open. With nobody available, the assistant (decision 0041) answers first and
// hands over on a button.

const PANEL = "aftercare-launcher[data-kind=chat] dialog";
const SAVED_REPLY = "Parcel on its way";

const WORDS = {
  en: {
    launcher: "Chat with us",
    first: "Hello, my parcel has not moved since Monday. Can you check it?",
    preview: "It is order 1002",
    second: "It is order #1002, thank you!",
    // The saved reply's body for this language; the test fills the placeholder as the app should.
    reply: "Hi! About {{ request.reference }}: it left our warehouse this morning; the tracking link follows today.",
    replyLanguage: "English",
    whileAway: "One more thing: it should arrive by Friday.",
    sent: "Sent",
    seen: "Seen",
    typing: "is typing",
    ended: "This chat has ended.",
    badEmail: "Enter an email address such as name@example.com.",
    emailSaved: "Replies will also reach you by email.",
    comment: "Quick and kind, thanks.",
    thanks: "Thank you for your rating.",
  },
  fa: {
    launcher: "گفتگو با ما",
    first: "سلام، بستهٔ من از دوشنبه تکان نخورده است. می‌شود بررسی کنید؟",
    preview: "سفارش ۱۰۰۲ است",
    second: "سفارش #1002 است، ممنون!",
    reply: "سلام! دربارهٔ {{ request.reference }}: امروز صبح از انبار ارسال شد و کد رهگیری امروز برایتان می‌آید.",
    replyLanguage: "Persian",
    whileAway: "یک نکتهٔ دیگر: تا جمعه می‌رسد.",
    sent: "ارسال شد",
    seen: "دیده شد",
    typing: "در حال نوشتن است",
    ended: "این گفتگو پایان یافته است.",
    badEmail: "یک نشانی ایمیل مانند name@example.com وارد کنید.",
    emailSaved: "پاسخ‌ها با ایمیل هم برایتان فرستاده می‌شود.",
    comment: "سریع و مهربان، ممنون.",
    thanks: "از امتیاز شما سپاسگزاریم.",
  },
} as const;

/**
 * A TCP relay in front of the app for the shopper's chat connections, so a test can cut them as a
 * network would: `cut()` drops every open connection and refuses new ones until `restore()`.
 */
async function cuttableRelay(target: URL) {
  const open = new Set<Socket>();
  /** The Last-Event-ID each stream request carried, as the app received it ("" for none). */
  const resumedAfter: string[] = [];
  let down = false;
  const server: Server = createServer((socket) => {
    if (down) return socket.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [socket, upstream]) {
      open.add(s);
      s.on("error", () => s.destroy());
      s.on("close", () => open.delete(s));
    }
    socket.once("data", (head) => {
      const text = head.toString("latin1");
      if (text.startsWith("GET /chat/stream")) resumedAfter.push(/^last-event-id: *(\S*)/im.exec(text)?.[1] ?? "");
    });
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    resumedAfter,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!chromiumAvailable())("live chat on the storefront with an agent in the inbox", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    demo = await startTestDemo(6);
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db, 300_000);
    browser = await launchBrowser();
    // Whether the assistant answers depends on the hour and on who is available; the agent's
    // conversations run without it, the last test turns it on again.
    await setAssistant(false);
    // The demo has no saved replies: the agent picks this one in the inbox.
    const saved = await saveSavedReply(db, demo.shop, {
      title: SAVED_REPLY,
      bodies: { en: WORDS.en.reply, fa: WORDS.fa.reply },
    });
    expect(saved.ok).toBe(true);
  }, 480_000);
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  async function setAssistant(enabled: boolean) {
    const settings = await getContactSettings(db, demo.shop);
    await saveContactSettings(db, demo.shop, { ...settings, assistant: { enabled } });
  }

  /** The shopper's page: only the chat embed, in `locale`, light or dark. */
  async function storefront(page: Page, locale: string, scheme: "light" | "dark" = "light") {
    await page.goto(`${demo.sandboxUrl}/store?block=none&embed=chat-launcher&locale=${locale}&scheme=${scheme}`);
    await page.locator("aftercare-launcher[data-kind=chat] button[data-open]").waitFor();
  }

  /**
   * The dashboard (the admin's home, last 30 days) as the merchant opens it, and its "Service by
   * channel" card's chat row as shown: conversations started, median first response, CSAT.
   */
  async function dashboardChatRow(page: Page) {
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app")}&locale=en`);
    const app = page.frameLocator("iframe#app");
    const row = app.locator("#service-by-channel tbody tr").filter({ hasText: "Chat" });
    await row.waitFor({ timeout: 30_000 });
    const [channel, started, firstResponse, csat] = await row.locator("th, td").allInnerTexts();
    expect(channel).toBe("Chat");
    return {
      card: app.locator("#service-by-channel").locator("xpath=../.."),
      started: Number(started.replace(/,/g, "")),
      firstResponse,
      csat,
      answers: Number(/\(n = (\d+)\)/.exec(csat)?.[1] ?? 0),
    };
  }

  /** The texts of the panel's messages, in the order shown, with their sequence numbers. */
  const shown = (page: Page) =>
    page.$$eval(`${PANEL} .aftercare-chat__message`, (items) =>
      items.map((li) => ({
        seq: Number((li as HTMLElement).dataset.seq),
        author: (li as HTMLElement).dataset.author,
        text: li.querySelector(".aftercare-chat__text")?.textContent ?? "",
      })),
    );

  it.each(["en", "fa"] as const)(
    "%s: shopper and agent talk live, nothing lost or repeated; the rating counts on the dashboard",
    async (locale) => {
      const w = WORDS[locale];
      const shopper = await newPage(browser, { locale: locale === "fa" ? "fa-IR" : "en-US" });
      // The shopper's chat connections go through a relay the test can cut (the app proxy's
      // answer names the relay as the chat's address).
      const relay = await cuttableRelay(new URL(demo.appUrl));
      await shopper.context().route("**/apps/aftercare/chat?*", async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        body.endpoint = `${relay.origin}/chat`;
        await route.fulfill({ response, json: body });
      });
      const scripts: string[] = [];
      const toApp: string[] = [];
      shopper.on("request", (r) => {
        const url = new URL(r.url());
        if (url.pathname.startsWith("/store/assets/") && url.pathname.endsWith(".js"))
          scripts.push(url.pathname.split("/").pop()!);
        if (url.pathname.startsWith("/apps/aftercare") || url.pathname.startsWith("/chat/")) toApp.push(url.pathname);
      });
      // The merchant's dashboard before the shopper writes: its chat row, to find this chat and its
      // rating counted in at the end.
      const agent = await newPage(browser);
      const boardBefore = await dashboardChatRow(agent);

      await storefront(shopper, locale);

      // The launcher: fixed at the inline end (nothing on the page moves), its script alone loaded,
      // nothing asked of the app before the shopper opens it.
      const launcher = shopper.locator("aftercare-launcher[data-kind=chat] button[data-open]");
      await expect(launcher.textContent()).resolves.toContain(w.launcher);
      const box = await shopper.locator("aftercare-launcher[data-kind=chat]").evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { position: getComputedStyle(el).position, left: r.left, right: innerWidth - r.right };
      });
      expect(box.position).toBe("fixed");
      if (locale === "fa") expect(box.left).toBeLessThan(box.right);
      else expect(box.right).toBeLessThan(box.left);
      expect(scripts).toEqual(["aftercare-launcher.js"]);
      expect(toApp).toEqual([]);
      await shopper.screenshot({ path: screenshotPath(`chat-launcher-${locale}`) });

      // Opening: a modal dialog, the chat's script loads, the focus is in the message field.
      await launcher.click();
      const dialog = shopper.getByRole("dialog");
      await dialog.locator("aftercare-chat:defined").waitFor();
      expect(scripts).toEqual(["aftercare-launcher.js", "chat.js"]);
      await expect(
        shopper.evaluate(() => (document.activeElement as HTMLElement | null)?.matches("aftercare-chat textarea")),
      ).resolves.toBe(true);
      await expect(dialog.locator("aftercare-chat").getAttribute("dir")).resolves.toBe(locale === "fa" ? "rtl" : "ltr");

      // The shopper writes; Enter sends. The message is shown at once, then sent.
      await shopper.keyboard.type(w.first);
      await shopper.keyboard.press("Enter");
      const mine = dialog.locator(".aftercare-chat__message[data-author=customer]").first();
      await mine.locator(".aftercare-chat__text", { hasText: w.first }).waitFor();
      await mine.locator(".aftercare-chat__state", { hasText: w.sent }).waitFor({ timeout: 15_000 });
      const chat = await db.contactRequest.findFirstOrThrow({
        where: { shop: demo.shop, channel: "chat", messages: { some: { body: w.first } } },
      });
      expect(chat.locale).toBe(locale);

      // A guest is asked where a late answer should go: a wrong address is refused in the page's
      // words, a right one is kept on the chat.
      const email = dialog.locator("form[data-email]");
      await email.waitFor({ timeout: 15_000 });
      await email.locator("input").fill("mina@");
      await email.getByRole("button").click();
      await expect
        .poll(() => email.locator("input").evaluate((i: HTMLInputElement) => i.validationMessage), { timeout: 15_000 })
        .toBe(w.badEmail);
      await email.locator("input").fill("mina@example.com");
      await email.getByRole("button").click();
      await dialog.locator("[data-status]", { hasText: w.emailSaved }).waitFor({ timeout: 15_000 });
      await expect(email.isHidden()).resolves.toBe(true);
      await expect
        .poll(async () => (await db.contactRequest.findUniqueOrThrow({ where: { id: chat.id } })).email)
        .toBe("mina@example.com");

      // The agent, in the admin (another context): the inbox lists the chat first, then its page.
      await agent.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app/inbox")}&locale=en`);
      const app: FrameLocator = agent.frameLocator("iframe#app");
      await app
        .getByRole("link", { name: `#${chat.number}` })
        .first()
        .waitFor({ timeout: 30_000 });
      await app.getByText(w.first).first().waitFor();
      await app
        .getByRole("link", { name: `#${chat.number}` })
        .first()
        .click();
      await app.getByText(w.first).first().waitFor({ timeout: 30_000 });
      const reply = app.getByLabel("Reply in the chat");
      await reply.waitFor();

      // Opening the chat marks the shopper's message seen; what the shopper types reaches the agent
      // before they send it (throttled; the last words always arrive).
      await mine.locator(".aftercare-chat__state", { hasText: w.seen }).waitFor({ timeout: 15_000 });
      await shopper.locator("aftercare-chat textarea").pressSequentially(w.preview, { delay: 20 });
      await app.getByText(`Typing: ${w.preview}`).waitFor({ timeout: 15_000 });
      await shopper.keyboard.press("Enter");
      await dialog.locator(".aftercare-chat__text", { hasText: w.preview }).waitFor();

      // The agent types (the shopper sees who), then sends.
      await reply.pressSequentially(w.reply.slice(0, 12), { delay: 10 });
      const typing = dialog.locator(".aftercare-chat__typing");
      await typing.filter({ hasText: w.typing }).waitFor({ timeout: 15_000 });
      // The name is isolated, so a Latin name reads right in a Persian sentence.
      await expect(typing.locator("bdi").count()).resolves.toBe(1);
      // The agent answers with a saved reply: picked from the inbox's list, written out in the
      // shopper's language with the request's reference filled in, then sent.
      const replyText = w.reply.replace("{{ request.reference }}", contactReference(chat.number));
      await reply.fill("");
      await app.getByLabel("Saved reply", { exact: true }).selectOption({ label: SAVED_REPLY });
      await expect.poll(() => reply.inputValue(), { timeout: 15_000 }).toBe(replyText);
      await app.getByText(`Saved reply inserted in ${w.replyLanguage}. Check it before sending.`).waitFor();
      await app.getByRole("button", { name: "Send reply" }).click();
      const theirs = dialog.locator(".aftercare-chat__message[data-author=merchant]");
      await theirs.locator(".aftercare-chat__text", { hasText: replyText }).waitFor({ timeout: 15_000 });
      const agentName = (await theirs.locator(".aftercare-chat__who").textContent())?.trim() ?? "";
      expect(agentName.length).toBeGreaterThan(0);

      // The agent adds a photo (as on the inbox's agent page): from now on it is beside their name.
      const replied = await db.contactMessage.findFirstOrThrow({ where: { requestId: chat.id, author: "merchant" } });
      const png = await sharp({ create: { width: 320, height: 320, channels: 3, background: "#b5476a" } })
        .png()
        .toBuffer();
      await saveAgentPhoto(
        db,
        demo.shop,
        replied.staffUserId!,
        { type: "image/png", size: png.length, bytes: async () => new Uint8Array(png).buffer },
        new Date(),
      );

      const before = await shown(shopper);
      expect(before.map((m) => [m.author, m.text])).toEqual([
        ["customer", w.first],
        ["customer", w.preview],
        ["merchant", replyText],
      ]);
      expect(before.map((m) => m.seq)).toEqual([1, 2, 3]);

      expect(await axeProblems(shopper, PANEL)).toEqual([]);
      await shopper.screenshot({ path: screenshotPath(`chat-panel-${locale}-light`) });

      // A cut connection: the shopper's stream drops while the agent writes; the panel says it is
      // reconnecting, the EventSource reconnects with Last-Event-ID 3, and the message arrives once.
      const streamsBefore = relay.resumedAfter.length;
      relay.cut();
      await dialog.locator("[data-status]").filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
      await reply.fill(w.whileAway);
      await app.getByRole("button", { name: "Send reply" }).click();
      await app.getByText(w.whileAway).first().waitFor({ timeout: 15_000 });
      relay.restore();
      await dialog.locator(".aftercare-chat__text", { hasText: w.whileAway }).waitFor({ timeout: 30_000 });
      expect(relay.resumedAfter.slice(streamsBefore)).toContain("3");
      await expect(dialog.locator("[data-status]").textContent()).resolves.toBe("");

      // The shopper writes once more and reloads, in the dark scheme: the same conversation, in
      // order, each message once (the visitor id is kept in localStorage).
      await shopper.locator("aftercare-chat textarea").fill(w.second);
      await shopper.keyboard.press("Enter");
      await dialog.locator(".aftercare-chat__message[data-seq='5']").waitFor({ timeout: 15_000 });
      const expected = [
        ["customer", w.first],
        ["customer", w.preview],
        ["merchant", replyText],
        ["merchant", w.whileAway],
        ["customer", w.second],
      ];
      await expect(shown(shopper).then((list) => list.map((m) => [m.author, m.text]))).resolves.toEqual(expected);

      await storefront(shopper, locale, "dark");
      await launcher.click();
      await dialog.locator(".aftercare-chat__message[data-seq='5']").waitFor({ timeout: 15_000 });
      await shopper.waitForTimeout(500);
      const after = await shown(shopper);
      expect(after.map((m) => [m.author, m.text])).toEqual(expected);
      expect(after.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      // The agent's photo, from the app, decorative beside the name.
      const photo = dialog.locator(".aftercare-chat__message[data-author=merchant] img.aftercare-chat__photo").first();
      await expect
        .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 })
        .toBe(256);
      await expect(photo.getAttribute("alt")).resolves.toBe("");
      // After a reload the shopper's messages keep their state; times are in the shopper's digits.
      await dialog
        .locator(".aftercare-chat__message[data-seq='1'] .aftercare-chat__state", { hasText: w.seen })
        .waitFor();
      const time = (await dialog.locator(".aftercare-chat__message time").first().textContent()) ?? "";
      expect(/[۰-۹]/.test(time)).toBe(locale === "fa");
      expect(await axeProblems(shopper, PANEL)).toEqual([]);
      await shopper.screenshot({ path: screenshotPath(`chat-panel-${locale}-dark`) });

      // Escape closes it and the focus is back on the launcher.
      await shopper.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      await expect(
        shopper.evaluate(() => document.activeElement?.closest("aftercare-launcher[data-kind=chat]") !== null),
      ).resolves.toBe(true);

      // The agent closes the chat: the shopper is told, and rates it (1 to 5 and a comment).
      await app.getByRole("button", { name: "Close request" }).click();
      await launcher.click();
      const rating = dialog.locator("form.aftercare-chat__rating");
      await rating.waitFor({ timeout: 15_000 });
      await expect(dialog.locator(".aftercare-chat__notice").textContent()).resolves.toContain(w.ended);
      await rating.getByRole("radio").nth(3).check();
      await rating.locator("textarea").fill(w.comment);
      expect(await axeProblems(shopper, PANEL)).toEqual([]);
      await shopper.screenshot({ path: screenshotPath(`chat-rating-${locale}-dark`) });
      await rating.getByRole("button").click();
      await dialog.getByText(w.thanks).waitFor({ timeout: 15_000 });
      const survey = await db.surveyResponse.findFirstOrThrow({ where: { shop: demo.shop, subjectId: chat.id } });
      expect([survey.score, survey.comment, survey.channel]).toEqual([4, w.comment, "chat"]);
      await shopper.keyboard.press("Escape");

      // The merchant opens the dashboard: the chat row counts this chat and its rating (CSAT is the
      // share of 4 and 5 among the chats' ratings, as stored).
      const board = await dashboardChatRow(agent);
      expect(board.started).toBe(boardBefore.started + 1);
      expect(board.answers).toBe(boardBefore.answers + 1);
      const chatScores = await db.surveyResponse.findMany({
        where: { shop: demo.shop, kind: "csat", channel: "chat", score: { not: null } },
        select: { score: true },
      });
      const satisfied = chatScores.filter((r) => r.score! >= 4).length;
      const share = new Intl.NumberFormat("en", {
        style: "percent",
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(satisfied / chatScores.length);
      expect(board.csat).toBe(`${share} (n = ${chatScores.length})`);
      expect(board.firstResponse).toMatch(/^\d+ min$/);
      await board.card.screenshot({ path: screenshotPath(`admin-dashboard-chat-rating-${locale}`) });

      // Nothing was stored twice.
      const stored = await db.contactMessage.findMany({
        where: { shop: demo.shop, requestId: chat.id, author: { in: ["customer", "merchant"] } },
        orderBy: { seq: "asc" },
      });
      expect(stored.map((m) => m.body)).toEqual(expected.map(([, text]) => text));
      await Promise.all([shopper.context().close(), agent.context().close()]);
      await relay.close();
    },
    240_000,
  );

  it("'Chat with us' in the Contact block: a failed send says so and is stored once on retry", async () => {
    // On a phone: the chat takes the whole screen.
    const shopper = await newPage(browser, { width: 390, height: 844 });
    const context: BrowserContext = shopper.context();
    await shopper.goto(`${demo.sandboxUrl}/store?block=contact&locale=en`);
    const button = shopper.locator("aftercare-contact aftercare-launcher button[data-open]");
    await button.waitFor();
    await expect(button.textContent()).resolves.toBe("Chat with us");
    await button.click();
    const dialog = shopper.getByRole("dialog");
    await dialog.locator("aftercare-chat:defined").waitFor({ timeout: 15_000 });
    await expect(
      dialog.evaluate((d) => {
        const r = d.getBoundingClientRect();
        return [r.left, r.top, r.width, r.height];
      }),
    ).resolves.toEqual([0, 0, 390, 844]);

    // The app cannot be reached: the message says it was not sent, with a retry.
    await context.route("**/chat/messages**", (route) => route.abort());
    await shopper.locator("aftercare-chat textarea").fill("Do you ship to Norway?");
    await shopper.keyboard.press("Enter");
    const mine = dialog.locator(".aftercare-chat__message[data-author=customer]");
    await mine.locator(".aftercare-chat__state", { hasText: "Not sent" }).waitFor({ timeout: 15_000 });
    expect(await axeProblems(shopper, "aftercare-contact aftercare-launcher dialog")).toEqual([]);
    await context.unroute("**/chat/messages**");
    await mine.getByRole("button", { name: "Try again" }).click();
    await mine.locator(".aftercare-chat__state", { hasText: "Sent" }).waitFor({ timeout: 15_000 });
    await mine.and(shopper.locator("[data-seq='1']")).waitFor({ timeout: 15_000 });
    await expect(mine.count()).resolves.toBe(1);
    await expect(db.contactMessage.count({ where: { shop: demo.shop, body: "Do you ship to Norway?" } })).resolves.toBe(
      1,
    );
    await shopper.screenshot({ path: screenshotPath("chat-contact-block-en-mobile") });

    // Nobody is available: the assistant answers the next message first, with its buttons;
    // "Talk to a person" is sent as the shopper's words and the assistant says who will answer.
    await setAssistant(true);
    await shopper.locator("aftercare-chat textarea").fill("Can I pay with a gift card?");
    await shopper.keyboard.press("Enter");
    const assistant = dialog.locator(".aftercare-chat__message[data-author=assistant]");
    await assistant.first().waitFor({ timeout: 15_000 });
    await expect(assistant.first().locator(".aftercare-chat__who").textContent()).resolves.toBe("Assistant");
    const human = assistant.first().getByRole("button", { name: "Talk to a person" });
    await human.waitFor();
    expect(await axeProblems(shopper, "aftercare-contact aftercare-launcher dialog")).toEqual([]);
    await shopper.screenshot({ path: screenshotPath("chat-assistant-en-mobile") });

    // "Where is my order?": the assistant asks for the number and email in a small form, checked by
    // the page first; a wrong email finds nothing (the tracking lookup's own protection).
    await assistant.first().getByRole("button", { name: "Where is my order?" }).click();
    await expect.poll(() => assistant.count(), { timeout: 15_000 }).toBe(2);
    const ask = assistant.nth(1).locator("form[data-ask]");
    await ask.getByRole("button").click();
    await expect(shopper.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).resolves.toBe(
      "order",
    );
    const order = await db.order.findFirstOrThrow({ where: { shop: demo.shop }, orderBy: { name: "asc" } });
    await ask.getByLabel("Order number").fill(order.name);
    await ask.getByLabel("Email").fill("nobody@example.com");
    await ask.getByRole("button").click();
    await expect.poll(() => assistant.count(), { timeout: 15_000 }).toBe(3);
    await expect(assistant.nth(2).locator(".aftercare-chat__text").textContent()).resolves.not.toContain(
      order.email ?? "@",
    );
    expect(await axeProblems(shopper, "aftercare-contact aftercare-launcher dialog")).toEqual([]);

    await human.click();
    await dialog
      .locator(".aftercare-chat__message[data-author=customer] .aftercare-chat__text", { hasText: "Talk to a person" })
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => assistant.count(), { timeout: 15_000 }).toBe(4);
    const chat = await db.contactRequest.findFirstOrThrow({
      where: { shop: demo.shop, messages: { some: { body: "Do you ship to Norway?" } } },
    });
    expect(chat.handedOverAt).not.toBeNull();
    expect(chat.status).toBe("open");
    await setAssistant(false);
    await context.close();
  }, 120_000);
});
