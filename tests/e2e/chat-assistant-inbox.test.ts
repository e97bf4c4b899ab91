import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";
import type { AssistantPayload } from "../../app/domain/contact/assistant";
import { memoryChatBus } from "../../app/services/contact/chat-bus.server";
import { sendShopperMessageWithAssistant } from "../../app/services/contact/chat-assistant.server";
import { updateContactSettings } from "../../app/services/contact/settings.server";
import { DEMO_CONTACT } from "../../sandbox/seed-program";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

// The chat assistant's handover as agents see it (decision 0041), in the production build inside
// the admin frame, in English and Japanese: a shopper asked a FAQ question on a Sunday, got the
// demo FAQ's answer, pressed "Talk to a person"; the inbox thread shows the whole conversation,
// the assistant's messages labelled as such, and the chat marked as asking for a person.

const SUNDAY = new Date("2026-12-06T15:00:00Z");

describe.skipIf(!chromiumAvailable())("the chat assistant's handover in the inbox, in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  let conversationId: string;

  beforeAll(async () => {
    demo = await startTestDemo(10);
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db, 300_000);
    const saved = await updateContactSettings(db, demo.shop, DEMO_CONTACT);
    expect(saved.ok).toBe(true);
    const deps = { db, secret: demo.apiSecret, now: SUNDAY, bus: memoryChatBus() };
    const shopper = { shop: demo.shop, visitor: "assistant-e2e-visitor-0001abcdef", customerId: null };
    const asked = await sendShopperMessageWithAssistant(deps, shopper, {
      text: "How long does delivery take?",
      clientId: "q-1",
      locale: "en",
      clientIp: "203.0.113.5",
    });
    conversationId = asked.conversationId;
    const answer = await db.contactMessage.findFirstOrThrow({
      where: { requestId: conversationId, author: "assistant" },
    });
    expect((JSON.parse(answer.payload!) as AssistantPayload).faq?.[0].id).toBe("demo-en-1");
    await sendShopperMessageWithAssistant(deps, shopper, {
      text: null,
      clientId: "q-2",
      locale: "en",
      clientIp: "203.0.113.5",
      action: { action: "human" },
    });
    browser = await launchBrowser();
  }, 480_000);
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  it("shows the conversation with the assistant's answers and the handover, in English and Japanese", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/inbox/${conversationId}`);
    const app = page.frameLocator("iframe#app");
    await app.getByText("Asked for a person").waitFor({ timeout: 30_000 });
    await app.getByText("3 to 5 business days in Canada and the US.", { exact: false }).waitFor();
    await app.getByText("I've passed your conversation to our team.", { exact: false }).waitFor();
    expect(await app.getByText(/^Assistant ·/).count()).toBe(2);
    await page.screenshot({ path: screenshotPath("chat-assistant-inbox-thread"), fullPage: true });

    const ja = await newPage(browser);
    await ja.goto(`${demo.sandboxUrl}/admin?locale=ja&path=/app/inbox/${conversationId}`);
    const jaApp = ja.frameLocator("iframe#app");
    await jaApp.getByText("担当者を希望").waitFor({ timeout: 30_000 });
    expect(await jaApp.getByText(/^アシスタント ·/).count()).toBe(2);
    await ja.screenshot({ path: screenshotPath("chat-assistant-inbox-thread-ja"), fullPage: true });
  }, 120_000);
});
