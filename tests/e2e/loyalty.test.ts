import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, launchBrowser, newPage, screenshotPath } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";
import { axeProblems } from "./storefront-quality";

// Loyalty as a merchant and a shopper meet it: the program switched on in the admin frame, a demo
// customer's paid order earning points through signed webhooks, the Rewards block in Chromium
// redeeming them, and the sandbox's Shopify holding a discount code for that customer only.
describe.skipIf(!chromiumAvailable())("loyalty, end to end in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    demo = await startTestDemo(10);
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  it("switches the program on with points spendable at once, from the admin page and its save bar", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/loyalty`);
    const app = page.frameLocator("iframe#app");
    await app.getByLabel("Run the loyalty program").waitFor({ timeout: 30_000 });
    await app.getByLabel("Run the loyalty program").check();
    await app.getByLabel("Days points stay pending").fill("0");
    await app.getByLabel(/^Points per 1 \w+ spent$/).fill("1");
    // A wrong value is refused with a message naming the field, and nothing is stored.
    await app.getByLabel("Sign-up bonus (points)").fill("-5");
    await page.locator("#save").click();
    await app.getByText("Sign-up bonus must be at least 0").first().waitFor({ timeout: 15_000 });
    expect(await db.loyaltySettings.count({ where: { shop: demo.shop } })).toBe(0);
    await app.getByLabel("Sign-up bonus (points)").fill("0");
    await page.locator("#save").click();
    await app.getByText("On", { exact: true }).waitFor();
    const deadline = Date.now() + 15_000;
    let stored = null;
    while (!stored && Date.now() < deadline) {
      stored = await db.loyaltySettings.findUnique({ where: { shop: demo.shop } });
      if (!stored) await new Promise((r) => setTimeout(r, 200));
    }
    expect(JSON.parse(stored!.settings)).toMatchObject({ enabled: true, pendingDays: 0, pointsPerUnit: 1 });
    await page.close();
  });

  const earnAndRedeem =
    "earns points on a paid order, shows them in the Rewards block, " +
    "redeems a reward for a code Shopify holds for that customer";
  it(earnAndRedeem, async () => {
    // A reward to spend on, from the Rewards tab's action (the page's own form is exercised in route tests).
    await db.loyaltyReward.create({
      data: { shop: demo.shop, kind: "fixed_amount", title: "$5 off", pointsCost: 20, valueMinor: 500 },
    });
    await db.loyaltyReward.create({
      data: { shop: demo.shop, kind: "free_shipping", title: "Free shipping", pointsCost: 1_000_000 },
    });

    const customer = demo.sandbox.customers(demo.shop)[0];
    const product = demo.sandbox.shop(demo.shop).products[0];
    const variant = product.variants[0];
    const order = demo.sandbox.placeOrder({
      shop: demo.shop,
      customer: customer.id,
      lines: [{ variantId: variant.id, quantity: 2 }],
      paid: false,
    });
    demo.sandbox.payOrder({ shop: demo.shop, order: order.id });
    // The webhooks go out over HTTP; wait until the app has recorded and processed them.
    const memberDeadline = Date.now() + 30_000;
    let member = null;
    while (!member?.points && Date.now() < memberDeadline) {
      await waitForInboxDrained(db);
      member = await db.loyaltyMember.findUnique({
        where: { shop_key: { shop: demo.shop, key: `c:gid://shopify/Customer/${customer.id}` } },
      });
      if (!member?.points) await new Promise((r) => setTimeout(r, 250));
    }
    expect(member?.points).toBeGreaterThanOrEqual(20);
    const earned = member!.points;

    const page = await newPage(browser);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${demo.sandboxUrl}/store?block=loyalty-widget&customer=${customer.id}&locale=en`);
    const block = page.locator("aftercare-loyalty");
    await block
      .locator('[data-slot="balance"]')
      .filter({ hasText: String(earned) })
      .waitFor({ timeout: 20_000 });
    expect(await block.locator('[data-slot="pending"]').innerText()).toBe("0");
    // The unaffordable reward cannot be redeemed; the affordable one can.
    await expect(block.getByRole("button", { name: "Redeem: Free shipping" }).isDisabled()).resolves.toBe(true);
    // The birthday form is not offered while the program gives no birthday bonus.
    expect(await block.locator("[data-birthday]").isHidden()).toBe(true);
    // No tiers configured: the tier box stays out of sight.
    expect(await block.locator('[data-slot="tier-box"]').isHidden()).toBe(true);
    await page.screenshot({ path: screenshotPath("loyalty-block-en"), fullPage: true });

    // Nothing is spent before the shopper confirms: Escape cancels, the question names reward and cost.
    await block.getByRole("button", { name: "Redeem: $5 off" }).click();
    const confirm = page.getByRole("dialog", { name: "Spend 20 points on $5 off?" });
    await confirm.waitFor();
    expect(await axeProblems(page, "aftercare-loyalty")).toEqual([]);
    await page.screenshot({ path: screenshotPath("loyalty-block-en-confirm") });
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "hidden" });
    expect(await db.loyaltyRedemption.count({ where: { shop: demo.shop } })).toBe(0);
    await block.getByRole("button", { name: "Redeem: $5 off" }).click();
    await confirm.getByRole("button", { name: "Redeem" }).click();
    const box = block.locator("[data-code]");
    await box.waitFor({ state: "visible", timeout: 20_000 });
    const code = (await box.locator('[data-slot="code"]').innerText()).trim();
    expect(code).toMatch(/^AC-[A-Z2-9]{10}$/);
    expect(await box.locator('[data-slot="apply"]').getAttribute("href")).toBe(`/discount/${code}?redirect=/cart`);
    await expect(box.getByRole("button", { name: `Copy code ${code}` }).isVisible()).resolves.toBe(true);
    await block
      .locator('[data-slot="balance"]')
      .filter({ hasText: String(earned - 20) })
      .waitFor();
    // The code also stays listed under "Your rewards", with its own copy button and checkout link.
    await block.locator('[data-slot="codes"] code', { hasText: code }).waitFor();
    await page.screenshot({ path: screenshotPath("loyalty-block-en-redeemed"), fullPage: true });

    const answer = (await demo.sandbox.graphql(
      demo.shop,
      `{
        codeDiscountNodeByCode(code: ${JSON.stringify(code)}) {
          id
          codeDiscount {
            ... on DiscountCodeBasic {
              title usageLimit appliesOncePerCustomer
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
            appliesOncePerCustomer: boolean;
            context: { customers: { id: string }[] };
            customerGets: { value: { amount: { amount: string } } };
          };
        } | null;
      };
    };
    const discount = answer.data?.codeDiscountNodeByCode?.codeDiscount;
    expect(discount).toBeTruthy();
    expect(discount!.context.customers.map((c) => c.id)).toEqual([`gid://shopify/Customer/${customer.id}`]);
    expect(discount!.usageLimit).toBe(1);
    expect(Number(discount!.customerGets.value.amount.amount)).toBe(5);
    const redemption = await db.loyaltyRedemption.findFirstOrThrow({ where: { shop: demo.shop, code } });
    expect(redemption.status).toBe("issued");
    expect(errors).toEqual([]);

    // Persian, right to left, same shopper.
    await page.goto(`${demo.sandboxUrl}/store?block=loyalty-widget&customer=${customer.id}&locale=fa`);
    await page.locator("aftercare-loyalty [data-member]").waitFor({ state: "visible", timeout: 20_000 });
    await page.locator('aftercare-loyalty [data-slot="codes"] code', { hasText: code }).waitFor();
    expect(await page.locator("aftercare-loyalty").getAttribute("dir")).toBe("rtl");
    // No Persian name set by the merchant: the block's own Persian word, not the English one.
    expect(await page.locator('aftercare-loyalty [data-slot="currency-name"]').innerText()).toBe("امتیاز");
    expect(await page.locator("main").innerText()).not.toContain("translation missing");
    await page.screenshot({ path: screenshotPath("loyalty-block-fa"), fullPage: true });
    // The confirmation in Persian, the reward's title whole inside the right-to-left question.
    await page.getByRole("button", { name: "دریافت: $5 off" }).click();
    const question = page.getByRole("dialog");
    await question.waitFor();
    expect(await question.locator("p").innerText()).toBe("۲۰ امتیاز برای $5 off خرج شود؟");
    await page.screenshot({ path: screenshotPath("loyalty-block-fa-confirm") });
    await question.getByRole("button", { name: "انصراف" }).click();
    await question.waitFor({ state: "hidden" });

    // A guest is offered to join (with one sign-in link for members), in Persian too.
    await page.goto(`${demo.sandboxUrl}/store?block=loyalty-widget&customer=guest&locale=fa`);
    const guest = page.locator("aftercare-loyalty");
    await guest.locator('[data-slot="rewards"][aria-busy="false"]').waitFor();
    expect(await guest.getByRole("link", { name: "عضویت رایگان" }).getAttribute("href")).toBe("/account/register");
    expect(await guest.getByRole("link").count()).toBe(2);
    await page.screenshot({ path: screenshotPath("loyalty-block-fa-guest"), fullPage: true });
    await page.close();
  });

  it("lets a signed-in shopper save a birthday once the program gives a birthday bonus", async () => {
    const row = await db.loyaltySettings.findUniqueOrThrow({ where: { shop: demo.shop } });
    await db.loyaltySettings.update({
      where: { shop: demo.shop },
      data: { settings: JSON.stringify({ ...JSON.parse(row.settings), birthdayBonus: 50 }) },
    });
    const customer = demo.sandbox.customers(demo.shop)[0];
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/store?block=loyalty-widget&customer=${customer.id}&locale=en`);
    const form = page.locator("aftercare-loyalty [data-birthday]");
    await form.waitFor({ state: "visible", timeout: 20_000 });
    await form.getByLabel("Month").selectOption({ label: "March" });
    await form.getByLabel("Day").fill("14");
    await form.getByRole("button", { name: "Save birthday" }).click();
    await page
      .locator("aftercare-loyalty [data-status]")
      .filter({ hasText: "Birthday saved" })
      .waitFor({ timeout: 10_000 });
    expect(await form.isHidden()).toBe(true);
    const member = await db.loyaltyMember.findUniqueOrThrow({
      where: { shop_key: { shop: demo.shop, key: `c:gid://shopify/Customer/${customer.id}` } },
    });
    expect([member.birthdayMonth, member.birthdayDay]).toEqual([3, 14]);
    await page.close();
  });

  it("titles a reward in Korean on the rewards form, and shows it to a Korean shopper only", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/loyalty/rewards`);
    const app = page.frameLocator("iframe#app");
    await app.getByRole("button", { name: "Edit Free shipping" }).click({ timeout: 30_000 });
    await app.getByLabel("Name in Korean").fill("무료 배송");
    await app.getByLabel("Name in Persian").fill("ارسال رایگان");
    await page.screenshot({ path: screenshotPath("loyalty-admin-reward-titles"), fullPage: true });
    await app.getByRole("button", { name: "Save reward" }).click();
    await app.getByLabel("Name in Korean").waitFor({ state: "detached", timeout: 15_000 });
    const reward = await db.loyaltyReward.findFirstOrThrow({ where: { shop: demo.shop, title: "Free shipping" } });
    expect(JSON.parse(reward.titles)).toEqual({ ko: "무료 배송", ja: "", fa: "ارسال رایگان" });

    const titles = async (locale: string) => {
      await page.goto(`${demo.sandboxUrl}/store?block=loyalty-widget&customer=guest&locale=${locale}`);
      const block = page.locator("aftercare-loyalty");
      await block.locator('[data-slot="rewards"][aria-busy="false"]').waitFor({ timeout: 20_000 });
      return block.locator('[data-slot="rewards"] [data-slot="title"]').allInnerTexts();
    };
    expect(await titles("ko")).toContain("무료 배송");
    await page.screenshot({ path: screenshotPath("loyalty-block-ko-reward-titles"), fullPage: true });
    expect(await titles("fa")).toContain("ارسال رایگان");
    await page.screenshot({ path: screenshotPath("loyalty-block-fa-reward-titles"), fullPage: true });
    const english = await titles("en");
    expect(english).toContain("Free shipping");
    expect(english).not.toContain("무료 배송");
    // Japanese was left empty: the English title.
    expect(await titles("ja")).toContain("Free shipping");
    await page.close();
  });

  it("shows the members list and a member's ledger with a manual adjustment that cannot go below zero", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/loyalty/members`);
    const app = page.frameLocator("iframe#app");
    const customer = demo.sandbox.customers(demo.shop)[0];
    await app.getByText(`Customer ${customer.id}`).first().waitFor({ timeout: 30_000 });
    await page.locator("#app-nav a", { hasText: "Loyalty" }).waitFor();
    await page.screenshot({ path: screenshotPath("loyalty-admin-members"), fullPage: true });
    await app.getByText(`Customer ${customer.id}`).first().click();
    await app.getByText("Adjust points").waitFor({ timeout: 20_000 });
    await app.getByLabel("Points").fill("-100000");
    await app.getByLabel("Reason").fill("Testing the floor");
    await app.getByRole("button", { name: "Save adjustment" }).click();
    // The field's error, not its help text (which also says the balance cannot go below zero).
    await app.getByText(/would take the balance below zero/).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: screenshotPath("loyalty-admin-member"), fullPage: true });
    await page.close();
  });
});
