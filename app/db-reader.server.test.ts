import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it, vi } from "vitest";
import type BetterSqlite3 from "better-sqlite3";

import { SQLITE_STATEMENTS_MAX, sqliteReader } from "./db-reader.server";

const require = createRequire(import.meta.url);
const Database = require("better-sqlite3") as typeof BetterSqlite3;

const SHOP = "a.myshopify.com";
const dir = mkdtempSync(join(tmpdir(), "aftercare-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the SQLite reader's prepared statements", () => {
  it("keeps at most SQLITE_STATEMENTS_MAX, so one-off queries do not unprepare the hot one", async () => {
    const path = join(dir, "statements.sqlite");
    const setup = new Database(path);
    setup.exec("CREATE TABLE shop (domain TEXT, createdAt DATETIME, active BOOLEAN)");
    setup.prepare("INSERT INTO shop VALUES (?, ?, ?)").run(SHOP, "2026-06-01T00:00:00.000Z", 1);
    setup.close();

    const prepare = vi.spyOn(Database.prototype, "prepare");
    const reader = sqliteReader(path);
    try {
      const hot = "SELECT domain, createdAt, active FROM shop WHERE domain = ?";
      for (let i = 0; i < SQLITE_STATEMENTS_MAX + 50; i++) {
        const rows = await reader.all<{ domain: string; createdAt: Date; active: boolean }>(hot, [SHOP]);
        expect(rows).toEqual([{ domain: SHOP, createdAt: new Date("2026-06-01T00:00:00.000Z"), active: true }]);
        expect(await reader.all<{ n: number }>(`SELECT ${i} AS n`, [])).toEqual([{ n: i }]);
      }
      const preparedHot = prepare.mock.calls.filter(([sql]) => sql === hot);
      expect(preparedHot).toHaveLength(1);
      // The first one-off query was evicted long ago: it is prepared again.
      await reader.all("SELECT 0 AS n", []);
      expect(prepare.mock.calls.filter(([sql]) => sql === "SELECT 0 AS n")).toHaveLength(2);
    } finally {
      prepare.mockRestore();
      await reader.close();
    }
  });
});
