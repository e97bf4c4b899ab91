import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, FrameLocator, Page } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo } from "./demo";

// The FAQ's rich-text editor in the admin frame: the merchant types an answer with bold text and a
// link from the toolbar, saves through the save bar, and the storefront's contact block shows the
// answer formatted (and nothing else); the toolbar speaks the admin's language.
describe.skipIf(!chromiumAvailable())("FAQ answers with the rich-text editor, in the admin frame", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo(10));
  }, 180_000);
  afterAll(() => stop?.());

  async function contactPage(locale: string): Promise<{ page: Page; app: FrameLocator }> {
    const page = await newPage(browser, { width: 1280, height: 1000 });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app/contact")}&locale=${locale}`);
    return { page, app: page.frameLocator("iframe#app") };
  }

  it("types bold text and a link, saves, and the storefront's contact block shows them", async () => {
    const { page, app } = await contactPage("en");
    const add = app.getByRole("button", { name: "Add question" });
    await add.waitFor({ timeout: 30_000 });
    const questions = app.getByLabel("Question", { exact: true });
    const before = await questions.count();
    // The server's HTML arrives before React answers clicks: click until the question is added.
    await expect
      .poll(
        async () => {
          if ((await questions.count()) === before) await add.click();
          return questions.count();
        },
        { timeout: 30_000, interval: 1500 },
      )
      .toBe(before + 1);
    await app.getByLabel("Category").last().fill("Shipping");
    await questions.last().fill("How long does delivery take?");

    const answer = app.getByRole("textbox", { name: "Answer" }).last();
    await answer.waitFor({ timeout: 30_000 });
    const toolbar = app.getByRole("toolbar", { name: "Formatting" }).last();
    const bold = toolbar.getByRole("button", { name: "Bold" });
    await answer.click();
    await answer.pressSequentially("Most orders arrive in ");
    await bold.click();
    await expect.poll(() => bold.getAttribute("aria-pressed")).toBe("true");
    await answer.pressSequentially("3 to 5 business days");
    await bold.click();
    await answer.pressSequentially(". See our tracking page");
    // Select "tracking page" and link it from the toolbar.
    for (const key of Array.from("tracking page", () => "Shift+ArrowLeft")) await answer.press(key);
    await toolbar.getByRole("button", { name: "Link" }).click();
    const address = app.getByLabel("Link address");
    // A javascript: address is refused in the form already.
    await address.fill("javascript:alert(1)");
    await app.getByRole("button", { name: "Apply link" }).click();
    await app.getByText("Enter a web address (https://…), an email address or a phone number").waitFor();
    await address.fill("shop.example/track");
    await app.getByRole("button", { name: "Apply link" }).click();
    await expect.poll(() => answer.locator("a").getAttribute("href")).toBe("https://shop.example/track");
    await expect(answer.locator("strong").innerText()).resolves.toBe("3 to 5 business days");
    await answer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("admin-contact-faq-editor-en") });

    await page.locator('#savebar[data-open="true"]').waitFor({ timeout: 10_000 });
    await page.locator("#save").click();
    await page.locator(".toast", { hasText: "Contact settings saved" }).waitFor({ timeout: 15_000 });
    const stored = JSON.parse((await db.contactSettings.findUniqueOrThrow({ where: { shop: demo.shop } })).settings)
      .faq as { question: string; answerHtml: string }[];
    const saved = stored.find((f) => f.question === "How long does delivery take?")!;
    expect(saved.answerHtml).toBe(
      "<p>Most orders arrive in <strong>3 to 5 business days</strong>. See our " +
        '<a href="https://shop.example/track" rel="noopener noreferrer nofollow" target="_blank">tracking page</a></p>',
    );
    // What the server stored is what the form shows: nothing left to save.
    await page.locator('#savebar[data-open="false"]').waitFor({ state: "attached", timeout: 10_000 });
    await page.close();

    const store = await newPage(browser);
    await store.goto(`${demo.sandboxUrl}/store?block=contact&locale=en`);
    const block = store.locator("aftercare-contact");
    const item = block.locator(".aftercare-contact__faq-item", { hasText: "How long does delivery take?" });
    await item.waitFor({ state: "attached", timeout: 15_000 });
    await item.locator("summary").click();
    const shown = item.locator(".aftercare-contact__answer");
    await expect(shown.locator("strong").innerText()).resolves.toBe("3 to 5 business days");
    const link = shown.locator("a");
    expect(await link.getAttribute("href")).toBe("https://shop.example/track");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer nofollow");
    expect(await link.innerText()).toBe("tracking page");
    expect(await block.locator(".aftercare-contact__answer script, .aftercare-contact__answer [onerror]").count()).toBe(
      0,
    );
    await item.scrollIntoViewIfNeeded();
    await store.screenshot({ path: screenshotPath("storefront-contact-faq-formatted-en") });
    await store.close();
  });

  it("names the toolbar's buttons in the admin's language (Japanese)", async () => {
    const { page, app } = await contactPage("ja");
    const answer = app.getByRole("textbox", { name: "回答" }).last();
    await answer.waitFor({ timeout: 30_000 });
    const toolbar = app.getByRole("toolbar", { name: "書式" }).last();
    for (const name of ["太字", "斜体", "箇条書き", "番号付きリスト", "リンク"])
      await expect(toolbar.getByRole("button", { name, exact: true }).count()).resolves.toBe(1);
    await expect(answer.locator("strong").innerText()).resolves.toBe("3 to 5 business days");
    await answer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("admin-contact-faq-editor-ja") });
    await page.close();
  });
});
