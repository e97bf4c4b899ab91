/** Stored codes are shown in the merchant's words, never as the code. */
import { describe, expect, it } from "vitest";

import { actorLabel, codeLabel, notificationNote } from "./codes";

import { translator } from "./index";

describe("codes on screen", () => {
  const en = translator("en");
  const ja = translator("ja");
  it("names milestones and statuses from the locale files", () => {
    expect(codeLabel(en, "milestone", "out_for_delivery")).toBe("Out for delivery");
    expect(codeLabel(ja, "milestone", "out_for_delivery")).toBe("配達中");
    expect(codeLabel(en, "notificationStatus", "suppressed")).toBe("Suppressed");
    // A code no file names yet still reads as words.
    expect(codeLabel(en, "milestone", "returned_to_sender")).toBe("Returned to sender");
  });
  it("says who made an entry and why a message was not sent", () => {
    expect(actorLabel(en, "staff:1001")).toBe("Staff member 1001");
    expect(actorLabel(en, "staff:1001", { "1001": "Mina Park" })).toBe("Mina Park");
    expect(actorLabel(ja, "staff")).toBe("スタッフ");
    expect(actorLabel(en, null)).toBeNull();
    expect(notificationNote(en, "superseded by out_for_delivery")).toBe(
      "Not sent: the shipment had already reached “Out for delivery”",
    );
  });
});
