/**
 * Live chat's agents and ratings, as rules with no I/O (docs/decisions/0042): when an agent counts
 * as available, when a shopper has left the chat, what an agent's profile and photo may be, and
 * what a shopper's rating of a closed chat may hold.
 */
import { cleanChatText } from "./chat";

/**
 * An inbox stream refreshes its agent's presence this often while it is open; an agent who chose
 * "available" counts as available only while a refresh is younger than PRESENCE_FRESH_MS, so a
 * closed tab, a crashed process or a lost network ends their presence without anyone noticing.
 */
export const PRESENCE_REFRESH_MS = 30_000;
export const PRESENCE_FRESH_MS = 90_000;

/** A shopper whose chat stream has been closed this long has left: an agent's reply is mailed. */
export const SHOPPER_LEFT_MS = 3 * 60_000;
/** A shopper's open stream refreshes its presence this often (well under SHOPPER_LEFT_MS). */
export const SHOPPER_REFRESH_MS = 60_000;

export function isAgentAvailable(agent: { chatAvailable: boolean; chatSeenAt: Date | null }, now: Date): boolean {
  return (
    agent.chatAvailable && agent.chatSeenAt !== null && now.getTime() - agent.chatSeenAt.getTime() < PRESENCE_FRESH_MS
  );
}

/** The oldest presence refresh that still counts at `now`. */
export const presenceCutoff = (now: Date) => new Date(now.getTime() - PRESENCE_FRESH_MS + 1);

/** Whether the shopper has left: no stream open (no refresh) for SHOPPER_LEFT_MS. */
export function shopperHasLeft(shopperSeenAt: Date | null, now: Date): boolean {
  return shopperSeenAt === null || now.getTime() - shopperSeenAt.getTime() >= SHOPPER_LEFT_MS;
}

export const AGENT_PHOTO = {
  /** Bytes of an upload, before resizing. */
  maxBytes: 5 * 1024 * 1024,
  /** Each side of an upload at least this, and at most maxSide (larger is a mistake or a bomb). */
  minSide: 64,
  maxSide: 6000,
  /** The stored photo: a square of this side, WebP. */
  side: 256,
  types: ["image/jpeg", "image/png", "image/webp"] as const,
} as const;

/** Every refusal's code: each has admin words, `inbox.agent.error.<code>`, in every admin language. */
export const AGENT_PROBLEM_CODES = [
  "name_too_long",
  "name_invalid",
  "photo_missing",
  "photo_type",
  "photo_too_large",
  "photo_too_small",
  "photo_too_big",
  "photo_unreadable",
  "who",
  "unreadable",
] as const;

export interface AgentProblem {
  field: "displayName" | "photo";
  code: string;
  message: string;
  status: 400 | 413 | 415;
}

const NAME_MAX = 40;

/** A display name: trimmed, plain text, at most 40 characters; empty means "use my first name". */
export function checkDisplayName(
  raw: unknown,
): { ok: true; name: string | null } | { ok: false; problem: AgentProblem } {
  const name = typeof raw === "string" ? cleanChatText(raw).replace(/\s+/g, " ") : "";
  if ([...name].length > NAME_MAX) {
    return {
      ok: false,
      problem: {
        field: "displayName",
        code: "name_too_long",
        message: `Keep the display name under ${NAME_MAX} characters.`,
        status: 400,
      },
    };
  }
  if (/[<>]/.test(name)) {
    return {
      ok: false,
      problem: {
        field: "displayName",
        code: "name_invalid",
        message: "A display name cannot contain < or >.",
        status: 400,
      },
    };
  }
  return { ok: true, name: name || null };
}

/** The upload as sent: its declared type and size, before the image itself is read. */
export function checkPhotoUpload(file: { type: string; size: number } | null): AgentProblem | null {
  if (!file || file.size === 0)
    return { field: "photo", code: "photo_missing", message: "Choose a photo to upload.", status: 400 };
  if (!(AGENT_PHOTO.types as ReadonlyArray<string>).includes(file.type)) {
    return { field: "photo", code: "photo_type", message: "Upload a JPEG, PNG or WebP photo.", status: 415 };
  }
  if (file.size > AGENT_PHOTO.maxBytes)
    return { field: "photo", code: "photo_too_large", message: "Upload a photo of at most 5 MB.", status: 413 };
  return null;
}

/** The image's real format and size, once read. */
export function checkPhotoImage(image: {
  format: string | undefined;
  width: number;
  height: number;
}): AgentProblem | null {
  if (!["jpeg", "png", "webp"].includes(image.format ?? "")) {
    return { field: "photo", code: "photo_type", message: "Upload a JPEG, PNG or WebP photo.", status: 415 };
  }
  if (Math.min(image.width, image.height) < AGENT_PHOTO.minSide) {
    return {
      field: "photo",
      code: "photo_too_small",
      message: `Upload a photo at least ${AGENT_PHOTO.minSide} pixels on each side.`,
      status: 400,
    };
  }
  if (Math.max(image.width, image.height) > AGENT_PHOTO.maxSide) {
    return {
      field: "photo",
      code: "photo_too_big",
      message: `Upload a photo at most ${AGENT_PHOTO.maxSide} pixels on each side.`,
      status: 400,
    };
  }
  return null;
}

/** The name a shopper sees: the display name, else the first name, else null. */
export const agentShownName = (m: { displayName: string | null; firstName: string }) =>
  m.displayName?.trim() || m.firstName.trim() || null;

export const RATING_COMMENT_MAX = 2000;

export type RatingCheck =
  { ok: true; score: number; comment: string | null } | { ok: false; code: "score" | "comment"; message: string };

/** A shopper's rating of a chat: a whole score from 1 to 5 and an optional comment. */
export function checkChatRating(score: unknown, comment: unknown): RatingCheck {
  if (typeof score !== "number" || !Number.isInteger(score) || score < 1 || score > 5) {
    return { ok: false, code: "score", message: "Choose a rating from 1 to 5." };
  }
  if (comment !== undefined && comment !== null && typeof comment !== "string") {
    return { ok: false, code: "comment", message: "The comment could not be read; write it again." };
  }
  const text = cleanChatText(comment ?? "");
  if ([...text].length > RATING_COMMENT_MAX) {
    return { ok: false, code: "comment", message: "Keep the comment under 2,000 characters." };
  }
  return { ok: true, score, comment: text || null };
}

/** An email address a shopper gives in chat, lower-cased; null when it is not one. */
export function chatEmail(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email) ? email : null;
}
