/**
 * Renders one of the theme app extension's blocks from its Liquid with liquidjs the way a theme
 * does (Shopify's `t`, `asset_url`, `stylesheet_tag` and `money` supplied, `schema` swallowed),
 * for the block tests in tests/extensions. Missing translations throw, so a test sees them.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { Liquid, Tag, type TagToken, type TopLevelToken, type Context, type Emitter } from "liquidjs";

export const root = join(import.meta.dirname, "../../extensions/aftercare");
export const read = (p: string) => readFileSync(join(root, p), "utf8");
export const locales = Object.fromEntries(
  readdirSync(join(root, "locales"))
    .filter((f) => !f.includes("schema"))
    .map((f) => [f.split(".")[0], JSON.parse(read(`locales/${f}`))]),
) as Record<string, Record<string, unknown>>;

export function lookup(tree: unknown, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined),
      tree,
    );
}

/** The test shop's time zone, as Shopify's `shop.timezone` would give it. */
export const TEST_SHOP_TIME_ZONE = "America/Toronto";

function engineFor(language: string) {
  // Shopify renders Liquid's dates in the shop's time zone, never the server's: the test shop's
  // zone, so the same date shows whatever zone the machine running the tests is in.
  const engine = new Liquid({ strictFilters: true, timezoneOffset: TEST_SHOP_TIME_ZONE });
  engine.registerTag(
    "schema",
    class extends Tag {
      constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
        super(token, remain, liquid);
        // Swallow everything up to {% endschema %}.
        while (remain.length) {
          const t = remain.shift()!;
          if ((t as TagToken).name === "endschema") return;
        }
        throw new Error("{% schema %} without {% endschema %}");
      }

      render(_ctx: Context, _emitter: Emitter) {}
    },
  );
  engine.registerFilter("t", (key: string, vars: Record<string, unknown> = {}) => {
    const value = lookup(locales[language], key) ?? lookup(locales.en, key);
    if (typeof value !== "string") throw new Error(`missing translation ${key}`);
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => String(vars[k] ?? ""));
  });
  engine.registerFilter("asset_url", (name: string) => `//cdn.shopify.test/extensions/aftercare/assets/${name}`);
  engine.registerFilter(
    "stylesheet_tag",
    (url: string) => `<link href="${url}" rel="stylesheet" type="text/css" media="all">`,
  );
  engine.registerFilter("money", (cents: number) => `$${(cents / 100).toFixed(2)}`);
  return engine;
}

/** A block's source and a render(language, { settings?, customer?, app? }) over its default settings. */
export function themeBlock(file: string, settings: Record<string, unknown>) {
  const source = read(`blocks/${file}`);
  async function render(language: string, extra: Record<string, unknown> = {}) {
    return engineFor(language).parseAndRender(source, {
      block: {
        id: "abc123",
        settings: { ...settings, ...(extra.settings as object) },
        shopify_attributes: 'data-shopify-editor-block="{}"',
      },
      request: { locale: { iso_code: language } },
      shop: { currency: "CAD" },
      customer: extra.customer ?? null,
      // A shop on new customer accounts: these redirect there. App-data metafields: none unless given.
      routes: {
        account_login_url: "/account/login",
        account_url: "/account",
        account_register_url: "/account/register",
      },
      app: extra.app ?? { metafields: {} },
    });
  }
  return { source, render };
}

/** app.metafields of a shop whose merchant turned the Returns block's order lookup on (the app publishes it). */
export const RETURNS_LOOKUP_ON = {
  metafields: { aftercare: { returns_order_lookup: { type: "boolean", value: true } } },
};
