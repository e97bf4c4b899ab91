/**
 * Chats, form and email requests side by side (HOW_COUNTED.byChannel, docs/decisions/0042): how
 * many conversations started, the median first response and CSAT, per channel, in the period.
 */
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";

import type { AdminMessageKey } from "../../locales/admin";
import { useAdminFormat, useT } from "../../locales/admin/use-admin-language";

export interface ChannelRow {
  channel: "chat" | "form" | "email";
  started: number;
  medianFirstResponseMinutes: number | null;
  csat: number | null;
  csatAnswers: number;
}

const CHANNEL_KEY: Record<ChannelRow["channel"], AdminMessageKey> = {
  chat: "home.byChannel.chat",
  form: "home.byChannel.form",
  email: "home.byChannel.email",
};

export function ServiceByChannel({ rows }: { rows: ReadonlyArray<ChannelRow> }) {
  const t = useT();
  const format = useAdminFormat();
  const minutes = (value: number | null) => {
    if (value === null) return "—";
    return value >= 90
      ? t("home.hours", { value: format.number(value / 60, { maximumFractionDigits: 1, minimumFractionDigits: 1 }) })
      : t("home.minutes", { value: Math.round(value) });
  };
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {t("home.byChannel.title")}
        </Text>
        <div id="service-by-channel">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={[
              t("home.byChannel.channel"),
              t("home.byChannel.started"),
              t("home.byChannel.firstResponse"),
              t("home.byChannel.csat"),
            ]}
            rows={rows.map((r) => [
              t(CHANNEL_KEY[r.channel]),
              format.number(r.started),
              minutes(r.medianFirstResponseMinutes),
              r.csat === null
                ? "—"
                : t("home.byChannel.csatValue", { value: format.percent(r.csat), answers: r.csatAnswers }),
            ])}
          />
        </div>
        <Text as="p" tone="subdued" variant="bodySm">
          {t("home.byChannel.help")}
        </Text>
      </BlockStack>
    </Card>
  );
}
