import { createHmac, randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";
import { signProxyQuery } from "../../sandbox/app-proxy";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo, waitForInboxDrained } from "./demo";

// The product as a merchant and a shopper meet it: the sandbox admin with the app embedded, the
// storefront with the theme blocks, and an order placed in "Shopify" reaching the app.
describe.skipIf(!chromiumAvailable())("the demo, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo());
  });
  afterAll(() => stop?.());

  it("opens the admin frame and shows the Sync page with the demo shop's data", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/sync`);
    const app = page.frameLocator("iframe#app");
    await expect(app.getByText("Orders mirrored").first().waitFor({ timeout: 30_000 })).resolves.toBeUndefined();
    // The count on the page is the mirror's count, which the seed's webhooks built.
    const orders = await db.order.count({ where: { shop: demo.shop } });
    expect(orders).toBe(40);
    await expect(app.getByText("40", { exact: true }).first().waitFor()).resolves.toBeUndefined();
    // The install imported the shop's history: the demo's shop was empty then (its orders are seeded
    // through webhooks afterwards), so the import finished with nothing to import and says so.
    await expect(app.getByText("Order history").first().waitFor()).resolves.toBeUndefined();
    await expect(
      app.getByText("Done: there were no orders from the last 90 days to import.", { exact: false }).waitFor(),
    ).resolves.toBeUndefined();
    const history = await db.historyImport.findFirstOrThrow({ where: { shop: demo.shop } });
    expect(history).toMatchObject({ trigger: "install", status: "completed", ordersImported: 0, error: null });
    // The app's navigation is drawn by the admin frame from the app's <ui-nav-menu>.
    await expect(page.locator("#app-nav a", { hasText: "Sync" }).waitFor()).resolves.toBeUndefined();
    await page.screenshot({ path: screenshotPath("admin-sync"), fullPage: true });
    await page.close();
  });

  it("greets the merchant on the home page with the setup guide and Shopify's deep link for each block", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app`);
    const app = page.frameLocator("iframe#app");
    await expect(app.getByText("Setup guide", { exact: true }).waitFor({ timeout: 30_000 })).resolves.toBeUndefined();
    await expect(app.getByText(/^\d of 9 tasks complete$/).waitFor()).resolves.toBeUndefined();
    // The first step not done yet is open; the install's import is done, so that is the tracking block.
    const toggle = app.locator("#setup-step-block-tracking button").first();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    const link = app.locator("#setup-step-block-tracking a", { hasText: "Add to theme" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(
      new RegExp(
        `^https://${demo.shop.replace(/\./g, "\\.")}/admin/themes/current/editor\\?template=page` +
          "&addAppBlockId=[^/&]+/order-tracking&target=newAppsSection$",
      ),
    );
    await page.waitForTimeout(500); // the step's Collapsible finishes opening
    await page.screenshot({ path: screenshotPath("admin-home-setup-guide"), fullPage: true });
    await page.close();
  });

  it("renders the theme app extension's blocks on the storefront, in English and right-to-left Persian", async () => {
    const page = await newPage(browser);
    const response = await page.goto(`${demo.sandboxUrl}/store?locale=en`);
    expect(response?.status()).toBe(200);
    const blocks = page.locator("main .theme-section");
    expect(await blocks.count()).toBeGreaterThan(0);
    await expect(page.locator("html")).toBeDefined();
    expect(await page.locator("html").getAttribute("dir")).toBe("ltr");
    await page.screenshot({ path: screenshotPath("storefront-en"), fullPage: true });
    await page.goto(`${demo.sandboxUrl}/store?locale=fa`);
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.locator("html").getAttribute("lang")).toBe("fa");
    expect(await page.locator("main").innerText()).not.toContain("translation missing");
    await page.screenshot({ path: screenshotPath("storefront-fa"), fullPage: true });
    await page.close();
  });

  it("places an order from the control page and sees it arrive in the app through a signed webhook", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/control`);
    await page.locator("#po-email").fill("new.shopper@example.com");
    await page.locator("#po-customer").selectOption("");
    await page.getByRole("button", { name: "Place order" }).click();
    await expect(
      page
        .locator("#result")
        .filter({ hasText: /placed/ })
        .waitFor({ timeout: 15_000 }),
    ).resolves.toBeUndefined();
    const placed = (await page.locator("#result").innerText()).match(/#\d+/)![0];

    const deadline = Date.now() + 20_000;
    let mirrored = null;
    while (!mirrored && Date.now() < deadline) {
      mirrored = await db.order.findFirst({ where: { shop: demo.shop, name: placed }, include: { lineItems: true } });
      if (!mirrored) await new Promise((r) => setTimeout(r, 200));
    }
    await waitForInboxDrained(db);
    const event = await db.webhookEvent.findFirst({
      where: { shop: demo.shop, topic: "orders/create" },
      orderBy: { receivedAt: "desc" },
    });
    expect(mirrored?.email).toBe("new.shopper@example.com");
    expect(mirrored?.lineItems.length).toBe(1);
    expect(event?.status).toBe("processed");

    // And the merchant sees it counted on the Sync page.
    const admin = await newPage(browser);
    await admin.goto(`${demo.sandboxUrl}/admin?path=/app/sync`);
    await expect(
      admin.frameLocator("iframe#app").getByText("41", { exact: true }).first().waitFor({ timeout: 30_000 }),
    ).resolves.toBeUndefined();
    await admin.close();
    await page.close();
  });

  it("answers Shopify's deliveries on the production server's fast path with the intake's rules", async () => {
    const body = JSON.stringify({ id: 1, note: "fast path" });
    const sign = (raw: string | Buffer) => createHmac("sha256", demo.apiSecret).update(raw).digest("base64");
    const headers = (raw: string | Buffer, id: string) => ({
      "content-type": "application/json",
      "x-shopify-topic": "app/scopes_update",
      "x-shopify-shop-domain": demo.shop,
      "x-shopify-webhook-id": id,
      "x-shopify-api-version": "2026-07",
      "x-shopify-hmac-sha256": sign(raw),
    });
    const post = (raw: string | Buffer, h: Record<string, string>) =>
      fetch(`${demo.appUrl}/webhooks`, {
        method: "POST",
        headers: h,
        body: typeof raw === "string" ? raw : new Uint8Array(raw),
      });

    const id = `e2e-${randomUUID()}`;
    const first = await post(body, headers(body, id));
    expect([first.status, await first.text()]).toEqual([200, "recorded"]);
    const again = await post(body, headers(body, id));
    expect([again.status, await again.text()]).toEqual([200, "already recorded"]);
    expect(await db.webhookEvent.count({ where: { webhookId: id } })).toBe(1);

    const forged = await post(body, {
      ...headers(body, `e2e-${randomUUID()}`),
      "x-shopify-hmac-sha256": sign("something else"),
    });
    expect(forged.status).toBe(401);
    const { "x-shopify-topic": _topic, ...withoutTopic } = headers(body, `e2e-${randomUUID()}`);
    const missing = await post(body, withoutTopic);
    expect([missing.status, await missing.text()]).toEqual([400, "Missing Shopify webhook headers: x-shopify-topic."]);
    const notJson = await post("not json", headers("not json", `e2e-${randomUUID()}`));
    expect([notJson.status, await notJson.text()]).toEqual([400, "The webhook body is not valid JSON."]);
    const huge = Buffer.alloc(21 * 1024 * 1024, 32);
    const tooLarge = await post(huge, headers(huge, `e2e-${randomUUID()}`));
    expect(tooLarge.status).toBe(413);
    // GET is not the fast path: Remix's route answers it.
    const get = await fetch(`${demo.appUrl}/webhooks`);
    expect(get.status).toBe(405);
  });

  const fastPathLookups =
    "answers the storefront's order lookups on the production server's fast path exactly as the route would";
  it(fastPathLookups, async () => {
    const order = await db.order.findFirst({
      where: { shop: demo.shop, email: { not: null } },
      orderBy: { orderNumber: "asc" },
    });
    const lookup = (query: Record<string, string>, { sign = true, method = "GET" } = {}) => {
      const params = new URLSearchParams({
        shop: demo.shop,
        logged_in_customer_id: "",
        path_prefix: "/apps/aftercare",
        timestamp: String(Math.floor(Date.now() / 1000)),
        ...query,
      });
      params.set("signature", sign ? signProxyQuery(params, demo.apiSecret) : "0".repeat(64));
      return fetch(`${demo.appUrl}/proxy/tracking?${params}`, {
        method,
        headers: { "x-forwarded-for": `203.0.113.${Math.floor(Math.random() * 200)}` },
      });
    };
    const found = await lookup({ order: order!.name, email: order!.email!.toUpperCase() });
    expect(found.status).toBe(200);
    expect(found.headers.get("cache-control")).toBe("no-store, private");
    expect(found.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const view = (await found.json()) as { order: { name: string } };
    expect(view.order.name).toBe(order!.name);

    // A wrong email and an unknown order: the same 404, counted against this client.
    const wrong = await lookup({ order: order!.name, email: "someone.else@example.com" });
    const unknown = await lookup({ order: "#999999", email: order!.email! });
    expect([wrong.status, unknown.status]).toEqual([404, 404]);
    expect(await wrong.text()).toBe(await unknown.text());
    // The library's signature check, as on every proxy route: 400 and nothing read.
    expect((await lookup({ order: order!.name, email: order!.email! }, { sign: false })).status).toBe(400);
    const missing = await lookup({ order: order!.name });
    expect([missing.status, ((await missing.json()) as { message: string }).message]).toEqual([
      400,
      "Enter the email address used for the order.",
    ]);
    // HEAD is not the fast path: Remix's route answers it, with the same status.
    expect((await lookup({ order: order!.name, email: order!.email! }, { method: "HEAD" })).status).toBe(200);
  });
});
