import { describe, expect, it } from "vitest";

import { orderMoney } from "./order-money";

describe("orderMoney", () => {
  it("reads what was paid as today's total plus what was refunded", () => {
    // The order: $141 paid, $68 refunded, Shopify's current total $73.
    expect(
      orderMoney({ totalMinor: 7300, currency: "USD" }, [
        { amountMinor: 5000, currency: "USD" },
        { amountMinor: 1800, currency: "USD" },
      ]),
    ).toEqual({ paidMinor: 14100, refundedMinor: 6800, currentMinor: 7300 });
  });

  it("is the total when nothing was refunded, and leaves out a refund in another currency", () => {
    expect(orderMoney({ totalMinor: 14100, currency: "USD" }, [])).toEqual({
      paidMinor: 14100,
      refundedMinor: 0,
      currentMinor: 14100,
    });
    expect(
      orderMoney({ totalMinor: 7300, currency: "USD" }, [{ amountMinor: 900, currency: "CAD" }]).refundedMinor,
    ).toBe(0);
  });
});
