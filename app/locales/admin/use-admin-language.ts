import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";

import { adminFormat, type AdminFormat } from "./format";

import { translator, type AdminLocale, type Translate } from "./index";

interface Frame {
  locale?: AdminLocale;
  timeZone?: string;
}
const useFrame = () => useRouteLoaderData<Frame>("routes/app");

/**
 * The merchant's admin language, as the app's frame read it from Shopify's `locale` parameter
 * when the admin opened the app. Navigation inside the app does not repeat the parameter, so every
 * page takes the language from the frame (routes/app) rather than from its own request.
 */
export function useAdminLocale(): AdminLocale {
  return useFrame()?.locale ?? "en";
}

/** `t(key, values)` in the merchant's admin language. */
export function useT(): Translate {
  const locale = useAdminLocale();
  return useMemo(() => translator(locale), [locale]);
}

/** Numbers, counts, money and dates in the admin language and the shop's time zone (the frame's). */
export function useAdminFormat(): AdminFormat {
  const frame = useFrame();
  const locale = frame?.locale ?? "en";
  const timeZone = frame?.timeZone ?? "UTC";
  return useMemo(() => adminFormat(locale, timeZone), [locale, timeZone]);
}
