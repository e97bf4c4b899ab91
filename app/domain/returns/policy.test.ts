import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  autoApproves,
  checkRequest,
  closeBlocker,
  DEFAULT_RETURN_POLICY,
  lineEligibility,
  lineValueMinor,
  percentOf,
  quoteReturn,
  readPolicy,
  shipmentOnTheWay,
  RESOLUTIONS,
  returnWindow,
  validatePolicy,
  type LineFacts,
  type ReturnPolicy,
} from "./policy";

const DAY = 86_400_000;
const policy = (patch: Partial<ReturnPolicy> = {}): ReturnPolicy => ({
  ...structuredClone(DEFAULT_RETURN_POLICY),
  ...patch,
});
const ordered = new Date("2030-03-01T12:00:00Z");
const line = (patch: Partial<LineFacts> = {}): LineFacts => ({
  lineItemId: "gid://shopify/LineItem/1",
  productId: "gid://shopify/Product/1",
  productTags: [],
  productCollectionIds: [],
  quantity: 3,
  priceMinor: 2500,
  totalDiscountMinor: 0,
  requiresShipping: true,
  fulfilledQuantity: 3,
  fulfilledAt: new Date(ordered.getTime() + DAY),
  deliveredAt: new Date(ordered.getTime() + 4 * DAY),
  claimedQuantity: 0,
  refundedQuantity: 0,
  ...patch,
});
const order = { orderedAt: ordered, cancelled: false };

describe("return window", () => {
  it("runs from delivery, else fulfilment, else the order date", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 365 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 30 }),
        (days, delivered, fulfilled, lag) => {
          const f = fulfilled ? new Date(ordered.getTime() + lag * DAY) : null;
          const d = delivered ? new Date(ordered.getTime() + (lag + 3) * DAY) : null;
          const w = returnWindow({ windowDays: days }, order, { fulfilledAt: f, deliveredAt: d });
          const start = d ?? f ?? ordered;
          expect(w.windowEndsAt.getTime()).toBe(start.getTime() + days * DAY);
          expect(w.windowFrom).toBe(d ? "delivery" : f ? "fulfillment" : "order");
        },
      ),
    );
  });

  it("is open up to the last instant of the window and closed after", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 }), fc.integer({ min: -5 * DAY, max: 5 * DAY }), (days, offset) => {
        const l = line();
        const end = l.deliveredAt!.getTime() + days * DAY;
        const e = lineEligibility(policy({ windowDays: days }), order, l, new Date(end + offset));
        expect(e.reason === "window_closed").toBe(offset > 0);
      }),
    );
  });
});

describe("quantities across several returns", () => {
  it("never lets the returns of a line add up to more than was shipped and bought", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 25 }), { maxLength: 10 }),
        (bought, shippedRaw, asks) => {
          const shipped = Math.min(shippedRaw, bought);
          let claimed = 0;
          for (const ask of asks) {
            const e = lineEligibility(
              policy(),
              order,
              line({ quantity: bought, fulfilledQuantity: shipped, claimedQuantity: claimed }),
              ordered,
            );
            const problems = checkRequest(
              policy(),
              [e],
              [{ lineItemId: e.lineItemId, quantity: ask, reason: "too_small" }],
              "refund",
            );
            if (problems.length === 0) claimed += ask;
            else expect(ask > e.returnable || e.reason !== null).toBe(true);
          }
          expect(claimed).toBeLessThanOrEqual(shipped);
        },
      ),
    );
  });

  it("counts refunds made outside returns against what is left", () => {
    const e = lineEligibility(policy(), order, line({ quantity: 3, refundedQuantity: 2, claimedQuantity: 1 }), ordered);
    expect(e.returnable).toBe(1);
    const all = lineEligibility(policy(), order, line({ quantity: 3, claimedQuantity: 3 }), ordered);
    expect(all).toMatchObject({ returnable: 0, reason: "already_returned" });
  });
});

describe("exclusions", () => {
  it("excludes by product, collection, tag (any case) and, when chosen, discounts", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("product", "collection", "tag", "discount", "none"),
        fc.boolean(),
        (kind, discounted) => {
          const p = policy({
            exclusions: {
              productIds: kind === "product" ? ["gid://shopify/Product/1"] : [],
              collections: [{ id: "gid://shopify/Collection/9", title: "Sale" }],
              tags: ["final-sale"],
              discountedItems: kind === "discount",
            },
          });
          const l = line({
            productTags: kind === "tag" ? ["Final-Sale"] : ["summer"],
            productCollectionIds: kind === "collection" ? ["gid://shopify/Collection/9"] : [],
            totalDiscountMinor: discounted ? 500 : 0,
          });
          const e = lineEligibility(p, order, l, ordered);
          if (kind === "product" || kind === "collection" || kind === "tag") expect(e.reason).toBe("excluded");
          else if (kind === "discount" && discounted) expect(e.reason).toBe("discounted");
          else expect(e.reason).toBeNull();
        },
      ),
    );
  });

  it("refuses unshipped lines, items that do not ship, and cancelled orders", () => {
    expect(
      lineEligibility(policy(), order, line({ fulfilledQuantity: 0, fulfilledAt: null, deliveredAt: null }), ordered)
        .reason,
    ).toBe("not_shipped");
    expect(lineEligibility(policy(), order, line({ requiresShipping: false }), ordered).reason).toBe("not_returnable");
    expect(lineEligibility(policy(), { ...order, cancelled: true }, line(), ordered).reason).toBe("order_cancelled");
  });

  it("takes back only units that have arrived: a line whose every unit is on its way is not returnable yet", () => {
    const onTheWay = line({ quantity: 2, fulfilledQuantity: 2, inTransitQuantity: 2, deliveredAt: null });
    expect(lineEligibility(policy(), order, onTheWay, ordered)).toMatchObject({ returnable: 0, reason: "in_transit" });
    // One parcel delivered, the other still travelling: the delivered unit only.
    const half = line({ quantity: 2, fulfilledQuantity: 2, inTransitQuantity: 1, deliveredAt: null });
    expect(lineEligibility(policy(), order, half, ordered)).toMatchObject({ returnable: 1, reason: null });
    expect(lineEligibility(policy(), order, { ...half, claimedQuantity: 1 }, ordered)).toMatchObject({
      returnable: 0,
      reason: "already_returned",
    });
    // Not shipped says so before anything about transit.
    const unshipped = line({ fulfilledQuantity: 0, inTransitQuantity: 0, fulfilledAt: null, deliveredAt: null });
    expect(lineEligibility(policy(), order, unshipped, ordered).reason).toBe("not_shipped");
  });

  it("counts a shipment as on its way only while the carrier says so and it is not delivered", () => {
    for (const status of ["label_printed", "confirmed", "in_transit", "out_for_delivery", "ready_for_pickup"])
      expect(shipmentOnTheWay(status, false), status).toBe(true);
    for (const status of ["attempted_delivery", "delayed"]) expect(shipmentOnTheWay(status, false), status).toBe(true);
    // Delivered; a failure (the parcel is not coming); never reported on (the window runs from fulfilment).
    expect(shipmentOnTheWay("in_transit", true)).toBe(false);
    expect(shipmentOnTheWay("delivered", false)).toBe(false);
    expect(shipmentOnTheWay("failure", false)).toBe(false);
    expect(shipmentOnTheWay(null, false)).toBe(false);
  });
});

describe("money", () => {
  const lineArb = fc.record({
    priceMinor: fc.integer({ min: 0, max: 1_000_000 }),
    quantity: fc.integer({ min: 1, max: 50 }),
    discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it("splits what was paid for a line so that several returns never exceed it", () => {
    fc.assert(
      fc.property(
        lineArb,
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 8 }),
        ({ priceMinor, quantity, discountShare }, parts) => {
          const discount = Math.floor(priceMinor * quantity * discountShare);
          const l = { priceMinor, quantity, totalDiscountMinor: discount };
          let left = quantity;
          let total = 0;
          for (const p of parts) {
            const q = Math.min(p, left);
            left -= q;
            const v = lineValueMinor(l, q);
            expect(Number.isInteger(v)).toBe(true);
            total += v;
          }
          expect(total).toBeLessThanOrEqual(priceMinor * quantity - discount);
          expect(lineValueMinor(l, quantity)).toBe(priceMinor * quantity - discount);
        },
      ),
    );
  });

  it("applies fees and bonus in whole minor units, never below zero, waived for exchanges when chosen", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
        fc.boolean(),
        fc.constantFrom(...RESOLUTIONS),
        (items, restocking, shipping, bonus, waive, resolution) => {
          const p = policy({
            fees: { restockingPercent: restocking, returnShippingMinor: shipping, waiveForExchanges: waive },
            resolutions: {
              ...DEFAULT_RETURN_POLICY.resolutions,
              storeCreditBonusPercent: bonus,
              exchangeBonusPercent: bonus,
            },
          });
          const q = quoteReturn(p, items, resolution);
          for (const v of Object.values(q)) expect(Number.isInteger(v) && v >= 0).toBe(true);
          expect(q.totalMinor).toBe(q.itemsMinor - q.restockingFeeMinor - q.shippingFeeMinor + q.bonusMinor);
          expect(q.restockingFeeMinor + q.shippingFeeMinor).toBeLessThanOrEqual(items);
          const exchange = resolution === "exchange_variant" || resolution === "exchange_any";
          if (exchange && waive) expect(q.restockingFeeMinor + q.shippingFeeMinor).toBe(0);
          if (resolution === "refund" || resolution === "exchange_variant") expect(q.bonusMinor).toBe(0);
          if (resolution === "store_credit") expect(q.bonusMinor).toBe(percentOf(items, bonus));
        },
      ),
    );
  });

  it("rounds a percentage half up", () => {
    expect(percentOf(1999, 10)).toBe(200);
    expect(percentOf(1994, 10)).toBe(199);
    expect(percentOf(100, 12.5)).toBe(13);
    expect(
      quoteReturn(
        policy({ fees: { restockingPercent: 15, returnShippingMinor: 595, waiveForExchanges: true } }),
        7000,
        "refund",
      ),
    ).toEqual({
      itemsMinor: 7000,
      restockingFeeMinor: 1050,
      shippingFeeMinor: 595,
      bonusMinor: 0,
      totalMinor: 5355,
    });
  });
});

describe("a shopper's request", () => {
  const e = lineEligibility(policy(), order, line(), ordered);
  it("names each problem", () => {
    const codes = (items: Parameters<typeof checkRequest>[2], resolution = "refund", p = policy()) =>
      checkRequest(p, [e], items, resolution).map((x) => x.code);
    expect(codes([{ lineItemId: e.lineItemId, quantity: 4, reason: "too_small" }])).toEqual(["quantity_too_high"]);
    expect(codes([{ lineItemId: e.lineItemId, quantity: 1, reason: "bored" }])).toEqual(["unknown_reason"]);
    expect(codes([{ lineItemId: e.lineItemId, quantity: 1, reason: "defective", note: " " }])).toEqual([
      "note_required",
    ]);
    expect(codes([{ lineItemId: "gid://shopify/LineItem/2", quantity: 1, reason: "too_small" }])).toEqual([
      "unknown_item",
    ]);
    expect(codes([{ lineItemId: e.lineItemId, quantity: 1, reason: "too_small" }], "exchange_any")).toEqual([
      "resolution_not_offered",
      "exchange_variant_required",
    ]);
    expect(codes([{ lineItemId: e.lineItemId, quantity: 1.5, reason: "too_small" }])).toEqual(["bad_quantity"]);
    expect(codes([])).toEqual(["no_items"]);
    const closed = lineEligibility(policy(), order, line(), new Date(ordered.getTime() + 90 * DAY));
    expect(
      checkRequest(policy(), [closed], [{ lineItemId: e.lineItemId, quantity: 1, reason: "too_small" }], "refund").map(
        (x) => x.code,
      ),
    ).toEqual(["ineligible_item"]);
  });
});

describe("policy", () => {
  it("rejects a policy with nothing offered or duplicate reasons, with a message", () => {
    const bad = validatePolicy({
      ...policy(),
      resolutions: {
        ...policy().resolutions,
        refund: false,
        storeCredit: false,
        exchangeVariant: false,
        exchangeAny: false,
      },
    });
    expect(bad.ok).toBe(false);
    const dup = validatePolicy({ ...policy(), reasons: [policy().reasons[0], policy().reasons[0]] });
    expect(dup.ok ? [] : dup.problems.map((p) => p.message)).toContain("Two reasons share a code; give each its own");
    expect(validatePolicy({ ...policy(), windowDays: 0 }).ok).toBe(false);
  });

  it("reads a partial stored policy with defaults", () => {
    const p = readPolicy(JSON.stringify({ windowDays: 14, fees: { restockingPercent: 5 } }));
    expect(p.windowDays).toBe(14);
    expect(p.fees).toEqual({ ...DEFAULT_RETURN_POLICY.fees, restockingPercent: 5 });
    expect(readPolicy("not json")).toEqual(DEFAULT_RETURN_POLICY);
  });

  it("reads a policy stored before the storefront lookup was a setting as lookup off, and keeps a saved choice", () => {
    const before = { ...DEFAULT_RETURN_POLICY } as Partial<typeof DEFAULT_RETURN_POLICY>;
    delete before.storefrontLookup;
    expect(readPolicy(JSON.stringify(before)).storefrontLookup).toBe(false);
    expect(readPolicy(JSON.stringify({ ...before, storefrontLookup: true })).storefrontLookup).toBe(true);
    expect(validatePolicy({ ...DEFAULT_RETURN_POLICY, storefrontLookup: "yes" }).ok).toBe(false);
  });

  it("keeps excluded collections stored with a list of their products, which is no longer used", () => {
    const stored = {
      exclusions: {
        collections: [{ id: "gid://shopify/Collection/9", title: "Sale", productIds: ["gid://shopify/Product/1"] }],
      },
    };
    expect(readPolicy(JSON.stringify(stored)).exclusions.collections).toEqual([
      { id: "gid://shopify/Collection/9", title: "Sale" },
    ]);
  });

  it("auto-approves by reason, order value and history", () => {
    const p = policy({
      autoApprove: { enabled: true, reasons: ["too_small"], maxOrderValueMinor: 10_000, maxPriorReturns: 1 },
    });
    expect(autoApproves(p, { reasons: ["too_small"], orderTotalMinor: 9_000, priorReturns: 1 })).toBe(true);
    expect(autoApproves(p, { reasons: ["too_small", "defective"], orderTotalMinor: 9_000, priorReturns: 0 })).toBe(
      false,
    );
    expect(autoApproves(p, { reasons: ["too_small"], orderTotalMinor: 10_001, priorReturns: 0 })).toBe(false);
    expect(autoApproves(p, { reasons: ["too_small"], orderTotalMinor: 100, priorReturns: 2 })).toBe(false);
    expect(autoApproves(policy(), { reasons: ["too_small"], orderTotalMinor: 100, priorReturns: 0 })).toBe(false);
  });

  it("will not close while an item lacks a disposition", () => {
    expect(closeBlocker([{ disposition: "restock" }, { disposition: null }])).toMatch(
      /1 item still needs a disposition/,
    );
    expect(closeBlocker([{ disposition: "restock" }, { disposition: "not_restocked" }])).toBeNull();
  });
});
