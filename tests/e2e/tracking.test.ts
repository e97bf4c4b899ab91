import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

// Order tracking as a shopper meets it: the theme block on the sandbox storefront, talking to the
// app through the signed app proxy, and the proactive email a carrier scan earns, through the
// demo's real SMTP server.
describe.skipIf(!chromiumAvailable())("order tracking, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  /** Seeded orders whose parcel is in transit with a carrier estimate, nothing wrong with it. */
  let inTransit: { name: string; email: string; orderShopifyId: string; fulfillmentShopifyId: string }[];

  beforeAll(async () => {
    demo = await startTestDemo();
    db = openDb(demo.databaseUrl);
    // Two parcels on their way with a carrier estimate, whatever the seed's dice gave: placed,
    // shipped and scanned in the sandbox, so they reach the app as Shopify's webhooks.
    const shop = demo.sandbox.shop(demo.shop);
    for (let k = 0; k < 2; k++) {
      const order = demo.sandbox.placeOrder({
        shop: demo.shop,
        customer: shop.customers[k].id,
        lines: [{ variantId: shop.products[k].variants[0].id, quantity: 1 }],
        paid: true,
      });
      const parcel = demo.sandbox.fulfil({
        shop: demo.shop,
        order: order.id,
        trackingCompany: "UPS",
        trackingNumber: `1Z999AA1012345678${k}`,
      });
      demo.sandbox.carrierScan({
        shop: demo.shop,
        fulfillment: parcel.id,
        status: "in_transit",
        estimatedDeliveryAt: new Date(Date.now() + 3 * 86_400_000),
      });
    }
    await demo.sandbox.flush();
    await waitForInboxDrained(db);
    const rows = await db.shipmentTracking.findMany({
      where: {
        shop: demo.shop,
        stage: "in_transit",
        problem: null,
        deliveredAt: null,
        trackingNumber: { not: null },
        estimatedBy: { not: null },
      },
      orderBy: { shippedAt: "desc" },
    });
    inTransit = [];
    for (const row of rows) {
      const order = await db.order.findUnique({
        where: { shop_shopifyId: { shop: demo.shop, shopifyId: row.orderShopifyId } },
      });
      const shipments = await db.fulfillment.count({ where: { shop: demo.shop, orderShopifyId: row.orderShopifyId } });
      if (order?.email && !order.cancelledAt && shipments === 1) {
        inTransit.push({
          name: order.name,
          email: order.email,
          orderShopifyId: order.shopifyId,
          fulfillmentShopifyId: row.fulfillmentShopifyId,
        });
      }
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  const store = (locale: "en" | "fa", extra = "") =>
    `${demo.sandboxUrl}/store?block=order-tracking&locale=${locale}${extra}`;
  const block = (page: Page) => page.locator("aftercare-order-tracking");

  async function lookUp(page: Page, order: string, email: string) {
    const answer = page.waitForResponse((r) => r.url().includes("/apps/aftercare/tracking"));
    await block(page)
      .getByLabel(/Order number|شمارهٔ سفارش/)
      .fill(order);
    await block(page)
      .getByLabel(/^(Email|ایمیل)$/)
      .fill(email);
    await block(page).locator("button[type=submit]").click();
    return answer;
  }

  it("the seed has in-transit orders with an estimate to look up", () => {
    expect(inTransit.length).toBeGreaterThanOrEqual(2);
  });

  const lookupInTransit =
    "looks up a demo order and shows it in transit with its estimate, in English and right-to-left Persian";
  it(lookupInTransit, async () => {
    const order = inTransit[0];
    const fulfillment = await db.fulfillment.findUniqueOrThrow({
      where: { shop_shopifyId: { shop: demo.shop, shopifyId: order.fulfillmentShopifyId } },
    });
    const trackingNumber = (JSON.parse(fulfillment.trackingNumbers) as string[])[0];

    const page = await newPage(browser, { width: 1024, height: 900 });
    await page.goto(store("en"));
    expect(await page.locator("html").getAttribute("dir")).toBe("ltr");
    const response = await lookUp(page, order.name, order.email.toUpperCase()); // addresses match whatever their case
    expect(response.status()).toBe(200);
    const result = block(page).locator("[data-result]");
    await result.locator(".aftercare-tracking__card").first().waitFor();
    await expect(block(page).locator("[data-form]").isHidden()).resolves.toBe(true);

    expect(await result.locator(".aftercare-tracking__order-name").innerText()).toBe(order.name);
    const card = result.locator(".aftercare-tracking__card").first();
    expect(await card.locator(".aftercare-tracking__card-title").innerText()).toBe("Shipment 1 · In transit");
    expect(await card.locator('[aria-current="step"]').innerText()).toMatch(/^In transit\b/);
    const steps = await card
      .locator(".aftercare-tracking__step")
      .evaluateAll((els) => els.map((el) => el.className.replace("aftercare-tracking__step ", "")));
    expect(steps).toEqual([
      "aftercare-tracking__step--done",
      "aftercare-tracking__step--done",
      "aftercare-tracking__step--done",
      "aftercare-tracking__step--current",
      "aftercare-tracking__step--upcoming",
      "aftercare-tracking__step--upcoming",
    ]);
    // The carrier's date, as the seed's in-transit scan gave it, with where it comes from.
    const estimateRow = card.locator("[data-slot=estimate-row]");
    expect(await estimateRow.isVisible()).toBe(true);
    expect(await estimateRow.innerText()).toMatch(
      /Estimated delivery\s+\w{3}, \w{3} \d{1,2}.*\(Date from the carrier\)/s,
    );
    expect(await card.locator("[data-slot=number]").innerText()).toBe(trackingNumber);
    expect(await card.locator("[data-slot=banner]").isHidden()).toBe(true);
    await page.screenshot({ path: screenshotPath("tracking-en"), fullPage: true });

    // Persian: the page and the block are right to left, every word translated, numbers stay readable.
    await page.goto(store("fa"));
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await block(page).getAttribute("dir")).toBe("rtl");
    await lookUp(page, order.name, order.email);
    const faCard = block(page).locator(".aftercare-tracking__card").first();
    await faCard.waitFor();
    expect(await faCard.locator(".aftercare-tracking__card-title").innerText()).toBe("مرسولهٔ ۱ · در راه");
    expect(await faCard.locator('[aria-current="step"]').innerText()).toMatch(/^در راه/);
    expect(await faCard.locator("[data-slot=estimate-row]").innerText()).toContain("تاریخ اعلام‌شده از سوی شرکت حمل");
    const text = await block(page).innerText();
    expect(text).not.toMatch(/translation missing|Estimated delivery|In transit|Shipment/);
    // Right to left for real: the timeline's dots sit on the right of their text.
    const geometry = await faCard.locator(".aftercare-tracking__step--current").evaluate((el) => {
      const box = el.getBoundingClientRect();
      const dot = getComputedStyle(el, "::before");
      return {
        direction: getComputedStyle(el).direction,
        paddingRight: parseFloat(getComputedStyle(el).paddingRight),
        dotRight: dot.right,
        width: box.width,
      };
    });
    expect(geometry.direction).toBe("rtl");
    expect(geometry.paddingRight).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("tracking-fa"), fullPage: true });
    await page.close();
  });

  it("gives a wrong email the same not-found answer as an unknown order", async () => {
    const order = inTransit[0];
    const page = await newPage(browser);
    await page.goto(store("en"));
    const wrongEmail = await lookUp(page, order.name, "someone.else@example.com");
    expect(wrongEmail.status()).toBe(404);
    const wrongEmailBody = await wrongEmail.text();
    const status = block(page).locator("[data-status]");
    await status.filter({ hasText: /could not find/ }).waitFor();
    const wrongEmailMessage = await status.innerText();
    expect(wrongEmailMessage).toBe("We could not find an order with that number and email. Check both and try again.");
    expect(await block(page).locator(".aftercare-tracking__card").count()).toBe(0);

    await status.evaluate((el) => (el.textContent = ""));
    const unknown = await lookUp(page, "#999999", order.email);
    expect(unknown.status()).toBe(404);
    await status.filter({ hasText: /could not find/ }).waitFor();
    expect(await status.innerText()).toBe(wrongEmailMessage);
    expect(await unknown.text()).toBe(wrongEmailBody);
    await page.close();
  });

  it("lists a signed-in customer's recent orders without typing, and opens one", async () => {
    // A demo customer with orders, as the sandbox knows them.
    const customers = demo.sandbox.customers(demo.shop);
    let chosen: { id: string; names: string[] } | null = null;
    for (const c of customers) {
      const orders = await db.order.findMany({
        where: { shop: demo.shop, customerShopifyId: `gid://shopify/Customer/${c.id}` },
        orderBy: { shopifyCreatedAt: "desc" },
        take: 10,
      });
      if (orders.length >= 2) {
        chosen = { id: String(c.id), names: orders.map((o) => o.name) };
        break;
      }
    }
    expect(chosen).not.toBeNull();
    const page = await newPage(browser);
    await page.goto(store("en", `&customer=${chosen!.id}`));
    const mine = block(page).locator("[data-mine]");
    await mine.locator("button").first().waitFor();
    expect(await mine.getAttribute("aria-busy")).toBeNull();
    const listed = await mine.locator("button").allInnerTexts();
    expect(listed).toEqual(chosen!.names.map((n) => `Track ${n}`));
    // Nothing typed: a click opens the order.
    await mine.locator("button").first().click();
    await block(page).locator(".aftercare-tracking__order-name").filter({ hasText: chosen!.names[0] }).waitFor();
    await page.close();

    // A guest sees no list at all.
    const guest = await newPage(browser);
    await guest.goto(store("en", "&customer=guest"));
    expect(await block(guest).locator("[data-mine]").count()).toBe(0);
    await guest.close();
  });

  const outForDeliveryEmail =
    "emails the shopper once when the parcel is out for delivery, and not again when the webhook is replayed";
  it(outForDeliveryEmail, async () => {
    const order = inTransit[1];
    const outbox = () =>
      db.notification.findMany({
        where: {
          shop: demo.shop,
          kind: "tracking",
          subjectId: order.fulfillmentShopifyId,
          milestone: "out_for_delivery",
        },
      });
    // The email is written in the shopper's language: find it by its Message-ID once sent.
    const mailsFor = (messageId: string | null) =>
      demo.mails.filter((m) => messageId !== null && m.raw.includes(messageId));
    expect(await outbox()).toHaveLength(0);
    const fulfillmentId = order.fulfillmentShopifyId.split("/").pop();
    const before = new Set(demo.sandbox.webhooks.deliveries({ shop: demo.shop }).map((d) => d.webhookId));

    const scan = await fetch(`${demo.sandboxUrl}/control/api/scenarios/scan`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fulfillmentId, status: "out_for_delivery" }),
    });
    expect(scan.status).toBe(200);
    await demo.sandbox.flush();
    const emitted = demo.sandbox.webhooks.deliveries({ shop: demo.shop }).filter((d) => !before.has(d.webhookId));
    expect(emitted.map((d) => d.topic)).toContain("fulfillment_events/create");
    await waitForInboxDrained(db);

    // The outbox sends every 10 s.
    const deadline = Date.now() + 45_000;
    let rows = await outbox();
    while (rows[0]?.status !== "sent" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      rows = await outbox();
    }
    expect(rows.map((r) => [r.status, r.recipient])).toEqual([["sent", order.email]]);
    const [row] = rows;
    const mails = mailsFor(row.providerMessageId);
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual([order.email]);
    // (The capture server's MIME-word decoding may split a non-Latin subject with spaces.)
    expect(mails[0].subject.replace(/\s/g, "")).toBe(row.subject.replace(/\s/g, ""));
    expect(mails[0].raw).toContain("/apps/aftercare/unsubscribe?token=");
    const sentBefore = demo.mails.filter((m) => m.to.includes(order.email)).length;

    // Shopify delivers the same webhooks again: recorded once, nothing more is sent.
    for (const d of emitted) demo.sandbox.webhooks.replay(d.webhookId);
    await demo.sandbox.flush();
    for (const d of emitted) {
      const attempts = demo.sandbox.webhooks.delivery(d.webhookId)!.attempts;
      expect(attempts.at(-1)).toMatchObject({ replay: true, responseCode: 200 });
    }
    await waitForInboxDrained(db);
    await new Promise((r) => setTimeout(r, 12_000)); // past the next outbox run
    expect(mailsFor(row.providerMessageId)).toHaveLength(1);
    expect(demo.mails.filter((m) => m.to.includes(order.email)).length).toBe(sentBefore);
    expect((await outbox()).map((r) => r.status)).toEqual(["sent"]);
  });
});
