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
import { useT } from "../locales/admin/use-admin-language";
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
  REWARD_KIND_LABELS,
  REWARD_KINDS,
  rewardFromForm,
  type FormErrors,
  type RewardForm,
  type RewardKind,
} from "../domain/loyalty/admin-form";
import { formatMoney, fromMinor } from "../domain/shared/money";
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

type ActionAnswer = { ok: true; message: string } | { ok: false; errors: FormErrors };

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
      return json<ActionAnswer>({ ok: true, message: body.active === true ? "Reward turned on" : "Reward turned off" });
    }
    if (body.intent === "create" || (body.intent === "update" && typeof body.id === "string")) {
      const converted = rewardFromForm(body.reward ?? {}, await shopCurrency(db(), shop));
      if (!converted.ok) return json<ActionAnswer>(converted, { status: 400 });
      const result =
        body.intent === "create"
          ? await createReward(db(), shop, converted.reward)
          : await updateReward(db(), shop, body.id as string, converted.reward);
      if (!result.ok) return json<ActionAnswer>(result, { status: 400 });
      return json<ActionAnswer>({ ok: true, message: body.intent === "create" ? "Reward added" : "Reward saved" });
    }
  } catch (error) {
    if (error instanceof LoyaltyError)
      return json<ActionAnswer>(
        { ok: false, errors: [fieldProblem("", "form.error.plain", { text: error.message })] },
        { status: error.status },
      );
    throw error;
  }
  return json<ActionAnswer>({ ok: false, errors: [fieldProblem("", "form.error.unknownIntent")] }, { status: 400 });
};

/** The storefront's languages besides English, for the reward's translated titles. */
const TITLE_LANGUAGES = [
  ["ko", "Korean"],
  ["ja", "Japanese"],
  ["fa", "Persian"],
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
  const errorAt = useFieldProblems(errors);

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok) {
      shopify.toast.show(save.data.message);
      setEditing(null);
    }
  }, [save.state, save.data, shopify]);
  useEffect(() => {
    if (toggle.state === "idle" && toggle.data)
      shopify.toast.show(
        toggle.data.ok ? toggle.data.message : toggle.data.errors.map((p) => problemText(t, p)).join(" "),
        {
          isError: !toggle.data.ok,
        },
      );
  }, [toggle.state, toggle.data, shopify, t]);

  const money = (minor: number) => formatMoney({ amountMinor: minor, currency });
  const describe = (r: (typeof rewards)[number]) =>
    r.kind === "percentage"
      ? `${r.percentOff}% off`
      : r.kind === "free_shipping"
        ? "Free shipping"
        : r.kind === "store_credit"
          ? `${money(r.valueMinor ?? 0)} store credit`
          : `${money(r.valueMinor ?? 0)} off`;
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
          Members spend points on these. Amount and percent off and free shipping become a single-use code for that
          customer; store credit goes to their Shopify store credit.
        </Text>
        <Button variant="primary" onClick={() => setEditing({ id: null, form: EMPTY })}>
          Add reward
        </Button>
      </InlineStack>
      <Card padding="0">
        {rewards.length === 0 ? (
          <EmptyState
            heading="No rewards yet"
            image=""
            action={{ content: "Add reward", onAction: () => setEditing({ id: null, form: EMPTY }) }}
          >
            <p>Add at least one reward so members have something to spend their points on.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "reward", plural: "rewards" }}
            itemCount={rewards.length}
            selectable={false}
            headings={[
              { title: "Reward" },
              { title: "Gives" },
              { title: "Points" },
              { title: "Minimum order" },
              { title: "Status" },
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
                <IndexTable.Cell>{r.pointsCost.toLocaleString("en-US")}</IndexTable.Cell>
                <IndexTable.Cell>{r.minimumOrderMinor ? money(r.minimumOrderMinor) : "—"}</IndexTable.Cell>
                <IndexTable.Cell>{r.active ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}</IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="200" align="end">
                    <Button size="slim" onClick={() => edit(r)} accessibilityLabel={`Edit ${r.title}`}>
                      Edit
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
                      accessibilityLabel={`${r.active ? "Turn off" : "Turn on"} ${r.title}`}
                    >
                      {r.active ? "Turn off" : "Turn on"}
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
        title={editing?.id ? "Edit reward" : "Add reward"}
        primaryAction={{ content: "Save reward", onAction: submit, loading: save.state !== "idle" }}
        secondaryActions={[{ content: "Cancel", onAction: () => setEditing(null) }]}
      >
        <Modal.Section>
          {f ? (
            <BlockStack gap="300">
              <NotSavedBanner problems={errors} />
              <FormLayout>
                <Select
                  label="Gives"
                  options={REWARD_KINDS.map((k) => ({ label: REWARD_KIND_LABELS[k], value: k }))}
                  value={f.kind}
                  onChange={(v) => set({ kind: v as RewardKind })}
                  error={errorAt("kind")}
                />
                <TextField
                  label="Name shoppers see"
                  value={f.title}
                  onChange={(v) => set({ title: v })}
                  autoComplete="off"
                  maxLength={REWARD_TITLE_MAX}
                  placeholder="$5 off your next order"
                  helpText="In English, and in any language left empty below."
                  error={errorAt("title")}
                />
                <FormLayout.Group condensed>
                  {TITLE_LANGUAGES.map(([language, label]) => (
                    <TextField
                      key={language}
                      label={`Name in ${label}`}
                      value={f.titles[language]}
                      onChange={(v) => set({ titles: { ...f.titles, [language]: v } })}
                      autoComplete="off"
                      maxLength={REWARD_TITLE_MAX}
                      placeholder={f.title}
                      helpText="Shown to shoppers browsing in this language."
                      error={errorAt(`titles.${language}`)}
                    />
                  ))}
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField
                    label="Points cost"
                    type="number"
                    min={1}
                    value={f.pointsCost}
                    onChange={(v) => set({ pointsCost: v })}
                    autoComplete="off"
                    error={errorAt("pointsCost")}
                  />
                  {f.kind === "fixed_amount" || f.kind === "store_credit" ? (
                    <TextField
                      label={`Amount (${currency})`}
                      value={f.value}
                      onChange={(v) => set({ value: v })}
                      autoComplete="off"
                      inputMode="decimal"
                      error={errorAt("valueMinor")}
                    />
                  ) : null}
                  {f.kind === "percentage" ? (
                    <TextField
                      label="Percent off"
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
                    label={`Minimum order (${currency}, optional)`}
                    value={f.minimumOrder}
                    onChange={(v) => set({ minimumOrder: v })}
                    autoComplete="off"
                    inputMode="decimal"
                    helpText="Leave empty for no minimum."
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
