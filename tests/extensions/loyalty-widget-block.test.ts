/** The Rewards block rendered from its Liquid as the storefront renders it, in English and right-to-left Persian. */
import { describe, expect, it } from "vitest";

import { createStorefrontRenderer } from "../../sandbox/storefront";

const renderer = createStorefrontRenderer();
const shop = { domain: "aftercare-test.myshopify.com", name: "Test", currency: "USD" };
const customer = { id: "7", email: "ada@example.com", firstName: "Ada" };

async function render(locale: string, signedIn: boolean) {
  const [block] = await renderer.render({ locale, shop, customer: signedIn ? customer : null, assetBase: "/assets" }, [
    "loyalty-widget",
  ]);
  return block.html;
}

describe("the Rewards block", () => {
  it("renders every word from the English locale, with the member's slots when signed in", async () => {
    const html = await render("en", true);
    expect(html).toContain("<aftercare-loyalty");
    expect(html).toContain('dir="ltr"');
    expect(html).toContain("Points to spend");
    expect(html).toContain("Apply at checkout");
    expect(html).toContain('data-logged-in="true"');
    expect(html).not.toContain("translation missing");
    const strings = JSON.parse(/<script type="application\/json" data-strings>([\s\S]*?)<\/script>/.exec(html)![1]);
    expect(strings.points).toBe("__N__ points");
    // A signed-in shopper can save a birthday, and issued codes have a row to copy and apply from.
    expect(html).toMatch(/<form class="aftercare-loyalty__birthday" data-birthday hidden>/);
    expect(html).toContain('<select name="month" required');
    expect(html).toContain("Save birthday");
    expect(html).toContain('<template data-template="code">');
    expect(strings.copyLabel).toBe("Copy code __C__");
  });

  it("renders right to left in Persian and offers a guest the sign-in link and how to earn", async () => {
    const html = await render("fa", false);
    expect(html).toContain('dir="rtl"');
    expect(html).toContain("روش کسب امتیاز");
    expect(html).toContain('href="/account/login"');
    expect(html).not.toContain("data-logged-in");
    expect(html).not.toContain("data-birthday");
    expect(html).not.toContain("translation missing");
  });
});
