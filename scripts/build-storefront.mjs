// The theme app extension as it ships: extensions/aftercare with every script and stylesheet in
// assets/ minified by esbuild, written to build-storefront/aftercare (git ignores it; not under
// build/, which the app's build empties).
// The sources stay readable where they are (JSDoc types, comments); what a shopper downloads is
// the minified copy. `npm run deploy` and `npm run dev` hand this copy to Shopify's CLI
// (shopify.app.toml's extension_directories), the sandbox storefront serves the same minified
// files, and the checks run Shopify's theme check over it.
//
// Weight: all storefront JavaScript together, gzipped file by file as a CDN serves it, at most
// SCRIPT_BUDGET bytes; every script a block declares in its schema within theme check's 10,000
// bytes (AssetSizeAppBlockJavaScript measures the file as uploaded).
//   node scripts/build-storefront.mjs     builds, prints each file's size, fails above the budget
// cpSync is stable in Node 20; the plugin still calls it experimental.
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { transformSync } from "esbuild";

export const SOURCE_DIR = join(import.meta.dirname, "..", "extensions", "aftercare");
export const BUILD_DIR = join(import.meta.dirname, "..", "build-storefront", "aftercare");
/** All storefront JavaScript together, gzipped: 16 KB. */
export const SCRIPT_BUDGET = 16 * 1024;
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
  const scripts = sizes.filter((s) => s.file.endsWith(".js"));
  return { dir: out, sizes, scriptsGzipped: scripts.reduce((sum, s) => sum + s.gzipped, 0) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { dir, sizes, scriptsGzipped } = buildStorefront();
  for (const s of sizes) console.log(`${s.file.padEnd(28)} ${String(s.bytes).padStart(6)} B  ${s.gzipped} B gzipped`);
  console.log(`\nAll storefront JavaScript: ${scriptsGzipped} B gzipped (budget ${SCRIPT_BUDGET} B).`);
  console.log(`Built into ${dir}`);
  if (scriptsGzipped > SCRIPT_BUDGET) {
    console.error("Over the storefront script budget.");
    process.exit(1);
  }
}
