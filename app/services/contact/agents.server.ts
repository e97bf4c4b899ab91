/**
 * Live chat's agents (docs/decisions/0042): available or away, presence that ends with the inbox
 * stream, and the display name and photo shoppers see. Presence is kept in the database, so every
 * web process answers the same; an open inbox stream refreshes it, and it counts only while fresh.
 */
import sharp, { type Metadata } from "sharp";

import { db as defaultDb, type Db } from "../../db.server";
import {
  AGENT_PHOTO,
  agentShownName,
  checkDisplayName,
  checkPhotoImage,
  checkPhotoUpload,
  isAgentAvailable,
  presenceCutoff,
  PRESENCE_REFRESH_MS,
  type AgentProblem,
} from "../../domain/contact/agents";
import {
  agentCardRows,
  anyAgentAvailable,
  clearChatPresence,
  getAgentProfile,
  replaceAgentPhoto,
  saveDisplayName,
  setChatAvailability,
  touchChatPresence,
} from "../../models/staff.server";

export class AgentProfileError extends Error {
  constructor(public readonly problem: AgentProblem) {
    super(problem.message);
    this.name = "AgentProfileError";
  }
}

/**
 * Whether any agent of the shop is available for chat now: chose "available" and has the inbox
 * open (a stream refreshed within PRESENCE_FRESH_MS). One count on an index.
 */
export async function isAnyAgentAvailable(shop: string, now: Date, db: Db = defaultDb()): Promise<boolean> {
  // Asked after every shopper's message: one plain read (docs/decisions/0012), not a model query.
  return anyAgentAvailable(db, shop, presenceCutoff(now));
}

/** Where a photo is served from: the app itself (the storefront loads it from another origin). */
export function agentPhotoUrl(photoId: string | null): string | null {
  if (!photoId) return null;
  const base = process.env.SHOPIFY_APP_URL ?? "";
  return `${base.replace(/\/$/, "")}/chat/agents/${encodeURIComponent(photoId)}`;
}

export interface AgentCard {
  name: string | null;
  photoUrl: string | null;
}

/** Name and photo of each agent among `userIds`, as the shopper sees them. */
export async function agentCards(db: Db, shop: string, userIds: Iterable<string>): Promise<Map<string, AgentCard>> {
  const ids = [...new Set(userIds)];
  const cards = new Map<string, AgentCard>();
  if (!ids.length) return cards;
  const rows = await agentCardRows(db, shop, ids);
  for (const m of rows) {
    cards.set(m.userId, { name: agentShownName(m), photoUrl: agentPhotoUrl(m.photoId) });
  }
  return cards;
}

/** What the inbox shows of the signed-in agent. */
export async function agentSelf(db: Db, shop: string, userId: string, now: Date) {
  const m = await getAgentProfile(db, shop, userId);
  return {
    // Their choice; presence (an open inbox) is what isAnyAgentAvailable adds.
    available: m?.chatAvailable ?? false,
    present: m ? isAgentAvailable(m, now) : false,
    displayName: m?.displayName ?? "",
    firstName: m?.firstName ?? "",
    photoUrl: agentPhotoUrl(m?.photoId ?? null),
  };
}

export async function setAgentAvailability(db: Db, shop: string, userId: string, available: boolean, now: Date) {
  await setChatAvailability(db, shop, userId, available, now);
}

export async function saveAgentDisplayName(db: Db, shop: string, userId: string, raw: unknown, now: Date) {
  const check = checkDisplayName(raw);
  if (!check.ok) throw new AgentProfileError(check.problem);
  await saveDisplayName(db, shop, userId, check.name, now);
  return check.name;
}

/**
 * An uploaded photo: its declared type and size checked first, then the image itself read (its
 * real format and pixel size), then cropped to a square around its middle, resized to
 * AGENT_PHOTO.side and stored as WebP. Nothing is stored unless every check passes.
 */
export async function saveAgentPhoto(
  db: Db,
  shop: string,
  userId: string,
  file: { type: string; size: number; bytes: () => Promise<ArrayBuffer> } | null,
  now: Date,
) {
  const declared = checkPhotoUpload(file);
  if (declared) throw new AgentProfileError(declared);
  const input = Buffer.from(await file!.bytes());
  let meta: Metadata;
  try {
    // limitInputPixels refuses a decompression bomb before it is decoded.
    meta = await sharp(input, { limitInputPixels: AGENT_PHOTO.maxSide * AGENT_PHOTO.maxSide }).metadata();
  } catch {
    throw new AgentProfileError({
      field: "photo",
      code: "photo_unreadable",
      message: "That file could not be read as a photo; upload a JPEG, PNG or WebP.",
      status: 400,
    });
  }
  const problem = checkPhotoImage({ format: meta.format, width: meta.width ?? 0, height: meta.height ?? 0 });
  if (problem) throw new AgentProfileError(problem);
  const bytes = await sharp(input, { limitInputPixels: AGENT_PHOTO.maxSide * AGENT_PHOTO.maxSide })
    .rotate() // follow the camera's orientation, then drop the metadata (location included)
    .resize(AGENT_PHOTO.side, AGENT_PHOTO.side, { fit: "cover", position: "attention" })
    .webp({ quality: 82 })
    .toBuffer();
  const photoId = await replaceAgentPhoto(
    db,
    shop,
    userId,
    { contentType: "image/webp", width: AGENT_PHOTO.side, height: AGENT_PHOTO.side, bytes },
    now,
  );
  return { photoId, photoUrl: agentPhotoUrl(photoId), bytes: bytes.length };
}

export async function removeAgentPhoto(db: Db, shop: string, userId: string, now: Date) {
  await replaceAgentPhoto(db, shop, userId, null, now);
}

/**
 * Presence held by this process's inbox streams, per agent. While an agent has a stream open here
 * it is refreshed every PRESENCE_REFRESH_MS; when their last stream here closes it is cleared (a
 * stream of theirs in another process refreshes it again within that time).
 */
const openAgentStreams = new Map<string, number>();

export function holdAgentPresence(db: Db, shop: string, userId: string, clock: () => Date = () => new Date()) {
  const key = `${shop}\u0000${userId}`;
  openAgentStreams.set(key, (openAgentStreams.get(key) ?? 0) + 1);
  const touch = () => touchChatPresence(db, shop, userId, clock()).catch(() => {});
  const ready = touch();
  const timer = setInterval(touch, PRESENCE_REFRESH_MS);
  timer.unref?.();
  let released = false;
  return {
    ready,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const left = (openAgentStreams.get(key) ?? 1) - 1;
      if (left > 0) openAgentStreams.set(key, left);
      else {
        openAgentStreams.delete(key);
        await ready;
        await clearChatPresence(db, shop, userId).catch(() => {});
      }
    },
  };
}
