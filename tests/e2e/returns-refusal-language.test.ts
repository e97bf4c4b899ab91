import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo } from "./demo";

// A return's step refused while the merchant looked at it (someone declined it meanwhile): the
// return's page says why in the admin's language, not in the English the service wrote for logs.
describe.skipIf(!chromiumAvailable())("a refused return step, in the admin's language", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo(10));
  }, 180_000);
  afterAll(() => stop?.());

  it("shows a status refusal in Japanese on the return's page", async () => {
    const order = await db.order.findFirstOrThrow({ where: { shop: demo.shop, email: { not: null } } });
    const ret = await db.returnCase.create({
      data: {
        shop: demo.shop,
        number: "R-9001",
        idempotencyKey: "e2e-refusal",
        orderShopifyId: order.shopifyId,
        orderName: order.name,
        email: order.email,
        status: "requested",
        resolution: "refund",
        currency: order.currency,
        itemsMinor: 0,
        resolutionMinor: 0,
      },
    });
    const page = await newPage(browser, { width: 1280, height: 900 });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent(`/app/returns/${ret.id}`)}&locale=ja`);
    const app = page.frameLocator("iframe#app");
    const approve = app.getByRole("button", { name: "返品を承認" });
    await approve.waitFor({ timeout: 30_000 });
    // Someone else declines it while the page is open.
    await db.returnCase.update({ where: { id: ret.id }, data: { status: "declined", declinedAt: new Date() } });
    const banner = app.locator(".Polaris-Banner", { hasText: "処理できませんでした" });
    // The server's HTML arrives before React answers clicks: click until the answer shows.
    await expect
      .poll(
        async () => {
          if (!(await banner.isVisible())) await approve.click();
          return banner.isVisible();
        },
        { timeout: 30_000, interval: 1500 },
      )
      .toBe(true);
    const text = await banner.innerText();
    expect(text).toContain("処理できませんでした");
    expect(text).toContain("返品R-9001は現在のステータスでは承認できません。");
    expect(text).not.toMatch(/cannot be approved|declined/);
    await page.screenshot({ path: screenshotPath("admin-return-refused-ja") });
    await page.close();
  });
});
