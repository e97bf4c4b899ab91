import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import type { PrismaClient } from "@prisma/client";
import { databaseKind } from "./env.server";

export type Db = PrismaClient;

const require = createRequire(import.meta.url);

/** A SQLite `file:` URL's path, relative paths taken from the project root (the working directory). */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path === ":memory:" || isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/**
 * Opens the database named by `url` with the Prisma client generated for that provider
 * (scripts/prisma-generate.mjs builds one client per provider), so the client always fits the
 * database. Both clients share one API; the SQLite one's types stand for both.
 */
export function createDb(url: string): Db {
  if (databaseKind(url) === "sqlite") {
    const { PrismaBetterSQLite3 } = require("@prisma/adapter-better-sqlite3");
    const { PrismaClient: SqliteClient } = require("@prisma/client");
    // timeout: wait for a writer in another process instead of failing with SQLITE_BUSY.
    const adapter = new PrismaBetterSQLite3({ url: sqlitePath(url), timeout: 5000 });
    return new SqliteClient({ adapter });
  }
  const { PrismaPg } = require("@prisma/adapter-pg");
  const { PrismaClient: PostgresClient } = require(".prisma/client-postgres");
  const adapter = new PrismaPg({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  return new PostgresClient({ adapter }) as Db;
}

/** WAL lets readers work while a webhook is being written; set once per database file. */
export async function tuneSqlite(db: Db) {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
}

declare global {
  // Survives Vite's dev-server reloads so a reload does not open a second connection pool.
  var __aftercareDb: Db | undefined;
}

export function db(): Db {
  if (!globalThis.__aftercareDb) {
    const url = process.env.DATABASE_URL ?? "file:./dev.sqlite";
    globalThis.__aftercareDb = createDb(url);
  }
  return globalThis.__aftercareDb;
}
