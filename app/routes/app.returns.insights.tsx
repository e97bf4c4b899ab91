import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { returnInsights } from "../services/returns/figures.server";
import { HOW_COUNTED } from "../domain/dashboard/definitions";
import { formatMoney } from "../domain/shared/money";

const PERIODS = [30, 90, 365];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const asked = Number(new URL(request.url).searchParams.get("days") ?? 90);
  const days = PERIODS.includes(asked) ? asked : 90;
  const insights = await returnInsights(db(), session.shop, days);
  return json({
    days,
    ...insights,
    money: insights.money.map((m) => ({
      currency: m.currency,
      kept: formatMoney({ amountMinor: m.keptMinor, currency: m.currency }),
      exchange: formatMoney({ amountMinor: m.exchangeMinor, currency: m.currency }),
      storeCredit: formatMoney({ amountMinor: m.storeCreditMinor, currency: m.currency }),
      refunded: formatMoney({ amountMinor: m.refundedMinor, currency: m.currency }),
      keptShare: m.keptMinor + m.refundedMinor > 0 ? m.keptMinor / (m.keptMinor + m.refundedMinor) : 0,
    })),
  });
};

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

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
  const main = data.money[0];
  return (
    <BlockStack gap="400">
      <InlineStack align="end">
        <Box minWidth="220px">
          <Select
            label="Period"
            labelInline
            options={PERIODS.map((d) => ({ label: `Last ${d} days`, value: String(d) }))}
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
          label="Return rate"
          value={pct(data.returnRate)}
          help={`${data.ordersWithReturns} of ${data.orders} orders. ${HOW_COUNTED.returnRate}`}
        />
        <Figure
          label="Returns"
          value={String(data.returns)}
          help="Requested in the period (declined and canceled left out)"
        />
        <Figure
          label="Revenue kept"
          value={main?.kept ?? "—"}
          help={
            main
              ? `Exchanges ${main.exchange} and store credit ${main.storeCredit}: ${pct(main.keptShare)} ` +
                `of the value resolved. ${HOW_COUNTED.revenueKept}`
              : HOW_COUNTED.revenueKept
          }
        />
        <Figure label="Refunded" value={main?.refunded ?? "—"} help={HOW_COUNTED.refunded} />
      </InlineGrid>
      {data.money.length > 1 ? (
        <Card>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Currency", "Kept", "Exchanges", "Store credit", "Refunded"]}
            rows={data.money.map((m) => [m.currency, m.kept, m.exchange, m.storeCredit, m.refunded])}
          />
        </Card>
      ) : null}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingMd">
              Top reasons
            </Text>
            {data.topReasons.length ? (
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={["Reason", "Units"]}
                rows={data.topReasons.map((r) => [r.label, r.units])}
              />
            ) : (
              <Text as="p" tone="subdued">
                No returns in this period.
              </Text>
            )}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingMd">
              Returns by product
            </Text>
            {data.byProduct.length ? (
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["Product", "Units", "Returns"]}
                rows={data.byProduct.map((p) => [p.title, p.units, p.returns])}
              />
            ) : (
              <Text as="p" tone="subdued">
                No returns in this period.
              </Text>
            )}
          </BlockStack>
        </Card>
      </InlineGrid>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
