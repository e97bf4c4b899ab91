/**
 * Shopify's return rules (Settings > Returns > Return rules) as the Customer Account API applies
 * them: a return window counted from delivery, a restocking fee (a percentage of what the returned
 * items cost after discounts) and a return shipping fee (a flat amount for each return), and who
 * provides the label. Shopify applies "the return rules at the time the order was placed": each
 * version of a shop's rules is kept from when it was set, and an order gets the one in force when
 * it was processed. A shop that never set rules has none, and returns cost nothing.
 *
 * The rules are kept on the shop's record (so they are saved with the sandbox's state), under a
 * field only this module reads and writes.
 */
import type { Fulfillment, LineItem, Order, Shop } from "./state";

export interface ReturnRules {
  /** When this version took effect (ISO 8601). */
  since: string;
  /** Days from delivery a unit can be returned; null for no limit. */
  windowDays: number | null;
  /** Percentage (0–100) of each returned line's price after discounts. */
  restockingFeePercent: number;
  /** Flat amount in the shop's currency's minor units, charged once per return; 0 for none. */
  returnShippingFeeMinor: number;
  shippingMethod: "MERCHANT_PROVIDED_LABEL" | "CUSTOMER_PROVIDED_LABEL";
}

type ShopWithRules = Shop & { returnRules?: ReturnRules[] };

/** Sets the shop's return rules from `since` on; orders placed before keep the rules they had. */
export function setReturnRules(shop: Shop, rules: Omit<ReturnRules, "since">, since: Date): ReturnRules {
  if (rules.restockingFeePercent < 0 || rules.restockingFeePercent > 100)
    throw new Error("A restocking fee is a percentage from 0 to 100.");
  if (!Number.isInteger(rules.returnShippingFeeMinor) || rules.returnShippingFeeMinor < 0)
    throw new Error("A return shipping fee is a whole amount of minor units, 0 or more.");
  if (rules.windowDays !== null && (!Number.isInteger(rules.windowDays) || rules.windowDays < 1))
    throw new Error("A return window is a whole number of days, 1 or more (or null for none).");
  const version = { ...rules, since: since.toISOString() };
  const holder = shop as ShopWithRules;
  holder.returnRules = [...(holder.returnRules ?? []), version].sort((a, b) => a.since.localeCompare(b.since));
  return version;
}

/** The rules in force when the order was placed, or null when the shop had none then. */
export function rulesForOrder(shop: Shop, order: Order): ReturnRules | null {
  const placed = Date.parse(order.processedAt);
  const versions = (shop as ShopWithRules).returnRules ?? [];
  return versions.filter((r) => Date.parse(r.since) <= placed).at(-1) ?? null;
}

/** When a shipment reached the shopper: its delivered scan, else (no tracking) when it was made. */
export function deliveredAt(f: Fulfillment): number {
  const delivered = f.events.filter((e) => e.status === "delivered").map((e) => Date.parse(e.happenedAt));
  return delivered.length ? Math.min(...delivered) : Date.parse(f.createdAt);
}

/** Whether a shipment's units are past the return window of the order's rules at `now`. */
export function windowExpired(rules: ReturnRules | null, f: Fulfillment, now: Date): boolean {
  if (!rules || rules.windowDays === null) return false;
  return now.getTime() > deliveredAt(f) + rules.windowDays * 86_400_000;
}

export interface ReturnAmounts {
  /** What the returned units cost before the order's discount codes. */
  subtotal: number;
  /** And after them (their share of each line's discount). */
  subtotalWithCartDiscount: number;
  tax: number;
  restockingFee: number;
  returnShippingFee: number;
  /** What the shopper gets back: items after discounts, with tax, less the fees (never below 0). */
  total: number;
  lines: { line: LineItem; quantity: number; subtotal: number; tax: number; restockingFee: number }[];
}

/**
 * A return's amounts as Shopify computes them for returnCalculate: each line's share by quantity
 * (rounded per line, as refunds are), the restocking fee per line, the shipping fee once.
 */
export function returnAmounts(rules: ReturnRules | null, lines: { line: LineItem; quantity: number }[]) {
  const rows = lines.map(({ line, quantity }) => {
    const share = (minor: number) => Math.round((minor * quantity) / line.quantity);
    const afterDiscount = share(line.priceMinor * line.quantity - line.discountMinor);
    return {
      line,
      quantity,
      subtotal: line.priceMinor * quantity,
      afterDiscount,
      tax: share(line.taxMinor),
      restockingFee: Math.round((afterDiscount * (rules?.restockingFeePercent ?? 0)) / 100),
    };
  });
  const total = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const subtotalWithCartDiscount = total((r) => r.afterDiscount);
  const tax = total((r) => r.tax);
  const restockingFee = total((r) => r.restockingFee);
  const returnShippingFee = rows.length ? (rules?.returnShippingFeeMinor ?? 0) : 0;
  const amounts: ReturnAmounts = {
    subtotal: total((r) => r.subtotal),
    subtotalWithCartDiscount,
    tax,
    restockingFee,
    returnShippingFee,
    total: Math.max(0, subtotalWithCartDiscount + tax - restockingFee - returnShippingFee),
    lines: rows.map(({ afterDiscount: _a, ...r }) => r),
  };
  return amounts;
}
