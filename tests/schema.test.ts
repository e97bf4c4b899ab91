import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

describe("database schemas", () => {
  it("the PostgreSQL schema is generated from the SQLite source", () => {
    expect(() => execFileSync("node", ["scripts/prisma-generate.mjs", "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("every schema change has a migration (the snapshot matches the schema)", () => {
    expect(readFileSync("prisma/migrations/schema.snapshot.prisma", "utf8")).toBe(
      readFileSync("prisma/schema.prisma", "utf8"),
    );
  });

  it("both databases have the same migrations", () => {
    const list = (dir: string) =>
      execFileSync("ls", [dir], { encoding: "utf8" })
        .split("\n")
        .filter((n) => /^\d{4}_/.test(n));
    expect(list("prisma/postgres/migrations")).toEqual(list("prisma/migrations"));
  });
});
