import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

/** The dashboard's charts (client only: polaris-viz measures the page). */
export default function Charts({
  daily,
  reasons,
}: {
  daily: { date: string; all: number; orderStatus: number }[];
  reasons: { label: string; value: number }[];
}) {
  return (
    <PolarisVizProvider>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Requests per day
            </Text>
            <div
              style={{ height: 260 }}
              role="img"
              aria-label={`Requests per day: ${daily.reduce((s, d) => s + d.all, 0)} in total`}
            >
              <LineChart
                theme="Light"
                data={[
                  { name: "All requests", data: daily.map((d) => ({ key: d.date, value: d.all })) },
                  { name: "Order status", data: daily.map((d) => ({ key: d.date, value: d.orderStatus })) },
                ]}
              />
            </div>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Top return reasons
            </Text>
            {reasons.length === 0 ? (
              <Text as="p" tone="subdued">
                No returns in this period.
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
                  data={[{ name: "Items returned", data: reasons.map((r) => ({ key: r.label, value: r.value })) }]}
                />
              </div>
            )}
          </BlockStack>
        </Card>
      </InlineGrid>
    </PolarisVizProvider>
  );
}
