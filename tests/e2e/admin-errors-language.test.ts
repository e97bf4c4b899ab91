import { readFile } from "node:fs/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, FrameLocator, Page } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

// Inside the admin frame, as a merchant meets them: a bad link shows the app's own page (title,
// what happened, a way back) with the app's navigation still there, never a bare 400 or 404; and
// the admin opened in Japanese (`/admin?locale=ja`, as Shopify passes the admin language) speaks
// Japanese in the app's navigation, its error pages and its settings forms' messages.
describe.skipIf(!chromiumAvailable())("admin error pages and language, in the admin frame", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    demo = await startTestDemo(20);
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  async function open(path: string, locale = "en", width = 1280): Promise<Page> {
    const page = await newPage(browser, { width, height: 900 });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent(path)}&locale=${locale}`);
    return page;
  }
  const appNav = (page: Page) => page.locator("#app-nav a");
  // The server's HTML arrives before the page is live: Polaris's tabs show only once the browser
  // has measured them (the server draws them hidden), so a visible tab means React has hydrated
  // and the page's fields answer. Typing earlier is lost (no save bar opens), and a tab looked
  // at earlier is not visible yet.
  const hydrated = (app: FrameLocator) => app.locator('[role="tab"]:visible').first().waitFor({ timeout: 30_000 });
  // The admin draws the app's navigation when App Bridge sends the menu, some time after the page.
  const navShows = (page: Page, labels: string[]) =>
    expect.poll(() => appNav(page).allInnerTexts(), { timeout: 20_000 }).toEqual(expect.arrayContaining(labels));

  it("shows an unknown return as the app's page inside the Returns area, with a way back", async () => {
    const page = await open("/app/returns/no-such-return");
    const app = page.frameLocator("iframe#app");
    await app.getByRole("heading", { name: "This page does not exist" }).waitFor({ timeout: 30_000 });
    await hydrated(app);
    await expect(app.getByText("That return does not exist in this shop.").isVisible()).resolves.toBe(true);
    // The app's navigation (drawn by the admin from the app's menu) and the area's tabs are still there.
    await navShows(page, ["Tracking", "Returns", "Loyalty", "Inbox"]);
    await expect(app.getByRole("tab", { name: "Returns desk" }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath("admin-error-unknown-return-en"), fullPage: true });
    await app.getByRole("link", { name: "Back to Returns" }).click();
    await app.getByText("This page does not exist").waitFor({ state: "detached", timeout: 20_000 });
    await app.getByRole("button", { name: "Export CSV" }).waitFor({ timeout: 20_000 });
    await page.close();
  });

  it("shows a dashboard period that cannot be read, and an address no page answers, inside the app", async () => {
    const page = await open("/app?from=2026-13-45&to=yesterday");
    const app = page.frameLocator("iframe#app");
    await app.getByRole("heading", { name: "This link cannot be opened" }).first().waitFor({ timeout: 30_000 });
    await expect(app.getByText("Error 400").isVisible()).resolves.toBe(true);
    await expect(app.locator("body").innerText()).resolves.not.toMatch(/^\s*(Bad Request|400)\s*$/);
    await page.screenshot({ path: screenshotPath("admin-error-bad-period-en"), fullPage: true });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app/nowhere")}`);
    await app.getByRole("heading", { name: "This page does not exist" }).first().waitFor({ timeout: 30_000 });
    await app.getByRole("link", { name: "Back to Aftercare's home" }).first().click();
    await app.getByText("This page does not exist").first().waitFor({ state: "detached", timeout: 20_000 });
    await page.close();
  });

  it("follows the admin's language: Japanese navigation, error page and Polaris's own words", async () => {
    const page = await open("/app/returns/no-such-return", "ja");
    const app = page.frameLocator("iframe#app");
    await app.getByRole("heading", { name: "このページは存在しません" }).waitFor({ timeout: 30_000 });
    await hydrated(app);
    await navShows(page, ["配送追跡", "返品", "ロイヤルティ", "受信箱"]);
    await expect(app.locator("html").getAttribute("lang")).resolves.toBe("ja");
    // The area's title and tabs and the error page: no English word (Aftercare is the app's name).
    const text = (await app.locator("body").innerText()).replace(/Aftercare/g, "");
    expect(text).not.toMatch(/[A-Za-z]{3,}/);
    await expect(app.getByRole("tab", { name: "返品デスク" }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath("admin-error-unknown-return-ja"), fullPage: true });
    await page.close();
  });

  it("refuses an invalid loyalty setting in Japanese next to the field, saving nothing", async () => {
    const before = await db.loyaltySettings.findUnique({ where: { shop: demo.shop } });
    const page = await open("/app/loyalty", "ja", 1280);
    const app = page.frameLocator("iframe#app");
    const pending = app.locator('input[type="text"], input[type="number"]').nth(2);
    await pending.waitFor({ timeout: 30_000 });
    await hydrated(app);
    // The form's own labels are Japanese too: the field is named as its error names it.
    await app.getByLabel("ポイントが保留される日数").fill("");
    await page.locator("#savebar[data-open='true'] #save").click();
    await app.getByText("ポイントが保留される日数には整数を入力してください").first().waitFor({ timeout: 20_000 });
    // All at once above the form, and at the field.
    await expect(app.getByText("保存する前に直す箇所が1件あります").isVisible()).resolves.toBe(true);
    await expect(app.getByText("ポイントが保留される日数には整数を入力してください").count()).resolves.toBe(2);
    await page.screenshot({ path: screenshotPath("admin-loyalty-invalid-ja"), fullPage: true });
    expect(await db.loyaltySettings.findUnique({ where: { shop: demo.shop } })).toEqual(before);
    await page.close();
  });

  it("shows the home page and the loyalty program page in Japanese, with no English sentence", async () => {
    for (const [path, heading, name] of [
      ["/app", "セットアップガイド", "admin-home-ja"],
      ["/app/loyalty", "獲得", "admin-loyalty-program-ja"],
      ["/app/loyalty/members", "検索", "admin-loyalty-members-ja"],
      ["/app/returns", "返品を検索", "admin-returns-desk-ja"],
    ] as const) {
      const page = await open(path, "ja", 1280);
      const app = page.frameLocator("iframe#app");
      await app.getByText(heading, { exact: true }).first().waitFor({ timeout: 30_000 });
      // Names (the app's, the shop's customers' emails, the merchant's tiers and rewards) aside.
      const text = (await app.locator("body").innerText())
        .replace(/Aftercare|Shopify|CSAT|NPS|CSV|[\w.+-]+@[\w.-]+/g, "")
        .replace(/\b(Bronze|Silver|Gold|VIP)\b/g, "");
      expect(text, path).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{3,}/);
      await page.screenshot({ path: screenshotPath(name), fullPage: true });
      await page.close();
    }
  });

  // The settings, returns, insights, liability and Sync pages in Japanese (and Korean, for the
  // screenshots): no English sentence, names aside (the app's, Shopify's and its terms, the shop's
  // products, customers, carriers and Liquid variables, addresses and links).
  it.each(["ja", "ko"] as const)("shows the settings, a return, insights, liability and Sync in %s", async (locale) => {
    const ret = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop },
      include: { lines: true },
      orderBy: { requestedAt: "desc" },
    });
    const products = await db.lineItem.findMany({
      where: { order: { shop: demo.shop } },
      select: { title: true },
    });
    // The shop's products, and the example item the tracking preview shows.
    const titles = [...products.map((p) => p.title), ...ret.lines.map((l) => l.title), "Linen shirt"];
    const names = [...new Set(titles)].sort((a, b) => b.length - a.length);
    const heading = { ja: "ブランディング", ko: "브랜딩" }[locale];
    for (const [path, ready, name] of [
      ["/app/tracking", heading, "admin-tracking-settings"],
      ["/app/returns/policy", { ja: "返品期間", ko: "반품 기간" }[locale], "admin-returns-policy"],
      ["/app/returns/emails", { ja: "文面", ko: "문구" }[locale], "admin-returns-emails"],
      [`/app/returns/${ret.id}`, { ja: "次のステップ", ko: "다음 단계" }[locale], "admin-return-page"],
      ["/app/returns/insights", { ja: "返品率", ko: "반품률" }[locale], "admin-returns-insights"],
      ["/app/loyalty/liability", { ja: "換算した価値", ko: "환산 가치" }[locale], "admin-loyalty-liability"],
      ["/app/sync", { ja: "注文履歴", ko: "주문 기록" }[locale], "admin-sync"],
    ] as const) {
      const page = await open(path, locale, 1280);
      const app = page.frameLocator("iframe#app");
      await app.getByText(ready, { exact: true }).first().waitFor({ timeout: 30_000 });
      if (path !== "/app/sync") await hydrated(app);
      let text = await app.locator("body").innerText();
      for (const n of names) text = text.split(n).join("");
      text = text
        // A shopper's own words, quoted.
        .replace(/“[^”]*”/g, "")
        .replace(/Aftercare|Shopify|Built for|Customer Account API|Liquid|CSV|WISMO|NPS|CSAT/g, "")
        .replace(/\{\{[^}]*\}\}|\{%[^%]*%\}|https?:\/\/\S+|[\w.+-]+@[\w.-]+|\b[a-z]+(_[a-z]+)+\b/g, "")
        .replace(/\b(Bronze|Silver|Gold|VIP|UPS|USPS|FedEx|DHL|Canada Post)\b/g, "");
      expect(text.match(/.{0,40}[A-Za-z]{4,} [A-Za-z]{3,}.{0,40}/g), `${path} in ${locale}`).toBeNull();
      await expect(app.locator("html").getAttribute("lang")).resolves.toBe(locale);
      await page.screenshot({ path: screenshotPath(`${name}-${locale}`), fullPage: true });
      await page.close();
    }
  });

  it("exports both CSVs from inside the admin frame, and the frame stays on its page", async () => {
    for (const [path, name] of [
      ["/app?from=2026-11-01&to=2026-11-30", /^aftercare-2026-11-01-to-2026-11-30\.csv$/],
      ["/app/returns", /^aftercare-returns-\d{4}-\d{2}-\d{2}\.csv$/],
    ] as const) {
      const page = await open(path);
      const app = page.frameLocator("iframe#app");
      const button = app.getByRole("button", { name: "Export CSV" });
      await button.waitFor({ timeout: 30_000 });
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), button.click()]);
      expect(download.suggestedFilename()).toMatch(name);
      const csv = await readFile((await download.path())!, "utf8");
      const lines = csv.split(/\r?\n/).filter(Boolean);
      expect(lines[0]).toMatch(/,/);
      expect(lines.length).toBeGreaterThan(1);
      // The frame still shows the page (it used to go blank and download nothing).
      await expect(button.isVisible()).resolves.toBe(true);
      await page.close();
    }
  });
});
