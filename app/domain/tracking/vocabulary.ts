/** The words tracking is built from, shared by server and admin UI (no dependencies, safe for the browser). */
import { MILESTONES, PROBLEMS } from "./timeline";

export const LANGUAGES = ["en", "ko", "ja", "fa"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Shipment moments that can send an email. */
export const NOTIFIED_MILESTONES = ["shipped", "out_for_delivery", "delivered", "delayed", "exception"] as const;
export type NotifiedMilestone = (typeof NOTIFIED_MILESTONES)[number];

/** Words the block shows that a merchant may reword, per language. */
export const WORDING_KEYS = [...MILESTONES, ...PROBLEMS, "preparing"] as const;
export type WordingKey = (typeof WORDING_KEYS)[number];
