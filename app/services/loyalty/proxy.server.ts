/**
 * The storefront's loyalty endpoints (/apps/aftercare/loyalty), as plain functions of a verified
 * proxy context so tests call them without Remix. The shopper is only ever the signed
 * logged_in_customer_id; nothing in the body or query can name another customer.
 */
import type { Db } from "../../db.server";
import { shopCurrency } from "../../models/shop.server";
import type { AdminClient } from "../../shopify/admin.server";
import type { ProxyContext } from "../app-proxy.server";

import { LoyaltyError, redeemReward } from "./redemption.server";
import { checkoutLinkFor, loyaltySummary, setBirthday } from "./storefront.server";

export interface ProxyDeps {
  db: Db;
  now: () => Date;
  admin: (shop: string) => Promise<AdminClient | null>;
  log?: (message: string, error?: unknown) => void;
}

export interface ProxyAnswer {
  status: number;
  body: unknown;
}

const SUPPORTED = new Set(["en", "ko", "ja", "fa"]);

function refusal(error: unknown, deps: ProxyDeps): ProxyAnswer {
  if (error instanceof LoyaltyError)
    return { status: error.status, body: { error: error.code, message: error.message } };
  deps.log?.("loyalty proxy failed", error);
  return {
    status: 503,
    body: { error: "unavailable", message: "Rewards are unavailable just now. Please try again in a minute." },
  };
}

export async function loyaltyGet(ctx: ProxyContext, deps: ProxyDeps): Promise<ProxyAnswer> {
  const locale = (ctx.params.get("locale") ?? "en").split("-")[0];
  try {
    const summary = await loyaltySummary(deps.db, {
      shop: ctx.shop,
      customerId: ctx.loggedInCustomerId,
      locale: SUPPORTED.has(locale) ? locale : "en",
      now: deps.now(),
    });
    return { status: 200, body: summary };
  } catch (error) {
    return refusal(error, deps);
  }
}

export async function loyaltyPost(
  ctx: ProxyContext,
  form: Record<string, unknown>,
  deps: ProxyDeps,
): Promise<ProxyAnswer> {
  if (!ctx.loggedInCustomerId)
    return { status: 401, body: { error: "sign_in_required", message: "Sign in to your account to use your points." } };
  const intent = typeof form.intent === "string" ? form.intent : "";
  try {
    if (intent === "redeem") {
      const rewardId = typeof form.rewardId === "string" ? form.rewardId.trim() : "";
      if (!rewardId || rewardId.length > 64)
        return { status: 400, body: { error: "unknown_reward", message: "Choose a reward to redeem." } };
      const currency = await shopCurrency(deps.db, ctx.shop);
      const admin = await deps.admin(ctx.shop);
      if (!admin)
        return {
          status: 503,
          body: { error: "unavailable", message: "Rewards are unavailable just now. Please try again in a minute." },
        };
      const redeemed = await redeemReward(
        { db: deps.db, admin, now: deps.now(), shopCurrency: currency },
        { shop: ctx.shop, customerId: ctx.loggedInCustomerId, rewardId },
      );
      return {
        status: 201,
        body: { redemption: { ...redeemed, checkoutUrl: redeemed.code ? checkoutLinkFor(redeemed.code) : null } },
      };
    }
    if (intent === "birthday") {
      await setBirthday(deps.db, {
        shop: ctx.shop,
        customerId: ctx.loggedInCustomerId,
        month: Number(form.month),
        day: Number(form.day),
      });
      return { status: 200, body: { ok: true } };
    }
    return { status: 400, body: { error: "unknown_action", message: "That is not something this page can do." } };
  } catch (error) {
    return refusal(error, deps);
  }
}
