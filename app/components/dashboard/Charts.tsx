import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

import { useT } from "../../locales/admin/use-admin-language";

/** The dashboard's charts (client only: polaris-viz measures the page). */
export default function Charts({
  daily,
  reasons,
}: {
  daily: { date: string; all: number; orderStatus: number }[];
  reasons: { label: string; value: number }[];
}) {
  const t = useT();
  return (
    <PolarisVizProvider>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              {t("home.chart.requests")}
            </Text>
            <div
              style={{ height: 260 }}
              role="img"
              aria-label={t("home.chart.requestsTotal", { total: daily.reduce((s, d) => s + d.all, 0) })}
            >
              <LineChart
                theme="Light"
                data={[
                  { name: t("home.chart.allRequests"), data: daily.map((d) => ({ key: d.date, value: d.all })) },
                  {
                    name: t("home.chart.orderStatus"),
                    data: daily.map((d) => ({ key: d.date, value: d.orderStatus })),
                  },
                ]}
              />
            </div>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              {t("home.chart.reasons")}
            </Text>
            {reasons.length === 0 ? (
              <Text as="p" tone="subdued">
                {t("home.chart.noReturns")}
              </Text>
            ) : (
              <div
                style={{ height: 260 }}
                role="img"
                aria-label={reasons.map((r) => `${r.label}: ${r.value}`).join(", ")}
              >
                <BarChart
                  theme="Light"
                  direction="horizontal"
                  data={[
                    {
                      name: t("home.chart.itemsReturned"),
                      data: reasons.map((r) => ({ key: r.label, value: r.value })),
                    },
                  ]}
                />
              </div>
            )}
          </BlockStack>
        </Card>
      </InlineGrid>
    </PolarisVizProvider>
  );
}
