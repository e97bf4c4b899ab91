/**
 * The live chat's storefront markup rendered from its Liquid as the storefront renders it: the app
 * embed (off until turned on) and "Chat with us" in the Contact block, both a launcher whose panel
 * waits inert in a template, in the four languages (decision 0040).
 */
import { describe, expect, it } from "vitest";

import { createStorefrontRenderer } from "../../sandbox/storefront";

const renderer = createStorefrontRenderer();
const shop = { domain: "aftercare-test.myshopify.com", name: "Test", currency: "USD" };
const page = (locale: string, settings?: Record<string, Record<string, unknown>>) => ({
  locale,
  shop,
  customer: null,
  assetBase: "/assets",
  settings,
});

describe("the chat launcher and its panel", () => {
  it("is an app embed, off unless turned on, sharing the launcher script and loading the chat on open", async () => {
    expect(renderer.blocks().find((b) => b.handle === "chat-launcher")?.schema).toMatchObject({
      target: "body",
      javascript: "aftercare-launcher.js",
      stylesheet: "chat.css",
    });
    expect((await renderer.render(page("en"))).map((b) => b.handle)).not.toContain("chat-launcher");
    const [launcher] = await renderer.render(page("en"), ["none"], ["chat-launcher"]);
    expect(launcher).toMatchObject({ handle: "chat-launcher", embed: true });
    expect(launcher.html).toContain('<script src="/assets/aftercare-launcher.js" defer></script>');
    expect(launcher.html).toContain('data-kind="chat"');
    expect(launcher.html).toContain('data-script="/assets/chat.js"');
    expect(launcher.html).toContain('data-element="aftercare-chat"');
    expect(launcher.html).toContain('data-side="end"');
    expect(launcher.html).not.toContain("data-accent");
    expect(launcher.html).toMatch(/<dialog class="aftercare-chat__dialog" aria-label="Chat with us">/);
    // The panel waits in a template: nothing runs or asks the app before the shopper opens it.
    expect(launcher.html).toMatch(/<template>\s*(<!--[\s\S]*?-->\s*)?<aftercare-chat\s/);
    expect(launcher.html).toContain('data-endpoint="/apps/aftercare/chat"');
    expect(launcher.html).toContain('data-text-typing="__name__ is typing…"');
    expect(launcher.html).toContain('data-text-too-long="Keep a message under __max__ characters."');
    expect(launcher.html).toMatch(/<div class="aftercare-chat__log" role="log" aria-labelledby="([^"]+)"/);
  });

  it("takes the merchant's corner and colour", async () => {
    const [launcher] = await renderer.render(
      page("en", { "chat-launcher": { side: "start", accent_color: "#ff6600", label: "Questions?" } }),
      ["none"],
      ["chat-launcher"],
    );
    expect(launcher.html).toContain('data-side="start"');
    expect(launcher.html).toContain('data-accent style="--aftercare-accent: #ff6600;"');
    expect(launcher.html).toContain("<span>Questions?</span>");
  });

  it.each([
    ["en", "ltr", "Chat with us", "Your message"],
    ["ko", "ltr", "채팅 상담", "메시지"],
    ["ja", "ltr", "チャットで相談", "メッセージ"],
    ["fa", "rtl", "گفتگو با ما", "پیام شما"],
  ])("speaks %s (%s) with every word translated", async (locale, dir, launcherText, fieldLabel) => {
    const [launcher] = await renderer.render(page(locale), ["none"], ["chat-launcher"]);
    expect(launcher.html).toContain(`dir="${dir}"`);
    expect(launcher.html).toContain(`<span>${launcherText}</span>`);
    expect(launcher.html).toContain(fieldLabel);
    expect(launcher.html).not.toContain("translation missing");
  });

  it("puts 'Chat with us' in the Contact block unless the merchant turns it off", async () => {
    const [contact] = await renderer.render(page("fa"), ["contact"]);
    expect(contact.html).toContain('data-launcher-script="/assets/aftercare-launcher.js"');
    expect(contact.html).toMatch(/<aftercare-launcher class="aftercare-contact__chat" data-kind="chat"/);
    expect(contact.html).toContain(">گفتگو با ما</button>");
    expect(contact.html).toMatch(/<template>\s*(<!--[\s\S]*?-->\s*)?<aftercare-chat\s/);
    expect(contact.html).not.toContain("translation missing");
    const [without] = await renderer.render(page("en", { contact: { show_chat: false } }), ["contact"]);
    expect(without.html).not.toContain("aftercare-launcher");
    expect(without.html).not.toContain("data-launcher-script");
  });
});
