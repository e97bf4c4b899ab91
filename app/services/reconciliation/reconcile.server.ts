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
import { adminClient, type AdminClientOptions, type GraphqlFn } from "../../shopify/admin.server";
import { ReconcileOrderDetail, ReconcileOrderPage } from "../../shopify/operations/reconciliation";
import type { ReconcileOrderDetailQuery, ReconcileOrderPageQuery } from "../../shopify/operations/types.generated";
import { toMinor } from "../../domain/shared/money";
import type { FulfillmentEventRecord, RefundRecord } from "../../webhooks/payloads";
import { customerRecord, fulfillmentRecords, orderRecord, returnEvents } from "../history-import/records";

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
  | { status: "completed"; counts: ReconciliationCounts; incomplete: string[]; cursor: Date }
  | { status: "busy" }
  | { status: "failed"; error: string; counts: ReconciliationCounts };

type OrderDetail = NonNullable<ReconcileOrderDetailQuery["order"]>;

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
  const incomplete: string[] = [];
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
        const { order } = await admin.request(ReconcileOrderDetail, { id: node.id });
        // Deleted since the page was read: nothing to bring over.
        if (order) {
          counts.ordersSeen += 1;
          if (await reconcileOrder(deps.db, shop, order, counts)) incomplete.push(order.id);
        }
        const seen = new Date(node.updatedAt);
        if (seen > cursor) cursor = seen;
      }
      if (!page.orders.pageInfo.hasNextPage || !page.orders.pageInfo.endCursor) break;
      after = page.orders.pageInfo.endCursor;
    }
    if (incomplete.length > 0)
      deps.log?.(`${shop}: ${incomplete.length} orders had more nested items than one query reads`);
    await finishReconciliation(deps.db, shop, { cursor, finishedAt: clock(), counts });
    return { status: "completed", counts, incomplete, cursor };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    await failReconciliation(deps.db, shop, message, clock(), counts);
    return { status: "failed", error: message, counts };
  }
}

const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : null);
const date = (value: string | null | undefined) => (value ? new Date(value) : null);

/**
 * Applies one order and what hangs off it; adds what was missing to `counts`. Returns true when
 * a nested list was longer than the query reads (the rest is left to webhooks and a later pass).
 */
export async function reconcileOrder(
  db: Db,
  shop: string,
  order: OrderDetail,
  counts: ReconciliationCounts,
): Promise<boolean> {
  let truncated = order.lineItems.pageInfo.hasNextPage || order.returns.pageInfo.hasNextPage;
  truncated ||= order.fulfillments.length >= 5 || order.refunds.length >= 3;

  const customer = customerRecord(order);
  if (customer) await applyCustomer(db, shop, customer);
  const stored = await storedOrderUpdatedAt(db, shop, order.id);
  const lineItems = order.lineItems.nodes.map((li) => ({ ...li, __parentId: order.id }));
  const result = await applyOrder(db, shop, orderRecord({ order, lineItems, returns: [] }));
  if (result === "created") counts.ordersCreated += 1;
  else if (result === "updated" && stored && stored < new Date(order.updatedAt)) counts.ordersUpdated += 1;

  const shipments = new Map((await fulfillmentsWithLines(db, shop, order.id)).map((f) => [f.shopifyId, f]));
  const records = fulfillmentRecords(order);
  for (const [i, f] of order.fulfillments.entries()) {
    truncated ||= f.fulfillmentLineItems.pageInfo.hasNextPage || f.events.pageInfo.hasNextPage;
    const lines = new Map<string, number>();
    for (const l of f.fulfillmentLineItems.nodes)
      lines.set(l.lineItem.id, (lines.get(l.lineItem.id) ?? 0) + (l.quantity ?? 0));
    const record = {
      ...records[i],
      lines: [...lines].map(([lineItemShopifyId, quantity]) => ({ lineItemShopifyId, quantity })),
    };
    const mirror = shipments.get(f.id);
    const missing =
      !mirror ||
      mirror.shopifyUpdatedAt < record.shopifyUpdatedAt ||
      record.lines.some((l) => !mirror.lines.some((m) => m.lineItemShopifyId === l.lineItemShopifyId));
    await applyFulfillment(db, shop, record);
    if (missing) counts.shipmentsFound += 1;
    for (const e of f.events.nodes) {
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

  for (const r of order.refunds) {
    // A refund is written once: one read without all its lines would never get the rest.
    if (r.refundLineItems.pageInfo.hasNextPage) {
      truncated = true;
      continue;
    }
    if ((await applyRefund(db, shop, refundRecord(order, r))) === "created") counts.refundsFound += 1;
  }

  const returns = new Map((await shopifyReturnsOfOrder(db, shop, order.id)).map((r) => [r.shopifyId, r]));
  for (const ret of order.returns.nodes) {
    truncated ||= ret.returnLineItems.pageInfo.hasNextPage;
    const mirror = returns.get(ret.id);
    const status = ret.status.toLowerCase();
    if (mirror && mirror.status === status) continue;
    const events = returnEvents({ ...ret, __parentId: order.id });
    // The lines' reasons: GraphQL has only the reason definition, REST webhooks the older enum;
    // the mirror keeps the webhooks' words, so a return first seen here has lines without one.
    const lines = ret.returnLineItems.nodes.flatMap((l) =>
      "fulfillmentLineItem" in l
        ? [{ lineItemShopifyId: l.fulfillmentLineItem.lineItem.id, quantity: l.quantity, reason: null }]
        : [],
    );
    for (const e of mirror ? events.slice(-1) : events) {
      const record = mirror && mirror.lines !== "[]" ? e.record : { ...e.record, lines };
      await applyReturnEvent(db, shop, e.topic, record, e.eventAt);
    }
    counts.returnsFound += 1;
  }
  return truncated;
}

/** A refund as refunds/create would record it: the refund transactions that succeeded, and its lines. */
function refundRecord(order: OrderDetail, r: OrderDetail["refunds"][number]): RefundRecord {
  const paid = r.transactions.nodes.filter((t) => t.kind === "REFUND" && t.status === "SUCCESS");
  const currency =
    paid[0]?.amountSet.shopMoney.currencyCode ??
    r.refundLineItems.nodes[0]?.subtotalSet.shopMoney.currencyCode ??
    order.currencyCode;
  const lines = new Map<string, { quantity: number; subtotalMinor: number; restockType: string | null }>();
  for (const rl of r.refundLineItems.nodes) {
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
