import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { returnInsights } from "../services/returns/figures.server";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";

const PERIODS = [30, 90, 365];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const asked = Number(new URL(request.url).searchParams.get("days") ?? 90);
  const days = PERIODS.includes(asked) ? asked : 90;
  const insights = await returnInsights(db(), session.shop, days);
  return json({
    days,
    ...insights,
    // Minor units: the page writes money in the admin's language.
    money: insights.money.map((m) => ({
      currency: m.currency,
      kept: m.keptMinor,
      exchange: m.exchangeMinor,
      storeCredit: m.storeCreditMinor,
      refunded: m.refundedMinor,
      keptShare: m.keptMinor + m.refundedMinor > 0 ? m.keptMinor / (m.keptMinor + m.refundedMinor) : 0,
    })),
  });
};

function Figure({ label, value, help }: { label: string; value: string; help: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function ReturnInsightsPage() {
  const data = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const t = useT();
  const format = useAdminFormat();
  const main = data.money[0];
  const money = (minor: number, currency: string) => format.money(minor, currency);
  return (
    <BlockStack gap="400">
      <InlineStack align="end">
        <Box minWidth="220px">
          <Select
            label={t("insights.period")}
            labelInline
            options={PERIODS.map((d) => ({ label: t("insights.lastDays", { days: d }), value: String(d) }))}
            value={String(data.days)}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              next.set("days", value);
              setParams(next);
            }}
          />
        </Box>
      </InlineStack>
      <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
        <Figure
          label={t("insights.returnRate")}
          value={format.percent(data.returnRate)}
          help={t("insights.returnRateHelp", {
            returned: data.ordersWithReturns,
            orders: data.orders,
            how: t("dashboard.return_rate.help"),
          })}
        />
        <Figure label={t("insights.returns")} value={format.number(data.returns)} help={t("insights.returnsHelp")} />
        <Figure
          label={t("insights.kept")}
          value={main ? money(main.kept, main.currency) : "—"}
          help={
            main
              ? t("insights.keptHelp", {
                  exchange: money(main.exchange, main.currency),
                  storeCredit: money(main.storeCredit, main.currency),
                  share: format.percent(main.keptShare),
                  how: t("dashboard.revenue_kept.help"),
                })
              : t("dashboard.revenue_kept.help")
          }
        />
        <Figure
          label={t("insights.refunded")}
          value={main ? money(main.refunded, main.currency) : "—"}
          help={t("insights.refundedHelp")}
        />
      </InlineGrid>
      {data.money.length > 1 ? (
        <Card>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={[
              t("insights.currency"),
              t("insights.keptColumn"),
              t("insights.exchanges"),
              t("insights.storeCredit"),
              t("insights.refunded"),
            ]}
            rows={data.money.map((m) => [
              m.currency,
              money(m.kept, m.currency),
              money(m.exchange, m.currency),
              money(m.storeCredit, m.currency),
              money(m.refunded, m.currency),
            ])}
          />
        </Card>
      ) : null}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingMd">
              {t("insights.topReasons")}
            </Text>
            {data.topReasons.length ? (
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={[t("insights.reason"), t("insights.units")]}
                rows={data.topReasons.map((r) => [r.labels?.[format.locale] || r.label, format.number(r.units)])}
              />
            ) : (
              <Text as="p" tone="subdued">
                {t("insights.none")}
              </Text>
            )}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingMd">
              {t("insights.byProduct")}
            </Text>
            {data.byProduct.length ? (
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={[t("insights.product"), t("insights.units"), t("insights.returns")]}
                rows={data.byProduct.map((p) => [p.title, format.number(p.units), format.number(p.returns)])}
              />
            ) : (
              <Text as="p" tone="subdued">
                {t("insights.none")}
              </Text>
            )}
          </BlockStack>
        </Card>
      </InlineGrid>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
