import { afterAll, beforeAll, describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";
import { contactReference } from "../../app/domain/contact/reference";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo } from "./demo";

// A chat continues by email (decisions 0042 and 0046), in the production build with the sandbox
// playing Mailgun: the shopper has left the chat; the agent replies in the admin's inbox; the reply
// is mailed (captured by the sandbox's SMTP server) with the request's reply address; on the
// control page the shopper answers it ("Reply as the shopper": a mail client's Re:, In-Reply-To
// and quoted original, sent by SMTP to the reply address); Mailgun's stand-in posts it to the app
// signed as Mailgun does; the answer, without the quote, appears in the open admin conversation.

describe.skipIf(!chromiumAvailable())("a chat continued by email through the inbound mail service", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo(4, { drainTimeoutMs: 300_000 }));
  }, 480_000);
  afterAll(() => stop?.());

  it("the agent's reply is mailed, the shopper answers by email, the answer shows in the conversation", async () => {
    // A chat whose shopper gave an email and left ten minutes ago (their stream closed).
    const now = new Date();
    const last = await db.contactRequest.findFirst({ where: { shop: demo.shop }, orderBy: { number: "desc" } });
    const number = (last?.number ?? 1000) + 1;
    const chat = await db.contactRequest.create({
      data: {
        shop: demo.shop,
        number,
        channel: "chat",
        topic: "other",
        name: "Mina",
        email: "mina.email@example.com",
        locale: "en",
        chatSeq: 1,
        shopperSeenAt: new Date(now.getTime() - 10 * 60_000),
        lastMessageAt: now,
        searchText: `mina mina.email@example.com #${number}`,
        messages: {
          create: { shop: demo.shop, author: "customer", body: "Is my parcel still coming?", seq: 1, createdAt: now },
        },
      },
    });

    const agent = await newPage(browser);
    await agent.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app/inbox")}&locale=en`);
    const app = agent.frameLocator("iframe#app");
    await app
      .getByRole("link", { name: `#${number}` })
      .first()
      .waitFor({ timeout: 30_000 });
    await app
      .getByRole("link", { name: `#${number}` })
      .first()
      .click();
    await app.getByText("Is my parcel still coming?").first().waitFor({ timeout: 30_000 });
    const reply = "Yes, it left our warehouse this morning.";
    await app.getByLabel("Reply in the chat").fill(reply);
    await app.getByRole("button", { name: "Send reply" }).click();

    // The shopper has left, so the outbox mails the reply (its job runs every 10 s).
    const reference = contactReference(number);
    await expect
      .poll(() => demo.mails.some((m) => m.to.includes("mina.email@example.com") && m.subject.includes(reference)), {
        timeout: 45_000,
      })
      .toBe(true);
    const mailed = demo.mails.find((m) => m.to.includes("mina.email@example.com") && m.subject.includes(reference))!;
    expect(mailed.replyTo).toMatch(/^support\+r\.[a-z0-9]+\.[0-9a-f]{16}@inbound\.northwind\.example$/);
    expect(mailed.text).toContain(reply);

    // The shopper answers the email from the control page's mailbox.
    const control = await newPage(browser);
    await control.goto(`${demo.sandboxUrl}/control`);
    const row = control.locator("#mail tr", { hasText: mailed.subject });
    await row.getByText("Reply as the shopper").click();
    const answer = "Great, thank you! I will be home on Friday.";
    await row.getByLabel("The shopper's answer").fill(answer);
    await row.getByRole("button", { name: "Send by email" }).click();
    await control.locator("#mail-result", { hasText: "which answered 200" }).waitFor({ timeout: 20_000 });
    await control.locator("#mail-inbound tr", { hasText: mailed.replyTo }).first().waitFor({ timeout: 10_000 });
    await control.screenshot({ path: screenshotPath("email-continuation-control"), fullPage: true });

    // The answer joins the chat as the shopper's next message, live in the open conversation,
    // without the quoted reply below it.
    await app.getByText(answer).first().waitFor({ timeout: 20_000 });
    const messages = await db.contactMessage.findMany({
      where: { requestId: chat.id },
      orderBy: { seq: "asc" },
      select: { author: true, body: true, seq: true },
    });
    expect(messages.map((m) => [m.seq, m.author, m.body])).toEqual([
      [1, "customer", "Is my parcel still coming?"],
      [2, "merchant", reply],
      [3, "customer", answer],
    ]);
    expect((await db.contactRequest.findUniqueOrThrow({ where: { id: chat.id } })).status).toBe("open");
    await agent.screenshot({ path: screenshotPath("email-continuation-inbox"), fullPage: true });
  }, 240_000);

  it("a new email to the intake address (on the Contact page) becomes an acknowledged email request", async () => {
    // The merchant's support mailbox forwards a shopper's email (written from any mail client) to
    // the intake address shown on the Contact page.
    const page = await newPage(browser);
    const screens: [string, string, string][] = [
      ["en", "Emails to your support address", "email-intake-contact"],
      ["ko", "고객 지원 주소로 온 이메일", "email-intake-contact-ko"],
      ["ja", "サポート用アドレスに届くメール", "email-intake-contact-ja"],
    ];
    for (const [locale, heading, name] of screens) {
      await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app/contact")}&locale=${locale}`);
      const app = page.frameLocator("iframe#app");
      await app.getByText(heading).waitFor({ timeout: 30_000 });
      await app.getByText("support+aftercare-demo@inbound.northwind.example").waitFor();
      await app.getByText(heading).scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(name), fullPage: true });
    }

    const transport = nodemailer.createTransport(demo.smtpUrl);
    const before = demo.mailgun.forwarded().length;
    await transport.sendMail({
      from: "Jun Park <jun.park@example.com>",
      to: "support+aftercare-demo@inbound.northwind.example",
      subject: "주문 문의",
      text: "안녕하세요, 주문한 가방 색상을 바꿀 수 있을까요?\n\n-- \n박준",
    });
    transport.close();
    await expect.poll(() => demo.mailgun.forwarded().length, { timeout: 15_000 }).toBe(before + 1);
    expect(demo.mailgun.forwarded().at(-1)).toMatchObject({ status: 200 });
    const request = await db.contactRequest.findFirstOrThrow({
      where: { shop: demo.shop, channel: "email", email: "jun.park@example.com" },
      include: { messages: true },
    });
    expect(request).toMatchObject({ locale: "ko", name: "Jun Park", status: "open" });
    expect(request.messages.map((m) => m.body)).toEqual([
      "주문 문의\n\n안녕하세요, 주문한 가방 색상을 바꿀 수 있을까요?",
    ]);
    // The acknowledgement, in Korean, with the request's reply address.
    const reference = contactReference(request.number);
    await expect
      .poll(() => demo.mails.some((m) => m.to.includes("jun.park@example.com") && m.subject.includes(reference)), {
        timeout: 45_000,
      })
      .toBe(true);
    const ack = demo.mails.find((m) => m.to.includes("jun.park@example.com") && m.subject.includes(reference))!;
    expect(ack.subject).toContain("문의가 접수되었습니다");
    expect(ack.replyTo).toMatch(/^support\+r\./);

    // In the inbox, marked as started by email.
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent(`/app/inbox/${request.id}`)}&locale=en`);
    const app = page.frameLocator("iframe#app");
    await app.getByText("By email").waitFor({ timeout: 30_000 });
    await app.getByText("안녕하세요, 주문한 가방 색상을 바꿀 수 있을까요?", { exact: false }).first().waitFor();
    await page.screenshot({ path: screenshotPath("email-intake-request"), fullPage: true });
  }, 240_000);
});
