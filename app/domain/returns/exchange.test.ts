import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { exchangeCreditMinor, exchangeState, newItemsMinor, quoteExchange } from "./exchange";
import { DEFAULT_RETURN_POLICY, quoteReturn, type ReturnPolicy } from "./policy";

const policy = (fees: Partial<ReturnPolicy["fees"]>, exchangeBonusPercent = 0): ReturnPolicy => ({
  ...structuredClone(DEFAULT_RETURN_POLICY),
  fees: { ...DEFAULT_RETURN_POLICY.fees, ...fees },
  resolutions: { ...DEFAULT_RETURN_POLICY.resolutions, exchangeAny: true, exchangeBonusPercent },
});

describe("the money of an exchange", () => {
  it("a cheaper item leaves the difference, and the bonus, as store credit", () => {
    // A 35.00 tee for a 24.00 mug, 10% exchange bonus, fees waived for exchanges.
    const q = quoteExchange(
      quoteReturn(policy({ restockingPercent: 10, waiveForExchanges: true }, 10), 3500, "exchange_any"),
      2400,
    );
    expect(q).toEqual({
      valueMinor: 3500,
      newItemsMinor: 2400,
      differenceMinor: 1100,
      bonusMinor: 350,
      storeCreditMinor: 1450,
      covered: true,
      payMinor: 0,
    });
  });

  it("the same price leaves only the bonus", () => {
    expect(quoteExchange(quoteReturn(policy({}), 3200, "exchange_variant"), 3200)).toMatchObject({
      differenceMinor: 0,
      storeCreditMinor: 0,
      covered: true,
    });
  });

  it("fees that are not waived come off what the new items may cost", () => {
    const quote = quoteReturn(
      policy({ restockingPercent: 10, returnShippingMinor: 500, waiveForExchanges: false }),
      3500,
      "exchange_variant",
    );
    expect(quoteExchange(quote, 2650)).toMatchObject({ valueMinor: 2650, differenceMinor: 0, covered: true });
    // Not covered, but Shopify's balance carries no fees: nothing more to pay until the items' price.
    expect(quoteExchange(quote, 2651)).toMatchObject({ differenceMinor: -1, covered: false, payMinor: 0 });
    expect(quoteExchange(quote, 3600)).toMatchObject({ covered: false, payMinor: 100, storeCreditMinor: 0 });
  });

  it("a dearer item is paid for, even when the bonus would cover it; the bonus is still credited", () => {
    const q = quoteExchange(quoteReturn(policy({}, 50), 3000, "exchange_any"), 3100);
    expect(q).toMatchObject({ differenceMinor: -100, bonusMinor: 1500, covered: false, payMinor: 100 });
    expect(q.storeCreditMinor).toBe(1500);
  });

  it("never credits less than the bonus, and everything adds up, in whole minor units", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        (items, newItems, restocking, bonus, waive) => {
          const quote = quoteReturn(
            policy({ restockingPercent: restocking, returnShippingMinor: 300, waiveForExchanges: waive }, bonus),
            items,
            "exchange_any",
          );
          const q = quoteExchange(quote, newItems);
          expect(Number.isInteger(q.storeCreditMinor)).toBe(true);
          expect(q.storeCreditMinor).toBeGreaterThanOrEqual(q.bonusMinor);
          expect(q.covered).toBe(newItems <= q.valueMinor);
          expect(q.payMinor).toBe(Math.max(0, newItems - items));
          if (q.covered) expect(q.payMinor).toBe(0);
          // The credit a recorded exchange leaves is the credit it was quoted.
          expect(
            exchangeCreditMinor({
              resolutionMinor: quote.totalMinor,
              exchangeMinor: newItems,
              bonusMinor: quote.bonusMinor,
              lines: [{ exchangeUnitPriceMinor: newItems }],
            }),
          ).toBe(q.storeCreditMinor);
          // Covered: what the shopper gets (new items + credit) is exactly the return's quote.
          if (q.covered) expect(q.newItemsMinor + q.storeCreditMinor).toBe(quote.totalMinor);
        },
      ),
    );
  });

  it("prices one new item per returned unit", () => {
    expect(
      newItemsMinor([
        { quantity: 2, unitPriceMinor: 1999 },
        { quantity: 1, unitPriceMinor: 1 },
      ]),
    ).toBe(3999);
  });
});

describe("the store credit an exchange leaves", () => {
  it(
    "is what was worth (bonus included) less the new items, and only the bonus for an " +
      "exchange from before prices were kept",
    () => {
      expect(
        exchangeCreditMinor({
          resolutionMinor: 3850,
          exchangeMinor: 1800,
          bonusMinor: 350,
          lines: [{ exchangeUnitPriceMinor: 1800 }],
        }),
      ).toBe(2050);
      expect(
        exchangeCreditMinor({
          resolutionMinor: 3850,
          exchangeMinor: 0,
          bonusMinor: 350,
          lines: [{ exchangeUnitPriceMinor: null }],
        }),
      ).toBe(350);
      // A dearer item (paid through Shopify) leaves only the bonus.
      expect(
        exchangeCreditMinor({
          resolutionMinor: 3850,
          exchangeMinor: 5000,
          bonusMinor: 350,
          lines: [{ exchangeUnitPriceMinor: 5000 }],
        }),
      ).toBe(350);
    },
  );
});

describe("the replacement as the shopper reads it", () => {
  it("waits for approval, then for the items, then is on the order", () => {
    expect(exchangeState({ shopifyExchangeLineItemId: null, replacementLineItemShopifyId: null })).toBe("pending");
    expect(
      exchangeState({
        shopifyExchangeLineItemId: "gid://shopify/ExchangeLineItem/1",
        replacementLineItemShopifyId: null,
      }),
    ).toBe("confirmed");
    expect(
      exchangeState({
        shopifyExchangeLineItemId: "gid://shopify/ExchangeLineItem/1",
        replacementLineItemShopifyId: "gid://shopify/LineItem/9",
      }),
    ).toBe("added");
  });
});
