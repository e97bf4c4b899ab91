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
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { notificationBody, notificationLogPage, type NotificationStatus } from "../models/outbox.server";
import { pageRequest } from "../utils/paging.server";

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
  const [page, email] = await Promise.all([
    notificationLogPage(
      db(),
      session.shop,
      { kind: "tracking", status: filter },
      pageRequest(url.searchParams, PAGE_SIZE),
    ),
    opened ? notificationBody(db(), session.shop, opened.slice(0, 100), "tracking") : null,
  ]);
  return json({
    next: page.next,
    previous: page.previous,
    email: email ? { id: email.id, subject: email.subject, html: email.bodyHtml } : null,
    rows: page.rows.map((r) => ({
      id: r.id,
      milestone: r.milestone,
      recipient: r.recipient,
      subject: r.subject,
      status: r.status,
      attempts: r.attempts,
      error: r.lastError,
      // Instants: the page shows them in the admin's language and the shop's zone.
      created: r.createdAt,
      sent: r.sentAt ?? null,
      nextAttempt: r.status === "retrying" ? r.nextAttemptAt : null,
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
  const format = useAdminFormat();
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
            label={t("notifications.status")}
            labelInline
            options={[
              { label: t("notifications.all"), value: "" },
              ...STATUSES.map((s) => ({ label: codeLabel(t, "notificationStatus", s), value: s })),
            ]}
            value={params.get("status") ?? ""}
            onChange={(value) => go({ status: value, after: null, before: null, email: null })}
          />
        </Box>
      </InlineStack>
      <Card padding="0">
        {rows.length === 0 ? (
          <EmptyState heading={t("notifications.empty.title")} image="">
            <p>{t("notifications.empty.body")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{
              singular: t("notifications.resource.singular"),
              plural: t("notifications.resource.plural"),
            }}
            itemCount={rows.length}
            selectable={false}
            headings={[
              { title: t("notifications.column.email") },
              { title: t("notifications.column.to") },
              { title: t("notifications.status") },
              { title: t("notifications.column.queued") },
              { title: t("notifications.column.result") },
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
                <IndexTable.Cell>{r.recipient ?? t("notifications.redacted")}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={TONE[r.status]}>{codeLabel(t, "notificationStatus", r.status)}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{format.dateTime(r.created)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" variant="bodySm" breakWord>
                    {r.sent
                      ? t("notifications.sentAt", { date: format.dateTime(r.sent) })
                      : r.nextAttempt
                        ? t("notifications.retryAt", {
                            date: format.dateTime(r.nextAttempt),
                            attempts: r.attempts,
                            note: notificationNote(t, r.error) ?? "",
                          })
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
              title={t("notifications.asSent")}
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
