import { describe, expect, it } from "vitest";

import { greetingName } from "../shared/greeting";

import { contactReference } from "./reference";

describe("contact references and greetings", () => {
  it("names a request so it cannot be read as an order (#1042) or a return (1042-R1)", () => {
    expect(contactReference(1042)).toBe("REQ-1042");
    expect(contactReference(1042)).not.toMatch(/^#|-R\d+$/);
  });

  it("greets by the name typed, never by a placeholder", () => {
    expect(greetingName("  Ada   Lovelace ")).toBe("Ada Lovelace");
    expect(greetingName("민지")).toBe("민지");
    for (const placeholder of ["Guest", "guest", "GUEST SHOPPER", "Guest Shopper 12", "Customer", "", "  ", null, "-"])
      expect(greetingName(placeholder), String(placeholder)).toBeNull();
    // A name that merely starts like a placeholder is a name.
    expect(greetingName("Guestina")).toBe("Guestina");
  });
});
