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
    expect(strings.points).toEqual({ one: "__N__ point", other: "__N__ points" });
    // A signed-in shopper can save a birthday, and issued codes have a row to copy and apply from.
    expect(html).toMatch(/<form class="aftercare-loyalty__birthday" data-birthday novalidate hidden>/);
    expect(html).toContain('<select name="month" required');
    expect(html).toContain('<input name="day" type="number"');
    expect(html).toContain("Save birthday");
    expect(html).toContain('<template data-template="code">');
    expect(strings.invalidDay).toBe("That month has no such day: choose another.");
    // Redeeming asks first, in a modal dialog named by its question.
    expect(html).toMatch(
      /<dialog class="aftercare-loyalty__confirm" data-confirm aria-labelledby="([^"]+)">\s*<p id="\1"/,
    );
    expect(strings.confirmRedeem).toBe("Spend __P__ on __R__?");
  });

  it("renders right to left in Persian and offers a guest how to join, how to earn and one sign-in link", async () => {
    const html = await render("fa", false);
    expect(html).toContain('dir="rtl"');
    expect(html).toContain("روش کسب امتیاز");
    expect(html).toMatch(/<a class="[^"]*--primary" href="\/account\/register">عضویت رایگان<\/a>/);
    expect(html).toContain('عضو هستید؟ <a href="/account/login">ورود</a>');
    expect(html.match(/account\/login/g)).toHaveLength(1);
    expect(html).not.toContain("data-confirm");
    expect(html).not.toContain("data-logged-in");
    expect(html).not.toContain("data-birthday");
    expect(html).not.toContain("translation missing");
  });

  it("offers a launcher as an app embed: off unless turned on, the widget inert until it is opened", async () => {
    expect(renderer.blocks().find((b) => b.handle === "loyalty-launcher")?.schema).toMatchObject({
      target: "body",
      javascript: "aftercare-launcher.js",
      stylesheet: "loyalty-widget.css",
    });
    const page = { locale: "fa", shop, customer, assetBase: "/assets" };
    expect((await renderer.render(page)).map((b) => b.handle)).not.toContain("loyalty-launcher");
    const [launcher] = await renderer.render(page, ["none"], ["loyalty-launcher"]);
    expect(launcher).toMatchObject({ handle: "loyalty-launcher", embed: true });
    expect(launcher.html).toContain('<script src="/assets/aftercare-launcher.js" defer></script>');
    expect(launcher.html).toContain('data-script="/assets/loyalty-widget.js"');
    expect(launcher.html).toMatch(/<dialog class="aftercare-launcher__dialog" aria-label="جوایز">/);
    // The block's own widget, inside a template: nothing runs or loads before the shopper opens it.
    expect(launcher.html).toMatch(
      /<template>\s*<aftercare-loyalty\s+id="aftercare-loyalty-aftercare-loyalty-launcher-\d+"/,
    );
    expect(launcher.html).toContain('dir="rtl"');
    expect(launcher.html).not.toContain("translation missing");
  });
});
