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
import { directReaderFor, isSqliteDb, isSqliteTx, sqliteTime, type Db, type Tx } from "../db.server";

/**
 * Whether statements for this client are SQLite's: a client made by createDb, or the transaction
 * client (tx) of one, which Prisma hands out as another object. Asking only the first wrote
 * PostgreSQL's `$1` inside SQLite transactions, which SQLite reads as named parameters ("Too many
 * parameter values were provided").
 */
const onSqlite = (db: Db | Tx): boolean => isSqliteDb(db as Db) || isSqliteTx(db as Tx);

/** Placeholders for `values`, numbered from `from` (PostgreSQL: $1, $2 …; SQLite: ?). */
export function placeholders(db: Db, count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => (onSqlite(db) ? "?" : `$${from + i}`)).join(", ");
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

/**
 * A write that returns rows (INSERT/UPDATE … RETURNING): always through Prisma's own connection,
 * never the read-only direct reader.
 */
export async function rawWriteRows<T>(db: Db, sql: string, values: RawValue[]): Promise<T[]> {
  const [text, args] = bind(db, sql, values);
  return db.$queryRawUnsafe<T[]>(text, ...args);
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
        ? onSqlite(db)
          ? sqliteTime(value)
          : value.toISOString()
        : (value as string | number | null),
    );
    return placeholders(db, 1, args.length);
  });
  if (i !== values.length) throw new RangeError(`the query has ${i} placeholders for ${values.length} values`);
  return [text, args];
}

/**
 * A piece of SQL with its values, written as a tagged template: each `${value}` becomes a
 * placeholder (an array becomes an IN list), and a nested Sql is inlined with its own values in
 * place. Figures that span two owners' tables are written this way: each owner hands out a piece
 * over its own table (a condition, a subquery) and the other builds it into its statement, so only
 * a table's owner ever writes SQL naming it (docs/decisions/0021 and 0028).
 */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: ReadonlyArray<RawValue>,
  ) {}
}

export function sql(strings: TemplateStringsArray, ...parts: ReadonlyArray<RawValue | Sql>): Sql {
  let text = strings[0];
  const values: RawValue[] = [];
  parts.forEach((part, i) => {
    if (part instanceof Sql) {
      text += part.text;
      values.push(...part.values);
    } else {
      text += Array.isArray(part) ? "{*}" : "{}";
      values.push(part);
    }
    text += strings[i + 1];
  });
  return new Sql(text, values);
}

/** Trusted SQL text with no values: an identifier or a keyword chosen by code, never by input. */
export const sqlText = (text: string) => new Sql(text, []);

/** Pieces joined by `separator` (", ", " AND " …). */
export function joinSql(pieces: ReadonlyArray<Sql>, separator: string): Sql {
  return new Sql(
    pieces.map((p) => p.text).join(separator),
    pieces.flatMap((p) => p.values),
  );
}

/** Runs a read written with `sql`. */
export function queryRows<T>(db: Db, query: Sql): Promise<T[]> {
  return rawRows<T>(db, query.text, [...query.values]);
}

/**
 * A count or sum from an aggregate as a number: PostgreSQL hands COUNT and SUM back as bigint
 * (text through pg, BigInt through Prisma), SQLite as a number; NULL (a sum of no rows) is 0.
 */
export const asNumber = (value: unknown): number =>
  value === null || value === undefined ? 0 : typeof value === "number" ? value : Number(value);

/** Whether the database is SQLite, for the few expressions the two write differently. */
export const isSqlite = (db: Db) => onSqlite(db);

/**
 * The local calendar day (YYYY-MM-DD) of the time in `column`: each span of `spans` (the period cut
 * where the zone's offset changes; kpi.ts's offsetSpans) adds its own offset. Offsets are minutes
 * computed by the app, written into the text as numbers.
 */
export function localDay(db: Db, column: Sql, spans: ReadonlyArray<{ from: Date; offsetMinutes: number }>): Sql {
  const minutes = (offset: number) => Math.trunc(offset);
  const cases = spans.slice(1).map((span, i) => {
    const offset = minutes(spans[i].offsetMinutes);
    return onSqlite(db)
      ? sql`WHEN ${column} < ${span.from} THEN ${sqlText(`'${offset >= 0 ? "+" : ""}${offset} minutes'`)} `
      : sql`WHEN ${column} < ${span.from} THEN ${sqlText(String(offset))} `;
  });
  const last = minutes(spans[spans.length - 1]?.offsetMinutes ?? 0);
  if (onSqlite(db)) {
    const modifier = (offset: number) => sqlText(`'${offset >= 0 ? "+" : ""}${offset} minutes'`);
    return cases.length
      ? sql`date(${column}, CASE ${joinSql(cases, "")}ELSE ${modifier(last)} END)`
      : sql`date(${column}, ${modifier(last)})`;
  }
  const offset = cases.length
    ? sql`(CASE ${joinSql(cases, "")}ELSE ${sqlText(String(last))} END)`
    : sqlText(String(last));
  return sql`to_char(${column} + ${offset} * INTERVAL '1 minute', 'YYYY-MM-DD')`;
}
