/** The points one order earned its customer, for the order status page in customer accounts. */
import type { Db } from "../../db.server";

import { findMemberByCustomer } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

export interface OrderPoints {
  /** Earned less what refunds and cancellation took back. */
  points: number;
  /** "pending" until the order's points become spendable, then "available"; "reversed" when none are left. */
  status: "pending" | "available" | "reversed";
  availableAt: string;
}

/** Null when the program is off, the order earned nothing, or it is not this customer's. */
export async function pointsForOrder(
  db: Db,
  input: { shop: string; customerGid: string; orderShopifyId: string; now: Date },
): Promise<OrderPoints | null> {
  const settings = await loadLoyaltySettings(db, input.shop);
  if (!settings.enabled) return null;
  const member = await findMemberByCustomer(db, input.shop, input.customerGid);
  if (!member) return null;
  const earned = await db.loyaltyOrder.findUnique({
    where: { shop_orderShopifyId: { shop: input.shop, orderShopifyId: input.orderShopifyId } },
    select: { memberId: true, pointsEarned: true, pointsReversed: true, availableAt: true, cancelledAt: true },
  });
  if (!earned || earned.memberId !== member.id || earned.pointsEarned <= 0) return null;
  const points = Math.max(0, earned.pointsEarned - earned.pointsReversed);
  return {
    points,
    status: points === 0 || earned.cancelledAt ? "reversed" : earned.availableAt > input.now ? "pending" : "available",
    availableAt: earned.availableAt.toISOString(),
  };
}
