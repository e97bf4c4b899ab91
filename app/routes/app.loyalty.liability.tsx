import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { liabilityReport, shopCurrency } from "../services/loyalty/admin.server";
import { loadLoyaltySettings } from "../services/loyalty/settings.server";
import { currencyNameFor, type LoyaltySettings } from "../domain/loyalty/settings";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [report, currency, settings] = await Promise.all([
    liabilityReport(db(), session.shop, new Date()),
    shopCurrency(db(), session.shop),
    loadLoyaltySettings(db(), session.shop),
  ]);
  return json({ report, currency, currencyName: settings.currencyName });
};

export default function LoyaltyLiabilityPage() {
  const { report, currency, currencyName } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useAdminFormat();
  const n = (v: number) => format.number(v);
  const money = (minor: number) => format.money(minor, currency);
  // What points are called in the admin's language, by the storefront's rule.
  const name = currencyNameFor({ currencyName } as LoyaltySettings, format.locale);
  const stats = [
    {
      label: t("liability.outstanding", { name }),
      value: n(report.totalPoints),
      note: t("liability.outstandingNote", { available: report.availablePoints, pending: report.pendingPoints }),
    },
    {
      label: t("liability.worth"),
      value: report.minorPerPoint > 0 ? money(report.liabilityMinor) : "—",
      note:
        report.minorPerPoint > 0
          ? t("liability.rate", { amount: money(Math.round(report.minorPerPoint * 100)), name })
          : t("liability.noRate"),
    },
    {
      label: t("liability.holding"),
      value: n(report.membersWithPoints),
      note: format.count("liability.ofMembers", report.members),
    },
    {
      label: t("liability.redeemed"),
      value: n(report.redeemedPoints),
      note: format.count("liability.issued", report.redemptions),
    },
  ];
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
        {stats.map((s) => (
          <Card key={s.label}>
            <BlockStack gap="100">
              <Text as="h3" tone="subdued">
                {s.label}
              </Text>
              <Text as="p" variant="headingXl" numeric>
                {s.value}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {s.note}
              </Text>
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
      <Banner tone="info">{t("liability.explained")}</Banner>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
