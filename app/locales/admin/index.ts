/**
 * The admin's words in the languages Aftercare speaks (en, ko, ja, fa), one file per language
 * beside this one. A message with a count has a form per plural category of its language (Intl
 * plural rules: English one/other, Korean and Japanese other only, Persian one/other), numbers
 * are written in the language's digits, and a missing key or form falls back to English's.
 * The admin's language is the one Shopify's admin passes the app (`locale`, e.g. `fa` or `ko-KR`).
 */
import en from "./en.json";
import fa from "./fa.json";
import ja from "./ja.json";
import ko from "./ko.json";

export const ADMIN_LOCALES = ["en", "ko", "ja", "fa"] as const;
export type AdminLocale = (typeof ADMIN_LOCALES)[number];

type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type AdminMessageKey = keyof typeof en;
const MESSAGES: Record<AdminLocale, Partial<Record<AdminMessageKey, Message>>> = { en, ko, ja, fa };

/** The direction its text runs in: a Persian line inside a page still in English keeps its own. */
export const adminDirection = (locale: AdminLocale): "rtl" | "ltr" => (locale === "fa" ? "rtl" : "ltr");

/** The admin's language from Shopify's `locale` parameter of the request (English when none fits). */
export function adminLocale(request: Request): AdminLocale {
  const asked = new URL(request.url).searchParams.get("locale")?.toLowerCase().split(/[-_]/)[0];
  return (ADMIN_LOCALES as ReadonlyArray<string>).includes(asked ?? "") ? (asked as AdminLocale) : "en";
}

export type Translate = (key: AdminMessageKey, values?: Record<string, string | number>) => string;

/**
 * A message the server says and the page shows: its key and values, put into words in the
 * browser in the admin's language (a server's request carries no `locale`, see routes/app).
 */
export interface Said {
  key: AdminMessageKey;
  values?: Record<string, string | number>;
}

export const said = (key: AdminMessageKey, values?: Record<string, string | number>): Said =>
  values ? { key, values } : { key };

/**
 * `t(key, { count, … })`: the message in `locale`, its plural form chosen by `count`, each
 * `{name}` replaced (numbers written in the language's digits).
 */
export function translator(locale: AdminLocale): Translate {
  const plural = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale);
  return (key, values = {}) => {
    const message = MESSAGES[locale][key] ?? MESSAGES.en[key] ?? key;
    let text: string;
    if (typeof message === "string") text = message;
    else {
      const count = Number(values.count ?? 0);
      const english = MESSAGES.en[key] as Partial<Record<Intl.LDMLPluralRule, string>>;
      text = message[plural.select(count)] ?? message.other ?? english.other ?? key;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? number.format(value) : value;
    });
  };
}
