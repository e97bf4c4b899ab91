import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createDb, type Db } from "../../app/db.server";

/**
 * Each test file gets its own freshly migrated database, SQLite or PostgreSQL as TEST_DATABASE
 * says, so files run in parallel without seeing each other's rows. The migrations applied are the
 * same SQL files `prisma migrate deploy` applies in production.
 */
export type DatabaseKind = "sqlite" | "postgresql";

export const testDatabaseKind = (): DatabaseKind =>
  process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";

export const testDatabaseRoot = () => join(tmpdir(), "aftercare-tests");

export const postgresAdminUrl = () => process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const root = join(import.meta.dirname, "../..");

function migrationSql(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => readFileSync(join(dir, name, "migration.sql"), "utf8"));
}

export interface TestDatabase {
  db: Db;
  url: string;
  kind: DatabaseKind;
  /** Closes the client and removes the database. */
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  const name = `aftercare_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (kind === "sqlite") {
    mkdirSync(testDatabaseRoot(), { recursive: true });
    const file = join(testDatabaseRoot(), `${name}.sqlite`);
    const raw = new Database(file);
    raw.pragma("journal_mode = WAL");
    for (const sql of migrationSql(join(root, "prisma/migrations"))) raw.exec(sql);
    raw.close();
    const url = `file:${file}`;
    const db = createDb(url);
    return {
      db,
      url,
      kind,
      async drop() {
        await db.$disconnect();
        for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  for (const sql of migrationSql(join(root, "prisma/postgres/migrations"))) await client.query(sql);
  await client.end();
  await admin.end();
  const db = createDb(url.href);
  return {
    db,
    url: url.href,
    kind,
    async drop() {
      await db.$disconnect();
      const cleanup = new pg.Client({ connectionString: postgresAdminUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
