// Runs before `npm test` and `npm run demo`, so that the README's two commands work on a fresh
// clone: installs the dependencies when node_modules is missing or older than the lock file.
// Uses only Node's own modules, since nothing else is installed yet when it runs.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");
// npm writes this file at the end of every install: its age says when node_modules last matched.
const installed = join(root, "node_modules/.package-lock.json");

export function installNeeded() {
  if (!existsSync(installed)) return "node_modules is missing";
  const installedAt = statSync(installed).mtimeMs;
  for (const file of ["package.json", "package-lock.json"]) {
    if (statSync(join(root, file)).mtimeMs > installedAt) return `${file} changed since the last install`;
  }
  return null;
}

const why = import.meta.url === pathToFileURL(process.argv[1] ?? "").href ? installNeeded() : null;
if (why) {
  console.log(`Installing dependencies (${why}); the first install builds SQLite's driver and takes a few minutes.`);
  // `npm install`, not `npm ci`: it keeps what is already installed and leaves the lock file as it is
  // (the lock lists every platform's optional packages, so there is nothing for it to add).
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("npm install failed: see the lines above. Node.js 20.19 or newer (below 23) is required.");
    process.exit(result.status ?? 1);
  }
}
