import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useMemo, useState } from "react";

import { RichTextField } from "../components/RichTextField";
import { SettingsSaveBar } from "../components/SettingsSaveBar";
import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { NotSavedBanner, useFieldProblems } from "../components/NotSavedBanner";
import { fieldProblem, type FieldProblem } from "../locales/admin/problems";
import { useT } from "../locales/admin/use-admin-language";
import { codeLabel } from "../locales/admin/codes";
import type { AdminMessageKey } from "../locales/admin";
import { CHANNEL_KINDS, LANGUAGES, TOPICS, type ContactSettings } from "../domain/contact/settings";
import { WEEKDAY_NAMES } from "../domain/contact/hours";
import { getContactSettings } from "../models/contact.server";
import { shopProfile } from "../models/shop.server";
import { updateContactSettings } from "../services/contact/settings.server";
import { intakeAddressFor } from "../services/contact/email-thread.server";
import { env } from "../env.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, profile] = await Promise.all([
    getContactSettings(db(), session.shop),
    shopProfile(db(), session.shop),
  ]);
  // Where the shop's support mailbox forwards new emails so they become requests (decision 0046).
  const inbound = env().INBOUND_EMAIL_ADDRESS;
  const intakeAddress = inbound ? intakeAddressFor(inbound, session.shop) : null;
  return json({ settings, timeZone: profile.timeZone, intakeAddress });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  let input: unknown;
  try {
    input = ((await request.json()) as { settings?: unknown })?.settings;
  } catch {
    return json<SaveAnswer>({ ok: false, errors: [fieldProblem("", "form.unreadable")] }, { status: 400 });
  }
  const result = await updateContactSettings(db(), session.shop, input);
  return result.ok
    ? json<SaveAnswer>({ ok: true, settings: result.settings })
    : json<SaveAnswer>({ ok: false, errors: result.errors }, { status: 400 });
};

type SaveAnswer = { ok: true; settings: ContactSettings } | { ok: false; errors: FieldProblem[] };

const holidaysText = (s: ContactSettings) => s.hours.holidays.map((h) => `${h.date} ${h.name}`.trim()).join("\n");
const parseHolidays = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => ({ date: l.slice(0, 10), name: l.slice(10).trim() }));

const LANGUAGE_LABEL: Record<string, AdminMessageKey> = {
  en: "language.en",
  ko: "language.ko",
  ja: "language.ja",
  fa: "language.fa",
};
/** Persian is typed right to left: each FAQ entry's text fields follow the entry's language. */
const RTL_LANGUAGES = new Set(["fa"]);
const dirOf = (language: string) => (RTL_LANGUAGES.has(language) ? "rtl" : "ltr");
export default function ContactSettingsPage() {
  const { settings: saved, timeZone, intakeAddress } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<SaveAnswer>();
  const shopify = useAppBridge();
  const busy = fetcher.state !== "idle";
  const [baseline, setBaseline] = useState<ContactSettings>(saved as ContactSettings);
  const [s, setS] = useState<ContactSettings>(saved as ContactSettings);
  const [holidays, setHolidays] = useState(holidaysText(saved as ContactSettings));
  const current = useMemo(() => ({ ...s, hours: { ...s.hours, holidays: parseHolidays(holidays) } }), [s, holidays]);
  const dirty = useMemo(() => JSON.stringify(current) !== JSON.stringify(baseline), [current, baseline]);
  const result = fetcher.data;
  const t = useT();
  const errorAt = useFieldProblems(result && !result.ok ? result.errors : []);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.ok) {
      // What the server stored (answers sanitised) becomes both the form and the saved state.
      setBaseline(fetcher.data.settings);
      setS(fetcher.data.settings);
      setHolidays(holidaysText(fetcher.data.settings));
      shopify.toast.show(t("contact.saved"));
    } else {
      shopify.toast.show(t("form.needsFixing"), { isError: true });
      // The list of problems is at the top of the page.
      window.scrollTo({ top: 0 });
    }
  }, [fetcher.state, fetcher.data, shopify, t]);
  const update = (patch: Partial<ContactSettings>) => setS((prev) => ({ ...prev, ...patch }));
  const save = () => fetcher.submit({ settings: current } as never, { method: "post", encType: "application/json" });
  const discard = () => {
    setS(baseline);
    setHolidays(holidaysText(baseline));
  };
  return (
    <Page title={t("contact.title")} subtitle={t("contact.zone", { zone: timeZone })}>
      <TitleBar title={t("contact.title")} />
      <SettingsSaveBar id="contact-settings-save-bar" dirty={dirty} saving={busy} onSave={save} onDiscard={discard} />
      <Layout>
        {result && !result.ok ? (
          <Layout.Section>
            <NotSavedBanner problems={result.errors} />
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection title={t("contact.channels.title")} description={t("contact.channels.description")}>
          <Card>
            <BlockStack gap="300">
              {s.channels.map((c, i) => (
                // Channels have no id of their own; every field is controlled, so a row's values follow its index.
                // eslint-disable-next-line react/no-array-index-key -- see above
                <InlineStack key={i} gap="200" blockAlign="end" wrap={false}>
                  <Box paddingBlockEnd="150">
                    <Checkbox
                      label={t("contact.channels.shown")}
                      checked={c.enabled}
                      onChange={(on) =>
                        update({ channels: s.channels.map((x, j) => (j === i ? { ...x, enabled: on } : x)) })
                      }
                    />
                  </Box>
                  <Select
                    label={t("contact.channels.channel")}
                    options={CHANNEL_KINDS.map((k) => ({ label: codeLabel(t, "contact.channel", k), value: k }))}
                    value={c.kind}
                    onChange={(v) =>
                      update({ channels: s.channels.map((x, j) => (j === i ? { ...x, kind: v as typeof c.kind } : x)) })
                    }
                  />
                  <TextField
                    label={t("contact.channels.value")}
                    error={errorAt(`channels.${i}.value`)}
                    value={c.value}
                    onChange={(v) => update({ channels: s.channels.map((x, j) => (j === i ? { ...x, value: v } : x)) })}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("contact.channels.replyMinutes")}
                    error={errorAt(`channels.${i}.replyMinutes`)}
                    type="number"
                    value={String(c.replyMinutes)}
                    onChange={(v) =>
                      update({ channels: s.channels.map((x, j) => (j === i ? { ...x, replyMinutes: Number(v) } : x)) })
                    }
                    autoComplete="off"
                  />
                  <Button
                    tone="critical"
                    variant="plain"
                    onClick={() => update({ channels: s.channels.filter((_, j) => j !== i) })}
                    accessibilityLabel={t("contact.channels.removeLabel", {
                      channel: codeLabel(t, "contact.channel", c.kind),
                    })}
                  >
                    {t("contact.channels.remove")}
                  </Button>
                </InlineStack>
              ))}
              <InlineStack>
                <Button
                  onClick={() =>
                    update({
                      channels: [...s.channels, { kind: "email", value: "", replyMinutes: 120, enabled: true }],
                    })
                  }
                >
                  {t("contact.channels.add")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("contact.hours.title")} description={t("contact.hours.description")}>
          <Card>
            <BlockStack gap="200">
              {WEEKDAY_NAMES.map((weekday, d) => {
                const name = t(`weekday.${d}` as AdminMessageKey) || weekday;
                const day = s.hours.weekly[d];
                const setDay = (v: { open: string; close: string } | null) =>
                  update({ hours: { ...s.hours, weekly: s.hours.weekly.map((x, j) => (j === d ? v : x)) } });
                return (
                  <InlineStack key={name} gap="200" blockAlign="center">
                    <div style={{ width: 110 }}>
                      <Checkbox
                        label={name}
                        checked={day !== null}
                        onChange={(on) => setDay(on ? { open: "09:00", close: "17:00" } : null)}
                      />
                    </div>
                    {day ? (
                      <>
                        <TextField
                          label={t("contact.hours.opens", { day: name })}
                          labelHidden
                          type="time"
                          value={day.open}
                          onChange={(v) => setDay({ ...day, open: v })}
                          autoComplete="off"
                        />
                        <TextField
                          label={t("contact.hours.closes", { day: name })}
                          error={errorAt(`hours.weekly.${d}`)}
                          labelHidden
                          type="time"
                          value={day.close === "24:00" ? "00:00" : day.close}
                          onChange={(v) => setDay({ ...day, close: v === "00:00" ? "24:00" : v })}
                          autoComplete="off"
                        />
                      </>
                    ) : (
                      <Text as="span" tone="subdued">
                        {t("contact.hours.closed")}
                      </Text>
                    )}
                  </InlineStack>
                );
              })}
              <TextField
                label={t("contact.hours.holidays")}
                error={errorAt("hours.holidays")}
                helpText={t("contact.hours.holidaysHelp")}
                value={holidays}
                onChange={setHolidays}
                multiline={3}
                autoComplete="off"
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("contact.faq.title")} description={t("contact.faq.description")}>
          <Card>
            <BlockStack gap="400">
              {s.faq.map((f, i) => {
                const set = (patch: Partial<typeof f>) =>
                  update({ faq: s.faq.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
                return (
                  <BlockStack key={f.id} gap="200">
                    <InlineStack gap="200" wrap={false}>
                      <Select
                        label={t("contact.faq.language")}
                        options={LANGUAGES.map((l) => ({ label: t(LANGUAGE_LABEL[l]), value: l }))}
                        value={f.language}
                        onChange={(v) => set({ language: v as typeof f.language })}
                      />
                      <div dir={dirOf(f.language)} lang={f.language}>
                        <TextField
                          label={t("contact.faq.category")}
                          error={errorAt(`faq.${i}.category`)}
                          value={f.category}
                          onChange={(v) => set({ category: v })}
                          autoComplete="off"
                        />
                      </div>
                      <TextField
                        label={t("contact.faq.order")}
                        type="number"
                        value={String(f.position)}
                        onChange={(v) => set({ position: Number(v) })}
                        autoComplete="off"
                      />
                    </InlineStack>
                    <div dir={dirOf(f.language)} lang={f.language}>
                      <BlockStack gap="200">
                        <TextField
                          label={t("contact.faq.question")}
                          error={errorAt(`faq.${i}.question`)}
                          value={f.question}
                          onChange={(v) => set({ question: v })}
                          autoComplete="off"
                        />
                        <RichTextField
                          label={t("contact.faq.answer")}
                          error={errorAt(`faq.${i}.answerHtml`)}
                          value={f.answerHtml}
                          onChange={(v) => set({ answerHtml: v })}
                          dir={dirOf(f.language)}
                          lang={f.language}
                        />
                      </BlockStack>
                    </div>
                    <InlineStack>
                      <Button
                        tone="critical"
                        variant="plain"
                        onClick={() => update({ faq: s.faq.filter((_, j) => j !== i) })}
                      >
                        {t("contact.faq.remove")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                );
              })}
              <InlineStack>
                <Button
                  onClick={() =>
                    update({
                      faq: [
                        ...s.faq,
                        {
                          id: Math.random().toString(36).slice(2, 10),
                          language: "en",
                          category: "General",
                          question: "",
                          answerHtml: "",
                          position: s.faq.length + 1,
                        },
                      ],
                    })
                  }
                >
                  {t("contact.faq.add")}
                </Button>
              </InlineStack>
              <Checkbox
                label={t("contact.assistant.enabled")}
                helpText={t("contact.assistant.help")}
                checked={s.assistant.enabled}
                onChange={(v) => update({ assistant: { enabled: v } })}
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("contact.form.title")} description={t("contact.form.description")}>
          <Card>
            <BlockStack gap="300">
              <Checkbox
                label={t("contact.form.show")}
                checked={s.form.enabled}
                onChange={(v) => update({ form: { ...s.form, enabled: v } })}
              />
              <InlineStack gap="300">
                {TOPICS.map((topic) => (
                  <Checkbox
                    key={topic}
                    label={codeLabel(t, "contact.topic", topic)}
                    checked={s.form.topics.includes(topic)}
                    onChange={(on) =>
                      update({
                        form: {
                          ...s.form,
                          topics: on ? [...s.form.topics, topic] : s.form.topics.filter((x) => x !== topic),
                        },
                      })
                    }
                  />
                ))}
              </InlineStack>
              <TextField
                label={t("contact.form.replyMinutes")}
                error={errorAt("form.replyMinutes")}
                type="number"
                value={String(s.form.replyMinutes)}
                onChange={(v) => update({ form: { ...s.form, replyMinutes: Number(v) } })}
                autoComplete="off"
              />
              <TextField
                label={t("contact.form.replyTo")}
                error={errorAt("replyTo")}
                type="email"
                value={s.replyTo}
                onChange={(v) => update({ replyTo: v })}
                autoComplete="off"
                helpText={t(intakeAddress ? "contact.form.replyToInbound" : "contact.form.replyToHelp")}
              />
              {intakeAddress ? (
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    {t("contact.email.intakeTitle")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("contact.email.intakeHelp")}
                  </Text>
                  <Text as="p" variant="bodyMd" fontWeight="semibold">
                    <span dir="ltr" translate="no">
                      {intakeAddress}
                    </span>
                  </Text>
                </BlockStack>
              ) : null}
              <Checkbox
                label={t("contact.surveys.csat")}
                checked={s.surveys.csat}
                onChange={(v) => update({ surveys: { ...s.surveys, csat: v } })}
              />
              <Checkbox
                label={t("contact.surveys.nps")}
                checked={s.surveys.nps}
                onChange={(v) => update({ surveys: { ...s.surveys, nps: v } })}
              />
              <TextField
                label={t("contact.surveys.days")}
                error={errorAt("surveys.npsDaysAfterDelivery")}
                type="number"
                value={String(s.surveys.npsDaysAfterDelivery)}
                onChange={(v) => update({ surveys: { ...s.surveys, npsDaysAfterDelivery: Number(v) } })}
                autoComplete="off"
                disabled={!s.surveys.nps}
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
