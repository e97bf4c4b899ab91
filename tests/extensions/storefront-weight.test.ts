/**
 * What the storefront downloads: the theme app extension as it ships (scripts and stylesheets
 * minified, scripts/build-storefront.mjs), within the storefront's script budget and the sizes
 * Shopify's theme check allows a block's declared script.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Window } from "happy-dom";
import { afterAll, describe, expect, it } from "vitest";

import {
  APP_BLOCK_SCRIPT_LIMIT,
  SCRIPT_BUDGET,
  SOURCE_DIR,
  buildStorefront,
  shippedSizes,
} from "../../scripts/build-storefront.mjs";
import { listBlocks } from "../../sandbox/storefront";

const out = mkdtempSync(join(tmpdir(), "aftercare-storefront-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Every script a block puts on the page: the schema's, and any <script src> its Liquid writes. */
function scriptsOf(block: ReturnType<typeof listBlocks>[number]) {
  const tagged = [...block.source.matchAll(/<script src="\{\{\s*'([^']+\.js)'\s*\|\s*asset_url/g)].map((m) => m[1]);
  return [...(block.schema.javascript ? [block.schema.javascript] : []), ...tagged];
}

describe("the storefront's weight", () => {
  const sizes = shippedSizes();
  const scripts = sizes.filter((s) => s.file.endsWith(".js"));

  it("keeps all storefront JavaScript together, launchers included, within 16 KB gzipped", () => {
    const total = scripts.reduce((sum, s) => sum + s.gzipped, 0);
    expect(SCRIPT_BUDGET).toBe(16 * 1024);
    expect(total, scripts.map((s) => `${s.file} ${s.gzipped}`).join(", ")).toBeLessThanOrEqual(SCRIPT_BUDGET);
    // Minifying is what ships: far smaller than the readable sources.
    const sources = scripts.reduce((sum, s) => sum + readFileSync(join(SOURCE_DIR, "assets", s.file)).length, 0);
    expect(scripts.reduce((sum, s) => sum + s.bytes, 0)).toBeLessThan(sources * 0.7);
  });

  it("counts every script a block loads, and ships none that no block loads", () => {
    const loaded = new Set(listBlocks().flatMap(scriptsOf));
    expect([...loaded].sort()).toEqual(scripts.map((s) => s.file).sort());
  });

  it("keeps each script a block declares in its schema within theme check's 10,000 bytes", () => {
    const declared = listBlocks().filter((b) => b.schema.javascript);
    expect(declared.map((b) => b.handle)).toEqual(
      expect.arrayContaining(["contact", "loyalty-widget", "order-tracking"]),
    );
    for (const block of declared) {
      const size = sizes.find((s) => s.file === block.schema.javascript);
      expect(size, block.handle).toBeDefined();
      expect(size!.bytes, block.handle).toBeLessThanOrEqual(APP_BLOCK_SCRIPT_LIMIT);
      if (block.schema.stylesheet) expect(sizes.map((s) => s.file)).toContain(block.schema.stylesheet);
    }
  });

  it("builds the extension as it ships: the same blocks and locales, minified scripts defining their element", () => {
    const { dir } = buildStorefront({ out });
    expect(readdirSync(join(dir, "blocks")).sort()).toEqual(readdirSync(join(SOURCE_DIR, "blocks")).sort());
    expect(readdirSync(join(dir, "locales")).sort()).toEqual(readdirSync(join(SOURCE_DIR, "locales")).sort());
    for (const { file } of scripts) {
      const code = readFileSync(join(dir, "assets", file), "utf8");
      expect(code).not.toMatch(/@ts-check|@param|^\s*\/\//m);
      const window = new Window();
      const defined: string[] = [];
      const registry = window.customElements;
      const define = registry.define.bind(registry);
      registry.define = (name: string, ...rest: Parameters<typeof define> extends [string, ...infer R] ? R : never) => {
        defined.push(name);
        define(name, ...rest);
      };
      window.eval(code);
      expect(defined.length, file).toBeGreaterThan(0);
      window.close();
    }
  });
});
