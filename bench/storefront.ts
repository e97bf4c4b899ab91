// Storefront benchmark: `npm run bench:storefront`.
//
// 1. Weight: every storefront script and stylesheet as it ships (minified, scripts/build-storefront.mjs),
//    gzipped file by file; the JavaScript a page loads with it against the 16 KB budget, what
//    loads on open (return form, chat panel) against 5 KB each (decision 0040).
// 2. Lighthouse performance (its default: mobile, simulated slow 4G and CPU) of the sandbox
//    storefront page with every Aftercare block on it, for a guest and for a signed-in member,
//    against the same page with no block, on the demo as `npm run demo` seeds it (loyalty, contact
//    and service history). Pages are measured in turn within each round, so a machine getting
//    busier weighs on every page alike; the median of the rounds is compared. Target: every block
//    costs at most 1 point.
//
// Options: --runs=5 (Lighthouse rounds)  --no-lighthouse  (or BENCH_RUNS, BENCH_NO_LIGHTHOUSE=1).
import { loadavg } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  ON_OPEN_BUDGET,
  SCRIPT_BUDGET,
  overBudget,
  scriptWeights,
  shippedSizes,
} from "../scripts/build-storefront.mjs";

const root = join(import.meta.dirname, "..");
const resultsDir = join(root, "bench/results");
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const runs = Math.min(Math.max(Number(arg("runs") ?? process.env.BENCH_RUNS ?? "5"), 1), 15);
const skipLighthouse = process.argv.includes("--no-lighthouse") || process.env.BENCH_NO_LIGHTHOUSE === "1";
const TARGET = { lighthouseDrop: 1 };
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function lighthouseScores() {
  const { startTestDemo } = await import("../tests/e2e/demo");
  const { default: lighthouse } = await import("lighthouse");
  const chromeLauncher = await import("chrome-launcher");
  const demo = await startTestDemo(40, { loyaltyProgram: true, serviceHistory: true });
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const member = demo.sandbox.customers(demo.shop)[0].id;
  const pages = {
    withoutBlocks: `${demo.sandboxUrl}/store?locale=en&block=none&customer=guest`,
    allBlocksGuest: `${demo.sandboxUrl}/store?locale=en&customer=guest`,
    allBlocksMember: `${demo.sandboxUrl}/store?locale=en&customer=${member}`,
  };
  type Page = keyof typeof pages;
  const scores = Object.fromEntries(Object.keys(pages).map((k) => [k, [] as number[]])) as Record<Page, number[]>;
  try {
    for (let run = 0; run < runs; run++) {
      for (const key of Object.keys(pages) as Page[]) {
        const result = await lighthouse(pages[key], {
          port: chrome.port,
          output: "json",
          logLevel: "error",
          onlyCategories: ["performance"],
        });
        const score = result?.lhr.categories.performance.score;
        if (typeof score !== "number")
          throw new Error(`Lighthouse gave no score for ${pages[key]}: ${JSON.stringify(result?.lhr.runtimeError)}`);
        scores[key].push(Math.round(score * 100));
        console.log(`  round ${run + 1} ${key.padEnd(16)} ${Math.round(score * 100)}   (load ${load()})`);
      }
    }
  } finally {
    await chrome.kill();
    await demo.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const medians = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, median(v)])) as Record<Page, number>;
  return { pages, scores, medians };
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const report: Record<string, unknown> = { at: new Date().toISOString(), loadBefore: load() };
  let failed = false;

  const sizes = shippedSizes();
  const weights = scriptWeights();
  console.log("Storefront assets as shipped (minified; gzipped per file):");
  for (const s of sizes) console.log(`  ${s.file.padEnd(26)} ${String(s.bytes).padStart(6)} B  ${s.gzipped} B gzipped`);
  const over = overBudget(weights);
  const weightMet = over.length === 0;
  console.log(`JavaScript loaded with the page: ${weights.pageLoadGzipped} B gzipped (budget ${SCRIPT_BUDGET} B)`);
  console.log(`JavaScript loaded on open: ${weights.onOpenGzipped} B gzipped in all (budget ${ON_OPEN_BUDGET} B each)`);
  console.log(weightMet ? "Weight: ok" : `Weight: MISSED (${over.join("; ")})`);
  report.weight = {
    sizes,
    pageLoadGzipped: weights.pageLoadGzipped,
    onOpenGzipped: weights.onOpenGzipped,
    budget: SCRIPT_BUDGET,
    onOpenBudget: ON_OPEN_BUDGET,
    met: weightMet,
  };
  failed ||= !weightMet;

  if (!skipLighthouse) {
    console.log(`\nLighthouse performance, ${runs} rounds (load before: ${load()}):`);
    const lh = await lighthouseScores();
    const base = lh.medians.withoutBlocks;
    const drops = { guest: base - lh.medians.allBlocksGuest, member: base - lh.medians.allBlocksMember };
    const met = drops.guest <= TARGET.lighthouseDrop && drops.member <= TARGET.lighthouseDrop;
    console.log(
      `Medians: no block ${base}, every block (guest) ${lh.medians.allBlocksGuest}, every block (member) ` +
        `${lh.medians.allBlocksMember}; drop ${drops.guest} / ${drops.member} (target <= ${TARGET.lighthouseDrop}) ` +
        `${met ? "ok" : "MISSED"}  (load after: ${load()})`,
    );
    report.lighthouse = { ...lh, drops, target: TARGET.lighthouseDrop, met, loadAfter: load() };
    failed ||= !met;
  }
  const file = join(resultsDir, `storefront-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nReport: ${file}`);
  process.exit(failed ? 1 : 0);
}

await main();
