import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";

import type { Db } from "../../app/db.server";
import { readPolicy } from "../../app/domain/returns/policy";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { extensionFrame } from "./customer-accounts";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";
import { turnOnStorefrontLookup } from "./returns-lookup";

// Returns as a shopper and a merchant meet them. By default the storefront Returns block sends
// shoppers to sign in to customer accounts, where the return starts (the app proxy refuses the
// lookup). With the merchant's order lookup on, the storefront Returns block starts an exchange
// for a delivered demo order, the merchant approves, receives and resolves it on the returns desk
// inside the admin frame, and the sandbox's Shopify shows the exchange made (its exchange line
// items), processed (the replacement on the order) and closed. A second shopper exchanges for any
// product, searching the shop.
describe.skipIf(!chromiumAvailable())("returns, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  interface Pick {
    orderName: string;
    orderId: string;
    email: string;
    lineItemId: string;
    title: string;
  }
  let pick: Pick;
  // Another order's line worth at least 16.00 each, to exchange for a 16.00 notebook.
  let anyPick: Pick | undefined;
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
      const order = await db.order.findUnique({
        where: { shop_shopifyId: { shop: demo.shop, shopifyId: f.orderShopifyId } },
        include: { lineItems: true },
      });
      const refunds = await db.refund.count({ where: { shop: demo.shop, orderShopifyId: f.orderShopifyId } });
      if (!order?.email || order.cancelledAt || refunds > 0) continue;
      const line = order.lineItems.find((li) => {
        const product = products.find((p) => `gid://shopify/Product/${p.id}` === li.productShopifyId);
        return (
          f.lines.some((l) => l.lineItemShopifyId === li.shopifyId) &&
          product &&
          product.variants.length > 1 &&
          !product.tags.includes("final-sale")
        );
      });
      if (line && !pick) {
        pick = {
          orderName: order.name,
          orderId: order.shopifyId,
          email: order.email,
          lineItemId: line.shopifyId,
          title: line.title,
        };
        continue;
      }
      const worth = order.lineItems.find((li) => {
        const product = products.find((p) => `gid://shopify/Product/${p.id}` === li.productShopifyId);
        return (
          f.lines.some((l) => l.lineItemShopifyId === li.shopifyId) &&
          product &&
          !product.tags.includes("final-sale") &&
          li.priceMinor - li.totalDiscountMinor / li.quantity >= 1600
        );
      });
      if (pick && worth && !anyPick)
        anyPick = {
          orderName: order.name,
          orderId: order.shopifyId,
          email: order.email,
          lineItemId: worth.shopifyId,
          title: worth.title,
        };
      if (pick && anyPick) break;
    }
    expect(pick, "the demo has a delivered order with an exchangeable item").toBeDefined();
    expect(anyPick, "the demo has a second delivered order to exchange for any product").toBeDefined();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  async function findOrder(page: Page, locale: string, which: Pick = pick) {
    await turnOnStorefrontLookup(demo, db);
    await page.goto(`${demo.sandboxUrl}/store?block=returns-portal&locale=${locale}`);
    const block = page.locator("aftercare-returns-portal");
    await block.locator('input[name="order"]').fill(which.orderName);
    await block.locator('input[name="email"]').fill(which.email);
    await block.locator('button[type="submit"]').first().click();
    await block.locator("[data-line]").first().waitFor({ timeout: 20_000 });
    return block;
  }

  /** Shopify's sign-in: the email, then the code it emails (the sandbox shows its mail on the page). */
  async function signInWithCode(page: Page, email: string) {
    await page.locator('input[name="email"]').fill(email);
    await page.locator("form button").click();
    const mail = await page.locator("#mailbox").locator("..").textContent();
    const code = /code is (\d{6})/.exec(mail ?? "")?.[1];
    expect(code, `a sign-in code for ${email}`).toBeTruthy();
    await page.locator('input[name="code"]').fill(code!);
    await page.locator("form button").click();
  }

  const byDefault =
    "by default the block sends a guest to sign in, then to the order's Return or exchange; the proxy refuses lookups";
  it(byDefault, async () => {
    // The app proxy itself refuses, whatever a page sends.
    const query = new URLSearchParams({ order: pick.orderName, email: pick.email, locale: "en" });
    const refused = await fetch(`${demo.sandboxUrl}/apps/aftercare/returns?${query}`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: "sign_in_required",
      message: expect.stringMatching(/sign in/),
    });

    const page = await newPage(browser, { height: 900 });
    await page.goto(`${demo.sandboxUrl}/store?block=returns-portal&locale=en&customer=guest`);
    const block = page.locator("aftercare-returns-portal");
    await block.getByText("Sign in with the email you used at checkout").waitFor();
    expect(await block.locator('input[name="order"]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath("returns-block-sign-in-en"), fullPage: true });
    await block.getByRole("link", { name: "Sign in to start a return" }).click();
    await page.waitForURL(/\/customer-accounts\/sign-in\?locale=en$/);
    await signInWithCode(page, pick.email);
    await page.waitForURL(/\/customer-accounts\/orders\?locale=en$/);
    await page.getByRole("link", { name: pick.orderName, exact: true }).click();
    const id = pick.orderId.split("/").pop();
    await page.waitForURL(new RegExp(`/customer-accounts/orders/${id}\\?locale=en$`));
    const action = await extensionFrame(page, "aftercare-return-action");
    await action.getByRole("link", { name: "Return or exchange" }).click();
    await page.waitForURL(new RegExp(`/customer-accounts/extensions/aftercare-returns-page/orders/${id}\\?locale=en$`));
    const returns = await extensionFrame(page, "aftercare-returns-page");
    await returns.getByText(pick.title).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("returns-sign-in-returns-page-en"), fullPage: true });
    await page.context().close();
  });

  const signedInPersian =
    "a signed-in shopper's order in the block leads, in Persian, through the sign-in to the order and its returns page";
  it(signedInPersian, async () => {
    const customer = demo.sandbox.shop(demo.shop).customers.find((c) => c.email === pick.email)!;
    const page = await newPage(browser, { height: 900 });
    await page.goto(`${demo.sandboxUrl}/store?block=returns-portal&locale=fa&customer=${customer.id}`);
    const block = page.locator("aftercare-returns-portal");
    const link = block.locator("[data-mine] a", { hasText: pick.orderName });
    expect(await link.innerText()).toBe(`بازگرداندن یا تعویض کالاهای سفارش ${pick.orderName}`);
    expect(await block.locator("bdi", { hasText: pick.orderName }).getAttribute("dir")).toBe("ltr");
    await page.screenshot({ path: screenshotPath("returns-block-signed-in-fa"), fullPage: true });
    await link.click();
    // Not signed in to customer accounts yet in this browser: Shopify asks, then comes back to the order.
    await page.waitForURL(/\/customer-accounts\/sign-in\?/);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await signInWithCode(page, pick.email);
    const id = pick.orderId.split("/").pop();
    await page.waitForURL(new RegExp(`/customer-accounts/orders/${id}\\?locale=fa$`));
    expect(await page.getAttribute("html", "lang")).toBe("fa");
    const action = await extensionFrame(page, "aftercare-return-action");
    await action.getByRole("link", { name: "بازگرداندن یا تعویض" }).click();
    await page.waitForURL(new RegExp(`/customer-accounts/extensions/aftercare-returns-page/orders/${id}\\?locale=fa$`));
    const returns = await extensionFrame(page, "aftercare-returns-page");
    await returns.getByText(pick.title).first().waitFor({ timeout: 20_000 });
    expect(await returns.getAttribute("html", "dir")).toBe("rtl");
    await page.screenshot({ path: screenshotPath("returns-sign-in-returns-page-fa"), fullPage: true });
    await page.context().close();
  });

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
    await expect(block.locator(".aftercare-returns__choice", { hasText: "Refund" }).innerText()).resolves.toBe(
      "Refund to my original payment",
    );

    await row.locator('[data-field="pick"]').check();
    await row.locator('[data-field="reason"]').selectOption("too_small");
    await expect(block.locator("[data-status]").innerText()).resolves.toBe("");
    await block.locator('input[name="resolution"][value="exchange_variant"]').check();
    const exchange = row.locator('[data-field="exchange"]');
    await exchange.waitFor();
    await exchange.selectOption({ index: 1 });
    // Another size at the same price: no difference, nothing left over as store credit.
    await expect(row.locator('[data-slot="difference"]').innerText()).resolves.toBe("Price difference: +$0.00");
    await expect(block.locator('[data-slot="total-label"]').innerText()).resolves.toBe(
      "Store credit after the exchange",
    );
    const newItems = (await block.locator('[data-slot="new-items"]').innerText()).replace("−", "");
    await expect(block.locator('[data-slot="items"]').innerText()).resolves.toBe(newItems);
    const total = await block.locator('[data-slot="total"]').innerText();
    expect(total).toBe("$0.00");
    await page.screenshot({ path: screenshotPath("returns-block-exchange-en"), fullPage: true });

    await block.getByRole("button", { name: "Request return" }).click();
    const done = block.locator(".aftercare-returns__card h3");
    await done.waitFor({ timeout: 20_000 });
    const heading = await done.innerText();
    expect(heading).toMatch(/^Return \S+-R\d+ is requested$/);
    returnNumber = heading.split(" ")[1];
    await expect(block.locator('[data-slot="link"]').getAttribute("href")).resolves.toMatch(/[?&]return=/);
    await expect(block.locator('[data-slot="amount"]').innerText()).resolves.toBe(
      `New items: ${newItems} · Store credit after the exchange: ${total}`,
    );
    await expect(block.locator('[data-slot="items"] li').first().innerText()).resolves.toMatch(
      /In exchange: .+ \(confirmed when the shop approves\)$/,
    );
    await page.screenshot({ path: screenshotPath("returns-block-done-en"), fullPage: true });

    // The status link opens the same return later.
    await page.goto((await block.locator('[data-slot="link"]').getAttribute("href"))!);
    await expect(
      page.locator("aftercare-returns-portal .aftercare-returns__card h3").innerText({ timeout: 20_000 }),
    ).resolves.toBe(`Return ${returnNumber}`);

    const stored = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop, number: returnNumber },
      include: { lines: true },
    });
    expect(stored).toMatchObject({ status: "requested", resolution: "exchange_variant", orderShopifyId: pick.orderId });
    expect(stored.lines[0].exchangeVariantShopifyId).toMatch(/^gid:\/\/shopify\/ProductVariant\//);
    // Shopify's return requests cannot carry exchange items: Shopify hears of it on approval.
    expect(stored.shopifyReturnId).toBeNull();
    expect(stored.exchangeMinor).toBe(stored.itemsMinor);
    await page.close();
  });

  it("shows the block right to left in Persian, with the item just returned no longer returnable", async () => {
    const page = await newPage(browser, { locale: "fa-IR" });
    const block = await findOrder(page, "fa");
    await expect(block.getAttribute("dir")).resolves.toBe("rtl");
    expect(await block.innerText()).not.toContain("translation missing");
    await expect(block.locator("legend").first().innerText()).resolves.toBe(
      "کالاهایی را که می‌خواهید مرجوع کنید انتخاب کنید",
    );
    await page.screenshot({ path: screenshotPath("returns-block-order-fa"), fullPage: true });
    await page.close();
  });

  const resolvedOnTheDesk =
    "the merchant approves, receives (restock) and resolves it on the desk; Shopify shows it processed and closed";
  it(resolvedOnTheDesk, async () => {
    const page = await newPage(browser, { height: 1100 });
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns`);
    const app = page.frameLocator("iframe#app");
    await app.getByText(returnNumber, { exact: true }).first().waitFor({ timeout: 30_000 });
    await expect(page.locator("#app-nav a", { hasText: "Returns" }).waitFor()).resolves.toBeUndefined();
    await app.getByRole("tab", { name: "Returns desk" }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: screenshotPath("returns-desk-en"), fullPage: true });

    await app.getByText(returnNumber, { exact: true }).first().click();
    await app.getByText("Shopify's exchange is made on approval").waitFor({ timeout: 20_000 });
    await app.getByRole("button", { name: "Approve return" }).click();
    await app.getByRole("button", { name: "Mark items received" }).waitFor({ timeout: 20_000 });
    await app.getByText("In Shopify's return").waitFor();
    await page.screenshot({ path: screenshotPath("returns-desk-return-approved-en"), fullPage: true });
    // Approving made Shopify's return, open, with the chosen variant as its exchange line item.
    const approved = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop, number: returnNumber },
      include: { lines: true },
    });
    const orderNow = () =>
      demo.sandbox.shop(demo.shop).orders.find((o) => `gid://shopify/Order/${o.id}` === pick.orderId)!;
    const shopifyReturn = () =>
      orderNow().returns.find((r) => `gid://shopify/Return/${r.id}` === approved.shopifyReturnId)!;
    expect(shopifyReturn().status).toBe("open");
    expect(shopifyReturn().exchangeLines).toMatchObject([
      {
        variantId: Number(approved.lines[0].exchangeVariantShopifyId!.split("/").pop()),
        quantity: approved.lines[0].quantity,
        processedQuantity: 0,
      },
    ]);
    expect(approved.lines[0].shopifyExchangeLineItemId).toBe(
      `gid://shopify/ExchangeLineItem/${shopifyReturn().exchangeLines![0].id}`,
    );
    await app.locator("select").first().selectOption("restock");
    await app.getByRole("button", { name: "Mark items received" }).click();
    await app.getByRole("button", { name: "Resolve and close" }).click({ timeout: 20_000 });
    await app.getByText("This return is complete.").waitFor({ timeout: 20_000 });
    await app.getByText("Added to the order").waitFor();
    await page.screenshot({ path: screenshotPath("returns-desk-return-closed-en"), fullPage: true });

    const stored = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop, number: returnNumber },
      include: { lines: true },
    });
    expect(stored).toMatchObject({ status: "closed", shopifyStatus: "CLOSED" });
    expect(stored.lines[0].disposition).toBe("restock");
    const order = demo.sandbox.shop(demo.shop).orders.find((o) => `gid://shopify/Order/${o.id}` === pick.orderId)!;
    const ret = order.returns.find((r) => `gid://shopify/Return/${r.id}` === stored.shopifyReturnId)!;
    expect(ret.status).toBe("closed");
    expect(ret.lines.every((l) => l.processedQuantity === l.quantity)).toBe(true);
    expect(ret.reverseFulfillmentOrders[0].lineItems[0].dispositions).toMatchObject([{ type: "RESTOCKED" }]);
    // Processed: the replacement is a new line of the same order, with a fulfillment order to ship it.
    const exchangeLine = ret.exchangeLines![0];
    expect(exchangeLine.processedQuantity).toBe(exchangeLine.quantity);
    const replacement = order.lineItems.find((l) => l.id === exchangeLine.lineItemIds[0])!;
    expect(`gid://shopify/ProductVariant/${replacement.variantId}`).toBe(stored.lines[0].exchangeVariantShopifyId);
    expect(
      order.fulfillmentOrders.some(
        (fo) =>
          fo.status === "OPEN" &&
          fo.lineItems.some((l) => l.lineItemId === replacement.id && l.remainingQuantity === replacement.quantity),
      ),
    ).toBe(true);
    expect(stored.lines[0].replacementLineItemShopifyId).toBe(`gid://shopify/LineItem/${replacement.id}`);

    // The insights tab counts it.
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns/insights`);
    await app.getByText("Revenue kept").waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("returns-insights-en"), fullPage: true });
    await page.close();
  });

  const exchangeForAnyProduct =
    "a shopper exchanges for any product: searches the shop, sees the price difference and the bonus, and submits";
  it(exchangeForAnyProduct, async () => {
    // The shop offers it, with a 10% bonus.
    const row = await db.returnSettings.findUnique({ where: { shop: demo.shop } });
    const policy = readPolicy(row?.settings);
    const settings = JSON.stringify({
      ...policy,
      resolutions: { ...policy.resolutions, exchangeAny: true, exchangeBonusPercent: 10 },
    });
    await db.returnSettings.upsert({
      where: { shop: demo.shop },
      create: { shop: demo.shop, settings },
      update: { settings },
    });

    const page = await newPage(browser, { height: 1200 });
    const block = await findOrder(page, "en", anyPick);
    const line = block.locator(`[data-line="${anyPick!.lineItemId}"]`);
    await line.locator('[data-field="pick"]').check();
    await line.locator('[data-field="reason"]').selectOption("changed_mind");
    await block.locator('input[name="resolution"][value="exchange_any"]').check();
    await expect(
      block.locator(".aftercare-returns__choice", { hasText: "Exchange for another item" }).innerText(),
    ).resolves.toMatch(/^Exchange for another item\s+\+10% bonus$/);
    // Submitting before choosing points at the search.
    await block.getByRole("button", { name: "Request return" }).click();
    await expect(block.locator("[data-status]").innerText()).resolves.toBe(
      "Choose what you would like in exchange for each item.",
    );
    await expect(line.locator('[data-field="search"]').evaluate((el) => el === document.activeElement)).resolves.toBe(
      true,
    );

    // A dearer item: the block says what the shopper pays through Shopify's invoice, and when it ships.
    await line.locator('[data-field="search"]').fill("tote");
    await line.locator('[data-field="search"]').press("Enter");
    await line.locator('[data-field="any"]').first().check({ timeout: 20_000 });
    await expect(block.locator("[data-status]").innerText()).resolves.toMatch(
      // The demo's orders carry no tax, so neither does the difference Shopify's invoice asks for.
      /^The new items cost \$[\d.]+ more\. .*your new items ship once it is paid\.$/,
    );
    await expect(block.locator('[data-slot="total"]').innerText()).resolves.toMatch(/^\$\d+\.\d\d$/);
    await page.screenshot({ path: screenshotPath("returns-block-exchange-dearer-en"), fullPage: true });
    // The same in Persian: the sentence in the shopper's language, the amount in the shop's currency.
    const fa = await newPage(browser, { height: 1200 });
    const faBlock = await findOrder(fa, "fa", anyPick);
    const faLine = faBlock.locator(`[data-line="${anyPick!.lineItemId}"]`);
    await faLine.locator('[data-field="pick"]').check();
    await faLine.locator('[data-field="reason"]').selectOption("changed_mind");
    await faBlock.locator('input[name="resolution"][value="exchange_any"]').check();
    await faLine.locator('[data-field="search"]').fill("tote");
    await faLine.locator('[data-field="search"]').press("Enter");
    await faLine.locator('[data-field="any"]').first().check({ timeout: 20_000 });
    await expect(faBlock.locator("[data-status]").innerText()).resolves.toMatch(
      /^کالاهای جدید .+ پس از پرداخت ارسال می‌شوند\.$/,
    );
    await fa.screenshot({ path: screenshotPath("returns-block-exchange-dearer-fa"), fullPage: true });
    await fa.close();

    await line.locator('[data-field="search"]').fill("notebook");
    await line.getByRole("button", { name: "Search" }).click();
    await line.locator(".aftercare-returns__choice", { hasText: "Dotted" }).waitFor({ timeout: 20_000 });
    await expect(line.locator('[data-slot="results"] strong').allInnerTexts()).resolves.toEqual(["Linen Notebook"]);
    await line.locator(".aftercare-returns__choice", { hasText: "Dotted" }).locator("input").check();
    await expect(block.locator("[data-status]").innerText()).resolves.toBe("");
    const items = await block.locator('[data-slot="items"]').innerText();
    const value = Number(items.replace(/[^\d.]/g, ""));
    await expect(line.locator('[data-slot="difference"]').innerText()).resolves.toBe(
      `Price difference: −$${(value - 16).toFixed(2)}`,
    );
    await expect(block.locator('[data-slot="new-items"]').innerText()).resolves.toBe("−$16.00");
    const bonus = Math.floor((Math.round(value * 100) * 1000 + 5000) / 10000) / 100;
    await expect(block.locator('[data-slot="bonus"]').innerText()).resolves.toBe(`+$${bonus.toFixed(2)}`);
    const credit = `$${(value - 16 + bonus).toFixed(2)}`;
    await expect(block.locator('[data-slot="total"]').innerText()).resolves.toBe(credit);
    await page.screenshot({ path: screenshotPath("returns-block-exchange-any-en"), fullPage: true });

    await block.getByRole("button", { name: "Request return" }).click();
    const done = block.locator(".aftercare-returns__card h3");
    await done.waitFor({ timeout: 20_000 });
    await expect(block.locator('[data-slot="amount"]').innerText()).resolves.toBe(
      `New items: $16.00 · Store credit after the exchange: ${credit}`,
    );
    const stored = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop, number: (await done.innerText()).split(" ")[1] },
      include: { lines: true },
    });
    expect(stored).toMatchObject({
      resolution: "exchange_any",
      status: "requested",
      exchangeMinor: 1600,
      shopifyReturnId: null,
    });
    expect(stored.lines[0]).toMatchObject({
      lineItemShopifyId: anyPick!.lineItemId,
      exchangeTitle: "Linen Notebook – Dotted",
      exchangeUnitPriceMinor: 1600,
    });
    await page.close();
  });

  const photosOnTheDesk =
    "a shopper adds photos of a damaged item, uploaded through Shopify's staged uploads; the desk shows them";
  it(photosOnTheDesk, async () => {
    // Another delivered order, neither of the two returned above.
    const taken = new Set([pick.orderId, anyPick!.orderId]);
    const delivered = await db.fulfillment.findMany({
      where: { shop: demo.shop, status: "success", deliveredAt: { gte: new Date(Date.now() - 20 * 86_400_000) } },
      include: { lines: true },
      orderBy: { deliveredAt: "desc" },
    });
    let photoPick: Pick | undefined;
    for (const f of delivered) {
      if (taken.has(f.orderShopifyId)) continue;
      const order = await db.order.findUnique({
        where: { shop_shopifyId: { shop: demo.shop, shopifyId: f.orderShopifyId } },
        include: { lineItems: true },
      });
      const returned = await db.returnCase.count({ where: { shop: demo.shop, orderShopifyId: f.orderShopifyId } });
      if (!order?.email || order.cancelledAt || returned) continue;
      const line = order.lineItems.find((li) => f.lines.some((l) => l.lineItemShopifyId === li.shopifyId));
      if (!line || /final sale/i.test(line.title)) continue;
      photoPick = {
        orderName: order.name,
        orderId: order.shopifyId,
        email: order.email,
        lineItemId: line.shopifyId,
        title: line.title,
      };
      break;
    }
    expect(photoPick, "the demo has a third delivered order").toBeDefined();
    // A 1×1 PNG: what the storage keeps and the desk shows.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );

    // Persian: the picker and its words, right to left.
    const fa = await newPage(browser, { locale: "fa-IR", height: 1100 });
    const faBlock = await findOrder(fa, "fa", photoPick);
    const faLine = faBlock.locator(`[data-line="${photoPick!.lineItemId}"]`);
    await faLine.locator('[data-field="pick"]').check();
    await faLine.locator('[data-field="reason"]').selectOption("defective");
    await expect(faLine.locator('[data-slot="photos-box"]').innerText()).resolves.toContain("عکس‌های مشکل (اختیاری)");
    await expect(faLine.locator(".aftercare-returns__file .aftercare-returns__button").innerText()).resolves.toBe(
      "افزودن عکس",
    );
    await faLine.locator('[data-field="photos"]').setInputFiles({ name: "a.gif", mimeType: "image/gif", buffer: png });
    await expect(faBlock.locator("[data-status]").innerText()).resolves.toBe(
      "عکس‌ها باید تصویر JPEG، PNG یا WebP باشند.",
    );
    await fa.screenshot({ path: screenshotPath("returns-block-photos-fa"), fullPage: true });
    await fa.close();

    const page = await newPage(browser, { height: 1100 });
    const block = await findOrder(page, "en", photoPick);
    const line = block.locator(`[data-line="${photoPick!.lineItemId}"]`);
    await line.locator('[data-field="pick"]').check();
    // Only a reason that asks for photos shows the picker.
    await line.locator('[data-field="reason"]').selectOption("too_small");
    await expect(line.locator('[data-slot="photos-box"]').isHidden()).resolves.toBe(true);
    await line.locator('[data-field="reason"]').selectOption("defective");
    await expect(line.locator('[data-slot="photos-box"]').isVisible()).resolves.toBe(true);
    await line.locator('[data-field="note"]').fill("The handle came off.");
    const photos = line.locator('[data-field="photos"]');
    const file = (name: string) => ({ name, mimeType: "image/png", buffer: png });
    await photos.setInputFiles([file("1.png"), file("2.png"), file("3.png"), file("4.png")]);
    await expect(block.locator("[data-status]").innerText()).resolves.toBe("Add at most 3 photos per item.");
    await block.getByRole("button", { name: "Request return" }).click();
    await expect(photos.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await photos.setInputFiles([file("handle.png")]);
    await expect(block.locator("[data-status]").innerText()).resolves.toBe("");
    // The block's own button, in its language, stands in for the browser's file button.
    await expect(line.locator(".aftercare-returns__file .aftercare-returns__button").innerText()).resolves.toBe(
      "Add photos",
    );
    await expect(line.locator('[data-slot="photos-chosen"]').innerText()).resolves.toBe("handle.png");
    await page.screenshot({ path: screenshotPath("returns-block-photos-en"), fullPage: true });

    // The browser uploads to the storage's target itself, then sends the return.
    const uploaded = page.waitForResponse(
      (r) => r.url().endsWith("/staged-uploads/") && r.request().method() === "POST",
    );
    await block.getByRole("button", { name: "Request return" }).click();
    expect((await uploaded).status()).toBe(201);
    const done = block.locator(".aftercare-returns__card h3");
    await done.waitFor({ timeout: 20_000 });
    const stored = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop, number: (await done.innerText()).split(" ")[1] },
      include: { lines: { include: { photos: true } } },
    });
    expect(stored.lines[0].reason).toBe("defective");
    expect(stored.lines[0].photos).toHaveLength(1);
    await page.close();

    // The desk: a thumbnail linking to the full image, which Shopify's CDN serves.
    const desk = await newPage(browser, { height: 1100 });
    await desk.goto(`${demo.sandboxUrl}/admin?path=/app/returns/${stored.id}`);
    const app = desk.frameLocator("iframe#app");
    const thumbnail = app.getByRole("img", { name: `Photo 1 of ${photoPick!.title}` });
    await thumbnail.waitFor({ timeout: 30_000 });
    await app.getByRole("tab", { name: "Returns desk" }).waitFor({ timeout: 20_000 });
    const href = await app.locator("a", { has: thumbnail }).getAttribute("href");
    expect(href).toMatch(/\/cdn\/files\/\d+\/handle\.png$/);
    const image = await desk.request.get(href!);
    expect([image.status(), image.headers()["content-type"]]).toEqual([200, "image/png"]);
    expect(Buffer.from(await image.body())).toEqual(png);
    await desk.screenshot({ path: screenshotPath("returns-desk-photos-en"), fullPage: true });
    await desk.close();
  });
});
