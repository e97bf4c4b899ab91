import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo } from "./demo";
import { axeProblems } from "./storefront-quality";

// `npm run demo` as a merchant first opens it, nobody having touched the admin: loyalty on with
// tiers and rewards, Contact with channels, hours and FAQ in every storefront language, and the
// service dashboard with something in every card, all seeded through the app's own services.
describe.skipIf(!chromiumAvailable())("the demo looks lived-in on first run", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo(60, { more: { loyaltyProgram: true, serviceHistory: true } }));
  }, 600_000);
  afterAll(() => stop?.());

  it("fills every card of the service dashboard, through the app's own records", async () => {
    const { computeDashboard } = await import("../../app/services/dashboard/registry.server");
    (await import("../../app/services/dashboard/core-metrics.server")).registerCoreDashboardMetrics();
    const now = new Date();
    const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const dashboard = await computeDashboard(db, demo.shop, { from: day(-29), to: day(0) }, now);
    const empty = dashboard.figures.filter((f) => f.current.value === null).map((f) => f.id);
    expect(empty).toEqual([]);
    for (const id of ["csat", "nps", "first_response", "loyalty_members"])
      expect(dashboard.figures.find((f) => f.id === id)?.current.value, id).not.toBeNull();
    // Answered and closed requests, survey answers of both kinds: what the cards count.
    expect(await db.contactRequest.count({ where: { shop: demo.shop, firstResponseAt: { not: null } } })).toBe(6);
    expect(
      await db.surveyResponse.count({ where: { shop: demo.shop, kind: "csat", score: { not: null } } }),
    ).toBeGreaterThan(0);
    expect(
      await db.surveyResponse.count({ where: { shop: demo.shop, kind: "nps", score: { not: null } } }),
    ).toBeGreaterThan(0);

    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app`);
    const app = page.frameLocator("iframe#app");
    await app.getByText("Median first response").first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("demo-dashboard"), fullPage: true });
    await page.close();
  });

  it("shows Contact's channels and FAQ in every storefront language, and Rewards with tiers and rewards", async () => {
    const page = await newPage(browser);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    for (const locale of ["en", "ko", "ja", "fa"]) {
      await page.goto(`${demo.sandboxUrl}/store?block=contact&locale=${locale}`);
      const contact = page.locator("aftercare-contact");
      await contact.locator("[data-channels-section]:not([hidden])").waitFor({ timeout: 15_000 });
      expect(await contact.locator(".aftercare-contact__channel").count(), locale).toBe(3);
      expect(await contact.locator(".aftercare-contact__faq-item").count(), locale).toBe(3);
      expect(await page.locator("main").innerText()).not.toMatch(/translation missing/i);
      if (locale === "en" || locale === "fa")
        await page.screenshot({ path: screenshotPath(`demo-contact-${locale}`), fullPage: true });
    }

    // The showcase shopper is a member with points, a tier and rewards to spend them on.
    const shopper = demo.sandbox.customers(demo.shop)[0];
    for (const locale of ["en", "fa"]) {
      await page.goto(`${demo.sandboxUrl}/store?block=loyalty-widget&customer=${shopper.id}&locale=${locale}`);
      const rewards = page.locator("aftercare-loyalty");
      await rewards.locator("[data-member]:not([hidden])").waitFor({ timeout: 15_000 });
      expect(await rewards.locator(".aftercare-loyalty__reward").count()).toBe(4);
      await rewards.locator('[data-slot="tier-box"]:not([hidden])').waitFor();
      // Tier names as the merchant translated them on the program page.
      expect(["Bronze", "Silver", "Gold", "برنزی", "نقره‌ای", "طلایی"]).toContain(
        await rewards.locator('[data-slot="tier"]').innerText(),
      );
      if (locale === "fa") expect(await rewards.locator('[data-slot="next"]').innerText()).toContain("طلایی");
      else expect(await rewards.locator('[data-slot="next"]').innerText()).toContain("Gold");
      expect(await axeProblems(page, "aftercare-loyalty")).toEqual([]);
      await page.screenshot({ path: screenshotPath(`demo-rewards-${locale}`), fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens Rewards from the launcher on any page once the merchant turns the app embed on", async () => {
    const page = await newPage(browser);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname.split("/").pop()!);
    });
    // Off by default, as app embeds are: no launcher on the page.
    await page.goto(`${demo.sandboxUrl}/store?block=none&locale=en`);
    expect(await page.locator("aftercare-launcher").count()).toBe(0);

    const shopper = demo.sandbox.customers(demo.shop)[0];
    for (const locale of ["en", "fa"]) {
      scripts.length = 0;
      await page.goto(
        `${demo.sandboxUrl}/store?block=none&embed=loyalty-launcher&customer=${shopper.id}&locale=${locale}`,
      );
      const launcher = page.locator("aftercare-launcher[data-kind=loyalty] button[data-open]");
      await launcher.waitFor();
      // Until the shopper opens it, only the launcher's own script loads, and no request reaches the app.
      expect(scripts).toEqual(["aftercare-launcher.js"]);
      expect(await page.locator("aftercare-loyalty").count()).toBe(0);
      await page.screenshot({ path: screenshotPath(`demo-launcher-${locale}`) });

      await launcher.click();
      const dialog = page.getByRole("dialog");
      await dialog.locator("aftercare-loyalty [data-member]:not([hidden])").waitFor({ timeout: 15_000 });
      expect(scripts).toEqual(["aftercare-launcher.js", "loyalty-widget.js"]);
      expect(await dialog.locator(".aftercare-loyalty__reward").count()).toBe(4);
      expect(await axeProblems(page, "aftercare-launcher")).toEqual([]);
      await page.screenshot({ path: screenshotPath(`demo-launcher-${locale}-open`) });
      // Escape closes it and the focus is back on the launcher.
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      expect(await page.evaluate(() => document.activeElement?.closest("aftercare-launcher") !== null)).toBe(true);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
