import { readdirSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrate } from "../scripts/migrate.mjs";

import { createTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("npm run db:migrate", () => {
  const expected = readdirSync("prisma/migrations")
    .filter((n) => /^\d{4}_/.test(n))
    .sort();

  it("records every migration in Prisma's table and applies nothing twice", async () => {
    const rows = (await t.db.$queryRawUnsafe(
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
    )) as { migration_name: string }[];
    expect(rows.map((r) => r.migration_name)).toEqual(expected);
    expect(await migrate(t.url)).toEqual([]);
  });

  it("refuses a database whose applied migration was edited afterwards", async () => {
    await t.db.$executeRawUnsafe(
      `UPDATE "_prisma_migrations" SET checksum = 'edited' WHERE migration_name = '${expected[0]}'`,
    );
    await expect(migrate(t.url)).rejects.toThrow(/was changed after it was applied/);
  });
});
