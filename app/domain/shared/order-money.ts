/**
 * What a shopper paid for an order and what was refunded, for every card that shows an order with a
 * amount. Shopify's current total (`current_total_price`, what the mirror keeps as `totalMinor`)
 * is the total after refunds: shown alone beside "Placed", a $141 order with $68 refunded read
 * "Placed … · $73.00". What was paid is that total plus what was refunded since, in the order's
 * currency (a refund in another currency is left out rather than added as if it were the same).
 */
export interface OrderMoney {
  paidMinor: number;
  refundedMinor: number;
  /** What the order comes to now, after refunds. */
  currentMinor: number;
}

export function orderMoney(
  order: { totalMinor: number; currency: string },
  refunds: ReadonlyArray<{ amountMinor: number; currency: string }>,
): OrderMoney {
  const refundedMinor = refunds
    .filter((r) => r.currency === order.currency)
    .reduce((sum, r) => sum + Math.max(0, r.amountMinor), 0);
  return { paidMinor: order.totalMinor + refundedMinor, refundedMinor, currentMinor: order.totalMinor };
}
