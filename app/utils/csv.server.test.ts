import { describe, expect, it } from "vitest";

import { csvCell, toCsv } from "./csv.server";

describe("a CSV cell", () => {
  it("leaves plain text alone and writes nothing for no value", () => {
    expect(csvCell("Maple Goods")).toBe("Maple Goods");
    expect(csvCell("")).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(new Date("2026-06-01T08:30:00.000Z"))).toBe("2026-06-01T08:30:00.000Z");
  });

  it("quotes commas, quotes, line breaks, and the semicolons and tabs other locales split on", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvCell("line 1\r\nline 2")).toBe('"line 1\r\nline 2"');
    expect(csvCell("a;=1+1")).toBe('"a;=1+1"');
    expect(csvCell("a\t=1+1")).toBe('"a\t=1+1"');
  });

  it.each([
    ['=HYPERLINK("http://x","open")', '"\'=HYPERLINK(""http://x"",""open"")"'],
    ["+1 555 0100", "'+1 555 0100"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["-1", "-1"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1+1", '"\'\t=1+1"'],
    ["\r=1+1", '"\'\r=1+1"'],
    ["- not a number", "'- not a number"],
    ["-", "'-"],
    ["--1", "'--1"],
    ["-1.", "'-1."],
    ["-1e5", "'-1e5"],
  ])("does not let a spreadsheet run %j", (input, written) => {
    expect(csvCell(input)).toBe(written);
  });

  it("keeps real numbers numeric, negative ones too, and only them", () => {
    expect(csvCell(-125)).toBe("-125");
    expect(csvCell(0.5)).toBe("0.5");
    expect(csvCell(-0.25)).toBe("-0.25");
    expect(csvCell("-72.00")).toBe("-72.00");
    expect(csvCell("82.00")).toBe("82.00");
    expect(csvCell(-Infinity)).toBe("'-Infinity");
    expect(csvCell(Number.NaN)).toBe("NaN");
  });
});

describe("a CSV document", () => {
  it("ends every row with CRLF, the header first", () => {
    expect(
      toCsv([
        ["metric", "change"],
        ["Median first response", -125],
        ["Note", "a,b"],
      ]),
    ).toBe('metric,change\r\nMedian first response,-125\r\nNote,"a,b"\r\n');
    expect(toCsv([])).toBe("");
  });
});
