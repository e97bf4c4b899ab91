import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { liabilityReport, shopCurrency } from "../services/loyalty/admin.server";
import { loadLoyaltySettings } from "../services/loyalty/settings.server";
import { formatMoney } from "../domain/shared/money";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [report, currency, settings] = await Promise.all([
    liabilityReport(db(), session.shop, new Date()),
    shopCurrency(db(), session.shop),
    loadLoyaltySettings(db(), session.shop),
  ]);
  return json({ report, currency, currencyName: settings.currencyName.en });
};

export default function LoyaltyLiabilityPage() {
  const { report, currency, currencyName } = useLoaderData<typeof loader>();
  const n = (v: number) => v.toLocaleString("en-US");
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency });
  const stats = [
    {
      label: `${currencyName} outstanding`,
      value: n(report.totalPoints),
      note: `${n(report.availablePoints)} spendable, ${n(report.pendingPoints)} pending`,
    },
    {
      label: "What they are worth",
      value: report.minorPerPoint > 0 ? money(report.liabilityMinor) : "—",
      note:
        report.minorPerPoint > 0
          ? `At ${money(Math.round(report.minorPerPoint * 100))} per 100 ${currencyName}, your best-value reward`
          : "Add an amount-off or store-credit reward to value points",
    },
    { label: "Members holding points", value: n(report.membersWithPoints), note: `of ${n(report.members)} members` },
    { label: "Redeemed so far", value: n(report.redeemedPoints), note: `${n(report.redemptions)} rewards issued` },
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
      <Banner tone="info">
        Points are valued at the rate of your most generous amount-off or store-credit reward, so this is the most the
        points now held could cost you if every one were spent. Percent-off and free-shipping rewards depend on the
        order and are not counted.
      </Banner>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
