import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineError,
  InlineGrid,
  InlineStack,
  Layout,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";

import { NotSavedBanner, useFieldProblems } from "../components/NotSavedBanner";
import { said, type Said } from "../locales/admin";
import { fieldProblem } from "../locales/admin/problems";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import {
  getReturnPolicy,
  publishStorefrontLookup,
  returnPolicyVersion,
  saveReturnPolicyFields,
} from "../services/returns/policy.server";
import { adminClient } from "../shopify/admin.server";
import { shopProfile } from "../models/shop.server";
import {
  LANGUAGES,
  SHOPIFY_RETURN_REASONS,
  type Language,
  type PolicyProblem,
  type ReturnPolicy,
} from "../domain/returns/policy";
import { asksForPhotos } from "../domain/returns/photos";
import { fromMinor, toMinor } from "../domain/shared/money";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [policy, profile] = await Promise.all([getReturnPolicy(db(), session.shop), shopProfile(db(), session.shop)]);
  // The version of what this page edits (not the emails): posted back with the save.
  return json({ policy, currency: profile.currencyCode, version: returnPolicyVersion(policy) });
};

type ActionAnswer =
  | { ok: true; policy: ReturnPolicy; version: string; storefrontNotice?: Said }
  | { ok: false; problems: PolicyProblem[]; conflict?: true };

// POST (JSON): the policy and the version the page was loaded with. 409 when someone else has
// saved the policy since (nothing saved); 400 with every problem the merchant needs to fix. The
// emails are edited on their own tab, so what is stored for them is kept as it is.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  let body: { policy?: unknown; version?: unknown };
  try {
    body = await request.json();
  } catch {
    return json<ActionAnswer>({ ok: false, problems: [fieldProblem("", "policy.unreadable")] }, { status: 400 });
  }
  const expected = body?.version === undefined ? null : String(body.version);
  const result = await saveReturnPolicyFields(db(), session.shop, body?.policy, expected);
  if (!result.ok) return json<ActionAnswer>(result, { status: "conflict" in result ? 409 : 400 });
  // The Returns block learns from Shopify whether to show the lookup; the policy just saved is what
  // the app proxy enforces either way, so a failure here is told, not undone.
  try {
    await publishStorefrontLookup(adminClient(admin.graphql), result.policy.storefrontLookup);
  } catch (error) {
    console.error("[returns] could not publish the storefront lookup setting", error);
    return json<ActionAnswer>({ ...result, storefrontNotice: said("policy.storefrontNotice") });
  }
  return json<ActionAnswer>(result);
};

/** A number field's text as the policy's number; anything else stays visible to the validator. */
const num = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));

export default function ReturnPolicyPage() {
  const { policy: saved, currency, version: loadedVersion } = useLoaderData<typeof loader>();
  const [policy, setPolicy] = useState<ReturnPolicy>(saved as ReturnPolicy);
  const [baseline, setBaseline] = useState<ReturnPolicy>(saved as ReturnPolicy);
  const [shippingFee, setShippingFee] = useState(fromMinor(saved.fees.returnShippingMinor, currency));
  const [maxValue, setMaxValue] = useState(
    saved.autoApprove.maxOrderValueMinor === null ? "" : fromMinor(saved.autoApprove.maxOrderValueMinor, currency),
  );
  const [tags, setTags] = useState(saved.exclusions.tags.join(", "));
  // The version of the policy this page shows; each save answers the next one. Not taken from the
  // loader again after a save: that could be someone else's newer policy, which this page does not show.
  const [version, setVersion] = useState(loadedVersion);
  const save = useFetcher<ActionAnswer>();
  const shopify = useAppBridge();
  const dirty = useMemo(() => JSON.stringify(policy) !== JSON.stringify(baseline), [policy, baseline]);
  const problems = save.data && !save.data.ok ? save.data.problems : [];
  const problemAt = useFieldProblems(problems);
  const t = useT();
  const adminLanguage = useAdminLocale();
  // A reason as the merchant reads it: in the admin's language when it has one, else English.
  const reasonName = (r: ReturnPolicy["reasons"][number]) =>
    (LANGUAGES.includes(adminLanguage as Language) && r.label[adminLanguage as Language]) || r.label.en || r.id;

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok) {
      setBaseline(save.data.policy);
      setPolicy(save.data.policy);
      setVersion(save.data.version);
      if (save.data.storefrontNotice)
        shopify.toast.show(t(save.data.storefrontNotice.key, save.data.storefrontNotice.values), { isError: true });
      else shopify.toast.show(t("policy.saved"));
    } else if (save.data.conflict) shopify.toast.show(t("policy.conflict"), { isError: true });
    else shopify.toast.show(t("form.needsFixing"), { isError: true });
  }, [save.state, save.data, shopify, t]);

  useEffect(() => {
    if (dirty) shopify.saveBar.show("returns-policy-save-bar");
    else shopify.saveBar.hide("returns-policy-save-bar");
  }, [dirty, shopify]);

  const set = <K extends keyof ReturnPolicy>(key: K, value: Partial<ReturnPolicy[K]>) =>
    setPolicy((p) => ({
      ...p,
      [key]: typeof p[key] === "object" ? { ...(p[key] as object), ...(value as object) } : value,
    }));
  const money = (text: string) => {
    try {
      return toMinor(text.trim(), currency);
    } catch {
      return Number.NaN;
    }
  };
  const discard = () => {
    setPolicy(baseline);
    setShippingFee(fromMinor(baseline.fees.returnShippingMinor, currency));
    setMaxValue(
      baseline.autoApprove.maxOrderValueMinor === null
        ? ""
        : fromMinor(baseline.autoApprove.maxOrderValueMinor, currency),
    );
    setTags(baseline.exclusions.tags.join(", "));
  };
  const submit = () => save.submit({ policy, version } as never, { method: "post", encType: "application/json" });
  const reasons = policy.reasons;
  const setReason = (i: number, patch: Partial<ReturnPolicy["reasons"][number]>) =>
    setPolicy((p) => ({ ...p, reasons: p.reasons.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  const moveReason = (i: number, by: number) =>
    setPolicy((p) => {
      const next = [...p.reasons];
      const [r] = next.splice(i, 1);
      next.splice(i + by, 0, r);
      return { ...p, reasons: next };
    });
  const addReason = () =>
    setPolicy((p) => ({
      ...p,
      reasons: [
        ...p.reasons,
        {
          id: `reason_${p.reasons.length + 1}`,
          label: { en: "", ko: "", ja: "", fa: "" },
          requireNote: false,
          shopifyReason: "OTHER",
        },
      ],
    }));

  async function pickProducts() {
    const selected = await shopify.resourcePicker({
      type: "product",
      multiple: true,
      action: "select",
      selectionIds: policy.exclusions.productIds.map((id) => ({ id })),
    });
    if (selected) set("exclusions", { productIds: selected.map((p) => p.id) });
  }
  async function pickCollections() {
    const selected = await shopify.resourcePicker({
      type: "collection",
      multiple: 50,
      action: "select",
      selectionIds: policy.exclusions.collections.map((c) => ({ id: c.id })),
    });
    if (selected) set("exclusions", { collections: selected.map((c) => ({ id: c.id, title: c.title })) });
  }
  const excludedCollections = policy.exclusions.collections;
  const productCount = policy.exclusions.productIds.length;

  return (
    <>
      <SaveBar id="returns-policy-save-bar">
        <button type="button" variant="primary" onClick={submit} disabled={save.state !== "idle"}>
          {t("form.save")}
        </button>
        <button type="button" onClick={discard}>
          {t("form.discard")}
        </button>
      </SaveBar>
      <BlockStack gap="400">
        <NotSavedBanner
          title={t("policy.notSaved")}
          problems={problems}
          stale={Boolean(save.data && "conflict" in save.data)}
        />
        <Layout>
          <Layout.AnnotatedSection title={t("policy.window")} description={t("policy.windowHelp")}>
            <Card>
              <FormLayout>
                <Checkbox
                  label={t("policy.enabled")}
                  checked={policy.enabled}
                  onChange={(enabled) => setPolicy((p) => ({ ...p, enabled }))}
                />
                <Checkbox
                  label={t("policy.lookup")}
                  helpText={t("policy.lookupHelp")}
                  checked={policy.storefrontLookup}
                  onChange={(storefrontLookup) => setPolicy((p) => ({ ...p, storefrontLookup }))}
                />
                {policy.storefrontLookup ? (
                  <Banner tone="warning" title={t("policy.lookupWarning")}>
                    {t("policy.lookupWarningBody")}
                  </Banner>
                ) : null}
                <TextField
                  label={t("policy.windowDays")}
                  type="number"
                  min={1}
                  max={365}
                  value={Number.isNaN(policy.windowDays) ? "" : String(policy.windowDays)}
                  onChange={(v) => setPolicy((p) => ({ ...p, windowDays: num(v) }))}
                  error={problemAt("windowDays")}
                  autoComplete="off"
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("policy.exclusions")} description={t("policy.exclusionsHelp")}>
            <Card>
              <FormLayout>
                <TextField
                  label={t("policy.tags")}
                  value={tags}
                  onChange={(v) => {
                    setTags(v);
                    set("exclusions", {
                      tags: v
                        .split(",")
                        .map((t) => t.trim())
                        .filter(Boolean),
                    });
                  }}
                  helpText={t("policy.tagsHelp")}
                  error={problemAt("exclusions.tags")}
                  autoComplete="off"
                />
                <InlineStack gap="300" blockAlign="center">
                  <Text as="span">{t("policy.productsExcluded", { count: productCount })}</Text>
                  <Button onClick={pickProducts}>{t("policy.chooseProducts")}</Button>
                  {productCount ? (
                    <Button variant="plain" onClick={() => set("exclusions", { productIds: [] })}>
                      {t("policy.clear")}
                    </Button>
                  ) : null}
                </InlineStack>
                <BlockStack gap="200">
                  <InlineStack gap="300" blockAlign="center">
                    <Text as="span">
                      {excludedCollections.length
                        ? t("policy.collectionsExcluded", { count: excludedCollections.length })
                        : t("policy.noCollections")}
                    </Text>
                    <Button onClick={pickCollections}>{t("policy.chooseCollections")}</Button>
                  </InlineStack>
                  {excludedCollections.length ? (
                    <InlineStack gap="200">
                      {excludedCollections.map((c) => (
                        <Tag
                          key={c.id}
                          onRemove={() =>
                            set("exclusions", { collections: excludedCollections.filter((x) => x.id !== c.id) })
                          }
                        >
                          {c.title}
                        </Tag>
                      ))}
                    </InlineStack>
                  ) : null}
                  <Text as="p" tone="subdued" variant="bodySm">
                    {t("policy.collectionsHelp")}
                  </Text>
                  {problemAt("exclusions.collections") ? (
                    <InlineError message={problemAt("exclusions.collections")!} fieldID="excluded-collections" />
                  ) : null}
                </BlockStack>
                <Checkbox
                  label={t("policy.discounted")}
                  checked={policy.exclusions.discountedItems}
                  onChange={(discountedItems) => set("exclusions", { discountedItems })}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("policy.reasons")} description={t("policy.reasonsHelp")}>
            <Card>
              <BlockStack gap="400">
                {problemAt("reasons") ? <Banner tone="critical">{problemAt("reasons")}</Banner> : null}
                {reasons.map((r, i) => (
                  // The row edits its own id: keyed by it, the row would remount, losing focus, at each keystroke.
                  // eslint-disable-next-line react/no-array-index-key -- see above
                  <BlockStack gap="200" key={i}>
                    <InlineGrid columns={{ xs: 1, md: "2fr 1fr 1fr" }} gap="200">
                      <TextField
                        label={t("policy.reasonLabel", { number: i + 1 })}
                        value={r.label.en}
                        onChange={(en) => setReason(i, { label: { ...r.label, en } })}
                        error={problemAt(`reasons.${i}.label`)}
                        autoComplete="off"
                      />
                      <TextField
                        label={t("policy.code")}
                        value={r.id}
                        onChange={(id) => setReason(i, { id })}
                        error={problemAt(`reasons.${i}.id`)}
                        autoComplete="off"
                        helpText={t("policy.codeHelp")}
                      />
                      <Select
                        label={t("policy.shopifyReason")}
                        options={SHOPIFY_RETURN_REASONS.map((v) => ({
                          value: v,
                          label: t(`shopifyReturnReason.${v}`),
                        }))}
                        value={r.shopifyReason}
                        onChange={(v) => setReason(i, { shopifyReason: v as never })}
                      />
                    </InlineGrid>
                    <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                      {LANGUAGES.filter((l) => l !== "en").map((l) => (
                        <TextField
                          key={l}
                          label={t(`language.${l}`)}
                          value={r.label[l]}
                          onChange={(v) => setReason(i, { label: { ...r.label, [l]: v } })}
                          autoComplete="off"
                        />
                      ))}
                    </InlineGrid>
                    <InlineStack gap="300" blockAlign="center">
                      <Checkbox
                        label={t("policy.askNote")}
                        checked={r.requireNote}
                        onChange={(requireNote) => setReason(i, { requireNote })}
                      />
                      <Checkbox
                        label={t("policy.askPhotos")}
                        helpText={t("policy.askPhotosHelp")}
                        checked={asksForPhotos(r)}
                        onChange={(askPhotos) => setReason(i, { askPhotos })}
                      />
                      <Button
                        variant="plain"
                        disabled={i === 0}
                        onClick={() => moveReason(i, -1)}
                        accessibilityLabel={t("policy.moveUpLabel", {
                          reason: r.label.en || t("policy.reasonFallback"),
                        })}
                      >
                        {t("policy.moveUp")}
                      </Button>
                      <Button
                        variant="plain"
                        disabled={i === reasons.length - 1}
                        onClick={() => moveReason(i, 1)}
                        accessibilityLabel={t("policy.moveDownLabel", {
                          reason: r.label.en || t("policy.reasonFallback"),
                        })}
                      >
                        {t("policy.moveDown")}
                      </Button>
                      <Button
                        variant="plain"
                        tone="critical"
                        disabled={reasons.length === 1}
                        onClick={() => setPolicy((p) => ({ ...p, reasons: p.reasons.filter((_, j) => j !== i) }))}
                      >
                        {t("policy.remove")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                ))}
                <InlineStack>
                  <Button onClick={addReason}>{t("policy.addReason")}</Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("policy.resolutions")} description={t("policy.resolutionsHelp")}>
            <Card>
              <FormLayout>
                {problemAt("resolutions") ? <Banner tone="critical">{problemAt("resolutions")}</Banner> : null}
                <Checkbox
                  label={t("policy.refund")}
                  checked={policy.resolutions.refund}
                  onChange={(refund) => set("resolutions", { refund })}
                />
                <FormLayout.Group>
                  <Checkbox
                    label={t("policy.storeCredit")}
                    checked={policy.resolutions.storeCredit}
                    onChange={(storeCredit) => set("resolutions", { storeCredit })}
                  />
                  <TextField
                    label={t("policy.storeCreditBonus")}
                    type="number"
                    min={0}
                    max={100}
                    value={String(policy.resolutions.storeCreditBonusPercent)}
                    onChange={(v) => set("resolutions", { storeCreditBonusPercent: num(v) })}
                    error={problemAt("resolutions.storeCreditBonusPercent")}
                    autoComplete="off"
                  />
                </FormLayout.Group>
                <Checkbox
                  label={t("policy.exchangeVariant")}
                  checked={policy.resolutions.exchangeVariant}
                  onChange={(exchangeVariant) => set("resolutions", { exchangeVariant })}
                />
                <FormLayout.Group>
                  <Checkbox
                    label={t("policy.exchangeAny")}
                    checked={policy.resolutions.exchangeAny}
                    onChange={(exchangeAny) => set("resolutions", { exchangeAny })}
                  />
                  <TextField
                    label={t("policy.exchangeBonus")}
                    type="number"
                    min={0}
                    max={100}
                    value={String(policy.resolutions.exchangeBonusPercent)}
                    onChange={(v) => set("resolutions", { exchangeBonusPercent: num(v) })}
                    error={problemAt("resolutions.exchangeBonusPercent")}
                    autoComplete="off"
                  />
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("policy.fees")} description={t("policy.feesHelp")}>
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  <TextField
                    label={t("policy.restocking")}
                    type="number"
                    min={0}
                    max={100}
                    value={String(policy.fees.restockingPercent)}
                    onChange={(v) => set("fees", { restockingPercent: num(v) })}
                    error={problemAt("fees.restockingPercent")}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("policy.shippingFee", { currency })}
                    value={shippingFee}
                    onChange={(v) => {
                      setShippingFee(v);
                      set("fees", { returnShippingMinor: money(v) });
                    }}
                    error={
                      problemAt("fees.returnShippingMinor")
                        ? t("policy.amountLike", { problem: problemAt("fees.returnShippingMinor")! })
                        : undefined
                    }
                    autoComplete="off"
                  />
                </FormLayout.Group>
                <Checkbox
                  label={t("policy.waive")}
                  checked={policy.fees.waiveForExchanges}
                  onChange={(waiveForExchanges) => set("fees", { waiveForExchanges })}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("policy.autoApprove")} description={t("policy.autoApproveHelp")}>
            <Card>
              <FormLayout>
                <Checkbox
                  label={t("policy.autoApproveOn")}
                  checked={policy.autoApprove.enabled}
                  onChange={(enabled) => set("autoApprove", { enabled })}
                />
                <ChoiceList
                  allowMultiple
                  title={t("policy.autoApproveReasons")}
                  choices={reasons.map((r) => ({ label: reasonName(r), value: r.id }))}
                  selected={policy.autoApprove.reasons}
                  onChange={(selected) => set("autoApprove", { reasons: selected })}
                  error={problemAt("autoApprove.reasons")}
                />
                <FormLayout.Group>
                  <TextField
                    label={t("policy.maxOrderValue", { currency })}
                    value={maxValue}
                    onChange={(v) => {
                      setMaxValue(v);
                      set("autoApprove", { maxOrderValueMinor: v.trim() === "" ? null : money(v) });
                    }}
                    helpText={t("policy.maxOrderValueHelp")}
                    error={problemAt("autoApprove.maxOrderValueMinor")}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("policy.maxPriorReturns")}
                    type="number"
                    min={0}
                    value={
                      policy.autoApprove.maxPriorReturns === null ? "" : String(policy.autoApprove.maxPriorReturns)
                    }
                    onChange={(v) => set("autoApprove", { maxPriorReturns: v.trim() === "" ? null : num(v) })}
                    helpText={t("policy.maxPriorReturnsHelp")}
                    error={problemAt("autoApprove.maxPriorReturns")}
                    autoComplete="off"
                  />
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("policy.instructions")} description={t("policy.instructionsHelp")}>
            <Card>
              <FormLayout>
                {LANGUAGES.map((l) => (
                  <TextField
                    key={l}
                    label={t("policy.instructionsIn", { language: t(`language.${l}`) })}
                    multiline={3}
                    value={policy.instructions[l]}
                    onChange={(v) => set("instructions", { [l]: v })}
                    error={problemAt(`instructions.${l}`)}
                    autoComplete="off"
                  />
                ))}
                <TextField
                  label={t("policy.returnAddress")}
                  multiline={4}
                  value={policy.returnAddress}
                  onChange={(returnAddress) => setPolicy((p) => ({ ...p, returnAddress }))}
                  error={problemAt("returnAddress")}
                  autoComplete="street-address"
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
        <InlineStack align="end">
          <Button variant="primary" onClick={submit} loading={save.state !== "idle"} disabled={!dirty}>
            {t("form.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </>
  );
}
