import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, FrameLocator, Page } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";

// The returns area's settings as a merchant uses them inside the admin frame: on the Return policy
// tab they turn on the Returns block's order lookup (off by default), exclude a collection through
// the resource picker, and the storefront Returns block then refuses an item from it; on the Emails
// tab they rewrite an email, watch the live preview, are told when the Liquid is wrong, and save.
describe.skipIf(!chromiumAvailable())("returns settings in the admin, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  let outdoor: { orderName: string; email: string; lineItemId: string };

  const settings = async () =>
    JSON.parse((await db.returnSettings.findUnique({ where: { shop: demo.shop } }))?.settings ?? "{}");
  const toast = (page: Page, text: string) => page.locator(".toast", { hasText: text }).waitFor({ timeout: 20_000 });

  beforeAll(async () => {
    demo = await startTestDemo();
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    browser = await launchBrowser();
    // A shipped order (not cancelled) with an item from the Outdoor collection.
    const shop = demo.sandbox.shop(demo.shop);
    const collection = shop.collections.find((c) => c.title === "Outdoor")!;
    const inOutdoor = new Set(collection.productIds.map((id) => `gid://shopify/Product/${id}`));
    const shipped = await db.fulfillment.findMany({
      where: { shop: demo.shop, status: "success" },
      include: { lines: true },
      orderBy: { shopifyCreatedAt: "desc" },
    });
    for (const f of shipped) {
      const order = await db.order.findUnique({
        where: { shop_shopifyId: { shop: demo.shop, shopifyId: f.orderShopifyId } },
        include: { lineItems: true },
      });
      if (!order?.email || order.cancelledAt) continue;
      const line = order.lineItems.find(
        (li) =>
          li.productShopifyId &&
          inOutdoor.has(li.productShopifyId) &&
          f.lines.some((l) => l.lineItemShopifyId === li.shopifyId),
      );
      if (line) {
        outdoor = { orderName: order.name, email: order.email, lineItemId: line.shopifyId };
        break;
      }
    }
    expect(outdoor, "the demo has a shipped order with an Outdoor item").toBeDefined();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  /** What the storefront Returns block says about the Outdoor item. */
  async function availabilityOfOutdoorItem() {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/store?block=returns-portal&locale=en`);
    const block = page.locator("aftercare-returns-portal");
    await block.locator('input[name="order"]').fill(outdoor.orderName);
    await block.locator('input[name="email"]').fill(outdoor.email);
    await block.locator('button[type="submit"]').first().click();
    const row = block.locator(`[data-line="${outdoor.lineItemId}"]`);
    await row.waitFor({ timeout: 20_000 });
    const answer = {
      text: await row.locator('[data-slot="availability"]').innerText(),
      pickable: await row.locator('[data-field="pick"]').isEnabled(),
    };
    await page.close();
    return answer;
  }

  const lookupSetting =
    "turns on the Returns block's order lookup, labelled as not meeting Built for Shopify; the block then offers it";
  it(lookupSetting, async () => {
    // Off by default: the block sends shoppers to sign in.
    const store = await newPage(browser);
    await store.goto(`${demo.sandboxUrl}/store?block=returns-portal&locale=en&customer=guest`);
    const block = store.locator("aftercare-returns-portal");
    await block.getByRole("link", { name: "Sign in to start a return" }).waitFor();
    expect(await block.locator('input[name="order"]').count()).toBe(0);

    const page = await newPage(browser, { height: 1100 });
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns/policy`);
    const app = page.frameLocator("iframe#app");
    const lookup = app.getByRole("checkbox", { name: /find an order by its number and email/ });
    await lookup.waitFor({ timeout: 30_000 });
    await expect(lookup.isChecked()).resolves.toBe(false);
    await expect(app.getByText(/does not meet Built for Shopify's requirement/).count()).resolves.toBe(1);
    await lookup.check();
    await app.getByRole("heading", { name: "Does not meet Built for Shopify" }).waitFor();
    // Returns on need somewhere to go: the page refuses to save them without an address.
    await app.getByLabel("Return address").fill("Northwind Goods, 1 Main St, Portland");
    await page.locator("#savebar[data-open='true'] #save").click();
    await toast(page, "Return policy saved");
    await page.screenshot({ path: screenshotPath("returns-policy-lookup-on-en"), fullPage: true });
    expect((await settings()).storefrontLookup).toBe(true);
    await page.close();

    await store.reload();
    await block.locator('input[name="order"]').waitFor();
    await expect(block.getByRole("link", { name: "Sign in to start a return" }).count()).resolves.toBe(1);
    await store.close();
  });

  it("excludes a collection chosen with the resource picker, and the Returns block refuses its items", async () => {
    expect((await availabilityOfOutdoorItem()).text).not.toBe("Final sale: this item cannot be returned.");

    const page = await newPage(browser, { height: 1100 });
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns/policy`);
    const app = page.frameLocator("iframe#app");
    await app.getByText("No collections excluded").waitFor({ timeout: 30_000 });
    await app.getByRole("button", { name: "Choose collections" }).click();
    const picker = page.locator("dialog[open]");
    await picker.getByRole("checkbox", { name: "Outdoor" }).check();
    await picker.getByRole("checkbox", { name: "Home" }).check();
    await picker.getByRole("button", { name: "Select" }).click();
    await app.getByText("Collections excluded (2)").waitFor();
    // Each chosen collection can be taken off again.
    await app.getByRole("button", { name: "Remove Home" }).click();
    await app.getByText("Collections excluded (1)").waitFor();
    await app.getByLabel("Return address").fill("Northwind Goods, 1 Main St, Portland");
    await page.locator("#savebar[data-open='true'] #save").click();
    await toast(page, "Return policy saved");
    await page.screenshot({ path: screenshotPath("returns-policy-collections-en"), fullPage: true });

    const outdoorId = `gid://shopify/Collection/${demo.sandbox.shop(demo.shop).collections.find((c) => c.title === "Outdoor")!.id}`;
    expect((await settings()).exclusions.collections).toEqual([{ id: outdoorId, title: "Outdoor" }]);
    // Opening the picker again starts from what is chosen.
    await app.getByRole("button", { name: "Choose collections" }).click();
    await expect(picker.getByRole("checkbox", { name: "Outdoor" }).isChecked()).resolves.toBe(true);
    await picker.getByRole("button", { name: "Cancel" }).click();
    await page.close();

    await expect(availabilityOfOutdoorItem()).resolves.toEqual({
      text: "Final sale: this item cannot be returned.",
      pickable: false,
    });
  });

  it("rewrites the approval email with a live preview, refuses broken Liquid, and saves", async () => {
    const page = await newPage(browser, { width: 1440, height: 1200 });
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns/emails`);
    const app: FrameLocator = page.frameLocator("iframe#app");
    await app.getByRole("tab", { name: "Emails" }).waitFor({ timeout: 30_000 });
    await app.getByLabel("Email", { exact: true }).selectOption("approved");
    await app.getByText("Your return 1001-R1 is approved").waitFor({ timeout: 20_000 });

    await app.getByLabel("Subject").fill("Good news: return {{ return_number }} is approved");
    await app.getByLabel("Message").fill("Hi {{ customer_first_name }},\n\n{% if items %}Please send the items back.");
    await app
      .getByText(/The Liquid of the message does not parse: \{% if items %\} is not closed/)
      .waitFor({ timeout: 20_000 });
    await page.locator("#savebar[data-open='true'] #save").click();
    await app.getByText("The emails were not saved").waitFor({ timeout: 20_000 });
    await toast(page, "An email needs fixing");
    await page.screenshot({ path: screenshotPath("returns-emails-invalid-liquid-en"), fullPage: true });
    expect((await settings()).notifications?.templates?.en?.approved).toBeUndefined();

    const approvedBody =
      "Hi {{ customer_first_name }},\n\nPlease send the items back to:\n{{ return_address }}\n\n" +
      "Follow your return: {{ status_url }}";
    await app.getByLabel("Message").fill(approvedBody);
    await app.getByText("Good news: return 1001-R1 is approved").waitFor({ timeout: 20_000 });
    const preview = app.frameLocator('iframe[title="Email preview"]');
    await expect(preview.locator("body").innerText({ timeout: 20_000 })).resolves.toContain("Hi Alex,");
    await page.locator("#savebar[data-open='true'] #save").click();
    await toast(page, "Return emails saved");
    await app.getByText("Your wording").waitFor();
    await page.screenshot({ path: screenshotPath("returns-emails-editor-en"), fullPage: true });

    const saved = {
      subject: "Good news: return {{ return_number }} is approved",
      body: approvedBody,
    };
    expect((await settings()).notifications.templates.en.approved).toEqual(saved);

    // Reset shows the standard wording (and its preview) until saved; discarding brings theirs back.
    await app.getByRole("button", { name: "Reset to standard wording" }).click();
    await expect
      .poll(() => app.getByLabel("Subject").inputValue(), { timeout: 10_000 })
      .toBe("Your return {{ return_number }} is approved");
    await app.getByText("Your return 1001-R1 is approved").waitFor({ timeout: 20_000 });
    await page.locator("#savebar[data-open='true'] #discard").click();
    // The admin's save bar tells the app by message: the field changes a moment after the click.
    await expect.poll(() => app.getByLabel("Subject").inputValue(), { timeout: 10_000 }).toBe(saved.subject);
    expect((await settings()).notifications.templates.en.approved).toEqual(saved);
    await page.close();
  });

  it("refuses a save from a tab someone else's save made stale, and says what to do", async () => {
    const open = async () => {
      const page = await newPage(browser);
      await page.goto(`${demo.sandboxUrl}/admin?path=/app/returns/emails`);
      const app = page.frameLocator("iframe#app");
      await app.getByRole("tab", { name: "Emails" }).waitFor({ timeout: 30_000 });
      await app.getByLabel("Email", { exact: true }).selectOption("declined");
      await app.getByLabel("Subject").waitFor();
      return { page, app };
    };
    // Two members of staff open the Emails tab; the first saves, the second saves what they saw.
    const first = await open();
    const second = await open();
    await first.app.getByLabel("Subject").fill("About your return {{ return_number }}");
    await first.page.locator("#savebar[data-open='true'] #save").click();
    await toast(first.page, "Return emails saved");
    expect((await settings()).notifications.templates.en.declined.subject).toBe(
      "About your return {{ return_number }}",
    );

    await second.app.getByLabel("Subject").fill("Return {{ return_number }}: we could not accept it");
    await second.page.locator("#savebar[data-open='true'] #save").click();
    await second.app
      .getByText(
        "Someone else changed these settings since you opened this page. " +
          "Reload to see their changes, then make yours again.",
      )
      .waitFor({ timeout: 20_000 });
    await toast(second.page, "Not saved: someone else changed the emails");
    await second.page.screenshot({ path: screenshotPath("returns-emails-stale-save-en"), fullPage: true });
    // The first save stands, and Reload shows it.
    expect((await settings()).notifications.templates.en.declined.subject).toBe(
      "About your return {{ return_number }}",
    );
    await second.app.getByRole("button", { name: "Reload" }).click();
    await second.app.getByText("The emails were not saved").waitFor({ state: "detached", timeout: 30_000 });
    // Chosen again until the reloaded page has hydrated and shows that email.
    await expect
      .poll(
        async () => {
          await second.app.getByLabel("Email", { exact: true }).selectOption("declined");
          return second.app.getByLabel("Subject").inputValue();
        },
        { timeout: 20_000 },
      )
      .toBe("About your return {{ return_number }}");
    await first.page.close();
    await second.page.close();
  });
});
