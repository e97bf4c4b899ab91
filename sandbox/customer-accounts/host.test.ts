// cpSync is stable in Node 20; the plugin still calls it experimental.
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { build } from "esbuild";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "../../tests/e2e/browser";
import { startSandboxServer } from "../server";
import { TEST_SHOP, testSandbox } from "../engine/testing";

/**
 * The customer-accounts host in Chromium: a shopper signs in with the emailed code, opens an
 * order, and the fixture extension (built here with esbuild, as the app's extensions are) runs in
 * its frame against the stand-in `shopify` global, the Polaris renderers and the Customer Account
 * API, in English and in Persian; what the host lacks fails on the page.
 */
const FIXTURES = join(import.meta.dirname, "../../tests/fixtures/customer-accounts/extensions");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let dir: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof startSandboxServer>>;
let built: ReturnType<typeof testSandbox>;
let orderId: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aftercare-customer-accounts-"));
  cpSync(FIXTURES, dir, { recursive: true });
  for (const name of ["fixture-status", "fixture-broken", "fixture-action", "fixture-page"]) {
    await build({
      entryPoints: [join(dir, name, "src/index.js")],
      outfile: join(dir, name, "dist", `${name}.js`),
      bundle: true,
      format: "esm",
      minify: true,
      logLevel: "silent",
    });
  }
  built = testSandbox();
  const { sandbox, mug } = built;
  const ada = sandbox.createCustomer({ shop: TEST_SHOP, email: "ada@example.com", firstName: "Ada", lastName: "L" });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: ada,
    lines: [{ variantId: mug.variants[0].id, quantity: 2 }],
    paid: true,
  });
  sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z999" });
  orderId = order.id;
  server = await startSandboxServer({
    sandbox,
    shop: TEST_SHOP,
    apiKey: "aftercare-test-key",
    apiSecret: "aftercare-test-secret",
    appUrl: "http://127.0.0.1:3999",
    port: 0,
    customerAccountExtensionsDir: dir,
  });
  if (chromiumAvailable()) browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  built?.sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/customer-accounts/sign-in`);
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByRole("button", { name: "Sign in" }).click();
  const mail = await page.getByRole("region", { name: "Sandbox mail" }).textContent();
  const code = /code is (\d{6})/.exec(mail ?? "")?.[1];
  expect(code).toBeTruthy();
  await page.getByLabel(/6-digit code/).fill(code!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/customer-accounts\/orders\?locale=en$/);
}

async function extensionFrame(page: Page, handle: string): Promise<Frame> {
  const handleEl = await page.waitForSelector(`iframe[data-extension="${handle}"]`);
  const frame = (await handleEl.contentFrame())!;
  await frame.waitForSelector("html[data-sandbox-rendered], #sandbox-errors", { timeout: 15_000 });
  return frame;
}

async function axeViolations(target: Page | Frame) {
  await target.evaluate(axeSource);
  const result = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } })
      .axe;
    return axe.run();
  });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

describe.skipIf(!chromiumAvailable())("the customer-accounts host in Chromium", () => {
  it.each(["en", "fa"])("runs a built extension on the order status page (%s)", async (locale) => {
    const page = await newPage(browser);
    await signIn(page);
    await page.goto(`${server.url}/customer-accounts/orders/${orderId}?locale=${locale}`);
    expect(await page.getAttribute("html", "dir")).toBe(locale === "fa" ? "rtl" : "ltr");
    const frame = await extensionFrame(page, "fixture-status");
    expect(await frame.locator("#sandbox-errors").count()).toBe(0);
    expect(await frame.getAttribute("html", "dir")).toBe(locale === "fa" ? "rtl" : "ltr");

    const heading = frame.getByRole("heading", { level: 2 });
    expect(await heading.textContent()).toBe(locale === "fa" ? "بستهٔ شما" : "Your parcel");
    expect(await frame.locator("s-paragraph").textContent()).toContain(locale === "fa" ? "سلام Ada" : "Hello Ada");
    expect(await frame.locator("#shipments").textContent()).toBe(locale === "fa" ? "۱ مرسوله" : "1 shipment");
    expect(await frame.locator("#tracking").textContent()).toBe("UPS 1Z999");
    expect(await frame.locator("#token").textContent()).toBe("token:jwt");
    expect(await frame.locator("s-badge").textContent()).toBe(locale);

    // Labels name their controls; typing and choosing reach the extension's listeners.
    const note = frame.getByLabel(locale === "fa" ? "یادداشت برای فروشگاه" : "Note for the shop");
    await note.fill("hi");
    expect(await frame.locator("s-stack > s-text").last().textContent()).toBe("typed:hi");
    await frame.getByLabel(locale === "fa" ? "بزرگ" : "Large").check();
    expect(await frame.locator("s-stack > s-text").last().textContent()).toBe("size:l");
    await frame.getByRole("button", { name: locale === "fa" ? "ارسال" : "Send" }).click();
    expect(await frame.locator("s-stack > s-text").last().textContent()).toBe("clicked");

    await page.screenshot({ path: screenshotPath(`customer-accounts-order-status-${locale}`), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(await axeViolations(frame)).toEqual([]);
    await page.context().close();
  });

  it("shows, on the page, what the host does not implement and a bundle that is missing", async () => {
    const page = await newPage(browser);
    await signIn(page);
    await page.goto(`${server.url}/customer-accounts/profile`);
    const missing = page.locator('.ext-error[data-extension="fixture-unbuilt"]');
    expect(await missing.textContent()).toMatch(/bundle fixture-unbuilt\/dist\/fixture-unbuilt\.js is missing/);
    const frame = await extensionFrame(page, "fixture-broken");
    // The heading rendered before the extension reached for analytics.
    expect(await frame.getByRole("heading", { level: 2 }).count()).toBe(1);
    expect(await frame.locator("s-heading").textContent()).toBe("Broken");
    await frame.waitForFunction(() => (document.getElementById("sandbox-errors")?.children.length ?? 0) >= 2, null, {
      polling: 100,
    });
    const errors = await frame.locator("#sandbox-errors").textContent();
    expect(errors).toContain("Sandbox does not implement shopify.analytics.publish");
    expect(errors).toContain("<s-fancy-widget> is not a Polaris web component for customer accounts in 2026-07");
    await page.waitForSelector('.ext-error[data-extension="fixture-broken"]');
    expect(await page.locator('.ext-error[data-extension="fixture-broken"]').first().textContent()).toContain(
      "Sandbox does not implement",
    );
    await page.context().close();
  });

  it("opens an order action's modal from its menu item, closes it, and goes on from it to a full page", async () => {
    const page = await newPage(browser);
    await signIn(page);
    // The merchant's settings from the editor reach both targets; a value the toml forbids is refused.
    await page.goto(`${server.url}/customer-accounts/editor`);
    await page.getByLabel("Most items").fill("9");
    await page.getByRole("button", { name: "Save" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("Most items: at most 5.");
    await page.getByLabel("Button label").fill("Ask us");
    await page.getByLabel("Most items").fill("3");
    await page.getByRole("button", { name: "Save" }).click();

    await page.goto(`${server.url}/customer-accounts/orders/${orderId}`);
    const item = await extensionFrame(page, "fixture-action");
    expect(await item.locator("#sandbox-errors").count()).toBe(0);
    await item.getByRole("button", { name: "Ask us" }).click();
    const dialog = page.getByRole("dialog", { name: "Fixture action" });
    await dialog.waitFor();
    const modal = page.frameLocator("dialog.ext-modal iframe");
    await modal.getByRole("heading", { name: `Order ${orderId}` }).waitFor();
    expect(await modal.locator("#limit").textContent()).toBe("At most 3 items");
    await page.screenshot({ path: screenshotPath("customer-accounts-order-action-modal"), fullPage: true });
    const modalFrame = page.frames().find((f) => f.url().includes("target=customer-account.order.action.render"))!;
    expect(await axeViolations(modalFrame)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    // Cancel calls shopify.close(): the modal goes and focus returns to the menu item.
    await modal.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    await item.getByRole("button", { name: "Ask us" }).click();
    await modal.getByRole("link", { name: "Open the page" }).click();
    await page.waitForURL(new RegExp(`/customer-accounts/extensions/fixture-page/orders/${orderId}\\?locale=en$`));
    const full = await extensionFrame(page, "fixture-page");
    expect(await full.locator("#where").textContent()).toBe(
      `/customer-accounts/extensions/fixture-page/orders/${orderId}`,
    );
    await page.context().close();
  });

  it("answers a frame's Customer Account API calls only for the signed-in customer", async () => {
    const anonymous = await fetch(`${server.url}/customer-accounts/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ customer { id } }" }),
    });
    expect(anonymous.status).toBe(401);
    const frame = await fetch(`${server.url}/customer-accounts/frame?extension=fixture-status&target=x`);
    expect(frame.status).toBe(401);
  });
});

describe("signing in from the storefront, in the shopper's language", () => {
  const cookieOf = (response: Response, name: string) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .find((c) => c.startsWith(`${name}=`)) ?? "";
  const go = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { redirect: "manual", ...init });
  const form = (fields: Record<string, string>, cookie: string) => ({
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
  });

  it("the theme's account links lead to customer accounts, keeping the storefront page's language", async () => {
    const login = await go("/account/login", { headers: { referer: `${server.url}/store?locale=fa&block=x` } });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/customer-accounts/sign-in?locale=fa");
    expect((await go("/account")).headers.get("location")).toBe("/customer-accounts/orders");
    expect((await go(`/account/orders/${orderId}?locale=ja`)).headers.get("location")).toBe(
      `/customer-accounts/orders/${orderId}?locale=ja`,
    );
    // A referer that is no URL is ignored, not a failure.
    expect((await go("/account/login", { headers: { referer: "::" } })).headers.get("location")).toBe(
      "/customer-accounts/sign-in",
    );
  });

  it("comes back to the order asked for after signing in, and every page and link keeps ?locale=fa", async () => {
    const asked = await go(`/customer-accounts/orders/${orderId}?locale=fa`);
    expect(asked.status).toBe(303);
    const signInAt = new URL(asked.headers.get("location")!, server.url);
    expect(signInAt.pathname).toBe("/customer-accounts/sign-in");
    expect(Object.fromEntries(signInAt.searchParams)).toEqual({
      locale: "fa",
      return_to: `/customer-accounts/orders/${orderId}?locale=fa`,
    });
    const locale = cookieOf(asked, "customer_locale");
    expect(locale).toBe("customer_locale=fa");

    const page = await go(`${signInAt.pathname}${signInAt.search}`);
    const html = await page.text();
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain(`name="return_to" value="/customer-accounts/orders/${orderId}?locale=fa"`);
    const returnTo = `/customer-accounts/orders/${orderId}?locale=fa`;
    const codePage = await (
      await go("/customer-accounts/sign-in", form({ email: "ada@example.com", return_to: returnTo }, locale))
    ).text();
    expect(codePage).toContain('<html lang="fa" dir="rtl">');
    const code = /code is (\d{6})/.exec(codePage)![1];
    const verified = await go(
      "/customer-accounts/verify",
      form({ email: "ada@example.com", code, return_to: returnTo }, locale),
    );
    expect(verified.status).toBe(303);
    expect(verified.headers.get("location")).toBe(returnTo);
    const session = cookieOf(verified, "customer_session");

    const orders = await (
      await go("/customer-accounts/orders", { headers: { cookie: `${session}; ${locale}` } })
    ).text();
    expect(orders).toContain('<html lang="fa" dir="rtl">');
    expect(orders).toContain(`href="/customer-accounts/orders/${orderId}?locale=fa"`);
    expect(orders).toContain('href="/customer-accounts/profile?locale=fa"');
    // Without the cookie the links still carry the language the page was asked in.
    const bare = await (await go("/customer-accounts/profile?locale=fa", { headers: { cookie: session } })).text();
    expect(bare).toContain('href="/customer-accounts/orders?locale=fa"');
  });

  it("ignores a return_to that leaves the customer-accounts host", async () => {
    for (const away of ["https://evil.example/x", "//evil.example/x", "/store", "/customer-accounts/sign-out"]) {
      const codePage = await (
        await go("/customer-accounts/sign-in", form({ email: "ada@example.com", return_to: away }, ""))
      ).text();
      expect(codePage).not.toContain("evil.example");
      const code = /code is (\d{6})/.exec(codePage)![1];
      const verified = await go(
        "/customer-accounts/verify",
        form({ email: "ada@example.com", code, return_to: away }, ""),
      );
      expect(verified.headers.get("location")).toBe("/customer-accounts/orders?locale=en");
    }
  });
});
