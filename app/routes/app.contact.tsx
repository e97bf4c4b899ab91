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

import { SettingsSaveBar } from "../components/SettingsSaveBar";
import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { NotSavedBanner, useFieldProblems } from "../components/NotSavedBanner";
import { fieldProblem, type FieldProblem } from "../locales/admin/problems";
import { useT } from "../locales/admin/use-admin-language";
import { CHANNEL_KINDS, LANGUAGES, TOPICS, type ContactSettings } from "../domain/contact/settings";
import { WEEKDAY_NAMES } from "../domain/contact/hours";
import { getContactSettings } from "../models/contact.server";
import { shopProfile } from "../models/shop.server";
import { updateContactSettings } from "../services/contact/settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, profile] = await Promise.all([
    getContactSettings(db(), session.shop),
    shopProfile(db(), session.shop),
  ]);
  return json({ settings, timeZone: profile.timeZone });
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

const LANGUAGE_LABEL: Record<string, string> = {
  en: "English",
  ko: "Korean (한국어)",
  ja: "Japanese (日本語)",
  fa: "Persian (فارسی)",
};
/** Persian is typed right to left: each FAQ entry's text fields follow the entry's language. */
const RTL_LANGUAGES = new Set(["fa"]);
const dirOf = (language: string) => (RTL_LANGUAGES.has(language) ? "rtl" : "ltr");
const TOPIC_LABEL: Record<string, string> = {
  order_status: "Order status",
  return: "Return",
  product: "Product",
  other: "Other",
};
const CHANNEL_LABEL: Record<string, string> = {
  email: "Email",
  phone: "Phone",
  whatsapp: "WhatsApp",
  messenger: "Messenger",
  instagram: "Instagram",
  sms: "SMS",
  chat: "Live chat link",
};

export default function ContactSettingsPage() {
  const { settings: saved, timeZone } = useLoaderData<typeof loader>();
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
      shopify.toast.show("Contact settings saved");
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
    <Page title="Contact" subtitle={`Business hours are in the shop's time zone: ${timeZone}`}>
      <TitleBar title="Contact" />
      <SettingsSaveBar id="contact-settings-save-bar" dirty={dirty} saving={busy} onSave={save} onDiscard={discard} />
      <Layout>
        {result && !result.ok ? (
          <Layout.Section>
            <NotSavedBanner problems={result.errors} />
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection
          title="Channels"
          description={
            "How shoppers can reach you, and the reply time they should expect (counted in business " +
            "hours). Untick a channel to hide it from the storefront without losing its details."
          }
        >
          <Card>
            <BlockStack gap="300">
              {s.channels.map((c, i) => (
                // Channels have no id of their own; every field is controlled, so a row's values follow its index.
                // eslint-disable-next-line react/no-array-index-key -- see above
                <InlineStack key={i} gap="200" blockAlign="end" wrap={false}>
                  <Box paddingBlockEnd="150">
                    <Checkbox
                      label="Shown"
                      checked={c.enabled}
                      onChange={(on) =>
                        update({ channels: s.channels.map((x, j) => (j === i ? { ...x, enabled: on } : x)) })
                      }
                    />
                  </Box>
                  <Select
                    label="Channel"
                    options={CHANNEL_KINDS.map((k) => ({ label: CHANNEL_LABEL[k], value: k }))}
                    value={c.kind}
                    onChange={(v) =>
                      update({ channels: s.channels.map((x, j) => (j === i ? { ...x, kind: v as typeof c.kind } : x)) })
                    }
                  />
                  <TextField
                    label="Address, number or link"
                    error={errorAt(`channels.${i}.value`)}
                    value={c.value}
                    onChange={(v) => update({ channels: s.channels.map((x, j) => (j === i ? { ...x, value: v } : x)) })}
                    autoComplete="off"
                  />
                  <TextField
                    label="Replies within (min)"
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
                    accessibilityLabel={`Remove ${CHANNEL_LABEL[c.kind]}`}
                  >
                    Remove
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
                  Add channel
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Business hours"
          description="Channels show as online during these hours; first response time counts only these hours."
        >
          <Card>
            <BlockStack gap="200">
              {WEEKDAY_NAMES.map((name, d) => {
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
                          label={`${name} opens`}
                          labelHidden
                          type="time"
                          value={day.open}
                          onChange={(v) => setDay({ ...day, open: v })}
                          autoComplete="off"
                        />
                        <TextField
                          label={`${name} closes`}
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
                        Closed
                      </Text>
                    )}
                  </InlineStack>
                );
              })}
              <TextField
                label="Holiday closures"
                error={errorAt("hours.holidays")}
                helpText={
                  "One per line: YYYY-MM-DD and an optional name, e.g. 2026-12-25 Christmas. A closing " +
                  "time of 00:00 means open until midnight."
                }
                value={holidays}
                onChange={setHolidays}
                multiline={3}
                autoComplete="off"
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="FAQ"
          description={
            "Questions in categories, per language, in the order shown. Answers allow bold, italics, " +
            "lists and links; anything else is removed."
          }
        >
          <Card>
            <BlockStack gap="400">
              {s.faq.map((f, i) => {
                const set = (patch: Partial<typeof f>) =>
                  update({ faq: s.faq.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
                return (
                  <BlockStack key={f.id} gap="200">
                    <InlineStack gap="200" wrap={false}>
                      <Select
                        label="Language"
                        options={LANGUAGES.map((l) => ({ label: LANGUAGE_LABEL[l], value: l }))}
                        value={f.language}
                        onChange={(v) => set({ language: v as typeof f.language })}
                      />
                      <div dir={dirOf(f.language)} lang={f.language}>
                        <TextField
                          label="Category"
                          error={errorAt(`faq.${i}.category`)}
                          value={f.category}
                          onChange={(v) => set({ category: v })}
                          autoComplete="off"
                        />
                      </div>
                      <TextField
                        label="Order"
                        type="number"
                        value={String(f.position)}
                        onChange={(v) => set({ position: Number(v) })}
                        autoComplete="off"
                      />
                    </InlineStack>
                    <div dir={dirOf(f.language)} lang={f.language}>
                      <BlockStack gap="200">
                        <TextField
                          label="Question"
                          error={errorAt(`faq.${i}.question`)}
                          value={f.question}
                          onChange={(v) => set({ question: v })}
                          autoComplete="off"
                        />
                        <TextField
                          label="Answer (rich text: <p>, <strong>, <em>, <ul>, <a>)"
                          value={f.answerHtml}
                          onChange={(v) => set({ answerHtml: v })}
                          multiline={3}
                          autoComplete="off"
                        />
                      </BlockStack>
                    </div>
                    <InlineStack>
                      <Button
                        tone="critical"
                        variant="plain"
                        onClick={() => update({ faq: s.faq.filter((_, j) => j !== i) })}
                      >
                        Remove question
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
                  Add question
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Contact form and surveys"
          description={
            "Messages arrive in the Inbox. Closing a request can send a 1–5 satisfaction survey; an " +
            "NPS survey can follow delivery."
          }
        >
          <Card>
            <BlockStack gap="300">
              <Checkbox
                label="Show the contact form"
                checked={s.form.enabled}
                onChange={(v) => update({ form: { ...s.form, enabled: v } })}
              />
              <InlineStack gap="300">
                {TOPICS.map((t) => (
                  <Checkbox
                    key={t}
                    label={TOPIC_LABEL[t]}
                    checked={s.form.topics.includes(t)}
                    onChange={(on) =>
                      update({
                        form: { ...s.form, topics: on ? [...s.form.topics, t] : s.form.topics.filter((x) => x !== t) },
                      })
                    }
                  />
                ))}
              </InlineStack>
              <TextField
                label="Promised reply time for form messages (business minutes)"
                error={errorAt("form.replyMinutes")}
                type="number"
                value={String(s.form.replyMinutes)}
                onChange={(v) => update({ form: { ...s.form, replyMinutes: Number(v) } })}
                autoComplete="off"
              />
              <TextField
                label="Reply-to address for your replies"
                error={errorAt("replyTo")}
                type="email"
                value={s.replyTo}
                onChange={(v) => update({ replyTo: v })}
                autoComplete="off"
                helpText="Leave empty to use the shop's email."
              />
              <Checkbox
                label="Send a satisfaction survey when a request is closed"
                checked={s.surveys.csat}
                onChange={(v) => update({ surveys: { ...s.surveys, csat: v } })}
              />
              <Checkbox
                label="Send an NPS survey after delivery"
                checked={s.surveys.nps}
                onChange={(v) => update({ surveys: { ...s.surveys, nps: v } })}
              />
              <TextField
                label="Days after delivery"
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
