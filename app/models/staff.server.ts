/** Data access for the shop's staff members who have used the app (names for the inbox). Shop first. */
import type { Db } from "../db.server";

export interface StaffMemberInput {
  userId: string;
  firstName: string;
  lastName: string;
  email: string | null;
}

export async function getStaffMember(db: Db, shop: string, userId: string) {
  return db.staffMember.findUnique({ where: { shop_userId: { shop, userId } } });
}

export async function saveStaffMember(db: Db, shop: string, input: StaffMemberInput, now: Date) {
  const data = { firstName: input.firstName, lastName: input.lastName, email: input.email, lastSeenAt: now };
  return db.staffMember.upsert({
    where: { shop_userId: { shop, userId: input.userId } },
    create: { shop, userId: input.userId, ...data },
    update: data,
  });
}

/** Everyone who has acted in the app, by name: whom a request can be assigned to. */
export async function listStaffMembers(db: Db, shop: string) {
  return db.staffMember.findMany({
    where: { shop },
    orderBy: [{ firstName: "asc" }, { lastName: "asc" }],
    select: { userId: true, firstName: true, lastName: true },
    take: 500,
  });
}
