/**
 * shopify.i18n as a customer-account extension sees it: translate() over the extension's own
 * locales/*.json (the shopper's language first, then its base language, then the default file),
 * with Shopify's rules: nested keys by dots, `{{name}}` placeholders, and plural forms chosen by
 * Intl.PluralRules when a `count` is given (`key.one`, `key.other`, and `key.zero` / `key.0` for
 * an exact zero). A key or placeholder the files do not provide throws: silence would hide a bug.
 * Runs in the browser (the host) and in Node (tests).
 */

export type Translations = Record<string, unknown>;

export interface LocaleFiles {
  /** The file for the shopper's locale (e.g. fa.json), if the extension has one. */
  locale?: Translations | null;
  /** The file for the base language (e.g. pt.json for pt-BR), if any. */
  language?: Translations | null;
  /** The extension's default file (en.default.json). */
  fallback: Translations;
}

export class TranslationError extends Error {}

function lookup(tree: Translations | null | undefined, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function createTranslate(locale: string, files: LocaleFiles) {
  const plural = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale);
  const sources = [files.locale, files.language, files.fallback];

  function resolve(key: string, count: unknown): string | undefined {
    for (const tree of sources) {
      const found = lookup(tree, key);
      if (typeof found === "string") return found;
      if (found && typeof found === "object" && typeof count === "number") {
        const forms = found as Record<string, unknown>;
        const exact = count === 0 ? (forms.zero ?? forms["0"]) : count === 1 ? forms["1"] : undefined;
        const chosen = exact ?? forms[plural.select(count)] ?? forms.other;
        if (typeof chosen === "string") return chosen;
      }
    }
    return undefined;
  }

  return function translate(key: string, options: Record<string, unknown> = {}): string | unknown[] {
    const template = resolve(key, options.count);
    if (template === undefined) {
      const plural =
        lookup(files.fallback, key) && typeof options.count !== "number" ? " (it has plural forms: pass count)" : "";
      throw new TranslationError(`Missing translation "${key}" for ${locale}${plural}`);
    }
    const parts: unknown[] = [];
    let text = "";
    let rich = false;
    let last = 0;
    for (const match of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
      text += template.slice(last, match.index);
      last = (match.index ?? 0) + match[0].length;
      const name = match[1];
      if (!(name in options)) throw new TranslationError(`Translation "${key}" needs a value for {{${name}}}`);
      const value = options[name];
      if (typeof value === "number") text += number.format(value);
      else if (typeof value === "string") text += value;
      else {
        // A component in a placeholder: translate answers the pieces as an array.
        rich = true;
        parts.push(text, value);
        text = "";
      }
    }
    text += template.slice(last);
    if (!rich) return text;
    parts.push(text);
    return parts.filter((p) => p !== "");
  };
}

export function createI18n(input: { locale: string; currency: string; timeZone: string; files: LocaleFiles }) {
  const { locale, currency, timeZone } = input;
  return {
    translate: createTranslate(locale, input.files),
    formatNumber: (
      value: number | bigint,
      options: Intl.NumberFormatOptions & { inExtensionLocale?: boolean } = {},
    ) => {
      const { inExtensionLocale: _ignored, ...rest } = options;
      return new Intl.NumberFormat(locale, rest).format(value);
    },
    formatCurrency: (
      value: number | bigint,
      options: Intl.NumberFormatOptions & { inExtensionLocale?: boolean } = {},
    ) => {
      const { inExtensionLocale: _ignored, ...rest } = options;
      return new Intl.NumberFormat(locale, { style: "currency", currency, ...rest }).format(value);
    },
    formatDate: (date: Date, options: Intl.DateTimeFormatOptions & { inExtensionLocale?: boolean } = {}) => {
      const { inExtensionLocale: _ignored, ...rest } = options;
      return new Intl.DateTimeFormat(locale, { timeZone, ...rest }).format(date);
    },
  };
}
