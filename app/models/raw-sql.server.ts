/**
 * Plain SQL for the storefront's hottest reads and writes, through Prisma's $queryRawUnsafe.
 *
 * Why: with the "client" engine Prisma compiles every model query in WebAssembly before running
 * it, 1–4 ms of CPU for a findMany with an include; a raw query skips that compilation and costs
 * a fraction of a millisecond. A tracking lookup is half a dozen reads, and a web process answers
 * lookups one CPU-millisecond at a time (docs/decisions/0012-raw-reads-for-lookups.md).
 *
 * The SQL is written once for both databases (double-quoted identifiers, standard SQL); only the
 * placeholders differ. Prisma decodes the rows with the columns' types on both (DateTime as Date,
 * Boolean as boolean), and Prisma's column names are the model's field names, so `SELECT *` rows
 * have the model's shape. Keep these to reads of whole rows of one table, and to single-statement
 * writes whose SQL is the same on both databases (INSERT … ON CONFLICT).
 */
import type { Db } from "../db.server";
import { directReaderFor, isSqliteDb, sqliteTime } from "../db.server";

/** Placeholders for `values`, numbered from `from` (PostgreSQL: $1, $2 …; SQLite: ?). */
export function placeholders(db: Db, count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => (isSqliteDb(db) ? "?" : `$${from + i}`)).join(", ");
}

/**
 * Runs `sql`, whose placeholders are written `{}` in order, with `values`: each `{}` becomes this
 * database's placeholder, and `{*}` the placeholders of an array value (an IN list).
 */
export async function rawRows<T>(db: Db, sql: string, values: RawValue[]): Promise<T[]> {
  const [text, args] = bind(db, sql, values);
  // The client's own read connection when it has one (db-reader.server.ts): statements prepared
  // once. Only for reads outside a transaction: it does not see a transaction's uncommitted rows.
  const reader = directReaderFor(db);
  if (reader) return reader.all<T>(text, args);
  return db.$queryRawUnsafe<T[]>(text, ...args);
}

/** The same for a statement that returns no rows; resolves to the number of rows it changed. */
export async function rawExecute(db: Db, sql: string, values: RawValue[]): Promise<number> {
  const [text, args] = bind(db, sql, values);
  return db.$executeRawUnsafe(text, ...args);
}

type RawValue = string | number | Date | null | ReadonlyArray<string>;

function bind(db: Db, sql: string, values: RawValue[]): [string, (string | number | null)[]] {
  const args: (string | number | null)[] = [];
  let i = 0;
  const text = sql.replace(/\{\*?\}/g, (token) => {
    const value = values[i++];
    if (token === "{*}") {
      if (!Array.isArray(value) || value.length === 0) throw new RangeError("an IN list needs at least one value");
      const list = placeholders(db, value.length, args.length + 1);
      args.push(...(value as string[]));
      return list;
    }
    // A time is passed as text in the format Prisma itself stores, so raw and Prisma writes compare
    // and sort alike (SQLite keeps DateTime as ISO text with an offset; PostgreSQL parses it).
    args.push(
      value instanceof Date
        ? isSqliteDb(db)
          ? sqliteTime(value)
          : value.toISOString()
        : (value as string | number | null),
    );
    return placeholders(db, 1, args.length);
  });
  if (i !== values.length) throw new RangeError(`the query has ${i} placeholders for ${values.length} values`);
  return [text, args];
}
