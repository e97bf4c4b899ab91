/**
 * The money of an exchange, in minor units (docs/decisions/0010-return-exchanges.md and
 * 0032-exchange-price-difference.md). New items that cost less than the returned items are worth
 * once fees are taken off leave the rest, plus the exchange bonus, as store credit. New items that
 * cost more leave the order a balance in Shopify, which the shopper pays through Shopify's invoice:
 * the new items less what the returned items were paid (Shopify's balance knows nothing of
 * Aftercare's fees, so none are added to it), before tax. The bonus never pays toward it; it is
 * credited as always. No I/O.
 */
import type { Quote } from "./policy";

export interface ExchangeQuote {
  /** The returned items after restocking and return shipping fees. */
  valueMinor: number;
  /** What the new items cost, at their price when requested. */
  newItemsMinor: number;
  /** value − new items: what is left over (negative: the new items cost more). */
  differenceMinor: number;
  bonusMinor: number;
  /** Credited when the exchange completes: the leftover and the bonus. */
  storeCreditMinor: number;
  /** False when the new items cost more than the returned items are worth. */
  covered: boolean;
  /** What the shopper pays through Shopify before the new items ship (before tax); 0 when covered. */
  payMinor: number;
}

export function quoteExchange(quote: Quote, newItemsMinor: number): ExchangeQuote {
  const valueMinor = quote.itemsMinor - quote.restockingFeeMinor - quote.shippingFeeMinor;
  const differenceMinor = valueMinor - newItemsMinor;
  return {
    valueMinor,
    newItemsMinor,
    differenceMinor,
    bonusMinor: quote.bonusMinor,
    storeCreditMinor: Math.max(0, differenceMinor) + quote.bonusMinor,
    covered: differenceMinor >= 0,
    payMinor: Math.max(0, newItemsMinor - quote.itemsMinor),
  };
}

/** What a recorded exchange asks the shopper to pay, by the same rule as quoteExchange. */
export function exchangePayMinor(ret: { itemsMinor: number; exchangeMinor: number; resolution: string }): number {
  return ret.resolution.startsWith("exchange_") ? Math.max(0, ret.exchangeMinor - ret.itemsMinor) : 0;
}

/** One new item per returned unit: the new items of a return's lines, priced per unit. */
export function newItemsMinor(lines: { quantity: number; unitPriceMinor: number }[]): number {
  return lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0);
}

/**
 * What an exchange leaves the shopper as store credit: what the returned items were worth after
 * fees, less the new items (never below zero: a dearer item is paid for, not taken from the
 * bonus), plus the bonus (resolutionMinor holds worth + bonus). An exchange requested before
 * prices were kept (no unit price on its lines) only ever credited its bonus.
 */
export function exchangeCreditMinor(ret: {
  resolutionMinor: number;
  exchangeMinor: number;
  bonusMinor: number;
  lines: { exchangeUnitPriceMinor: number | null }[];
}): number {
  const priced = ret.lines.every((l) => l.exchangeUnitPriceMinor !== null);
  return priced
    ? Math.max(0, ret.resolutionMinor - ret.bonusMinor - ret.exchangeMinor) + ret.bonusMinor
    : ret.bonusMinor;
}

/**
 * What Aftercare can honestly tell a shopper about their replacement: chosen but waiting for the
 * shop's approval, in Shopify's return (it ships once the items are back), or added to the order.
 */
export type ExchangeState = "pending" | "confirmed" | "added";

export function exchangeState(line: {
  shopifyExchangeLineItemId: string | null;
  replacementLineItemShopifyId: string | null;
}): ExchangeState {
  if (line.replacementLineItemShopifyId) return "added";
  return line.shopifyExchangeLineItemId ? "confirmed" : "pending";
}

/**
 * Where a dearer exchange's price difference stands: to be asked for once the shop approves (the
 * amount quoted), asked for by Shopify's invoice (Shopify's figure), or paid. Null when nothing is
 * to pay.
 */
export type ExchangePayment = { state: "due" | "awaiting" | "paid"; amountMinor: number } | null;

export function exchangePayment(ret: {
  resolution: string;
  itemsMinor: number;
  exchangeMinor: number;
  paymentDueMinor: number;
  paymentRequestedAt: Date | null;
  paidAt: Date | null;
}): ExchangePayment {
  if (ret.paidAt) return { state: "paid", amountMinor: ret.paymentDueMinor };
  if (ret.paymentRequestedAt && ret.paymentDueMinor > 0) return { state: "awaiting", amountMinor: ret.paymentDueMinor };
  const pay = exchangePayMinor(ret);
  return pay > 0 && !ret.paymentRequestedAt ? { state: "due", amountMinor: pay } : null;
}
