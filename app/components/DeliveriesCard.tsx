/**
 * The Sync page's deliveries: where Aftercare's events went (Shopify Flow, Klaviyo …), how many
 * were sent, are failing and are parked per destination, and the recent failures with their error
 * and a Retry, paged by keyset (services/events/deliveries-view.server.ts).
 */
import { useEffect } from "react";
import { useFetcher, useNavigate } from "@remix-run/react";
import { BlockStack, Box, Card, IndexTable, InlineGrid, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import type { AdminMessageKey } from "../locales/admin";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";

import { eventLabel } from "./event-labels";
import { FailureErrorCell, FailureStatusCell, RetryCell } from "./FailureCells";

export interface DeliveriesData {
  destinations: { destination: string; sent: number; failing: number; parked: number }[];
  failures: {
    next: string | null;
    previous: string | null;
    rows: {
      id: string;
      destination: string;
      status: string;
      attempts: number;
      error: string;
      type: string;
      occurredAt: string;
      nextAttemptAt: string | null;
    }[];
  };
}

const DESTINATION_LABELS: Record<string, AdminMessageKey> = {
  flow: "sync.deliveries.destination.flow",
  klaviyo: "sync.deliveries.destination.klaviyo",
  metafields: "sync.deliveries.destination.metafields",
  sms: "sync.deliveries.destination.sms",
};

interface Answer {
  ok: boolean;
  said?: { key: string };
  message?: string;
}

export function DeliveriesCard({ data }: { data: DeliveriesData }) {
  const t = useT();
  const format = useAdminFormat();
  const navigate = useNavigate();
  const fetcher = useFetcher<Answer>();
  const shopify = useAppBridge();
  const destinationName = (d: string) => (DESTINATION_LABELS[d] ? t(DESTINATION_LABELS[d]) : d);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data)
      shopify.toast.show(
        fetcher.data.said ? t(fetcher.data.said.key as AdminMessageKey) : (fetcher.data.message ?? ""),
        { isError: !fetcher.data.ok },
      );
  }, [fetcher.state, fetcher.data, shopify, t]);
  const { rows } = data.failures;
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="300">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("sync.deliveries.title")}
            </Text>
            <Text as="p" tone="subdued">
              {t("sync.deliveries.body")}
            </Text>
          </BlockStack>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
            {data.destinations.map((d) => (
              <Box key={d.destination} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    {destinationName(d.destination)}
                  </Text>
                  <Text as="p" variant="bodySm">
                    {t("sync.deliveries.sent", { count: format.number(d.sent) })}
                  </Text>
                  <Text as="p" variant="bodySm" tone={d.failing ? "caution" : "subdued"}>
                    {t("sync.deliveries.failing", { count: format.number(d.failing) })}
                  </Text>
                  <Text as="p" variant="bodySm" tone={d.parked ? "critical" : "subdued"}>
                    {t("sync.deliveries.parked", { count: format.number(d.parked) })}
                  </Text>
                </BlockStack>
              </Box>
            ))}
          </InlineGrid>
          <Text as="h3" variant="headingSm">
            {t("sync.deliveries.failures")}
          </Text>
        </BlockStack>
      </Box>
      {rows.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p" tone="subdued">
            {t("sync.deliveries.none")}
          </Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: t("sync.deliveries.resource"), plural: t("sync.deliveries.resources") }}
          itemCount={rows.length}
          selectable={false}
          headings={[
            { title: t("sync.deliveries.column.destination") },
            { title: t("sync.deliveries.column.event") },
            { title: t("sync.column.status") },
            { title: t("sync.column.error") },
            { title: "" },
          ]}
          pagination={{
            hasNext: data.failures.next !== null,
            hasPrevious: data.failures.previous !== null,
            onNext: () => data.failures.next && navigate(`?deliveriesAfter=${data.failures.next}`),
            onPrevious: () => data.failures.previous && navigate(`?deliveriesBefore=${data.failures.previous}`),
          }}
        >
          {rows.map((r, index) => (
            <IndexTable.Row id={r.id} key={r.id} position={index}>
              <IndexTable.Cell>{destinationName(r.destination)}</IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack>
                  <Text as="span">{eventLabel(t, r.type)}</Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {format.dateTime(r.occurredAt)}
                  </Text>
                </BlockStack>
              </IndexTable.Cell>
              <FailureStatusCell t={t} status={r.status} attempts={r.attempts} />
              <FailureErrorCell error={r.error} />
              <RetryCell
                t={t}
                fetcher={fetcher}
                intent="retry-delivery"
                id={r.id}
                loading={fetcher.state !== "idle" && fetcher.formData?.get("id") === r.id}
              />
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
    </Card>
  );
}
