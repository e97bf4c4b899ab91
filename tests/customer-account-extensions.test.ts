/**
 * The customer-account extensions as Shopify would receive them: each builds, stays within
 * Aftercare's 40 KB budget (Shopify's limit is 64 KB), calls only what API version 2026-07 has
 * the way it has it, declares the capabilities it uses and no others, and speaks en, ko, ja and fa:
 * every key translated in every language, with English's placeholders and each language's plural
 * forms, and every key the code uses there, including each value a key is built from.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { buildExtensions, uiExtensions } from "../scripts/build-extensions.mjs";
import { parseExtensionToml } from "../sandbox/customer-accounts/extensions";
import { CUSTOMER_ACCOUNT_API_URL, CUSTOMER_ACCOUNT_API_VERSION } from "../extensions/customer-account-shared/backend";
import { RESOLUTIONS, RETURN_STATUSES, type IneligibleReason } from "../app/domain/returns/policy";
import type { ExchangeState } from "../app/domain/returns/exchange";
import type { PhotoProblem } from "../app/domain/returns/photos";
import { MILESTONES, PROBLEMS, type StepState } from "../app/domain/tracking/timeline";
import type { DelayReason } from "../app/domain/tracking/delay";
import type { EstimateSource } from "../app/domain/tracking/estimate";
import type { OrderPoints } from "../app/services/loyalty/order-points.server";
import type { EntryKind } from "../app/services/loyalty/ledger.server";

const BUDGET_BYTES = 40 * 1024;
const LANGUAGES = ["en.default", "ko", "ja", "fa"] as const;
const APP_URL = "https://aftercare.example";

/** Every value of a union, checked by TypeScript: a value added to the union and not here fails typecheck. */
const every =
  <T extends string>() =>
  <const A extends ReadonlyArray<T>>(
    values: A & ([T] extends [A[number]] ? unknown : "some value of the union is missing"),
  ) =>
    values;

/**
 * The values keys are built from (`t(\`milestones.${stage}\`)`): each must have its key. The
 * lists come from the code that produces the values.
 */
const BUILT_KEYS: Record<string, Record<string, ReadonlyArray<string>>> = {
  "aftercare-order-status": {
    milestones: [...MILESTONES, ...PROBLEMS, "preparing"],
    stepState: every<StepState>()(["done", "current", "upcoming"]),
    delays: every<DelayReason>()(["unfulfilled_too_long", "no_carrier_scan", "past_estimate"]),
    problems: PROBLEMS,
    estimateSource: every<EstimateSource>()(["carrier", "history", "rules"]),
    points: every<OrderPoints["status"]>()(["pending", "available", "reversed"]),
  },
  "aftercare-returns-page": {
    resolutions: RESOLUTIONS,
    status: RETURN_STATUSES,
    // "none_left": the page's word for a line with no reason given and nothing to return.
    ineligible: [
      ...every<IneligibleReason>()([
        "order_cancelled",
        "not_shipped",
        "in_transit",
        "window_closed",
        "excluded",
        "discounted",
        "already_returned",
        "not_returnable",
      ]),
      "none_left",
    ],
    exchangeStates: every<ExchangeState>()(["pending", "confirmed", "added"]),
    // What the page checks before uploading (a malformed request is the server's to refuse).
    photoErrors: every<Exclude<PhotoProblem, "invalid_request">>()([
      "too_many_photos",
      "photo_type",
      "photo_too_large",
    ]),
  },
  "aftercare-rewards-page": {
    entry: every<EntryKind>()([
      "earn_order",
      "reverse_refund",
      "reverse_cancel",
      "signup",
      "birthday",
      "adjust",
      "redeem",
      "redeem_return",
      "expire",
      "merge_in",
      "merge_out",
    ]),
  },
};

/** A letter of each language's script: a translation without one was left in English. */
const SCRIPT: Record<string, RegExp> = {
  ko: /[\uAC00-\uD7AF]/,
  ja: /[\u3040-\u30FF\u4E00-\u9FFF]/,
  fa: /[\u0600-\u06FF]/,
};
/** Words that stay as they are in every language. */
// Names no language translates: Shopify's, and the image formats a shopper's photos may be in.
const NAMES = ["Shopify", "JPEG", "PNG", "WebP"];

type Tree = Record<string, unknown>;
const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other", "0", "1"]);
const isPlural = (value: unknown): value is Record<string, string> =>
  value !== null &&
  typeof value === "object" &&
  "other" in value &&
  Object.entries(value).every(([k, v]) => PLURAL_FORMS.has(k) && typeof v === "string");

/** Every key (dotted) with its text, a plural group as one key with its forms. */
function entriesOf(tree: Tree, prefix = ""): [string, string | Record<string, string>][] {
  return Object.entries(tree).flatMap(([key, value]): [string, string | Record<string, string>][] => {
    if (typeof value === "string" || isPlural(value)) return [[`${prefix}${key}`, value]];
    if (value && typeof value === "object") return entriesOf(value as Tree, `${prefix}${key}.`);
    return [[`${prefix}${key}`, String(value)]];
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const formsOf = (value: string | Record<string, string>) =>
  typeof value === "string" ? [value] : Object.values(value);

/** An extension's own source and the shared code it imports, as one text. */
function sourceOf(dir: string) {
  const own = readdirSync(join(dir, "src")).map((f) => readFileSync(join(dir, "src", f), "utf8"));
  const sharedDir = join(dir, "..", "customer-account-shared");
  const shared = own.some((text) => text.includes("customer-account-shared"))
    ? readdirSync(sharedDir).map((f) => readFileSync(join(sharedDir, f), "utf8"))
    : [];
  return { own: own.join("\n"), all: [...own, ...shared].join("\n") };
}

const extensions = uiExtensions();
const outDir = mkdtempSync(join(tmpdir(), "aftercare-extensions-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("customer-account extensions", () => {
  it("are the five Aftercare ships, on API version 2026-07, the version their documents name", () => {
    expect(extensions.map((e) => [e.handle, e.targets.map((t) => t.target)]).sort()).toEqual([
      ["aftercare-order-status", ["customer-account.order-status.block.render"]],
      ["aftercare-return-action", ["customer-account.order.action.menu-item.render"]],
      ["aftercare-returns-page", ["customer-account.page.render"]],
      ["aftercare-rewards-block", ["customer-account.profile.block.render"]],
      ["aftercare-rewards-page", ["customer-account.page.render"]],
    ]);
    for (const e of extensions)
      expect(readFileSync(join(e.dir, "shopify.extension.toml"), "utf8")).toMatch(/^api_version = "2026-07"$/m);
    expect(CUSTOMER_ACCOUNT_API_VERSION).toBe("2026-07");
    expect(CUSTOMER_ACCOUNT_API_URL).toBe(
      `shopify://customer-account/api/${CUSTOMER_ACCOUNT_API_VERSION}/graphql.json`,
    );
  });

  it("each builds to at most 40 KB, for the app's address, in a folder of its own", { timeout: 60_000 }, async () => {
    const started = Date.now();
    const built = await buildExtensions({ appUrl: APP_URL, outDir });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(built).toHaveLength(extensions.length);
    for (const b of built) {
      expect({ handle: b.handle, over: b.bytes > BUDGET_BYTES }).toEqual({ handle: b.handle, over: false });
      expect(b.file).toBe(join(outDir, b.handle, "dist", `${b.handle}.js`));
      // Staged beside the bundle: what the customer-accounts host reads of an extension.
      expect(existsSync(join(outDir, b.handle, "shopify.extension.toml"))).toBe(true);
      expect(existsSync(join(outDir, b.handle, "locales", "en.default.json"))).toBe(true);
      const code = readFileSync(b.file, "utf8");
      // The backend's address is written in at build time, as Shopify's CLI writes APP_URL.
      if (!b.handle.includes("return-action")) expect(code).toContain(APP_URL);
      expect(code).not.toMatch(/process\.env|AFTERCARE_APP_URL/);
      // The only Shopify URL fetched is 2026-07's Customer Account API.
      for (const url of code.match(/shopify:\/\/[^"'`]*/g) ?? []) expect(url).toBe(CUSTOMER_ACCOUNT_API_URL);
    }
  });

  it.each(extensions.map((e) => [e.handle, e.dir] as const))(
    "%s declares the capabilities it uses, and no others",
    (_handle, dir) => {
      const { all } = sourceOf(dir);
      const toml = parseExtensionToml(readFileSync(join(dir, "shopify.extension.toml"), "utf8"));
      const ext = (toml.extensions as Tree[])[0];
      const declared = Object.entries((ext.capabilities as Tree | undefined) ?? {})
        .filter(([, on]) => on === true)
        .map(([name]) => name)
        .sort();
      const needed = [
        // fetch() to the app's backend (the Customer Account API's shopify:// URL needs none).
        ...(/\bbackend\s*[<(]/.test(sourceOf(dir).own) ? ["network_access"] : []),
        // shopify.query is the Storefront API in 2026-07.
        ...(/\bshopify\.query\s*[<(]/.test(all) ? ["api_access"] : []),
      ].sort();
      expect(declared).toEqual(needed);
      // The Customer Account API is reached with fetch() on Shopify's URL, not with shopify.query.
      expect(all).not.toMatch(/\bshopify\.query\s*\(/);
    },
  );

  it.each(extensions.map((e) => [e.handle, e.dir] as const))(
    "%s has every key in en, ko, ja and fa, translated, with English's placeholders and each language's plural forms",
    (_handle, dir) => {
      const files = readdirSync(join(dir, "locales")).filter((f) => f.endsWith(".json"));
      expect(files.map((f) => f.replace(/\.json$/, "")).sort()).toEqual([...LANGUAGES].sort());
      const read = (name: string) => JSON.parse(readFileSync(join(dir, "locales", `${name}.json`), "utf8")) as Tree;
      const english = new Map(entriesOf(read("en.default")));
      for (const language of LANGUAGES) {
        const translated = new Map(entriesOf(read(language)));
        expect({ language, keys: [...translated.keys()].sort() }).toEqual({
          language,
          keys: [...english.keys()].sort(),
        });
        const categories = new Intl.PluralRules(language.replace(".default", "")).resolvedOptions().pluralCategories;
        for (const [key, value] of translated) {
          const source = english.get(key)!;
          expect({ language, key, plural: typeof value !== "string" }).toEqual({
            language,
            key,
            plural: typeof source !== "string",
          });
          if (typeof value !== "string") {
            const forms = Object.keys(value).filter((f) => !["zero", "0", "1"].includes(f));
            expect({ language, key, forms: forms.sort() }).toEqual({ language, key, forms: [...categories].sort() });
          }
          const wanted = placeholders(formsOf(source).at(-1)!);
          for (const form of formsOf(value)) {
            expect({ language, key, form, placeholders: placeholders(form) }).toEqual({
              language,
              key,
              form,
              placeholders: wanted,
            });
            if (language === "en.default") continue;
            const words = NAMES.reduce(
              (text, name) => text.replaceAll(name, ""),
              form.replace(/\{\{\s*\w+\s*\}\}/g, ""),
            );
            // Left in English: the English text itself, letters of no script of the language's, or English words.
            const check = {
              same: /\p{L}/u.test(formsOf(source).join("")) && formsOf(source).includes(form),
              script: !/\p{L}/u.test(words) || SCRIPT[language].test(words),
              latin: /[A-Za-z]{3,}/.test(words),
            };
            expect({ language, key, form, ...check }).toEqual({
              language,
              key,
              form,
              same: false,
              script: true,
              latin: false,
            });
          }
        }
      }
    },
  );

  it.each(extensions.map((e) => [e.handle, e.dir] as const))(
    "%s has a key for all its code translates, count for plural keys, and no key it never uses",
    (handle, dir) => {
      const { own } = sourceOf(dir);
      const english = new Map(
        entriesOf(JSON.parse(readFileSync(join(dir, "locales", "en.default.json"), "utf8")) as Tree),
      );
      const literal = [...own.matchAll(/\b(?:t|translate)\("([^"]+)"/g)].map((m) => m[1]);
      const built = [...own.matchAll(/\b(?:t|translate)\(`([a-zA-Z]+)\.\$\{/g)].map((m) => m[1]);
      for (const key of literal) expect({ key, known: english.has(key) }).toEqual({ key, known: true });
      // Each value a key is built from has its key.
      expect(Object.keys(BUILT_KEYS[handle] ?? {}).sort()).toEqual([...new Set(built)].sort());
      for (const [prefix, values] of Object.entries(BUILT_KEYS[handle] ?? {}))
        for (const value of values)
          expect({ key: `${prefix}.${value}`, known: english.has(`${prefix}.${value}`) }).toEqual({
            key: `${prefix}.${value}`,
            known: true,
          });
      for (const [key, value] of english) {
        const prefix = key.split(".")[0];
        const used = literal.includes(key) || (built.includes(prefix) && key.includes("."));
        expect({ key, used }).toEqual({ key, used: true });
        if (typeof value === "string") continue;
        // A plural key is chosen by count: without it the host (and Shopify) cannot pick a form.
        const call = literal.includes(key)
          ? new RegExp(`\\b(?:t|translate)\\("${key.replace(".", "\\.")}",\\s*\\{[^}]*\\bcount\\b`)
          : new RegExp(`\\b(?:t|translate)\\(\`${prefix}\\.\\$\\{[^}]*\\}\`,\\s*\\{[^}]*\\bcount\\b`);
        expect({ key, count: call.test(own) }).toEqual({ key, count: true });
      }
    },
  );
});
