import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useLocation, useNavigate, useRevalidator } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { lazy, Suspense, useEffect, useRef, useState } from "react";

import { db } from "../db.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";
import { periodFromQuery } from "../services/dashboard/period.server";
import { requestsPerDay } from "../services/dashboard/core-metrics.server";
import { serviceByChannel } from "../services/dashboard/by-channel.server";
import { computeDashboard, type DashboardFigure } from "../services/dashboard/registry.server";
import { isSetupIntent, loadSetupGuide, runSetupAction } from "../services/setup-guide/guide.server";
import { SetupGuide, ShowSetupGuide } from "../components/SetupGuide";
import { DownloadButton } from "../components/DownloadButton";
import { PeriodPicker } from "../components/dashboard/PeriodPicker";
import { ServiceByChannel } from "../components/dashboard/ServiceByChannel";
import { localDate } from "../domain/tracking/calendar";
import { useAdminFormat, useAdminLocale, useT } from "../locales/admin/use-admin-language";
import type { AdminFormat } from "../locales/admin/format";
import type { AdminMessageKey, Said, Translate } from "../locales/admin";
import { getReturnPolicy } from "../services/returns/policy.server";

// The service dashboard is the app's home: every figure from stored rows, over the merchant's
// period, with the change from the period before; above it, a new shop's setup guide.
const Charts = lazy(() => import("../components/dashboard/Charts"));

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const range = await periodFromQuery(request, session.shop);
  if ("error" in range) throw json({ message: range.error }, { status: 400 });
  const now = new Date();
  // The guide's reads run beside the dashboard's, so the page waits for the slower of the two only.
  const [dashboard, setup, policy] = await Promise.all([
    computeDashboard(db(), session.shop, range, now).then(async (d) => {
      const [daily, byChannel] = await Promise.all([
        requestsPerDay(db(), session.shop, { period: d.current, timeZone: d.timeZone }),
        serviceByChannel(db(), session.shop, d.current),
      ]);
      return { ...d, daily, byChannel };
    }),
    loadSetupGuide({ db: db(), apiKey: env().SHOPIFY_API_KEY }, session.shop, now),
    getReturnPolicy(db(), session.shop),
  ]);
  // The return reasons' names as the merchant wrote them, per language (the figures carry their codes).
  const reasonNames = Object.fromEntries(policy.reasons.map((r) => [r.id, r.label]));
  // The shop's today, for the period picker's ready-made periods.
  return json({ ...dashboard, setup, reasonNames, today: localDate(now, dashboard.timeZone) });
};

const answer = (ok: boolean, message: string, status = 200, said?: Said) =>
  json({ ok, message, ...(said ? { said } : {}) }, { status });

// The setup guide's actions: accept a default, send a test email, dismiss or bring back the guide.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  if (request.method !== "POST") return answer(false, "Use POST.", 405);
  if (Number(request.headers.get("content-length") ?? 0) > 10_000)
    return answer(false, "The request is too large.", 413);
  let intent: FormDataEntryValue | null;
  try {
    intent = (await request.formData()).get("intent");
  } catch {
    return answer(false, "The request could not be read. Reload the page and try again.", 400);
  }
  if (!isSetupIntent(intent)) {
    return answer(false, "That is not a step of the setup guide. Reload the page and try again.", 400);
  }
  const result = await runSetupAction({ db: db() }, session.shop, intent, new Date());
  return result.ok
    ? answer(true, result.message, 200, result.said)
    : answer(false, result.message, result.status, result.said);
};

function formatValue(
  f: { format: DashboardFigure["format"] },
  value: number | null,
  currency: string,
  t: Translate,
  format: AdminFormat,
) {
  if (value === null) return "—";
  switch (f.format) {
    case "percent":
      return format.percent(value);
    case "score":
      return format.number(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    case "minutes":
      return value >= 90
        ? t("home.hours", { value: format.number(value / 60, { maximumFractionDigits: 1, minimumFractionDigits: 1 }) })
        : t("home.minutes", { value: Math.round(value) });
    case "money":
      return format.money(value, currency);
    default:
      return format.number(value);
  }
}

/** A figure's name, help and detail in the admin's language (`dashboard.<id>.*`), or as the server said them. */
function figureWords(f: DashboardFigure, t: Translate, format: AdminFormat) {
  const word = (part: string, fallback: string, values?: Record<string, string | number>) => {
    const key = `dashboard.${f.id}.${part}` as AdminMessageKey;
    const text = t(key, values);
    return text === key ? fallback : text;
  };
  const counts = f.current.counts;
  let detail = f.current.detail ?? null;
  if (detail !== null && counts) {
    const share = (v: number | null | undefined) => (v === null || v === undefined ? "—" : format.percent(v));
    detail =
      f.id === "loyalty_members"
        ? word("detail", detail, { members: share(counts.members), nonMembers: share(counts.nonMembers) })
        : word(
            f.id === "points_liability" && f.current.value === null ? "detailUnvalued" : "detail",
            detail,
            Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v ?? 0])),
          );
  }
  return { label: word("label", f.label), help: word("help", f.help), detail };
}

/** History import statuses still under way (the model's ACTIVE_STATUSES). */
const IMPORT_UNDER_WAY = ["queued", "running", "applying", "details"];
/** How long a page read before the install queued the import looks for it. */
const FIRST_IMPORT_WAIT_MS = 60_000;

/**
 * While the history import runs, the page reads its data again every few seconds, so the setup
 * guide's import step follows it and ticks itself; it stops once the import is done. A page read
 * right after the install, before the import was queued, looks for it for a minute.
 */
function useFollowImport(importStatus: string | null, historyDone: boolean) {
  const revalidator = useRevalidator();
  const openedAt = useRef(Date.now());
  const follow =
    (importStatus !== null && IMPORT_UNDER_WAY.includes(importStatus)) ||
    (importStatus === null && !historyDone && Date.now() - openedAt.current < FIRST_IMPORT_WAIT_MS);
  useEffect(() => {
    if (!follow) return undefined;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 4000);
    return () => clearInterval(timer);
  }, [follow, revalidator]);
}

function formatChange(f: DashboardFigure, currency: string, t: Translate, format: AdminFormat) {
  if (!f.change) return null;
  const a = f.change.absolute;
  if (a === 0) return { text: t("home.noChange"), tone: "subdued" as const };
  const better = f.higherIsBetter ? a > 0 : a < 0;
  const sign = a > 0 ? "+" : "−";
  const abs = Math.abs(a);
  const change =
    f.format === "percent"
      ? t("home.points", {
          sign,
          value: format.number(abs * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
        })
      : `${sign}${formatValue(f, abs, currency, t, format)}`;
  return { text: t("home.vsPrevious", { change }), tone: better ? ("success" as const) : ("critical" as const) };
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const [from, setFrom] = useState(data.current.from);
  const [to, setTo] = useState(data.current.to);
  const navigate = useNavigate();
  // A chosen period opens the dashboard for it, keeping the rest of the address (the embedded query).
  const showPeriod = (period: { from: string; to: string }) => {
    const p = new URLSearchParams(location.search);
    p.set("from", period.from);
    p.set("to", period.to);
    navigate(`/app?${p}`);
  };
  const [client, setClient] = useState(false);
  useEffect(() => setClient(true), []);
  const locale = useAdminLocale();
  const reasons = (data.figures.find((f) => f.id === "return_rate")?.current.breakdown ?? []).map((b) => {
    const name = data.reasonNames[b.label];
    // A reason the policy no longer has still reads as words, never as its code.
    return { ...b, label: name ? name[locale] || name.en : b.label.replace(/_/g, " ") };
  });
  const shopQuery = location.search.includes("shop=") ? `&${new URLSearchParams(location.search).toString()}` : "";
  const csv = `/app/dashboard.csv?from=${data.current.from}&to=${data.current.to}${shopQuery}`;
  const t = useT();
  const format = useAdminFormat();
  const historyDone = data.setup.steps.find((s) => s.id === "history")?.done ?? true;
  useFollowImport(data.setup.complete ? null : data.setup.importStatus, historyDone || data.setup.complete);
  // One title: the admin's title bar (App Bridge) names the page; Polaris's Page adds none of its own.
  return (
    <Page fullWidth>
      <TitleBar title={t("home.title")} />
      <BlockStack gap="400">
        {data.setup.complete ? null : data.setup.dismissed ? (
          <ShowSetupGuide remaining={data.setup.total - data.setup.completed} />
        ) : (
          <SetupGuide guide={data.setup} />
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              {t("home.period", {
                from: format.day(data.current.from),
                to: format.day(data.current.to),
                previousFrom: format.day(data.previous.from),
                previousTo: format.day(data.previous.to),
                zone: data.timeZone,
              })}
            </Text>
            <Form method="get">
              <InlineStack gap="300" blockAlign="end" wrap>
                <PeriodPicker
                  key={`${data.current.from}/${data.current.to}`}
                  from={data.current.from}
                  to={data.current.to}
                  today={data.today}
                  onApply={showPeriod}
                />
                <TextField
                  label={t("home.from")}
                  type="date"
                  name="from"
                  value={from}
                  onChange={setFrom}
                  autoComplete="off"
                />
                <TextField label={t("home.to")} type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
                <Button submit variant="primary">
                  {t("home.showPeriod")}
                </Button>
                <DownloadButton url={csv}>{t("export.csv")}</DownloadButton>
              </InlineStack>
            </Form>
          </BlockStack>
        </Card>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 4 }} gap="400">
          {data.figures.map((f) => {
            const ch = formatChange(f as DashboardFigure, data.currency, t, format);
            const words = figureWords(f as DashboardFigure, t, format);
            return (
              <Card key={f.id}>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    {words.label}
                  </Text>
                  <Text as="p" variant="heading2xl" id={`kpi-${f.id}`}>
                    {formatValue(f, f.current.value, data.currency, t, format)}
                  </Text>
                  {ch ? (
                    <Text as="p" tone={ch.tone}>
                      {ch.text}
                    </Text>
                  ) : (
                    <Text as="p" tone="subdued">
                      {f.previous ? t("home.noEarlier") : t("home.now")}
                    </Text>
                  )}
                  {words.detail ? (
                    <Text as="p" tone="subdued" variant="bodySm">
                      {words.detail}
                    </Text>
                  ) : null}
                  <Text as="p" tone="subdued" variant="bodySm">
                    {words.help}
                  </Text>
                </BlockStack>
              </Card>
            );
          })}
        </InlineGrid>
        <ServiceByChannel rows={data.byChannel} />
        {client ? (
          <Suspense fallback={<Box minHeight="320px" />}>
            <Charts daily={data.daily} reasons={reasons} />
          </Suspense>
        ) : (
          <Box minHeight="320px" />
        )}
        {data.figures.length === 0 ? <Banner>{t("home.noFigures")}</Banner> : null}
      </BlockStack>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
