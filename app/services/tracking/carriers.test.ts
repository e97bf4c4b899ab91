/**
 * Carrier performance, grouped by the database, against a seed computed by hand: per carrier and
 * destination, deliveries of the last 90 days, the on-time share of those that had a promised day,
 * and the median business days in transit (the middle value, or the mean of the middle two).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";

import { carrierPerformance, medianOfCounts } from "./insights.server";

const SHOP = "carriers.myshopify.com";
const NOW = new Date("2026-06-30T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

let t: TestDatabase;
let n = 0;
const shipment = (
  carrier: string | null,
  country: string | null,
  deliveredDaysAgo: number | null,
  transit: number | null,
  onTime: boolean | null,
  shop = SHOP,
) =>
  t.db.shipmentTracking.create({
    data: {
      shop,
      fulfillmentShopifyId: `gid://shopify/Fulfillment/${++n}`,
      orderShopifyId: `gid://shopify/Order/${n}`,
      orderName: `#${n}`,
      carrier,
      destinationCountry: country,
      stage: deliveredDaysAgo === null ? "in_transit" : "delivered",
      deliveredAt: deliveredDaysAgo === null ? null : daysAgo(deliveredDaysAgo),
      transitBusinessDays: transit,
      deliveredOnTime: onTime,
    },
  });

beforeAll(async () => {
  t = await createTestDatabase();
  // UPS to the US: transit 2, 3, 3, 7 -> median 3; on time 2 of the 3 with a promised day.
  await shipment("ups", "US", 1, 2, true);
  await shipment("ups", "US", 10, 3, true);
  await shipment("ups", "US", 20, 3, false);
  await shipment("ups", "US", 30, 7, null);
  // DHL to Germany: transit 4 and 6 -> median 5; no promised day -> no on-time share. One delivery
  // with no transit time counted still counts as delivered.
  await shipment("dhl_express", "DE", 5, 4, null);
  await shipment("dhl_express", "DE", 6, 6, null);
  await shipment("dhl_express", "DE", 7, null, null);
  // Not counted: delivered 91 days ago, still on its way, another shop's.
  await shipment("ups", "US", 91, 1, false);
  await shipment("ups", "US", null, null, null);
  await shipment("ups", "US", 1, 1, false, "other.myshopify.com");
  // No carrier detected, no country.
  await shipment(null, null, 3, 1, true);
});
afterAll(async () => {
  await t.drop();
});

describe("carrier performance", () => {
  it("groups deliveries of the last 90 days by carrier and destination, in the database", async () => {
    expect(await carrierPerformance(t.db, SHOP, NOW)).toEqual([
      { carrier: "UPS", destinationCountry: "US", delivered: 4, onTimeRate: 2 / 3, medianTransitBusinessDays: 3 },
      {
        carrier: "DHL Express",
        destinationCountry: "DE",
        delivered: 3,
        onTimeRate: null,
        medianTransitBusinessDays: 5,
      },
      {
        carrier: "Unknown carrier",
        destinationCountry: "—",
        delivered: 1,
        onTimeRate: 1,
        medianTransitBusinessDays: 1,
      },
    ]);
  });

  it("takes the median from counts per value", () => {
    expect(medianOfCounts([])).toBeNull();
    expect(medianOfCounts([{ days: 4, shipments: 1 }])).toBe(4);
    expect(
      medianOfCounts([
        { days: 7, shipments: 1 },
        { days: 2, shipments: 1 },
        { days: 3, shipments: 2 },
      ]),
    ).toBe(3);
    expect(
      medianOfCounts([
        { days: 1, shipments: 2 },
        { days: 5, shipments: 2 },
      ]),
    ).toBe(3);
  });
});
