import type { AdminMessageKey, Translate } from "./index";

/**
 * A stored code (a milestone, a status, an actor) in the merchant's words: its message in the
 * locale files (`<kind>.<code>`), or, for a code no file names yet, its words with the
 * underscores taken out, never the raw code.
 */
export function codeLabel(t: Translate, kind: string, code: string): string {
  const key = `${kind}.${code}` as AdminMessageKey;
  const text = t(key);
  if (text !== key) return text;
  const words = code.replace(/[_:]+/g, " ").trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : "—";
}

/**
 * Who made a ledger entry: "staff:1001" is staff member 1001, by name when `names` knows them
 * (the StaffMember rows of the shop), "staff" the staff.
 */
export function actorLabel(
  t: Translate,
  actor: string | null | undefined,
  names: Readonly<Record<string, string | null>> = {},
): string | null {
  if (!actor) return null;
  const staff = /^staff:(.+)$/.exec(actor);
  if (staff) return names[staff[1]] ?? t("actor.staffMember", { id: staff[1] });
  return codeLabel(t, "actor", actor);
}

/** A notification's result note: "superseded by out_for_delivery" in the merchant's words. */
export function notificationNote(t: Translate, note: string | null | undefined): string | null {
  if (!note) return null;
  const superseded = /^superseded by (\w+)$/.exec(note);
  if (superseded) return t("notifications.superseded", { milestone: codeLabel(t, "milestone", superseded[1]) });
  return note;
}
