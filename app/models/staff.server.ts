/** Data access for the shop's staff members who have used the app (names for the inbox). Shop first. */
import type { Db, Tx } from "../db.server";

import { rawRows } from "./raw-sql.server";

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

// Live chat's agents (docs/decisions/0042): presence, display name and photo.

/** Makes sure the staff member has a row (their name may not be known yet), then applies `data`. */
async function updateAgent(
  db: Db | Tx,
  shop: string,
  userId: string,
  data: { chatAvailable?: boolean; chatSeenAt?: Date | null; displayName?: string | null; photoId?: string | null },
  now: Date,
) {
  return db.staffMember.upsert({
    where: { shop_userId: { shop, userId } },
    create: { shop, userId, firstName: "", lastName: "", email: null, lastSeenAt: now, ...data },
    update: data,
  });
}

export const setChatAvailability = (db: Db, shop: string, userId: string, available: boolean, now: Date) =>
  updateAgent(db, shop, userId, { chatAvailable: available, ...(available ? { chatSeenAt: now } : {}) }, now);

/** An inbox stream of theirs is open now. */
export async function touchChatPresence(db: Db, shop: string, userId: string, now: Date) {
  await db.staffMember.updateMany({ where: { shop, userId }, data: { chatSeenAt: now } });
}

/** Their last inbox stream (in this process) closed. */
export async function clearChatPresence(db: Db, shop: string, userId: string) {
  await db.staffMember.updateMany({ where: { shop, userId }, data: { chatSeenAt: null } });
}

export async function getAgentProfile(db: Db, shop: string, userId: string) {
  return db.staffMember.findUnique({
    where: { shop_userId: { shop, userId } },
    select: {
      firstName: true,
      lastName: true,
      displayName: true,
      photoId: true,
      chatAvailable: true,
      chatSeenAt: true,
    },
  });
}

/**
 * Whether any agent chose available and was seen at or after `seenSince`. Asked after every
 * shopper's message, so one plain read (docs/decisions/0012) and not a model query.
 */
export async function anyAgentAvailable(db: Db, shop: string, seenSince: Date): Promise<boolean> {
  const rows = await rawRows<{ userId: string }>(
    db,
    `SELECT "userId" FROM "StaffMember" WHERE "shop" = {} AND "chatAvailable" = TRUE AND "chatSeenAt" >= {} LIMIT 1`,
    [shop, seenSince],
  );
  return rows.length > 0;
}

/** Name and photo of the agents among `userIds`, in plain SQL (read on every chat message). */
export async function agentCardRows(db: Db, shop: string, userIds: string[]) {
  if (!userIds.length) return [];
  return rawRows<{ userId: string; firstName: string; displayName: string | null; photoId: string | null }>(
    db,
    `SELECT "userId", "firstName", "displayName", "photoId" FROM "StaffMember" WHERE "shop" = {} AND "userId" IN ({*})`,
    [shop, userIds],
  );
}

export const saveDisplayName = (db: Db, shop: string, userId: string, displayName: string | null, now: Date) =>
  updateAgent(db, shop, userId, { displayName }, now);

/** Stores a new photo and drops the old one, in one transaction; returns the new photo's id. */
export async function replaceAgentPhoto(
  db: Db,
  shop: string,
  userId: string,
  photo: { contentType: string; width: number; height: number; bytes: Uint8Array } | null,
  now: Date,
) {
  return db.$transaction(async (tx) => {
    const created = photo
      ? await tx.staffPhoto.create({
          data: { shop, userId, ...photo, bytes: Buffer.from(photo.bytes), createdAt: now },
        })
      : null;
    await tx.staffPhoto.deleteMany({ where: { shop, userId, ...(created ? { id: { not: created.id } } : {}) } });
    await updateAgent(tx, shop, userId, { photoId: created?.id ?? null }, now);
    return created?.id ?? null;
  });
}

/** A photo by its id (the id is in its public URL; it names no shop or staff member). */
export async function getAgentPhoto(db: Db, photoId: string) {
  return db.staffPhoto.findUnique({ where: { id: photoId }, select: { contentType: true, bytes: true } });
}
