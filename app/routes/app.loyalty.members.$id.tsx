import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Text,
  TextField,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { actorLabel, codeLabel } from "../locales/admin/codes";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { env } from "../env.server";
import {
  ADJUSTMENT_MAX,
  adjustmentSchema,
  adjustPoints,
  memberDetail,
  REASON_MAX,
} from "../services/loyalty/admin.server";
import { LoyaltyError } from "../services/loyalty/redemption.server";
import { MemberNotFoundError } from "../services/loyalty/ledger.server";
import { loadLoyaltySettings } from "../services/loyalty/settings.server";
import { listStaffMembers } from "../models/staff.server";
import { actingStaff, staffName } from "../services/staff.server";
import { currencyNameFor, type LoyaltySettings } from "../domain/loyalty/settings";
import type { AdminLocale, AdminMessageKey } from "../locales/admin";
import en from "../locales/admin/en.json";
import { fieldProblem, problemText, type FieldProblem } from "../locales/admin/problems";
import { loyaltyRefusalSaid } from "../locales/admin/refusals";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const [detail, settings, staff] = await Promise.all([
    memberDetail(db(), session.shop, params.id ?? "", now),
    loadLoyaltySettings(db(), session.shop),
    listStaffMembers(db(), session.shop),
  ]);
  if (!detail)
    throw new Response("No such member in this shop. They may have been removed at the customer's request.", {
      status: 404,
    });
  const { member, balance, ledger, redemptions } = detail;
  // Times go to the page as instants: it shows them in the admin's language and the shop's zone.
  return json({
    currencyNames: settings.currencyName,
    // Who made manual adjustments ("staff:<id>" in the ledger), by name.
    staffNames: Object.fromEntries(staff.map((m) => [m.userId, staffName(m)])),
    member: {
      id: member.id,
      who: member.email,
      customerId: member.customerShopifyId?.split("/").pop() ?? null,
      tier: settings.tiers.find((t) => t.key === member.tierKey)?.name ?? null,
      birthday: member.birthdayMonth ? { month: member.birthdayMonth, day: member.birthdayDay ?? 1 } : null,
      since: member.createdAt,
    },
    balance,
    ledger: ledger.map((e) => ({
      id: e.id,
      at: e.createdAt,
      kind: e.kind,
      points: e.points,
      pendingUntil: e.availableAt > now ? e.availableAt : null,
      reason: e.reason,
      actor: e.actor,
    })),
    redemptions: redemptions.map((r) => ({
      id: r.id,
      at: r.createdAt,
      title: r.rewardTitle,
      points: r.points,
      status: r.status,
      code: r.code,
    })),
  });
};

/** A refused adjustment, by field ("form" for the whole): each a locale key with its values and its English. */
type ActionAnswer = { ok: true; points: number } | { ok: false; errors: Record<string, FieldProblem> };

const ADJUSTMENT_VALUES: Partial<Record<AdminMessageKey, Record<string, number>>> = {
  "member.error.tooMany": { max: ADJUSTMENT_MAX },
  "member.error.reasonTooLong": { max: REASON_MAX },
};
const isKey = (text: string): text is AdminMessageKey => Object.hasOwn(en, text);

/** Manual adjustment: form fields points, reason and a one-time token so a double submit books once. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const form = await request.formData().catch(() => null);
  if (!form)
    return json<ActionAnswer>(
      { ok: false, errors: { form: fieldProblem("", "member.error.unreadable") } },
      { status: 400 },
    );
  const parsed = adjustmentSchema.safeParse({ points: form.get("points") ?? "", reason: form.get("reason") ?? "" });
  if (!parsed.success) {
    const errors: Record<string, FieldProblem> = {};
    for (const issue of parsed.error.issues) {
      const path = String(issue.path[0] ?? "form");
      // The schema names its messages by key; anything else about points is not a whole number.
      const key: AdminMessageKey = isKey(issue.message)
        ? issue.message
        : path === "reason"
          ? "member.error.reason"
          : "member.error.wholeNumber";
      errors[path] ??= fieldProblem(path, key, ADJUSTMENT_VALUES[key]);
    }
    return json<ActionAnswer>({ ok: false, errors }, { status: 400 });
  }
  const config = env();
  // Records the staff member's name (Shopify's token exchange) so the history shows who adjusted.
  const staff = (
    await actingStaff(
      { db: db(), apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET, now: new Date() },
      request,
      auth,
    )
  )?.userId;
  try {
    const result = await adjustPoints(db(), auth.session.shop, {
      memberId: params.id ?? "",
      points: parsed.data.points,
      reason: parsed.data.reason,
      actor: staff ? `staff:${staff}` : "staff",
      token: String(form.get("token") ?? ""),
      now: new Date(),
    });
    return json<ActionAnswer>({ ok: true, points: result.status === "posted" ? result.points : 0 });
  } catch (error) {
    if (error instanceof LoyaltyError) {
      const { said: refusal } = loyaltyRefusalSaid(error);
      return json<ActionAnswer>(
        { ok: false, errors: { points: fieldProblem("points", refusal.key, refusal.values) } },
        { status: error.status },
      );
    }
    if (error instanceof MemberNotFoundError)
      return json<ActionAnswer>(
        { ok: false, errors: { form: fieldProblem("", "member.error.notFound") } },
        { status: 404 },
      );
    throw error;
  }
};

/** A birthday (no year) as the admin's language writes a month and day. */
const birthday = (b: { month: number; day: number }, locale: AdminLocale) =>
  new Intl.DateTimeFormat(locale, { month: "long", day: "numeric", timeZone: "UTC" }).format(
    Date.UTC(2000, b.month - 1, b.day),
  );

const newToken = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2, 12)}`;

export default function LoyaltyMemberPage() {
  const t = useT();
  const format = useAdminFormat();
  const { member, balance, ledger, redemptions, currencyNames, staffNames } = useLoaderData<typeof loader>();
  const currencyName = currencyNameFor({ currencyName: currencyNames } as LoyaltySettings, format.locale);
  const amount = (points: number) => t("member.amount", { points: format.number(points), name: currencyName });
  const navigate = useNavigate();
  const shopify = useAppBridge();
  const adjust = useFetcher<ActionAnswer>();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [token, setToken] = useState(newToken);
  const problems = adjust.data && !adjust.data.ok ? adjust.data.errors : {};
  const errors = Object.fromEntries(Object.entries(problems).map(([at, p]) => [at, problemText(t, p)]));

  useEffect(() => {
    if (adjust.state !== "idle" || !adjust.data?.ok) return;
    const booked = adjust.data.points;
    shopify.toast.show(
      t(booked > 0 ? "member.added" : "member.took", { points: format.number(Math.abs(booked)), name: currencyName }),
    );
    setPoints("");
    setReason("");
    setToken(newToken());
  }, [adjust.state, adjust.data, shopify, currencyName, t, format]);

  return (
    <BlockStack gap="400">
      <InlineStack align="space-between" blockAlign="center">
        <BlockStack>
          <Text as="h2" variant="headingLg">
            {member.who ?? t("members.noEmail")}
          </Text>
          <Text as="p" tone="subdued">
            {[
              member.customerId ? t("members.customer", { id: member.customerId }) : t("members.guest"),
              member.tier ? t("member.tier", { tier: member.tier }) : t("members.noTier"),
              member.birthday ? t("member.birthday", { date: birthday(member.birthday, format.locale) }) : null,
              t("member.since", { date: format.date(member.since) }),
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </BlockStack>
        <Button onClick={() => navigate("/app/loyalty/members")}>{t("member.all")}</Button>
      </InlineStack>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
        {[
          { label: t("member.available"), value: balance.available },
          { label: t("member.pending"), value: balance.pending },
          { label: t("member.balance"), value: balance.total },
        ].map((s) => (
          <Card key={s.label}>
            <BlockStack gap="100">
              <Text as="span" tone="subdued">
                {s.label}
              </Text>
              <Text as="p" variant="headingXl" numeric>
                {amount(s.value)}
              </Text>
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: t("member.resource.singular"), plural: t("member.resource.plural") }}
              itemCount={ledger.length}
              selectable={false}
              emptyState={
                <Text as="p" tone="subdued">
                  {t("member.noPoints")}
                </Text>
              }
              headings={[
                { title: t("member.column.when") },
                { title: t("member.column.what") },
                { title: t("member.column.points"), alignment: "end" },
                { title: t("member.column.note") },
              ]}
            >
              {ledger.map((e, index) => (
                <IndexTable.Row id={e.id} key={e.id} position={index}>
                  <IndexTable.Cell>{format.dateTime(e.at)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      <span>{codeLabel(t, "member.kind", e.kind)}</span>
                      {e.pendingUntil ? (
                        <Badge tone="attention">
                          {t("member.pendingUntil", { date: format.dateTime(e.pendingUntil) })}
                        </Badge>
                      ) : null}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric tone={e.points < 0 ? "critical" : undefined}>
                      {format.number(e.points, { signDisplay: "exceptZero" })}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" variant="bodySm" breakWord>
                      {[e.reason, actorLabel(t, e.actor, staffNames)].filter(Boolean).join(" · ") || "—"}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <adjust.Form method="post">
                <BlockStack gap="300">
                  <Text as="h3" variant="headingMd">
                    {t("member.adjust.title")}
                  </Text>
                  {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
                  <input type="hidden" name="token" value={token} />
                  <FormLayout>
                    <TextField
                      label={t("member.adjust.points")}
                      name="points"
                      type="number"
                      value={points}
                      onChange={setPoints}
                      autoComplete="off"
                      helpText={t("member.adjust.pointsHelp")}
                      error={errors.points}
                    />
                    <TextField
                      label={t("member.adjust.reason")}
                      name="reason"
                      value={reason}
                      onChange={setReason}
                      autoComplete="off"
                      maxLength={200}
                      placeholder={t("member.adjust.reasonPlaceholder")}
                      helpText={t("member.adjust.reasonHelp")}
                      error={errors.reason}
                    />
                  </FormLayout>
                  <InlineStack align="end">
                    <Button submit variant="primary" loading={adjust.state !== "idle"}>
                      {t("member.adjust.save")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </adjust.Form>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingMd">
                  {t("member.redeemed.title")}
                </Text>
                {redemptions.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("member.redeemed.none")}
                  </Text>
                ) : (
                  redemptions.map((r) => (
                    <InlineStack key={r.id} align="space-between" gap="200">
                      <BlockStack>
                        <Text as="span" fontWeight="semibold">
                          {r.title}
                        </Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {`${format.dateTime(r.at)} · ${amount(r.points)}`}
                          {r.code ? ` · ${r.code}` : ""}
                        </Text>
                      </BlockStack>
                      <Badge tone={r.status === "issued" ? "success" : r.status === "failed" ? "critical" : "info"}>
                        {codeLabel(t, "redemptionStatus", r.status)}
                      </Badge>
                    </InlineStack>
                  ))
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
