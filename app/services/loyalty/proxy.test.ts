import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import type { ProxyContext } from "../app-proxy.server";

import { saveLoyaltySettings } from "./settings.server";
import { loyaltyGet, loyaltyPost, type ProxyDeps } from "./proxy.server";

let t: TestDatabase;
const SHOP = "loyalty-proxy.myshopify.com";
const ctx = (customer: string | null, query = ""): ProxyContext => ({
  shop: SHOP,
  loggedInCustomerId: customer,
  clientIp: null,
  params: new URLSearchParams(query),
});
let deps: ProxyDeps;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = { db: t.db, now: () => new Date(), admin: async () => null };
});
afterAll(() => t.drop());

describe("the storefront's loyalty endpoints refuse clearly", () => {
  it("says the program is off (403) while it is", async () => {
    expect(await loyaltyGet(ctx("5"), deps)).toMatchObject({ status: 403, body: { error: "program_off" } });
  });

  it("needs a signed-in shopper to redeem (401), a known reward (404) and enough points (409)", async () => {
    await saveLoyaltySettings(t.db, SHOP, { enabled: true });
    expect(await loyaltyPost(ctx(null), { intent: "redeem", rewardId: "x" }, deps)).toMatchObject({
      status: 401,
      body: { error: "sign_in_required" },
    });
    expect(await loyaltyPost(ctx("5"), { intent: "redeem" }, deps)).toMatchObject({
      status: 400,
      body: { error: "unknown_reward" },
    });
    const reward = await t.db.loyaltyReward.create({
      data: { shop: SHOP, kind: "free_shipping", title: "Free shipping", pointsCost: 100 },
    });
    const other = await t.db.loyaltyReward.create({
      data: { shop: "someone-else.myshopify.com", kind: "free_shipping", title: "Other", pointsCost: 1 },
    });
    // Shopify is unreachable in this test: the answer comes before any points are touched.
    deps.admin = async () => ({}) as never;
    expect(await loyaltyPost(ctx("5"), { intent: "redeem", rewardId: other.id }, deps)).toMatchObject({
      status: 404,
      body: { error: "unknown_reward" },
    });
    expect(await loyaltyPost(ctx("5"), { intent: "redeem", rewardId: reward.id }, deps)).toMatchObject({
      status: 409,
      body: { error: "not_enough_points" },
    });
    expect(await loyaltyPost(ctx("5"), { intent: "fly" }, deps)).toMatchObject({
      status: 400,
      body: { error: "unknown_action" },
    });
    expect(await loyaltyPost(ctx("5"), { intent: "birthday", month: 2, day: 30 }, deps)).toMatchObject({
      status: 400,
      body: { error: "invalid_birthday" },
    });
  });

  it("shows a guest the program and rewards but no member", async () => {
    const answer = await loyaltyGet(ctx(null, "locale=fa"), deps);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ member: null, rewards: [{ title: "Free shipping", pointsCost: 100 }] });
  });
});
