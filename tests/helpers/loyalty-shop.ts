/**
 * A test database holding the sandbox's test shop with the loyalty program on: a point per unit of
 * spend, no pending days and a Gold tier from $50 of spend, plus whatever a test adds (a signup
 * bonus, expiry). The caller drops it (collect it in the file's `opened` list).
 */
import { expect } from "vitest";

import type { LoyaltySettings } from "../../app/domain/loyalty/settings";
import { saveLoyaltySettings } from "../../app/services/loyalty/settings.server";
import { TEST_SHOP } from "../../sandbox/engine/testing";

import { createTestDatabase } from "./db";

export async function loyaltyShopDatabase(extra: Partial<LoyaltySettings> = {}) {
  const t = await createTestDatabase();
  await t.db.shop.create({ data: { domain: TEST_SHOP, currencyCode: "USD", name: "Sandbox Test" } });
  const saved = await saveLoyaltySettings(t.db, TEST_SHOP, {
    enabled: true,
    pointsPerUnit: 1,
    pendingDays: 0,
    tiers: [{ key: "gold", name: "Gold", thresholdMinor: 5000, multiplier: 1 }],
    ...extra,
  });
  expect(saved.ok).toBe(true);
  return t;
}
