import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexTable,
  InlineStack,
  Page,
  Text,
  useSetIndexFiltersMode,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";

import { KeysetPagination, useKeysetListUrl } from "../components/KeysetList";
import { AgentChatCard } from "../components/AgentChatCard";
import { useChatEvents } from "../components/useChatEvents";
import { useNewChatAlerts } from "../components/useNewChatAlerts";
import { db } from "../db.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";
import { countRequestsByStatus, listRequests, type AssigneeFilter, type InboxSort } from "../models/contact.server";
import { listStaffMembers } from "../models/staff.server";
import { shopProfile } from "../models/shop.server";
import { REQUEST_STATUSES, type RequestStatus } from "../domain/contact/statuses";
import { agentSelf } from "../services/contact/agents.server";
import { liveChats } from "../services/contact/chat.server";
import { actingStaff, staffName } from "../services/staff.server";
import type { AdminMessageKey } from "../locales/admin";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";
import { pageRequest } from "../utils/paging.server";
import { formatShopTime } from "../utils/format";

/** Requests per page of the inbox. */
const PAGE_SIZE = 50;

const TOPIC_KEY: Record<string, AdminMessageKey> = {
  order_status: "inbox.topic.order_status",
  return: "inbox.topic.return",
  product: "inbox.topic.product",
  other: "inbox.topic.other",
};
const STATUS_KEY: Record<RequestStatus, AdminMessageKey> = {
  open: "inbox.status.open",
  waiting: "inbox.status.waiting",
  closed: "inbox.status.closed",
};
const ASSIGNEES = ["me", "unassigned", "all"] as const;
type Assignee = (typeof ASSIGNEES)[number];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const url = new URL(request.url);
  const status = (REQUEST_STATUSES as ReadonlyArray<string>).includes(url.searchParams.get("status") ?? "")
    ? (url.searchParams.get("status") as RequestStatus)
    : "open";
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const askedAssignee = url.searchParams.get("assignee") ?? "all";
  const assignee: Assignee = (ASSIGNEES as ReadonlyArray<string>).includes(askedAssignee)
    ? (askedAssignee as Assignee)
    : "all";
  const askedSort = url.searchParams.get("sort");
  const sort: InboxSort =
    askedSort === "oldest" || askedSort === "newest" ? askedSort : status === "closed" ? "newest" : "oldest";
  const config = env();
  // Every visit records who the staff member is, so they can be assigned requests by name.
  const me = await actingStaff(
    { db: db(), apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET, now: new Date() },
    request,
    auth,
  );
  if (assignee === "me" && !me)
    throw json({ message: "The admin did not say who you are; reload the page." }, { status: 400 });
  const filter: AssigneeFilter = assignee === "me" ? { userId: me!.userId } : assignee;
  const [page, counts, staff, profile, chats, agent] = await Promise.all([
    listRequests(db(), shop, { status, query, assignee: filter, sort }, pageRequest(url.searchParams, PAGE_SIZE)),
    countRequestsByStatus(db(), shop),
    listStaffMembers(db(), shop),
    shopProfile(db(), shop),
    liveChats(db(), shop),
    me ? agentSelf(db(), shop, me.userId, new Date()) : null,
  ]);
  const names = new Map(staff.map((m) => [m.userId, staffName(m)]));
  return json({
    status,
    query,
    assignee,
    sort,
    counts,
    timeZone: profile.timeZone,
    // The signed-in agent's chat status, name and photo (docs/decisions/0042).
    agent,
    next: page.next,
    previous: page.previous,
    // Live chats come first, above every tab: a shopper is waiting on the site.
    chats: chats.map((c) => ({
      id: c.id,
      number: c.number,
      assignee: c.assigneeUserId ? (names.get(c.assigneeUserId) ?? null) : null,
      taken: c.assigneeUserId !== null,
      lastMessageAt: c.lastMessageAt.toISOString(),
      preview: c.messages[0]?.body.slice(0, 120) ?? "",
      waiting: c.messages[0]?.author === "customer",
    })),
    requests: page.rows.map((r) => ({
      id: r.id,
      number: r.number,
      name: r.name,
      email: r.email,
      orderName: r.orderName,
      topic: r.topic,
      assignee: r.assigneeUserId ? { name: names.get(r.assigneeUserId) ?? null } : null,
      lastMessageAt: r.lastMessageAt.toISOString(),
      preview: r.messages[0]?.body.slice(0, 120) ?? "",
      lastAuthor: r.messages[0]?.author ?? "customer",
    })),
  });
};

export default function Inbox() {
  const { status, query, assignee, sort, counts, requests, next, previous, timeZone, chats, agent } =
    useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const t = useT();
  const alertNewChat = useNewChatAlerts(
    chats.map((c) => c.id),
    { title: t("inbox.alert.newChat"), body: t("inbox.alert.newChatBody") },
  );
  useChatEvents((e) => {
    alertNewChat(e);
    if (e.kind === "message" || e.kind === "status") revalidator.revalidate();
  });
  const locale = useAdminLocale();
  const { mode, setMode } = useSetIndexFiltersMode();
  const { go, q, search } = useKeysetListUrl("/app/inbox", query);

  const tabs = REQUEST_STATUSES.map((s) => ({
    id: s,
    content: `${t(STATUS_KEY[s])} (${new Intl.NumberFormat(locale).format(counts[s])})`,
  }));
  const assigneeLabel: Record<Assignee, string> = {
    me: t("inbox.filter.me"),
    unassigned: t("inbox.filter.unassigned"),
    all: t("inbox.filter.all"),
  };
  const filters = [
    {
      key: "assignee",
      label: t("inbox.filter.assignee"),
      pinned: true,
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("inbox.filter.assignee")}
          titleHidden
          choices={ASSIGNEES.map((a) => ({ label: assigneeLabel[a], value: a }))}
          selected={[assignee]}
          onChange={([value]) => go({ assignee: value === "all" ? "" : (value ?? "") })}
        />
      ),
    },
  ];
  const appliedFilters =
    assignee === "all"
      ? []
      : [{ key: "assignee", label: assigneeLabel[assignee], onRemove: () => go({ assignee: "" }) }];

  return (
    <Page
      title={t("nav.inbox")}
      fullWidth
      secondaryActions={[{ content: t("inbox.savedReplies"), url: "/app/inbox/replies" }]}
    >
      <TitleBar title={t("nav.inbox")} />
      {agent ? (
        <Box paddingBlockEnd="400">
          <AgentChatCard agent={agent} />
        </Box>
      ) : null}
      {chats.length ? (
        <Box paddingBlockEnd="400">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                {t("inbox.chat.heading")}
              </Text>
              {chats.map((c) => (
                <InlineStack key={c.id} gap="300" blockAlign="center" wrap={false}>
                  <Link to={`/app/inbox/${c.id}`}>#{c.number}</Link>
                  {c.waiting ? <Badge tone="attention">{t("inbox.status.open")}</Badge> : null}
                  <Badge tone={c.taken ? "info" : "warning"}>
                    {c.taken ? t("inbox.chat.with", { name: c.assignee ?? "" }) : t("inbox.chat.nobody")}
                  </Badge>
                  <Text as="span" tone="subdued" truncate>
                    <span dir="auto">{c.preview}</span>
                  </Text>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        </Box>
      ) : null}
      <Card padding="0">
        <IndexFilters
          tabs={tabs}
          selected={REQUEST_STATUSES.indexOf(status)}
          onSelect={(i) => go({ status: REQUEST_STATUSES[i], sort: "" })}
          queryValue={q}
          queryPlaceholder={t("inbox.search")}
          onQueryChange={search}
          onQueryClear={() => search("")}
          filters={filters}
          appliedFilters={appliedFilters}
          onClearAll={() => go({ assignee: "" })}
          sortOptions={[
            { label: t("inbox.sort.lastMessage"), value: "lastMessageAt asc", directionLabel: t("inbox.sort.oldest") },
            { label: t("inbox.sort.lastMessage"), value: "lastMessageAt desc", directionLabel: t("inbox.sort.newest") },
          ]}
          sortSelected={[sort === "newest" ? "lastMessageAt desc" : "lastMessageAt asc"]}
          onSort={([value]) => go({ sort: value === "lastMessageAt desc" ? "newest" : "oldest" })}
          mode={mode}
          setMode={setMode}
          canCreateNewView={false}
          cancelAction={{ onAction: () => undefined }}
        />
        {requests.length === 0 ? (
          <EmptyState
            heading={
              query || assignee !== "all"
                ? t("inbox.empty.filtered")
                : t("inbox.empty.status", { status: t(STATUS_KEY[status]) })
            }
            image=""
          >
            <p>{t("inbox.empty.help")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("inbox.resource.one"), plural: t("inbox.resource.other") }}
            itemCount={requests.length}
            selectable={false}
            headings={[
              { title: t("inbox.column.request") },
              { title: t("inbox.column.from") },
              { title: t("inbox.column.topic") },
              { title: t("inbox.column.order") },
              { title: t("inbox.column.assignee") },
              { title: t("inbox.column.lastMessage") },
            ]}
          >
            {requests.map((r, i) => (
              <IndexTable.Row id={r.id} key={r.id} position={i}>
                <IndexTable.Cell>
                  <Link to={`/app/inbox/${r.id}`} data-primary-link>
                    <Text as="span" fontWeight="semibold">
                      #{r.number}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span" breakWord>
                      {r.name ?? t("inbox.erased")}
                    </Text>
                    <Text as="span" tone="subdued" breakWord>
                      {r.email}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge>{TOPIC_KEY[r.topic] ? t(TOPIC_KEY[r.topic]) : r.topic}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.orderName ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  {r.assignee ? (
                    (r.assignee.name ?? t("inbox.staff.unnamed"))
                  ) : (
                    <Text as="span" tone="subdued">
                      {t("inbox.assignee.none")}
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="200" wrap={false}>
                    <Text as="span" tone="subdued">
                      {formatShopTime(r.lastMessageAt, timeZone, locale)}
                    </Text>
                    <Text as="span" truncate>
                      {r.lastAuthor === "merchant" ? t("inbox.preview.you", { text: r.preview }) : r.preview}
                    </Text>
                  </InlineStack>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        <KeysetPagination next={next} previous={previous} go={go} />
      </Card>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
