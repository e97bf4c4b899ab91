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
import { useT } from "../locales/admin/use-admin-language";
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
import { LOCALES, type LoyaltyLocale } from "../domain/loyalty/settings";

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

const LANGUAGE_LABELS: Record<LoyaltyLocale, string> = {
  en: "English",
  ko: "Korean (한국어)",
  ja: "Japanese (日本語)",
  fa: "Persian (فارسی)",
};

/** The storefront's languages besides English, for the tiers' translated names. */
const TIER_NAME_LANGUAGES = [
  ["ko", "Korean"],
  ["ja", "Japanese"],
  ["fa", "Persian"],
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

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok) {
      setBaseline(save.data.form);
      setForm(save.data.form);
      shopify.toast.show("Loyalty settings saved");
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
  const pointsName = form.currencyName.en || "points";
  const included = [form.includeShipping && "shipping", form.includeTax && "tax"].filter(Boolean).join(" and ");
  const includedNote = included ? ` (${included} included)` : "";

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
                    Program
                  </Text>
                  <Text as="span" tone={form.enabled ? "success" : "subdued"} fontWeight="semibold">
                    {form.enabled ? "On" : "Off"}
                  </Text>
                </InlineStack>
                <Checkbox
                  label="Run the loyalty program"
                  helpText={
                    "When off, nobody earns or spends points and the storefront block says the program is " +
                    "not running. Points already earned are kept."
                  }
                  checked={form.enabled}
                  onChange={(v) => set("enabled", v)}
                />
                <Text as="h3" variant="headingSm">
                  What points are called
                </Text>
                <InlineGrid columns={{ xs: 1, md: 4 }} gap="300">
                  {LOCALES.map((locale) => (
                    <TextField
                      key={locale}
                      label={LANGUAGE_LABELS[locale]}
                      value={form.currencyName[locale]}
                      onChange={(v) => set("currencyName", { ...form.currencyName, [locale]: v })}
                      autoComplete="off"
                      maxLength={24}
                      placeholder={locale === "en" ? "points" : "The block's own word"}
                      error={errorAt(`currencyName.${locale}`)}
                    />
                  ))}
                </InlineGrid>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Earning
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label={`Points per 1 ${currency} spent`}
                      type="number"
                      min={0}
                      step={0.1}
                      value={form.pointsPerUnit}
                      onChange={(v) => set("pointsPerUnit", v)}
                      autoComplete="off"
                      error={errorAt("pointsPerUnit")}
                      helpText="On paid orders, after discounts."
                    />
                    <TextField
                      label="Days points stay pending"
                      type="number"
                      min={0}
                      max={365}
                      value={form.pendingDays}
                      onChange={(v) => set("pendingDays", v)}
                      autoComplete="off"
                      error={errorAt("pendingDays")}
                      helpText={
                        "Match your return window so points from returned orders are never spent. 0 = spendable " +
                        "at once."
                      }
                    />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <Checkbox
                      label="Shipping earns points"
                      checked={form.includeShipping}
                      onChange={(v) => set("includeShipping", v)}
                    />
                    <Checkbox
                      label="Tax earns points"
                      checked={form.includeTax}
                      onChange={(v) => set("includeTax", v)}
                    />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <TextField
                      label="Sign-up bonus (points)"
                      type="number"
                      min={0}
                      value={form.signupBonus}
                      onChange={(v) => set("signupBonus", v)}
                      autoComplete="off"
                      error={errorAt("signupBonus")}
                      helpText="When a shopper creates an account."
                    />
                    <TextField
                      label="Birthday bonus (points)"
                      type="number"
                      min={0}
                      value={form.birthdayBonus}
                      onChange={(v) => set("birthdayBonus", v)}
                      autoComplete="off"
                      error={errorAt("birthdayBonus")}
                      helpText="Once a year, for members who saved their birthday in the Rewards block."
                    />
                  </FormLayout.Group>
                </FormLayout>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Tiers
                </Text>
                <Text as="p" tone="subdued">
                  Members move between tiers automatically by what they spent in the last 12 months (after refunds). A
                  tier&apos;s multiplier applies to points earned on orders.
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
                          label="Name"
                          value={tier.name}
                          onChange={(v) => setTier(i, { name: v })}
                          autoComplete="off"
                          maxLength={40}
                          error={errorAt(`tiers.${i}.name`) ?? errorAt(`tiers.${i}.key`)}
                        />
                        <TextField
                          label={`From 12-month spend (${currency})`}
                          value={tier.threshold}
                          onChange={(v) => setTier(i, { threshold: v })}
                          autoComplete="off"
                          inputMode="decimal"
                          error={errorAt(`tiers.${i}.thresholdMinor`)}
                        />
                        <TextField
                          label="Points multiplier"
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
                            label={`Name in ${label}`}
                            value={tier.names[language]}
                            onChange={(v) => setTier(i, { names: { ...tier.names, [language]: v } })}
                            autoComplete="off"
                            maxLength={40}
                            placeholder={tier.name}
                            helpText="Shown on the storefront in this language; empty shows the name above."
                            error={errorAt(`tiers.${i}.names.${language}`)}
                          />
                        ))}
                      </FormLayout.Group>
                      <TextField
                        label="Perks"
                        value={tier.perks}
                        onChange={(v) => setTier(i, { perks: v })}
                        autoComplete="off"
                        maxLength={300}
                        placeholder="Free shipping on every order, early access to sales"
                        error={errorAt(`tiers.${i}.perks`)}
                        connectedRight={
                          <Button
                            tone="critical"
                            accessibilityLabel={`Remove tier ${tier.name || i + 1}`}
                            onClick={() =>
                              set(
                                "tiers",
                                form.tiers.filter((_, j) => j !== i),
                              )
                            }
                          >
                            Remove
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
                    Add tier
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Expiry
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label="Points expire after (days without activity)"
                      type="number"
                      min={0}
                      value={form.expiryDays}
                      onChange={(v) => set("expiryDays", v)}
                      autoComplete="off"
                      error={errorAt("expiryDays")}
                      helpText="0 = points never expire. An order, a redemption or an adjustment counts as activity."
                    />
                    <TextField
                      label="Reminder email (days before expiry)"
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
                How it reads to shoppers
              </Text>
              <List>
                <List.Item>
                  {`${form.pointsPerUnit || "0"} ${pointsName} for every 1 ${currency} spent${includedNote}`}
                </List.Item>
                {Number(form.signupBonus) > 0 ? (
                  <List.Item>{`${form.signupBonus} ${pointsName} for creating an account`}</List.Item>
                ) : null}
                {Number(form.birthdayBonus) > 0 ? (
                  <List.Item>{`${form.birthdayBonus} ${form.currencyName.en || "points"} on their birthday`}</List.Item>
                ) : null}
                <List.Item>
                  {form.pendingDays === "0"
                    ? "Points can be spent as soon as an order is paid"
                    : `Points can be spent ${form.pendingDays} days after an order is paid`}
                </List.Item>
                <List.Item>
                  {form.expiryDays === "0"
                    ? "Points never expire"
                    : `Points expire after ${form.expiryDays} days without activity`}
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
