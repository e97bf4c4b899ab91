import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// The end-to-end tests run the production build: make sure it is there and not older than app/.
export function setup() {
  mkdirSync(join(process.cwd(), "test-results", "screenshots"), { recursive: true });
  const built = join(process.cwd(), process.env.BUILD_DIR ?? "build", "server/index.js");
  if (!existsSync(built) || statSync(built).mtimeMs < newestMtime(join(process.cwd(), "app"))) {
    execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  }
}
