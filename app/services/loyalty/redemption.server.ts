/**
 * Spending points on a reward. The points are taken first, in the same transaction as the
 * redemption row (so concurrent redemptions cannot overdraw); then Shopify is asked for the
 * discount code or store credit. If Shopify refuses, a keyed entry gives the points back.
 */
import { randomBytes, randomUUID } from "node:crypto";

import type { Db } from "../../db.server";
import { recordEvent } from "../../models/events.server";
import { fromMinor } from "../../domain/shared/money";
import { gid } from "../../domain/shared/shopify-ids";
import { rewardCode } from "../../domain/loyalty/points";
import type { AdminClient } from "../../shopify/admin.server";
import {
  LoyaltyDiscountCodeBasicCreate,
  LoyaltyDiscountCodeFreeShippingCreate,
  LoyaltyStoreCreditAccountCredit,
} from "../../shopify/operations/loyalty";
import type {
  CurrencyCode,
  DiscountCodeBasicInput,
  DiscountCodeFreeShippingInput,
} from "../../shopify/operations/types.generated";

import { postEntry } from "./ledger.server";
import { findMemberByCustomer } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

/** A refusal the shopper or merchant can act on; `status` is the HTTP answer. */
export class LoyaltyError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    /** The values the refusal's sentence needs, for the admin's words (`loyaltyRefusalSaid`). */
    public readonly values: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "LoyaltyError";
  }
}

export interface RedeemDeps {
  db: Db;
  admin: AdminClient;
  now: Date;
  shopCurrency: string;
  random?: (n: number) => Uint8Array;
}

export interface Redeemed {
  redemptionId: string;
  kind: string;
  points: number;
  code: string | null;
  valueMinor: number | null;
  currency: string;
}

export async function redeemReward(
  deps: RedeemDeps,
  input: { shop: string; customerId: string; rewardId: string },
): Promise<Redeemed> {
  const { db, now } = deps;
  const { shop } = input;
  const settings = await loadLoyaltySettings(db, shop);
  if (!settings.enabled)
    throw new LoyaltyError(403, "program_off", "This shop's rewards program is not running right now.");
  const reward = await db.loyaltyReward.findFirst({ where: { id: input.rewardId, shop, active: true } });
  if (!reward)
    throw new LoyaltyError(
      404,
      "unknown_reward",
      "That reward is not available. Refresh the page to see the current rewards.",
    );
  const customerGid = gid("Customer", input.customerId);
  const member = await findMemberByCustomer(db, shop, customerGid);
  if (!member) throw new LoyaltyError(409, "not_enough_points", "You do not have enough points for this reward yet.");

  const redemptionId = randomUUID();
  const taken = await postEntry(
    db,
    shop,
    member.id,
    {
      sourceKey: `redeem:${redemptionId}`,
      kind: "redeem",
      points: -reward.pointsCost,
      availableAt: now,
      reason: reward.title,
    },
    {
      now,
      mode: "exact",
      alongside: async (tx) => {
        await tx.loyaltyRedemption.create({
          data: {
            id: redemptionId,
            shop,
            memberId: member.id,
            rewardId: reward.id,
            rewardTitle: reward.title,
            kind: reward.kind,
            points: reward.pointsCost,
            valueMinor: reward.valueMinor,
            currency: deps.shopCurrency,
            createdAt: now,
          },
        });
        const after = await tx.loyaltyMember.findFirstOrThrow({
          where: { id: member.id, shop },
          select: { points: true },
        });
        await recordEvent(tx, {
          shop,
          type: "loyalty.reward_redeemed",
          key: redemptionId,
          occurredAt: now,
          customer: { id: customerGid },
          data: { reward: reward.title, kind: reward.kind, pointsSpent: reward.pointsCost, balance: after.points },
        });
      },
    },
  );
  if (taken.status === "insufficient") {
    throw new LoyaltyError(
      409,
      "not_enough_points",
      `You need ${reward.pointsCost} points for this reward and have ${taken.available} to spend.`,
    );
  }
  if (taken.status !== "posted") throw new Error(`redemption ${redemptionId} was not booked (${taken.status})`);

  try {
    const issued = await issue(deps, shop, customerGid, reward);
    await db.loyaltyRedemption.updateMany({
      where: { id: redemptionId, shop },
      data: { status: "issued", code: issued.code, discountShopifyId: issued.discountId },
    });
    return {
      redemptionId,
      kind: reward.kind,
      points: reward.pointsCost,
      code: issued.code,
      valueMinor: reward.valueMinor,
      currency: deps.shopCurrency,
    };
  } catch (error) {
    await postEntry(
      db,
      shop,
      member.id,
      {
        sourceKey: `redeem-return:${redemptionId}`,
        kind: "redeem_return",
        points: reward.pointsCost,
        availableAt: now,
        reason: `Shopify refused: ${reward.title}`,
      },
      { now },
    );
    await db.loyaltyRedemption.updateMany({
      where: { id: redemptionId, shop },
      data: { status: "failed", error: String((error as Error).message).slice(0, 500) },
    });
    throw new LoyaltyError(
      502,
      "shopify_unavailable",
      "The reward could not be created just now and your points were not spent. Please try again in a minute.",
    );
  }
}

async function issue(
  deps: RedeemDeps,
  shop: string,
  customerGid: string,
  reward: {
    kind: string;
    title: string;
    valueMinor: number | null;
    percentOff: number | null;
    minimumOrderMinor: number | null;
  },
): Promise<{ code: string | null; discountId: string | null }> {
  // The shop's currency as Shopify reported it, so one of its CurrencyCode values.
  const currency = deps.shopCurrency as CurrencyCode;
  if (reward.kind === "store_credit") {
    await deps.admin.mutate(LoyaltyStoreCreditAccountCredit, (d) => d.storeCreditAccountCredit, {
      id: customerGid,
      creditInput: { creditAmount: { amount: fromMinor(reward.valueMinor ?? 0, currency), currencyCode: currency } },
    });
    return { code: null, discountId: null };
  }
  const code = rewardCode(deps.random ?? ((n) => randomBytes(n)));
  const common: DiscountCodeBasicInput & DiscountCodeFreeShippingInput = {
    title: `Loyalty reward: ${reward.title} (${code})`,
    code,
    startsAt: deps.now.toISOString(),
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [customerGid] } },
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    ...(reward.minimumOrderMinor
      ? {
          minimumRequirement: {
            subtotal: { greaterThanOrEqualToSubtotal: fromMinor(reward.minimumOrderMinor, currency) },
          },
        }
      : {}),
  };
  if (reward.kind === "free_shipping") {
    const result = await deps.admin.mutate(
      LoyaltyDiscountCodeFreeShippingCreate,
      (d) => d.discountCodeFreeShippingCreate,
      {
        discount: { ...common, destination: { all: true } },
      },
    );
    return { code, discountId: result.codeDiscountNode?.id ?? null };
  }
  const value =
    reward.kind === "percentage"
      ? { percentage: (reward.percentOff ?? 0) / 100 }
      : { discountAmount: { amount: fromMinor(reward.valueMinor ?? 0, currency), appliesOnEachItem: false } };
  const result = await deps.admin.mutate(LoyaltyDiscountCodeBasicCreate, (d) => d.discountCodeBasicCreate, {
    discount: { ...common, customerGets: { value, items: { all: true } } },
  });
  return { code, discountId: result.codeDiscountNode?.id ?? null };
}
