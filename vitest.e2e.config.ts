import { defineConfig } from "vitest/config";

// End-to-end tests: the production build, the sandbox and Chromium. One file at a time, because
// each starts the whole product and two cores are all a CI machine has.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    setupFiles: ["tests/setup/env.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
  },
});
