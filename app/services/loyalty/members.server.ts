import type { LoyaltyMember } from "@prisma/client";

import type { Db } from "../../db.server";
import { recordEvent } from "../../models/events.server";
import { markMetafieldsDue } from "../../models/metafield-sync.server";
import { rawRows, sql, type Sql } from "../../models/raw-sql.server";
import { DAY_MS, spendOfOrders, TIER_WINDOW_DAYS, tierFor } from "../../domain/loyalty/points";
import type { LoyaltySettings } from "../../domain/loyalty/settings";

export const customerKey = (customerGid: string) => `c:${customerGid}`;
export const emailKey = (email: string) => `e:${email.trim().toLowerCase()}`;

async function upsertMember(
  db: Db,
  shop: string,
  key: string,
  data: { customerShopifyId?: string | null; email?: string | null },
) {
  // Read for every paid order: plain SQL, no model query to compile (docs/decisions/0012).
  const [found] = await rawRows<LoyaltyMember>(db, `SELECT * FROM "LoyaltyMember" WHERE "shop" = {} AND "key" = {}`, [
    shop,
    key,
  ]);
  if (found) {
    if (data.email && found.email !== data.email && !found.redactedAt) {
      return db.loyaltyMember.update({ where: { id: found.id }, data: { email: data.email } });
    }
    return found;
  }
  try {
    return await db.loyaltyMember.create({
      data: { shop, key, customerShopifyId: data.customerShopifyId ?? null, email: data.email ?? null },
    });
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    return db.loyaltyMember.findUniqueOrThrow({ where: { shop_key: { shop, key } } });
  }
}

export function memberForCustomer(db: Db, shop: string, customerGid: string, email: string | null) {
  return upsertMember(db, shop, customerKey(customerGid), {
    customerShopifyId: customerGid,
    email: email?.toLowerCase() ?? null,
  });
}

export function memberForGuestEmail(db: Db, shop: string, email: string) {
  return upsertMember(db, shop, emailKey(email), { email: email.trim().toLowerCase() });
}

export function findMemberByCustomer(db: Db, shop: string, customerGid: string) {
  return db.loyaltyMember.findUnique({ where: { shop_key: { shop, key: customerKey(customerGid) } } });
}

/**
 * Recomputes a member's 12-month spend and tier from the orders that earned points (merchandise
 * after discounts, less refunds; cancelled orders do not count). Moves a member up or down.
 */
export async function refreshTier(db: Db, shop: string, memberId: string, settings: LoyaltySettings, now: Date) {
  const since = new Date(now.getTime() - TIER_WINDOW_DAYS * DAY_MS);
  const orders = await db.loyaltyOrder.findMany({
    where: { shop, memberId, paidAt: { gte: since }, cancelledAt: null },
    select: { linesMinor: true, refundedMinor: true },
  });
  const spend = spendOfOrders(orders);
  const tier = tierFor(settings.tiers, spend);
  // Most events of an order leave its member's spend as it was: no transaction for those. A
  // writer racing this read is settled inside setSpendAndTier, which reads again under the lock.
  const current = await db.loyaltyMember.findFirst({
    where: { id: memberId, shop },
    select: { spend12mMinor: true, tierKey: true },
  });
  if (!current) return { spend12mMinor: spend, tier };
  if (current.spend12mMinor !== spend || current.tierKey !== (tier?.key ?? null)) {
    await setSpendAndTier(db, shop, memberId, spend, tier?.key ?? null, now);
  }
  return { spend12mMinor: spend, tier };
}

/**
 * Writes a member's spend and tier; a move to another tier is announced ("loyalty.tier_changed")
 * in the same transaction. The update is conditional on the tier read, so of two writers racing
 * to move a member, one moves it and announces it.
 */
export async function setSpendAndTier(
  db: Db,
  shop: string,
  memberId: string,
  spend12mMinor: number,
  tierKey: string | null,
  now: Date,
) {
  await db.$transaction(async (tx) => {
    const member = await tx.loyaltyMember.findFirst({
      where: { id: memberId, shop },
      select: { tierKey: true, customerShopifyId: true },
    });
    if (!member) return;
    const { count } = await tx.loyaltyMember.updateMany({
      where: { id: memberId, shop, tierKey: member.tierKey },
      data: { spend12mMinor, tierKey },
    });
    if (count !== 1 || member.tierKey === tierKey) return;
    await markMetafieldsDue(tx, shop, memberId, now);
    await recordEvent(tx, {
      shop,
      type: "loyalty.tier_changed",
      key: `${memberId}:${member.tierKey ?? "-"}>${tierKey ?? "-"}:${now.toISOString()}`,
      occurredAt: now,
      customer: { id: member.customerShopifyId },
      data: { from: member.tierKey, to: tierKey, spend12mMinor },
    });
  });
}

/** The shop's members (not redacted) with one of `keys` (customerKey, emailKey): tier and points. */
export async function membersByKeys(db: Db, shop: string, keys: string[]) {
  return db.loyaltyMember.findMany({
    where: { shop, key: { in: keys }, redactedAt: null },
    select: { key: true, tierKey: true, points: true },
  });
}

/** Members who joined before `before` (not redacted). */
export function countMembersBefore(db: Db, shop: string, before: Date) {
  return db.loyaltyMember.count({ where: { shop, createdAt: { lt: before }, redactedAt: null } });
}

/**
 * The condition "the customer `customer` (a column or expression holding a customer gid) had joined
 * the program before `before`", for another owner's statement (the dashboard's members' repeat
 * rate): only the loyalty area writes SQL naming its tables (docs/decisions/0021 and 0028).
 */
export function wasMemberBefore(customer: Sql, shop: string, before: Date): Sql {
  return sql`EXISTS (SELECT 1 FROM "LoyaltyMember" m
    WHERE m."shop" = ${shop} AND m."customerShopifyId" = ${customer} AND m."createdAt" < ${before})`;
}
