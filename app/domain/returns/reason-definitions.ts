/**
 * From a merchant's reason to one of Shopify's return reason definitions. Each merchant reason
 * names the standard reason it stands for (`shopifyReason` in the policy, the values of Shopify's
 * deprecated ReturnReason enum); Shopify's definitions are found by their stable handles. No I/O.
 */
import type { SHOPIFY_RETURN_REASONS } from "./policy";

export type ShopifyReason = (typeof SHOPIFY_RETURN_REASONS)[number];

export interface ReasonDefinition {
  id: string;
  handle: string;
  name: string;
  deleted: boolean;
}

/** Handles tried in order for each standard reason; "other" is the last resort for all. */
export const DEFINITION_HANDLES: Record<ShopifyReason, string[]> = {
  COLOR: ["color"],
  DEFECTIVE: ["damaged-or-defective", "defective"],
  NOT_AS_DESCRIBED: ["not-as-described"],
  OTHER: ["other"],
  SIZE_TOO_LARGE: ["too-large"],
  SIZE_TOO_SMALL: ["too-small"],
  STYLE: ["style"],
  UNWANTED: ["changed-my-mind", "unwanted"],
  WRONG_ITEM: ["wrong-item"],
};

/**
 * The definition a standard reason maps onto: the first of its handles the shop's library has,
 * preferring reasons not deleted from the taxonomy (deleted ones stay valid but are not offered).
 */
export function definitionFor(reason: ShopifyReason, definitions: ReasonDefinition[]): ReasonDefinition | null {
  const handles = [...(DEFINITION_HANDLES[reason] ?? []), "other"];
  for (const live of [true, false]) {
    for (const handle of handles) {
      const found = definitions.find((d) => d.handle === handle && d.deleted !== live);
      if (found) return found;
    }
  }
  return null;
}

/**
 * What Shopify keeps of the merchant's wording: the reason's own label, then the shopper's note,
 * within Shopify's limit for a return reason note.
 */
export function reasonNote(label: string, shopperNote: string | null | undefined, max = 255): string {
  const note = shopperNote?.trim();
  const text = note ? `${label.trim()}: ${note}` : label.trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
