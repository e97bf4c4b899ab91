import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, FrameLocator, Page } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

const DAY = 86_400_000;

// Needs attention inside the admin frame, as a merchant works through it: an index table paged 50
// at a time, filtered by problem and searched by order number; a row's order opens in Shopify, the
// shopper is notified (the email shows in the notification log) and a row marked handled leaves.
describe.skipIf(!chromiumAvailable())("needs attention, in the admin frame", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    demo = await startTestDemo(20);
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    // 60 parcels the carrier failed to deliver a month ago, and one order not shipped for three weeks.
    const now = Date.now();
    for (let n = 0; n < 60; n++) {
      await db.shipmentTracking.create({
        data: {
          shop: demo.shop,
          fulfillmentShopifyId: `gid://shopify/Fulfillment/${900000 + n}`,
          orderShopifyId: `gid://shopify/Order/${900000 + n}`,
          orderName: `#9${String(n).padStart(3, "0")}`,
          carrier: "ups",
          trackingNumber: `1Z999AA1${String(n).padStart(10, "0")}`,
          stage: "in_transit",
          problem: "exception",
          problemSince: new Date(now - 30 * DAY + n * 60_000),
        },
      });
    }
    await db.order.create({
      data: {
        shop: demo.shop,
        shopifyId: "gid://shopify/Order/990001",
        name: "#LATE1",
        email: "late.shopper@example.com",
        currency: "USD",
        shopifyCreatedAt: new Date(now - 21 * DAY),
        shopifyUpdatedAt: new Date(now - 21 * DAY),
        lineItems: {
          create: [
            {
              shopifyId: "gid://shopify/LineItem/990001",
              title: "Mug",
              quantity: 1,
              priceMinor: 900,
              fulfillableQuantity: 1,
            },
          ],
        },
      },
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  async function open(path: string): Promise<{ page: Page; app: FrameLocator }> {
    const page = await newPage(browser, { width: 1280, height: 900 });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent(path)}&locale=en`);
    const app = page.frameLocator("iframe#app");
    // Polaris's tabs show once React has hydrated: the page's controls answer from then on.
    await app.locator('[role="tab"]:visible').first().waitFor({ state: "visible", timeout: 30_000 });
    return { page, app };
  }
  const rows = (app: FrameLocator) => app.locator("tbody tr");

  it("pages, filters and searches the list; opens an order in Shopify", async () => {
    const { page, app } = await open("/app/tracking/attention");
    await app.getByRole("link", { name: "#9000" }).waitFor({ timeout: 30_000 });
    await expect(rows(app).count()).resolves.toBe(50);
    // The row's order opens in the Shopify admin (App Bridge's shopify: link, out of the frame).
    await expect(app.getByRole("link", { name: "#9000" }).getAttribute("href")).resolves.toBe(
      "shopify://admin/orders/900000",
    );
    await page.screenshot({ path: screenshotPath("admin-attention-en"), fullPage: true });

    await app.getByRole("button", { name: "Next" }).click();
    await app.getByRole("link", { name: "#9050" }).waitFor({ timeout: 20_000 });
    await expect(rows(app).count()).resolves.toBeGreaterThanOrEqual(11);
    await app.getByRole("button", { name: "Previous" }).click();
    await app.getByRole("link", { name: "#9000" }).waitFor({ timeout: 20_000 });

    // Search by order number: only that order.
    await app.getByRole("button", { name: /Search and filter/ }).click();
    await app.getByPlaceholder("Search by order number or tracking number").fill("#9042");
    await app.getByRole("link", { name: "#9042" }).waitFor({ timeout: 20_000 });
    await expect.poll(() => rows(app).count(), { timeout: 20_000 }).toBe(1);
    await app.getByPlaceholder("Search by order number or tracking number").fill("");
    await expect.poll(() => rows(app).count(), { timeout: 20_000 }).toBe(50);

    // Filter to orders not shipped yet: the late order alone.
    await app.getByRole("button", { name: "Problem" }).first().click();
    await app.getByLabel(/^Not shipped yet/).click();
    await app.getByRole("link", { name: "#LATE1" }).waitFor({ timeout: 20_000 });
    // Only orders not shipped yet (the demo shop has its own besides), none of the parcels.
    await expect.poll(() => rows(app).filter({ hasText: "Delivery problem" }).count(), { timeout: 20_000 }).toBe(0);
    await expect(rows(app).filter({ hasText: "Not shipped yet" }).count()).resolves.toBe(await rows(app).count());
    await page.screenshot({ path: screenshotPath("admin-attention-filtered-en"), fullPage: true });
    await page.close();
  });

  it("notifies the shopper (in the notification log) and marks a row handled (it leaves the list)", async () => {
    const { page, app } = await open("/app/tracking/attention?kind=unfulfilled");
    await app.getByRole("link", { name: "#LATE1" }).waitFor({ timeout: 30_000 });
    const late = rows(app).filter({ hasText: "#LATE1" });
    await late.getByRole("button", { name: "Notify shopper" }).click();
    await page.locator(".toast", { hasText: "The email to the shopper is on its way" }).waitFor({ timeout: 20_000 });
    const email = await db.notification.findFirstOrThrow({
      where: { shop: demo.shop, subjectId: "gid://shopify/Order/990001" },
    });
    expect(email).toMatchObject({ kind: "tracking", milestone: "delayed", recipient: "late.shopper@example.com" });
    // Again: the shopper is not emailed twice, and the merchant is told why.
    await late.getByRole("button", { name: "Notify shopper" }).click();
    await page.locator(".toast.error", { hasText: "already emailed" }).waitFor({ timeout: 20_000 });
    await page.close();

    const log = await open("/app/tracking/notifications");
    await log.app.getByText("late.shopper@example.com").first().waitFor({ timeout: 30_000 });
    await log.page.close();

    const again = await open("/app/tracking/attention");
    await again.app.getByRole("link", { name: "#9000" }).waitFor({ timeout: 30_000 });
    await rows(again.app).first().getByRole("button", { name: "Mark handled" }).click();
    await again.page.locator(".toast", { hasText: "Marked handled" }).waitFor({ timeout: 20_000 });
    await again.app.getByRole("link", { name: "#9000" }).waitFor({ state: "detached", timeout: 20_000 });
    expect(await db.attentionHandled.count({ where: { shop: demo.shop } })).toBe(1);
    await again.page.screenshot({ path: screenshotPath("admin-attention-handled-en"), fullPage: true });
    await again.page.close();
  });
});
