/**
 * A return line's reason as the mirror keeps it. The returns/* webhooks (REST) carry the older
 * ReturnReason enum in lowercase (`size_too_small`); the Admin GraphQL API gives a return reason
 * definition instead (its deprecated `returnReason` field aside), named by a stable handle such as
 * "too-tight". A return first seen through GraphQL (reconciliation, the history import's details)
 * must store the same word a webhook would have, or the return-reasons report splits one reason in
 * two.
 *
 * Shopify publishes neither the full list of handles nor which enum value each corresponds to: its
 * reference names "arrived-late", "comfort", "too-tight", "color-too-bright" and "quality" as
 * examples, says handles are stable across API versions and locales, and that deleted definitions
 * still appear on old returns. The table holds those and the rest of the standard library as the
 * app's sandbox serves it, each with the enum value closest in meaning.
 */
const WORD_BY_HANDLE: Readonly<Record<string, string>> = {
  "too-small": "size_too_small",
  "too-tight": "size_too_small",
  "size-was-too-small": "size_too_small",
  "too-large": "size_too_large",
  "too-loose": "size_too_large",
  color: "color",
  "color-too-bright": "color",
  style: "style",
  comfort: "style",
  "damaged-or-defective": "defective",
  quality: "defective",
  "not-as-described": "not_as_described",
  "wrong-item": "wrong_item",
  "changed-my-mind": "unwanted",
  "arrived-late": "unwanted",
  other: "other",
  unknown: "unknown",
};

/**
 * The enum word for a reason definition's handle. A line without a definition gets "unknown", which
 * is what REST sends when no reason was given. A handle not in the table (Shopify keeps adding
 * reasons, and suggests some per product category) still is a reason the shopper chose: it counts
 * as "other", the enum's own word for a reason outside its list, rather than null, which would
 * read as no reason at all.
 */
export function returnReasonWord(definition: { handle: string } | null | undefined): string {
  if (!definition) return "unknown";
  return WORD_BY_HANDLE[definition.handle] ?? "other";
}
