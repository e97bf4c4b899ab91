import { minorDigits } from "../shared/money";

import type { LoyaltySettings, Tier } from "./settings";

/**
 * Points rules, pure. Money is integer minor units; points are integers, always rounded down
 * when earned so that a member is never given a fraction the shop did not promise.
 */

export interface OrderAmounts {
  currency: string;
  /** Line items after discounts, before shipping and tax (Shopify's subtotal_price). */
  linesMinor: number;
  shippingMinor: number;
  taxMinor: number;
}

/** The part of an order that earns points under the shop's settings. */
export function earningBasisMinor(
  order: OrderAmounts,
  settings: Pick<LoyaltySettings, "includeShipping" | "includeTax">,
): number {
  let basis = Math.max(0, order.linesMinor);
  if (settings.includeShipping) basis += Math.max(0, order.shippingMinor);
  if (settings.includeTax) basis += Math.max(0, order.taxMinor);
  return basis;
}

/** Points for spending `basisMinor`: pointsPerUnit per whole currency unit, times the tier's multiplier. */
export function pointsForSpend(basisMinor: number, currency: string, pointsPerUnit: number, multiplier = 1): number {
  if (basisMinor <= 0 || pointsPerUnit <= 0) return 0;
  const units = basisMinor / 10 ** minorDigits(currency);
  // Integer-safe rounding: avoid 0.1 * 3 = 0.30000000000000004 style drift before the floor.
  return Math.floor(Math.round(units * pointsPerUnit * multiplier * 1e6) / 1e6);
}

/**
 * The points a refund takes back: the order's points in proportion to the line amount refunded so
 * far (this refund included), less what earlier refunds took, never more than is still unreversed.
 * Working from the running total keeps rounding from leaving a stray point after a full refund.
 */
export function pointsForRefund(input: {
  pointsEarned: number;
  pointsReversed: number;
  linesMinor: number;
  refundedLinesMinor: number;
}): number {
  const left = Math.max(0, input.pointsEarned - input.pointsReversed);
  if (left === 0 || input.refundedLinesMinor <= 0) return 0;
  const target =
    input.linesMinor <= 0 || input.refundedLinesMinor >= input.linesMinor
      ? input.pointsEarned
      : Math.round((input.pointsEarned * input.refundedLinesMinor) / input.linesMinor);
  return Math.min(left, Math.max(0, target - input.pointsReversed));
}

/** Tiers from lowest threshold to highest. */
export function sortedTiers(tiers: Tier[]): Tier[] {
  return [...tiers].sort((a, b) => a.thresholdMinor - b.thresholdMinor);
}

/** Tiers are decided by the spend of the last this many days. */
export const TIER_WINDOW_DAYS = 365;

/**
 * A member's spend from the orders that earned within the tier window (cancelled ones left out by
 * the caller): merchandise after discounts, less what was refunded, never below zero per order.
 */
export function spendOfOrders(orders: ReadonlyArray<{ linesMinor: number; refundedMinor: number }>): number {
  return orders.reduce((sum, o) => sum + Math.max(0, o.linesMinor - o.refundedMinor), 0);
}

/** The tier a member's 12-month spend puts them in, or null below the first threshold. */
export function tierFor(tiers: Tier[], spend12mMinor: number): Tier | null {
  let current: Tier | null = null;
  for (const tier of sortedTiers(tiers)) if (spend12mMinor >= tier.thresholdMinor) current = tier;
  return current;
}

export interface TierProgress {
  current: Tier | null;
  next: Tier | null;
  /** Minor units still to spend to reach `next`. */
  remainingMinor: number;
  /** 0..1 of the way from the current threshold to the next. */
  fraction: number;
}

export function tierProgress(tiers: Tier[], spend12mMinor: number): TierProgress {
  const sorted = sortedTiers(tiers);
  const current = tierFor(sorted, spend12mMinor);
  const next = sorted.find((t) => t.thresholdMinor > spend12mMinor) ?? null;
  if (!next) return { current, next: null, remainingMinor: 0, fraction: 1 };
  const from = current?.thresholdMinor ?? 0;
  const span = Math.max(1, next.thresholdMinor - from);
  return {
    current,
    next,
    remainingMinor: next.thresholdMinor - spend12mMinor,
    fraction: Math.min(1, Math.max(0, (spend12mMinor - from) / span)),
  };
}

export const DAY_MS = 86_400_000;

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** When a member's points expire given their last activity, or null when the program never expires points. */
export function expiresAt(lastActivityAt: Date, expiryDays: number): Date | null {
  return expiryDays > 0 ? addDays(lastActivityAt, expiryDays) : null;
}

/** A discount code nobody can guess: prefix + 10 characters without look-alikes. */
export function rewardCode(random: (n: number) => Uint8Array, prefix = "AC"): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = random(10);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${prefix}-${out}`;
}
