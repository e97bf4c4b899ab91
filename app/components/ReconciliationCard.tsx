import { Badge, Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";

export interface ReconciliationCardData {
  running: boolean;
  /** When the last check ended, in the shop's time, or null before the first. */
  finished: string | null;
  lastTrigger: string | null;
  lastError: string | null;
  found: { orders: number; shipments: number; scans: number; refunds: number; returns: number };
  ordersSeen: number;
}

const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : `${one}s`}`;

function foundSentence(found: ReconciliationCardData["found"]) {
  const parts = [
    found.orders && plural(found.orders, "order"),
    found.shipments && plural(found.shipments, "shipment"),
    found.scans && plural(found.scans, "carrier scan"),
    found.refunds && plural(found.refunds, "refund"),
    found.returns && plural(found.returns, "return"),
  ].filter((part): part is string => Boolean(part));
  return parts.length === 0
    ? "Nothing was missing: every change had arrived by webhook."
    : `Brought in what the webhooks missed: ${parts.join(", ")}.`;
}

/**
 * Reconciliation on the Sync page: when Aftercare last compared its copy with Shopify, what it
 * found missing, and a button to check now.
 */
export function ReconciliationCard({
  data,
  checking,
  onCheckNow,
}: {
  data: ReconciliationCardData;
  checking: boolean;
  onCheckNow: () => void;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Checks for missed updates
          </Text>
          {data.running ? <Badge tone="info">Checking now</Badge> : null}
        </InlineStack>
        <Text as="p" tone="subdued">
          Every 15 minutes Aftercare asks Shopify for orders changed since its last check and brings in any shipment,
          scan, refund or return a webhook did not deliver.
        </Text>
        {data.finished ? (
          <Text as="p">
            {`Last check ${data.finished}${data.lastTrigger === "merchant" ? " (started by you)" : ""}, ` +
              `over ${plural(data.ordersSeen, "changed order")}. `}
            {data.lastError ? null : foundSentence(data.found)}
          </Text>
        ) : (
          <Text as="p">No check has run yet; the first one runs within 15 minutes of install.</Text>
        )}
        {data.lastError ? (
          <Banner tone="critical" title="The last check did not finish">
            <p>{data.lastError}</p>
            <p>The next check reads the same orders again.</p>
          </Banner>
        ) : null}
        <InlineStack>
          <Button onClick={onCheckNow} loading={checking || data.running} disabled={data.running}>
            Check now
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
