import type { Db, Tx } from "../db.server";
import type { ReturnRecord } from "../webhooks/payloads";

import type { ApplyResult } from "./orders.server";

/** The status each returns/* topic leaves a return in, when its payload does not say. */
export const RETURN_STATUS_BY_TOPIC: Record<string, string> = {
  "returns/request": "requested",
  "returns/approve": "open",
  "returns/decline": "declined",
  "returns/process": "open",
  "returns/close": "closed",
  "returns/cancel": "canceled",
};

/**
 * Keeps Shopify's view of a return. Return payloads carry no updated_at, so the webhook's
 * X-Shopify-Triggered-At orders them: an event older than the last one applied changes nothing.
 */
export async function applyReturnEvent(
  db: Db,
  shop: string,
  topic: string,
  r: ReturnRecord,
  eventAt: Date,
): Promise<ApplyResult> {
  return db.$transaction((tx) => applyReturnEventTx(tx, shop, topic, r, eventAt));
}

/** The columns a return event writes. */
function returnData(topic: string, r: ReturnRecord, eventAt: Date) {
  const status = r.status ?? RETURN_STATUS_BY_TOPIC[topic] ?? "open";
  return {
    status,
    ...(r.orderShopifyId ? { orderShopifyId: r.orderShopifyId } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(r.declineReason ? { declineReason: r.declineReason, declineNote: r.declineNote } : {}),
    ...(r.totalQuantity === null ? {} : { totalQuantity: r.totalQuantity }),
    ...(r.lines ? { lines: JSON.stringify(r.lines) } : {}),
    ...(topic === "returns/request" ? { requestedAt: eventAt } : {}),
    ...(status === "closed" ? { closedAt: eventAt } : {}),
    lastEventAt: eventAt,
  };
}

/** applyReturnEvent inside the caller's transaction (the history import's batches). */
export async function applyReturnEventTx(
  tx: Tx,
  shop: string,
  topic: string,
  r: ReturnRecord,
  eventAt: Date,
): Promise<ApplyResult> {
  const data = returnData(topic, r, eventAt);
  const existing = await tx.shopifyReturn.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: r.shopifyId } },
    select: { id: true, lastEventAt: true },
  });
  if (!existing) {
    await tx.shopifyReturn.create({ data: { shop, shopifyId: r.shopifyId, ...data } });
    return "created";
  }
  if (existing.lastEventAt > eventAt) return "stale";
  await tx.shopifyReturn.update({ where: { id: existing.id }, data });
  return "updated";
}

/** Shopify's returns of an order, the latest changed first. */
export async function shopifyReturnsOfOrder(db: Db, shop: string, orderShopifyId: string) {
  return db.shopifyReturn.findMany({ where: { shop, orderShopifyId }, orderBy: { lastEventAt: "desc" } });
}

/**
 * The lines of Shopify's returns requested in [start, end), with their reasons, each tagged with
 * its return's id (so a return the returns area also holds is counted once).
 */
export async function shopifyReturnLinesRequested(db: Db, shop: string, period: { start: Date; end: Date }) {
  const rows = await db.shopifyReturn.findMany({
    where: { shop, requestedAt: { gte: period.start, lt: period.end } },
    select: { shopifyId: true, lines: true },
  });
  return rows.flatMap((r) => {
    try {
      const lines = JSON.parse(r.lines) as { reason?: string; quantity?: number }[];
      return lines.map((l) => ({ returnId: r.shopifyId, reason: l.reason ?? null, quantity: l.quantity ?? 0 }));
    } catch {
      return []; // A malformed mirror row has no reasons to give.
    }
  });
}
