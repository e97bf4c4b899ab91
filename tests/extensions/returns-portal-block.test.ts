/**
 * The returns theme block, rendered from its Liquid with liquidjs the way the storefront
 * renders it (Shopify's `t`, `asset_url`, `stylesheet_tag` and `money` supplied, `schema`
 * swallowed), in English and Persian; plus the checks theme tooling does not make.
 */
import { readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { root, read, locales, lookup, themeBlock, RETURNS_LOOKUP_ON } from "../helpers/theme-block";

const { source, render } = themeBlock("returns-portal.liquid", { heading: "", show_previous: true });

const stringsOf = (html: string) =>
  JSON.parse(/<script type="application\/json" data-strings>([\s\S]*?)<\/script>/.exec(html)![1]);

describe("returns block markup", () => {
  it("renders in English, left to right, with labelled fields, a live region and its scripts declared", async () => {
    const html = await render("en", { app: RETURNS_LOOKUP_ON });
    expect(html).toContain('<aftercare-returns-portal\n  id="aftercare-returns-abc123"');
    expect(html).toContain('dir="ltr"');
    expect(html).toContain('lang="en"');
    expect(html).toContain("Start a return");
    expect(html).toMatch(/<label for="aftercare-returns-abc123-order">Order number<\/label>/);
    expect(html).toMatch(/<label for="aftercare-returns-abc123-email">Email<\/label>/);
    expect(html).toContain('<button type="submit" class="aftercare-returns__button">Find my order</button>');
    expect(html).toContain('role="status" aria-live="polite"');
    // The first paint's script and stylesheet come from the schema, where theme check measures them;
    // the return form's script is fetched from its asset URL only when an order is opened.
    expect(html).not.toContain("<script src=");
    expect(html).not.toContain('rel="stylesheet"');
    expect(source).toMatch(/"javascript": "returns-portal\.js",\s*"stylesheet": "returns-portal\.css"/);
    expect(html).toContain('data-request-script="//cdn.shopify.test/extensions/aftercare/assets/returns-request.js"');
    expect(html).toContain('data-shopify-editor-block="{}"');
    expect(html).toContain('data-show-previous="true"');
    // Each step's markup is a template the script fills: items, resolution, summary, the return.
    for (const name of ["order", "line", "resolution", "return"])
      expect(html).toContain(`<template data-template="${name}">`);
    expect(html).toContain("<legend>Choose the items to return</legend>");
    expect(html).toContain("<legend>How would you like it resolved?</legend>");
    expect(html).not.toContain("{% schema %}");
    expect(html).not.toContain("data-mine"); // no one logged in
    const strings = stringsOf(html);
    expect(strings.why.window_closed).toBe("Return window closed on %date%.");
    expect(strings.why.excluded).toContain("Final sale");
    expect(strings.why.already_returned).toBe("Already returned.");
    expect(strings.resolutions.exchange_variant).toBe("Exchange for another size or colour");
    expect(strings.done_heading).toBe("Return %number% is requested");
  });

  it("renders in Persian, right to left, with Persian labels and strings for the script", async () => {
    const html = await render("fa", { app: RETURNS_LOOKUP_ON });
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('lang="fa"');
    expect(html).toContain("درخواست مرجوعی");
    expect(html).toMatch(/<label for="aftercare-returns-abc123-order">شمارهٔ سفارش<\/label>/);
    expect(html).toMatch(/name="email" type="email"[^>]*dir="ltr"/);
    expect(html).not.toContain("translation missing");
    const strings = stringsOf(html);
    expect(strings.why.window_closed).toBe("مهلت مرجوعی در %date% به پایان رسید.");
    expect(strings.statuses.requested).toBe("درخواست شده");
    expect(strings.errors.not_found).toContain("سفارشی با این شماره");
  });

  it("lists a signed-in customer's orders from Liquid, and can hide earlier returns", async () => {
    const orders = [{ name: "#1302", created_at: "2026-02-01T15:00:00Z" }];
    const html = await render("ja", {
      customer: { id: 501, orders },
      settings: { show_previous: false },
      app: RETURNS_LOOKUP_ON,
    });
    expect(html).toContain('data-logged-in="true"');
    expect(html).toContain("最近のご注文");
    expect(html).toMatch(
      /data-order="#1302">返品する注文 <bdi dir="ltr">#1302<\/bdi><\/button> <time datetime="2026-02-01"/,
    );
    expect(html).toContain('data-show-previous="false"');
  });

  it("by default sends a guest to sign in to customer accounts, with no order lookup", async () => {
    for (const language of ["en", "fa"]) {
      const html = await render(language);
      expect(html).toContain('data-lookup="false"');
      expect(html).not.toContain("data-find");
      expect(html).not.toMatch(/name="(order|email)"/);
      const link = /<a class="aftercare-returns__button" href="([^"]*)" data-sign-in>([^<]*)<\/a>/.exec(html);
      expect(link?.[1]).toBe("/account/login");
      expect(link?.[2]).toBe(lookup(locales[language], "returns.sign_in"));
      expect(html).toContain(lookup(locales[language], "returns.sign_in_intro") as string);
      // The script still opens a status link from an email, and says why a lookup is refused.
      expect(stringsOf(html).errors.sign_in_required).toBe(
        lookup(locales[language], "returns.errors.sign_in_required"),
      );
    }
    expect(await render("en")).toContain("Sign in to start a return");
  });

  it("by default sends a signed-in shopper to each order in customer accounts, where the return starts", async () => {
    const orders = [
      { name: "#1302", created_at: "2026-02-01T15:00:00Z", customer_url: "/account/orders/77" },
      { name: "#1301", created_at: "2026-01-20T15:00:00Z", customer_url: "/account/orders/76" },
    ];
    const html = await render("en", { customer: { id: 501, orders } });
    expect(html).not.toContain("data-sign-in");
    expect(html).not.toContain("data-order=");
    expect(html).not.toContain("data-find");
    expect(html).toContain(
      '<a class="aftercare-returns__link-button" href="/account/orders/77">' +
        'Return or exchange items from <bdi dir="ltr">#1302</bdi></a>',
    );
    expect(html).toContain('href="/account/orders/76"');
    expect(html).toContain('<a class="aftercare-returns__button" href="/account">All your orders</a>');
  });

  it("with the merchant's lookup on, offers both: sign in, or find the order by number and email", async () => {
    const html = await render("en", { app: RETURNS_LOOKUP_ON });
    expect(html).toContain('data-lookup="true"');
    expect(html).toContain("data-sign-in");
    expect(html.indexOf("data-sign-in")).toBeLessThan(html.indexOf("data-find"));
  });

  it("has a valid schema whose labels exist in every schema locale", () => {
    const schema = JSON.parse(/\{% schema %\}([\s\S]*?)\{% endschema %\}/.exec(source)![1]);
    expect(schema.target).toBe("section");
    const keys = [schema.name, ...schema.settings.map((s: { label?: string }) => s.label)].filter(
      (k): k is string => typeof k === "string",
    );
    expect(keys).toHaveLength(5);
    for (const file of readdirSync(join(root, "locales")).filter((f) => f.includes("schema"))) {
      const tree = JSON.parse(read(`locales/${file}`));
      for (const key of keys)
        expect(lookup(tree, key.replace(/^t:/, "")), `${file}: ${key}`).toEqual(expect.any(String));
    }
  });

  it("has every translation the Liquid uses in every language, with the same placeholders", () => {
    const used = [...source.matchAll(/'(returns\.[a-z_.]+)' \| t/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(60);
    for (const [language, tree] of Object.entries(locales)) {
      for (const key of used) {
        const value = lookup(tree, key);
        expect(value, `${language}: ${key}`).toEqual(expect.any(String));
        const placeholders = (text: string) => [...text.matchAll(/%(\w+)%/g)].map((m) => m[1]).sort();
        expect(placeholders(value as string), `${language}: ${key}`).toEqual(
          placeholders(lookup(locales.en, key) as string),
        );
      }
    }
  });
});

describe("returns block assets", () => {
  const portal = read("assets/returns-portal.js");
  const request = read("assets/returns-request.js");
  const js = `${portal}\n${request}`;
  const css = read("assets/returns-portal.css");

  it("keeps each script's readable source small (what ships is minified: storefront-weight.test.ts)", () => {
    // The first paint's part: finding an order and showing a return. The return form: the rest.
    expect(gzipSync(portal, { level: 9 }).length).toBeLessThan(5 * 1024);
    expect(gzipSync(request, { level: 9 }).length).toBeLessThan(7 * 1024);
  });

  it("defines each element only if it is not defined yet, and cleans up when removed", () => {
    for (const [script, element] of [
      [portal, "aftercare-returns-portal"],
      [request, "aftercare-returns-request"],
    ]) {
      expect(script).toContain(`if (customElements.get("${element}")) return;`);
      expect(script.match(/customElements\.define\(/g)).toHaveLength(1);
      expect(script).toContain("disconnectedCallback()");
      expect(script).not.toMatch(/innerHTML/);
    }
  });

  it("quotes like the server: fees off the items, bonus on top, in minor units", async () => {
    const { percentOf } = await import("../../app/domain/returns/policy");
    // eslint-disable-next-line no-new-func -- runs the shipped script's own percentOf, to compare it with the server's
    const client = new Function(`${/const percentOf = [^;]+;/.exec(js)![0]} return percentOf;`)() as (
      a: number,
      p: number,
    ) => number;
    for (const [amount, percent] of [
      [2999, 10],
      [1, 50],
      [12345, 12.5],
      [0, 100],
      [999_999, 33.33],
    ])
      expect(client(amount, percent)).toBe(percentOf(amount, percent));
  });

  it("scopes every style rule under the element and uses logical properties", () => {
    const selectors = css
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/@media[^{]+\{/g, "")
      .split("}")
      .map((rule) => rule.split("{")[0].trim())
      .filter(Boolean);
    for (const selector of selectors) {
      for (const part of selector.split(/,(?![^(]*\))/))
        expect(part.trim(), selector).toMatch(/^aftercare-returns-portal\b/);
    }
    expect(css).not.toMatch(/(margin|padding|border)-(left|right)\b|\b(left|right):|text-align:\s*(left|right)/);
    expect(css).toContain(":focus-visible");
    expect(css).toContain("prefers-reduced-motion");
  });
});
