import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";

import { translator, type AdminLocale, type Translate } from "./index";

/**
 * The merchant's admin language, as the app's frame read it from Shopify's `locale` parameter
 * when the admin opened the app. Navigation inside the app does not repeat the parameter, so every
 * page takes the language from the frame (routes/app) rather than from its own request.
 */
export function useAdminLocale(): AdminLocale {
  return useRouteLoaderData<{ locale?: AdminLocale }>("routes/app")?.locale ?? "en";
}

/** `t(key, values)` in the merchant's admin language. */
export function useT(): Translate {
  const locale = useAdminLocale();
  return useMemo(() => translator(locale), [locale]);
}
