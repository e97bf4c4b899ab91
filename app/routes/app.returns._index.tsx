import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Pagination,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { adminClient } from "../shopify/admin.server";
import {
  returnsPage,
  parseDeskAction,
  parseDeskFilter,
  runDeskAction,
  statusCounts,
} from "../services/returns/desk.server";
import { ReturnsError } from "../services/returns/errors.server";
import { DownloadButton } from "../components/DownloadButton";
import { said, type Said } from "../locales/admin";
import { refusalSaid } from "../locales/admin/refusals";
import { codeLabel } from "../locales/admin/codes";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";
import { returnChannel, STATUS_TONES } from "../domain/returns/desk";
import { RETURN_STATUSES, type Resolution, type ReturnStatus } from "../domain/returns/policy";
import { pageRequest } from "../utils/paging.server";

/** Returns per page of the desk. */
const PAGE_SIZE = 50;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const filter = parseDeskFilter(url.searchParams);
  const [page, counts] = await Promise.all([
    returnsPage(db(), session.shop, filter, pageRequest(url.searchParams, PAGE_SIZE)),
    statusCounts(db(), session.shop),
  ]);
  return json({
    filter,
    counts,
    next: page.next,
    previous: page.previous,
    rows: page.rows.map((r) => ({
      id: r.id,
      number: r.number,
      orderName: r.orderName,
      email: r.email ?? "—",
      status: r.status as ReturnStatus,
      resolution: r.resolution as Resolution,
      // Money and times are written by the page, in the admin's language and the shop's zone.
      amountMinor: r.resolutionMinor,
      currency: r.currency,
      items: r.lines.reduce((n, l) => n + l.quantity, 0),
      requestedAt: r.requestedAt,
      autoApproved: r.autoApproved,
      notInShopify: !r.shopifyReturnId,
      channel: returnChannel(r.idempotencyKey),
    })),
  });
};

// `said`: the outcome in the admin's words (`message` stays English for logs and API callers).
type ActionAnswer =
  | { ok: true; message: string; failed: number; said: Said; firstFailure: Said | null; firstDetail: string | null }
  | { ok: false; message: string; said: Said; detail: string | null };

// POST: bulk approve the selected requested returns (each succeeds or fails on its own).
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  try {
    const parsed = parseDeskAction(await request.formData());
    if (parsed.intent !== "bulk_approve")
      throw new ReturnsError(400, "unknown_action", "Open a return to act on it one at a time.");
    const outcome = await runDeskAction(session.shop, null, parsed, {
      db: db(),
      admin: adminClient(admin.graphql),
      secret: env().SHOPIFY_API_SECRET,
    });
    const failed = outcome.results.filter((r) => !r.ok);
    const approved = outcome.results.length - failed.length;
    const first = failed[0]?.refusal ? refusalSaid(failed[0].refusal) : null;
    return json<ActionAnswer>({
      ok: true,
      message: outcome.message,
      failed: failed.length,
      said: failed.length
        ? said("desk.approvedSomeFailed", { approved, count: failed.length })
        : said("desk.approved", { count: approved }),
      // Why the first one failed, in the admin's words (with what Shopify said when they cannot say it).
      firstFailure: first?.said ?? null,
      firstDetail: first?.detail ?? null,
    });
  } catch (error) {
    if (error instanceof ReturnsError)
      return json<ActionAnswer>({ ok: false, message: error.message, ...refusalSaid(error) }, { status: error.status });
    throw error;
  }
};

export default function ReturnsDesk() {
  const { rows, counts, filter, next, previous } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const shopify = useAppBridge();
  const bulk = useFetcher<ActionAnswer>();
  const [query, setQuery] = useState(filter.query);
  const requested = rows.filter((r) => r.status === "requested");
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(rows);
  const total = Object.values(counts).reduce((n, c) => n + c, 0);
  const t = useT();
  const format = useAdminFormat();

  useEffect(() => {
    if (bulk.state !== "idle" || !bulk.data) return;
    const text = bulk.data.ok
      ? [
          t(bulk.data.said.key, bulk.data.said.values),
          bulk.data.firstFailure && t(bulk.data.firstFailure.key, bulk.data.firstFailure.values),
          bulk.data.firstDetail && t("returnRefusal.detail", { detail: bulk.data.firstDetail }),
        ]
          .filter(Boolean)
          .join(" ")
      : t(bulk.data.said.key, bulk.data.said.values);
    shopify.toast.show(text, { isError: !bulk.data.ok || bulk.data.failed > 0 });
    if (bulk.data.ok) clearSelection();
  }, [bulk.state, bulk.data, shopify, clearSelection, t]);

  const setStatus = (status: string | null) => {
    const changed = new URLSearchParams(params);
    if (status) changed.set("status", status);
    else changed.delete("status");
    changed.delete("after");
    changed.delete("before");
    setParams(changed);
  };
  const turnPage = (direction: "after" | "before", cursor: string | null) => {
    const changed = new URLSearchParams(params);
    changed.delete("after");
    changed.delete("before");
    if (cursor) changed.set(direction, cursor);
    setParams(changed);
  };
  // The embedded frame's own query (shop, host…) travels with the filter so the download is authenticated.
  const csv = `/app/returns/export.csv?${new URLSearchParams(location.search).toString()}`;
  const approveSelected = () => {
    const form = new FormData();
    form.set("intent", "bulk_approve");
    for (const id of selectedResources) if (requested.some((r) => r.id === id)) form.append("ids", id);
    bulk.submit(form, { method: "post" });
  };
  const selectedRequested = selectedResources.filter((id) => requested.some((r) => r.id === id)).length;

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <InlineStack gap="200" wrap>
            <ButtonGroup variant="segmented">
              <Button pressed={!filter.status} onClick={() => setStatus(null)}>
                {t("desk.all", { count: total })}
              </Button>
              {RETURN_STATUSES.map((s) => (
                <Button key={s} pressed={filter.status === s} onClick={() => setStatus(s)}>
                  {t("desk.statusCount", { status: codeLabel(t, "returnStatus", s), count: counts[s] })}
                </Button>
              ))}
            </ButtonGroup>
          </InlineStack>
          <Form method="get">
            {filter.status ? <input type="hidden" name="status" value={filter.status} /> : null}
            <InlineStack gap="300" blockAlign="end" wrap>
              <div style={{ minWidth: 320 }}>
                <TextField
                  label={t("desk.search")}
                  name="q"
                  value={query}
                  onChange={setQuery}
                  placeholder={t("desk.searchPlaceholder")}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => setQuery("")}
                />
              </div>
              <Button submit>{t("desk.searchButton")}</Button>
              <DownloadButton url={csv}>{t("export.csv")}</DownloadButton>
            </InlineStack>
          </Form>
        </BlockStack>
      </Card>
      {bulk.data && !bulk.data.ok ? <Banner tone="critical">{bulk.data.message}</Banner> : null}
      <Card padding="0">
        {rows.length === 0 ? (
          <EmptyState heading={filter.query || filter.status ? t("desk.noMatch") : t("desk.noneYet")} image="">
            <p>{filter.query || filter.status ? t("desk.noMatchBody") : t("desk.noneYetBody")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("desk.resource.singular"), plural: t("desk.resource.plural") }}
            itemCount={rows.length}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            promotedBulkActions={[
              {
                content: selectedRequested
                  ? t("desk.approveSelected", { count: selectedRequested })
                  : t("desk.approveRequested"),
                onAction: approveSelected,
                disabled: selectedRequested === 0 || bulk.state !== "idle",
              },
            ]}
            headings={[
              { title: t("desk.column.return") },
              { title: t("desk.column.order") },
              { title: t("desk.column.customer") },
              { title: t("desk.column.status") },
              { title: t("desk.column.resolution") },
              { title: t("desk.column.items"), alignment: "end" },
              { title: t("desk.column.amount"), alignment: "end" },
              { title: t("desk.column.requested") },
            ]}
          >
            {rows.map((r, index) => (
              <IndexTable.Row
                id={r.id}
                key={r.id}
                position={index}
                selected={selectedResources.includes(r.id)}
                onClick={() => navigate(`/app/returns/${r.id}`)}
              >
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {r.number}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.orderName}</IndexTable.Cell>
                <IndexTable.Cell>{r.email}</IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="100">
                    <Badge tone={STATUS_TONES[r.status]}>{codeLabel(t, "returnStatus", r.status)}</Badge>
                    {r.autoApproved ? <Badge>{t("desk.auto")}</Badge> : null}
                    {r.channel === "storefront" ? null : (
                      <Badge tone="info">{codeLabel(t, "returnChannel", r.channel)}</Badge>
                    )}
                    {r.notInShopify && r.status === "requested" ? (
                      <Badge tone="warning">{t("desk.notInShopify")}</Badge>
                    ) : null}
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{codeLabel(t, "resolution", r.resolution)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.number(r.items)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.money(r.amountMinor, r.currency)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{format.dateTime(r.requestedAt)}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        {next || previous ? (
          <div style={{ padding: "12px 16px" }}>
            <InlineStack align="center">
              <Pagination
                hasPrevious={Boolean(previous)}
                onPrevious={() => turnPage("before", previous)}
                hasNext={Boolean(next)}
                onNext={() => turnPage("after", next)}
              />
            </InlineStack>
          </div>
        ) : null}
      </Card>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
