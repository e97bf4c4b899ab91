import { describe, expect, it } from "vitest";

import { DEFAULT_RETURN_POLICY, SHOPIFY_RETURN_REASONS } from "./policy";
import { definitionFor, reasonNote, type ReasonDefinition } from "./reason-definitions";

const d = (id: number, handle: string, deleted = false): ReasonDefinition => ({
  id: `gid://shopify/ReturnReasonDefinition/${id}`,
  handle,
  name: handle,
  deleted,
});

const library = [
  d(1, "too-small"),
  d(2, "too-large"),
  d(5, "color"),
  d(7, "style"),
  d(9, "damaged-or-defective"),
  d(11, "not-as-described"),
  d(12, "wrong-item"),
  d(13, "changed-my-mind"),
  d(15, "other"),
];

describe("merchant reasons onto Shopify's return reason definitions", () => {
  it("maps every standard reason the policy offers onto a definition", () => {
    for (const reason of SHOPIFY_RETURN_REASONS) expect(definitionFor(reason, library), reason).not.toBeNull();
    const byReason = Object.fromEntries(
      DEFAULT_RETURN_POLICY.reasons.map((r) => [r.id, definitionFor(r.shopifyReason, library)?.handle]),
    );
    expect(byReason).toEqual({
      too_small: "too-small",
      too_large: "too-large",
      not_as_described: "not-as-described",
      defective: "damaged-or-defective",
      wrong_item: "wrong-item",
      changed_mind: "changed-my-mind",
      other: "other",
    });
  });

  it("prefers a live definition, takes a deleted one over none, and falls back to other", () => {
    expect(definitionFor("SIZE_TOO_SMALL", [d(17, "too-small", true), d(1, "too-small")])?.id).toMatch(/\/1$/);
    expect(definitionFor("SIZE_TOO_SMALL", [d(17, "too-small", true)])?.id).toMatch(/\/17$/);
    expect(definitionFor("STYLE", [d(15, "other")])?.handle).toBe("other");
    expect(definitionFor("STYLE", [])).toBeNull();
  });

  it("keeps the merchant's wording and the shopper's note within Shopify's 255 characters", () => {
    expect(reasonNote("Too small", null)).toBe("Too small");
    expect(reasonNote("Too small", "  runs a size small ")).toBe("Too small: runs a size small");
    const long = reasonNote("Other", "x".repeat(400));
    expect(long).toHaveLength(255);
    expect(long.endsWith("…")).toBe(true);
  });
});
