import type { Db } from "../db.server";
import type { FulfillmentEventRecord, FulfillmentRecord, OrderRecord, RefundRecord } from "../webhooks/payloads";

/** The personal fields of an order, as they are after customers/redact. */
export const REDACTED_ORDER_FIELDS = {
  email: null,
  phone: null,
  shippingCity: null,
  shippingProvince: null,
  shippingZip: null,
} as const;

export type ApplyResult = "created" | "updated" | "stale" | "unchanged";

/**
 * Writes an order snapshot unless a newer one is already stored. The conditional update is the
 * guard: on PostgreSQL a concurrent writer's row lock makes the second update re-check the
 * condition, so the newest snapshot wins whatever order the webhooks are processed in.
 */
export async function applyOrder(db: Db, shop: string, order: OrderRecord): Promise<ApplyResult> {
  const { lineItems, ...fields } = order;
  return db.$transaction(async (tx) => {
    const updated = await tx.order.updateMany({
      where: { shop, shopifyId: order.shopifyId, shopifyUpdatedAt: { lte: order.shopifyUpdatedAt }, redactedAt: null },
      data: fields,
    });
    // An order whose customer asked to be forgotten keeps its commercial facts up to date but
    // never gets the personal ones back from a late webhook.
    const redacted = await tx.order.updateMany({
      where: { shop, shopifyId: order.shopifyId, shopifyUpdatedAt: { lte: order.shopifyUpdatedAt }, redactedAt: { not: null } },
      data: { ...fields, ...REDACTED_ORDER_FIELDS },
    });
    updated.count += redacted.count;
    let orderId: string;
    let result: ApplyResult;
    if (updated.count === 0) {
      const existing = await tx.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: order.shopifyId } }, select: { id: true } });
      if (existing) return "stale";
      const created = await tx.order.create({ data: { shop, ...fields }, select: { id: true } });
      orderId = created.id;
      result = "created";
    } else {
      const row = await tx.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: order.shopifyId } }, select: { id: true } });
      orderId = row.id;
      result = "updated";
    }
    for (const item of lineItems) {
      await tx.lineItem.upsert({
        where: { orderId_shopifyId: { orderId, shopifyId: item.shopifyId } },
        create: { orderId, ...item },
        update: item,
      });
    }
    return result;
  });
}

export async function applyFulfillment(db: Db, shop: string, f: FulfillmentRecord): Promise<ApplyResult> {
  const { lines, trackingNumbers, trackingUrls, estimatedDeliveryAt, ...rest } = f;
  const fields = {
    ...rest,
    // Shopify's fulfillment payloads rarely carry an estimate; a carrier scan's estimate must
    // not be wiped by a later fulfillments/update that simply does not mention one.
    ...(estimatedDeliveryAt ? { estimatedDeliveryAt } : {}),
    trackingNumbers: JSON.stringify(trackingNumbers),
    trackingUrls: JSON.stringify(trackingUrls),
  };
  return db.$transaction(async (tx) => {
    const updated = await tx.fulfillment.updateMany({
      where: { shop, shopifyId: f.shopifyId, shopifyUpdatedAt: { lte: f.shopifyUpdatedAt } },
      data: fields,
    });
    let fulfillmentId: string;
    let result: ApplyResult;
    if (updated.count === 0) {
      const existing = await tx.fulfillment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: f.shopifyId } }, select: { id: true } });
      if (existing) return "stale";
      fulfillmentId = (await tx.fulfillment.create({ data: { shop, ...fields }, select: { id: true } })).id;
      result = "created";
    } else {
      fulfillmentId = (await tx.fulfillment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: f.shopifyId } }, select: { id: true } })).id;
      result = "updated";
    }
    for (const line of lines) {
      await tx.fulfillmentLine.upsert({
        where: { fulfillmentId_lineItemShopifyId: { fulfillmentId, lineItemShopifyId: line.lineItemShopifyId } },
        create: { fulfillmentId, ...line },
        update: { quantity: line.quantity },
      });
    }
    return result;
  });
}

/** Milestones that stamp a time on the shipment itself, for delivery statistics. */
const STAMPS: Record<string, "deliveredAt" | "inTransitAt"> = { delivered: "deliveredAt", in_transit: "inTransitAt" };

/**
 * Records a carrier scan once (keyed by its gid). The newest scan also sets the shipment's
 * status, unless a fulfillment update newer than that scan already said something else.
 */
export async function applyFulfillmentEvent(db: Db, shop: string, e: FulfillmentEventRecord): Promise<ApplyResult> {
  return db.$transaction(async (tx) => {
    const existing = await tx.fulfillmentEvent.findUnique({ where: { shop_shopifyId: { shop, shopifyId: e.shopifyId } }, select: { id: true } });
    if (existing) return "unchanged";
    await tx.fulfillmentEvent.create({ data: { shop, ...e } });
    const newer = await tx.fulfillmentEvent.findFirst({
      where: { shop, fulfillmentShopifyId: e.fulfillmentShopifyId, happenedAt: { gt: e.happenedAt } },
      select: { id: true },
    });
    if (!newer) {
      await tx.fulfillment.updateMany({
        where: { shop, shopifyId: e.fulfillmentShopifyId, shopifyUpdatedAt: { lte: e.happenedAt } },
        data: {
          shipmentStatus: e.status,
          ...(e.estimatedDeliveryAt ? { estimatedDeliveryAt: e.estimatedDeliveryAt } : {}),
        },
      });
    }
    const stamp = STAMPS[e.status];
    if (stamp) {
      // The earliest scan of a kind is the one that counts (a repeated "delivered" scan does not move it).
      await tx.fulfillment.updateMany({
        where: { shop, shopifyId: e.fulfillmentShopifyId, OR: [{ [stamp]: null }, { [stamp]: { gt: e.happenedAt } }] },
        data: { [stamp]: e.happenedAt },
      });
    }
    return "created";
  });
}

/** Refunds never change once made: recorded once by gid. */
export async function applyRefund(db: Db, shop: string, r: RefundRecord): Promise<ApplyResult> {
  const { lines, ...fields } = r;
  return db.$transaction(async (tx) => {
    const existing = await tx.refund.findUnique({ where: { shop_shopifyId: { shop, shopifyId: r.shopifyId } }, select: { id: true } });
    if (existing) return "unchanged";
    await tx.refund.create({ data: { shop, ...fields, lines: { create: lines } } });
    return "created";
  });
}
