import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";
import { presetPeriod } from "../../app/domain/dashboard/presets";
import { localDate } from "../../app/domain/tracking/calendar";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo } from "./demo";

// The dashboard's period in the admin frame: Polaris's date picker with ready-made periods, counted
// in the shop's calendar (its today, not the browser's), opening the dashboard for the days chosen.
describe.skipIf(!chromiumAvailable())("dashboard period picker, in the admin frame", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo(20));
  }, 180_000);
  afterAll(() => stop?.());

  it("opens the last 7 days of the shop's calendar, and last year", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: demo.shop } });
    const zone = shop.ianaTimezone ?? "UTC";
    const page = await newPage(browser, { width: 1280, height: 900 });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app")}&locale=en`);
    const app = page.frameLocator("iframe#app");
    const frameUrl = () =>
      page
        .frames()
        .find((f) => f.name() === "app" || f.url().includes("/app"))
        ?.url() ?? "";

    for (const [preset, label] of [
      ["last7", "Last 7 days"],
      ["lastYear", "Last year"],
    ] as const) {
      const picker = app.locator("#period-picker");
      await picker.waitFor({ timeout: 30_000 });
      const apply = app.getByRole("button", { name: "Apply", exact: true });
      // The server's HTML arrives before React answers clicks: click until the picker opens.
      await expect
        .poll(
          async () => {
            if (!(await apply.isVisible())) await picker.click();
            return apply.isVisible();
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe(true);
      await app.locator(".Polaris-OptionList-Option", { hasText: label }).click();
      if (preset === "last7") await page.screenshot({ path: screenshotPath("admin-dashboard-period-picker-en") });
      // The period the app computes from the shop's today at Apply: taken before and after, so a
      // shop's midnight passing in between accepts either day's period and nothing else.
      const query = () => {
        const p = presetPeriod(preset, localDate(new Date(), zone));
        return `from=${p.from}&to=${p.to}`;
      };
      const before = query();
      await apply.click();
      await expect
        .poll(() => frameUrl().includes(before) || frameUrl().includes(query()), { timeout: 30_000 })
        .toBe(true);
      await expect.poll(() => picker.innerText(), { timeout: 30_000 }).toBe(label);
    }
    await page.screenshot({ path: screenshotPath("admin-dashboard-last-year-en"), fullPage: true });
    await page.close();
  });

  it("sets the tracking emails' accent colour with Polaris's colour picker", async () => {
    const page = await newPage(browser, { width: 1280, height: 900 });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent("/app/tracking")}&locale=en`);
    const app = page.frameLocator("iframe#app");
    const swatch = app.getByRole("button", { name: "Choose a colour" });
    await swatch.waitFor({ timeout: 30_000 });
    const picker = app.locator(".Polaris-ColorPicker");
    await expect
      .poll(
        async () => {
          if (!(await picker.isVisible())) await swatch.click();
          return picker.isVisible();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    const field = app.getByLabel("Accent colour");
    const before = await field.inputValue();
    // A click in the picker's colour square sets the field to the colour picked, as #rrggbb.
    const square = app.locator(".Polaris-ColorPicker__MainColor");
    const box = (await square.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.3);
    await expect.poll(() => field.inputValue(), { timeout: 10_000 }).not.toBe(before);
    expect(await field.inputValue()).toMatch(/^#[0-9a-f]{6}$/i);
    await page.screenshot({ path: screenshotPath("admin-tracking-colour-picker-en") });
    await page.close();
  });
});
