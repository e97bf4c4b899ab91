/**
 * Klaviyo settings (docs/decisions/0043): connect with a private API key (checked with Klaviyo on
 * save, stored sealed), choose the events that go to Klaviyo and, for those Aftercare emails about,
 * who sends the shopper's message; and see what was sent, a keyset page at a time.
 */
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Checkbox,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { EVENT_TYPES } from "../domain/events/catalog";
import { hasShopperMessage } from "../domain/events/klaviyo";
import { sentDeliveries } from "../models/events.server";
import { pageRequest } from "../utils/paging.server";
import { klaviyoApi } from "../services/klaviyo/client.server";
import {
  connectKlaviyo,
  disconnectKlaviyo,
  klaviyoSettingsView,
  saveKlaviyoChoices,
  type KlaviyoAnswer,
} from "../services/klaviyo/settings.server";
import type { AdminMessageKey, Translate } from "../locales/admin";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";
import { eventLabel } from "../components/event-labels";

const PAGE_SIZE = 25;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const [settings, sent] = await Promise.all([
    klaviyoSettingsView(db(), session.shop),
    sentDeliveries(db(), session.shop, "klaviyo", pageRequest(url.searchParams, PAGE_SIZE)),
  ]);
  return json({
    settings,
    sent: {
      next: sent.next,
      previous: sent.previous,
      rows: sent.rows.map((r) => ({
        id: r.id,
        type: r.event.type,
        order: (JSON.parse(r.event.payload) as { order: { name: string | null } | null }).order?.name ?? null,
        sentAt: (r.sentAt ?? r.createdAt).toISOString(),
      })),
    },
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData().catch(() => null);
  if (!form)
    return json(
      { ok: false, message: "The form could not be read.", said: { key: "klaviyo.error.unreadable" } },
      { status: 400 },
    );
  const intent = form.get("intent");
  let answer: KlaviyoAnswer;
  if (intent === "connect") {
    answer = await connectKlaviyo(
      { db: db(), api: klaviyoApi(env().KLAVIYO_API_URL), now: new Date() },
      session.shop,
      form.get("apiKey"),
    );
  } else if (intent === "events") {
    answer = await saveKlaviyoChoices(db(), session.shop, form);
  } else if (intent === "disconnect") {
    answer = await disconnectKlaviyo(db(), session.shop);
  } else {
    return json({ ok: false, message: "Unknown action.", said: { key: "form.error.unknownIntent" } }, { status: 400 });
  }
  return json(answer, answer.ok ? undefined : { status: answer.status });
};

interface Answer {
  ok: boolean;
  message?: string;
  said?: { key: string };
  field?: string;
}
const answerText = (t: Translate, a: Answer) => (a.said ? t(a.said.key as AdminMessageKey) : (a.message ?? ""));

function ConnectionCard({ settings }: { settings: ReturnType<typeof useLoaderData<typeof loader>>["settings"] }) {
  const t = useT();
  const format = useAdminFormat();
  const fetcher = useFetcher<Answer>();
  const shopify = useAppBridge();
  const [apiKey, setApiKey] = useState("");
  const busy = fetcher.state !== "idle";
  const refused = fetcher.data && !fetcher.data.ok ? answerText(t, fetcher.data) : undefined;
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data?.ok) return;
    setApiKey("");
    shopify.toast.show(answerText(t, fetcher.data));
  }, [fetcher.state, fetcher.data, shopify, t]);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("klaviyo.connection.title")}
          </Text>
          {settings.connected ? (
            <Badge tone="success">{t("klaviyo.badge.connected")}</Badge>
          ) : (
            <Badge>{t("klaviyo.badge.notConnected")}</Badge>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("klaviyo.connection.body")}
        </Text>
        {settings.connected ? (
          <Text as="p" id="klaviyo-connected">
            {t("klaviyo.connectedTo", {
              account: settings.accountName ?? "Klaviyo",
              last4: settings.keyLast4 ?? "",
              date: format.dateTime(settings.connectedAt!),
            })}
          </Text>
        ) : null}
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="connect" />
          <BlockStack gap="300">
            <TextField
              label={settings.connected ? t("klaviyo.apiKey.replace") : t("klaviyo.apiKey")}
              name="apiKey"
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={setApiKey}
              helpText={t("klaviyo.apiKey.help")}
              error={refused}
            />
            <ButtonGroup>
              <Button submit variant="primary" loading={busy} disabled={apiKey.trim() === ""}>
                {settings.connected ? t("klaviyo.replaceKey") : t("klaviyo.connect")}
              </Button>
              {settings.connected ? (
                <Button
                  tone="critical"
                  onClick={() => fetcher.submit({ intent: "disconnect" }, { method: "post" })}
                  disabled={busy}
                >
                  {t("klaviyo.disconnect")}
                </Button>
              ) : null}
            </ButtonGroup>
          </BlockStack>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}

function EventsCard({ settings }: { settings: ReturnType<typeof useLoaderData<typeof loader>>["settings"] }) {
  const t = useT();
  const fetcher = useFetcher<Answer>();
  const shopify = useAppBridge();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) shopify.toast.show(answerText(t, fetcher.data));
  }, [fetcher.state, fetcher.data, shopify, t]);
  const [events, setEvents] = useState<string[]>(settings.events);
  const [sends, setSends] = useState<string[]>(settings.klaviyoSends);
  useEffect(() => {
    setEvents(settings.events);
    setSends(settings.klaviyoSends);
  }, [settings.events, settings.klaviyoSends]);
  const toggle = (type: string, on: boolean) => {
    setEvents((list) => (on ? [...list, type] : list.filter((x) => x !== type)));
    if (!on) setSends((list) => list.filter((x) => x !== type));
  };
  const save = () => {
    const form = new FormData();
    form.set("intent", "events");
    events.forEach((e) => form.append("events", e));
    sends.forEach((e) => form.append("klaviyoSends", e));
    fetcher.submit(form, { method: "post" });
  };
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("klaviyo.events.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("klaviyo.events.body")}
        </Text>
        {settings.connected ? null : <Banner tone="info">{t("klaviyo.events.connectFirst")}</Banner>}
        <BlockStack gap="200">
          {EVENT_TYPES.map((type) => {
            const on = events.includes(type);
            return (
              <InlineStack key={type} align="space-between" blockAlign="center" gap="400" wrap={false}>
                <Checkbox
                  label={eventLabel(t, type)}
                  checked={on}
                  disabled={!settings.connected}
                  onChange={(checked) => toggle(type, checked)}
                />
                {hasShopperMessage(type) ? (
                  <Box minWidth="260px">
                    <Select
                      label={t("klaviyo.events.sender")}
                      labelInline
                      disabled={!settings.connected || !on}
                      options={[
                        { label: t("klaviyo.sender.aftercare"), value: "aftercare" },
                        { label: t("klaviyo.sender.klaviyo"), value: "klaviyo" },
                      ]}
                      value={on && sends.includes(type) ? "klaviyo" : "aftercare"}
                      onChange={(value) =>
                        setSends((list) =>
                          value === "klaviyo"
                            ? [...list.filter((x) => x !== type), type]
                            : list.filter((x) => x !== type),
                        )
                      }
                    />
                  </Box>
                ) : null}
              </InlineStack>
            );
          })}
        </BlockStack>
        {fetcher.data && !fetcher.data.ok ? (
          <Banner tone="critical">
            <p>{answerText(t, fetcher.data)}</p>
          </Banner>
        ) : null}
        <InlineStack align="end">
          <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"} disabled={!settings.connected}>
            {t("klaviyo.events.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function SentCard({ sent }: { sent: ReturnType<typeof useLoaderData<typeof loader>>["sent"] }) {
  const t = useT();
  const format = useAdminFormat();
  const navigate = useNavigate();
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("klaviyo.sent.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("klaviyo.sent.failures")} <RemixLink to="/app/sync">{t("nav.sync")}</RemixLink>
          </Text>
        </BlockStack>
      </Box>
      {sent.rows.length === 0 ? (
        <Box padding="400">
          <Text as="p" tone="subdued">
            {t("klaviyo.sent.none")}
          </Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: t("klaviyo.sent.resource"), plural: t("klaviyo.sent.resources") }}
          itemCount={sent.rows.length}
          selectable={false}
          headings={[
            { title: t("klaviyo.column.event") },
            { title: t("klaviyo.column.order") },
            { title: t("klaviyo.column.sent") },
          ]}
          pagination={{
            hasNext: sent.next !== null,
            hasPrevious: sent.previous !== null,
            onNext: () => sent.next && navigate(`?after=${sent.next}`),
            onPrevious: () => sent.previous && navigate(`?before=${sent.previous}`),
          }}
        >
          {sent.rows.map((r, index) => (
            <IndexTable.Row id={r.id} key={r.id} position={index}>
              <IndexTable.Cell>{eventLabel(t, r.type)}</IndexTable.Cell>
              <IndexTable.Cell>{r.order ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>{format.dateTime(r.sentAt)}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
    </Card>
  );
}

export default function KlaviyoPage() {
  const { settings, sent } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <Page>
      <TitleBar title={t("klaviyo.title")} />
      <Layout>
        <Layout.Section>
          <ConnectionCard settings={settings} />
        </Layout.Section>
        <Layout.Section>
          <EventsCard settings={settings} />
        </Layout.Section>
        <Layout.Section>
          <SentCard sent={sent} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
