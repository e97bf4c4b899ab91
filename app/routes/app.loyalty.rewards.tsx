import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Modal,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { authenticate } from "../shopify.server";
import { NotSavedBanner, useFieldProblems } from "../components/NotSavedBanner";
import { fieldProblem, problemText } from "../locales/admin/problems";
import { loyaltyRefusalSaid } from "../locales/admin/refusals";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";
import { said, translator, type AdminMessageKey, type Said } from "../locales/admin";
import { db } from "../db.server";
import {
  createReward,
  listRewards,
  setRewardActive,
  shopCurrency,
  updateReward,
} from "../services/loyalty/admin.server";
import { LoyaltyError } from "../services/loyalty/redemption.server";
import {
  REWARD_KINDS,
  rewardFromForm,
  type FormErrors,
  type RewardForm,
  type RewardKind,
} from "../domain/loyalty/admin-form";
import { fromMinor } from "../domain/shared/money";
import { parseRewardTitles, REWARD_TITLE_MAX } from "../domain/loyalty/rewards";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [rewards, currency] = await Promise.all([listRewards(db(), session.shop), shopCurrency(db(), session.shop)]);
  return json({
    currency,
    rewards: rewards.map((r) => ({
      id: r.id,
      kind: r.kind as RewardKind,
      title: r.title,
      titles: parseRewardTitles(r.titles),
      pointsCost: r.pointsCost,
      valueMinor: r.valueMinor,
      percentOff: r.percentOff,
      minimumOrderMinor: r.minimumOrderMinor,
      active: r.active,
    })),
  });
};

/** `message` in English; `said` the same as a locale key, for the page's toast in the admin's language. */
type ActionAnswer = { ok: true; message: string; said: Said } | { ok: false; errors: FormErrors };

const english = translator("en");
const done = (key: AdminMessageKey): ActionAnswer => ({ ok: true, message: english(key), said: said(key) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  let body: { intent?: unknown; id?: unknown; active?: unknown; reward?: Partial<RewardForm> };
  try {
    body = await request.json();
  } catch {
    return json<ActionAnswer>({ ok: false, errors: [fieldProblem("", "reward.error.unreadable")] }, { status: 400 });
  }
  const shop = session.shop;
  try {
    if (body.intent === "toggle" && typeof body.id === "string") {
      await setRewardActive(db(), shop, body.id, body.active === true);
      return json<ActionAnswer>(done(body.active === true ? "rewards.turnedOn" : "rewards.turnedOff"));
    }
    if (body.intent === "create" || (body.intent === "update" && typeof body.id === "string")) {
      const converted = rewardFromForm(body.reward ?? {}, await shopCurrency(db(), shop));
      if (!converted.ok) return json<ActionAnswer>(converted, { status: 400 });
      const result =
        body.intent === "create"
          ? await createReward(db(), shop, converted.reward)
          : await updateReward(db(), shop, body.id as string, converted.reward);
      if (!result.ok) return json<ActionAnswer>(result, { status: 400 });
      return json<ActionAnswer>(done(body.intent === "create" ? "rewards.added" : "rewards.saved"));
    }
  } catch (error) {
    if (error instanceof LoyaltyError) {
      const { said: refusal } = loyaltyRefusalSaid(error);
      return json<ActionAnswer>(
        { ok: false, errors: [fieldProblem("", refusal.key, refusal.values)] },
        { status: error.status },
      );
    }
    throw error;
  }
  return json<ActionAnswer>({ ok: false, errors: [fieldProblem("", "form.error.unknownIntent")] }, { status: 400 });
};

/** The storefront's languages besides English, for the reward's translated titles. */
const TITLE_LANGUAGES = [
  ["ko", "field.reward.titles.ko"],
  ["ja", "field.reward.titles.ja"],
  ["fa", "field.reward.titles.fa"],
] as const;

const EMPTY: RewardForm = {
  kind: "fixed_amount",
  title: "",
  titles: { ko: "", ja: "", fa: "" },
  pointsCost: "500",
  value: "5.00",
  percentOff: "10",
  minimumOrder: "",
};

export default function LoyaltyRewardsPage() {
  const { rewards, currency } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const save = useFetcher<ActionAnswer>();
  const toggle = useFetcher<ActionAnswer>();
  const [editing, setEditing] = useState<{ id: string | null; form: RewardForm } | null>(null);
  const errors: FormErrors = save.data && !save.data.ok ? save.data.errors : [];
  const t = useT();
  const format = useAdminFormat();
  const errorAt = useFieldProblems(errors);

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok) {
      shopify.toast.show(t(save.data.said.key));
      setEditing(null);
    }
  }, [save.state, save.data, shopify, t]);
  useEffect(() => {
    if (toggle.state === "idle" && toggle.data)
      shopify.toast.show(
        toggle.data.ok ? t(toggle.data.said.key) : toggle.data.errors.map((p) => problemText(t, p)).join(" "),
        {
          isError: !toggle.data.ok,
        },
      );
  }, [toggle.state, toggle.data, shopify, t]);

  const money = (minor: number) => format.money(minor, currency);
  const describe = (r: (typeof rewards)[number]) =>
    r.kind === "percentage"
      ? t("rewards.gives.percentage", { percent: r.percentOff ?? 0 })
      : r.kind === "free_shipping"
        ? t("rewards.kind.free_shipping")
        : r.kind === "store_credit"
          ? t("rewards.gives.store_credit", { amount: money(r.valueMinor ?? 0) })
          : t("rewards.gives.fixed_amount", { amount: money(r.valueMinor ?? 0) });
  const edit = (r: (typeof rewards)[number]) =>
    setEditing({
      id: r.id,
      form: {
        kind: r.kind,
        title: r.title,
        titles: { ...r.titles },
        pointsCost: String(r.pointsCost),
        value: r.valueMinor ? fromMinor(r.valueMinor, currency) : "",
        percentOff: r.percentOff ? String(r.percentOff) : "",
        minimumOrder: r.minimumOrderMinor ? fromMinor(r.minimumOrderMinor, currency) : "",
      },
    });
  const set = (part: Partial<RewardForm>) => setEditing((e) => (e ? { ...e, form: { ...e.form, ...part } } : e));
  const submit = () =>
    editing &&
    save.submit({ intent: editing.id ? "update" : "create", id: editing.id, reward: editing.form } as never, {
      method: "post",
      encType: "application/json",
    });
  const f = editing?.form;

  return (
    <BlockStack gap="400">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="p" tone="subdued">
          {t("rewards.intro")}
        </Text>
        <Button variant="primary" onClick={() => setEditing({ id: null, form: EMPTY })}>
          {t("rewards.add")}
        </Button>
      </InlineStack>
      <Card padding="0">
        {rewards.length === 0 ? (
          <EmptyState
            heading={t("rewards.empty.title")}
            image=""
            action={{ content: t("rewards.add"), onAction: () => setEditing({ id: null, form: EMPTY }) }}
          >
            <p>{t("rewards.empty.body")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("rewards.resource.singular"), plural: t("rewards.resource.plural") }}
            itemCount={rewards.length}
            selectable={false}
            headings={[
              { title: t("rewards.column.reward") },
              { title: t("rewards.column.gives") },
              { title: t("rewards.column.points") },
              { title: t("rewards.column.minimum") },
              { title: t("rewards.column.status") },
              { title: "" },
            ]}
          >
            {rewards.map((r, index) => (
              <IndexTable.Row id={r.id} key={r.id} position={index}>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {r.title}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{describe(r)}</IndexTable.Cell>
                <IndexTable.Cell>{format.number(r.pointsCost)}</IndexTable.Cell>
                <IndexTable.Cell>{r.minimumOrderMinor ? money(r.minimumOrderMinor) : "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  {r.active ? <Badge tone="success">{t("rewards.on")}</Badge> : <Badge>{t("rewards.off")}</Badge>}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="200" align="end">
                    <Button
                      size="slim"
                      onClick={() => edit(r)}
                      accessibilityLabel={t("rewards.editLabel", { title: r.title })}
                    >
                      {t("rewards.editButton")}
                    </Button>
                    <Button
                      size="slim"
                      disabled={toggle.state !== "idle"}
                      onClick={() =>
                        toggle.submit({ intent: "toggle", id: r.id, active: !r.active } as never, {
                          method: "post",
                          encType: "application/json",
                        })
                      }
                      accessibilityLabel={t(r.active ? "rewards.turnOffLabel" : "rewards.turnOnLabel", {
                        title: r.title,
                      })}
                    >
                      {r.active ? t("rewards.turnOff") : t("rewards.turnOn")}
                    </Button>
                  </InlineStack>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      <Modal
        open={Boolean(editing)}
        onClose={() => setEditing(null)}
        title={editing?.id ? t("rewards.edit") : t("rewards.add")}
        primaryAction={{ content: t("rewards.save"), onAction: submit, loading: save.state !== "idle" }}
        secondaryActions={[{ content: t("rewards.cancel"), onAction: () => setEditing(null) }]}
      >
        <Modal.Section>
          {f ? (
            <BlockStack gap="300">
              <NotSavedBanner problems={errors} />
              <FormLayout>
                <Select
                  label={t("rewards.gives")}
                  options={REWARD_KINDS.map((k) => ({ label: t(`rewards.kind.${k}`), value: k }))}
                  value={f.kind}
                  onChange={(v) => set({ kind: v as RewardKind })}
                  error={errorAt("kind")}
                />
                <TextField
                  label={t("field.reward.title")}
                  value={f.title}
                  onChange={(v) => set({ title: v })}
                  autoComplete="off"
                  maxLength={REWARD_TITLE_MAX}
                  placeholder={t("rewards.titlePlaceholder")}
                  helpText={t("rewards.titleHelp")}
                  error={errorAt("title")}
                />
                <FormLayout.Group condensed>
                  {TITLE_LANGUAGES.map(([language, label]) => (
                    <TextField
                      key={language}
                      label={t(label)}
                      value={f.titles[language]}
                      onChange={(v) => set({ titles: { ...f.titles, [language]: v } })}
                      autoComplete="off"
                      maxLength={REWARD_TITLE_MAX}
                      placeholder={f.title}
                      helpText={t("rewards.titleInHelp")}
                      error={errorAt(`titles.${language}`)}
                    />
                  ))}
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField
                    label={t("field.reward.pointsCost")}
                    type="number"
                    min={1}
                    value={f.pointsCost}
                    onChange={(v) => set({ pointsCost: v })}
                    autoComplete="off"
                    error={errorAt("pointsCost")}
                  />
                  {f.kind === "fixed_amount" || f.kind === "store_credit" ? (
                    <TextField
                      label={t("rewards.amount", { currency })}
                      value={f.value}
                      onChange={(v) => set({ value: v })}
                      autoComplete="off"
                      inputMode="decimal"
                      error={errorAt("valueMinor")}
                    />
                  ) : null}
                  {f.kind === "percentage" ? (
                    <TextField
                      label={t("field.reward.percentOff")}
                      type="number"
                      min={1}
                      max={100}
                      suffix="%"
                      value={f.percentOff}
                      onChange={(v) => set({ percentOff: v })}
                      autoComplete="off"
                      error={errorAt("percentOff")}
                    />
                  ) : null}
                </FormLayout.Group>
                {f.kind === "store_credit" ? null : (
                  <TextField
                    label={t("rewards.minimum", { currency })}
                    value={f.minimumOrder}
                    onChange={(v) => set({ minimumOrder: v })}
                    autoComplete="off"
                    inputMode="decimal"
                    helpText={t("rewards.minimumHelp")}
                    error={errorAt("minimumOrderMinor")}
                  />
                )}
              </FormLayout>
            </BlockStack>
          ) : null}
        </Modal.Section>
      </Modal>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
