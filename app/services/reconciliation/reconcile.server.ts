/**
 * Reconciliation (issue 16, docs/decisions/0023-reconciliation.md): per shop, ask Shopify for the
 * orders updated since the last pass (less an overlap), read each one with its shipments, scans,
 * refunds and returns, and apply them through the mirror functions the webhooks and the history
 * import use. Newest `updatedAt` wins and scans and refunds are keyed by gid, so an order the
 * webhooks already brought changes nothing; what was missing is written and counted.
 */
import type { Db } from "../../db.server";
import { applyCustomer } from "../../models/customers.server";
import {
  applyFulfillment,
  applyFulfillmentEvent,
  applyOrder,
  applyRefund,
  fulfillmentsWithLines,
  storedOrderUpdatedAt,
} from "../../models/orders.server";
import {
  claimReconciliation,
  failReconciliation,
  finishReconciliation,
  ZERO_COUNTS,
  type ReconciliationCounts,
} from "../../models/reconciliation.server";
import { applyReturnEvent, shopifyReturnsOfOrder } from "../../models/shopify-returns.server";
import { adminClient, type AdminClient, type AdminClientOptions, type GraphqlFn } from "../../shopify/admin.server";
import {
  ReconcileFulfillment,
  ReconcileFulfillmentEvents,
  ReconcileFulfillmentLines,
  ReconcileOrderChildIds,
  ReconcileOrderDetail,
  ReconcileOrderLineItems,
  ReconcileOrderPage,
  ReconcileOrderReturns,
  ReconcileRefund,
  ReconcileRefundLines,
  ReconcileRefundTransactions,
  ReconcileReturnLines,
} from "../../shopify/operations/reconciliation";
import type { ReconcileOrderDetailQuery, ReconcileOrderPageQuery } from "../../shopify/operations/types.generated";
import { toMinor } from "../../domain/shared/money";
import type { FulfillmentEventRecord, RefundRecord } from "../../webhooks/payloads";
import {
  customerRecord,
  fulfillmentRecord,
  orderRecord,
  returnEvents,
  topicForReturnStatus,
} from "../history-import/records";

import { returnReasonWord } from "./return-reasons";

/** Orders updated this long before the cursor are read again: clocks and Shopify's indexing lag. */
export const OVERLAP_MS = 10 * 60_000;
/** A shop's first pass reads the last day (its past is the history import's). */
export const FIRST_PASS_LOOKBACK_MS = 24 * 60 * 60_000;
/** Orders per page of ids (Shopify allows 250; 50 keeps a page's cost near 52 points). */
export const PAGE_SIZE = 50;
const LEASE_MS = 15 * 60_000;

export interface ReconcileDeps {
  db: Db;
  graphql: GraphqlFn;
  now?: () => Date;
  admin?: AdminClientOptions;
  /** Tests: runs after each page of ids is read, before its orders are (a change "during" a pass). */
  afterPage?: (ids: string[]) => Promise<void> | void;
  log?: (message: string) => void;
  /** Called once the pass holds the shop's lease (a check started from Sync answers then). */
  onClaimed?: () => void;
}

export type PassResult =
  | { status: "completed"; counts: ReconciliationCounts; cursor: Date }
  | { status: "busy" }
  | { status: "failed"; error: string; counts: ReconciliationCounts };

/** One pass for one shop, unless another process is running one (then "busy"). */
export async function reconcileShop(
  deps: ReconcileDeps,
  shop: string,
  trigger: "schedule" | "merchant" = "schedule",
): Promise<PassResult> {
  const clock = deps.now ?? (() => new Date());
  const started = clock();
  const before = await claimReconciliation(deps.db, shop, started, new Date(started.getTime() + LEASE_MS), trigger);
  if (!before) return { status: "busy" };
  deps.onClaimed?.();
  const counts: ReconciliationCounts = { ...ZERO_COUNTS };
  // The cursor is the newest updatedAt read so far (Shopify's clock, not ours); a shop's first
  // pass starts a day back.
  let cursor = before.cursor ?? new Date(started.getTime() - FIRST_PASS_LOOKBACK_MS);
  const since = new Date(cursor.getTime() - OVERLAP_MS);
  const admin = adminClient(deps.graphql, deps.admin);
  try {
    let after: string | null = null;
    for (;;) {
      const page: ReconcileOrderPageQuery = await admin.request(ReconcileOrderPage, {
        query: `updated_at:>=${since.toISOString()}`,
        first: PAGE_SIZE,
        after,
      });
      const ids = page.orders.nodes.map((n) => n.id);
      await deps.afterPage?.(ids);
      for (const node of page.orders.nodes) {
        const whole = await readWholeOrder(admin, node.id, (what) => deps.log?.(`${shop}: ${what}`));
        // Deleted since the page was read: nothing to bring over.
        if (whole) {
          counts.ordersSeen += 1;
          await reconcileOrder(deps.db, shop, whole, counts);
        }
        const seen = new Date(node.updatedAt);
        if (seen > cursor) cursor = seen;
      }
      if (!page.orders.pageInfo.hasNextPage || !page.orders.pageInfo.endCursor) break;
      after = page.orders.pageInfo.endCursor;
    }
    await finishReconciliation(deps.db, shop, { cursor, finishedAt: clock(), counts });
    return { status: "completed", counts, cursor };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    await failReconciliation(deps.db, shop, message, clock(), counts);
    return { status: "failed", error: message, counts };
  }
}

const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : null);
const date = (value: string | null | undefined) => (value ? new Date(value) : null);

type OrderDetail = NonNullable<ReconcileOrderDetailQuery["order"]>;
type LineItemNode = OrderDetail["lineItems"]["nodes"][number];
type ShipmentNode = OrderDetail["fulfillments"][number];
type RefundNode = OrderDetail["refunds"][number];
type ReturnNode = OrderDetail["returns"]["nodes"][number];

/** An order read whole: every nested item, however many pages each list took. */
export interface WholeOrder {
  order: OrderDetail;
  lineItems: LineItemNode[];
  shipments: {
    shipment: ShipmentNode;
    lines: ShipmentNode["fulfillmentLineItems"]["nodes"];
    scans: ShipmentNode["events"]["nodes"];
  }[];
  refunds: {
    refund: RefundNode;
    transactions: RefundNode["transactions"]["nodes"];
    lines: RefundNode["refundLineItems"]["nodes"];
  }[];
  returns: { ret: ReturnNode; lines: ReturnNode["returnLineItems"]["nodes"] }[];
}

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

/** A connection's items: the page in hand, then each next page `more` reads, until the last. */
async function allPages<T>(first: Page<T>, more: (after: string) => Promise<Page<T> | null | undefined>) {
  const items = [...first.nodes];
  let page = first;
  while (page.pageInfo.hasNextPage) {
    const after = page.pageInfo.endCursor;
    if (!after) throw new Error("Shopify announced a next page without a cursor to it.");
    const next = await more(after);
    // The parent was deleted between two pages: what was read is all there is.
    if (!next) break;
    items.push(...next.nodes);
    page = next;
  }
  return items;
}

/** Order.fulfillments, Order.refunds and Fulfillment.trackingInfo as the order query reads them. */
const FIRST_SHIPMENTS = 5;
const FIRST_REFUNDS = 3;
const FIRST_TRACKING = 3;
/** How many of them the follow-up queries read at once (they are plain lists: no cursor). */
const ALL_OF_A_LIST = 250;

/**
 * One order with everything the mirror keeps of it: ReconcileOrderDetail, then as many follow-up
 * queries as its longer lists need (line items, shipments, a shipment's lines and scans, refunds,
 * a refund's lines and transactions, returns, a return's lines). Null when Shopify has no such
 * order (deleted). Each request goes through the admin client, which waits out THROTTLED answers.
 * Only plain lists have no cursor to follow: past 250 shipments, refunds or tracking numbers, what
 * is read is applied and `cut` says so (failing would stop every later pass at this order).
 */
export async function readWholeOrder(
  admin: AdminClient,
  id: string,
  cut?: (what: string) => void,
): Promise<WholeOrder | null> {
  const { order } = await admin.request(ReconcileOrderDetail, { id });
  if (!order) return null;
  const lineItems = await allPages(
    order.lineItems,
    async (after) => (await admin.request(ReconcileOrderLineItems, { id, after })).order?.lineItems,
  );

  // Plain lists come truncated at `first`: a full one may have more, whose ids one query reads.
  const shipmentNodes: { node: ShipmentNode; trackingCut: boolean }[] = order.fulfillments.map((node) => ({
    node,
    trackingCut: node.trackingInfo.length >= FIRST_TRACKING,
  }));
  const refundNodes: RefundNode[] = [...order.refunds];
  if (order.fulfillments.length >= FIRST_SHIPMENTS || order.refunds.length >= FIRST_REFUNDS) {
    const children = (await admin.request(ReconcileOrderChildIds, { id })).order;
    if (children && (children.fulfillments.length >= ALL_OF_A_LIST || children.refunds.length >= ALL_OF_A_LIST)) {
      cut?.(
        `${order.name} has ${ALL_OF_A_LIST} or more shipments or refunds; the first ${ALL_OF_A_LIST} of each are read`,
      );
    }
    const shipmentIds = new Set(order.fulfillments.map((f) => f.id));
    for (const { id: shipmentId } of children?.fulfillments ?? []) {
      if (shipmentIds.has(shipmentId)) continue;
      const { fulfillment } = await admin.request(ReconcileFulfillment, { id: shipmentId });
      if (fulfillment) shipmentNodes.push({ node: fulfillment, trackingCut: false });
    }
    const refundIds = new Set(order.refunds.map((r) => r.id));
    for (const { id: refundId } of children?.refunds ?? []) {
      if (refundIds.has(refundId)) continue;
      const { refund } = await admin.request(ReconcileRefund, { id: refundId });
      if (refund) refundNodes.push(refund);
    }
  }

  const shipments: WholeOrder["shipments"] = [];
  for (const { node, trackingCut } of shipmentNodes) {
    // More tracking numbers than the order query reads: the shipment again, with all of them.
    const shipment = trackingCut
      ? ((await admin.request(ReconcileFulfillment, { id: node.id })).fulfillment ?? node)
      : node;
    if (shipment.trackingInfo.length >= ALL_OF_A_LIST) {
      cut?.(
        `shipment ${shipment.name} has ${ALL_OF_A_LIST} or more tracking numbers; the first ${ALL_OF_A_LIST} are read`,
      );
    }
    const lines = await allPages(
      shipment.fulfillmentLineItems,
      async (after) =>
        (await admin.request(ReconcileFulfillmentLines, { id: shipment.id, after })).fulfillment?.fulfillmentLineItems,
    );
    const scans = await allPages(
      shipment.events,
      async (after) =>
        (await admin.request(ReconcileFulfillmentEvents, { id: shipment.id, after })).fulfillment?.events,
    );
    shipments.push({ shipment, lines, scans });
  }

  const refunds: WholeOrder["refunds"] = [];
  for (const refund of refundNodes) {
    const transactions = await allPages(
      refund.transactions,
      async (after) =>
        (await admin.request(ReconcileRefundTransactions, { id: refund.id, after })).refund?.transactions,
    );
    const lines = await allPages(
      refund.refundLineItems,
      async (after) => (await admin.request(ReconcileRefundLines, { id: refund.id, after })).refund?.refundLineItems,
    );
    refunds.push({ refund, transactions, lines });
  }

  const returnNodes = await allPages(
    order.returns,
    async (after) => (await admin.request(ReconcileOrderReturns, { id, after })).order?.returns,
  );
  const returns: WholeOrder["returns"] = [];
  for (const ret of returnNodes) {
    const lines = await allPages(
      ret.returnLineItems,
      async (after) => (await admin.request(ReconcileReturnLines, { id: ret.id, after })).return?.returnLineItems,
    );
    returns.push({ ret, lines });
  }
  return { order, lineItems, shipments, refunds, returns };
}

/** Reads one order whole and applies it (reconciliation's passes and the history import's details). */
export async function reconcileOrderById(
  db: Db,
  admin: AdminClient,
  shop: string,
  id: string,
  counts: ReconciliationCounts,
  log?: (message: string) => void,
): Promise<boolean> {
  const whole = await readWholeOrder(admin, id, (what) => log?.(`${shop}: ${what}`));
  if (!whole) return false;
  await reconcileOrder(db, shop, whole, counts);
  return true;
}

const hasLines = (stored: { lines: string }) => stored.lines !== "[]" && stored.lines !== "";

/** Applies one order read whole and what hangs off it; adds what was missing to `counts`. */
export async function reconcileOrder(
  db: Db,
  shop: string,
  whole: WholeOrder,
  counts: ReconciliationCounts,
): Promise<void> {
  const { order } = whole;
  const customer = customerRecord(order);
  if (customer) await applyCustomer(db, shop, customer);
  const stored = await storedOrderUpdatedAt(db, shop, order.id);
  const lineItems = whole.lineItems.map((li) => ({ ...li, __parentId: order.id }));
  const result = await applyOrder(db, shop, orderRecord({ order, lineItems }));
  if (result === "created") counts.ordersCreated += 1;
  else if (result === "updated" && stored && stored < new Date(order.updatedAt)) counts.ordersUpdated += 1;

  const shipmentsStored = new Map((await fulfillmentsWithLines(db, shop, order.id)).map((f) => [f.shopifyId, f]));
  for (const { shipment: f, lines: shipmentLines, scans } of whole.shipments) {
    const lines = new Map<string, number>();
    for (const l of shipmentLines) lines.set(l.lineItem.id, (lines.get(l.lineItem.id) ?? 0) + (l.quantity ?? 0));
    const record = {
      ...fulfillmentRecord(order.id, f),
      lines: [...lines].map(([lineItemShopifyId, quantity]) => ({ lineItemShopifyId, quantity })),
    };
    const mirror = shipmentsStored.get(f.id);
    const missing =
      !mirror ||
      mirror.shopifyUpdatedAt < record.shopifyUpdatedAt ||
      record.lines.some((l) => !mirror.lines.some((m) => m.lineItemShopifyId === l.lineItemShopifyId));
    await applyFulfillment(db, shop, record);
    if (missing) counts.shipmentsFound += 1;
    for (const e of scans) {
      const scan: FulfillmentEventRecord = {
        shopifyId: e.id,
        fulfillmentShopifyId: f.id,
        orderShopifyId: order.id,
        status: e.status.toLowerCase(),
        message: e.message ?? null,
        happenedAt: new Date(e.happenedAt),
        city: e.city ?? null,
        province: e.province ?? null,
        countryCode: e.country ?? null,
        estimatedDeliveryAt: date(e.estimatedDeliveryAt),
      };
      if ((await applyFulfillmentEvent(db, shop, scan)) === "created") counts.scansFound += 1;
    }
  }

  // A refund is written once, with every line: it is read whole above before it is applied.
  for (const r of whole.refunds) {
    if ((await applyRefund(db, shop, refundRecord(order, r))) === "created") counts.refundsFound += 1;
  }

  const returns = new Map((await shopifyReturnsOfOrder(db, shop, order.id)).map((r) => [r.shopifyId, r]));
  for (const { ret, lines: returnLines } of whole.returns) {
    // The lines' reasons in the words REST webhooks use (the mirror's), from GraphQL's definitions.
    const lines = returnLines.flatMap((l) =>
      "fulfillmentLineItem" in l
        ? [
            {
              lineItemShopifyId: l.fulfillmentLineItem.lineItem.id,
              quantity: l.quantity,
              reason: returnReasonWord(l.returnReasonDefinition),
            },
          ]
        : [],
    );
    const mirror = returns.get(ret.id);
    const status = ret.status.toLowerCase();
    const linesMissing = lines.length > 0 && (!mirror || !hasLines(mirror));
    if (mirror && mirror.status === status && !linesMissing) continue;
    const events = returnEvents({ ...ret, __parentId: order.id });
    counts.returnsFound += 1;
    if (!mirror) {
      for (const e of events) await applyReturnEvent(db, shop, e.topic, { ...e.record, lines }, e.eventAt);
      continue;
    }
    const last = events[events.length - 1];
    const record = linesMissing ? { ...last.record, lines } : last.record;
    const applied = await applyReturnEvent(db, shop, last.topic, record, last.eventAt);
    if (applied === "stale" && linesMissing) {
      // A webhook dated after the time GraphQL gives this return holds its status: keep that
      // status and that time, and add the lines it lacks.
      const kept = { ...record, status: mirror.status };
      await applyReturnEvent(db, shop, topicForReturnStatus(mirror.status), kept, mirror.lastEventAt);
    }
  }
}

/** A refund as refunds/create would record it: the refund transactions that succeeded, and its lines. */
function refundRecord(order: OrderDetail, whole: WholeOrder["refunds"][number]): RefundRecord {
  const { refund: r, transactions, lines: refundLines } = whole;
  const paid = transactions.filter((t) => t.kind === "REFUND" && t.status === "SUCCESS");
  const currency =
    paid[0]?.amountSet.shopMoney.currencyCode ??
    refundLines[0]?.subtotalSet.shopMoney.currencyCode ??
    order.currencyCode;
  const lines = new Map<string, { quantity: number; subtotalMinor: number; restockType: string | null }>();
  for (const rl of refundLines) {
    const prev = lines.get(rl.lineItem.id);
    lines.set(rl.lineItem.id, {
      quantity: (prev?.quantity ?? 0) + rl.quantity,
      subtotalMinor:
        (prev?.subtotalMinor ?? 0) + toMinor(rl.subtotalSet.shopMoney.amount, rl.subtotalSet.shopMoney.currencyCode),
      restockType: lower(rl.restockType),
    });
  }
  return {
    shopifyId: r.id,
    orderShopifyId: order.id,
    note: r.note ?? null,
    amountMinor: paid.reduce(
      (sum, t) => sum + toMinor(t.amountSet.shopMoney.amount, t.amountSet.shopMoney.currencyCode),
      0,
    ),
    currency,
    processedAt: date(r.processedAt),
    shopifyCreatedAt: new Date(r.createdAt ?? r.processedAt ?? order.updatedAt),
    lines: [...lines].map(([lineItemShopifyId, v]) => ({ lineItemShopifyId, ...v })),
  };
}
