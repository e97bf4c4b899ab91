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

import { actorLabel } from "../locales/admin/codes";
import { useT } from "../locales/admin/use-admin-language";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { adjustmentSchema, adjustPoints, memberDetail } from "../services/loyalty/admin.server";
import { LoyaltyError } from "../services/loyalty/redemption.server";
import { MemberNotFoundError } from "../services/loyalty/ledger.server";
import { loadLoyaltySettings } from "../services/loyalty/settings.server";
import { shopProfile } from "../models/shop.server";
import { formatShopTime } from "../utils/format";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const now = new Date();
  const [detail, settings, profile] = await Promise.all([
    memberDetail(db(), session.shop, params.id ?? "", now),
    loadLoyaltySettings(db(), session.shop),
    shopProfile(db(), session.shop),
  ]);
  if (!detail)
    throw new Response("No such member in this shop. They may have been removed at the customer's request.", {
      status: 404,
    });
  const { member, balance, ledger, redemptions } = detail;
  const time = (d: Date) => formatShopTime(d, profile.timeZone);
  return json({
    currencyName: settings.currencyName.en,
    member: {
      id: member.id,
      who: member.email ?? "(no email)",
      customerId: member.customerShopifyId?.split("/").pop() ?? null,
      tier: settings.tiers.find((t) => t.key === member.tierKey)?.name ?? null,
      birthday: member.birthdayMonth ? `${member.birthdayDay}/${member.birthdayMonth}` : null,
      since: time(member.createdAt),
    },
    balance,
    ledger: ledger.map((e) => ({
      id: e.id,
      at: time(e.createdAt),
      kind: e.kind,
      points: e.points,
      pendingUntil: e.availableAt > now ? time(e.availableAt) : null,
      reason: e.reason,
      actor: e.actor,
    })),
    redemptions: redemptions.map((r) => ({
      id: r.id,
      at: time(r.createdAt),
      title: r.rewardTitle,
      points: r.points,
      status: r.status,
      code: r.code,
    })),
  });
};

type ActionAnswer = { ok: true; points: number } | { ok: false; errors: Record<string, string> };

/** Manual adjustment: form fields points, reason and a one-time token so a double submit books once. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const form = await request.formData().catch(() => null);
  if (!form)
    return json<ActionAnswer>(
      { ok: false, errors: { form: "The adjustment could not be read. Reload the page and try again." } },
      { status: 400 },
    );
  const parsed = adjustmentSchema.safeParse({ points: form.get("points") ?? "", reason: form.get("reason") ?? "" });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues)
      errors[String(issue.path[0] ?? "form")] ??=
        issue.path[0] === "points" && issue.code === "invalid_type"
          ? "Enter a whole number of points, e.g. 50 or -50"
          : issue.message;
    return json<ActionAnswer>({ ok: false, errors }, { status: 400 });
  }
  const staff = (auth as { sessionToken?: { sub?: string } }).sessionToken?.sub;
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
    if (error instanceof LoyaltyError)
      return json<ActionAnswer>({ ok: false, errors: { points: error.message } }, { status: error.status });
    if (error instanceof MemberNotFoundError)
      return json<ActionAnswer>({ ok: false, errors: { form: "No such member in this shop." } }, { status: 404 });
    throw error;
  }
};

const KIND_LABELS: Record<string, string> = {
  earn_order: "Order",
  reverse_refund: "Refund",
  reverse_cancel: "Cancellation",
  signup: "Sign-up bonus",
  birthday: "Birthday bonus",
  adjust: "Adjustment",
  redeem: "Redeemed",
  redeem_return: "Points returned",
  expire: "Expired",
  merge_in: "Moved in from guest orders",
  merge_out: "Moved to account",
};

const newToken = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2, 12)}`;

export default function LoyaltyMemberPage() {
  const t = useT();
  const { member, balance, ledger, redemptions, currencyName } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const shopify = useAppBridge();
  const adjust = useFetcher<ActionAnswer>();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [token, setToken] = useState(newToken);
  const errors = adjust.data && !adjust.data.ok ? adjust.data.errors : {};

  useEffect(() => {
    if (adjust.state !== "idle" || !adjust.data?.ok) return;
    const booked = adjust.data.points;
    shopify.toast.show(`${booked > 0 ? "Added" : "Took"} ${Math.abs(booked).toLocaleString("en-US")} ${currencyName}`);
    setPoints("");
    setReason("");
    setToken(newToken());
  }, [adjust.state, adjust.data, shopify, currencyName]);

  return (
    <BlockStack gap="400">
      <InlineStack align="space-between" blockAlign="center">
        <BlockStack>
          <Text as="h2" variant="headingLg">
            {member.who}
          </Text>
          <Text as="p" tone="subdued">
            {[
              member.customerId ? `Customer ${member.customerId}` : "Guest (no account yet)",
              member.tier ? `Tier: ${member.tier}` : "No tier",
              member.birthday ? `Birthday ${member.birthday}` : null,
              `Member since ${member.since}`,
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </BlockStack>
        <Button onClick={() => navigate("/app/loyalty/members")}>All members</Button>
      </InlineStack>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
        {[
          { label: "Available to spend", value: balance.available },
          { label: "Pending", value: balance.pending },
          { label: "Balance", value: balance.total },
        ].map((s) => (
          <Card key={s.label}>
            <BlockStack gap="100">
              <Text as="span" tone="subdued">
                {s.label}
              </Text>
              <Text as="p" variant="headingXl" numeric>{`${s.value.toLocaleString("en-US")} ${currencyName}`}</Text>
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "entry", plural: "entries" }}
              itemCount={ledger.length}
              selectable={false}
              emptyState={
                <Text as="p" tone="subdued">
                  No points yet.
                </Text>
              }
              headings={[
                { title: "When" },
                { title: "What" },
                { title: "Points", alignment: "end" },
                { title: "Note" },
              ]}
            >
              {ledger.map((e, index) => (
                <IndexTable.Row id={e.id} key={e.id} position={index}>
                  <IndexTable.Cell>{e.at}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      <span>{KIND_LABELS[e.kind] ?? e.kind}</span>
                      {e.pendingUntil ? <Badge tone="attention">{`Pending until ${e.pendingUntil}`}</Badge> : null}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text
                      as="span"
                      alignment="end"
                      numeric
                      tone={e.points < 0 ? "critical" : undefined}
                    >{`${e.points > 0 ? "+" : ""}${e.points.toLocaleString("en-US")}`}</Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" variant="bodySm" breakWord>
                      {[e.reason, actorLabel(t, e.actor)].filter(Boolean).join(" · ") || "—"}
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
                    Adjust points
                  </Text>
                  {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
                  <input type="hidden" name="token" value={token} />
                  <FormLayout>
                    <TextField
                      label="Points"
                      name="points"
                      type="number"
                      value={points}
                      onChange={setPoints}
                      autoComplete="off"
                      helpText="Positive adds, negative takes away. The balance cannot go below zero."
                      error={errors.points}
                    />
                    <TextField
                      label="Reason"
                      name="reason"
                      value={reason}
                      onChange={setReason}
                      autoComplete="off"
                      maxLength={200}
                      placeholder="Goodwill for a late delivery"
                      helpText="Shown in this member's history to staff, not to the shopper."
                      error={errors.reason}
                    />
                  </FormLayout>
                  <InlineStack align="end">
                    <Button submit variant="primary" loading={adjust.state !== "idle"}>
                      Save adjustment
                    </Button>
                  </InlineStack>
                </BlockStack>
              </adjust.Form>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingMd">
                  Rewards redeemed
                </Text>
                {redemptions.length === 0 ? (
                  <Text as="p" tone="subdued">
                    None yet.
                  </Text>
                ) : (
                  redemptions.map((r) => (
                    <InlineStack key={r.id} align="space-between" gap="200">
                      <BlockStack>
                        <Text as="span" fontWeight="semibold">
                          {r.title}
                        </Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {`${r.at} · ${r.points.toLocaleString("en-US")} ${currencyName}`}
                          {r.code ? ` · ${r.code}` : ""}
                        </Text>
                      </BlockStack>
                      <Badge tone={r.status === "issued" ? "success" : r.status === "failed" ? "critical" : "info"}>
                        {r.status}
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
