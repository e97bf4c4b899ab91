/**
 * The merchant's returns desk: the queue by status, one return with its order, shipments and the
 * customer's history, the desk's actions (each one a workflow step synced with Shopify), CSV
 * export and insights. Every query is scoped by shop.
 */
import type { Db } from "../../db.server";
import { fromMinor } from "../../domain/shared/money";
import { toCsv } from "../../utils/csv.server";
import { findOrderWithLineItems, fulfillmentsWithLines, refundAmountsOfOrder } from "../../models/orders.server";
import { orderMoney } from "../../domain/shared/order-money";
import { LIVE_STATUSES, RETURN_STATUSES, unusualReturnRate, type ReturnStatus } from "../../domain/returns/policy";
import { DESK_LIMIT, parseDeskFilter, reasonLabel, returnChannel, type DeskFilter } from "../../domain/returns/desk";
import { keyset, pageOf, type PageRequest } from "../../utils/paging.server";

import { ReturnsError } from "./errors.server";
import { findReturnCase } from "./cases.server";
import { returnRatesOfCustomerAndShop } from "./figures.server";
import { getReturnPolicy } from "./policy.server";
import {
  approveReturn,
  bulkApprove,
  declineReturn,
  receiveReturn,
  requestInShopify,
  resolveReturn,
  type WorkflowDeps,
} from "./workflow.server";

export { parseDeskFilter, type DeskFilter };

function where(shop: string, filter: DeskFilter) {
  const q = filter.query.trim();
  return {
    shop,
    ...(filter.status ? { status: filter.status } : {}),
    ...(q
      ? {
          OR: [
            { number: { contains: q.replace(/^#/, "").toUpperCase() } },
            { orderName: { contains: q.startsWith("#") ? q : `#${q}` } },
            { orderName: { contains: q } },
            { email: { contains: q.toLowerCase() } },
          ],
        }
      : {}),
  };
}

export async function statusCounts(db: Db, shop: string): Promise<Record<ReturnStatus, number>> {
  const groups = await db.returnCase.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const counts = Object.fromEntries(RETURN_STATUSES.map((s) => [s, 0])) as Record<ReturnStatus, number>;
  for (const g of groups) if (g.status in counts) counts[g.status as ReturnStatus] = g._count._all;
  return counts;
}

export async function listReturns(db: Db, shop: string, filter: DeskFilter, take = DESK_LIMIT) {
  const rows = await db.returnCase.findMany({
    where: where(shop, filter),
    include: { lines: { select: { title: true, quantity: true, reason: true } } },
    orderBy: { requestedAt: "desc" },
    take,
  });
  return rows;
}

export type DeskRow = Awaited<ReturnType<typeof listReturns>>[number];

/** A page of the desk, newest request first, by keyset on the request time (utils/paging.server.ts). */
export async function returnsPage(db: Db, shop: string, filter: DeskFilter, request: PageRequest) {
  const page = keyset(request, "requestedAt", "desc");
  const rows = await db.returnCase.findMany({
    where: { AND: [where(shop, filter), page.where] },
    include: { lines: { select: { title: true, quantity: true, reason: true } } },
    orderBy: page.orderBy,
    take: page.take,
  });
  return pageOf(rows, request, (r) => ({ at: r.requestedAt.toISOString(), id: r.id }));
}

/**
 * The customer of a return (by account, else by email): their returns, and their return rate
 * against the shop's, both by the dashboard's definition (figures.server.ts).
 */
async function customerHistory(
  db: Db,
  shop: string,
  ret: { id: string; customerShopifyId: string | null; email: string | null },
) {
  const who = ret.customerShopifyId
    ? { customerShopifyId: ret.customerShopifyId }
    : ret.email
      ? { email: ret.email }
      : null;
  if (!who) return { returns: [], ordersPlaced: 0, ordersReturned: 0, rate: 0, shopRate: 0, unusual: false };
  const buyer = ret.customerShopifyId
    ? { customerShopifyId: ret.customerShopifyId }
    : { emails: [...new Set([ret.email!, ret.email!.toLowerCase()])] };
  const [returns, rates] = await Promise.all([
    db.returnCase.findMany({
      where: { shop, ...who },
      include: { lines: { select: { quantity: true } } },
      orderBy: { requestedAt: "desc" },
      take: 50,
    }),
    returnRatesOfCustomerAndShop(db, shop, buyer, new Date()),
  ]);
  const live = returns.filter((r) => (LIVE_STATUSES as string[]).includes(r.status));
  return {
    returns: returns.map((r) => ({
      id: r.id,
      number: r.number,
      orderName: r.orderName,
      status: r.status,
      requestedAt: r.requestedAt,
      current: r.id === ret.id,
    })),
    ...rates,
    // The rule compares shares: of orders here, as the dashboard counts the return rate.
    unusual: unusualReturnRate(
      { returns: live.length, unitsReturned: rates.ordersReturned, unitsBought: rates.ordersPlaced },
      rates.shopRate,
    ),
  };
}

export async function returnDetail(db: Db, shop: string, id: string) {
  const ret = await findReturnCase(db, shop, id);
  if (!ret) return null;
  const [order, fulfillments, history, policy, refunds] = await Promise.all([
    findOrderWithLineItems(db, shop, ret.orderShopifyId),
    fulfillmentsWithLines(db, shop, ret.orderShopifyId),
    customerHistory(db, shop, ret),
    getReturnPolicy(db, shop),
    refundAmountsOfOrder(db, shop, ret.orderShopifyId),
  ]);
  return {
    ret: {
      ...ret,
      channel: returnChannel(ret.idempotencyKey),
      lines: ret.lines.map((l) => ({ ...l, reasonLabel: reasonLabel(l.reason, policy.reasons) })),
    },
    order: order && !order.redactedAt ? { ...order, money: orderMoney(order, refunds) } : null,
    fulfillments: fulfillments.map((f) => ({
      id: f.id,
      name: f.name,
      status: f.status,
      shipmentStatus: f.shipmentStatus,
      trackingCompany: f.trackingCompany,
      trackingNumbers: JSON.parse(f.trackingNumbers) as string[],
      shippedAt: f.shopifyCreatedAt,
      deliveredAt: f.deliveredAt,
      items: f.lines.map((l) => ({
        title: order?.lineItems.find((li) => li.shopifyId === l.lineItemShopifyId)?.title ?? "Item",
        quantity: l.quantity,
      })),
    })),
    history,
  };
}

export type DeskAction =
  | { intent: "approve" }
  | { intent: "decline"; reason: string; note: string }
  | { intent: "receive"; dispositions: Record<string, string> }
  | { intent: "resolve" }
  | { intent: "sync" }
  | { intent: "bulk_approve"; ids: string[] };

/** Reads a desk form; a form that names no known action is a 400 the merchant can act on. */
export function parseDeskAction(form: FormData): DeskAction {
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "approve":
    case "resolve":
    case "sync":
      return { intent };
    case "decline":
      return { intent, reason: String(form.get("reason") ?? ""), note: String(form.get("note") ?? "").trim() };
    case "receive": {
      const dispositions: Record<string, string> = {};
      for (const [key, value] of form.entries())
        if (key.startsWith("disposition:")) dispositions[key.slice("disposition:".length)] = String(value);
      return { intent, dispositions };
    }
    case "bulk_approve": {
      const ids = form.getAll("ids").map(String).filter(Boolean);
      if (ids.length === 0)
        throw new ReturnsError(400, "nothing_selected", "Select at least one requested return to approve.");
      if (ids.length > 100) throw new ReturnsError(400, "too_many", "Approve at most 100 returns at a time.");
      return { intent, ids };
    }
    default:
      throw new ReturnsError(
        400,
        "unknown_action",
        "That action is not available on a return. Reload the page and try again.",
      );
  }
}

const DONE: Record<Exclude<DeskAction["intent"], "bulk_approve">, string> = {
  approve: "Return approved",
  decline: "Return declined",
  receive: "Items received",
  resolve: "Return resolved and closed",
  sync: "Return sent to Shopify",
};

/** Runs one desk action on one return (or many, for bulk approve). */
export async function runDeskAction(shop: string, id: string | null, action: DeskAction, deps: WorkflowDeps) {
  if (action.intent === "bulk_approve") {
    const results = await bulkApprove(shop, action.ids, deps);
    const approved = results.filter((r) => r.ok).length;
    const failed = results.filter((r) => !r.ok);
    return {
      message:
        `${approved} return${approved === 1 ? "" : "s"} ` +
        `approved${failed.length ? `; ${failed.length} could not be: ${failed[0].message}` : ""}`,
      results,
    };
  }
  if (!id) throw new ReturnsError(400, "no_return", "Open a return first.");
  if (!(await findReturnCase(deps.db, shop, id)))
    throw new ReturnsError(404, "not_found", "That return does not exist in this shop.");
  switch (action.intent) {
    case "approve":
      await approveReturn(shop, id, deps);
      break;
    case "decline":
      await declineReturn(shop, id, { reason: action.reason, note: action.note }, deps);
      break;
    case "receive":
      await receiveReturn(shop, id, action.dispositions, deps);
      break;
    case "resolve":
      await resolveReturn(shop, id, deps);
      break;
    case "sync":
      await requestInShopify(shop, id, deps);
      break;
  }
  return { message: DONE[action.intent], results: [] };
}

// ---------------------------------------------------------------------------------------------
// Export and insights

/** The desk's rows as CSV (utils/csv.server.ts keeps shoppers' text from running as formulas). */
export function returnsCsv(rows: DeskRow[]): string {
  const header = [
    "Return",
    "Order",
    "Email",
    "Status",
    "Resolution",
    "Currency",
    "Items value",
    "Restocking fee",
    "Shipping fee",
    "Bonus",
    "Amount to shopper",
    "Items",
    "Reasons",
    "Requested at",
    "Closed at",
    "Shopify return",
  ];
  const lines = rows.map((r) => [
    r.number,
    r.orderName,
    r.email,
    r.status,
    r.resolution,
    r.currency,
    fromMinor(r.itemsMinor, r.currency),
    fromMinor(r.restockingFeeMinor, r.currency),
    fromMinor(r.shippingFeeMinor, r.currency),
    fromMinor(r.bonusMinor, r.currency),
    fromMinor(r.resolutionMinor, r.currency),
    r.lines.map((l) => `${l.quantity} × ${l.title}`).join("; "),
    [...new Set(r.lines.map((l) => l.reason))].join("; "),
    r.requestedAt,
    r.closedAt,
    r.shopifyReturnName,
  ]);
  return toCsv([header, ...lines]);
}
