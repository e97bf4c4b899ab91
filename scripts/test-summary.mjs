// Counting a vitest JSON report for `npm test`'s summary (scripts/test.mjs).

/**
 * A failing test counts once (vitest's own suite count also counts each describe block around
 * it); a file that failed before running any test (an import error, a failing beforeAll) counts
 * as one failure, since it reports no failed test of its own.
 */
/**
 * @typedef {{ status: string; fullName?: string; failureMessages?: string[] }} TestResult
 * @typedef {{ status: string; name?: string; message?: string; assertionResults?: TestResult[] }} FileResult
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
 * The failures of a vitest JSON report, one line each ("file > test: first line of the message"),
 * so the summary at the very end of `npm test`'s output names what failed: CI keeps only the tail
 * of a long run's output.
 * @param {{ testResults?: FileResult[] }} report
 * @param {string} root the path file names are shown relative to
 */
export function failureLines(report, root) {
  const lines = [];
  const firstLine = (/** @type {string | undefined} */ text) =>
    (text ?? "")
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim()
      .slice(0, 200) ?? "";
  for (const file of report.testResults ?? []) {
    const name = (file.name ?? "?").startsWith(root) ? (file.name ?? "").slice(root.length + 1) : (file.name ?? "?");
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const test of failedTests) lines.push(`${name} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    if (failedTests.length === 0 && file.status === "failed") lines.push(`${name}: ${firstLine(file.message)}`);
  }
  return lines;
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
