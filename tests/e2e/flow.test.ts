import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

// Shopify Flow in the sandbox: the control page runs the app's "add points" action the way a
// workflow step does (a signed POST to the app), and the shopper's Rewards block shows the new
// balance; the panel lists what the app's triggers sent to Flow.
describe.skipIf(!chromiumAvailable())("Shopify Flow from the control page, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    demo = await startTestDemo(8, { loyaltyProgram: true });
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  const balanceOn = async (customerId: string) => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/store?block=loyalty-widget&customer=${customerId}&locale=en`);
    const slot = page.locator('aftercare-loyalty [data-slot="balance"]');
    await slot.filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
    return { page, value: Number((await slot.innerText()).replace(/\D/g, "")) };
  };

  it("adds points with the Flow action run from the control page, and the storefront widget shows them", async () => {
    const member = await db.loyaltyMember.findFirstOrThrow({
      where: { shop: demo.shop, customerShopifyId: { not: null }, redactedAt: null },
      orderBy: { points: "desc" },
    });
    const customerId = member.customerShopifyId!.split("/").at(-1)!;
    const before = await balanceOn(customerId);
    await before.page.close();

    const control = await newPage(browser);
    await control.goto(`${demo.sandboxUrl}/control`);
    const panel = control.locator("#flow");
    await panel.getByRole("combobox", { name: "Action" }).selectOption({ label: "Add or remove loyalty points" });
    await panel.locator('[data-flow-field="customer_id"]').fill(customerId);
    await panel.locator('[data-flow-field="points"]').fill("25");
    await panel.locator('[data-flow-field="reason"]').fill("Left a product review");
    await panel.getByRole("button", { name: "Run action as Flow does" }).click();
    await panel.getByRole("status").filter({ hasText: "200 Booked 25 points." }).waitFor({ timeout: 20_000 });
    // Bad input is answered as Flow expects: a 4xx with a message, nothing booked.
    await panel.locator('[data-flow-field="points"]').fill("1.5");
    await panel.getByRole("button", { name: "Run action as Flow does" }).click();
    await panel
      .getByRole("status")
      .filter({ hasText: /^422 points must be a whole number/ })
      .waitFor();
    await control.screenshot({ path: screenshotPath("control-flow-panel"), fullPage: true });

    const entry = await db.loyaltyLedgerEntry.findFirstOrThrow({ where: { memberId: member.id, kind: "adjust" } });
    expect([entry.points, entry.reason, entry.actor]).toEqual([25, "Left a product review", "Shopify Flow"]);
    const after = await balanceOn(customerId);
    expect(after.value).toBe(before.value + 25);
    await after.page.screenshot({ path: screenshotPath("flow-points-on-storefront"), fullPage: true });
    await after.page.close();

    // The points earned went to Flow as the app's trigger, and the panel lists it.
    await control.reload();
    await control
      .locator("#flow-runs tr", { hasText: "aftercare-points-earned" })
      .filter({ hasText: '"Points":25' })
      .first()
      .waitFor({ timeout: 30_000 });
    await control.close();
  });

  it("edits a text message template in the admin with its length in segments shown while typing", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/sms`);
    const app = page.frameLocator("iframe#app");
    await app.getByLabel("Send text messages").waitFor({ timeout: 30_000 });
    await app.getByLabel("Send text messages").check();
    await app.getByLabel("Sender", { exact: true }).fill("+15005550006");
    await app.getByLabel("Shipment shipped", { exact: false }).first().check();
    const template = app.getByLabel(/^Text for Shipment shipped/);
    await template.fill("{{ shop_name }}: {{ order_name }} shipped. {{ tracking_url }}");
    await app
      .getByText(/^\d+ characters · 1 segment ·/)
      .first()
      .waitFor();
    await template.fill("x".repeat(200));
    await app.getByText("200 characters · 2 segments · 106 left before the next segment", { exact: false }).waitFor();
    await template.fill("{{ shop_name }}: {{ order_name }} shipped. {{ tracking_url }}");
    await app.getByRole("button", { name: "Save" }).click();
    await app.getByText("Text message settings saved.").waitFor({ timeout: 15_000 });
    const stored = await db.smsSettings.findUniqueOrThrow({ where: { shop: demo.shop } });
    expect(JSON.parse(stored.settings)).toMatchObject({
      enabled: true,
      sender: "+15005550006",
      messages: { "shipment.shipped": true },
    });
    await page.screenshot({ path: screenshotPath("admin-sms-settings"), fullPage: true });
    await page.close();
  });
});
