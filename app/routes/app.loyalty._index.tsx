import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Text,
  TextField,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { SettingsSaveBar } from "../components/SettingsSaveBar";
import { NotSavedBanner, useFieldProblems } from "../components/NotSavedBanner";
import { fieldProblem } from "../locales/admin/problems";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";
import type { AdminMessageKey } from "../locales/admin";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { loadLoyaltySettings, saveLoyaltySettings } from "../services/loyalty/settings.server";
import { shopCurrency } from "../services/loyalty/admin.server";
import {
  formToSettings,
  settingsToForm,
  type FormErrors,
  type LoyaltySettingsForm,
  type TierForm,
} from "../domain/loyalty/admin-form";
import { currencyNameFor, LOCALES, type LoyaltyLocale, type LoyaltySettings } from "../domain/loyalty/settings";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, currency] = await Promise.all([
    loadLoyaltySettings(db(), session.shop),
    shopCurrency(db(), session.shop),
  ]);
  return json({ form: settingsToForm(settings, currency), currency });
};

type ActionAnswer = { ok: true; form: LoyaltySettingsForm } | { ok: false; errors: FormErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  let body: { settings?: unknown };
  try {
    body = await request.json();
  } catch {
    return json<ActionAnswer>({ ok: false, errors: [fieldProblem("", "form.unreadable")] }, { status: 400 });
  }
  const currency = await shopCurrency(db(), session.shop);
  const converted = formToSettings(body?.settings, currency);
  if (!converted.ok) return json<ActionAnswer>(converted, { status: 400 });
  const saved = await saveLoyaltySettings(db(), session.shop, converted.settings);
  if (!saved.ok) return json<ActionAnswer>({ ok: false, errors: saved.errors }, { status: 400 });
  return json<ActionAnswer>({ ok: true, form: settingsToForm(saved.settings, currency) });
};

const LANGUAGE_LABELS: Record<LoyaltyLocale, AdminMessageKey> = {
  en: "language.en",
  ko: "language.ko",
  ja: "language.ja",
  fa: "language.fa",
};

/** The storefront's languages besides English, for the tiers' translated names. */
const TIER_NAME_LANGUAGES = [
  ["ko", "loyalty.tiers.nameIn.ko"],
  ["ja", "loyalty.tiers.nameIn.ja"],
  ["fa", "loyalty.tiers.nameIn.fa"],
] as const;

export default function LoyaltyProgramPage() {
  const { form: saved, currency } = useLoaderData<typeof loader>();
  const [form, setForm] = useState<LoyaltySettingsForm>(saved);
  const [baseline, setBaseline] = useState<LoyaltySettingsForm>(saved);
  const save = useFetcher<ActionAnswer>();
  const shopify = useAppBridge();
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(baseline), [form, baseline]);
  const errors: FormErrors = save.data && !save.data.ok ? save.data.errors : [];
  const errorAt = useFieldProblems(errors);
  const t = useT();
  const adminLanguage = useAdminLocale();

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok) {
      setBaseline(save.data.form);
      setForm(save.data.form);
      shopify.toast.show(t("loyalty.saved"));
    } else {
      shopify.toast.show(t("form.needsFixing"), { isError: true });
    }
  }, [save.state, save.data, shopify, t]);

  const set = <K extends keyof LoyaltySettingsForm>(key: K, value: LoyaltySettingsForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const setTier = (index: number, part: Partial<TierForm>) =>
    setForm((f) => ({ ...f, tiers: f.tiers.map((t, i) => (i === index ? { ...t, ...part } : t)) }));
  const submit = () => save.submit({ settings: form } as never, { method: "post", encType: "application/json" });
  // How the program reads to shoppers (the preview below).
  // What points are called in the admin's language, by the storefront's rule.
  const pointsName = currencyNameFor({ currencyName: form.currencyName } as LoyaltySettings, adminLanguage);
  const included =
    form.includeShipping && form.includeTax
      ? t("loyalty.preview.shippingAndTax")
      : form.includeShipping
        ? t("loyalty.preview.shipping")
        : form.includeTax
          ? t("loyalty.preview.tax")
          : "";
  const earn = { points: form.pointsPerUnit || "0", name: pointsName, currency, included };

  return (
    <>
      <SettingsSaveBar
        id="loyalty-settings-save-bar"
        dirty={dirty}
        saving={save.state !== "idle"}
        onSave={submit}
        onDiscard={() => setForm(baseline)}
      />
      <Layout>
        {errors.length > 0 ? (
          <Layout.Section>
            <NotSavedBanner problems={errors} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("loyalty.program.title")}
                  </Text>
                  <Text as="span" tone={form.enabled ? "success" : "subdued"} fontWeight="semibold">
                    {form.enabled ? t("loyalty.program.on") : t("loyalty.program.off")}
                  </Text>
                </InlineStack>
                <Checkbox
                  label={t("loyalty.program.run")}
                  helpText={t("loyalty.program.runHelp")}
                  checked={form.enabled}
                  onChange={(v) => set("enabled", v)}
                />
                <Text as="h3" variant="headingSm">
                  {t("loyalty.program.pointsName")}
                </Text>
                <InlineGrid columns={{ xs: 1, md: 4 }} gap="300">
                  {LOCALES.map((locale) => (
                    <TextField
                      key={locale}
                      label={t(LANGUAGE_LABELS[locale])}
                      value={form.currencyName[locale]}
                      onChange={(v) => set("currencyName", { ...form.currencyName, [locale]: v })}
                      autoComplete="off"
                      maxLength={24}
                      placeholder={locale === "en" ? "points" : t("loyalty.program.pointsNamePlaceholder")}
                      error={errorAt(`currencyName.${locale}`)}
                    />
                  ))}
                </InlineGrid>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("loyalty.earning.title")}
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label={t("loyalty.earning.perUnit", { currency })}
                      type="number"
                      min={0}
                      step={0.1}
                      value={form.pointsPerUnit}
                      onChange={(v) => set("pointsPerUnit", v)}
                      autoComplete="off"
                      error={errorAt("pointsPerUnit")}
                      helpText={t("loyalty.earning.perUnitHelp")}
                    />
                    <TextField
                      label={t("field.loyalty.pendingDays")}
                      type="number"
                      min={0}
                      max={365}
                      value={form.pendingDays}
                      onChange={(v) => set("pendingDays", v)}
                      autoComplete="off"
                      error={errorAt("pendingDays")}
                      helpText={t("loyalty.earning.pendingHelp")}
                    />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <Checkbox
                      label={t("loyalty.earning.shipping")}
                      checked={form.includeShipping}
                      onChange={(v) => set("includeShipping", v)}
                    />
                    <Checkbox
                      label={t("loyalty.earning.tax")}
                      checked={form.includeTax}
                      onChange={(v) => set("includeTax", v)}
                    />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <TextField
                      label={t("loyalty.earning.signup")}
                      type="number"
                      min={0}
                      value={form.signupBonus}
                      onChange={(v) => set("signupBonus", v)}
                      autoComplete="off"
                      error={errorAt("signupBonus")}
                      helpText={t("loyalty.earning.signupHelp")}
                    />
                    <TextField
                      label={t("loyalty.earning.birthday")}
                      type="number"
                      min={0}
                      value={form.birthdayBonus}
                      onChange={(v) => set("birthdayBonus", v)}
                      autoComplete="off"
                      error={errorAt("birthdayBonus")}
                      helpText={t("loyalty.earning.birthdayHelp")}
                    />
                  </FormLayout.Group>
                </FormLayout>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("loyalty.tiers.title")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("loyalty.tiers.intro")}
                </Text>
                {errorAt("tiers") && !form.tiers.length ? (
                  <Text as="p" tone="critical">
                    {errorAt("tiers")}
                  </Text>
                ) : null}
                {form.tiers.map((tier, i) => (
                  <Card key={tier.key || `new-${i}`} background="bg-surface-secondary">
                    <FormLayout>
                      <FormLayout.Group>
                        <TextField
                          label={t("loyalty.tiers.name")}
                          value={tier.name}
                          onChange={(v) => setTier(i, { name: v })}
                          autoComplete="off"
                          maxLength={40}
                          error={errorAt(`tiers.${i}.name`) ?? errorAt(`tiers.${i}.key`)}
                        />
                        <TextField
                          label={t("loyalty.tiers.threshold", { currency })}
                          value={tier.threshold}
                          onChange={(v) => setTier(i, { threshold: v })}
                          autoComplete="off"
                          inputMode="decimal"
                          error={errorAt(`tiers.${i}.thresholdMinor`)}
                        />
                        <TextField
                          label={t("loyalty.tiers.multiplier")}
                          type="number"
                          min={1}
                          max={10}
                          step={0.25}
                          value={tier.multiplier}
                          onChange={(v) => setTier(i, { multiplier: v })}
                          autoComplete="off"
                          error={errorAt(`tiers.${i}.multiplier`)}
                        />
                      </FormLayout.Group>
                      <FormLayout.Group condensed>
                        {TIER_NAME_LANGUAGES.map(([language, label]) => (
                          <TextField
                            key={language}
                            label={t(label)}
                            value={tier.names[language]}
                            onChange={(v) => setTier(i, { names: { ...tier.names, [language]: v } })}
                            autoComplete="off"
                            maxLength={40}
                            placeholder={tier.name}
                            helpText={t("loyalty.tiers.nameInHelp")}
                            error={errorAt(`tiers.${i}.names.${language}`)}
                          />
                        ))}
                      </FormLayout.Group>
                      <TextField
                        label={t("loyalty.tiers.perks")}
                        value={tier.perks}
                        onChange={(v) => setTier(i, { perks: v })}
                        autoComplete="off"
                        maxLength={300}
                        placeholder={t("loyalty.tiers.perksPlaceholder")}
                        error={errorAt(`tiers.${i}.perks`)}
                        connectedRight={
                          <Button
                            tone="critical"
                            accessibilityLabel={t("loyalty.tiers.removeLabel", { name: tier.name || i + 1 })}
                            onClick={() =>
                              set(
                                "tiers",
                                form.tiers.filter((_, j) => j !== i),
                              )
                            }
                          >
                            {t("loyalty.tiers.remove")}
                          </Button>
                        }
                      />
                    </FormLayout>
                  </Card>
                ))}
                <InlineStack>
                  <Button
                    disabled={form.tiers.length >= 10}
                    onClick={() =>
                      set("tiers", [
                        ...form.tiers,
                        {
                          key: "",
                          name: "",
                          names: { ko: "", ja: "", fa: "" },
                          threshold: "0",
                          multiplier: "1",
                          perks: "",
                        },
                      ])
                    }
                  >
                    {t("loyalty.tiers.add")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("loyalty.expiry.title")}
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label={t("loyalty.expiry.days")}
                      type="number"
                      min={0}
                      value={form.expiryDays}
                      onChange={(v) => set("expiryDays", v)}
                      autoComplete="off"
                      error={errorAt("expiryDays")}
                      helpText={t("loyalty.expiry.daysHelp")}
                    />
                    <TextField
                      label={t("loyalty.expiry.reminder")}
                      type="number"
                      min={1}
                      value={form.expiryReminderDays}
                      onChange={(v) => set("expiryReminderDays", v)}
                      autoComplete="off"
                      disabled={form.expiryDays === "0"}
                      error={errorAt("expiryReminderDays")}
                    />
                  </FormLayout.Group>
                </FormLayout>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("loyalty.preview.title")}
              </Text>
              <List>
                <List.Item>{t(included ? "loyalty.preview.earnIncluding" : "loyalty.preview.earn", earn)}</List.Item>
                {Number(form.signupBonus) > 0 ? (
                  <List.Item>{t("loyalty.preview.signup", { points: form.signupBonus, name: pointsName })}</List.Item>
                ) : null}
                {Number(form.birthdayBonus) > 0 ? (
                  <List.Item>
                    {t("loyalty.preview.birthday", { points: form.birthdayBonus, name: pointsName })}
                  </List.Item>
                ) : null}
                <List.Item>
                  {form.pendingDays === "0"
                    ? t("loyalty.preview.spendAtOnce")
                    : t("loyalty.preview.spendAfter", { count: Number(form.pendingDays) })}
                </List.Item>
                <List.Item>
                  {form.expiryDays === "0"
                    ? t("loyalty.preview.neverExpire")
                    : t("loyalty.preview.expireAfter", { count: Number(form.expiryDays) })}
                </List.Item>
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
