import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, FrameLocator, Page } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo } from "./demo";

interface KlaviyoReceived {
  demoKey: string;
  events: {
    metric: string;
    duplicate: boolean;
    body: { data: { attributes: { properties: Record<string, unknown>; profile: { data: { attributes: object } } } } };
  }[];
  refused: unknown[];
}

// The merchant connects Klaviyo in the admin frame and hands "shipment delayed" to Klaviyo; a delay
// from the sandbox's control page then reaches the Klaviyo stand-in once, and Aftercare mails
// nothing about it. A delivery Klaviyo refuses shows on the Sync page, and its Retry sends it.
describe.skipIf(!chromiumAvailable())("Klaviyo, in the admin frame and the sandbox", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo(20));
  }, 180_000);
  afterAll(() => stop?.());

  const klaviyo = async () => (await (await fetch(`${demo.sandboxUrl}/control/api/klaviyo`)).json()) as KlaviyoReceived;
  const control = async (scenario: string, body: object) => {
    const response = await fetch(`${demo.sandboxUrl}/control/api/scenarios/${scenario}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, scenario).toBe(200);
    return (await response.json()) as Record<string, { id: number; name: string }>;
  };
  /** A paid order shipped with tracking, through the control API. */
  async function shippedOrder(email: string) {
    const state = (await (await fetch(`${demo.sandboxUrl}/control/api/state`)).json()) as {
      variants: { id: number }[];
    };
    const placed = await control("place-order", { email, lines: [{ variantId: state.variants[0].id, quantity: 1 }] });
    await control("fulfil", { orderId: placed.order.id });
    return placed.order.name;
  }
  /** Clicks Delay on the order's row of the control page, as a person trying the demo does. */
  async function delayFromControlPage(orderName: string) {
    const page = await newPage(browser, { width: 1400, height: 900 });
    await page.goto(`${demo.sandboxUrl}/control`);
    const row = page.locator("#orders tr", { hasText: orderName });
    await row.getByRole("button", { name: "Delay" }).click();
    await page.locator("#result.ok").waitFor({ timeout: 20_000 });
    await page.close();
  }
  const delayedFor = (received: KlaviyoReceived, orderName: string) =>
    received.events.filter(
      (e) => e.metric === "Aftercare Shipment Delayed" && e.body.data.attributes.properties.Order === orderName,
    );

  /** An admin page in the frame, once Remix has hydrated it (its forms then post through fetchers). */
  async function openAdmin(path: string, height = 900, locale = "en"): Promise<{ page: Page; app: FrameLocator }> {
    const page = await newPage(browser, { width: 1280, height });
    await page.goto(`${demo.sandboxUrl}/admin?path=${encodeURIComponent(path)}&locale=${locale}`);
    const app = page.frameLocator("iframe#app");
    await app.locator("body").waitFor({ timeout: 30_000 });
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await frame.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 30_000 });
    return { page, app };
  }

  it("hands the delay message to Klaviyo; a delay from the control page: one Klaviyo event, no email", async () => {
    const { demoKey } = await klaviyo();
    const { page, app } = await openAdmin("/app/klaviyo", 1500);
    const key = app.getByLabel("Private API key");
    const connect = app.getByRole("button", { name: "Connect" });
    await key.fill(demoKey);
    await connect.click();
    await page.locator(".toast", { hasText: "Klaviyo is connected" }).waitFor({ timeout: 20_000 });
    await app.getByText(/Connected to Sandbox Klaviyo account with the key ending/).waitFor({ timeout: 20_000 });

    await app.getByLabel("Shipment delayed").check();
    const sender = app.getByRole("combobox", { name: "Who emails the shopper" }).nth(3);
    await sender.selectOption("klaviyo");
    await app.getByRole("button", { name: "Save" }).click();
    await page.locator(".toast", { hasText: "Klaviyo events saved" }).waitFor({ timeout: 20_000 });
    const row = await db.klaviyoConnection.findUniqueOrThrow({ where: { shop: demo.shop } });
    expect(JSON.parse(row.events)).toEqual(["shipment.delayed"]);
    expect(JSON.parse(row.klaviyoSends)).toEqual(["shipment.delayed"]);
    expect(row.apiKeySealed).not.toContain(demoKey.slice(3));
    await app.getByText("Connection", { exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("admin-klaviyo-en"), fullPage: true });
    await page.close();

    const email = "late.parcel@example.com";
    const orderName = await shippedOrder(email);
    await delayFromControlPage(orderName);
    await expect.poll(async () => delayedFor(await klaviyo(), orderName).length, { timeout: 60_000 }).toBe(1);
    const [event] = delayedFor(await klaviyo(), orderName);
    expect(event.duplicate).toBe(false);
    expect(event.body.data.attributes.profile.data.attributes).toMatchObject({ email });
    expect((await klaviyo()).refused).toEqual([]);

    // Aftercare wrote the delay email down as Klaviyo's and sent nothing; the shipped email went as before.
    const delayEmail = await db.notification.findFirstOrThrow({
      where: { shop: demo.shop, recipient: email, kind: "tracking", milestone: "delayed" },
    });
    expect(delayEmail).toMatchObject({ status: "skipped", lastError: "Klaviyo sends this message" });
    await expect
      .poll(() => demo.mails.filter((m) => m.to.includes(email)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    // Another delivery round passes: still one event, and no delay email among what went out.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(delayedFor(await klaviyo(), orderName)).toHaveLength(1);
    const sent = await db.notification.findMany({ where: { shop: demo.shop, recipient: email, status: "sent" } });
    expect(sent.map((n) => n.milestone)).not.toContain("delayed");
  });

  it("shows a delivery Klaviyo refused on the Sync page, and Retry sends it", async () => {
    // Klaviyo refuses the next request for good (HTTP 400): the delivery parks at once.
    const refuse = await fetch(`${demo.sandboxUrl}/control/api/klaviyo/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 1, status: 400 }),
    });
    expect(refuse.status).toBe(200);
    const orderName = await shippedOrder("second.late@example.com");
    await delayFromControlPage(orderName);
    await expect
      .poll(() => db.eventDelivery.count({ where: { shop: demo.shop, destination: "klaviyo", status: "parked" } }), {
        timeout: 60_000,
      })
      .toBe(1);

    const { page, app } = await openAdmin("/app/sync");
    await app.getByText("Deliveries to other tools").waitFor({ timeout: 30_000 });
    await app.getByText(/Klaviyo answered 400/).waitFor({ timeout: 20_000 });
    await app.getByText("Parked: 1").waitFor();
    await app.getByText("Deliveries to other tools").scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("admin-sync-deliveries-en"), fullPage: true });
    const failure = app.locator("tr", { hasText: "Klaviyo answered 400" });
    await failure.getByRole("button", { name: "Retry now" }).click();
    await page.locator(".toast", { hasText: "It goes again now" }).waitFor({ timeout: 20_000 });
    await expect.poll(async () => delayedFor(await klaviyo(), orderName).length, { timeout: 60_000 }).toBe(1);
    await page.close();
  });

  it("speaks Japanese and Korean on the Klaviyo page", async () => {
    for (const [locale, title, sender] of [
      ["ja", "Klaviyo に送るイベント", "Klaviyo（Aftercare は送らない）"],
      ["ko", "Klaviyo로 보내는 이벤트", "Klaviyo (Aftercare는 보내지 않음)"],
    ]) {
      const { page, app } = await openAdmin("/app/klaviyo", 1500, locale);
      await app.getByText(title).waitFor({ timeout: 30_000 });
      await app.getByRole("option", { name: sender }).first().waitFor({ state: "attached" });
      await expect(app.getByText("Who emails the shopper").count()).resolves.toBe(0);
      await page.screenshot({ path: screenshotPath(`admin-klaviyo-${locale}`), fullPage: true });
      await page.close();
    }
  });
});
