import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";

import { createDb, type Db } from "../../app/db.server";
import { migrate } from "../../scripts/migrate.mjs";

/**
 * Each test file gets its own freshly migrated database, SQLite or PostgreSQL as TEST_DATABASE
 * says, so files run in parallel without seeing each other's rows. The migrations applied are the
 * same migrations, through the same runner (`npm run db:migrate`), as production.
 */
export type DatabaseKind = "sqlite" | "postgresql";

export const testDatabaseKind = (): DatabaseKind =>
  process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";

export const testDatabaseRoot = () => join(tmpdir(), "aftercare-tests");

export const postgresAdminUrl = () => process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  db: Db;
  url: string;
  kind: DatabaseKind;
  /** Closes the client and removes the database. */
  drop(): Promise<void>;
}

/**
 * Route tests point the app's own client (db(), read from DATABASE_URL) at their database; it
 * must be closed before the database goes, or PostgreSQL cuts its connections mid-flight.
 */
async function closeAppClientOn(url: string) {
  if (globalThis.__aftercareDb && process.env.DATABASE_URL === url) {
    const client = globalThis.__aftercareDb;
    globalThis.__aftercareDb = undefined;
    await closeWithin(client, 10_000);
  }
}

/**
 * Closes a client, but never waits longer than `ms`: a client still busy with work a test left
 * running must not hold the suite; dropping the database then ends that work.
 */
async function closeWithin(client: Db, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.$disconnect().catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

export async function createTestDatabase(kind: DatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  const name = `aftercare_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (kind === "sqlite") {
    mkdirSync(testDatabaseRoot(), { recursive: true });
    const file = join(testDatabaseRoot(), `${name}.sqlite`);
    const url = `file:${file}`;
    await migrate(url);
    const db = createDb(url);
    return {
      db,
      url,
      kind,
      async drop() {
        await closeAppClientOn(url);
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
  await admin.end();
  await migrate(url.href);
  const db = createDb(url.href);
  return {
    db,
    url: url.href,
    kind,
    async drop() {
      await closeAppClientOn(url.href);
      await closeWithin(db, 10_000);
      const cleanup = new pg.Client({ connectionString: postgresAdminUrl() });
      await cleanup.connect();
      // Let work still finishing (a notification send, a pool closing) end on its own first;
      // only then cut what is left, so no test sees its connection killed under it.
      // performance.now(), not Date.now(): a test that froze Date would otherwise never reach it.
      const deadline = performance.now() + 10_000;
      for (;;) {
        try {
          await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
          break;
        } catch (error) {
          if (performance.now() > deadline || (error as { code?: string }).code !== "55006") {
            await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      await cleanup.end();
    },
  };
}
