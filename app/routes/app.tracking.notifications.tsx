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
  Pagination,
  Select,
  Text,
} from "@shopify/polaris";

import { codeLabel, notificationNote } from "../locales/admin/codes";
import { useT } from "../locales/admin/use-admin-language";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { notificationBody, notificationLogPage, type NotificationStatus } from "../models/outbox.server";
import { pageRequest } from "../utils/paging.server";
import { shopProfile } from "../models/shop.server";
import { formatShopTime } from "../utils/format";

const STATUSES: NotificationStatus[] = ["pending", "sending", "sent", "retrying", "failed", "suppressed", "skipped"];
/** Emails per page of the log. */
const PAGE_SIZE = 50;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const status = url.searchParams.get("status");
  const filter = STATUSES.includes(status as NotificationStatus) ? (status as NotificationStatus) : undefined;
  // The email opened (?email=<id>) is read on its own: the page of the log carries no bodies.
  const opened = url.searchParams.get("email");
  const [page, profile, email] = await Promise.all([
    notificationLogPage(
      db(),
      session.shop,
      { kind: "tracking", status: filter },
      pageRequest(url.searchParams, PAGE_SIZE),
    ),
    shopProfile(db(), session.shop),
    opened ? notificationBody(db(), session.shop, opened.slice(0, 100), "tracking") : null,
  ]);
  return json({
    next: page.next,
    previous: page.previous,
    email: email ? { id: email.id, subject: email.subject, html: email.bodyHtml } : null,
    rows: page.rows.map((r) => ({
      id: r.id,
      milestone: r.milestone,
      recipient: r.recipient ?? "(redacted)",
      subject: r.subject,
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
  const t = useT();
  const { rows, next, previous, email } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const go = (changes: Record<string, string | null>) => {
    const nextParams = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) nextParams.set(key, value);
      else nextParams.delete(key);
    }
    setParams(nextParams, { preventScrollReset: true });
  };
  return (
    <BlockStack gap="400">
      <InlineStack align="end">
        <Box minWidth="220px">
          <Select
            label="Status"
            labelInline
            options={[
              { label: "All", value: "" },
              ...STATUSES.map((s) => ({ label: codeLabel(t, "notificationStatus", s), value: s })),
            ]}
            value={params.get("status") ?? ""}
            onChange={(value) => go({ status: value, after: null, before: null, email: null })}
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
              <IndexTable.Row id={r.id} key={r.id} position={index} onClick={() => go({ email: r.id })}>
                <IndexTable.Cell>
                  <BlockStack>
                    <Text as="span" fontWeight="semibold">
                      {r.subject}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {codeLabel(t, "milestone", r.milestone)}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.recipient}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={TONE[r.status]}>{codeLabel(t, "notificationStatus", r.status)}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.created}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" variant="bodySm" breakWord>
                    {r.sent
                      ? `Sent ${r.sent}`
                      : r.nextAttempt
                        ? `Retry ${r.nextAttempt} (attempt ${r.attempts}): ${notificationNote(t, r.error) ?? ""}`
                        : (notificationNote(t, r.error) ?? "—")}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      {next || previous ? (
        <InlineStack align="center">
          <Pagination
            hasPrevious={Boolean(previous)}
            onPrevious={() => go({ before: previous, after: null, email: null })}
            hasNext={Boolean(next)}
            onNext={() => go({ after: next, before: null, email: null })}
          />
        </InlineStack>
      ) : null}
      <PolarisModal open={Boolean(email)} onClose={() => go({ email: null })} title={email?.subject ?? ""} size="large">
        <PolarisModal.Section>
          {email ? (
            <iframe
              title="Email as sent"
              srcDoc={email.html}
              sandbox=""
              style={{ width: "100%", height: 480, border: 0 }}
            />
          ) : null}
        </PolarisModal.Section>
      </PolarisModal>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
