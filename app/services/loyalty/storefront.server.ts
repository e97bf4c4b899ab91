/** What the storefront "Rewards" block shows; only what the page needs. */
import type { Db } from "../../db.server";
import { shopCurrency } from "../../models/shop.server";
import { gid } from "../../domain/shared/shopify-ids";
import { expiresAt, tierProgress } from "../../domain/loyalty/points";
import { currencyNameFor, tierNameFor, type LoyaltyLocale, type LoyaltySettings } from "../../domain/loyalty/settings";
import { rewardTitleFor } from "../../domain/loyalty/rewards";

import { balanceOf, pendingUnlocks } from "./ledger.server";
import { findMemberByCustomer } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";
import { LoyaltyError } from "./redemption.server";

/** The storefront link that puts a code in the cart and goes on to it (Shopify's /discount/CODE). */
export function checkoutLinkFor(code: string): string {
  return `/discount/${encodeURIComponent(code)}?redirect=/cart`;
}

/** The catalogue a shopper can spend on, titled in the shopper's language. */
export async function activeRewards(db: Db, shop: string, locale: string) {
  const rewards = await db.loyaltyReward.findMany({
    where: { shop, active: true },
    orderBy: [{ pointsCost: "asc" }, { createdAt: "asc" }],
    take: 50,
  });
  return rewards.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: rewardTitleFor(r, locale),
    pointsCost: r.pointsCost,
    valueMinor: r.valueMinor,
    percentOff: r.percentOff,
    minimumOrderMinor: r.minimumOrderMinor,
  }));
}

function program(settings: LoyaltySettings, locale: string, currency: string) {
  return {
    // The merchant's word in this language; null lets the block use its own word for "points"
    // rather than showing the English name on a Persian page.
    currencyName:
      settings.currencyName[locale as LoyaltyLocale] || (locale === "en" ? currencyNameFor(settings, "en") : null),
    pointsPerUnit: settings.pointsPerUnit,
    currency,
    signupBonus: settings.signupBonus,
    birthdayBonus: settings.birthdayBonus,
    pendingDays: settings.pendingDays,
    tiers: settings.tiers.map((t) => ({
      key: t.key,
      name: tierNameFor(t, locale),
      thresholdMinor: t.thresholdMinor,
      multiplier: t.multiplier,
      perks: t.perks,
    })),
  };
}

export async function loyaltySummary(
  db: Db,
  input: { shop: string; customerId: string | null; locale: string; now: Date },
) {
  const { shop, now } = input;
  const settings = await loadLoyaltySettings(db, shop);
  if (!settings.enabled)
    throw new LoyaltyError(403, "program_off", "This shop's rewards program is not running right now.");
  const currency = await shopCurrency(db, shop);
  const rewards = await activeRewards(db, shop, input.locale);
  const base = { program: program(settings, input.locale, currency), rewards };
  if (!input.customerId) return { ...base, member: null };
  const member = await findMemberByCustomer(db, shop, gid("Customer", input.customerId));
  const progress = tierProgress(settings.tiers, member?.spend12mMinor ?? 0);
  if (!member) {
    return {
      ...base,
      member: {
        balance: 0,
        pending: 0,
        unlocks: [],
        tier: progress.current?.key ?? null,
        nextTier: progress.next?.key ?? null,
        remainingMinor: progress.remainingMinor,
        progress: progress.fraction,
        expiresAt: null,
        birthdaySaved: false,
        history: [],
        redemptions: [],
      },
    };
  }
  const [balance, unlocks, history, redemptions, titled] = await Promise.all([
    balanceOf(db, shop, member.id, now),
    pendingUnlocks(db, shop, member.id, now),
    db.loyaltyLedgerEntry.findMany({
      where: { shop, memberId: member.id, points: { not: 0 } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
      select: { kind: true, points: true, availableAt: true, createdAt: true, reason: true },
    }),
    db.loyaltyRedemption.findMany({
      where: { shop, memberId: member.id, status: "issued" },
      orderBy: { createdAt: "desc" },
      take: 10,
      select: { id: true, rewardTitle: true, kind: true, code: true, createdAt: true },
    }),
    input.locale === "en"
      ? []
      : db.loyaltyReward.findMany({ where: { shop }, select: { title: true, titles: true }, take: 200 }),
  ]);
  // Redemptions and ledger entries keep the English title they were made with. A reward still
  // called that shows its translation; one renamed since keeps the title the shopper redeemed.
  const translated = new Map<string, string>();
  for (const r of titled) if (!translated.has(r.title)) translated.set(r.title, rewardTitleFor(r, input.locale));
  const titleOf = (english: string) => translated.get(english) ?? english;
  return {
    ...base,
    member: {
      balance: balance!.available,
      pending: balance!.pending,
      unlocks: unlocks.map((u) => ({ points: u.points, availableAt: u.availableAt.toISOString() })),
      tier: progress.current?.key ?? null,
      nextTier: progress.next?.key ?? null,
      remainingMinor: progress.remainingMinor,
      progress: progress.fraction,
      expiresAt:
        balance!.total > 0 ? (expiresAt(member.lastActivityAt, settings.expiryDays)?.toISOString() ?? null) : null,
      birthdaySaved: member.birthdayMonth !== null,
      history: history.map((h) => ({
        kind: h.kind,
        points: h.points,
        at: h.createdAt.toISOString(),
        pendingUntil: h.availableAt > now ? h.availableAt.toISOString() : null,
        // Only the order name or reward title: never another person's data, never a staff note.
        label: h.kind === "adjust" ? null : h.kind === "redeem" && h.reason ? titleOf(h.reason) : h.reason,
      })),
      redemptions: redemptions.map((r) => ({
        id: r.id,
        title: titleOf(r.rewardTitle),
        kind: r.kind,
        code: r.code,
        checkoutUrl: r.code ? checkoutLinkFor(r.code) : null,
        at: r.createdAt.toISOString(),
      })),
    },
  };
}

/** The shopper's birthday (month and day only), for the birthday bonus. */
export async function setBirthday(db: Db, input: { shop: string; customerId: string; month: number; day: number }) {
  const settings = await loadLoyaltySettings(db, input.shop);
  if (!settings.enabled)
    throw new LoyaltyError(403, "program_off", "This shop's rewards program is not running right now.");
  const valid =
    Number.isInteger(input.month) &&
    Number.isInteger(input.day) &&
    input.month >= 1 &&
    input.month <= 12 &&
    input.day >= 1 &&
    input.day <= new Date(Date.UTC(2024, input.month, 0)).getUTCDate();
  if (!valid) throw new LoyaltyError(400, "invalid_birthday", "Enter a real month and day.");
  const member = await findMemberByCustomer(db, input.shop, gid("Customer", input.customerId));
  if (!member) throw new LoyaltyError(409, "not_a_member", "Place an order or create an account first.");
  if (member.birthdayMonth !== null)
    throw new LoyaltyError(409, "birthday_set", "Your birthday is already saved. Contact the shop to change it.");
  await db.loyaltyMember.updateMany({
    where: { id: member.id, shop: input.shop },
    data: { birthdayMonth: input.month, birthdayDay: input.day },
  });
}
