/**
 * The money of an exchange, in minor units (docs/decisions/0010-return-exchanges.md): the new items
 * may cost at most what the returned items are worth once fees are taken off, because Aftercare
 * cannot take a payment and Shopify would hold the replacement until a balance is paid. What is
 * left over, plus the exchange bonus, goes to the shopper's store credit. No I/O.
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
  };
}

/** One new item per returned unit: the new items of a return's lines, priced per unit. */
export function newItemsMinor(lines: { quantity: number; unitPriceMinor: number }[]): number {
  return lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0);
}

/**
 * What an exchange leaves the shopper as store credit: what the returned items were worth after
 * fees, less the new items, plus the bonus (resolutionMinor holds worth + bonus). An exchange
 * requested before prices were kept (no unit price on its lines) only ever credited its bonus.
 */
export function exchangeCreditMinor(ret: {
  resolutionMinor: number;
  exchangeMinor: number;
  bonusMinor: number;
  lines: { exchangeUnitPriceMinor: number | null }[];
}): number {
  const priced = ret.lines.every((l) => l.exchangeUnitPriceMinor !== null);
  return priced ? Math.max(0, ret.resolutionMinor - ret.exchangeMinor) : ret.bonusMinor;
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
