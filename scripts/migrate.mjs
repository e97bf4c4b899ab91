// `npm run db:migrate`: applies prisma/migrations (SQLite) or prisma/postgres/migrations
// (PostgreSQL) to DATABASE_URL, each migration in its own transaction, recorded in Prisma's
// `_prisma_migrations` table in Prisma's format (so `prisma migrate status` reads it).
// Why not `prisma migrate deploy`: with the JavaScript schema engine (the only one that works
// without downloading binaries) it fails on PostgreSQL reading catalog columns of type `name`
// (docs/decisions/0001-two-databases-one-schema.md).
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");

/** @typedef {{ name: string; sql: string; checksum: string }} Migration */
/** @typedef {{ migration_name: string; checksum: string }} AppliedRow */

/** @param {string} dir @returns {Migration[]} */
function migrationsIn(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const SQLITE_TABLE =
  `CREATE TABLE IF NOT EXISTS "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, ` +
  `"finished_at" DATETIME, "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, ` +
  `"started_at" DATETIME NOT NULL DEFAULT current_timestamp, ` +
  `"applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;
const POSTGRES_TABLE =
  `CREATE TABLE IF NOT EXISTS "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY NOT NULL, ` +
  `"checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, ` +
  `"rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), ` +
  `"applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
const APPLIED =
  `SELECT migration_name, checksum FROM "_prisma_migrations" ` +
  `WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

/** @param {AppliedRow[]} applied @param {Migration[]} migrations */
function checkApplied(applied, migrations) {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of applied) {
    const m = byName.get(row.migration_name);
    if (!m)
      throw new Error(
        `The database has migration ${row.migration_name}, which this code does not know: ` +
          "is it older than the database?",
      );
    if (m.checksum !== row.checksum)
      throw new Error(`Migration ${m.name} was changed after it was applied. Write a new migration instead.`);
  }
}

/**
 * Applies pending migrations; returns the names applied.
 * @param {string} url
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<string[]>}
 */
export async function migrate(url, { log } = {}) {
  if (url.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
    const db = new Database(isAbsolute(path) ? path : resolve(process.cwd(), path));
    try {
      db.pragma("journal_mode = WAL");
      db.exec(SQLITE_TABLE);
      const migrations = migrationsIn(join(root, "prisma/migrations"));
      const applied = /** @type {AppliedRow[]} */ (db.prepare(APPLIED).all());
      checkApplied(applied, migrations);
      const done = new Set(applied.map((r) => r.migration_name));
      const record = db.prepare(
        `INSERT INTO "_prisma_migrations" ` +
          "(id, checksum, finished_at, migration_name, started_at, applied_steps_count) " +
          "VALUES (?, ?, ?, ?, ?, 1)",
      );
      /** @type {string[]} */
      const names = [];
      for (const m of migrations.filter((pending) => !done.has(pending.name))) {
        const started = new Date().toISOString();
        db.transaction(() => {
          db.exec(m.sql);
          record.run(randomUUID(), m.checksum, new Date().toISOString(), m.name, started);
        })();
        log?.(`Applied ${m.name}`);
        names.push(m.name);
      }
      return names;
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time, whichever machine it runs on.
    await client.query("SELECT pg_advisory_lock(72707369)");
    await client.query(POSTGRES_TABLE);
    const migrations = migrationsIn(join(root, "prisma/postgres/migrations"));
    /** @type {{ rows: AppliedRow[] }} */
    const { rows: applied } = await client.query(APPLIED);
    checkApplied(applied, migrations);
    const done = new Set(applied.map((r) => r.migration_name));
    /** @type {string[]} */
    const names = [];
    for (const m of migrations.filter((pending) => !done.has(pending.name))) {
      const started = new Date();
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" ` +
            "(id, checksum, finished_at, migration_name, started_at, applied_steps_count) " +
            "VALUES ($1, $2, now(), $3, $4, 1)",
          [randomUUID(), m.checksum, m.name, started],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${m.name} failed and was rolled back: ${/** @type {Error} */ (error).message}`);
      }
      log?.(`Applied ${m.name}`);
      names.push(m.name);
    }
    return names;
  } finally {
    await client.query("SELECT pg_advisory_unlock(72707369)").catch(() => {
      // Ending the session below releases the lock anyway.
    });
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.DATABASE_URL ?? "file:./dev.sqlite";
  try {
    const names = await migrate(url, { log: (line) => console.log(line) });
    console.log(names.length ? `Database is up to date (${names.length} applied).` : "Database is up to date.");
  } catch (error) {
    console.error(/** @type {Error} */ (error).message);
    process.exit(1);
  }
}
