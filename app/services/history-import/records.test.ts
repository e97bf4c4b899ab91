import { describe, expect, it } from "vitest";

import { exactShipmentLines, needsDetails, type OrderGroup } from "./records";

/**
 * Which orders the bulk file describes whole. Only the fields the rule reads are filled in; the
 * rest of an order does not change the answer.
 */
interface Shape {
  fulfillments?: ReadonlyArray<{ status: string; totalQuantity: number }>;
  refunds?: number;
  returns?: number;
  lines?: ReadonlyArray<readonly [quantity: number, unfulfilled: number, nonFulfillable: number]>;
}

function group(overrides: Shape): OrderGroup {
  const order = {
    id: "gid://shopify/Order/1",
    fulfillments: (overrides.fulfillments ?? []).map((f, i) => ({ id: `gid://shopify/Fulfillment/${i + 1}`, ...f })),
    refunds: Array.from({ length: overrides.refunds ?? 0 }, (_, i) => ({ id: `gid://shopify/Refund/${i + 1}` })),
  } as unknown as OrderGroup["order"];
  return {
    order,
    lineItems: (overrides.lines ?? []).map(([quantity, unfulfilledQuantity, nonFulfillableQuantity], i) => ({
      id: `gid://shopify/LineItem/${i + 1}`,
      quantity,
      unfulfilledQuantity,
      nonFulfillableQuantity,
      __parentId: "gid://shopify/Order/1",
    })) as unknown as OrderGroup["lineItems"],
    returns: Array.from({ length: overrides.returns ?? 0 }, (_, i) => ({
      id: `gid://shopify/Return/${i + 1}`,
    })) as unknown as OrderGroup["returns"],
  };
}

const shipped = (totalQuantity: number, status = "SUCCESS") => [{ status, totalQuantity }];

describe("a shipment's lines from the bulk file", () => {
  it("are each line's fulfilled units when the order has one successful shipment and nothing else", () => {
    const g = group({
      fulfillments: shipped(3),
      lines: [
        [2, 0, 0],
        [3, 2, 0],
        [1, 0, 1], // a tip or a removed unit: nothing to ship
      ],
    });
    expect(exactShipmentLines(g)).toEqual([
      { lineItemShopifyId: "gid://shopify/LineItem/1", quantity: 2 },
      { lineItemShopifyId: "gid://shopify/LineItem/2", quantity: 1 },
    ]);
    expect(needsDetails(g)).toBe(false);
  });

  it.each([
    ["two shipments", { fulfillments: [...shipped(1), ...shipped(1)], lines: [[2, 0, 0]] }],
    ["a cancelled shipment", { fulfillments: shipped(2, "CANCELLED"), lines: [[2, 0, 0]] }],
    ["a refund", { fulfillments: shipped(2), refunds: 1, lines: [[2, 0, 0]] }],
    ["a return", { fulfillments: shipped(2), returns: 1, lines: [[2, 0, 0]] }],
    ["a total Shopify does not agree with", { fulfillments: shipped(1), lines: [[2, 0, 0]] }],
  ] as const)("are read from Shopify afterwards for an order with %s", (_, overrides) => {
    const g = group(overrides as Shape);
    expect(exactShipmentLines(g)).toBeNull();
    expect(needsDetails(g)).toBe(true);
  });

  it("need nothing more for an order with no shipment, refund or return", () => {
    expect(needsDetails(group({ lines: [[2, 2, 0]] }))).toBe(false);
    expect(needsDetails(group({ refunds: 1, lines: [[2, 0, 2]] }))).toBe(true);
  });
});
