import { Badge, Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";

import type { Translate } from "../locales/admin";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";

export interface ReconciliationCardData {
  running: boolean;
  /** When the last check ended (an instant, shown in the shop's zone), or null before the first. */
  finished: string | null;
  lastTrigger: string | null;
  lastError: string | null;
  found: { orders: number; shipments: number; scans: number; refunds: number; returns: number };
  ordersSeen: number;
}

function foundSentence(t: Translate, found: ReconciliationCardData["found"]) {
  const parts = (["orders", "shipments", "scans", "refunds", "returns"] as const)
    .filter((kind) => found[kind] > 0)
    .map((kind) => t(`reconcile.${kind}`, { count: found[kind] }));
  return parts.length === 0 ? t("reconcile.nothingMissing") : t("reconcile.broughtIn", { parts: parts.join(", ") });
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
  const t = useT();
  const format = useAdminFormat();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("reconcile.title")}
          </Text>
          {data.running ? <Badge tone="info">{t("reconcile.running")}</Badge> : null}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("reconcile.intro")}
        </Text>
        {data.finished ? (
          <Text as="p">
            {`${t(data.lastTrigger === "merchant" ? "reconcile.lastByYou" : "reconcile.last", {
              date: format.dateTime(data.finished),
              count: data.ordersSeen,
            })} `}
            {data.lastError ? null : foundSentence(t, data.found)}
          </Text>
        ) : (
          <Text as="p">{t("reconcile.none")}</Text>
        )}
        {data.lastError ? (
          <Banner tone="critical" title={t("reconcile.failed")}>
            <p>{data.lastError}</p>
            <p>{t("reconcile.failedNext")}</p>
          </Banner>
        ) : null}
        <InlineStack>
          <Button onClick={onCheckNow} loading={checking || data.running} disabled={data.running}>
            {t("reconcile.checkNow")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
