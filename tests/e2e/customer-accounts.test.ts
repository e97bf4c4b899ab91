import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "../../app/db.server";
import { SHOWCASE_CUSTOMER } from "../../sandbox/seed-showcase";
import { DEMO_REWARDS, seedDemoLoyalty } from "../../sandbox/seed-program";
import { buildExtensions } from "../../scripts/build-extensions.mjs";
import { ltr } from "../../extensions/customer-account-shared/text";

import { chromiumAvailable, launchBrowser, newPage } from "./browser";
import {
  axeEverywhere,
  collectBrowserErrors,
  customerAccountsShot,
  extensionFrame,
  hostErrors,
  signIn,
} from "./customer-accounts";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

// Customer accounts as a signed-in shopper meets them, with the app's five customer-account
// extensions built for real and run by the sandbox's host: the order status page with the
// shipment, its timeline and estimate; an exchange started from the order action "Return or
// exchange", asked of Shopify through the Customer Account API and seen by the merchant on the
// returns desk and in Shopify; the rewards block and page, a reward redeemed for a code Shopify
// holds for that customer. In English and in Persian (right to left), each surface looked at
// (screenshots in .scratch/customer-accounts/) and checked with axe-core.

const EXTENSIONS = join(import.meta.dirname, "../../extensions");
const HANDLES = [
  "aftercare-order-status",
  "aftercare-return-action",
  "aftercare-returns-page",
  "aftercare-rewards-block",
  "aftercare-rewards-page",
];

/**
 * An extension's own words in a language, read from its locale files as Shopify's translate reads
 * them: dotted keys, {{placeholders}} (numbers in the language's digits), plural forms by `count`.
 */
function words(handle: string, locale: "en" | "fa") {
  const file = join(EXTENSIONS, handle, "locales", locale === "en" ? "en.default.json" : "fa.json");
  const tree = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const number = new Intl.NumberFormat(locale);
  return (key: string, values: Record<string, string | number> = {}) => {
    let found = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], tree);
    if (found && typeof found === "object" && typeof values.count === "number") {
      const forms = found as Record<string, string>;
      found = forms[String(values.count)] ?? forms[new Intl.PluralRules(locale).select(values.count)] ?? forms.other;
    }
    if (typeof found !== "string") throw new Error(`${handle} has no ${locale} string ${key}`);
    return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values[name];
      return typeof value === "number" ? number.format(value) : String(value);
    });
  };
}

const LOCALES = ["en", "fa"] as const;

describe.skipIf(!chromiumAvailable())("customer accounts, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  let customerId: number;
  let customerGid: string;
  /** The showcase customer's orders by state (sandbox/seed-showcase.ts). */
  let orderIn: (state: string) => { id: number; name: string };
  let returnNumber = "";

  beforeAll(async () => {
    demo = await startTestDemo();
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    // The bundles call the app at the address fixed when they are built: this demo's.
    await buildExtensions({ appUrl: demo.appUrl });
    const shop = demo.sandbox.shop(demo.shop);
    const customer = shop.customers.find((c) => c.email === SHOWCASE_CUSTOMER.email)!;
    customerId = customer.id;
    customerGid = `gid://shopify/Customer/${customerId}`;
    // Each state's order as the seed left it (a return started here must not move the exchange's order).
    const mine = structuredClone(shop.orders.filter((o) => o.customerId === customerId));
    orderIn = (state) => {
      const order = mine.find((o) => {
        const statuses: (string | null)[] = o.fulfillments.map((f) => f.shipmentStatus);
        if (state === "unfulfilled") return o.fulfillments.length === 0;
        if (state === "delivered") return statuses.includes("delivered") && !o.returns.length && !o.refunds.length;
        return statuses.includes(state);
      });
      if (!order) throw new Error(`The showcase customer has no order ${state}.`);
      return { id: order.id, name: order.name };
    };

    // The merchant runs a loyalty program (points usable at once), and the shopper has just paid an order.
    await seedDemoLoyalty(db, demo.shop, { pendingDays: 0 });
    const tote = shop.products.find((p) => p.handle === "waxed-tote")!.variants[0];
    demo.sandbox.placeOrder({
      shop: demo.shop,
      customer: customerId,
      lines: [{ variantId: tote.id, quantity: 2 }],
      paid: true,
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      await waitForInboxDrained(db);
      const member = await db.loyaltyMember.findUnique({
        where: { shop_key: { shop: demo.shop, key: `c:${customerGid}` } },
      });
      if ((member?.points ?? 0) >= 136) break;
      if (Date.now() > deadline) throw new Error(`The paid order earned no points: ${JSON.stringify(member)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  async function signedIn(locale: "en" | "fa") {
    const page = await newPage(browser, { height: 1000, locale: locale === "fa" ? "fa-IR" : "en-US" });
    const errors = collectBrowserErrors(page);
    await signIn(page, demo.sandboxUrl, SHOWCASE_CUSTOMER.email);
    return { page, errors };
  }

  /** Waits until the frame shows `text` (the extension has its data), failing with what the host reported. */
  async function showing(frame: Frame, text: string) {
    try {
      await frame.getByText(text, { exact: false }).first().waitFor({ timeout: 20_000 });
    } catch (error) {
      throw new Error(
        `${frame.url()} never showed "${text}": ${(await hostErrors(frame)) || (error as Error).message}`,
      );
    }
  }

  async function look(page: Page, name: string) {
    await page.screenshot({ path: customerAccountsShot(name), fullPage: true });
    expect(await axeEverywhere(page)).toEqual([]);
  }

  const fiveBundles = "runs the five built extensions, each from its bundle, with no console error and nothing missing";
  it(fiveBundles, async () => {
    const { page, errors } = await signedIn("en");
    const seen = new Map<string, string>();
    const visit = async (path: string, handles: string[]) => {
      await page.goto(`${demo.sandboxUrl}/customer-accounts${path}`);
      for (const handle of handles) {
        const frame = await extensionFrame(page, handle);
        expect(await frame.getAttribute("html", "data-sandbox-rendered")).toBe("true");
        // The frame ran the bundle scripts/build-extensions.mjs wrote, served as it is.
        const loaded = await frame.evaluate(() =>
          performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname),
        );
        expect(loaded).toContain(`/customer-accounts/bundles/${handle}.js`);
        seen.set(handle, await hostErrors(frame));
      }
    };
    await visit(`/orders/${orderIn("in_transit").id}`, ["aftercare-return-action", "aftercare-order-status"]);
    await visit(`/extensions/aftercare-returns-page/orders/${orderIn("delivered").id}`, ["aftercare-returns-page"]);
    await visit("/profile", ["aftercare-rewards-block"]);
    await visit("/extensions/aftercare-rewards-page/", ["aftercare-rewards-page"]);
    expect([...seen.keys()].sort()).toEqual(HANDLES);
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(HANDLES.map((h) => [h, ""])));
    await page.waitForTimeout(500);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it.each(LOCALES)(
    "shows an order's shipment, timeline and delivery estimate on its status page (%s)",
    async (locale) => {
      const t = words("aftercare-order-status", locale);
      const { page, errors } = await signedIn(locale);
      const order = orderIn("in_transit");
      await page.goto(`${demo.sandboxUrl}/customer-accounts/orders/${order.id}?locale=${locale}`);
      expect(await page.getAttribute("html", "dir")).toBe(locale === "fa" ? "rtl" : "ltr");
      const frame = await extensionFrame(page, "aftercare-order-status");
      expect(await frame.getAttribute("html", "dir")).toBe(locale === "fa" ? "rtl" : "ltr");
      await showing(frame, t("trackOnCarrier"));

      const fulfillment = demo.sandbox.shop(demo.shop).orders.find((o) => o.id === order.id)!.fulfillments[0];
      const number = fulfillment.trackingNumbers[0];
      const block = await frame.locator("body").innerText();
      await frame.getByRole("heading", { name: t("heading") }).waitFor();
      expect(block).toContain(`${fulfillment.trackingCompany} ${t("trackingNumber", { number })}`);
      const link = frame.getByRole("link", { name: t("trackOnCarrier") });
      expect(await link.getAttribute("href")).toBe(`https://www.ups.com/track?tracknum=${number}`);
      // The timeline: ordered to delivered, in order, the steps so far dated.
      const steps = await frame.locator("s-ordered-list s-list-item").allInnerTexts();
      expect(steps.map((s) => s.split(" · ")[0])).toEqual(
        ["ordered", "confirmed", "shipped", "in_transit", "out_for_delivery", "delivered"].map((m) =>
          t(`milestones.${m}`),
        ),
      );
      expect(steps.at(-1)).toContain(t("stepState.upcoming"));
      // The carrier's date, two days from now, as a day in the shop's calendar (whatever the hour of
      // the run), in the shopper's language and digits.
      const expected = new Intl.DateTimeFormat(locale, {
        dateStyle: "medium",
        timeZone: demo.sandbox.shop(demo.shop).timezone,
      }).format(new Date(fulfillment.estimatedDeliveryAt!));
      expect(block).toContain(t("estimate", { range: expected }));
      expect(block).toContain(t("estimateSource.carrier"));
      // The order action sits in the order's actions.
      const action = await extensionFrame(page, "aftercare-return-action");
      await showing(action, words("aftercare-return-action", locale)("returnOrExchange"));
      await look(page, `order-status-${locale}`);
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it("offers no return for an order on its way and says why on the returns page; explains a delay once", async () => {
    const status = words("aftercare-order-status", "en");
    const returnsWords = words("aftercare-returns-page", "en");
    const { page, errors } = await signedIn("en");
    const moving = orderIn("in_transit");
    await page.goto(`${demo.sandboxUrl}/customer-accounts/orders/${moving.id}?locale=en`);
    const block = await extensionFrame(page, "aftercare-order-status");
    await showing(block, status("trackOnCarrier"));
    expect(await block.getByText(status("startReturn")).count()).toBe(0);
    // The order action still opens the returns page, which says why nothing can go back yet.
    await page.goto(`${demo.sandboxUrl}/customer-accounts/extensions/aftercare-returns-page/orders/${moving.id}`);
    const returnsPage = await extensionFrame(page, "aftercare-returns-page");
    await showing(returnsPage, returnsWords("nothingReturnable"));
    expect(await returnsPage.locator("body").innerText()).toContain(returnsWords("ineligible.in_transit"));
    expect(await returnsPage.getByText(returnsWords("resolution")).count()).toBe(0);
    await page.screenshot({ path: customerAccountsShot("returns-page-in-transit-en"), fullPage: true });

    const late = orderIn("delayed");
    await page.goto(`${demo.sandboxUrl}/customer-accounts/orders/${late.id}?locale=en`);
    const lateBlock = await extensionFrame(page, "aftercare-order-status");
    await showing(lateBlock, status("trackOnCarrier"));
    // The shop's delay in plain words, or the carrier's: one of them, once.
    const warnings = (await lateBlock.locator("s-banner").allInnerTexts()).map((w) => w.trim());
    const delayWords = ["past_estimate", "no_carrier_scan"].map((r) => status(`delays.${r}`));
    expect(warnings).toHaveLength(1);
    expect([...delayWords, status("problems.delayed")]).toContain(warnings[0]);
    await page.waitForFunction(
      () =>
        (document.querySelector('iframe[data-extension="aftercare-order-status"]') as HTMLElement).offsetHeight > 300,
    );
    await page.screenshot({ path: customerAccountsShot("order-status-delayed-en"), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  const exchange =
    "starts an exchange from the order action, sees it confirmed; the merchant sees it on the desk and in Shopify";
  it(exchange, async () => {
    const t = words("aftercare-returns-page", "en");
    const { page, errors } = await signedIn("en");
    const order = orderIn("delivered");
    await page.goto(`${demo.sandboxUrl}/customer-accounts/orders/${order.id}`);
    const action = await extensionFrame(page, "aftercare-return-action");
    // An s-button with an href is a link to where it leads.
    await action.getByRole("link", { name: "Return or exchange" }).click();
    await page.waitForURL(
      new RegExp(`/customer-accounts/extensions/aftercare-returns-page/orders/${order.id}\\?locale=\\w+$`),
    );
    const frame = await extensionFrame(page, "aftercare-returns-page");
    // Order and return numbers are isolated left to right (Unicode isolates) so they read the same in Persian.
    await showing(frame, t("headingFor", { order: ltr(order.name) }));
    await look(page, "returns-page-en");

    await frame.getByLabel("Organic Cotton Tee (M)").selectOption({ label: t("returnCount", { n: 1 }) });
    await frame.getByLabel(t("reason")).selectOption({ index: 1 });
    await frame.getByLabel(t("note")).fill("Too snug across the shoulders.");
    await frame.getByLabel(t("resolutions.exchange_variant")).check();
    await frame.getByLabel(t("exchangeFor"), { exact: true }).selectOption({ label: "L · $32.00" });
    await frame.getByRole("button", { name: t("review") }).click();
    await showing(frame, t("summary"));
    expect(await frame.locator("body").innerText()).toContain(t("exchangeCovered", { amount: "$32.00" }));
    await look(page, "returns-page-quote-en");
    await frame.getByRole("button", { name: t("submit") }).click();
    const confirmation = frame.getByText(/^Return \u2066\S+-R\d+\u2069 requested$/);
    await confirmation.waitFor({ timeout: 20_000 });
    returnNumber = /Return \u2066(\S+)\u2069 requested/.exec(await confirmation.innerText())![1];
    await look(page, "returns-page-confirmed-en");
    expect(errors).toEqual([]);

    // Aftercare holds an exchange for the tee, linked to the request Shopify made as the shopper.
    const stored = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop, number: returnNumber },
      include: { lines: true },
    });
    expect(stored).toMatchObject({
      status: "requested",
      resolution: "exchange_variant",
      customerShopifyId: customerGid,
    });
    const tee = demo.sandbox.shop(demo.shop).products.find((p) => p.handle === "organic-cotton-tee")!;
    expect(stored.lines[0].exchangeVariantShopifyId).toBe(
      `gid://shopify/ProductVariant/${tee.variants.find((v) => v.title === "L")!.id}`,
    );
    const shopifyOrder = demo.sandbox.shop(demo.shop).orders.find((o) => o.id === order.id)!;
    const requested = shopifyOrder.returns.find((r) => `gid://shopify/Return/${r.id}` === stored.shopifyReturnId);
    expect(requested?.status).toBe("requested");
    expect(requested?.lines.map((l) => l.quantity)).toEqual([1]);

    // The merchant's returns desk lists it.
    const admin = await newPage(browser, { height: 1100 });
    await admin.goto(`${demo.sandboxUrl}/admin?path=/app/returns`);
    const app = admin.frameLocator("iframe#app");
    await app.getByText(returnNumber, { exact: true }).first().waitFor({ timeout: 30_000 });
    await admin.screenshot({ path: customerAccountsShot("merchant-returns-desk"), fullPage: true });
    await admin.context().close();
    await page.context().close();
  });

  it("shows the return and what is left to return on the returns page in Persian", async () => {
    const t = words("aftercare-returns-page", "fa");
    const { page, errors } = await signedIn("fa");
    const order = orderIn("delivered");
    await page.goto(
      `${demo.sandboxUrl}/customer-accounts/extensions/aftercare-returns-page/orders/${order.id}?locale=fa`,
    );
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    const frame = await extensionFrame(page, "aftercare-returns-page");
    await showing(frame, t("earlier"));
    expect(await frame.getAttribute("html", "dir")).toBe("rtl");
    await frame.getByRole("heading", { name: t("headingFor", { order: ltr(order.name) }) }).waitFor();
    const text = await frame.locator("body").innerText();
    expect(text).toContain(`${ltr(returnNumber)} · ${t("status.requested")}`);
    expect(text).toContain(t("ineligible.already_returned"));
    await look(page, "returns-page-fa");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  const photos =
    "takes photos of a damaged item on the returns page through Shopify's staged uploads; the desk shows them";
  it(photos, async () => {
    const t = words("aftercare-returns-page", "en");
    const { page, errors } = await signedIn("en");
    const order = orderIn("delivered");
    await page.goto(`${demo.sandboxUrl}/customer-accounts/extensions/aftercare-returns-page/orders/${order.id}`);
    const frame = await extensionFrame(page, "aftercare-returns-page");
    await showing(frame, t("chooseItems"));
    // The mug is still returnable (the tee went in the exchange above).
    const mug = frame.getByLabel(/^Stoneware Mug/);
    await mug.selectOption({ label: t("returnCount", { n: 1 }) });
    // Only a reason that asks for photos offers the picker.
    await frame.getByLabel(t("reason")).selectOption({ index: 1 });
    expect(await frame.getByLabel(t("photos")).count()).toBe(0);
    await frame.getByLabel(t("reason")).selectOption({ label: "Damaged or defective" });
    const picker = frame.getByLabel(t("photos"));
    await frame.getByText(t("photosHint")).waitFor();
    // Too many, then the wrong kind: said in the page's words before anything is uploaded.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const file = (name: string, mimeType = "image/png") => ({ name, mimeType, buffer: png });
    await picker.setInputFiles([file("1.png"), file("2.png"), file("3.png"), file("4.png")]);
    await frame.getByText(t("photoErrors.too_many_photos")).waitFor();
    await picker.setInputFiles([file("scan.gif", "image/gif")]);
    await frame.getByText(t("photoErrors.photo_type")).waitFor();
    await picker.setInputFiles([file("chipped-rim.png")]);
    await frame.getByText("chipped-rim.png").waitFor();
    expect(await frame.getByText(t("photoErrors.photo_type")).count()).toBe(0);
    // Damaged or defective asks what happened.
    await frame.getByLabel(t("noteRequired")).fill("Chipped rim on arrival.");
    await frame.getByLabel(t("resolutions.refund")).check();
    await look(page, "returns-page-photos-en");
    await frame.getByRole("button", { name: t("review") }).click();
    await showing(frame, t("summary"));

    // The page uploads to Shopify's staged target itself, then asks Shopify for the return.
    const uploaded = page.waitForResponse(
      (r) => r.url().endsWith("/staged-uploads/") && r.request().method() === "POST",
    );
    await frame.getByRole("button", { name: t("submit") }).click();
    expect((await uploaded).status()).toBe(201);
    const confirmation = frame.getByText(/^Return \u2066\S+-R\d+\u2069 requested$/);
    await confirmation.waitFor({ timeout: 20_000 });
    const number = /Return \u2066(\S+)\u2069 requested/.exec(await confirmation.innerText())![1];
    expect(errors).toEqual([]);
    const stored = await db.returnCase.findFirstOrThrow({
      where: { shop: demo.shop, number },
      include: { lines: { include: { photos: true } } },
    });
    expect(stored.lines).toMatchObject([{ reason: "defective", photos: [{ fileShopifyId: expect.any(String) }] }]);
    expect(stored.shopifyReturnId).toMatch(/^gid:\/\/shopify\/Return\/\d+$/);
    await page.context().close();

    // The merchant sees the photo on the returns desk, the image Shopify's CDN serves.
    const desk = await newPage(browser, { height: 1100 });
    await desk.goto(`${demo.sandboxUrl}/admin?path=/app/returns/${stored.id}`);
    const thumbnail = desk.frameLocator("iframe#app").getByRole("img", { name: /^Photo 1 of Stoneware Mug/ });
    await thumbnail.waitFor({ timeout: 30_000 });
    const href = await desk.frameLocator("iframe#app").locator("a", { has: thumbnail }).getAttribute("href");
    expect(href).toMatch(/\/cdn\/files\/\d+\/chipped-rim\.png$/);
    await desk.screenshot({ path: customerAccountsShot("returns-desk-photos"), fullPage: true });
    await desk.context().close();
  });

  const dearer =
    "a dearer exchange from the returns page: the difference said before sending; once approved, awaiting " +
    "payment with Shopify's page to pay it; paid there, the page says so";
  it(dearer, async () => {
    const t = words("aftercare-returns-page", "en");
    // A 500 ml bottle (36.00), delivered; the 750 ml (42.00) costs 6.00 more.
    const shop = demo.sandbox.shop(demo.shop);
    const bottle = shop.products.find((p) => p.handle === "insulated-bottle")!;
    const placed = demo.sandbox.placeOrder({
      shop: demo.shop,
      customer: customerId,
      lines: [{ variantId: bottle.variants.find((v) => v.title === "500 ml")!.id, quantity: 1 }],
      paid: true,
    });
    const shipment = demo.sandbox.fulfil({
      shop: demo.shop,
      order: placed,
      trackingCompany: "UPS",
      trackingNumber: "1Z999AA10123459999",
    });
    demo.sandbox.carrierScan({ shop: demo.shop, fulfillment: shipment, status: "delivered" });
    const deadline = Date.now() + 30_000;
    const orderGid = `gid://shopify/Order/${placed.id}`;
    while (!(await db.fulfillment.findFirst({ where: { orderShopifyId: orderGid, deliveredAt: { not: null } } }))) {
      if (Date.now() > deadline) throw new Error("The bottle's delivery never reached the app.");
      await new Promise((r) => setTimeout(r, 250));
    }
    await waitForInboxDrained(db);

    const { page, errors } = await signedIn("en");
    const returnsPage = `${demo.sandboxUrl}/customer-accounts/extensions/aftercare-returns-page/orders/${placed.id}`;
    await page.goto(returnsPage);
    let frame = await extensionFrame(page, "aftercare-returns-page");
    await showing(frame, t("chooseItems"));
    await frame.getByLabel("Insulated Bottle (500 ml)").selectOption({ label: t("returnCount", { n: 1 }) });
    await frame.getByLabel(t("reason")).selectOption({ index: 1 });
    await frame.getByLabel(t("resolutions.exchange_variant")).check();
    await frame.getByLabel(t("exchangeFor"), { exact: true }).selectOption({ label: "750 ml · $42.00" });
    await frame.getByRole("button", { name: t("review") }).click();
    // The demo's orders carry no tax, so the difference is what Shopify's invoice asks.
    await showing(frame, t("exchangeTooDearUntaxed", { amount: "$6.00" }));
    await frame.getByRole("button", { name: t("submit") }).click();
    const confirmation = frame.getByText(/^Return \u2066\S+-R\d+\u2069 requested$/);
    await confirmation.waitFor({ timeout: 20_000 });
    const number = /Return \u2066(\S+)\u2069 requested/.exec(await confirmation.innerText())![1];

    // The merchant approves it on the desk: Shopify's exchange, and Shopify's invoice for the difference.
    const admin = await newPage(browser, { height: 1100 });
    const stored = await db.returnCase.findFirstOrThrow({ where: { shop: demo.shop, number } });
    await admin.goto(`${demo.sandboxUrl}/admin?path=/app/returns/${stored.id}`);
    const app = admin.frameLocator("iframe#app");
    await app.getByRole("button", { name: "Approve return" }).click({ timeout: 30_000 });
    await app.getByRole("button", { name: "Mark items received" }).waitFor({ timeout: 20_000 });
    await admin.context().close();

    await page.goto(returnsPage);
    frame = await extensionFrame(page, "aftercare-returns-page");
    await showing(frame, t("paymentAwaiting", { amount: "$6.00" }));
    await look(page, "returns-page-awaiting-payment-en");
    const pay = frame.getByRole("link", { name: t("payNow") });
    const [invoice] = await Promise.all([page.context().waitForEvent("page"), pay.click()]);
    await invoice.waitForLoadState();
    expect(new URL(invoice.url()).pathname).toMatch(/^\/invoices\/\w+$/);
    await invoice.getByRole("button", { name: /^Pay / }).click();
    await invoice.waitForLoadState();
    // Shopify's orders/paid reaches the app, which asks Shopify the order's balance before marking it paid.
    const paidBy = Date.now() + 30_000;
    while (!(await db.returnCase.findUniqueOrThrow({ where: { id: stored.id } })).paidAt) {
      if (Date.now() > paidBy) throw new Error("The payment never reached the app.");
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.goto(returnsPage);
    frame = await extensionFrame(page, "aftercare-returns-page");
    await showing(frame, t("paymentPaid", { amount: "$6.00" }));
    expect(await frame.getByRole("link", { name: t("payNow") }).count()).toBe(0);
    await look(page, "returns-page-paid-en");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it.each(LOCALES)("shows points and tier in the profile block and on the rewards page (%s)", async (locale) => {
    const block = words("aftercare-rewards-block", locale);
    const { page, errors } = await signedIn(locale);
    const member = await db.loyaltyMember.findUniqueOrThrow({
      where: { shop_key: { shop: demo.shop, key: `c:${customerGid}` } },
    });
    await page.goto(`${demo.sandboxUrl}/customer-accounts/profile?locale=${locale}`);
    const frame = await extensionFrame(page, "aftercare-rewards-block");
    const balance = block("balance", { count: member.points });
    await showing(frame, balance);
    await look(page, `profile-rewards-${locale}`);
    await frame.getByRole("link", { name: block("seeRewards") }).click();
    await page.waitForURL(/\/customer-accounts\/extensions\/aftercare-rewards-page\//);
    const rewards = await extensionFrame(page, "aftercare-rewards-page");
    await showing(rewards, words("aftercare-rewards-page", locale)("catalogue"));
    await look(page, `rewards-page-${locale}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("redeems a reward on the rewards page in Persian for a code Shopify holds for that customer", async () => {
    const t = words("aftercare-rewards-page", "fa");
    const { page, errors } = await signedIn("fa");
    await page.goto(`${demo.sandboxUrl}/customer-accounts/extensions/aftercare-rewards-page/?locale=fa`);
    const frame = await extensionFrame(page, "aftercare-rewards-page");
    await showing(frame, t("catalogue"));
    const before = await db.loyaltyMember.findUniqueOrThrow({
      where: { shop_key: { shop: demo.shop, key: `c:${customerGid}` } },
    });
    // The merchant's Persian title, not the English one.
    await frame.getByRole("button", { name: t("redeemLabel", { reward: DEMO_REWARDS[0].titles.fa }) }).click();
    await showing(frame, t("codeHeading"));
    const redemption = await db.loyaltyRedemption.findFirstOrThrow({
      where: { shop: demo.shop, status: "issued" },
      orderBy: { createdAt: "desc" },
    });
    const code = redemption.code!;
    expect(await frame.locator("body").innerText()).toContain(code);
    await frame.getByRole("button", { name: t("copyCode") }).waitFor();
    await showing(frame, t("balance", { count: before.points - 50 }));
    await look(page, "rewards-page-redeemed-fa");
    expect(errors).toEqual([]);

    const answer = (await demo.sandbox.graphql(
      demo.shop,
      `{
        codeDiscountNodeByCode(code: ${JSON.stringify(code)}) {
          codeDiscount {
            ... on DiscountCodeBasic {
              usageLimit
              context { ... on DiscountCustomers { customers { id } } }
              customerGets { value { ... on DiscountAmount { amount { amount } } } }
            }
          }
        }
      }`,
    )) as {
      data?: {
        codeDiscountNodeByCode: {
          codeDiscount: {
            usageLimit: number;
            context: { customers: { id: string }[] };
            customerGets: { value: { amount: { amount: string } } };
          };
        } | null;
      };
    };
    const discount = answer.data?.codeDiscountNodeByCode?.codeDiscount;
    expect(discount?.context.customers.map((c) => c.id)).toEqual([customerGid]);
    expect(discount?.usageLimit).toBe(1);
    expect(Number(discount?.customerGets.value.amount.amount)).toBe(5);
    await page.context().close();
  });
});
