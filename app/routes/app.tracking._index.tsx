import { useCallback, useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { ColorField } from "../components/ColorField";
import { SettingsSaveBar } from "../components/SettingsSaveBar";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { getTrackingSettings } from "../models/tracking.server";
import { previewTrackingEmail, updateTrackingSettings } from "../services/tracking/settings.server";
import { TEMPLATE_VARIABLES, templateFor } from "../domain/tracking/email-templates";
import { fieldProblem } from "../locales/admin/problems";
import { liquidSaid } from "../locales/admin/liquid";
import { codeLabel } from "../locales/admin/codes";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";
import { NotSavedBanner, useFieldProblems } from "../components/NotSavedBanner";
import { validateTrackingSettings, type SettingsProblem, type TrackingSettings } from "../domain/tracking/settings";
import {
  LANGUAGES,
  NOTIFIED_MILESTONES,
  WORDING_KEYS,
  type Language,
  type NotifiedMilestone,
} from "../domain/tracking/vocabulary";
import { TrackingPreview } from "../components/tracking/TrackingPreview";
import {
  EmailPreview,
  EmailTemplateFields,
  isPreviewSubmission,
  useLivePreview,
} from "../components/EmailTemplateEditor";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ settings: await getTrackingSettings(db(), session.shop) });
};

type ActionAnswer =
  | { ok: true; intent: "save"; settings: TrackingSettings }
  | { ok: true; intent: "preview"; subject: string; html: string }
  | { ok: false; problems: SettingsProblem[] };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  let body: { intent?: unknown; settings?: unknown; language?: unknown; milestone?: unknown };
  try {
    body = await request.json();
  } catch {
    return json<ActionAnswer>({ ok: false, problems: [fieldProblem("", "form.unreadable")] }, { status: 400 });
  }
  if (body.intent === "preview") {
    const checked = validateTrackingSettings(body.settings);
    if (!checked.ok) return json<ActionAnswer>({ ok: false, problems: checked.problems }, { status: 400 });
    const language = LANGUAGES.find((l) => l === body.language);
    const milestone = NOTIFIED_MILESTONES.find((m) => m === body.milestone);
    if (!language || !milestone)
      return json<ActionAnswer>(
        { ok: false, problems: [fieldProblem("", "tracking.preview.choose")] },
        { status: 400 },
      );
    try {
      const email = await previewTrackingEmail(db(), session.shop, { settings: checked.settings, language, milestone });
      return json<ActionAnswer>({ ok: true, intent: "preview", subject: email.subject, html: email.html });
    } catch (error) {
      return json<ActionAnswer>(
        {
          ok: false,
          problems: [
            fieldProblem("", "tracking.template.unrendered", { detail: liquidSaid((error as Error).message) }),
          ],
        },
        { status: 400 },
      );
    }
  }
  const result = await updateTrackingSettings(db(), session.shop, body.settings);
  if (!result.ok) return json<ActionAnswer>(result, { status: 400 });
  return json<ActionAnswer>({ ok: true, intent: "save", settings: result.settings });
};

export const shouldRevalidate: ShouldRevalidateFunction = ({ json, defaultShouldRevalidate }) =>
  isPreviewSubmission(json) ? false : defaultShouldRevalidate;

const DISPLAY_KEYS: (keyof TrackingSettings["display"])[] = [
  "items",
  "itemImages",
  "scans",
  "estimate",
  "recommendations",
  "contact",
];

const int = (value: string) => (value.trim() === "" ? NaN : Number(value));

export default function TrackingSettingsPage() {
  const { settings: saved } = useLoaderData<typeof loader>();
  const [settings, setSettings] = useState<TrackingSettings>(saved as TrackingSettings);
  const [baseline, setBaseline] = useState<TrackingSettings>(saved as TrackingSettings);
  // The wording, emails and preview open in the admin's language: the merchant edits their own first.
  const adminLanguage = useAdminLocale();
  const [language, setLanguage] = useState<Language>(LANGUAGES.find((l) => l === adminLanguage) ?? "en");
  const [milestone, setMilestone] = useState<NotifiedMilestone>("shipped");
  const [newCountry, setNewCountry] = useState("");
  const save = useFetcher<ActionAnswer>();
  const preview = useLivePreview({ intent: "preview", settings, language, milestone });
  const shopify = useAppBridge();
  const dirty = useMemo(() => JSON.stringify(settings) !== JSON.stringify(baseline), [settings, baseline]);
  const problems = save.data && !save.data.ok ? save.data.problems : [];
  const t = useT();
  const languages = LANGUAGES.map((l) => ({ label: t(`language.${l}`), value: l }));
  const milestoneLabel = (m: string) => codeLabel(t, "milestone", m);
  const variables = TEMPLATE_VARIABLES.map((name) => ({ name, description: t(`trackingVariable.${name}`) }));

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok && save.data.intent === "save") {
      setBaseline(save.data.settings);
      setSettings(save.data.settings);
      shopify.toast.show(t("trackingSettings.saved"));
    } else if (!save.data.ok) {
      shopify.toast.show(t("form.needsFixing"), { isError: true });
    }
  }, [save.state, save.data, shopify, t]);

  const update = useCallback(<K extends keyof TrackingSettings>(key: K, value: Partial<TrackingSettings[K]>) => {
    setSettings((s) => ({ ...s, [key]: { ...(s[key] as object), ...(value as object) } }));
  }, []);

  const submit = () =>
    save.submit({ intent: "save", settings } as never, { method: "post", encType: "application/json" });
  const template = templateFor(settings, language, milestone);
  const setTemplate = (part: "subject" | "body", value: string) =>
    setSettings((s) => ({
      ...s,
      notifications: {
        ...s.notifications,
        templates: {
          ...s.notifications.templates,
          [language]: { ...s.notifications.templates[language], [milestone]: { ...template, [part]: value } },
        },
      },
    }));
  const problemAt = useFieldProblems(problems);

  async function pick(type: "collection" | "product") {
    const selected = await shopify.resourcePicker({
      type,
      multiple: type === "product" ? 12 : false,
      action: "select",
    });
    if (!selected) return;
    if (type === "collection")
      update("recommendations", { source: "collection", collectionId: selected[0]?.id ?? null });
    else update("recommendations", { source: "products", productIds: selected.map((p) => p.id) });
  }

  const countries = Object.entries(settings.estimates.transitBusinessDays.byCountry);
  const setTransit = (country: string | null, part: "min" | "max", value: string) => {
    const t = settings.estimates.transitBusinessDays;
    if (country === null)
      update("estimates", { transitBusinessDays: { ...t, default: { ...t.default, [part]: int(value) } } });
    else
      update("estimates", {
        transitBusinessDays: {
          ...t,
          byCountry: { ...t.byCountry, [country]: { ...t.byCountry[country], [part]: int(value) } },
        },
      });
  };

  return (
    <>
      <SettingsSaveBar
        id="tracking-settings-save-bar"
        dirty={dirty}
        saving={save.state !== "idle"}
        onSave={submit}
        onDiscard={() => setSettings(baseline)}
      />
      <Layout>
        {problems.length > 0 ? (
          <Layout.Section>
            <NotSavedBanner problems={problems} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("trackingSettings.branding")}
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    <ColorField
                      label={t("trackingSettings.accentColor")}
                      value={settings.branding.accentColor}
                      onChange={(v) => update("branding", { accentColor: v })}
                      error={problemAt("branding.accentColor")}
                      helpText={t("trackingSettings.accentColorHelp")}
                    />
                    <TextField
                      label={t("trackingSettings.logoUrl")}
                      value={settings.branding.logoUrl}
                      onChange={(v) => update("branding", { logoUrl: v })}
                      autoComplete="off"
                      placeholder="https://"
                      error={problemAt("branding.logoUrl")}
                    />
                  </FormLayout.Group>
                  <TextField
                    label={t("trackingSettings.trackingPage")}
                    value={settings.trackingPagePath}
                    onChange={(v) => setSettings((s) => ({ ...s, trackingPagePath: v }))}
                    autoComplete="off"
                    helpText={t("trackingSettings.trackingPageHelp")}
                    error={problemAt("trackingPagePath")}
                  />
                </FormLayout>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("trackingSettings.wording")}
                  </Text>
                  <Select
                    label={t("trackingSettings.language")}
                    labelInline
                    options={languages}
                    value={language}
                    onChange={(v) => setLanguage(v as Language)}
                  />
                </InlineStack>
                <Text as="p" tone="subdued">
                  {t("trackingSettings.wordingHelp")}
                </Text>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                  {WORDING_KEYS.map((key) => (
                    <TextField
                      key={key}
                      label={milestoneLabel(key)}
                      value={settings.wording[language]?.[key] ?? ""}
                      onChange={(v) =>
                        update("wording", { [language]: { ...settings.wording[language], [key]: v } } as never)
                      }
                      autoComplete="off"
                      maxLength={60}
                      error={problemAt(`wording.${language}.${key}`)}
                    />
                  ))}
                </InlineGrid>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("trackingSettings.display")}
                </Text>
                <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                  {DISPLAY_KEYS.map((key) => (
                    <Checkbox
                      key={key}
                      label={t(`trackingSettings.display.${key}`)}
                      checked={settings.display[key]}
                      onChange={(v) => update("display", { [key]: v })}
                    />
                  ))}
                </InlineGrid>
                <FormLayout.Group>
                  <TextField
                    label={t("trackingSettings.supportEmail")}
                    type="email"
                    value={settings.contact.email}
                    onChange={(v) => update("contact", { email: v })}
                    autoComplete="email"
                    error={problemAt("contact.email")}
                  />
                  <TextField
                    label={t("trackingSettings.contactUrl")}
                    value={settings.contact.url}
                    onChange={(v) => update("contact", { url: v })}
                    autoComplete="off"
                    placeholder="https://"
                    error={problemAt("contact.url")}
                  />
                </FormLayout.Group>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("trackingSettings.recommendations")}
                </Text>
                <Select
                  label={t("trackingSettings.show")}
                  options={[
                    { label: t("trackingSettings.source.none"), value: "none" },
                    { label: t("trackingSettings.source.collection"), value: "collection" },
                    { label: t("trackingSettings.source.products"), value: "products" },
                  ]}
                  value={settings.recommendations.source}
                  onChange={(v) =>
                    update("recommendations", { source: v as TrackingSettings["recommendations"]["source"] })
                  }
                  error={problemAt("recommendations.collectionId") ?? problemAt("recommendations.productIds")}
                />
                {settings.recommendations.source === "collection" ? (
                  <InlineStack gap="200" blockAlign="center">
                    <Button onClick={() => pick("collection")}>
                      {settings.recommendations.collectionId
                        ? t("trackingSettings.changeCollection")
                        : t("trackingSettings.chooseCollection")}
                    </Button>
                    <Text as="span" tone="subdued">
                      {settings.recommendations.collectionId ?? t("trackingSettings.noCollection")}
                    </Text>
                  </InlineStack>
                ) : null}
                {settings.recommendations.source === "products" ? (
                  <InlineStack gap="200" blockAlign="center">
                    <Button onClick={() => pick("product")}>{t("trackingSettings.chooseProducts")}</Button>
                    <Text as="span" tone="subdued">
                      {t("trackingSettings.chosen", { count: settings.recommendations.productIds.length })}
                    </Text>
                  </InlineStack>
                ) : null}
                <TextField
                  label={t("trackingSettings.limit")}
                  type="number"
                  min={1}
                  max={8}
                  value={String(settings.recommendations.limit)}
                  onChange={(v) => update("recommendations", { limit: int(v) })}
                  autoComplete="off"
                  error={problemAt("recommendations.limit")}
                />
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("trackingSettings.estimates")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("trackingSettings.estimatesHelp")}
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label={t("trackingSettings.processing")}
                      type="number"
                      min={0}
                      value={String(settings.estimates.processingBusinessDays)}
                      onChange={(v) => update("estimates", { processingBusinessDays: int(v) })}
                      autoComplete="off"
                      error={problemAt("estimates.processingBusinessDays")}
                    />
                    <TextField
                      label={t("trackingSettings.cutoff")}
                      type="number"
                      min={0}
                      max={24}
                      value={String(settings.estimates.cutoffHour)}
                      onChange={(v) => update("estimates", { cutoffHour: int(v) })}
                      autoComplete="off"
                      error={problemAt("estimates.cutoffHour")}
                    />
                  </FormLayout.Group>
                  <Checkbox
                    label={t("trackingSettings.useHistory")}
                    checked={settings.estimates.useHistory}
                    onChange={(v) => update("estimates", { useHistory: v })}
                  />
                  <FormLayout.Group>
                    <TextField
                      label={t("trackingSettings.transitMin")}
                      type="number"
                      value={String(settings.estimates.transitBusinessDays.default.min)}
                      onChange={(v) => setTransit(null, "min", v)}
                      autoComplete="off"
                      error={problemAt("estimates.transitBusinessDays.default.min")}
                    />
                    <TextField
                      label={t("trackingSettings.transitMax")}
                      type="number"
                      value={String(settings.estimates.transitBusinessDays.default.max)}
                      onChange={(v) => setTransit(null, "max", v)}
                      autoComplete="off"
                      error={problemAt("estimates.transitBusinessDays.default")}
                    />
                  </FormLayout.Group>
                  {countries.map(([country, range]) => (
                    <FormLayout.Group key={country}>
                      <TextField
                        label={t("trackingSettings.countryMin", { country })}
                        type="number"
                        value={String(range.min)}
                        onChange={(v) => setTransit(country, "min", v)}
                        autoComplete="off"
                        error={problemAt(`estimates.transitBusinessDays.byCountry.${country}.min`)}
                      />
                      <TextField
                        label={t("trackingSettings.countryMax", { country })}
                        type="number"
                        value={String(range.max)}
                        onChange={(v) => setTransit(country, "max", v)}
                        autoComplete="off"
                        error={problemAt(`estimates.transitBusinessDays.byCountry.${country}`)}
                        connectedRight={
                          <Button
                            onClick={() => {
                              const { [country]: _removed, ...rest } = settings.estimates.transitBusinessDays.byCountry;
                              update("estimates", {
                                transitBusinessDays: { ...settings.estimates.transitBusinessDays, byCountry: rest },
                              });
                            }}
                            accessibilityLabel={t("trackingSettings.removeCountry", { country })}
                          >
                            {t("trackingSettings.remove")}
                          </Button>
                        }
                      />
                    </FormLayout.Group>
                  ))}
                  <InlineStack gap="200" blockAlign="end">
                    <TextField
                      label={t("trackingSettings.addCountry")}
                      value={newCountry}
                      onChange={(v) => setNewCountry(v.toUpperCase().slice(0, 2))}
                      autoComplete="off"
                      placeholder="CA"
                    />
                    <Button
                      disabled={!/^[A-Z]{2}$/.test(newCountry)}
                      onClick={() => {
                        setTransit(newCountry, "min", String(settings.estimates.transitBusinessDays.default.min));
                        setTransit(newCountry, "max", String(settings.estimates.transitBusinessDays.default.max));
                        setNewCountry("");
                      }}
                    >
                      {t("trackingSettings.add")}
                    </Button>
                  </InlineStack>
                  <TextField
                    label={t("trackingSettings.holidays")}
                    value={settings.estimates.holidays.join(", ")}
                    onChange={(v) =>
                      update("estimates", {
                        holidays: v
                          .split(",")
                          .map((d) => d.trim())
                          .filter(Boolean),
                      })
                    }
                    autoComplete="off"
                    error={problemAt("estimates.holidays")}
                  />
                </FormLayout>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("trackingSettings.delays")}
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    {(
                      [
                        ["unfulfilledAfterBusinessDays", t("trackingSettings.unfulfilled")],
                        ["noScanForBusinessDays", t("trackingSettings.noScan")],
                      ] as const
                    ).map(([rule, label]) => (
                      <TextField
                        key={rule}
                        label={label}
                        type="number"
                        value={settings.delays[rule] === null ? "" : String(settings.delays[rule])}
                        onChange={(v) => update("delays", { [rule]: v === "" ? null : int(v) })}
                        autoComplete="off"
                        helpText={t("trackingSettings.ruleOff")}
                        error={problemAt(`delays.${rule}`)}
                      />
                    ))}
                  </FormLayout.Group>
                  <Checkbox
                    label={t("trackingSettings.pastEstimate")}
                    checked={settings.delays.pastEstimate}
                    onChange={(v) => update("delays", { pastEstimate: v })}
                  />
                </FormLayout>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("trackingSettings.emails")}
                </Text>
                <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                  {NOTIFIED_MILESTONES.map((m) => (
                    <Checkbox
                      key={m}
                      label={milestoneLabel(m)}
                      checked={settings.notifications.enabled[m]}
                      onChange={(v) =>
                        update("notifications", { enabled: { ...settings.notifications.enabled, [m]: v } })
                      }
                    />
                  ))}
                </InlineGrid>
                <FormLayout.Group>
                  <Select
                    label={t("trackingSettings.defaultLanguage")}
                    options={languages}
                    value={settings.notifications.defaultLanguage}
                    onChange={(v) => update("notifications", { defaultLanguage: v as Language })}
                  />
                  <TextField
                    label={t("trackingSettings.replyTo")}
                    type="email"
                    value={settings.notifications.replyTo}
                    onChange={(v) => update("notifications", { replyTo: v })}
                    autoComplete="email"
                    placeholder={t("trackingSettings.replyToPlaceholder")}
                    error={problemAt("notifications.replyTo")}
                  />
                </FormLayout.Group>
                <EmailTemplateFields
                  emails={NOTIFIED_MILESTONES.map((m) => ({ label: milestoneLabel(m), value: m }))}
                  email={milestone}
                  onEmailChange={(v) => setMilestone(v as NotifiedMilestone)}
                  languages={languages}
                  language={language}
                  onLanguageChange={(v) => setLanguage(v as Language)}
                  template={template}
                  onChange={setTemplate}
                  variables={variables}
                  errors={{
                    subject: problemAt(`notifications.templates.${language}.${milestone}.subject`),
                    body: problemAt(`notifications.templates.${language}.${milestone}.body`),
                  }}
                />
                <EmailPreview answer={preview.answer} loading={preview.loading} height={420} />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <div style={{ position: "sticky", top: 16 }}>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("trackingSettings.preview")}
                  </Text>
                  <Select
                    label={t("trackingSettings.language")}
                    labelHidden
                    options={languages}
                    value={language}
                    onChange={(v) => setLanguage(v as Language)}
                  />
                </InlineStack>
                <TrackingPreview settings={settings} language={language} />
              </BlockStack>
            </Card>
          </div>
        </Layout.Section>
      </Layout>
    </>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
