/**
 * Shopify's library of return reason definitions, as the sandbox serves it through the
 * `returnReasonDefinitions` query. The library is the same for every shop. Shopify publishes no
 * list of its handles, so these follow the shape its schema describes (stable kebab-case handles
 * such as "too-tight" or "arrived-late", a `deleted` flag for reasons replaced in the taxonomy).
 * Each definition names the ReturnReason enum value it corresponds to: the deprecated
 * `returnReason` input is translated through it, and the REST webhook payloads still carry it as
 * `return_reason`.
 */
export type LegacyReturnReason =
  | "COLOR"
  | "DEFECTIVE"
  | "NOT_AS_DESCRIBED"
  | "OTHER"
  | "SIZE_TOO_LARGE"
  | "SIZE_TOO_SMALL"
  | "STYLE"
  | "UNKNOWN"
  | "UNWANTED"
  | "WRONG_ITEM";

export interface ReturnReasonDefinition {
  id: number;
  handle: string;
  name: string;
  deleted: boolean;
  legacy: LegacyReturnReason;
}

const def = (
  id: number,
  handle: string,
  name: string,
  legacy: LegacyReturnReason,
  deleted = false,
): ReturnReasonDefinition => ({
  id,
  handle,
  name,
  deleted,
  legacy,
});

export const RETURN_REASON_DEFINITIONS: ReadonlyArray<ReturnReasonDefinition> = [
  def(1, "too-small", "Too small", "SIZE_TOO_SMALL"),
  def(2, "too-large", "Too large", "SIZE_TOO_LARGE"),
  def(3, "too-tight", "Too tight", "SIZE_TOO_SMALL"),
  def(4, "too-loose", "Too loose", "SIZE_TOO_LARGE"),
  def(5, "color", "Color", "COLOR"),
  def(6, "color-too-bright", "Color too bright", "COLOR"),
  def(7, "style", "Style", "STYLE"),
  def(8, "comfort", "Comfort", "STYLE"),
  def(9, "damaged-or-defective", "Damaged or defective", "DEFECTIVE"),
  def(10, "quality", "Quality", "DEFECTIVE"),
  def(11, "not-as-described", "Not as described", "NOT_AS_DESCRIBED"),
  def(12, "wrong-item", "Received the wrong item", "WRONG_ITEM"),
  def(13, "changed-my-mind", "Changed my mind", "UNWANTED"),
  def(14, "arrived-late", "Arrived too late", "UNWANTED"),
  def(15, "other", "Other", "OTHER"),
  def(16, "unknown", "Unknown", "UNKNOWN"),
  // Replaced by "too-small": still valid on returns, never offered for new ones.
  def(17, "size-was-too-small", "Size was too small", "SIZE_TOO_SMALL", true),
];

export function reasonDefinition(id: number | null | undefined): ReturnReasonDefinition | undefined {
  return id == null ? undefined : RETURN_REASON_DEFINITIONS.find((d) => d.id === id);
}

/** The definition the deprecated `returnReason` input stands for: the first live one for that value. */
export function definitionForLegacy(reason: string): ReturnReasonDefinition | undefined {
  return RETURN_REASON_DEFINITIONS.find((d) => !d.deleted && d.legacy === reason);
}
