/**
 * A shopper's latest return, for the profile properties other tools segment on (the Klaviyo
 * destination's "last return"). One indexed read: by customer, else by the return's email.
 */
import type { Db } from "../../db.server";

export async function latestReturnOf(
  db: Db,
  shop: string,
  shopper: { customerShopifyId: string | null; email: string | null },
): Promise<{ number: string; status: string; requestedAt: Date } | null> {
  const where = shopper.customerShopifyId
    ? { shop, customerShopifyId: shopper.customerShopifyId }
    : shopper.email
      ? { shop, email: shopper.email }
      : null;
  if (!where) return null;
  return db.returnCase.findFirst({
    where,
    orderBy: { requestedAt: "desc" },
    select: { number: true, status: true, requestedAt: true },
  });
}
