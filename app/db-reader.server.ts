/**
 * A read-only connection of its own for the few SELECTs every storefront request makes
 * (models/raw-sql.server.ts, docs/decisions/0012). Through Prisma even a raw query is compiled and
 * its statement prepared again on every call; here a statement is prepared once and reused, which
 * makes a lookup's reads tens of microseconds each instead of most of a millisecond.
 *
 * Rows come back as Prisma would return them: DateTime columns as Date, Boolean columns as
 * boolean, NULL as null. On SQLite the declared column types say which is which (Prisma declares
 * DATETIME and BOOLEAN); on PostgreSQL the driver's type parsers do it, with timestamps without a
 * time zone read as UTC, as Prisma writes them.
 */
import { createRequire } from "node:module";

import type BetterSqlite3 from "better-sqlite3";
import { LRUCache } from "lru-cache";
import type { Pool, types as PgTypes } from "pg";

const require = createRequire(import.meta.url);

export interface DirectReader {
  /** Runs a SELECT whose placeholders are already this database's. */
  all<T>(sql: string, args: ReadonlyArray<string | number | null>): Promise<T[]>;
  close(): Promise<void>;
}

type Decode = (value: unknown) => unknown;
const asDate: Decode = (v) => (v === null || v === undefined ? null : new Date(v as string));
const asBoolean: Decode = (v) => (v === null || v === undefined ? null : v === 1 || v === true || v === "1");

/**
 * Prepared statements kept per SQLite reader. The app's queries are far fewer; should one-off
 * queries ever pile up, the least recently used go, and the storefront's hot ones stay prepared.
 */
export const SQLITE_STATEMENTS_MAX = 200;

export function sqliteReader(path: string): DirectReader {
  let conn: BetterSqlite3.Database | undefined;
  // A statement runs to completion inside all(), so evicting one never cuts a query short.
  const statements = new LRUCache<string, { stmt: BetterSqlite3.Statement; decoders: [string, Decode][] }>({
    max: SQLITE_STATEMENTS_MAX,
  });
  const prepared = (sql: string) => {
    let entry = statements.get(sql);
    if (!entry) {
      if (!conn) {
        const Database = require("better-sqlite3") as typeof BetterSqlite3;
        // Readers never block writers (WAL); a read only waits for a checkpoint's brief moment.
        conn = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
      }
      const stmt = conn.prepare(sql);
      const decoders: [string, Decode][] = [];
      for (const column of stmt.columns()) {
        const type = (column.type ?? "").toUpperCase();
        if (type === "DATETIME") decoders.push([column.name, asDate]);
        else if (type === "BOOLEAN") decoders.push([column.name, asBoolean]);
      }
      entry = { stmt, decoders };
      statements.set(sql, entry);
    }
    return entry;
  };
  return {
    async all<T>(sql: string, args: ReadonlyArray<string | number | null>) {
      const { stmt, decoders } = prepared(sql);
      const rows = stmt.all(...args) as Record<string, unknown>[];
      if (decoders.length) for (const row of rows) for (const [name, decode] of decoders) row[name] = decode(row[name]);
      return rows as T[];
    },
    async close() {
      statements.clear();
      conn?.close();
      conn = undefined;
    },
  };
}

/** PostgreSQL's type ids for timestamp without and with time zone. */
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

export function postgresReader(url: string): DirectReader {
  let pool: Pool | undefined;
  const names = new Map<string, string>();
  return {
    async all<T>(sql: string, args: ReadonlyArray<string | number | null>) {
      if (!pool) {
        const pg = require("pg") as typeof import("pg");
        const builtIn = pg.types;
        // Prisma stores DateTime as TIMESTAMP(3) in UTC with no offset: read it as UTC, whatever
        // this process's time zone, without touching pg's global parsers.
        const types = {
          getTypeParser: ((oid: number, format?: string) =>
            oid === TIMESTAMP
              ? (text: string) => new Date(`${text.replace(" ", "T")}Z`)
              : oid === TIMESTAMPTZ
                ? (text: string) => new Date(text)
                : builtIn.getTypeParser(oid, format as never)) as typeof PgTypes.getTypeParser,
        };
        pool = new pg.Pool({
          connectionString: url,
          max: Number(process.env.READER_POOL_SIZE ?? 4),
          application_name: "aftercare-reads",
          types,
        });
        pool.on("error", () => {});
      }
      // Named statements are prepared once per connection and reused.
      let name = names.get(sql);
      if (!name) {
        name = `aftercare-read-${names.size + 1}`;
        names.set(sql, name);
      }
      const result = await pool.query({ name, text: sql, values: [...args] });
      return result.rows as T[];
    },
    async close() {
      const closing = pool;
      pool = undefined;
      await closing?.end();
    },
  };
}
