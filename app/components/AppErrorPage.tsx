import { isRouteErrorResponse, useLocation, useRouteError } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";

import type { AdminMessageKey } from "../locales/admin";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";

const AREAS: Record<string, AdminMessageKey> = {
  tracking: "nav.tracking",
  returns: "nav.returns",
  loyalty: "nav.loyalty",
  inbox: "nav.inbox",
  contact: "nav.contact",
  sync: "nav.sync",
};

/**
 * What a page shows when it cannot be shown (a bad link, a record that is gone, a failure on our
 * side): a title, what happened in the merchant's words, and a way back, inside the app with its
 * navigation. Shopify's own answers (the session-token bounce, a 401 App Bridge retries) are left
 * to Shopify's boundary.
 */
function ErrorContent({ inArea }: { inArea: boolean }) {
  const error = useRouteError();
  const t = useT();
  const locale = useAdminLocale();
  const { pathname } = useLocation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 404 ? "notFound" : status >= 400 && status < 500 ? "badRequest" : "server";
  const title = t(`error.${kind}.title`);
  // The page's own reason is in English; shown to merchants who read the admin in English.
  const detail =
    locale === "en" && isRouteErrorResponse(error) && status < 500
      ? typeof error.data === "string"
        ? error.data
        : typeof error.data?.message === "string"
          ? (error.data.message as string)
          : null
      : null;
  const area = /^\/app\/([^/]+)/.exec(pathname)?.[1];
  const areaKey = area ? AREAS[area] : undefined;
  const areaPath = `/app/${area}`;
  const body = (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingLg">
          {title}
        </Text>
        <Text as="p">{t(`error.${kind}.body`)}</Text>
        {detail ? (
          <Text as="p" tone="subdued">
            {detail}
          </Text>
        ) : null}
        <Text as="p" tone="subdued" variant="bodySm">
          {t("error.code", { status: String(status) })}
        </Text>
        <InlineStack gap="200">
          {areaKey && pathname !== areaPath ? (
            <Button variant="primary" url={areaPath}>
              {t("error.backTo", { area: t(areaKey) })}
            </Button>
          ) : null}
          <Button url="/app" variant={areaKey && pathname !== areaPath ? undefined : "primary"}>
            {t("error.backHome")}
          </Button>
          {kind === "server" ? <Button onClick={() => window.location.reload()}>{t("error.tryAgain")}</Button> : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
  if (inArea) return body;
  return (
    <Page title={title} backAction={{ content: t("error.backHome"), url: "/app" }}>
      <TitleBar title={title} />
      {body}
    </Page>
  );
}

function isShopifyResponse(error: unknown) {
  return isRouteErrorResponse(error) && (error.status < 400 || error.status === 401);
}

/** The ErrorBoundary of a page of its own (Home, Inbox, Contact, Sync, an area's layout). */
export function AppErrorBoundary() {
  const error = useRouteError();
  if (isShopifyResponse(error)) return boundary.error(error);
  return <ErrorContent inArea={false} />;
}

/** The ErrorBoundary of a page inside an area's tabs (Tracking, Returns, Loyalty): the tabs stay. */
export function AreaErrorBoundary() {
  const error = useRouteError();
  if (isShopifyResponse(error)) return boundary.error(error);
  return <ErrorContent inArea />;
}
