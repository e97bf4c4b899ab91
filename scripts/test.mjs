// `npm test`: the whole suite, as CI runs it.
//   0. static checks: TypeScript over the app, tests, scripts, server.js, worker.js and the
//      storefront's scripts; ESLint; Prettier; the storefront's build within its script budget and
//      Shopify's theme check over it;
//   1. every test on SQLite;
//   2. every database test again on PostgreSQL (required in CI; skipped with a notice elsewhere
//      when no server answers at TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test);
//   3. every test on SQLite once more with the clock shifted a week and a half ahead, to 23:30 in a
//      far time zone (faketime; required in CI), so a test that passes only on some days fails;
//   4. end-to-end tests in Chromium against the production build and the local sandbox.
// Before the legs that run tests, the customer-account extensions are built (extensions/*/dist/,
// which git ignores): the customer-accounts host's tests load them.
// Options: --only=checks|sqlite|postgresql|shifted-clock|e2e runs one leg; other arguments go to vitest.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

import pg from "pg";

import { countResults, failureLines, shiftedClock } from "./test-summary.mjs";

const root = process.cwd();
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith("--only="))?.slice(7);
const passthrough = args.filter((a) => !a.startsWith("--only="));
const ci = process.env.CI === "true";
const postgresUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const reports = join(root, "test-results");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

async function postgresReachable() {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs one leg of vitest; `command` runs it through another program first (faketime for the shifted clock).
 * @param {string} leg
 * @param {string} config
 * @param {Record<string, string>} env
 * @param {string[]} [command]
 */
function runVitest(leg, config, env, command = []) {
  const report = join(reports, `${leg}.json`);
  console.log(`\n=== ${leg} ===`);
  const vitest = [join(root, "node_modules/.bin/vitest"), "run", "--config", config];
  const reporters = ["--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
  const [program, ...programArgs] = [...command, ...vitest, ...reporters, ...passthrough];
  const result = spawnSync(program, programArgs, { stdio: "inherit", env: { ...process.env, ...env } });
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  /** @type {string[]} */
  let failures = [];
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8"));
    ({ passed, failed, skipped } = countResults(r));
    failures = failureLines(r, root);
  }
  if (result.status !== 0 && failed === 0) failed = 1;
  return { leg, passed, failed, skipped, failures };
}

/** The static checks, each counted as one test: a failure prints the tool's own report. */
function runChecks() {
  console.log("\n=== checks ===");
  const bin = (/** @type {string} */ name) => join(root, "node_modules/.bin", name);
  /** @type {Array<[string, string, string[]]>} */
  const checks = [
    ["typecheck: app, tests, sandbox, bench", bin("tsc"), ["--noEmit"]],
    ["typecheck: server.js, worker.js, scripts", bin("tsc"), ["-p", "tsconfig.scripts.json"]],
    ["typecheck: storefront scripts", bin("tsc"), ["-p", "extensions/aftercare/tsconfig.json"]],
    ["typecheck: customer-account extensions", bin("tsc"), ["-p", "extensions/tsconfig.customer-account.json"]],
    ["eslint", bin("eslint"), [".", "--max-warnings=0"]],
    ["prettier", bin("prettier"), ["--check", ".", "--log-level=warn"]],
    // The theme app extension as it ships (minified; fails above the storefront's script budget),
    // then Shopify's theme check over it with the rules Shopify applies to app extensions (the
    // extension's .theme-check.yml): no offense.
    ["storefront build and script budget", process.execPath, [join(root, "scripts/build-storefront.mjs")]],
    [
      "shopify theme check",
      bin("shopify"),
      ["theme", "check", "--path", "build-storefront/aftercare", "--fail-level=info"],
    ],
  ];
  let passed = 0;
  let failed = 0;
  for (const [name, program, programArgs] of checks) {
    const result = spawnSync(program, programArgs, { cwd: root, stdio: "inherit" });
    console.log(`${result.status === 0 ? "✓" : "✗"} ${name}`);
    if (result.status === 0) passed++;
    else failed++;
  }
  return { leg: "checks", passed, failed, skipped: 0 };
}

/**
 * The customer-account extensions' bundles (extensions/<handle>/dist/, which git ignores), built
 * before any leg that may load them: the customer-accounts host's tests load them from there, and
 * each demo the end-to-end tests start builds its own for its address. A failed build is a failure.
 */
async function buildCustomerAccountExtensions() {
  const { buildExtensions } = await import("./build-extensions.mjs");
  try {
    await buildExtensions();
    return null;
  } catch (error) {
    console.error(`\nThe customer-account extensions did not build: ${/** @type {Error} */ (error).message}`);
    return { leg: "extensions", passed: 0, failed: 1, skipped: 0 };
  }
}

/** @type {Array<{ leg: string; passed: number; failed: number; skipped: number; failures?: string[] }>} */
const legs = [];
if (!only || only === "checks") legs.push(runChecks());
if (only !== "checks") {
  const failed = await buildCustomerAccountExtensions();
  if (failed) legs.push(failed);
}
if (!only || only === "sqlite") legs.push(runVitest("sqlite", "vitest.config.ts", { TEST_DATABASE: "sqlite" }));
if (!only || only === "postgresql") {
  if (await postgresReachable()) {
    legs.push(
      runVitest("postgresql", "vitest.config.ts", { TEST_DATABASE: "postgresql", TEST_POSTGRES_URL: postgresUrl }),
    );
  } else if (ci || only === "postgresql") {
    console.error(`PostgreSQL is required here but nothing answers at ${postgresUrl}.`);
    legs.push({ leg: "postgresql", passed: 0, failed: 1, skipped: 0 });
  } else {
    console.log(`\n(PostgreSQL leg skipped: nothing answers at ${postgresUrl}; CI runs it.)`);
  }
}
if (!only || only === "shifted-clock") {
  const faketime = process.env.FAKETIME_PATH ?? "/usr/bin/faketime";
  if (existsSync(faketime)) {
    const clock = shiftedClock();
    console.log(`\n(The shifted-clock leg runs at ${clock.localTime} in ${clock.timeZone}.)`);
    legs.push(
      runVitest("shifted-clock", "vitest.config.ts", { TEST_DATABASE: "sqlite", TZ: clock.timeZone }, [
        faketime,
        clock.localTime,
      ]),
    );
  } else if (ci || only === "shifted-clock") {
    console.error(`The shifted-clock leg needs faketime at ${faketime} (apt-get install faketime).`);
    legs.push({ leg: "shifted-clock", passed: 0, failed: 1, skipped: 0 });
  } else {
    console.log(
      `\n(Shifted-clock leg skipped: no faketime at ${faketime}; apt-get install faketime to run it. CI runs it.)`,
    );
  }
}
if (!only || only === "e2e") {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(chromium)) {
    legs.push(runVitest("e2e", "vitest.e2e.config.ts", {}));
  } else if (ci || only === "e2e") {
    console.error(`The browser tests need Chromium at ${chromium} (apt-get install chromium).`);
    legs.push({ leg: "e2e", passed: 0, failed: 1, skipped: 0 });
  } else {
    console.log(
      `\n(Browser tests skipped: no Chromium at ${chromium}; apt-get install chromium to run them. CI runs them.)`,
    );
  }
}

console.log("\n=== summary ===");
for (const l of legs) {
  console.log(`${l.leg.padEnd(14)} ${l.passed} passed, ${l.failed} failed, ${l.skipped} skipped`);
  for (const line of l.failures ?? []) console.log(`  ✗ ${line}`);
}
const passed = legs.reduce((s, l) => s + l.passed, 0);
const failed = legs.reduce((s, l) => s + l.failed, 0);
const skipped = legs.reduce((s, l) => s + l.skipped, 0);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
