import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { jobs } from "../jobs/index.server";
import { pendingEventIds, requeueEvents, syncOverview } from "../models/webhook-inbox.server";
import { importAgain, importCard, retryImport } from "../services/history-import/admin.server";
import { importSummary } from "../services/history-import/summary";
import { adminDirection, adminLocale, said, translator, type Said, type Translate } from "../locales/admin";
import { useAdminFormat, useAdminLocale } from "../locales/admin/use-admin-language";
import { IMPORT_WINDOWS } from "../domain/history-import/windows";
import { checkNow, reconciliationCard } from "../services/reconciliation/admin.server";
import { ReconciliationCard } from "../components/ReconciliationCard";
import { DeliveriesCard } from "../components/DeliveriesCard";
import { FailureErrorCell, FailureStatusCell, RetryCell } from "../components/FailureCells";
import { deliveriesPageRequest, deliveriesView, retryEventDelivery } from "../services/events/deliveries-view.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const [overview, history, reconciliation, deliveries] = await Promise.all([
    syncOverview(db(), session.shop),
    importCard(db(), session.shop, now),
    reconciliationCard(db(), session.shop, now),
    deliveriesView(db(), session.shop, deliveriesPageRequest(new URL(request.url).searchParams)),
  ]);
  const instant = (at: Date | string) => new Date(at).toISOString();
  // Instants, and the loader's clock for "how long ago": the page writes them in the admin's
  // language and the shop's zone (the frame's).
  return json({
    locale: adminLocale(request),
    now: now.toISOString(),
    deliveries,
    history: {
      ...history,
      finished: history.latest?.finishedAt ? instant(history.latest.finishedAt) : null,
    },
    reconciliation: {
      ...reconciliation,
      finished: reconciliation.lastFinishedAt ? instant(reconciliation.lastFinishedAt) : null,
    },
    ordersMirrored: overview.ordersMirrored,
    customersMirrored: overview.customersMirrored,
    fulfillmentsMirrored: overview.fulfillmentsMirrored,
    backlog: overview.backlog,
    oldestBacklog: overview.oldestBacklogAt ? instant(overview.oldestBacklogAt) : null,
    processedLastDay: overview.processedLastDay,
    topics: overview.lastEventByTopic.map((t) => ({
      topic: t.topic,
      count: t.count,
      last: instant(t.receivedAt),
    })),
    problems: overview.problems.map((p) => ({
      id: p.id,
      topic: p.topic,
      status: p.status,
      attempts: p.attempts,
      error: p.lastError ?? "",
      received: instant(p.receivedAt),
      nextAttempt: p.status === "failed" ? instant(p.nextAttemptAt) : null,
    })),
    partlyHandled: overview.partlyHandled.map((e) => ({
      id: e.id,
      topic: e.topic,
      outcome: e.outcome,
      received: instant(e.receivedAt),
    })),
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "import" || intent === "import-retry") {
    const deps = { db: db(), graphql: admin.graphql };
    const result =
      intent === "import" ? await importAgain(deps, session.shop, form) : await retryImport(deps, session.shop);
    return json(
      {
        ok: result.ok,
        message: result.message,
        said: result.said,
        ...(!result.ok && result.detail ? { detail: result.detail } : {}),
      },
      result.ok ? undefined : { status: result.status },
    );
  }
  if (intent === "reconcile") {
    const result = await checkNow({ db: db(), graphql: admin.graphql }, session.shop);
    return json(
      { ok: result.ok, message: result.message, said: result.said },
      { status: result.ok ? 202 : result.status },
    );
  }
  if (intent === "retry-delivery") {
    // A parked event delivery (Flow, Klaviyo …) goes again now; the periodic sender picks it up.
    if (!(await retryEventDelivery(db(), session.shop, form.get("id"), new Date())))
      return json(
        { ok: false, message: "That delivery is no longer waiting for a retry.", said: said("sync.deliveries.gone") },
        { status: 404 },
      );
    return json({ ok: true, message: "It goes again now.", said: said("sync.deliveries.retried") });
  }
  let count: number;
  if (intent === "retry-all") {
    count = await requeueEvents(db(), session.shop, "all-parked");
  } else if (intent === "retry") {
    const id = form.get("id");
    if (typeof id !== "string" || id === "") {
      return json(
        { ok: false, message: "Choose an event to retry.", said: said("sync.retry.choose") },
        { status: 400 },
      );
    }
    count = await requeueEvents(db(), session.shop, [id]);
    if (count === 0) {
      return json(
        { ok: false, message: "That event is no longer waiting for a retry.", said: said("sync.retry.gone") },
        { status: 404 },
      );
    }
  } else {
    return json({ ok: false, message: "Unknown action.", said: said("form.error.unknownIntent") }, { status: 400 });
  }
  const runner = jobs();
  for (const id of await pendingEventIds(db(), session.shop, 500)) runner.enqueue(id);
  // The action's request carries no `locale`: the page says it in the admin's language.
  return json({
    ok: true,
    message: translator("en")("sync.events.queuedAgain", { count }),
    said: said("sync.events.queuedAgain", { count }),
  });
};

type History = ReturnType<typeof useLoaderData<typeof loader>>["history"];

/** What an action answered, in the admin's words when it says them (`said`), else its message. */
interface Answer {
  ok: boolean;
  message: string;
  said?: Said;
  /** Shopify's own English, shown only as a detail line under the admin's words. */
  detail?: string | null;
}
const answerText = (t: Translate, a: Answer) => (a.said ? t(a.said.key, a.said.values) : a.message);

function OrderHistoryCard({ history, t, dir }: { history: History; t: Translate; dir: "rtl" | "ltr" }) {
  const fetcher = useFetcher<Answer>();
  const format = useAdminFormat();
  const [windowDays, setWindowDays] = useState(String(history.settings.windowDays));
  const [earnPoints, setEarnPoints] = useState(history.settings.pastOrdersEarnPoints);
  const latest = history.latest;
  const active = latest !== null && latest.active;
  const busy = fetcher.state !== "idle";
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("sync.orderHistory.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("sync.orderHistory.body")}
          </Text>
        </BlockStack>
        {latest === null ? (
          <Text as="p">{t("sync.orderHistory.none")}</Text>
        ) : (
          <BlockStack gap="200">
            {latest.status === "failed" ? (
              <Banner tone="critical" title={t("sync.orderHistory.stopped")}>
                <BlockStack gap="200">
                  <p>{t("sync.orderHistory.stoppedDefault")}</p>
                  {latest.error ? (
                    <Text as="p" tone="subdued">
                      {t("sync.detail", { detail: latest.error })}
                    </Text>
                  ) : null}
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="import-retry" />
                    <Button submit loading={busy}>
                      {t("sync.orderHistory.retry")}
                    </Button>
                  </fetcher.Form>
                </BlockStack>
              </Banner>
            ) : (
              <>
                <ProgressBar
                  progress={latest.percent}
                  animated={active}
                  tone={latest.status === "completed" ? "success" : "highlight"}
                  ariaLabelledBy="history-import-summary"
                />
                <InlineStack align="space-between" blockAlign="center">
                  <div dir={dir}>
                    <Text as="p" id="history-import-summary">
                      {importSummary(latest, t)}
                    </Text>
                  </div>
                  {latest.status === "completed" ? (
                    <Badge tone="success">{t("sync.orderHistory.imported")}</Badge>
                  ) : null}
                </InlineStack>
                {latest.paused ? (
                  <div dir={dir}>
                    <Text as="p" tone="caution" id="history-import-paused">
                      {t("sync.history.paused", { attempts: latest.paused.attempts, of: latest.paused.of })}
                    </Text>
                    {latest.paused.lastError ? (
                      <Text as="p" tone="subdued">
                        {t("sync.detail", { detail: latest.paused.lastError })}
                      </Text>
                    ) : null}
                  </div>
                ) : null}
              </>
            )}
            {history.finished ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {t(latest.earnPoints ? "sync.orderHistory.finishedPoints" : "sync.orderHistory.finished", {
                  date: format.dateTime(history.finished),
                })}
              </Text>
            ) : null}
          </BlockStack>
        )}
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="import" />
          <BlockStack gap="300">
            <InlineStack gap="400" blockAlign="end">
              <Select
                label={t("sync.window")}
                name="windowDays"
                options={IMPORT_WINDOWS.map((d) => ({ label: t("sync.days", { count: d }), value: String(d) }))}
                value={windowDays}
                onChange={setWindowDays}
              />
              <Button submit disabled={active} loading={busy}>
                {t("sync.importAgain")}
              </Button>
            </InlineStack>
            <Checkbox
              label={t("sync.earnPoints")}
              helpText={t("sync.earnPointsHelp")}
              name="earnPoints"
              checked={earnPoints}
              onChange={setEarnPoints}
            />
          </BlockStack>
        </fetcher.Form>
        {fetcher.data && !fetcher.data.ok ? (
          <Banner tone="warning">
            <p>{answerText(t, fetcher.data)}</p>
            {fetcher.data.detail ? (
              <Text as="p" tone="subdued">
                {t("sync.detail", { detail: fetcher.data.detail })}
              </Text>
            ) : null}
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function Stat({ label, value, help, dir }: { label: string; value: string | number; help?: string; dir?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {help ? (
          <div dir={dir}>
            <Text as="p" variant="bodySm" tone="subdued">
              {help}
            </Text>
          </div>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function SyncPage() {
  const data = useLoaderData<typeof loader>();
  const fetcher = useFetcher<Answer>();
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  // The frame's language: this page's own request has no `locale` once the merchant moved here in the app.
  const locale = useAdminLocale();
  const t = translator(locale);
  const format = useAdminFormat();
  const dir = adminDirection(locale);

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) {
      shopify.toast.show(answerText(t, fetcher.data), { isError: !fetcher.data.ok });
    }
  }, [fetcher.state, fetcher.data, shopify, t]);

  const parked = data.problems.filter((p) => p.status === "parked").length;
  const importing = data.history.latest !== null && data.history.latest.active;

  const checking = data.reconciliation.running;
  // While an import or a check runs, the cards follow it.
  useEffect(() => {
    if (!importing && !checking) return undefined;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3000);
    return () => clearInterval(timer);
  }, [importing, checking, revalidator]);
  // Remix reloads the page's data after the check's action answers: the card then shows it running.
  const checkFetcher = useFetcher<Answer>();
  useEffect(() => {
    if (checkFetcher.state === "idle" && checkFetcher.data) {
      shopify.toast.show(answerText(t, checkFetcher.data), { isError: !checkFetcher.data.ok });
    }
  }, [checkFetcher.state, checkFetcher.data, shopify, t]);

  return (
    <Page>
      <TitleBar title={t("sync.title")} />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Stat label={t("sync.stat.orders")} value={format.number(data.ordersMirrored)} />
            <Stat label={t("sync.stat.shipments")} value={format.number(data.fulfillmentsMirrored)} />
            <Stat label={t("sync.stat.customers")} value={format.number(data.customersMirrored)} />
            <Stat
              label={t("sync.stat.backlog")}
              dir={data.oldestBacklog ? undefined : dir}
              value={format.number(data.backlog)}
              help={
                data.oldestBacklog
                  ? t("sync.stat.oldest", { date: format.ago(data.oldestBacklog, data.now) })
                  : t("sync.events.processed", { count: data.processedLastDay })
              }
            />
          </InlineGrid>
        </Layout.Section>

        <Layout.Section>
          <OrderHistoryCard history={data.history} t={t} dir={dir} />
        </Layout.Section>

        <Layout.Section>
          <ReconciliationCard
            data={data.reconciliation}
            checking={checkFetcher.state !== "idle"}
            onCheckNow={() => checkFetcher.submit({ intent: "reconcile" }, { method: "post" })}
          />
        </Layout.Section>

        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {t("sync.problems.title")}
                </Text>
                <InlineStack gap="200">
                  <Button onClick={() => revalidator.revalidate()} loading={revalidator.state === "loading"}>
                    {t("sync.refresh")}
                  </Button>
                  {parked > 0 ? (
                    <fetcher.Form method="post">
                      <input type="hidden" name="intent" value="retry-all" />
                      <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                        {t("sync.events.retryAll", { count: parked })}
                      </Button>
                    </fetcher.Form>
                  ) : null}
                </InlineStack>
              </InlineStack>
            </Box>
            {data.problems.length === 0 ? (
              <Box padding="400">
                <Text as="p" tone="subdued">
                  {t("sync.problems.none")}
                </Text>
              </Box>
            ) : (
              <IndexTable
                resourceName={{ singular: t("sync.resource.event"), plural: t("sync.resource.events") }}
                itemCount={data.problems.length}
                selectable={false}
                headings={[
                  { title: t("sync.column.topic") },
                  { title: t("sync.column.status") },
                  { title: t("sync.column.error") },
                  { title: t("sync.column.received") },
                  { title: "" },
                ]}
              >
                {data.problems.map((p, index) => (
                  <IndexTable.Row id={p.id} key={p.id} position={index}>
                    <IndexTable.Cell>
                      <Text as="span" variant="bodyMd" fontWeight="semibold">
                        {p.topic}
                      </Text>
                    </IndexTable.Cell>
                    <FailureStatusCell t={t} status={p.status} attempts={p.attempts} />
                    <FailureErrorCell error={p.error} />
                    <IndexTable.Cell>
                      <BlockStack>
                        <Text as="span" variant="bodySm">
                          {format.dateTime(p.received)}
                        </Text>
                        {p.nextAttempt ? (
                          <Text as="span" variant="bodySm" tone="subdued">
                            {t("sync.nextTry", { date: format.dateTime(p.nextAttempt) })}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </IndexTable.Cell>
                    <RetryCell
                      t={t}
                      fetcher={fetcher}
                      intent="retry"
                      id={p.id}
                      accessibilityLabel={t("sync.retryLabel", { topic: p.topic })}
                    />
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>

        <Layout.Section>
          <DeliveriesCard data={data.deliveries} />
        </Layout.Section>

        {data.partlyHandled.length > 0 ? (
          <Layout.Section>
            <Card padding="0">
              <Box padding="400">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    {t("sync.privacy.title")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("sync.privacy.body")}
                  </Text>
                </BlockStack>
              </Box>
              <IndexTable
                resourceName={{ singular: t("sync.resource.request"), plural: t("sync.resource.requests") }}
                itemCount={data.partlyHandled.length}
                selectable={false}
                headings={[
                  { title: t("sync.column.topic") },
                  { title: t("sync.column.notDone") },
                  { title: t("sync.column.received") },
                ]}
              >
                {data.partlyHandled.map((e, index) => (
                  <IndexTable.Row id={e.id} key={e.id} position={index}>
                    <IndexTable.Cell>{e.topic}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Box maxWidth="480px">
                        <Text as="span" variant="bodySm" breakWord>
                          {e.outcome}
                        </Text>
                      </Box>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{format.dateTime(e.received)}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <Text as="h2" variant="headingMd">
                {t("sync.topics.title")}
              </Text>
            </Box>
            {data.topics.length === 0 ? (
              <EmptyState heading={t("sync.topics.empty")} image="">
                <p>{t("sync.topics.emptyBody")}</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: t("sync.resource.topic"), plural: t("sync.resource.topics") }}
                itemCount={data.topics.length}
                selectable={false}
                headings={[
                  { title: t("sync.column.topic") },
                  { title: t("sync.column.events") },
                  { title: t("sync.column.last") },
                ]}
              >
                {data.topics.map((topic, index) => (
                  <IndexTable.Row id={topic.topic} key={topic.topic} position={index}>
                    <IndexTable.Cell>{topic.topic}</IndexTable.Cell>
                    <IndexTable.Cell>{format.number(topic.count)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {t("sync.lastAgo", { date: format.dateTime(topic.last), ago: format.ago(topic.last, data.now) })}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
