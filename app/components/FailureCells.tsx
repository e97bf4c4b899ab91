/**
 * The cells a failure row shares on the Sync page, whether the failure is a webhook the app could
 * not apply or an event it could not deliver: its state (retrying, or parked after N attempts), its
 * error, and a Retry that posts the row's id under the page's intent.
 */
import type { FetcherWithComponents } from "@remix-run/react";
import { Badge, Box, Button, IndexTable, Text } from "@shopify/polaris";

import type { Translate } from "../locales/admin";

export function FailureStatusCell({ t, status, attempts }: { t: Translate; status: string; attempts: number }) {
  return (
    <IndexTable.Cell>
      {status === "parked" ? (
        <Badge tone="critical">{t("sync.events.parkedAfter", { count: attempts })}</Badge>
      ) : (
        <Badge tone="warning">{t("sync.events.retrying", { count: attempts })}</Badge>
      )}
    </IndexTable.Cell>
  );
}

export function FailureErrorCell({ error }: { error: string }) {
  return (
    <IndexTable.Cell>
      <Box maxWidth="420px">
        <Text as="span" variant="bodySm" breakWord>
          {error}
        </Text>
      </Box>
    </IndexTable.Cell>
  );
}

export function RetryCell<T>({
  t,
  fetcher,
  intent,
  id,
  loading,
  accessibilityLabel,
}: {
  t: Translate;
  fetcher: FetcherWithComponents<T>;
  intent: string;
  id: string;
  loading?: boolean;
  accessibilityLabel?: string;
}) {
  return (
    <IndexTable.Cell>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="id" value={id} />
        <Button submit size="slim" loading={loading} accessibilityLabel={accessibilityLabel}>
          {t("sync.retryNow")}
        </Button>
      </fetcher.Form>
    </IndexTable.Cell>
  );
}
