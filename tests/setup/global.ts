import { mkdirSync } from "node:fs";

import { testDatabaseRoot } from "../helpers/db";

// The folder for the SQLite databases test files make. Each file removes its own database, so
// several test runs on one machine never pull the floor from under each other.
export function setup() {
  mkdirSync(testDatabaseRoot(), { recursive: true });
}
