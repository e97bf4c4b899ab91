import { describe, expect, it } from "vitest";

import { classifyReply, e164 } from "./opt-out";
import { countSegments } from "./segments";
import {
  DEFAULT_SMS_TEMPLATES,
  EXAMPLE_VARIABLES,
  renderSms,
  SMS_LANGUAGES,
  SMS_MESSAGE_TYPES,
  unknownVariables,
} from "./templates";

describe("SMS segments", () => {
  it("counts GSM-7 texts 160 to one segment, then 153 a segment; extension characters take two", () => {
    expect(countSegments("")).toMatchObject({ segments: 0 });
    expect(countSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1, remaining: 0 });
    expect(countSegments("a".repeat(161))).toMatchObject({ segments: 2, remaining: 2 * 153 - 161 });
    expect(countSegments("{}".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 320, segments: 3 });
    expect(countSegments("€")).toMatchObject({ units: 2 });
  });

  it("sends anything outside GSM-7 as UCS-2: 70 in one segment, then 67; an emoji takes two units", () => {
    expect(countSegments("가".repeat(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1, remaining: 0 });
    expect(countSegments("가".repeat(71))).toMatchObject({ segments: 2 });
    expect(countSegments(`${"a".repeat(60)}😀`)).toMatchObject({ encoding: "UCS-2", units: 62, segments: 1 });
  });

  it("keeps every default template to at most 3 segments with a realistic link, and knows its variables", () => {
    for (const type of SMS_MESSAGE_TYPES)
      for (const language of SMS_LANGUAGES) {
        const template = DEFAULT_SMS_TEMPLATES[type][language];
        expect(unknownVariables(template), `${type} ${language}`).toEqual([]);
        expect(
          countSegments(renderSms(template, EXAMPLE_VARIABLES)).segments,
          `${type} ${language}`,
        ).toBeLessThanOrEqual(3);
      }
    expect(unknownVariables("Hi {{ first_name }} {{ order_name }}")).toEqual(["first_name"]);
  });
});

describe("replies", () => {
  it("stops on the opt-out words alone, whatever the case and closing punctuation, and starts on START", () => {
    for (const word of ["STOP", "stop", " Stop. ", "UNSUBSCRIBE", "cancel!", "end", "quit"])
      expect(classifyReply(word), word).toBe("opt_out");
    for (const word of ["please stop", "STOP IT", "hello", ""]) expect(classifyReply(word), word).toBe("other");
    for (const word of ["START", "yes", "Unstop"]) expect(classifyReply(word), word).toBe("opt_in");
  });

  it("takes E.164 numbers with spaces and dashes, and refuses the rest", () => {
    expect(e164("+1 415-555-0123")).toBe("+14155550123");
    expect(e164("+82 10 1234 5678")).toBe("+821012345678");
    expect(e164("555-0100")).toBeNull();
    expect(e164("")).toBeNull();
  });
});
