import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError, type ShouldRevalidateFunction } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { shopTimeZone } from "../models/shop.server";
import { adminLocale, translator } from "../locales/admin";
import { polarisTranslations } from "../locales/admin/polaris.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const config = env();
  // Shopify opens the app with the merchant's admin language (`locale`); the pages take it from here.
  const locale = adminLocale(request);
  // Pages show dates and times in the shop's time zone, read here once with the language.
  const timeZone = (await shopTimeZone(db(), session.shop)) ?? "UTC";
  return json({
    apiKey: config.SHOPIFY_API_KEY,
    appBridgeUrl: config.APP_BRIDGE_URL ?? null,
    locale,
    timeZone,
    polaris: polarisTranslations(locale),
  });
};

// The frame's data is what the admin opened the app with: moving between pages (whose addresses
// no longer carry Shopify's parameters) must not read the language again and lose it.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function App() {
  const { apiKey, appBridgeUrl, locale, polaris } = useLoaderData<typeof loader>();
  const t = translator(locale);
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polaris}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      {/* Only pages that work are listed; each area adds its page here when it ships. */}
      <NavMenu>
        <Link to="/app" rel="home">
          {t("nav.home")}
        </Link>
        <Link to="/app/tracking">{t("nav.tracking")}</Link>
        <Link to="/app/returns">{t("nav.returns")}</Link>
        <Link to="/app/loyalty">{t("nav.loyalty")}</Link>
        <Link to="/app/inbox">{t("nav.inbox")}</Link>
        <Link to="/app/contact">{t("nav.contact")}</Link>
        <Link to="/app/klaviyo">{t("nav.klaviyo")}</Link>
        <Link to="/app/sms">{t("nav.sms")}</Link>
        <Link to="/app/sync">{t("nav.sync")}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
