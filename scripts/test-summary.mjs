// Counting a vitest JSON report for `npm test`'s summary (scripts/test.mjs).

/**
 * A failing test counts once (vitest's own suite count also counts each describe block around
 * it); a file that failed before running any test (an import error, a failing beforeAll) counts
 * as one failure, since it reports no failed test of its own.
 */
/**
 * @typedef {{ status: string }} TestResult
 * @typedef {{ status: string; assertionResults?: TestResult[] }} FileResult
 * @param {{ testResults?: FileResult[] }} report
 */
export function countResults(report) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const failedHere = tests.filter((t) => t.status === "failed").length;
    passed += tests.filter((t) => t.status === "passed").length;
    skipped += tests.filter((t) => ["pending", "todo", "skipped"].includes(t.status)).length;
    failed += failedHere > 0 ? failedHere : file.status === "failed" ? 1 : 0;
  }
  return { passed, failed, skipped };
}

/**
 * The clock for the suite's second run in CI: a week and a half from `now`, at 23:30 in a time zone
 * far from UTC, so a test that only passes on some weekdays, near midnight or in UTC fails there.
 * Returns what faketime takes ("YYYY-MM-DD 23:30:00", read in `timeZone`).
 */
export function shiftedClock(now = new Date(), timeZone = "Pacific/Kiritimati") {
  const later = new Date(now.getTime() + 10.5 * 86_400_000);
  const day = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    later,
  );
  return { timeZone, localTime: `${day} 23:30:00` };
}
