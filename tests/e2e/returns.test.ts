import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";
import type { Db } from "../../app/db.server";

// Returns as a shopper and a merchant meet them: the storefront Returns block starts an exchange
// for a delivered demo order, the merchant approves, receives and resolves it on the returns desk
// inside the admin frame, and the sandbox's Shopify shows the return processed and closed.
describe.skipIf(!chromiumAvailable())("returns, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  let pick: { orderName: string; orderId: string; email: string; lineItemId: string; title: string };
  let returnNumber = "";

  beforeAll(async () => {
    demo = await startTestDemo();
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    browser = await launchBrowser();
    // A recently delivered order with an item that comes in other variants (so it can be exchanged).
    const products = demo.sandbox.shop(demo.shop).products;
    const delivered = await db.fulfillment.findMany({
      where: { shop: demo.shop, status: "success", deliveredAt: { gte: new Date(Date.now() - 20 * 86_400_000) } },
      include: { lines: true },
      orderBy: { deliveredAt: "desc" },
    });
    for (const f of delivered) {
      const order = await db.order.findUnique({ where: { shop_shopifyId: { shop: demo.shop, shopifyId: f.orderShopifyId } }, include: { lineItems: true } });
      const refunds = await db.refund.count({ where: { shop: demo.shop, orderShopifyId: f.orderShopifyId } });
      if (!order?.email || order.cancelledAt || refunds > 0) continue;
      const line = order.lineItems.find((li) => {
        const product = products.find((p) => `gid://shopify/Product/${p.id}` === li.productShopifyId);
        return f.lines.some((l) => l.lineItemShopifyId === li.shopifyId) && product && product.variants.length > 1 && !product.tags.includes("final-sale");
      });
      if (line) {
        pick = { orderName: order.name, orderId: order.shopifyId, email: order.email, lineItemId: line.shopifyId, title: line.title };
        break;
      }
    }
    expect(pick, "the demo has a delivered order with an exchangeable item").toBeDefined();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  async function findOrder(page: Page, locale: string) {
    await page.goto(`${demo.sandboxUrl}/store?block=returns-portal&locale=${locale}`);
    const block = page.locator("aftercare-returns-portal");
    await block.locator('input[name="order"]').fill(pick.orderName);
    await block.locator('input[name="email"]').fill(pick.email);
    await block.locator('button[type="submit"]').first().click();
    await block.locator("[data-line]").first().waitFor({ timeout: 20_000 });
    return block;
  }

  it("a shopper finds a delivered order and requests an exchange, seeing the amount before submitting", async () => {
    const page = await newPage(browser);
    const block = await findOrder(page, "en");
    await page.screenshot({ path: screenshotPath("returns-block-order-en"), fullPage: true });
    const row = block.locator(`[data-line="${pick.lineItemId}"]`);
    await expect(row.locator('[data-field="pick"]').isEnabled()).resolves.toBe(true);
    // Submitting with nothing chosen is refused in the page, with focus on the first item.
    await block.getByRole("button", { name: "Request return" }).click();
    await expect(block.locator("[data-status]").innerText()).resolves.toBe("Choose at least one item to return.");
    // Only a resolution with a bonus says so; fixing the problem clears its message.
    await expect(block.locator(".aftercare-returns__choice", { hasText: "Refund" }).innerText()).resolves.toBe("Refund to my original payment");

    await row.locator('[data-field="pick"]').check();
    await row.locator('[data-field="reason"]').selectOption("too_small");
    await expect(block.locator("[data-status]").innerText()).resolves.toBe("");
    await block.locator('input[name="resolution"][value="exchange_variant"]').check();
    const exchange = row.locator('[data-field="exchange"]');
    await exchange.waitFor();
    await exchange.selectOption({ index: 1 });
    await expect(block.locator('[data-slot="total-label"]').innerText()).resolves.toBe("Toward your exchange");
    const total = await block.locator('[data-slot="total"]').innerText();
    expect(total).toMatch(/\$\d/);
    await page.screenshot({ path: screenshotPath("returns-block-exchange-en"), fullPage: true });

    await block.getByRole("button", { name: "Request return" }).click();
    const done = block.locator(".aftercare-returns__card h3");
    await done.waitFor({ timeout: 20_000 });
    const heading = await done.innerText();
    expect(heading).toMatch(/^Return \S+-R\d+ is requested$/);
    returnNumber = heading.split(" ")[1];
    await expect(block.locator('[data-slot="link"]').getAttribute("href")).resolves.toMatch(/[?&]return=/);
    await expect(block.locator('[data-slot="amount"]').innerText()).resolves.toBe(`Toward your exchange: ${total}`);
    await page.screenshot({ path: screenshotPath("returns-block-done-en"), fullPage: true });

    // The status link opens the same return later.
    await page.goto((await block.locator('[data-slot="link"]').getAttribute("href"))!);
    await expect(page.locator("aftercare-returns-portal .aftercare-returns__card h3").innerText({ timeout: 20_000 })).resolves.toBe(`Return ${returnNumber}`);

    const stored = await db.returnCase.findFirstOrThrow({ where: { shop: demo.shop, number: returnNumber }, include: { lines: true } });
    expect(stored).toMatchObject({ status: "requested", resolution: "exchange_variant", orderShopifyId: pick.orderId });
    expect(stored.lines[0].exchangeVariantShopifyId).toMatch(/^gid:\/\/shopify\/ProductVariant\//);
    expect(stored.shopifyReturnId).toMatch(/^gid:\/\/shopify\/Return\//);
    await page.close();
  });

  it("shows the block right to left in Persian, with the item just returned no longer returnable", async () => {
    const page = await newPage(browser, { locale: "fa-IR" });
    const block = await findOrder(page, "fa");
    await expect(block.getAttribute("dir")).resolves.toBe("rtl");
    expect(await block.innerText()).not.toContain("translation missing");
    await expect(block.locator("legend").first().innerText()).resolves.toBe("کالاهایی را که می‌خواهید مرجوع کنید انتخاب کنید");
    await page.screenshot({ path: screenshotPath("returns-block-order-fa"), fullPage: true });
    await page.close();
  });

  it("the merchant approves, receives (restock) and resolves it on the desk; Shopify shows it processed and closed", async () => {
    const page = await newPage(browser, { height: 1100 });
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns`);
    const app = page.frameLocator("iframe#app");
    await app.getByText(returnNumber, { exact: true }).first().waitFor({ timeout: 30_000 });
    await expect(page.locator("#app-nav a", { hasText: "Returns" }).waitFor()).resolves.toBeUndefined();
    await app.getByRole("tab", { name: "Returns desk" }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("returns-desk-en"), fullPage: true });

    await app.getByText(returnNumber, { exact: true }).first().click();
    await app.getByRole("button", { name: "Approve return" }).click();
    await app.getByRole("button", { name: "Mark items received" }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("returns-desk-return-approved-en"), fullPage: true });
    await app.locator("select").first().selectOption("restock");
    await app.getByRole("button", { name: "Mark items received" }).click();
    await app.getByRole("button", { name: "Resolve and close" }).click({ timeout: 20_000 });
    await app.getByText("This return is complete.").waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("returns-desk-return-closed-en"), fullPage: true });

    const stored = await db.returnCase.findFirstOrThrow({ where: { shop: demo.shop, number: returnNumber }, include: { lines: true } });
    expect(stored).toMatchObject({ status: "closed", shopifyStatus: "CLOSED" });
    expect(stored.lines[0].disposition).toBe("restock");
    const order = demo.sandbox.shop(demo.shop).orders.find((o) => `gid://shopify/Order/${o.id}` === pick.orderId)!;
    const ret = order.returns.find((r) => `gid://shopify/Return/${r.id}` === stored.shopifyReturnId)!;
    expect(ret.status).toBe("closed");
    expect(ret.lines.every((l) => l.processedQuantity === l.quantity)).toBe(true);
    expect(ret.reverseFulfillmentOrders[0].lineItems[0].dispositions).toMatchObject([{ type: "RESTOCKED" }]);

    // The insights tab counts it.
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns/insights`);
    await app.getByText("Revenue kept").waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("returns-insights-en"), fullPage: true });
    await page.close();
  });
});
