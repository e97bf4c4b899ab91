import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Modal as PolarisModal,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { listNotifications, type NotificationStatus } from "../models/outbox.server";
import { shopProfile } from "../models/shop.server";
import { formatShopTime } from "../utils/format";

const STATUSES: NotificationStatus[] = ["pending", "sending", "sent", "retrying", "failed", "suppressed", "skipped"];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const status = url.searchParams.get("status");
  const filter = STATUSES.includes(status as NotificationStatus) ? (status as NotificationStatus) : undefined;
  const [rows, profile] = await Promise.all([
    listNotifications(db(), session.shop, { kind: "tracking", status: filter, take: 100 }),
    shopProfile(db(), session.shop),
  ]);
  return json({
    rows: rows.map((r) => ({
      id: r.id,
      milestone: r.milestone,
      recipient: r.recipient ?? "(redacted)",
      subject: r.subject,
      html: r.bodyHtml,
      status: r.status,
      attempts: r.attempts,
      error: r.lastError,
      created: formatShopTime(r.createdAt, profile.timeZone),
      sent: r.sentAt ? formatShopTime(r.sentAt, profile.timeZone) : null,
      nextAttempt: r.status === "retrying" ? formatShopTime(r.nextAttemptAt, profile.timeZone) : null,
    })),
  });
};

const TONE: Record<string, "success" | "critical" | "warning" | "info" | undefined> = {
  sent: "success",
  failed: "critical",
  retrying: "warning",
  suppressed: "info",
  skipped: undefined,
  pending: "info",
  sending: "info",
};

export default function NotificationLog() {
  const { rows } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<string | null>(null);
  const shown = rows.find((r) => r.id === open);
  return (
    <BlockStack gap="400">
      <InlineStack align="end">
        <Box minWidth="220px">
          <Select
            label="Status"
            labelInline
            options={[
              { label: "All", value: "" },
              ...STATUSES.map((s) => ({ label: s[0].toUpperCase() + s.slice(1), value: s })),
            ]}
            value={params.get("status") ?? ""}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              if (value) next.set("status", value);
              else next.delete("status");
              setParams(next);
            }}
          />
        </Box>
      </InlineStack>
      <Card padding="0">
        {rows.length === 0 ? (
          <EmptyState heading="No shipment emails yet" image="">
            <p>
              Each email to a shopper appears here with its delivery status, once a shipment with tracking reaches a
              milestone you switched on.
            </p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "email", plural: "emails" }}
            itemCount={rows.length}
            selectable={false}
            headings={[
              { title: "Email" },
              { title: "To" },
              { title: "Status" },
              { title: "Queued" },
              { title: "Result" },
            ]}
          >
            {rows.map((r, index) => (
              <IndexTable.Row id={r.id} key={r.id} position={index} onClick={() => setOpen(r.id)}>
                <IndexTable.Cell>
                  <BlockStack>
                    <Text as="span" fontWeight="semibold">
                      {r.subject}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {r.milestone.replace(/_/g, " ")}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.recipient}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={TONE[r.status]}>{r.status}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.created}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" variant="bodySm" breakWord>
                    {r.sent
                      ? `Sent ${r.sent}`
                      : r.nextAttempt
                        ? `Retry ${r.nextAttempt} (attempt ${r.attempts}): ${r.error ?? ""}`
                        : (r.error ?? "—")}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      <PolarisModal open={Boolean(shown)} onClose={() => setOpen(null)} title={shown?.subject ?? ""} size="large">
        <PolarisModal.Section>
          {shown ? (
            <iframe
              title="Email as sent"
              srcDoc={shown.html}
              sandbox=""
              style={{ width: "100%", height: 480, border: 0 }}
            />
          ) : null}
        </PolarisModal.Section>
      </PolarisModal>
    </BlockStack>
  );
}
