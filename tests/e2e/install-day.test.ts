import { readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";

import type { Db } from "../../app/db.server";
import type { Order } from "../../sandbox/engine";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo } from "./demo";
import { turnOnStorefrontLookup } from "./returns-lookup";

const DAY = 86_400_000;
/** The task that moves imports on when Shopify's finish webhook is missed (history-import/register.server.ts). */
const IMPORT_FALLBACK_TASK = "history-import.advance";
const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

/** What the Sync page's Order history card showed, each time it changed. */
interface CardState {
  percent: number | null;
  summary: string;
}

// Install day on a shop with a past, as a merchant and a shopper meet it: the sandbox shop has five
// months of orders in every state, made while the app was not installed (so no webhook told the app
// of them). Opening the admin installs the app; its setup guide and the Sync page's progress bar
// follow the import of the last 90 days to its end; a shopper then finds an order placed before the
// install on the storefront's tracking block and starts a return for it; the guide's link for the
// tracking block is Shopify's theme-editor deep link.
describe.skipIf(!chromiumAvailable())("install day on a shop with a past, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  /** The import's `since`: the orders placed from then on are the ones it brings. */
  let since: Date;
  /** When the install queued the import. */
  let installedAt: Date;
  /** A delivered order from before the install, for the shopper's lookup and return. */
  let pick: { order: Order; email: string; lineItemId: string };

  const shopOrders = () => demo.sandbox.shop(demo.shop).orders;
  const inWindow = () => shopOrders().filter((o) => Date.parse(o.createdAt) >= since.getTime());
  const appFrame = async (page: Page, path: string): Promise<Frame> => {
    await page.locator("iframe#app").waitFor();
    const handle = await page.locator("iframe#app").elementHandle();
    const frame = await handle!.contentFrame();
    await frame!.waitForURL((url) => url.pathname === path, { timeout: 30_000 });
    return frame!;
  };

  beforeAll(async () => {
    demo = await startTestDemo(240, { freshInstall: true, install: false, customers: 24 });
    db = openDb(demo.databaseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    demo?.sandbox.webhooks.release();
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  it("the shop has a past in every state, and the app has heard nothing of it", async () => {
    const history = demo.history!;
    expect(history.orders).toBe(240);
    expect(shopOrders()).toHaveLength(240);
    // Every state a merchant meets, from the sandbox's own state after the seed.
    for (const [state, count] of Object.entries(history.states)) expect(count, state).toBeGreaterThan(0);
    for (const [status, count] of Object.entries(history.returns)) expect(count, status).toBeGreaterThan(0);
    expect(history.repeatCustomers).toBeGreaterThanOrEqual(5);
    // Some orders are older than the install's 90 days (for an import of a longer window).
    expect(history.inImportWindow).toBeGreaterThan(0);
    expect(history.inImportWindow).toBeLessThan(history.orders);
    // Not installed: Shopify sent nothing, and the app has no session, order or webhook for the shop.
    expect(demo.sandbox.shop(demo.shop).appInstalled).toBe(false);
    expect(demo.sandbox.webhooks.deliveries({ shop: demo.shop })).toEqual([]);
    expect(await db.session.count({ where: { shop: demo.shop } })).toBe(0);
    expect(await db.order.count({ where: { shop: demo.shop } })).toBe(0);
    expect(await db.webhookEvent.count({ where: { shop: demo.shop } })).toBe(0);
  });

  const watchTheImport =
    "opening the admin installs the app; the setup guide and the Sync page's progress bar follow the import to its end";
  it(watchTheImport, { timeout: 240_000 }, async () => {
    // Shopify's finish webhook waits until the test has seen the import under way; the 30-second
    // fallback that moves imports on without it (tested on its own) is kept out of the way meanwhile.
    demo.sandbox.webhooks.hold();
    await db.scheduledTask.upsert({
      where: { name: IMPORT_FALLBACK_TASK },
      create: { name: IMPORT_FALLBACK_TASK, nextRunAt: new Date(Date.now() + DAY) },
      update: { nextRunAt: new Date(Date.now() + DAY) },
    });

    // The merchant opens the app from the admin: the session token is exchanged, which installs it.
    const home = await newPage(browser);
    const warnings: string[] = [];
    home.on("console", (m) => {
      if (m.type() === "warning" || m.type() === "error") warnings.push(m.text());
    });
    await home.goto(`${demo.sandboxUrl}/admin?path=/app`);
    const homeApp = home.frameLocator("iframe#app");
    await homeApp.getByText("Setup guide", { exact: true }).waitFor({ timeout: 30_000 });
    expect(demo.sandbox.shop(demo.shop).appInstalled).toBe(true);
    // The install queued the import; the page, which may have been read before it was, finds it
    // and follows it by itself, with no reload.
    const row = await db.historyImport.findFirstOrThrow({ where: { shop: demo.shop } });
    expect(row).toMatchObject({ trigger: "install", windowDays: 90 });
    since = row.since;
    installedAt = row.createdAt;
    const historyStep = homeApp.locator("#setup-step-history");
    await expect(historyStep.locator("button").first().getAttribute("aria-label")).resolves.toBe(
      "Import your order history: not done yet",
    );
    await expect
      .poll(() => historyStep.innerText(), { timeout: 30_000 })
      .toMatch(/The import is queued and starts in a moment\.|Importing now: Shopify is preparing the orders\./);
    await expect(homeApp.getByText("0 of 9 tasks complete").waitFor()).resolves.toBeUndefined();
    await home.waitForTimeout(300); // the open step's Collapsible finishes opening
    await home.screenshot({ path: screenshotPath("install-day-home-importing-en"), fullPage: true });

    // The Sync page: its card records every state it shows while it follows the import.
    const sync = await newPage(browser, { height: 1100 });
    await sync.goto(`${demo.sandboxUrl}/admin?path=/app/sync`);
    const frame = await appFrame(sync, "/app/sync");
    await frame.getByText("Order history", { exact: true }).waitFor({ timeout: 30_000 });
    await frame.locator("#history-import-summary").waitFor();
    await frame.evaluate(() => {
      const seen: { percent: number | null; summary: string }[] = [];
      (window as unknown as { importStates: typeof seen }).importStates = seen;
      const record = () => {
        const summary = document.getElementById("history-import-summary")?.textContent ?? "";
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-labelledby="history-import-summary"]');
        const percent = bar ? Number(bar.value) : null;
        const last = seen.at(-1);
        if (!last || last.summary !== summary || last.percent !== percent) seen.push({ percent, summary });
      };
      record();
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    const states = () => frame.evaluate(() => (window as unknown as { importStates: CardState[] }).importStates);
    const [first] = await states();
    expect(first.percent).toBeLessThan(100);
    expect(first.summary).toMatch(/^(Waiting to start…|Shopify is preparing the orders of the last 90 days…)$/);
    await sync.screenshot({ path: screenshotPath("install-day-sync-importing-en"), fullPage: true });

    // Shopify's bulk query has run; its finish webhook goes out and the app applies the file.
    demo.sandbox.webhooks.release();
    const expected = inWindow().length;
    expect(expected).toBe(demo.history!.inImportWindow);
    const done = `Done: ${expected} orders from the last 90 days imported.`;
    await frame
      .getByText(done, { exact: true })
      .waitFor({ timeout: 150_000 })
      .catch(async (error: Error) => {
        const now = await db.historyImport.findFirst({ where: { shop: demo.shop } });
        throw new Error(
          `${error.message}\nThe card showed ${JSON.stringify(await states())}; the import ${JSON.stringify(now)}`,
        );
      });

    // The bar only moved forward, from under way to full, through the states the card showed.
    const seen = await states();
    const percents = seen.map((s) => s.percent ?? 0);
    expect(
      percents.every((p, k) => k === 0 || p >= percents[k - 1]),
      JSON.stringify(seen),
    ).toBe(true);
    expect(seen.at(-1)).toEqual({ percent: 100, summary: done });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    await frame.getByText("Imported", { exact: true }).waitFor();

    // What the import wrote: every order of the window with its shipments and returns, no webhook.
    const imported = await db.historyImport.findUniqueOrThrow({ where: { id: row.id } });
    expect(imported).toMatchObject({
      trigger: "install",
      status: "completed",
      windowDays: 90,
      ordersTotal: expected,
      ordersImported: expected,
      error: null,
    });
    expect(await db.order.count({ where: { shop: demo.shop } })).toBe(expected);
    const shipments = inWindow().flatMap((o) => o.fulfillments);
    expect(await db.fulfillment.count({ where: { shop: demo.shop } })).toBe(shipments.length);
    const returns = inWindow().flatMap((o) => o.returns);
    expect(await db.shopifyReturn.count({ where: { shop: demo.shop } })).toBe(returns.length);
    const ordersTopics = await db.webhookEvent.count({ where: { shop: demo.shop, topic: { startsWith: "orders/" } } });
    expect(ordersTopics).toBe(0);
    // The page's counts are the mirror's.
    const mirrored = frame.getByRole("heading", { name: "Orders mirrored" }).locator("xpath=following-sibling::p[1]");
    expect(await mirrored.innerText()).toBe(String(expected));
    await sync.screenshot({ path: screenshotPath("install-day-sync-imported-en"), fullPage: true });
    await sync.close();

    await db.scheduledTask.update({ where: { name: IMPORT_FALLBACK_TASK }, data: { nextRunAt: new Date() } });

    // Home, left open all along: the import's step has ticked itself and says what it brought.
    await homeApp.getByText("1 of 9 tasks complete").waitFor({ timeout: 30_000 });
    await expect(historyStep.locator("button").first().getAttribute("aria-label")).resolves.toBe(
      "Import your order history: done",
    );
    // Done steps fold away; opened, it says what the import brought.
    await historyStep.locator("button").first().click();
    await historyStep.getByText(`Imported ${expected} orders from the last 90 days.`).waitFor();
    await home.waitForTimeout(300);
    await home.screenshot({ path: screenshotPath("install-day-home-imported-en"), fullPage: true });
    // One title on the page (the admin's title bar), and no React warning about a guide button's props.
    await expect(homeApp.getByText("Service dashboard", { exact: true }).count()).resolves.toBe(0);
    expect(warnings.filter((w) => /external|non-boolean/i.test(w))).toEqual([]);
    await home.close();
  });

  it("follows the setup guide's link for the tracking block to Shopify's theme editor, block added", async () => {
    const page = await newPage(browser);
    // The sandbox has no theme editor: the browser is answered for the shop's admin, so the click is
    // followed to the address Shopify would open.
    const editorUrls: string[] = [];
    await page.context().route(`https://${demo.shop}/admin/themes/**`, (route) => {
      editorUrls.push(route.request().url());
      return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Theme editor</title>" });
    });
    await page.goto(`${demo.sandboxUrl}/admin?path=/app`);
    const app = page.frameLocator("iframe#app");
    const step = app.locator("#setup-step-block-tracking");
    await step.waitFor({ timeout: 30_000 });
    // The import is done, so the first step not done, the tracking block, is the open one.
    expect(await step.locator("button").first().getAttribute("aria-expanded")).toBe("true");
    const link = step.getByRole("link", { name: "Add to theme" });
    const [editor] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
    await editor.waitForLoadState();
    expect(editorUrls).toHaveLength(1);

    // Shopify's documented deep link: the page template, with the app's block added in a new section.
    const url = new URL(editor.url());
    expect(url.origin).toBe(`https://${demo.shop}`);
    expect(url.pathname).toBe("/admin/themes/current/editor");
    expect([...url.searchParams.keys()].sort()).toEqual(["addAppBlockId", "target", "template"]);
    expect(url.searchParams.get("template")).toBe("page");
    expect(url.searchParams.get("addAppBlockId")).toBe(`${demo.apiKey}/order-tracking`);
    expect(url.searchParams.get("target")).toBe("newAppsSection");
    // The handle is the block's file, an app block that goes in a section (what newAppsSection adds).
    const liquid = readFileSync(
      join(import.meta.dirname, "../../extensions/aftercare/blocks/order-tracking.liquid"),
      "utf8",
    );
    const schema = JSON.parse(/\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(liquid)![1]) as {
      target: string;
    };
    expect(schema.target).toBe("section");
    await editor.close();
    await page.close();
  });

  const lookUpOldOrder =
    "a shopper looks up an order placed before the install on the tracking block, by number and email";
  it(lookUpOldOrder, async () => {
    // A delivered order from before the install, nothing refunded or returned, still inside the
    // return policy's 30 days, with an item that is not final sale.
    const finalSale = new Set(
      demo.sandbox
        .shop(demo.shop)
        .products.filter((p) => p.tags.includes("final-sale"))
        .map((p) => p.id),
    );
    const now = Date.now();
    const candidates = inWindow().filter((o) => {
      const [parcel, ...more] = o.fulfillments;
      const delivered = parcel?.deliveredAt ? Date.parse(parcel.deliveredAt) : 0;
      return (
        o.email &&
        !o.cancelledAt &&
        o.refunds.length === 0 &&
        o.returns.length === 0 &&
        more.length === 0 &&
        parcel?.shipmentStatus === "delivered" &&
        delivered > now - 20 * DAY &&
        o.lineItems.some((l) => l.productId !== null && !finalSale.has(l.productId))
      );
    });
    expect(candidates.length).toBeGreaterThan(0);
    const order = candidates.at(-1)!;
    const line = order.lineItems.find((l) => l.productId !== null && !finalSale.has(l.productId))!;
    pick = { order, email: order.email!, lineItemId: gid("LineItem", line.id) };
    // The app knows the order only from the import.
    const mirrored = await db.order.findUniqueOrThrow({
      where: { shop_shopifyId: { shop: demo.shop, shopifyId: gid("Order", order.id) } },
    });
    expect(mirrored.name).toBe(order.name);
    expect(Date.parse(order.createdAt)).toBeLessThan(installedAt.getTime());

    for (const locale of ["en", "fa"] as const) {
      const page = await newPage(browser, { width: 1024, locale: locale === "fa" ? "fa-IR" : "en-US" });
      await page.goto(`${demo.sandboxUrl}/store?block=order-tracking&locale=${locale}`);
      const block = page.locator("aftercare-order-tracking");
      const answer = page.waitForResponse((r) => r.url().includes("/apps/aftercare/tracking"));
      await block.getByLabel(/Order number|شمارهٔ سفارش/).fill(order.name);
      await block.getByLabel(/^(Email|ایمیل)$/).fill(pick.email.toUpperCase());
      await block.locator("button[type=submit]").click();
      expect((await answer).status()).toBe(200);
      const result = block.locator("[data-result]");
      await result.locator(".aftercare-tracking__card").first().waitFor();
      expect(await result.locator(".aftercare-tracking__order-name").innerText()).toBe(order.name);
      if (locale === "en") {
        expect(await result.locator(".aftercare-tracking__card-title").first().innerText()).toBe(
          "Shipment 1 · Delivered",
        );
        const number = order.fulfillments[0].trackingNumbers[0];
        expect(await result.locator("[data-slot=number]").first().innerText()).toBe(number);
      } else {
        expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
        expect(await block.innerText()).not.toContain("translation missing");
      }
      await page.screenshot({ path: screenshotPath(`install-day-storefront-tracking-${locale}`), fullPage: true });
      await page.close();
    }

    // The block has now been at work on the storefront: the guide ticks its step.
    const admin = await newPage(browser);
    await admin.goto(`${demo.sandboxUrl}/admin?path=/app`);
    const app = admin.frameLocator("iframe#app");
    await app.getByText("2 of 9 tasks complete").waitFor({ timeout: 30_000 });
    await expect(app.locator("#setup-step-block-tracking button").first().getAttribute("aria-label")).resolves.toBe(
      "Add the order tracking block to your theme: done",
    );
    await admin.close();
  });

  it("the shopper starts a return for that order in the returns block", async () => {
    // By order number and email: the merchant turns that lookup on (by default shoppers sign in).
    await turnOnStorefrontLookup(demo, db);
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/store?block=returns-portal&locale=en`);
    const block = page.locator("aftercare-returns-portal");
    await block.locator('input[name="order"]').fill(pick.order.name);
    await block.locator('input[name="email"]').fill(pick.email);
    await block.locator('button[type="submit"]').first().click();
    const row = block.locator(`[data-line="${pick.lineItemId}"]`);
    await row.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("install-day-returns-order-en"), fullPage: true });
    // An order the app imported has shipped lines it can take back.
    await expect(row.locator('[data-field="pick"]').isEnabled()).resolves.toBe(true);
    await row.locator('[data-field="pick"]').check();
    await row.locator('[data-field="reason"]').selectOption("too_small");
    await block.locator('input[name="resolution"][value="refund"]').check();
    await block.getByRole("button", { name: "Request return" }).click();
    const heading = block.locator(".aftercare-returns__card h3");
    await heading.waitFor({ timeout: 20_000 });
    expect(await heading.innerText()).toMatch(/^Return \S+-R\d+ is requested$/);
    await page.screenshot({ path: screenshotPath("install-day-returns-requested-en"), fullPage: true });
    const number = (await heading.innerText()).split(" ")[1];

    // Aftercare's return, and Shopify's return request for the same order.
    const stored = await db.returnCase.findFirstOrThrow({ where: { shop: demo.shop, number } });
    expect(stored).toMatchObject({
      status: "requested",
      resolution: "refund",
      orderShopifyId: gid("Order", pick.order.id),
    });
    expect(stored.shopifyReturnId).not.toBeNull();
    const order = shopOrders().find((o) => o.id === pick.order.id)!;
    const shopifyReturn = order.returns.find((r) => gid("Return", r.id) === stored.shopifyReturnId);
    expect(shopifyReturn?.status).toBe("requested");
    await page.close();
  });
});
