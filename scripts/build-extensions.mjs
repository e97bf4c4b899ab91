// Builds every customer-account UI extension (extensions/*/shopify.extension.toml of type
// ui_extension) as the Shopify CLI does: each target's module bundled by esbuild into one minified
// ES module, extensions/<handle>/dist/<handle>.js (git ignores dist/). The sandbox's
// customer-accounts pages load these files.
//
// The app's address the extensions call is fixed at build time, the way Shopify's CLI does it:
// the CLI replaces `process.env.<NAME>` with the environment's value when it bundles an extension
// (`shopify app dev` sets APP_URL to its tunnel; `npm run deploy` sets it from SHOPIFY_APP_URL).
// Here: the `appUrl` option, else APP_URL, else SHOPIFY_APP_URL, else the demo's address.
//   node scripts/build-extensions.mjs          builds all and prints each bundle's size
// cpSync is stable in Node 20; the plugin still calls it experimental.
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

import { build } from "esbuild";

export const EXTENSIONS_DIR = join(import.meta.dirname, "..", "extensions");
export const DEMO_APP_URL = "http://127.0.0.1:8080";

/**
 * The UI extensions and the module of each target.
 * @returns {{ handle: string, dir: string, targets: { target: string, module: string }[] }[]}
 */
export function uiExtensions(dir = EXTENSIONS_DIR) {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => existsSync(join(path, "shopify.extension.toml")))
    .map((path) => ({ path, toml: readFileSync(join(path, "shopify.extension.toml"), "utf8") }))
    .filter(({ toml }) => /^\s*type\s*=\s*"ui_extension"/m.test(toml))
    .map(({ path, toml }) => {
      const handle = /^\s*handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
      if (!handle) throw new Error(`${path}/shopify.extension.toml names no handle`);
      // The customer-accounts host finds a bundle at <folder>/dist/<folder>.js.
      if (handle !== basename(path)) throw new Error(`${path}: the folder must be named after its handle (${handle})`);
      const targets = [...toml.matchAll(/\[\[extensions\.targeting\]\]([^[]*)/g)].map((m) => ({
        target: /target\s*=\s*"([^"]+)"/.exec(m[1])?.[1] ?? "",
        module: /module\s*=\s*"([^"]+)"/.exec(m[1])?.[1] ?? "",
      }));
      return { handle, dir: path, targets };
    });
}

/** The app's address for a build: the option, else APP_URL, else SHOPIFY_APP_URL, else the demo's. */
export function appUrlFor(/** @type {string | undefined} */ appUrl) {
  const url = appUrl ?? process.env.APP_URL ?? process.env.SHOPIFY_APP_URL ?? DEMO_APP_URL;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new Error(`The app's address must be an origin like https://app.example.com, not "${url}".`);
  return url.replace(/\/$/, "");
}

/**
 * Builds each extension for the app at `appUrl` and answers where each went and its size in bytes.
 * By default into each extension's own dist/. With `outDir`, the extensions' folders are staged
 * there instead (<outDir>/<handle>/: shopify.extension.toml, locales/ and the built dist/), so a
 * host pointed at outDir serves bundles made for that app while another build, for another
 * address, leaves them alone.
 * @param {{ appUrl?: string, dir?: string, outDir?: string }} [options]
 */
export function buildExtensions(options = {}) {
  const appUrl = appUrlFor(options.appUrl);
  const extensions = uiExtensions(options.dir);
  return Promise.all(
    extensions.map(async (extension) => {
      const modules = [...new Set(extension.targets.map((t) => t.module))];
      if (modules.length !== 1) throw new Error(`${extension.handle}: one module per extension is supported`);
      let home = extension.dir;
      if (options.outDir) {
        home = join(options.outDir, extension.handle);
        rmSync(home, { recursive: true, force: true });
        mkdirSync(home, { recursive: true });
        cpSync(join(extension.dir, "shopify.extension.toml"), join(home, "shopify.extension.toml"));
        cpSync(join(extension.dir, "locales"), join(home, "locales"), { recursive: true });
      }
      const file = join(home, "dist", `${extension.handle}.js`);
      await build({
        entryPoints: [join(extension.dir, modules[0])],
        outfile: file,
        bundle: true,
        format: "esm",
        minify: true,
        target: "es2020",
        jsx: "automatic",
        jsxImportSource: "preact",
        define: { "process.env.APP_URL": JSON.stringify(appUrl) },
        legalComments: "none",
        logLevel: "silent",
      });
      return {
        handle: extension.handle,
        targets: extension.targets.map((t) => t.target),
        dir: home,
        file,
        bytes: statSync(file).size,
      };
    }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const b of await buildExtensions()) {
    console.log(`${b.handle.padEnd(28)} ${(b.bytes / 1024).toFixed(1).padStart(6)} KB  ${b.targets.join(", ")}`);
  }
}
