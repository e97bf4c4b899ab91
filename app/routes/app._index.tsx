import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
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
import { formatMoney } from "../domain/shared/money";
import { authenticate } from "../shopify.server";
import { periodFromQuery } from "../services/dashboard/period.server";
import { requestsPerDay } from "../services/dashboard/core-metrics.server";
import { computeDashboard, type DashboardFigure } from "../services/dashboard/registry.server";
import { isSetupIntent, loadSetupGuide, runSetupAction } from "../services/setup-guide/guide.server";
import { SetupGuide, ShowSetupGuide } from "../components/SetupGuide";
import { DownloadButton } from "../components/DownloadButton";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";
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
    computeDashboard(db(), session.shop, range, now).then(async (d) => ({
      ...d,
      daily: await requestsPerDay(db(), session.shop, { period: d.current, timeZone: d.timeZone }),
    })),
    loadSetupGuide({ db: db(), apiKey: env().SHOPIFY_API_KEY }, session.shop, now),
    getReturnPolicy(db(), session.shop),
  ]);
  // The return reasons' names as the merchant wrote them, per language (the figures carry their codes).
  const reasonNames = Object.fromEntries(policy.reasons.map((r) => [r.id, r.label]));
  return json({ ...dashboard, setup, reasonNames });
};

const answer = (ok: boolean, message: string, status = 200) => json({ ok, message }, { status });

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
  return result.ok ? answer(true, result.message) : answer(false, result.message, result.status);
};

function formatValue(f: { format: DashboardFigure["format"] }, value: number | null, currency: string) {
  if (value === null) return "—";
  switch (f.format) {
    case "percent":
      return `${(value * 100).toFixed(1)}%`;
    case "score":
      return value.toFixed(1);
    case "minutes":
      return value >= 90 ? `${(value / 60).toFixed(1)} h` : `${Math.round(value)} min`;
    case "money":
      return formatMoney({ amountMinor: value, currency });
    default:
      return new Intl.NumberFormat("en").format(value);
  }
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

function formatChange(f: DashboardFigure, currency: string) {
  if (!f.change) return null;
  const a = f.change.absolute;
  if (a === 0) return { text: "No change", tone: "subdued" as const };
  const better = f.higherIsBetter ? a > 0 : a < 0;
  const sign = a > 0 ? "+" : "−";
  const abs = Math.abs(a);
  const text =
    f.format === "percent" ? `${sign}${(abs * 100).toFixed(1)} pts` : `${sign}${formatValue(f, abs, currency)}`;
  return { text: `${text} vs previous`, tone: better ? ("success" as const) : ("critical" as const) };
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const [from, setFrom] = useState(data.current.from);
  const [to, setTo] = useState(data.current.to);
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
  const historyDone = data.setup.steps.find((s) => s.id === "history")?.done ?? true;
  useFollowImport(data.setup.complete ? null : data.setup.importStatus, historyDone || data.setup.complete);
  // One title: the admin's title bar (App Bridge) names the page; Polaris's Page adds none of its own.
  return (
    <Page fullWidth>
      <TitleBar title="Service dashboard" />
      <BlockStack gap="400">
        {data.setup.complete ? null : data.setup.dismissed ? (
          <ShowSetupGuide remaining={data.setup.total - data.setup.completed} />
        ) : (
          <SetupGuide guide={data.setup} />
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              {`${data.current.from} to ${data.current.to}, compared with ${data.previous.from} to ` +
                `${data.previous.to} (${data.timeZone})`}
            </Text>
            <Form method="get">
              <InlineStack gap="300" blockAlign="end" wrap>
                <TextField label="From" type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
                <TextField label="To" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
                <Button submit variant="primary">
                  Show period
                </Button>
                <DownloadButton url={csv}>{t("export.csv")}</DownloadButton>
              </InlineStack>
            </Form>
          </BlockStack>
        </Card>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 4 }} gap="400">
          {data.figures.map((f) => {
            const ch = formatChange(f as DashboardFigure, data.currency);
            return (
              <Card key={f.id}>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    {f.label}
                  </Text>
                  <Text as="p" variant="heading2xl" id={`kpi-${f.id}`}>
                    {formatValue(f, f.current.value, data.currency)}
                  </Text>
                  {ch ? (
                    <Text as="p" tone={ch.tone}>
                      {ch.text}
                    </Text>
                  ) : (
                    <Text as="p" tone="subdued">
                      {f.previous ? "No earlier figure" : "Now"}
                    </Text>
                  )}
                  {f.current.detail ? (
                    <Text as="p" tone="subdued" variant="bodySm">
                      {f.current.detail}
                    </Text>
                  ) : null}
                  <Text as="p" tone="subdued" variant="bodySm">
                    {f.help}
                  </Text>
                </BlockStack>
              </Card>
            );
          })}
        </InlineGrid>
        {client ? (
          <Suspense fallback={<Box minHeight="320px" />}>
            <Charts daily={data.daily} reasons={reasons} />
          </Suspense>
        ) : (
          <Box minHeight="320px" />
        )}
        {data.figures.length === 0 ? <Banner>No figures yet.</Banner> : null}
      </BlockStack>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
