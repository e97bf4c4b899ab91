import en from "@shopify/polaris/locales/en.json";
import ja from "@shopify/polaris/locales/ja.json";
import ko from "@shopify/polaris/locales/ko.json";

import type { AdminLocale } from "./index";

/**
 * Polaris's own words (its buttons, pagination, filters, date picker) in the admin's language,
 * from the translations Polaris ships; Persian, which Polaris does not ship, keeps its English.
 */
export function polarisTranslations(locale: AdminLocale): typeof en {
  return locale === "ja" ? ja : locale === "ko" ? ko : en;
}
