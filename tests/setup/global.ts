import { rmSync, mkdirSync } from "node:fs";
import { testDatabaseRoot } from "../helpers/db";

// One scratch folder per run for the SQLite databases each test file makes.
export function setup() {
  rmSync(testDatabaseRoot(), { recursive: true, force: true });
  mkdirSync(testDatabaseRoot(), { recursive: true });
}

export function teardown() {
  rmSync(testDatabaseRoot(), { recursive: true, force: true });
}
