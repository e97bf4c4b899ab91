import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Button,
  ButtonGroup,
  Card,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexTable,
  InlineStack,
  Link as PolarisLink,
  Text,
  useSetIndexFiltersMode,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";

import { KeysetPagination, useKeysetListUrl } from "../components/KeysetList";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { ATTENTION_KINDS, type AttentionKind } from "../domain/tracking/attention";
import { attentionListPage } from "../services/tracking/insights.server";
import { markHandled, notifyShopperAbout, type AttentionOutcome } from "../services/tracking/attention.server";
import { actingStaff } from "../services/staff.server";
import { codeLabel } from "../locales/admin/codes";
import { said, translator, type AdminMessageKey, type Said } from "../locales/admin";
import { useAdminFormat, useAdminLocale, useT } from "../locales/admin/use-admin-language";
import { pageRequest } from "../utils/paging.server";

/** Items per page of the list. */
const PAGE_SIZE = 50;

/** ?kind=exception,delayed: the kinds shown (none: all). */
function kindsOf(params: URLSearchParams): AttentionKind[] {
  const asked = (params.get("kind") ?? "").split(",");
  return ATTENTION_KINDS.filter((k) => asked.includes(k));
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const kinds = kindsOf(url.searchParams);
  const search = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const sort = url.searchParams.get("sort") === "newest" ? "newest" : "oldest";
  const page = await attentionListPage(
    db(),
    session.shop,
    new Date(),
    { kinds, search, sort },
    pageRequest(url.searchParams, PAGE_SIZE),
  );
  // `since` goes to the page as an instant, shown in the admin's language and the shop's zone.
  return json({
    kinds,
    search,
    sort,
    counts: page.counts,
    next: page.next,
    previous: page.previous,
    items: page.rows,
  });
};

/** `message` in English; `said` the same as a locale key, for the page's toast in the admin's language. */
interface ActionAnswer {
  ok: boolean;
  message: string;
  said: Said;
}

const english = translator("en");
const answer = (ok: boolean, key: AdminMessageKey, values?: Record<string, string | number>, status = 200) =>
  json<ActionAnswer>({ ok, message: english(key, values), said: said(key, values) }, { status });

const REFUSED: Record<Exclude<AttentionOutcome, { ok: true }>["problem"], { key: AdminMessageKey; status: number }> = {
  gone: { key: "attention.action.gone", status: 404 },
  no_email: { key: "attention.action.noEmail", status: 422 },
  already_notified: { key: "attention.action.alreadyNotified", status: 409 },
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const form = await request.formData();
  const intent = form.get("intent");
  const subjectId = String(form.get("subjectId") ?? "").slice(0, 200);
  if (!subjectId || (intent !== "notify" && intent !== "handled"))
    return answer(false, "attention.action.unknown", undefined, 400);
  const config = env();
  const now = new Date();
  let outcome: AttentionOutcome;
  if (intent === "notify") {
    outcome = await notifyShopperAbout(db(), shop, subjectId, { secret: config.SHOPIFY_API_SECRET, now });
  } else {
    const me = await actingStaff(
      { db: db(), apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET, now },
      request,
      auth,
    );
    outcome = await markHandled(db(), shop, subjectId, me?.userId ?? null, { now });
  }
  if (outcome.ok) return answer(true, intent === "notify" ? "attention.action.notified" : "attention.action.handled");
  const refused = REFUSED[outcome.problem];
  return answer(false, refused.key, undefined, refused.status);
};

const TONE: Record<string, "critical" | "warning" | "attention"> = {
  exception: "critical",
  attempted_delivery: "warning",
  delayed: "warning",
  unfulfilled: "attention",
};

/** The order's page in the Shopify admin (App Bridge's shopify: protocol, outside the app's frame). */
const orderInAdmin = (orderShopifyId: string) => `shopify://admin/orders/${orderShopifyId.split("/").pop()}`;

/** One fetcher for every row's actions: the page shows its answer, even once the row has left the list. */
const ACTIONS = "attention-actions";

function RowActions({ subjectId, orderShopifyId }: { subjectId: string; orderShopifyId: string }) {
  const t = useT();
  const fetcher = useFetcher<ActionAnswer>({ key: ACTIONS });
  const mine = fetcher.state !== "idle" && fetcher.formData?.get("subjectId") === subjectId;
  const busy = mine ? fetcher.formData?.get("intent") : null;
  const act = (intent: "notify" | "handled") => fetcher.submit({ intent, subjectId }, { method: "post" });
  return (
    // The row's own click opens nothing: these buttons act on the item alone.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events -- stops the row's click only
    <div onClick={(event) => event.stopPropagation()}>
      <ButtonGroup>
        <Button size="slim" loading={busy === "notify"} onClick={() => act("notify")}>
          {t("attention.action.notify")}
        </Button>
        <Button size="slim" loading={busy === "handled"} onClick={() => act("handled")}>
          {t("attention.action.markHandled")}
        </Button>
        <Button size="slim" variant="plain" url={orderInAdmin(orderShopifyId)} target="_top">
          {t("attention.action.openOrder")}
        </Button>
      </ButtonGroup>
    </div>
  );
}

export default function NeedsAttention() {
  const { items, kinds, search: query, sort, counts, next, previous } = useLoaderData<typeof loader>();
  const t = useT();
  const shopify = useAppBridge();
  const actions = useFetcher<ActionAnswer>({ key: ACTIONS });
  useEffect(() => {
    if (actions.state === "idle" && actions.data)
      shopify.toast.show(t(actions.data.said.key, actions.data.said.values), { isError: !actions.data.ok });
  }, [actions.state, actions.data, shopify, t]);
  const format = useAdminFormat();
  const locale = useAdminLocale();
  const { mode, setMode } = useSetIndexFiltersMode();
  const { go, q, search } = useKeysetListUrl("/app/tracking/attention", query);
  const number = new Intl.NumberFormat(locale);
  const kindLabel = (k: string) => codeLabel(t, "attention.kind", k);
  const total = ATTENTION_KINDS.reduce((n, k) => n + counts[k], 0);

  const filters = [
    {
      key: "kind",
      label: t("attention.column.problem"),
      pinned: true,
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("attention.column.problem")}
          titleHidden
          allowMultiple
          choices={ATTENTION_KINDS.map((k) => ({ label: `${kindLabel(k)} (${number.format(counts[k])})`, value: k }))}
          selected={kinds}
          onChange={(value) => go({ kind: value.join(",") })}
        />
      ),
    },
  ];
  const appliedFilters = kinds.length
    ? [{ key: "kind", label: kinds.map(kindLabel).join(", "), onRemove: () => go({ kind: "" }) }]
    : [];
  const filtered = Boolean(query) || kinds.length > 0;

  if (!filtered && items.length === 0 && !previous) {
    return (
      <Card>
        <EmptyState heading={t("attention.empty.title")} image="">
          <p>{t("attention.empty.body")}</p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <IndexFilters
        tabs={[{ id: "all", content: `${t("tab.tracking.attention")} (${number.format(total)})` }]}
        selected={0}
        onSelect={() => undefined}
        queryValue={q}
        queryPlaceholder={t("attention.search")}
        onQueryChange={search}
        onQueryClear={() => search("")}
        filters={filters}
        appliedFilters={appliedFilters}
        onClearAll={() => go({ kind: "", q: "" })}
        sortOptions={[
          { label: t("attention.column.since"), value: "since asc", directionLabel: t("attention.sort.oldest") },
          { label: t("attention.column.since"), value: "since desc", directionLabel: t("attention.sort.newest") },
        ]}
        sortSelected={[sort === "newest" ? "since desc" : "since asc"]}
        onSort={([value]) => go({ sort: value === "since desc" ? "newest" : "" })}
        mode={mode}
        setMode={setMode}
        canCreateNewView={false}
        cancelAction={{ onAction: () => undefined }}
      />
      {items.length === 0 ? (
        <EmptyState heading={t("attention.empty.filtered")} image="">
          <p>{t("attention.empty.body")}</p>
        </EmptyState>
      ) : (
        <IndexTable
          resourceName={{ singular: t("attention.resource.singular"), plural: t("attention.resource.plural") }}
          itemCount={items.length}
          selectable={false}
          headings={[
            { title: t("attention.column.order") },
            { title: t("attention.column.problem") },
            { title: t("attention.column.why") },
            { title: t("attention.column.carrier") },
            { title: t("attention.column.since") },
            { title: t("attention.column.actions") },
          ]}
        >
          {items.map((item, index) => (
            <IndexTable.Row id={item.subjectId} key={item.subjectId} position={index}>
              <IndexTable.Cell>
                <PolarisLink url={orderInAdmin(item.orderShopifyId)} target="_top" dataPrimaryLink removeUnderline>
                  <Text as="span" fontWeight="semibold">
                    {item.orderName}
                  </Text>
                </PolarisLink>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={TONE[item.kind] ?? "warning"}>{kindLabel(item.kind)}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" breakWord>
                  {item.reason ? codeLabel(t, "attention.reason", item.reason) : "—"}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" breakWord>
                  {item.carrier ? `${item.carrier}${item.trackingNumber ? ` · ${item.trackingNumber}` : ""}` : "—"}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{format.dateTime(item.since)}</IndexTable.Cell>
              <IndexTable.Cell>
                <RowActions subjectId={item.subjectId} orderShopifyId={item.orderShopifyId} />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
      <KeysetPagination next={next} previous={previous} go={go} />
    </Card>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
