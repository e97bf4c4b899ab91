import { useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { saveSmsSettings, smsPage } from "../services/sms/settings.server";
import { countSegments } from "../domain/sms/segments";
import {
  EXAMPLE_VARIABLES,
  renderSms,
  SMS_LANGUAGES,
  SMS_MESSAGE_TYPES,
  SMS_VARIABLES,
  templateFor,
  type SmsLanguage,
  type SmsMessageType,
  type SmsSettings,
} from "../domain/sms/templates";
import { eventLabel } from "../components/event-labels";
import type { AdminMessageKey } from "../locales/admin";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await smsPage(db(), session.shop);
  return json({
    settings: page.settings,
    optOuts: page.optOuts,
    recent: page.recent.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
  });
};

// POST (JSON): the whole settings object; 400 with every problem and nothing saved.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = await request.json().catch(() => null);
  const result = await saveSmsSettings(db(), session.shop, body);
  return json(result, { status: result.ok ? 200 : 400 });
};

const LANGUAGE_KEYS: Record<SmsLanguage, AdminMessageKey> = {
  en: "sms.language.en",
  ko: "sms.language.ko",
  ja: "sms.language.ja",
  fa: "sms.language.fa",
};

export default function SmsSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const t = useT();
  const fetcher = useFetcher<{ ok: boolean; problems?: { path: string; message: string }[] }>();
  const [settings, setSettings] = useState<SmsSettings>(loaded.settings as SmsSettings);
  const [language, setLanguage] = useState<SmsLanguage>("en");
  const problems = fetcher.data && !fetcher.data.ok ? (fetcher.data.problems ?? []) : [];
  const problemAt = (path: string) => {
    const found = problems.find((p) => p.path === path || p.path.startsWith(`${path}.`));
    return found ? t(found.message as AdminMessageKey) : undefined;
  };
  const setTemplate = (type: SmsMessageType, value: string) =>
    setSettings((s) => ({ ...s, templates: { ...s.templates, [type]: { ...s.templates[type], [language]: value } } }));
  const save = () => fetcher.submit(JSON.stringify(settings), { method: "POST", encType: "application/json" });

  return (
    <Page>
      <TitleBar title={t("sms.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {fetcher.data?.ok ? <Banner tone="success">{t("sms.saved")}</Banner> : null}
            {problems.length ? <Banner tone="critical">{t("sms.notSaved")}</Banner> : null}
            <Card>
              <BlockStack gap="300">
                <Checkbox
                  label={t("sms.enabled")}
                  helpText={t("sms.enabledHelp", { count: loaded.optOuts })}
                  checked={settings.enabled}
                  onChange={(enabled) => setSettings((s) => ({ ...s, enabled }))}
                />
                <TextField
                  label={t("sms.sender")}
                  helpText={t("sms.senderHelp")}
                  value={settings.sender}
                  onChange={(sender) => setSettings((s) => ({ ...s, sender }))}
                  error={problemAt("sender")}
                  autoComplete="off"
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {t("sms.messages")}
                </Text>
                <Select
                  label={t("sms.templateLanguage")}
                  options={SMS_LANGUAGES.map((l) => ({ label: t(LANGUAGE_KEYS[l]), value: l }))}
                  value={language}
                  onChange={(l) => setLanguage(l as SmsLanguage)}
                />
                <Text as="p" tone="subdued">
                  {t("sms.variables", { variables: SMS_VARIABLES.map((v) => `{{ ${v} }}`).join(", ") })}
                </Text>
                {SMS_MESSAGE_TYPES.map((type) => (
                  <MessageEditor
                    key={`${type}-${language}`}
                    label={eventLabel(t, type)}
                    on={settings.messages[type] === true}
                    onToggle={(on) => setSettings((s) => ({ ...s, messages: { ...s.messages, [type]: on } }))}
                    template={templateFor(settings, type, language)}
                    onTemplate={(value) => setTemplate(type, value)}
                    error={problemAt(`templates.${type}`)}
                    rtl={language === "fa"}
                  />
                ))}
              </BlockStack>
            </Card>
            <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"}>
              {t("sms.save")}
            </Button>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function MessageEditor(props: {
  label: string;
  on: boolean;
  onToggle: (on: boolean) => void;
  template: string;
  onTemplate: (value: string) => void;
  error?: string;
  rtl: boolean;
}) {
  const t = useT();
  const format = useAdminFormat();
  // The length as the shopper's phone will count it, with example values (a real tracking link).
  const length = useMemo(() => countSegments(renderSms(props.template, EXAMPLE_VARIABLES)), [props.template]);
  return (
    <BlockStack gap="200">
      <Checkbox label={props.label} checked={props.on} onChange={props.onToggle} />
      <div dir={props.rtl ? "rtl" : undefined}>
        <TextField
          label={t("sms.template", { message: props.label })}
          labelHidden
          value={props.template}
          onChange={props.onTemplate}
          multiline={3}
          error={props.error}
          autoComplete="off"
          helpText={t(length.encoding === "GSM-7" ? "sms.lengthGsm" : "sms.lengthUnicode", {
            units: length.units,
            segments: format.count("sms.segments", length.segments),
            remaining: length.remaining,
          })}
        />
      </div>
    </BlockStack>
  );
}
