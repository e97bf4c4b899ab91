import { describe, expect, it } from "vitest";

import { RETURN_REASON_DEFINITIONS } from "../../../sandbox/engine/return-reasons";

import { returnReasonWord } from "./return-reasons";

describe("a return line's reason from its reason definition", () => {
  it("gives, for every definition of the standard library, the word the REST webhooks carry", () => {
    // The sandbox's payloads put each definition's ReturnReason value, lowercased, in `return_reason`.
    for (const d of RETURN_REASON_DEFINITIONS) {
      expect(returnReasonWord({ handle: d.handle }), d.handle).toBe(d.legacy.toLowerCase());
    }
  });

  it("maps the handles Shopify's reference gives as examples", () => {
    expect(returnReasonWord({ handle: "arrived-late" })).toBe("unwanted");
    expect(returnReasonWord({ handle: "comfort" })).toBe("style");
    expect(returnReasonWord({ handle: "too-tight" })).toBe("size_too_small");
    expect(returnReasonWord({ handle: "color-too-bright" })).toBe("color");
    expect(returnReasonWord({ handle: "quality" })).toBe("defective");
  });

  it("counts a reason it does not know as other, and a line without one as unknown", () => {
    expect(returnReasonWord({ handle: "smells-odd" })).toBe("other");
    expect(returnReasonWord(null)).toBe("unknown");
    expect(returnReasonWord(undefined)).toBe("unknown");
  });
});
