// The theme app extension as it ships: extensions/aftercare with every script and stylesheet in
// assets/ minified by esbuild, written to build-storefront/aftercare (git ignores it; not under
// build/, which the app's build empties).
// The sources stay readable where they are (JSDoc types, comments); what a shopper downloads is
// the minified copy. `npm run deploy` and `npm run dev` hand this copy to Shopify's CLI
// (shopify.app.toml's extension_directories), the sandbox storefront serves the same minified
// files, and the checks run Shopify's theme check over it.
//
// Weight (decisions 0027, 0040), gzipped file by file as a CDN serves it:
// - what a page loads with it, every script a block or app embed declares in its schema (Shopify
//   adds each once per page, deferred; the launchers included), at most SCRIPT_BUDGET bytes;
// - what loads only when a shopper opens something (the return form, the chat panel: scripts a
//   block names by asset URL and none declares), at most ON_OPEN_BUDGET bytes each;
// - a launcher's own script at most LAUNCHER_LIMIT bytes, and every declared script within theme
//   check's 10,000 bytes minified (AssetSizeAppBlockJavaScript measures the file as uploaded; it
//   does not see a script loaded on open, which its gzipped budget bounds instead).
//   node scripts/build-storefront.mjs     builds, prints each file's size, fails above a budget
// cpSync is stable in Node 20; the plugin still calls it experimental.
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { transformSync } from "esbuild";

export const SOURCE_DIR = join(import.meta.dirname, "..", "extensions", "aftercare");
export const BUILD_DIR = join(import.meta.dirname, "..", "build-storefront", "aftercare");
/** The JavaScript a storefront page loads with it (every declared script), gzipped: 16 KB. */
export const SCRIPT_BUDGET = 16 * 1024;
/** Each script loaded only when a shopper opens something, gzipped: 5 KB. */
export const ON_OPEN_BUDGET = 5 * 1024;
/** A launcher's own script (issue 21: at most 3 KB gzipped). */
export const LAUNCHER_LIMIT = 3 * 1024;
/** Theme check's AssetSizeAppBlockJavaScript threshold for a script a block declares. */
export const APP_BLOCK_SCRIPT_LIMIT = 10_000;

/** @type {Map<string, { mtimeMs: number, size: number, body: Buffer }>} */
const cache = new Map();

/**
 * One asset as it ships: scripts and stylesheets minified, anything else as it is. Cached by the
 * file's modification time, so the sandbox serves an edit on the next request.
 * @param {string} path
 * @returns {Buffer}
 */
export function shippedAsset(path) {
  const { mtimeMs, size } = statSync(path);
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs && hit.size === size) return hit.body;
  const ext = extname(path);
  const source = readFileSync(path);
  let body = source;
  if (ext === ".js" || ext === ".css") {
    const result = transformSync(source.toString("utf8"), {
      loader: ext === ".js" ? "js" : "css",
      minify: true,
      // The scripts are classic scripts (each wraps itself); the browsers themes support run ES2022.
      target: ext === ".js" ? "es2022" : ["chrome111", "firefox113", "safari16.4"],
      legalComments: "none",
      sourcefile: path,
    });
    body = Buffer.from(result.code, "utf8");
  }
  cache.set(path, { mtimeMs, size, body });
  return body;
}

/**
 * The sizes of the shipped scripts and stylesheets.
 * @param {string} [dir] the extension's source folder
 * @returns {{ file: string, bytes: number, gzipped: number }[]}
 */
export function shippedSizes(dir = SOURCE_DIR) {
  const assets = join(dir, "assets");
  return readdirSync(assets)
    .filter((f) => f.endsWith(".js") || f.endsWith(".css"))
    .sort()
    .map((file) => {
      const body = shippedAsset(join(assets, file));
      return { file, bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length };
    });
}

/**
 * The scripts blocks and app embeds declare in their schema: a page with the block loads them.
 * @param {string} [dir] the extension's source folder
 * @returns {Set<string>}
 */
export function declaredScripts(dir = SOURCE_DIR) {
  const blocks = join(dir, "blocks");
  return new Set(
    readdirSync(blocks)
      .filter((f) => f.endsWith(".liquid"))
      .flatMap((f) => [...readFileSync(join(blocks, f), "utf8").matchAll(/"javascript"\s*:\s*"([^"]+)"/g)].map((m) => m[1])),
  );
}

/**
 * The shipped scripts split by when they load: with the page (declared) or on open (the rest),
 * each group's gzipped total.
 * @param {string} [dir] the extension's source folder
 */
export function scriptWeights(dir = SOURCE_DIR) {
  const declared = declaredScripts(dir);
  const scripts = shippedSizes(dir).filter((s) => s.file.endsWith(".js"));
  const pageLoad = scripts.filter((s) => declared.has(s.file));
  const onOpen = scripts.filter((s) => !declared.has(s.file));
  const sum = (/** @type {{ gzipped: number }[]} */ list) => list.reduce((n, s) => n + s.gzipped, 0);
  return { pageLoad, onOpen, pageLoadGzipped: sum(pageLoad), onOpenGzipped: sum(onOpen) };
}

/**
 * Writes the extension as it ships into `out` (replacing what was there).
 * @param {{ source?: string, out?: string }} [options]
 */
export function buildStorefront({ source = SOURCE_DIR, out = BUILD_DIR } = {}) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const entry of ["blocks", "locales", "snippets", "shopify.extension.toml", ".theme-check.yml"]) {
    try {
      cpSync(join(source, entry), join(out, entry), { recursive: true });
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error;
    }
  }
  mkdirSync(join(out, "assets"));
  for (const file of readdirSync(join(source, "assets"))) {
    writeFileSync(join(out, "assets", file), shippedAsset(join(source, "assets", file)));
  }
  const sizes = shippedSizes(source);
  const weights = scriptWeights(source);
  return { dir: out, sizes, ...weights, overBudget: overBudget(weights) };
}

/**
 * What is over a budget, in words (empty when every budget holds).
 * @param {ReturnType<typeof scriptWeights>} w
 * @returns {string[]}
 */
export function overBudget(w) {
  const over = [];
  if (w.pageLoadGzipped > SCRIPT_BUDGET)
    over.push(`scripts loaded with the page weigh ${w.pageLoadGzipped} B gzipped, over ${SCRIPT_BUDGET} B`);
  for (const s of w.onOpen) {
    if (s.gzipped > ON_OPEN_BUDGET)
      over.push(`${s.file}, loaded on open, is ${s.gzipped} B gzipped, over ${ON_OPEN_BUDGET} B`);
  }
  for (const s of w.pageLoad) {
    if (s.bytes > APP_BLOCK_SCRIPT_LIMIT)
      over.push(`${s.file} is ${s.bytes} B minified, over ${APP_BLOCK_SCRIPT_LIMIT} B`);
    if (s.file.includes("launcher") && s.gzipped > LAUNCHER_LIMIT)
      over.push(`${s.file} is ${s.gzipped} B gzipped, over a launcher's ${LAUNCHER_LIMIT} B`);
  }
  return over;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { dir, sizes, pageLoadGzipped, onOpenGzipped, overBudget: over } = buildStorefront();
  for (const s of sizes) console.log(`${s.file.padEnd(28)} ${String(s.bytes).padStart(6)} B  ${s.gzipped} B gzipped`);
  console.log(`\nJavaScript loaded with the page: ${pageLoadGzipped} B gzipped (budget ${SCRIPT_BUDGET} B).`);
  console.log(`JavaScript loaded on open: ${onOpenGzipped} B gzipped in all (budget ${ON_OPEN_BUDGET} B each).`);
  console.log(`Built into ${dir}`);
  if (over.length) {
    console.error(`Over the storefront's script budget: ${over.join("; ")}.`);
    process.exit(1);
  }
}
