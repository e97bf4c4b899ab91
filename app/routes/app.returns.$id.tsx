import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  List,
  Select,
  Text,
  TextField,
  Thumbnail,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { codeLabel } from "../locales/admin/codes";
import { said, type Said } from "../locales/admin";
import { refusalSaid } from "../locales/admin/refusals";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { adminClient } from "../shopify/admin.server";
import { parseDeskAction, returnDetail, runDeskAction } from "../services/returns/desk.server";
import { returnPhotos } from "../services/returns/photos.server";
import { getReturnPolicy } from "../services/returns/policy.server";
import { ReturnsError } from "../services/returns/errors.server";
import { DECLINE_REASON_LABELS, STATUS_TONES } from "../domain/returns/desk";
import {
  DISPOSITIONS,
  isExchange,
  type Disposition,
  type Resolution,
  type ReturnStatus,
} from "../domain/returns/policy";
import { exchangeCreditMinor, exchangePayment, exchangeState, type ExchangeState } from "../domain/returns/exchange";

const DECLINE_REASONS = Object.keys(DECLINE_REASON_LABELS) as (keyof typeof DECLINE_REASON_LABELS)[];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const [detail, policy] = await Promise.all([
    returnDetail(db(), session.shop, params.id ?? ""),
    getReturnPolicy(db(), session.shop),
  ]);
  if (!detail) throw new Response("That return does not exist in this shop.", { status: 404 });
  const { ret, order, fulfillments, history } = detail;
  // The shopper's photos (a reason that asks for them), their images asked of Shopify until processed.
  const photos = await returnPhotos(
    db(),
    adminClient(admin.graphql),
    ret.lines.map((l) => l.id),
    (message, error) => console.error(`[returns] ${message}`, error ?? ""),
  );
  // Amounts in minor units and instants: the page writes them in the admin's language and the shop's zone.
  const money = (minor: number) => minor;
  const time = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  const exchange = isExchange(ret.resolution as Resolution);
  const payment = exchangePayment(ret);
  return json({
    ret: {
      id: ret.id,
      number: ret.number,
      currency: ret.currency,
      status: ret.status as ReturnStatus,
      resolution: ret.resolution as Resolution,
      email: ret.email,
      autoApproved: ret.autoApproved,
      channel: ret.channel,
      shopifyReturnName: ret.shopifyReturnName,
      shopifyStatus: ret.shopifyStatus,
      inShopify: Boolean(ret.shopifyReturnId),
      exchange,
      syncError: ret.syncError,
      // A dearer exchange's price difference, which the shopper pays through Shopify's invoice.
      payment: payment ? { state: payment.state, amount: money(payment.amountMinor) } : null,
      declineReason: ret.declineReason,
      declineNote: ret.declineNote,
      amounts: {
        items: money(ret.itemsMinor),
        restocking: ret.restockingFeeMinor ? money(ret.restockingFeeMinor) : null,
        shipping: ret.shippingFeeMinor ? money(ret.shippingFeeMinor) : null,
        bonus: ret.bonusMinor ? money(ret.bonusMinor) : null,
        // An exchange: the new items, then what is left (bonus included) as store credit.
        newItems: exchange && ret.exchangeMinor ? money(ret.exchangeMinor) : null,
        total: money(exchange ? exchangeCreditMinor(ret) : ret.resolutionMinor),
        credit: exchange && exchangeCreditMinor(ret) > 0 ? money(exchangeCreditMinor(ret)) : null,
      },
      timeline: (
        [
          ["requested", time(ret.requestedAt)],
          ["approved", time(ret.approvedAt)],
          ["declined", time(ret.declinedAt)],
          ["received", time(ret.receivedAt)],
          ["resolved", time(ret.resolvedAt)],
          ["closed", time(ret.closedAt)],
        ] as [ReturnStatus, string | null][]
      ).filter((x): x is [ReturnStatus, string] => x[1] !== null),
      lines: ret.lines.map((l) => ({
        id: l.id,
        title: l.title,
        variantTitle: l.variantTitle,
        quantity: l.quantity,
        unitPrice: money(l.unitPriceMinor),
        reason: l.reasonLabel,
        // The reason in each storefront language the policy names it in: shown in the admin's.
        reasonLabels: policy.reasons.find((r) => r.id === l.reason)?.label ?? null,
        note: l.note,
        photos: photos.get(l.id) ?? [],
        exchangeTitle: l.exchangeTitle,
        exchangeUnitPrice: l.exchangeUnitPriceMinor === null ? null : money(l.exchangeUnitPriceMinor),
        exchangeState: l.exchangeVariantShopifyId ? exchangeState(l) : null,
        disposition: l.disposition as Disposition | null,
      })),
    },
    order: order
      ? {
          name: order.name,
          placed: time(order.processedAt ?? order.shopifyCreatedAt),
          paid: order.money.paidMinor,
          refunded: order.money.refundedMinor,
          currency: order.currency,
          financialStatus: order.financialStatus,
          cancelled: order.cancelledAt !== null,
          lines: order.lineItems.map((li) => ({
            id: li.id,
            title: li.title,
            variantTitle: li.variantTitle,
            quantity: li.quantity,
            price: li.priceMinor,
          })),
        }
      : null,
    fulfillments: fulfillments.map((f) => ({ ...f, shippedAt: time(f.shippedAt), deliveredAt: time(f.deliveredAt) })),
    history: { ...history, returns: history.returns.map((r) => ({ ...r, requestedAt: time(r.requestedAt) })) },
  });
};

// `said`: what happened, for the page to word in the admin's language (`message` stays English for logs).
type ActionAnswer =
  { ok: true; message: string; said: Said } | { ok: false; message: string; said: Said; detail: string | null };

// POST: one desk action on this return (approve, decline, receive, resolve, sync), synced with Shopify.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  try {
    const parsed = parseDeskAction(await request.formData());
    if (parsed.intent === "bulk_approve")
      throw new ReturnsError(400, "unknown_action", "Bulk approval is on the returns desk.");
    const outcome = await runDeskAction(session.shop, params.id ?? "", parsed, {
      db: db(),
      admin: adminClient(admin.graphql),
      secret: env().SHOPIFY_API_SECRET,
    });
    return json<ActionAnswer>({ ok: true, message: outcome.message, said: said(`returnAction.${parsed.intent}`) });
  } catch (error) {
    if (error instanceof ReturnsError)
      return json<ActionAnswer>({ ok: false, message: error.message, ...refusalSaid(error) }, { status: error.status });
    throw error;
  }
};

// Where the replacement is (`returnPage.exchange.<state>`): chosen, in Shopify's return, or on the order to be shipped.
const EXCHANGE_TONES: Record<ExchangeState, "attention" | "info" | "success"> = {
  pending: "attention",
  confirmed: "info",
  added: "success",
};

/** A shipment's carrier and tracking numbers, as the return's page lists them (null: none). */
function trackingText(company: string | null, numbers: string[]) {
  return [company, numbers.join(", ")].filter(Boolean).join(" · ") || null;
}

export default function ReturnPage() {
  const t = useT();
  const format = useAdminFormat();
  const reasonOf = (l: { reason: string; reasonLabels: Record<string, string> | null }) =>
    l.reasonLabels?.[format.locale] || l.reason;
  const { ret, order, fulfillments, history } = useLoaderData<typeof loader>();
  const act = useFetcher<ActionAnswer>();
  const shopify = useAppBridge();
  const [declineReason, setDeclineReason] = useState<string>("OTHER");
  const [declineNote, setDeclineNote] = useState("");
  const [dispositions, setDispositions] = useState<Record<string, string>>(() =>
    Object.fromEntries(ret.lines.map((l) => [l.id, l.disposition ?? ""])),
  );
  const busy = act.state !== "idle";

  useEffect(() => {
    if (act.state !== "idle" || !act.data) return;
    if (act.data.ok) shopify.toast.show(t(act.data.said.key, act.data.said.values));
    else shopify.toast.show(t("returnPage.failed"), { isError: true });
  }, [act.state, act.data, shopify, t]);

  const run = (intent: string, fields: Record<string, string> = {}) =>
    act.submit({ intent, ...fields }, { method: "post" });
  const missingDisposition = ret.lines.some((l) => !dispositions[l.id]);
  const money = (minor: number) => format.money(minor, ret.currency);
  const when = (at: string | null) => (at ? format.dateTime(at) : "");
  const declinedFor = ret.declineReason ? codeLabel(t, "declineReason", ret.declineReason) : t("returnPage.noReason");
  const declinedText = ret.declineNote
    ? t("returnPage.declinedNote", { reason: declinedFor, note: ret.declineNote })
    : t("returnPage.declined", { reason: declinedFor });
  const resolutionText =
    ret.resolution === "refund"
      ? t("returnPage.refunds", { amount: money(ret.amounts.total) })
      : ret.resolution === "store_credit"
        ? t("returnPage.credits", { amount: money(ret.amounts.total) })
        : ret.amounts.credit
          ? t("returnPage.exchangesCredit", { order: order?.name ?? "", amount: money(ret.amounts.credit) })
          : t("returnPage.exchanges", { order: order?.name ?? "" });
  const payment = ret.payment ? { ...ret.payment, amount: money(ret.payment.amount) } : null;
  const itemLabel = (l: { title: string; variantTitle: string | null; quantity: number }) =>
    `${l.title}${l.variantTitle ? ` – ${l.variantTitle}` : ""} × ${format.number(l.quantity)}`;

  return (
    <BlockStack gap="400">
      <InlineStack gap="200" blockAlign="center">
        <RemixLink to="/app/returns">{t("returnPage.back")}</RemixLink>
      </InlineStack>
      <InlineStack gap="300" blockAlign="center" wrap>
        <Text as="h2" variant="headingLg">
          {t("returnPage.title", { number: ret.number })}
        </Text>
        <Badge tone={STATUS_TONES[ret.status]}>{codeLabel(t, "returnStatus", ret.status)}</Badge>
        <Badge>{codeLabel(t, "resolution", ret.resolution)}</Badge>
        {ret.autoApproved ? <Badge tone="info">{t("returnPage.autoApproved")}</Badge> : null}
        {payment?.state === "awaiting" ? (
          <Badge tone="attention">{t("returnPage.awaitingPayment", { amount: payment.amount })}</Badge>
        ) : payment?.state === "paid" ? (
          <Badge tone="success">{t("returnPage.paid", { amount: payment.amount })}</Badge>
        ) : null}
        <Badge>{t("returnPage.channel", { channel: codeLabel(t, "returnChannel", ret.channel) })}</Badge>
        {ret.shopifyReturnName ? (
          <Text as="span" tone="subdued">
            {ret.shopifyStatus
              ? `${ret.shopifyReturnName} · ${codeLabel(t, "shopifyReturnStatus", ret.shopifyStatus)}`
              : t("returnPage.shopifyReturn", { name: ret.shopifyReturnName })}
          </Text>
        ) : null}
      </InlineStack>
      {act.data && !act.data.ok ? (
        <Banner tone="critical" title={t("returnPage.failed")}>
          <BlockStack gap="100">
            <Text as="p">{t(act.data.said.key, act.data.said.values)}</Text>
            {act.data.detail ? (
              <Text as="p" tone="subdued">
                {t("returnRefusal.detail", { detail: act.data.detail })}
              </Text>
            ) : null}
          </BlockStack>
        </Banner>
      ) : null}
      {payment?.state === "due" && ret.status === "requested" ? (
        <Banner tone="info" title={t("returnPage.dueTitle", { amount: payment.amount })}>
          {t("returnPage.dueBody")}
        </Banner>
      ) : payment?.state === "awaiting" ? (
        <Banner tone="warning" title={t("returnPage.awaitingPayment", { amount: payment.amount })}>
          {t("returnPage.awaitingBody")}
        </Banner>
      ) : null}
      {!ret.inShopify && ret.status === "requested" && ret.exchange ? (
        <Banner
          tone={ret.syncError ? "warning" : "info"}
          title={t(ret.syncError ? "returnPage.exchangeRefused" : "returnPage.exchangeOnApproval")}
        >
          {ret.syncError ?? t("returnPage.exchangeOnApprovalBody")}
        </Banner>
      ) : !ret.inShopify && ret.status === "requested" ? (
        <Banner
          tone="warning"
          title={t("returnPage.notInShopify")}
          action={{ content: t("returnPage.sendToShopify"), onAction: () => run("sync"), loading: busy }}
        >
          {ret.syncError ?? t("returnPage.notInShopifyBody")}
        </Banner>
      ) : null}
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h3" variant="headingMd">
                  {t("returnPage.nextStep")}
                </Text>
                {ret.status === "requested" ? (
                  <BlockStack gap="300">
                    <InlineStack gap="200">
                      <Button variant="primary" onClick={() => run("approve")} loading={busy}>
                        {t("returnPage.approve")}
                      </Button>
                    </InlineStack>
                    <Divider />
                    <FormLayout>
                      <FormLayout.Group>
                        <Select
                          label={t("returnPage.declineReason")}
                          options={DECLINE_REASONS.map((value) => ({ value, label: t(`declineReason.${value}`) }))}
                          value={declineReason}
                          onChange={setDeclineReason}
                        />
                        <TextField
                          label={t("returnPage.declineNote")}
                          value={declineNote}
                          onChange={setDeclineNote}
                          maxLength={500}
                          showCharacterCount
                          autoComplete="off"
                          multiline={2}
                          helpText={t("returnPage.declineNoteHelp")}
                        />
                      </FormLayout.Group>
                      <Button
                        tone="critical"
                        onClick={() => run("decline", { reason: declineReason, note: declineNote })}
                        disabled={busy}
                      >
                        {t("returnPage.decline")}
                      </Button>
                    </FormLayout>
                  </BlockStack>
                ) : ret.status === "approved" ? (
                  <BlockStack gap="300">
                    <Text as="p">{t("returnPage.receiveHelp")}</Text>
                    {ret.lines.map((l) => (
                      <Select
                        key={l.id}
                        label={itemLabel(l)}
                        options={[
                          { label: t("returnPage.chooseDisposition"), value: "" },
                          ...DISPOSITIONS.map((d) => ({ label: t(`disposition.${d}`), value: d })),
                        ]}
                        value={dispositions[l.id] ?? ""}
                        onChange={(value) => setDispositions((d) => ({ ...d, [l.id]: value }))}
                        error={
                          act.data && !act.data.ok && !dispositions[l.id]
                            ? t("returnPage.chooseDisposition")
                            : undefined
                        }
                      />
                    ))}
                    <InlineStack>
                      <Button
                        variant="primary"
                        onClick={() =>
                          run(
                            "receive",
                            Object.fromEntries(Object.entries(dispositions).map(([id, d]) => [`disposition:${id}`, d])),
                          )
                        }
                        loading={busy}
                        disabled={missingDisposition}
                      >
                        {t("returnPage.markReceived")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                ) : ret.status === "received" || ret.status === "resolved" ? (
                  <BlockStack gap="300">
                    <Text as="p">{ret.status === "received" ? resolutionText : t("returnPage.resolvedClose")}</Text>
                    <InlineStack>
                      <Button variant="primary" onClick={() => run("resolve")} loading={busy}>
                        {t(ret.status === "received" ? "returnPage.resolveAndClose" : "returnPage.close")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                ) : (
                  <Text as="p" tone="subdued">
                    {ret.status === "declined"
                      ? declinedText
                      : t(ret.status === "closed" ? "returnPage.complete" : "returnPage.canceled")}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h3" variant="headingMd">
                  {t("returnPage.items")}
                </Text>
                {ret.lines.map((l) => (
                  <Box key={l.id} paddingBlockEnd="200">
                    <BlockStack gap="100">
                      <InlineStack gap="200" align="space-between">
                        <Text as="span" fontWeight="semibold">
                          {itemLabel(l)}
                        </Text>
                        <Text as="span" numeric>
                          {t("returnPage.each", { price: money(l.unitPrice) })}
                        </Text>
                      </InlineStack>
                      <Text as="span" tone="subdued">
                        {t("returnPage.reason", { reason: reasonOf(l) })}
                        {l.note ? ` — “${l.note}”` : ""}
                      </Text>
                      {l.photos.length ? (
                        <InlineStack gap="200" blockAlign="center">
                          {l.photos.map((p, i) =>
                            p.url ? (
                              <Link key={p.id} url={p.url} target="_blank" removeUnderline>
                                <Thumbnail
                                  source={p.url}
                                  size="large"
                                  alt={t("returnPage.photo", { number: i + 1, title: l.title })}
                                />
                              </Link>
                            ) : (
                              <Text key={p.id} as="span" tone="subdued">
                                {t("returnPage.photoProcessing", { number: i + 1 })}
                              </Text>
                            ),
                          )}
                        </InlineStack>
                      ) : null}
                      {l.exchangeTitle ? (
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="span">
                            {l.exchangeUnitPrice === null
                              ? t("returnPage.inExchange", { title: l.exchangeTitle, quantity: l.quantity })
                              : t("returnPage.inExchangePrice", {
                                  title: l.exchangeTitle,
                                  quantity: l.quantity,
                                  price: money(l.exchangeUnitPrice),
                                })}
                          </Text>
                          {l.exchangeState ? (
                            <Badge tone={EXCHANGE_TONES[l.exchangeState]}>
                              {t(`returnPage.exchange.${l.exchangeState}`)}
                            </Badge>
                          ) : null}
                        </InlineStack>
                      ) : null}
                      {l.disposition ? (
                        <InlineStack>
                          <Badge tone={l.disposition === "restock" ? "success" : "warning"}>
                            {t(`disposition.${l.disposition}`)}
                          </Badge>
                        </InlineStack>
                      ) : null}
                    </BlockStack>
                  </Box>
                ))}
                <Divider />
                <InlineGrid columns={2} gap="100">
                  <Text as="span">{t("returnPage.items")}</Text>
                  <Text as="span" alignment="end" numeric>
                    {money(ret.amounts.items)}
                  </Text>
                  {ret.amounts.restocking ? (
                    <>
                      <Text as="span">{t("returnPage.restocking")}</Text>
                      <Text as="span" alignment="end" numeric>
                        −{money(ret.amounts.restocking)}
                      </Text>
                    </>
                  ) : null}
                  {ret.amounts.shipping ? (
                    <>
                      <Text as="span">{t("returnPage.shipping")}</Text>
                      <Text as="span" alignment="end" numeric>
                        −{money(ret.amounts.shipping)}
                      </Text>
                    </>
                  ) : null}
                  {ret.amounts.newItems ? (
                    <>
                      <Text as="span">{t("returnPage.newItems")}</Text>
                      <Text as="span" alignment="end" numeric>
                        −{money(ret.amounts.newItems)}
                      </Text>
                    </>
                  ) : null}
                  {ret.amounts.bonus ? (
                    <>
                      <Text as="span">{t("returnPage.bonus")}</Text>
                      <Text as="span" alignment="end" numeric>
                        +{money(ret.amounts.bonus)}
                      </Text>
                    </>
                  ) : null}
                  <Text as="span" fontWeight="bold">
                    {t(ret.exchange ? "returnPage.creditToShopper" : "returnPage.toShopper")}
                  </Text>
                  <Text as="span" alignment="end" fontWeight="bold" numeric>
                    {money(ret.amounts.total)}
                  </Text>
                </InlineGrid>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h3" variant="headingMd">
                  {t("returnPage.shipments")}
                </Text>
                {fulfillments.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("returnPage.noShipments")}
                  </Text>
                ) : (
                  fulfillments.map((f) => (
                    <BlockStack key={f.id} gap="100">
                      <InlineStack gap="200">
                        <Text as="span" fontWeight="semibold">
                          {f.name ?? t("returnPage.shipment")}
                        </Text>
                        <Badge tone={f.deliveredAt ? "success" : "info"}>
                          {codeLabel(t, "shipmentStatus", f.shipmentStatus ?? f.status)}
                        </Badge>
                      </InlineStack>
                      <Text as="span" tone="subdued">
                        {[
                          trackingText(f.trackingCompany, f.trackingNumbers) ?? t("returnPage.noTracking"),
                          t("returnPage.shipped", { date: when(f.shippedAt) }),
                          f.deliveredAt ? t("returnPage.delivered", { date: when(f.deliveredAt) }) : null,
                        ]
                          .filter(Boolean)
                          .join(" · ")}
                      </Text>
                      <Text as="span">
                        {f.items.map((i) => `${format.number(i.quantity)} × ${i.title}`).join(", ")}
                      </Text>
                    </BlockStack>
                  ))
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingMd">
                  {t("returnPage.order", { name: order?.name ?? "" })}
                </Text>
                {order ? (
                  <>
                    <Text as="p" tone="subdued">
                      {t("returnPage.placed", {
                        date: when(order.placed),
                        total: format.money(order.paid, order.currency),
                      })}
                      {order.refunded > 0
                        ? ` · ${t("order.refunded", { amount: format.money(order.refunded, order.currency) })}`
                        : ""}
                      {order.financialStatus ? ` · ${codeLabel(t, "financialStatus", order.financialStatus)}` : ""}
                    </Text>
                    {order.cancelled ? <Badge tone="critical">{t("returnPage.cancelled")}</Badge> : null}
                    <List>
                      {order.lines.map((li) => (
                        <List.Item key={li.id}>
                          {format.number(li.quantity)} × {li.title}
                          {li.variantTitle ? ` – ${li.variantTitle}` : ""} ({format.money(li.price, order.currency)})
                        </List.Item>
                      ))}
                    </List>
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {t("returnPage.orderGone")}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingMd">
                    {t("returnPage.customer")}
                  </Text>
                  {history.unusual ? <Badge tone="critical">{t("returnPage.unusual")}</Badge> : null}
                </InlineStack>
                <Text as="p">{ret.email ?? t("returnPage.noEmail")}</Text>
                <Text as="p" tone="subdued">
                  {format.count("returnPage.history", history.ordersPlaced, {
                    returned: format.number(history.ordersReturned),
                    rate: format.percent(history.rate),
                    shopRate: format.percent(history.shopRate),
                  })}
                </Text>
                <List>
                  {history.returns.map((r) => (
                    <List.Item key={r.id}>
                      {r.current ? (
                        <Text as="span" fontWeight="semibold">
                          {t("returnPage.thisReturn", { number: r.number })}
                        </Text>
                      ) : (
                        <Link url={`/app/returns/${r.id}`}>{r.number}</Link>
                      )}{" "}
                      · {r.orderName} · {codeLabel(t, "returnStatus", r.status)} · {when(r.requestedAt)}
                    </List.Item>
                  ))}
                </List>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingMd">
                  {t("returnPage.timeline")}
                </Text>
                {ret.timeline.map(([what, at]) => (
                  <InlineStack key={what} align="space-between">
                    <Text as="span">{codeLabel(t, "returnStatus", what)}</Text>
                    <Text as="span" tone="subdued">
                      {when(at)}
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
