/**
 * The order status page block: this order's shipments (carrier, tracking number and link,
 * timeline, estimate, any delay in plain words), "Start a return" when something can still be
 * returned, and the points the order earned. Everything it shows is decided by the backend.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { backend, numericId } from "../../customer-account-shared/backend";

/** Shopify calls the module's default export to render the target. */
export default async function extension() {
  render(<OrderStatusBlock />, document.body);
}

interface Step {
  milestone: string;
  state: "done" | "current" | "upcoming";
  at: string | null;
}
interface Estimate {
  earliest: string;
  latest: string;
  source: "carrier" | "history" | "rules";
  samples: number | null;
}
interface Shipment {
  number: number;
  carrier: { name: string } | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  stage: string;
  steps: Step[];
  problem: { kind: string } | null;
  delay: { reason: string } | null;
  deliveredAt: string | null;
  estimate: Estimate | null;
}
interface Tracking {
  order: { name: string; cancelled: boolean };
  shipments: Shipment[];
  preparing: { estimate: Estimate | null; delay: { reason: string } | null } | null;
  returns: { available: boolean };
  points: { points: number; status: "pending" | "available" | "reversed"; availableAt: string } | null;
}

type State = { kind: "loading" } | { kind: "failed"; message: string } | { kind: "ready"; tracking: Tracking };

const t = (key: string, replacements?: Record<string, string | number>) => shopify.i18n.translate(key, replacements);
const day = (iso: string) =>
  shopify.i18n.formatDate(new Date(`${iso.slice(0, 10)}T12:00:00Z`), { dateStyle: "medium" });

function OrderStatusBlock() {
  const orderId = shopify.order.value?.id;
  const [state, setState] = useState<State>({ kind: "loading" });
  useEffect(() => {
    if (!orderId) return;
    backend<Tracking>(shopify, "tracking", {
      query: { order: orderId, locale: shopify.localization.language.value.isoCode },
    })
      .then((answer) =>
        setState(
          answer.ok
            ? { kind: "ready", tracking: answer.body }
            : { kind: "failed", message: answer.body.message ?? t("unavailable") },
        ),
      )
      .catch(() => setState({ kind: "failed", message: t("unavailable") }));
  }, [orderId]);

  if (!orderId) return null;
  if (state.kind === "loading")
    return (
      <s-section heading={t("heading")}>
        <s-skeleton-paragraph />
      </s-section>
    );
  if (state.kind === "failed")
    return (
      <s-section heading={t("heading")}>
        <s-banner tone="warning">{state.message}</s-banner>
      </s-section>
    );
  const { tracking } = state;
  return (
    <s-section heading={t("heading")}>
      <s-stack gap="base">
        {tracking.shipments.map((shipment) => (
          <ShipmentView key={shipment.number} shipment={shipment} several={tracking.shipments.length > 1} />
        ))}
        {tracking.preparing ? <Preparing preparing={tracking.preparing} /> : null}
        {tracking.points ? <Points points={tracking.points} /> : null}
        {tracking.returns.available ? (
          <s-button href={`extension://aftercare-returns-page/orders/${numericId(orderId)}`} variant="secondary">
            {t("startReturn")}
          </s-button>
        ) : null}
      </s-stack>
    </s-section>
  );
}

function EstimateLine({ estimate }: { estimate: Estimate }) {
  const range =
    estimate.earliest === estimate.latest
      ? day(estimate.earliest)
      : t("range", { from: day(estimate.earliest), to: day(estimate.latest) });
  return (
    <s-stack gap="none">
      <s-text type="strong">{t("estimate", { range })}</s-text>
      <s-text color="subdued">{t(`estimateSource.${estimate.source}`, { count: estimate.samples ?? 0 })}</s-text>
    </s-stack>
  );
}

function ShipmentView({ shipment, several }: { shipment: Shipment; several: boolean }) {
  return (
    <s-stack gap="small-200">
      <s-heading>
        {several ? t("shipmentNumber", { number: shipment.number }) : t("shipment")}
        {" · "}
        {t(`milestones.${shipment.stage}`)}
      </s-heading>
      {shipment.carrier || shipment.trackingNumber ? (
        <s-text>
          {shipment.carrier ? `${shipment.carrier.name} ` : ""}
          {shipment.trackingNumber ? t("trackingNumber", { number: shipment.trackingNumber }) : ""}
        </s-text>
      ) : null}
      {shipment.trackingUrl ? (
        <s-link href={shipment.trackingUrl} target="_blank">
          {t("trackOnCarrier")}
        </s-link>
      ) : null}
      <ShipmentWarnings shipment={shipment} />
      {shipment.deliveredAt ? (
        <s-text>{t("deliveredOn", { date: day(shipment.deliveredAt) })}</s-text>
      ) : shipment.estimate ? (
        <EstimateLine estimate={shipment.estimate} />
      ) : null}
      <s-ordered-list>
        {shipment.steps.map((step) => (
          <s-list-item key={step.milestone}>
            {t(`milestones.${step.milestone}`)}
            {" · "}
            {step.at ? day(step.at) : t(`stepState.${step.state}`)}
          </s-list-item>
        ))}
      </s-ordered-list>
    </s-stack>
  );
}

/**
 * One warning per thing that is wrong: a delay the shop noticed, in its plain words, stands for a
 * carrier's "delayed" status too (both are about the same late parcel); any other problem has its own.
 */
function ShipmentWarnings({ shipment }: { shipment: Shipment }) {
  const carrierDelay = shipment.problem?.kind === "delayed";
  return (
    <>
      {shipment.delay ? (
        <s-banner tone="warning">{t(`delays.${shipment.delay.reason}`)}</s-banner>
      ) : carrierDelay ? (
        <s-banner tone="warning">{t("problems.delayed")}</s-banner>
      ) : null}
      {shipment.problem && !carrierDelay ? (
        <s-banner tone="critical">{t(`problems.${shipment.problem.kind}`)}</s-banner>
      ) : null}
    </>
  );
}

function Preparing({ preparing }: { preparing: NonNullable<Tracking["preparing"]> }) {
  return (
    <s-stack gap="small-200">
      <s-heading>{t("milestones.preparing")}</s-heading>
      {preparing.delay ? <s-banner tone="warning">{t(`delays.${preparing.delay.reason}`)}</s-banner> : null}
      {preparing.estimate ? <EstimateLine estimate={preparing.estimate} /> : null}
    </s-stack>
  );
}

function Points({ points }: { points: NonNullable<Tracking["points"]> }) {
  return <s-text>{t(`points.${points.status}`, { count: points.points, date: day(points.availableAt) })}</s-text>;
}
