/**
 * Many rows of one table in few statements, inside the caller's transaction: the mirror's batch
 * writes (the history import's batches of 500 orders, docs/decisions/0022-history-import.md).
 *
 * Why plain SQL: with the "client" engine Prisma compiles every model query with its data in
 * WebAssembly and then interprets the plan row by row; a createMany of 500 orders costs about half a
 * millisecond of CPU per row, and every statement sent on its own about a quarter of one. A
 * multi-row INSERT sent as one raw statement costs a tenth of that per row.
 *
 * Why an upsert: `INSERT … ON CONFLICT (key) DO UPDATE SET … WHERE <stored row may be replaced>`
 * does in one statement what the one-row functions do with a conditional update, a read and a
 * create, for new and stored rows alike; the condition (newest wins, redaction kept) is checked
 * against the stored row by the database itself. On PostgreSQL a row another writer created or
 * changed meanwhile is locked and the condition checked against its latest version, so there is no
 * moment between a read and a write for another writer to get into. `RETURNING` names the rows
 * written (inserted, or updated because the condition held), whose children are then written.
 *
 * The SQL is the same on both databases (SQLite ≥ 3.39 has IS DISTINCT FROM, upserts and
 * RETURNING); only the placeholders differ. Times are passed as text in the format Prisma itself
 * stores (as raw-sql.server.ts does), so stored and new values compare and sort alike.
 */
import { randomBytes } from "node:crypto";

import { isSqliteTx, sqliteDriverOf, sqliteTime, type DriverValue, type Tx } from "../db.server";

export type SqlValue = string | number | boolean | Date | null;

/** One multi-row upsert, written once per table and used for every chunk of rows. */
export interface Upsert {
  table: string;
  /** The columns of every row, in the order of its values. */
  columns: ReadonlyArray<string>;
  /** The unique key a new row can meet a stored one on. */
  conflict: ReadonlyArray<string>;
  /**
   * What a stored row takes from the new one: column to SQL expression (over `excluded."col"` and
   * `"<table>"."col"`). Columns not named keep their stored value.
   */
  set: Readonly<Record<string, string>>;
  /** When the stored row is replaced (SQL over the same names); always when absent. */
  where?: string;
  /** Columns of the rows written (inserted, or updated because `where` held). */
  returning?: ReadonlyArray<string>;
}

/** Values bound per statement: far below SQLite's 32,766 and PostgreSQL's 65,535. */
const VALUES_PER_STATEMENT = 10_000;

const quoted = (name: string) => `"${name}"`;

/** `excluded."col"`, for `set`. */
export const excluded = (column: string) => `excluded.${quoted(column)}`;

/** `"Table"."col"`, the stored row's value, for `set` and `where`. */
export const stored = (table: string, column: string) => `${quoted(table)}.${quoted(column)}`;

/** Every column of `columns` but the key and those left out, taken from the new row. */
export function takeAll(columns: ReadonlyArray<string>, except: ReadonlyArray<string>): Record<string, string> {
  return Object.fromEntries(columns.filter((c) => !except.includes(c)).map((c) => [c, excluded(c)]));
}

/**
 * Writes `rows` (values in `spec.columns` order) in as few statements as the bound-value limit
 * allows; returns the `returning` columns of the rows written. Rows of one call must not share a
 * conflict key (PostgreSQL refuses a statement that would change a row twice): callers keep the
 * one that wins first.
 */
export async function upsertRows<T>(tx: Tx, spec: Upsert, rows: ReadonlyArray<ReadonlyArray<SqlValue>>): Promise<T[]> {
  if (rows.length === 0) return [];
  const sqlite = isSqliteTx(tx);
  // SQLite: straight to the driver's transaction, past Prisma's query compiler (db.server.ts).
  const driver = sqlite ? sqliteDriverOf(tx) : undefined;
  const width = spec.columns.length;
  const perStatement = Math.max(1, Math.floor(VALUES_PER_STATEMENT / width));
  const head = `INSERT INTO ${quoted(spec.table)} (${spec.columns.map(quoted).join(", ")}) VALUES `;
  const sets = Object.entries(spec.set).map(([column, expression]) => `${quoted(column)} = ${expression}`);
  const onConflict = sets.length
    ? `DO UPDATE SET ${sets.join(", ")}${spec.where ? ` WHERE ${spec.where}` : ""}`
    : "DO NOTHING";
  const returning = spec.returning?.length ? ` RETURNING ${spec.returning.map(quoted).join(", ")}` : "";
  const tail = ` ON CONFLICT (${spec.conflict.map(quoted).join(", ")}) ${onConflict}${returning}`;
  const out: T[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const args: DriverValue[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      if (row.length !== width) throw new RangeError(`${spec.table}: a row has ${row.length} values for ${width}`);
      const marks: string[] = [];
      for (const value of row) {
        args.push(value instanceof Date ? (sqlite ? sqliteTime(value) : value.toISOString()) : value);
        marks.push(sqlite ? "?" : `$${args.length}`);
      }
      tuples.push(`(${marks.join(", ")})`);
    }
    const sql = `${head}${tuples.join(", ")}${tail}`;
    if (driver && spec.returning?.length) out.push(...(await driver.query<T>(sql, args)));
    else if (driver) await driver.execute(sql, args);
    else if (spec.returning?.length) out.push(...(await tx.$queryRawUnsafe<T[]>(sql, ...args)));
    else await tx.$executeRawUnsafe(sql, ...args);
  }
  return out;
}

/**
 * One statement in the caller's transaction, its placeholders written `{}`; resolves to the rows it
 * changed. SQLite: straight to the driver's transaction, as upsertRows does.
 */
export async function executeInTx(tx: Tx, sql: string, values: ReadonlyArray<SqlValue>): Promise<number> {
  const sqlite = isSqliteTx(tx);
  const driver = sqlite ? sqliteDriverOf(tx) : undefined;
  const args: DriverValue[] = values.map((v) => (v instanceof Date ? (sqlite ? sqliteTime(v) : v.toISOString()) : v));
  let n = 0;
  const text = sql.replace(/\{\}/g, () => (sqlite ? "?" : `$${++n}`));
  if (driver) return driver.execute(text, args);
  return tx.$executeRawUnsafe(text, ...args);
}

/**
 * Ids for rows written here, shaped like the cuids Prisma gives the rest ("c", the time, a
 * counter, randomness): rows made later sort after, so children written in order (an order's line
 * items) keep their order when sorted by id, as they do when Prisma makes them.
 */
let lastMs = 0;
let counter = 0;
export function newRowId(now = Date.now()): string {
  if (now === lastMs) counter++;
  else {
    lastMs = now;
    counter = 0;
  }
  return `c${now.toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${randomPart()}`;
}

/** 12 random base-36 characters, from a pool of random bytes drawn a few thousand ids at a time. */
const POOL_IDS = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomPart(): string {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(8 * POOL_IDS);
    poolAt = 0;
  }
  // Two 31-bit draws, each below 36^6, so six base-36 characters each.
  const high = pool.readUInt32LE(poolAt) >>> 1;
  const low = pool.readUInt32LE(poolAt + 4) >>> 1;
  poolAt += 8;
  return `${high.toString(36).padStart(6, "0")}${low.toString(36).padStart(6, "0")}`;
}
