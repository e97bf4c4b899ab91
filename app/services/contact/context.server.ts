/**
 * What the inbox shows beside a request so the merchant answers without asking again: the linked
 * order, its shipments and their status, any return, and whatever other areas add (loyalty
 * tier ...) through registerInboxContext.
 */
import { orderMoney } from "../../domain/shared/order-money";
import type { Db } from "../../db.server";
import { findOrderForInbox, fulfillmentsOfOrder, refundAmountsOfOrder } from "../../models/orders.server";
import { shopifyReturnsOfOrder } from "../../models/shopify-returns.server";
import { trackingOfOrder } from "../../models/tracking.server";

export interface ContextFact {
  label: string;
  value: string;
  tone?: "success" | "warning" | "critical" | "info";
}

export interface InboxContextProvider {
  name: string;
  facts(
    db: Db,
    shop: string,
    subject: { orderShopifyId: string | null; customerShopifyId: string | null; email: string | null },
  ): Promise<ContextFact[]>;
}

const providers: InboxContextProvider[] = [];

/** Another area adds facts to the inbox's order panel (called at start-up, from its register). */
export function registerInboxContext(provider: InboxContextProvider) {
  if (!providers.some((p) => p.name === provider.name)) providers.push(provider);
}

export async function orderContext(
  db: Db,
  shop: string,
  request: { orderShopifyId: string | null; customerShopifyId: string | null; email: string | null },
) {
  const order = request.orderShopifyId ? await findOrderForInbox(db, shop, request.orderShopifyId) : null;
  const [fulfillments, returns, refunds] = order
    ? await Promise.all([
        fulfillmentsOfOrder(db, shop, order.shopifyId),
        shopifyReturnsOfOrder(db, shop, order.shopifyId),
        refundAmountsOfOrder(db, shop, order.shopifyId),
      ])
    : [[], [], []];
  const tracking = order ? await trackingOfOrder(db, shop, order.shopifyId) : [];
  const extra: { area: string; facts: ContextFact[] }[] = [];
  const subject = {
    orderShopifyId: order?.shopifyId ?? null,
    customerShopifyId: request.customerShopifyId ?? order?.customerShopifyId ?? null,
    email: request.email,
  };
  for (const p of providers) {
    try {
      const facts = await p.facts(db, shop, subject);
      if (facts.length) extra.push({ area: p.name, facts });
    } catch (error) {
      // One area's trouble must not hide the order from the merchant.
      console.error(`[contact] context from ${p.name} failed`, error);
    }
  }
  return {
    order: order
      ? {
          name: order.name,
          placedAt: order.shopifyCreatedAt.toISOString(),
          // What was paid and what was refunded (Shopify's current total is after refunds).
          ...orderMoney(order, refunds),
          currency: order.currency,
          financialStatus: order.financialStatus,
          fulfillmentStatus: order.fulfillmentStatus ?? "unfulfilled",
          cancelled: order.cancelledAt !== null,
          items: order.lineItems.map((l) => `${l.quantity} × ${l.title}`),
        }
      : null,
    shipments: fulfillments.map((f) => {
      const t = tracking.find((x) => x.fulfillmentShopifyId === f.shopifyId);
      return {
        name: f.name,
        carrier: f.trackingCompany,
        trackingNumber: (JSON.parse(f.trackingNumbers) as string[])[0] ?? null,
        status: f.shipmentStatus ?? t?.stage ?? f.status,
        deliveredAt: f.deliveredAt?.toISOString() ?? null,
        problem: t?.problem ?? null,
      };
    }),
    returns: returns.map((r) => ({ name: r.name, status: r.status, quantity: r.totalQuantity })),
    refunds: refunds.map((r) => ({
      amountMinor: r.amountMinor,
      currency: r.currency,
      at: r.shopifyCreatedAt.toISOString(),
    })),
    extra,
  };
}

export type OrderContext = Awaited<ReturnType<typeof orderContext>>;
