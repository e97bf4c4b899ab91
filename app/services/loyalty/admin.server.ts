/** The merchant's side: members, their ledgers, manual adjustments, rewards and the liability report. */
import { randomUUID } from "node:crypto";

import { z } from "zod";
import type { Prisma } from "@prisma/client";

import { problemsFromZod } from "../../locales/admin/problems";
import type { Db } from "../../db.server";
import { asNumber, queryRows, sql } from "../../models/raw-sql.server";
import { REWARD_TITLE_MAX, rewardTitlesSchema } from "../../domain/loyalty/rewards";

import { balanceOf, postEntry } from "./ledger.server";
import { LoyaltyError } from "./redemption.server";

export interface MemberFilters {
  query?: string | null;
  tier?: string | null;
  minPoints?: number | null;
  maxPoints?: number | null;
  page?: number;
}

export const PAGE_SIZE = 50;

export async function listMembers(db: Db, shop: string, filters: MemberFilters) {
  const where: Prisma.LoyaltyMemberWhereInput = { shop, redactedAt: null };
  // Searched through indexes, never by reading every member: an email by its beginning (stored in
  // lower case), a customer by the number of its id.
  const q = filters.query?.trim().toLowerCase();
  if (q) {
    const customerId = /^\d+$/.test(q) ? `gid://shopify/Customer/${q}` : null;
    where.OR = [{ email: { gte: q, lt: `${q}\uffff` } }, ...(customerId ? [{ customerShopifyId: customerId }] : [])];
  }
  if (filters.tier) where.tierKey = filters.tier === "none" ? null : filters.tier;
  if (filters.minPoints != null || filters.maxPoints != null) {
    where.points = {
      ...(filters.minPoints == null ? {} : { gte: filters.minPoints }),
      ...(filters.maxPoints == null ? {} : { lte: filters.maxPoints }),
    };
  }
  const page = Math.max(1, filters.page ?? 1);
  const [members, total] = await Promise.all([
    db.loyaltyMember.findMany({
      where,
      // The order of the (shop, redactedAt, points, id) index: a page far down skips index entries only.
      orderBy: [{ points: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
    db.loyaltyMember.count({ where }),
  ]);
  return { members, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export async function memberDetail(db: Db, shop: string, memberId: string, now: Date) {
  const member = await db.loyaltyMember.findFirst({ where: { id: memberId, shop } });
  if (!member) return null;
  const [balance, ledger, redemptions] = await Promise.all([
    balanceOf(db, shop, memberId, now),
    db.loyaltyLedgerEntry.findMany({
      where: { shop, memberId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
    }),
    db.loyaltyRedemption.findMany({ where: { shop, memberId }, orderBy: { createdAt: "desc" }, take: 50 }),
  ]);
  return { member, balance: balance!, ledger, redemptions };
}

export const ADJUSTMENT_MAX = 1_000_000;
export const REASON_MAX = 200;
export const adjustmentSchema = z.object({
  // Messages are keys of the admin's locale files (the member page says them in the admin's language).
  points: z.coerce
    .number({ invalid_type_error: "member.error.wholeNumber" })
    .int("member.error.wholeNumber")
    .refine((n) => n !== 0, "member.error.notZero")
    .refine((n) => Math.abs(n) <= ADJUSTMENT_MAX, "member.error.tooMany"),
  reason: z.string().trim().min(3, "member.error.reason").max(REASON_MAX, "member.error.reasonTooLong"),
});

/** A merchant's manual change: keyed by a one-time token from the form, so a double submit books once. */
export async function adjustPoints(
  db: Db,
  shop: string,
  input: { memberId: string; points: number; reason: string; actor: string; token?: string | null; now: Date },
) {
  const token = input.token && /^[A-Za-z0-9-]{8,64}$/.test(input.token) ? input.token : randomUUID();
  const result = await postEntry(
    db,
    shop,
    input.memberId,
    {
      sourceKey: `adjust:${token}`,
      kind: "adjust",
      points: input.points,
      availableAt: input.now,
      reason: input.reason,
      actor: input.actor,
    },
    { now: input.now, mode: "exact" },
  );
  // A merchant's typo, not a conflict: the form can be corrected, so 400 with what is possible.
  if (result.status === "insufficient") {
    throw new LoyaltyError(
      400,
      "below_zero",
      `That would take the balance below zero: the member has ${result.available} points ` +
        `available to take away (pending points cannot be taken by hand).`,
      { available: result.available },
    );
  }
  return result;
}

export const rewardSchema = z
  .object({
    kind: z.enum(["fixed_amount", "percentage", "free_shipping", "store_credit"]),
    title: z.string().trim().min(1, "Give the reward a name").max(REWARD_TITLE_MAX),
    titles: rewardTitlesSchema,
    pointsCost: z.coerce
      .number()
      .int("Whole points only")
      .min(1, "A reward costs at least 1 point")
      .max(10_000_000, "At most 10,000,000 points"),
    valueMinor: z.coerce
      .number()
      .int()
      .min(1, "Enter an amount above zero")
      .max(100_000_000, "That amount is too large")
      .nullable()
      .default(null),
    percentOff: z.coerce
      .number()
      .int("Whole percent only")
      .min(1, "Enter a percentage from 1 to 100")
      .max(100, "Enter a percentage from 1 to 100")
      .nullable()
      .default(null),
    minimumOrderMinor: z.coerce
      .number()
      .int()
      .min(0, "The minimum cannot be negative")
      .max(100_000_000, "That minimum is too large")
      .nullable()
      .default(null),
  })
  .superRefine((r, ctx) => {
    if ((r.kind === "fixed_amount" || r.kind === "store_credit") && !r.valueMinor)
      ctx.addIssue({ code: "custom", path: ["valueMinor"], message: "form.error.required" });
    if (r.kind === "percentage" && !r.percentOff)
      ctx.addIssue({ code: "custom", path: ["percentOff"], message: "form.error.required" });
  });

function rewardErrors(error: z.ZodError) {
  return problemsFromZod(error, "reward");
}

function rewardData(r: z.infer<typeof rewardSchema>) {
  return {
    kind: r.kind,
    title: r.title,
    titles: JSON.stringify(r.titles),
    pointsCost: r.pointsCost,
    valueMinor: r.kind === "fixed_amount" || r.kind === "store_credit" ? r.valueMinor : null,
    percentOff: r.kind === "percentage" ? r.percentOff : null,
    // Store credit is not a discount code, so it has no order minimum.
    minimumOrderMinor: r.kind === "store_credit" ? null : r.minimumOrderMinor || null,
  };
}

export async function createReward(db: Db, shop: string, input: unknown) {
  const parsed = rewardSchema.safeParse(input);
  if (!parsed.success) return { ok: false as const, errors: rewardErrors(parsed.error) };
  const reward = await db.loyaltyReward.create({ data: { shop, ...rewardData(parsed.data) } });
  return { ok: true as const, reward };
}

/**
 * Changes a reward. Codes already issued keep the terms they were created with in Shopify; the
 * redemption rows keep the title and points paid, so history stays true.
 */
export async function updateReward(db: Db, shop: string, id: string, input: unknown) {
  const parsed = rewardSchema.safeParse(input);
  if (!parsed.success) return { ok: false as const, errors: rewardErrors(parsed.error) };
  const result = await db.loyaltyReward.updateMany({ where: { id, shop }, data: rewardData(parsed.data) });
  if (result.count === 0) throw new LoyaltyError(404, "unknown_reward", "That reward no longer exists.");
  return { ok: true as const, reward: await db.loyaltyReward.findFirstOrThrow({ where: { id, shop } }) };
}

export function listRewards(db: Db, shop: string) {
  return db.loyaltyReward.findMany({
    where: { shop },
    orderBy: [{ active: "desc" }, { pointsCost: "asc" }, { createdAt: "asc" }],
    take: 200,
  });
}

export async function setRewardActive(db: Db, shop: string, id: string, active: boolean) {
  const result = await db.loyaltyReward.updateMany({ where: { id, shop }, data: { active } });
  if (result.count === 0) throw new LoyaltyError(404, "unknown_reward", "That reward no longer exists.");
}

/**
 * Points outstanding and what they are worth: valued at the cheapest rate the catalogue offers
 * (money off per point of the best fixed-amount or store-credit reward), the most a shop could owe.
 */
export async function liabilityReport(db: Db, shop: string, now: Date) {
  const [[outstanding], pending, rewards, redeemed] = await Promise.all([
    // Plain SQL: Prisma's aggregate reads whole rows; this sum is read from the index alone, and the
    // members with points are counted in the same pass (a second pass over 200,000 members cost as
    // much again, on PostgreSQL with its parallel workers contending for the same cores).
    queryRows<{ points: unknown; members: unknown; withPoints: unknown }>(
      db,
      sql`SELECT SUM("points") AS "points", COUNT(*) AS "members",
          SUM(CASE WHEN "points" > 0 THEN 1 ELSE 0 END) AS "withPoints"
        FROM "LoyaltyMember" WHERE "shop" = ${shop}`,
    ),
    db.loyaltyLedgerEntry.aggregate({ where: { shop, availableAt: { gt: now } }, _sum: { points: true } }),
    db.loyaltyReward.findMany({
      where: { shop, active: true, kind: { in: ["fixed_amount", "store_credit"] } },
      select: { pointsCost: true, valueMinor: true },
    }),
    db.loyaltyRedemption.aggregate({
      where: { shop, status: "issued" },
      _sum: { points: true },
      _count: { _all: true },
    }),
  ]);
  const totalPoints = asNumber(outstanding?.points);
  const pendingPoints = Math.max(0, pending._sum.points ?? 0);
  const bestRate = rewards.reduce((best, r) => Math.max(best, (r.valueMinor ?? 0) / r.pointsCost), 0);
  return {
    totalPoints,
    pendingPoints,
    availablePoints: totalPoints - pendingPoints,
    membersWithPoints: asNumber(outstanding?.withPoints),
    members: asNumber(outstanding?.members),
    minorPerPoint: bestRate,
    liabilityMinor: Math.round(totalPoints * bestRate),
    redeemedPoints: redeemed._sum.points ?? 0,
    redemptions: redeemed._count._all,
  };
}

/** The shop's currency, in which tier thresholds, reward amounts and the liability are shown. */
export { shopCurrency } from "../../models/shop.server";
