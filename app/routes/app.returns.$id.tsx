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
import { useT } from "../locales/admin/use-admin-language";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { adminClient } from "../shopify/admin.server";
import { parseDeskAction, returnDetail, runDeskAction } from "../services/returns/desk.server";
import { returnPhotos } from "../services/returns/photos.server";
import { ReturnsError } from "../services/returns/errors.server";
import { shopProfile } from "../models/shop.server";
import {
  CHANNEL_LABELS,
  DECLINE_REASON_LABELS,
  DISPOSITION_LABELS,
  RESOLUTION_LABELS,
  STATUS_LABELS,
  STATUS_TONES,
} from "../domain/returns/desk";
import {
  DISPOSITIONS,
  isExchange,
  type Disposition,
  type Resolution,
  type ReturnStatus,
} from "../domain/returns/policy";
import { exchangeCreditMinor, exchangePayment, exchangeState, type ExchangeState } from "../domain/returns/exchange";
import { formatMoney } from "../domain/shared/money";
import { formatShopTime } from "../utils/format";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const [detail, profile] = await Promise.all([
    returnDetail(db(), session.shop, params.id ?? ""),
    shopProfile(db(), session.shop),
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
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency: ret.currency });
  const time = (d: Date | string | null) => (d ? formatShopTime(d, profile.timeZone) : null);
  const exchange = isExchange(ret.resolution as Resolution);
  const payment = exchangePayment(ret);
  return json({
    ret: {
      id: ret.id,
      number: ret.number,
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
      timeline: [
        ["Requested", time(ret.requestedAt)],
        ["Approved", time(ret.approvedAt)],
        ["Declined", time(ret.declinedAt)],
        ["Received", time(ret.receivedAt)],
        ["Resolved", time(ret.resolvedAt)],
        ["Closed", time(ret.closedAt)],
      ].filter((x): x is [string, string] => x[1] !== null),
      lines: ret.lines.map((l) => ({
        id: l.id,
        title: l.title,
        variantTitle: l.variantTitle,
        quantity: l.quantity,
        unitPrice: money(l.unitPriceMinor),
        reason: l.reasonLabel,
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
          total: formatMoney({ amountMinor: order.totalMinor, currency: order.currency }),
          financialStatus: order.financialStatus,
          cancelled: order.cancelledAt !== null,
          lines: order.lineItems.map((li) => ({
            id: li.id,
            title: li.title,
            variantTitle: li.variantTitle,
            quantity: li.quantity,
            price: formatMoney({ amountMinor: li.priceMinor, currency: order.currency }),
          })),
        }
      : null,
    fulfillments: fulfillments.map((f) => ({ ...f, shippedAt: time(f.shippedAt), deliveredAt: time(f.deliveredAt) })),
    history: { ...history, returns: history.returns.map((r) => ({ ...r, requestedAt: time(r.requestedAt) })) },
  });
};

type ActionAnswer = { ok: true; message: string } | { ok: false; message: string };

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
    return json<ActionAnswer>({ ok: true, message: outcome.message });
  } catch (error) {
    if (error instanceof ReturnsError)
      return json<ActionAnswer>({ ok: false, message: error.message }, { status: error.status });
    throw error;
  }
};

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

// Where the replacement is: chosen, in Shopify's return, or on the order to be shipped.
const EXCHANGE_LABELS: Record<ExchangeState, string> = {
  pending: "Made in Shopify on approval",
  confirmed: "In Shopify's return",
  added: "Added to the order",
};
const EXCHANGE_TONES: Record<ExchangeState, "attention" | "info" | "success"> = {
  pending: "attention",
  confirmed: "info",
  added: "success",
};

/** A shipment's carrier and tracking numbers, as the return's page lists them. */
function trackingText(company: string | null, numbers: string[]) {
  return [company, numbers.join(", ")].filter(Boolean).join(" · ") || "No tracking";
}

export default function ReturnPage() {
  const t = useT();
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
    if (act.state === "idle" && act.data) shopify.toast.show(act.data.message, { isError: !act.data.ok });
  }, [act.state, act.data, shopify]);

  const run = (intent: string, fields: Record<string, string> = {}) =>
    act.submit({ intent, ...fields }, { method: "post" });
  const missingDisposition = ret.lines.some((l) => !dispositions[l.id]);
  const exchangeCredit = ret.amounts.credit ? `, credits ${ret.amounts.credit} to the customer's store credit` : "";
  const declinedFor =
    DECLINE_REASON_LABELS[ret.declineReason as keyof typeof DECLINE_REASON_LABELS] ?? ret.declineReason ?? "no reason";
  const declinedNote = ret.declineNote ? `: “${ret.declineNote}”` : "";
  const resolutionText =
    ret.resolution === "refund"
      ? `Refunds ${ret.amounts.total} to the original payment`
      : ret.resolution === "store_credit"
        ? `Credits ${ret.amounts.total} to the customer's store credit`
        : `Processes the exchange in Shopify, which adds the new items to order ${order?.name ?? ""} to be ` +
          `shipped${exchangeCredit}`;
  const payment = ret.payment;

  return (
    <BlockStack gap="400">
      <InlineStack gap="200" blockAlign="center">
        <RemixLink to="/app/returns">← Returns desk</RemixLink>
      </InlineStack>
      <InlineStack gap="300" blockAlign="center" wrap>
        <Text as="h2" variant="headingLg">
          Return {ret.number}
        </Text>
        <Badge tone={STATUS_TONES[ret.status]}>{STATUS_LABELS[ret.status]}</Badge>
        <Badge>{RESOLUTION_LABELS[ret.resolution] ?? ret.resolution}</Badge>
        {ret.autoApproved ? <Badge tone="info">Auto-approved by policy</Badge> : null}
        {payment?.state === "awaiting" ? (
          <Badge tone="attention">{`Awaiting payment of ${payment.amount}`}</Badge>
        ) : payment?.state === "paid" ? (
          <Badge tone="success">{`Paid: ${payment.amount}`}</Badge>
        ) : null}
        <Badge>{`Asked through: ${CHANNEL_LABELS[ret.channel]}`}</Badge>
        {ret.shopifyReturnName ? (
          <Text as="span" tone="subdued">
            {ret.shopifyStatus
              ? `${ret.shopifyReturnName} · ${codeLabel(t, "shopifyReturnStatus", ret.shopifyStatus)}`
              : `Shopify ${ret.shopifyReturnName}`}
          </Text>
        ) : null}
      </InlineStack>
      {act.data && !act.data.ok ? (
        <Banner tone="critical" title="That did not go through">
          {act.data.message}
        </Banner>
      ) : null}
      {payment?.state === "due" && ret.status === "requested" ? (
        <Banner tone="info" title={`The shopper pays ${payment.amount} more for the new items`}>
          Approving creates Shopify&apos;s exchange and sends the shopper Shopify&apos;s invoice for the balance (taxes
          may add to it). The new items are sent once it is paid.
        </Banner>
      ) : payment?.state === "awaiting" ? (
        <Banner tone="warning" title={`Awaiting payment of ${payment.amount}`}>
          Shopify&apos;s invoice for the price difference went to the shopper. The new items are sent once Shopify says
          the order is paid; until then the return cannot be completed.
        </Banner>
      ) : null}
      {!ret.inShopify && ret.status === "requested" && ret.exchange ? (
        <Banner
          tone={ret.syncError ? "warning" : "info"}
          title={ret.syncError ? "Shopify did not take the exchange" : "Shopify's exchange is made on approval"}
        >
          {ret.syncError ??
            "Shopify's return requests cannot carry exchange items, so approving creates Shopify's return " +
              "with the items the shopper chose."}
        </Banner>
      ) : !ret.inShopify && ret.status === "requested" ? (
        <Banner
          tone="warning"
          title="Not in Shopify yet"
          action={{ content: "Send to Shopify", onAction: () => run("sync"), loading: busy }}
        >
          {ret.syncError ?? "Shopify's return request has not been created yet. Approving sends it first."}
        </Banner>
      ) : null}
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h3" variant="headingMd">
                  Next step
                </Text>
                {ret.status === "requested" ? (
                  <BlockStack gap="300">
                    <InlineStack gap="200">
                      <Button variant="primary" onClick={() => run("approve")} loading={busy}>
                        Approve return
                      </Button>
                    </InlineStack>
                    <Divider />
                    <FormLayout>
                      <FormLayout.Group>
                        <Select
                          label="Decline reason"
                          options={Object.entries(DECLINE_REASON_LABELS).map(([value, label]) => ({ value, label }))}
                          value={declineReason}
                          onChange={setDeclineReason}
                        />
                        <TextField
                          label="Note to the shopper"
                          value={declineNote}
                          onChange={setDeclineNote}
                          maxLength={500}
                          showCharacterCount
                          autoComplete="off"
                          multiline={2}
                          helpText="Sent in the decline email."
                        />
                      </FormLayout.Group>
                      <Button
                        tone="critical"
                        onClick={() => run("decline", { reason: declineReason, note: declineNote })}
                        disabled={busy}
                      >
                        Decline return
                      </Button>
                    </FormLayout>
                  </BlockStack>
                ) : ret.status === "approved" ? (
                  <BlockStack gap="300">
                    <Text as="p">
                      When the parcel arrives, choose what happens to each item. Restocked items go back to inventory at
                      your primary location.
                    </Text>
                    {ret.lines.map((l) => (
                      <Select
                        key={l.id}
                        label={`${l.title}${l.variantTitle ? ` – ${l.variantTitle}` : ""} × ${l.quantity}`}
                        options={[
                          { label: "Choose a disposition", value: "" },
                          ...DISPOSITIONS.map((d) => ({ label: DISPOSITION_LABELS[d], value: d })),
                        ]}
                        value={dispositions[l.id] ?? ""}
                        onChange={(value) => setDispositions((d) => ({ ...d, [l.id]: value }))}
                        error={act.data && !act.data.ok && !dispositions[l.id] ? "Choose a disposition" : undefined}
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
                        Mark items received
                      </Button>
                    </InlineStack>
                  </BlockStack>
                ) : ret.status === "received" || ret.status === "resolved" ? (
                  <BlockStack gap="300">
                    <Text as="p">
                      {ret.status === "received"
                        ? `${resolutionText}, then closes the return in Shopify.`
                        : "The resolution is done; close the return in Shopify."}
                    </Text>
                    <InlineStack>
                      <Button variant="primary" onClick={() => run("resolve")} loading={busy}>
                        {ret.status === "received" ? "Resolve and close" : "Close return"}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                ) : (
                  <Text as="p" tone="subdued">
                    {ret.status === "declined"
                      ? `Declined (${declinedFor})${declinedNote}. Nothing more to do.`
                      : ret.status === "closed"
                        ? "This return is complete."
                        : "This return was canceled."}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h3" variant="headingMd">
                  Items
                </Text>
                {ret.lines.map((l) => (
                  <Box key={l.id} paddingBlockEnd="200">
                    <BlockStack gap="100">
                      <InlineStack gap="200" align="space-between">
                        <Text as="span" fontWeight="semibold">
                          {l.title}
                          {l.variantTitle ? ` – ${l.variantTitle}` : ""} × {l.quantity}
                        </Text>
                        <Text as="span" numeric>
                          {l.unitPrice} each
                        </Text>
                      </InlineStack>
                      <Text as="span" tone="subdued">
                        Reason: {l.reason}
                        {l.note ? ` — “${l.note}”` : ""}
                      </Text>
                      {l.photos.length ? (
                        <InlineStack gap="200" blockAlign="center">
                          {l.photos.map((p, i) =>
                            p.url ? (
                              <Link key={p.id} url={p.url} target="_blank" removeUnderline>
                                <Thumbnail source={p.url} size="large" alt={`Photo ${i + 1} of ${l.title}`} />
                              </Link>
                            ) : (
                              <Text key={p.id} as="span" tone="subdued">
                                Photo {i + 1}: Shopify is still processing it
                              </Text>
                            ),
                          )}
                        </InlineStack>
                      ) : null}
                      {l.exchangeTitle ? (
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="span">
                            In exchange: {l.exchangeTitle} × {l.quantity}
                            {l.exchangeUnitPrice ? ` (${l.exchangeUnitPrice} each)` : ""}
                          </Text>
                          {l.exchangeState ? (
                            <Badge tone={EXCHANGE_TONES[l.exchangeState]}>{EXCHANGE_LABELS[l.exchangeState]}</Badge>
                          ) : null}
                        </InlineStack>
                      ) : null}
                      {l.disposition ? (
                        <InlineStack>
                          <Badge tone={l.disposition === "restock" ? "success" : "warning"}>
                            {DISPOSITION_LABELS[l.disposition]}
                          </Badge>
                        </InlineStack>
                      ) : null}
                    </BlockStack>
                  </Box>
                ))}
                <Divider />
                <InlineGrid columns={2} gap="100">
                  <Text as="span">Items</Text>
                  <Text as="span" alignment="end" numeric>
                    {ret.amounts.items}
                  </Text>
                  {ret.amounts.restocking ? (
                    <>
                      <Text as="span">Restocking fee</Text>
                      <Text as="span" alignment="end" numeric>
                        −{ret.amounts.restocking}
                      </Text>
                    </>
                  ) : null}
                  {ret.amounts.shipping ? (
                    <>
                      <Text as="span">Return shipping</Text>
                      <Text as="span" alignment="end" numeric>
                        −{ret.amounts.shipping}
                      </Text>
                    </>
                  ) : null}
                  {ret.amounts.newItems ? (
                    <>
                      <Text as="span">New items</Text>
                      <Text as="span" alignment="end" numeric>
                        −{ret.amounts.newItems}
                      </Text>
                    </>
                  ) : null}
                  {ret.amounts.bonus ? (
                    <>
                      <Text as="span">Bonus</Text>
                      <Text as="span" alignment="end" numeric>
                        +{ret.amounts.bonus}
                      </Text>
                    </>
                  ) : null}
                  <Text as="span" fontWeight="bold">
                    {ret.exchange ? "Store credit to the shopper" : "To the shopper"}
                  </Text>
                  <Text as="span" alignment="end" fontWeight="bold" numeric>
                    {ret.amounts.total}
                  </Text>
                </InlineGrid>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h3" variant="headingMd">
                  Shipments
                </Text>
                {fulfillments.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No shipments recorded for this order.
                  </Text>
                ) : (
                  fulfillments.map((f) => (
                    <BlockStack key={f.id} gap="100">
                      <InlineStack gap="200">
                        <Text as="span" fontWeight="semibold">
                          {f.name ?? "Shipment"}
                        </Text>
                        <Badge tone={f.deliveredAt ? "success" : "info"}>
                          {codeLabel(t, "shipmentStatus", f.shipmentStatus ?? f.status)}
                        </Badge>
                      </InlineStack>
                      <Text as="span" tone="subdued">
                        {trackingText(f.trackingCompany, f.trackingNumbers)} · shipped {f.shippedAt}
                        {f.deliveredAt ? ` · delivered ${f.deliveredAt}` : ""}
                      </Text>
                      <Text as="span">{f.items.map((i) => `${i.quantity} × ${i.title}`).join(", ")}</Text>
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
                  Order {order?.name ?? ""}
                </Text>
                {order ? (
                  <>
                    <Text as="p" tone="subdued">
                      Placed {order.placed} · {order.total}
                      {order.financialStatus ? ` · ${order.financialStatus.replace(/_/g, " ")}` : ""}
                    </Text>
                    {order.cancelled ? <Badge tone="critical">Cancelled</Badge> : null}
                    <List>
                      {order.lines.map((li) => (
                        <List.Item key={li.id}>
                          {li.quantity} × {li.title}
                          {li.variantTitle ? ` – ${li.variantTitle}` : ""} ({li.price})
                        </List.Item>
                      ))}
                    </List>
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    The order is no longer stored (redacted or not synced).
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingMd">
                    Customer
                  </Text>
                  {history.unusual ? <Badge tone="critical">Unusually high return rate</Badge> : null}
                </InlineStack>
                <Text as="p">{ret.email ?? "No email on the order"}</Text>
                <Text as="p" tone="subdued">
                  {history.ordersReturned} of {history.ordersPlaced} orders came back ({pct(history.rate)}); the
                  shop&apos;s return rate over the last year is {pct(history.shopRate)}.
                </Text>
                <List>
                  {history.returns.map((r) => (
                    <List.Item key={r.id}>
                      {r.current ? (
                        <Text as="span" fontWeight="semibold">
                          {r.number} (this return)
                        </Text>
                      ) : (
                        <Link url={`/app/returns/${r.id}`}>{r.number}</Link>
                      )}{" "}
                      · {r.orderName} · {STATUS_LABELS[r.status as ReturnStatus] ?? r.status} · {r.requestedAt}
                    </List.Item>
                  ))}
                </List>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h3" variant="headingMd">
                  Timeline
                </Text>
                {ret.timeline.map(([what, when]) => (
                  <InlineStack key={what} align="space-between">
                    <Text as="span">{what}</Text>
                    <Text as="span" tone="subdued">
                      {when}
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
