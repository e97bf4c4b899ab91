/**
 * Renders the theme app extension's blocks the way a theme does: each block's Liquid with the
 * settings a theme editor would save (the schema's defaults, overridable), the storefront's
 * locale through the extension's locale files, and the logged-in customer when there is one.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { Liquid, Tag, type TagToken, type TopLevelToken, type Context, type Emitter } from "liquidjs";

export const EXTENSION_DIR = join(import.meta.dirname, "../extensions/aftercare");
export const LOCALES = ["en", "ko", "ja", "fa"] as const;
export type StorefrontLocale = (typeof LOCALES)[number];
export const RTL_LOCALES = new Set<string>(["fa"]);

interface SchemaSetting {
  id?: string;
  type: string;
  default?: unknown;
}

export interface BlockDefinition {
  handle: string;
  name: string;
  source: string;
  schema: { name?: string; target?: string; settings?: SchemaSetting[]; javascript?: string; stylesheet?: string };
}

/** The {% schema %} body of a block, parsed (it is JSON). */
export function readSchema(source: string): BlockDefinition["schema"] {
  const match = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source);
  if (!match) return {};
  return JSON.parse(match[1]);
}

export function listBlocks(dir = EXTENSION_DIR): BlockDefinition[] {
  const blocksDir = join(dir, "blocks");
  if (!existsSync(blocksDir)) return [];
  return readdirSync(blocksDir)
    .filter((f) => f.endsWith(".liquid"))
    .sort()
    .map((file) => {
      const source = readFileSync(join(blocksDir, file), "utf8");
      const schema = readSchema(source);
      const handle = file.replace(/\.liquid$/, "");
      return { handle, name: schema.name ?? handle, source, schema };
    });
}

function lookup(tree: unknown, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>(
      (node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined),
      tree,
    );
}

export function loadLocale(locale: string, dir = EXTENSION_DIR): Record<string, unknown> {
  const localesDir = join(dir, "locales");
  const read = (file: string) =>
    existsSync(join(localesDir, file)) ? JSON.parse(readFileSync(join(localesDir, file), "utf8")) : {};
  const fallback = read("en.default.json");
  const own = locale === "en" ? {} : read(`${locale}.json`);
  return { own, fallback } as Record<string, unknown>;
}

/** Swallows the body of {% schema %}: the theme reads it, it renders nothing. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    while (remainTokens.length) {
      const next = remainTokens.shift() as TagToken;
      if ((next as TagToken).name === "endschema") return;
    }
    throw new Error("{% schema %} is not closed");
  }

  render(_ctx: Context, _emitter: Emitter) {}
}

export interface RenderOptions {
  locale: string;
  shop: { domain: string; name: string; currency: string; moneyFormat?: string };
  customer?: {
    id: string;
    email: string;
    firstName?: string | null;
    lastName?: string | null;
    /** Newest first, as Liquid's customer.orders lists them (with the id, its customer_url). */
    orders?: { name: string; createdAt: string; id?: number | string }[];
  } | null;
  /** Where the extension's assets are served from. */
  assetBase: string;
  /** Theme-editor settings per block handle, over the schema defaults. */
  settings?: Record<string, Record<string, unknown>>;
  /** Path the storefront uses for the app proxy. */
  proxyPath?: string;
  /** The app's app-data metafields, which blocks read as app.metafields.<namespace>.<key>. */
  appMetafields?: { namespace: string; key: string; type: string; value: string }[];
}

/** app.metafields as Liquid sees them: a metafield's value typed by its type (a boolean is true/false). */
function appMetafieldsFor(list: RenderOptions["appMetafields"] = []) {
  const out: Record<string, Record<string, { type: string; value: unknown }>> = {};
  for (const m of list)
    (out[m.namespace] ??= {})[m.key] = { type: m.type, value: m.type === "boolean" ? m.value === "true" : m.value };
  return out;
}

export function createStorefrontRenderer(dir = EXTENSION_DIR) {
  // Snippets render as Shopify's {% render %} does: their own scope, the page's globals (customer, shop, ...).
  const engine = new Liquid({
    strictFilters: true,
    jsTruthy: false,
    root: [join(dir, "snippets")],
    extname: ".liquid",
  });
  engine.registerTag("schema", SchemaTag);
  const localeCache = new Map<string, { own: Record<string, unknown>; fallback: Record<string, unknown> }>();

  function translations(locale: string) {
    let entry = localeCache.get(locale);
    if (!entry) {
      entry = loadLocale(locale, dir) as { own: Record<string, unknown>; fallback: Record<string, unknown> };
      localeCache.set(locale, entry);
    }
    return entry;
  }

  // Filters read the render's options from the context, so concurrent renders in different
  // locales never share state.
  interface FilterThis {
    context: { environments: { __storefront?: RenderOptions }; globals: { __storefront?: RenderOptions } };
  }
  const opts = (self: unknown) =>
    ((self as FilterThis).context.environments.__storefront ?? (self as FilterThis).context.globals.__storefront)!;
  // `{{ 'key' | t: count: 3 }}`: liquidjs hands keyword arguments over as [name, value] pairs.
  engine.registerFilter("t", function (this: unknown, key: string, ...args: unknown[]) {
    const vars: Record<string, unknown> = {};
    for (const arg of args) if (Array.isArray(arg) && arg.length === 2) vars[String(arg[0])] = arg[1];
    const options = opts(this);
    const t = translations(options.locale);
    const value = lookup(t.own, key) ?? lookup(t.fallback, key);
    if (typeof value !== "string") return `translation missing: ${options.locale}.${key}`;
    return value.replace(/{{\s*(\w+)\s*}}/g, (_m, name) => String(vars[name] ?? ""));
  });
  engine.registerFilter("asset_url", function (this: unknown, file: string) {
    return `${opts(this).assetBase}/${file}`;
  });
  engine.registerFilter("stylesheet_tag", (url: string) => `<link rel="stylesheet" href="${url}" media="all">`);
  engine.registerFilter("script_tag", (url: string) => `<script src="${url}" defer></script>`);
  engine.registerFilter("money", function (this: unknown, cents: number) {
    const options = opts(this);
    return new Intl.NumberFormat(options.locale, { style: "currency", currency: options.shop.currency }).format(
      Number(cents) / 100,
    );
  });
  engine.registerFilter("json", (value: unknown) => JSON.stringify(value));

  // Shopify puts a schema's stylesheet and script on the page once, however many blocks declare them.
  async function renderBlock(
    block: BlockDefinition,
    options: RenderOptions,
    index: number,
    included: Set<string>,
  ): Promise<string> {
    const defaults = Object.fromEntries(
      (block.schema.settings ?? []).filter((s) => s.id).map((s) => [s.id as string, s.default ?? null]),
    );
    const id = `aftercare-${block.handle}-${index + 1}`;
    const context = {
      __storefront: options,
      block: {
        id,
        type: `shopify://apps/aftercare/blocks/${block.handle}`,
        settings: { ...defaults, ...(options.settings?.[block.handle] ?? {}) },
        shopify_attributes: `data-shopify-editor-block='{"id":"${id}","type":"${block.handle}"}'`,
      },
      shop: { name: options.shop.name, permanent_domain: options.shop.domain, currency: options.shop.currency },
      customer: options.customer
        ? {
            id: options.customer.id,
            email: options.customer.email,
            name: [options.customer.firstName, options.customer.lastName].filter(Boolean).join(" ") || null,
            first_name: options.customer.firstName,
            last_name: options.customer.lastName,
            // With new customer accounts, an order's customer_url leads to its page there (below).
            orders: (options.customer.orders ?? []).map((o) => ({
              name: o.name,
              created_at: o.createdAt,
              customer_url: o.id === undefined ? null : `/account/orders/${o.id}`,
            })),
          }
        : null,
      request: { locale: { iso_code: options.locale }, design_mode: false },
      localization: { language: { iso_code: options.locale } },
      // The shop uses new customer accounts: /account/* redirects there (sandbox/server.ts).
      routes: {
        account_login_url: "/account/login",
        account_register_url: "/account/register",
        account_url: "/account",
        root_url: "/",
      },
      app: { proxy_path: options.proxyPath ?? "/apps/aftercare", metafields: appMetafieldsFor(options.appMetafields) },
    };
    const body = await engine.parseAndRender(block.source, context, { globals: context });
    const once = (file: string | undefined) => (file && !included.has(file) ? (included.add(file), file) : null);
    const stylesheet = once(block.schema.stylesheet);
    const javascript = once(block.schema.javascript);
    const head = [
      stylesheet ? `<link rel="stylesheet" href="${options.assetBase}/${stylesheet}">` : "",
      javascript ? `<script src="${options.assetBase}/${javascript}" defer></script>` : "",
    ].join("");
    return head + body;
  }

  return {
    blocks: () => listBlocks(dir),
    /**
     * The page's blocks (`only` these, else every section block) and the app embeds the merchant
     * turned on (`embeds`: app embeds, target "body", are off until turned on in the theme editor).
     */
    async render(
      options: RenderOptions,
      only?: string[],
      embeds: string[] = [],
    ): Promise<{ handle: string; name: string; html: string; embed?: boolean }[]> {
      const isEmbed = (b: BlockDefinition) => b.schema.target === "body";
      const blocks = listBlocks(dir).filter((b) =>
        isEmbed(b) ? embeds.includes(b.handle) : !only || only.length === 0 || only.includes(b.handle),
      );
      const out = [];
      const included = new Set<string>();
      for (const [index, block] of blocks.entries()) {
        const html = await renderBlock(block, options, index, included);
        out.push({ handle: block.handle, name: block.name, html, ...(isEmbed(block) ? { embed: true } : {}) });
      }
      return out;
    },
  };
}
