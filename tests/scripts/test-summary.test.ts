/**
 * `npm test`'s summary counts from a real vitest report: one failing test inside a describe block
 * is one failure, not two, and a file that cannot even load still counts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { countResults, failureLines, shiftedClock } from "../../scripts/test-summary.mjs";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "aftercare-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vitestReport(files: Record<string, string>) {
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  writeFileSync(
    join(dir, "vitest.config.mjs"),
    "export default { test: { globals: true, include: ['*.check.mjs'] } };\n",
  );
  const report = join(dir, "report.json");
  spawnSync(
    join(root, "node_modules/.bin/vitest"),
    ["run", "--root", dir, "--reporter=json", `--outputFile.json=${report}`],
    {
      encoding: "utf8",
      env: { ...process.env, TEST_DATABASE: "" },
    },
  );
  return JSON.parse(readFileSync(report, "utf8"));
}

describe("npm test's summary", () => {
  it("counts a failing test in a describe block once, and a file that fails to load as one failure", () => {
    const report = vitestReport({
      "nested.check.mjs": `describe("outer", () => { describe("inner", () => {
        it("fails", () => { expect(1).toBe(2); });
        it("passes", () => { expect(1).toBe(1); });
        it.skip("skipped", () => {});
      }); });\n`,
      "broken.check.mjs": `throw new Error("cannot load");\n`,
    });
    expect(countResults(report)).toEqual({ passed: 1, failed: 2, skipped: 1 });
    // The summary names each failure with the first line of its message, files relative to the root.
    expect(failureLines(report, dir).sort()).toEqual([
      "broken.check.mjs: cannot load",
      expect.stringMatching(/^nested\.check\.mjs > outer inner fails: AssertionError: expected 1 to be 2/),
    ]);
  });
});

describe("the shifted clock", () => {
  it("is a week and a half later, at 23:30 local time in a far time zone", () => {
    expect(shiftedClock(new Date("2026-12-04T16:00:00Z"))).toEqual({
      timeZone: "Pacific/Kiritimati",
      localTime: "2026-12-15 23:30:00",
    });
    // Across a year's end, the local date (UTC+14) is the one named.
    expect(shiftedClock(new Date("2026-12-21T11:00:00Z")).localTime).toBe("2027-01-01 23:30:00");
  });
});
