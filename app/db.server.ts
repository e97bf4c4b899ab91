import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";

import type { Prisma, PrismaClient } from "@prisma/client";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { LRUCache } from "lru-cache";

import { postgresReader, sqliteReader, type DirectReader } from "./db-reader.server";
import { databaseKind } from "./env.server";
import { POSTGRES_INBOX_INSERT, SQLITE_INBOX_INSERT, SQLITE_TAKE_WRITE_LOCK } from "./models/database-plumbing-sql";

export type Db = PrismaClient;

/**
 * The client an interactive transaction hands its callback (`db.$transaction(async (tx) => …)`).
 * A function that must run inside a transaction takes a Tx; one that needs the whole client (its
 * own connections, $transaction) takes a Db, and the compiler refuses a Tx there: no casts between
 * the two (docs/decisions/0018).
 */
export type Tx = Prisma.TransactionClient;

const require = createRequire(import.meta.url);

/** A SQLite `file:` URL's path, relative paths taken from the project root (the working directory). */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path === ":memory:" || isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/**
 * Every SQLite connection the app opens gets these. WAL lets readers work while a webhook is being
 * written and makes a commit an append instead of a rewrite of the journal; with WAL,
 * synchronous=NORMAL syncs at checkpoints rather than on every commit: a committed event survives
 * the process being killed (the case the inbox is for), and only an operating-system crash or power
 * loss can take back the last commits (docs/decisions/0004-webhook-intake-performance.md).
 * secure_delete=ON overwrites what a DELETE or UPDATE frees with zeros, so a redacted customer's
 * data is not left readable in the file's free pages (docs/decisions/0018).
 * journal_mode=WAL is stored in the database file; the others are per connection.
 */
export const SQLITE_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = NORMAL",
  "secure_delete = ON",
  "busy_timeout = 5000",
];

/** How long a SQLite connection waits for another process's write lock before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

type SqliteAdapterFactory = PrismaBetterSQLite3;
type SqliteAdapter = Awaited<ReturnType<SqliteAdapterFactory["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;

/**
 * One gate per SQLite file in this process, shared by every Prisma client on that file and by the
 * inbox writer. Prisma's better-sqlite3 adapter has one connection and keeps a transaction open on
 * it across awaits; a statement sent by other code meanwhile runs inside that transaction, and goes
 * if it rolls back. A webhook recorded that way would have had its 200 and then vanished. The
 * inbox writer therefore waits until no transaction is open, and transactions of different
 * clients on the same file take turns instead of blocking each other until SQLITE_BUSY.
 */
class SqliteGate {
  private held = false;
  private readonly queue: (() => void)[] = [];
  /** The driver's transaction that holds the gate, while one does (see sqliteDriverOf). */
  openTransaction: SqliteTransaction | undefined;

  /** Records `tx` as the transaction holding the gate; returns what clears that. */
  opened(tx: SqliteTransaction): () => void {
    this.openTransaction = tx;
    return () => {
      if (this.openTransaction === tx) this.openTransaction = undefined;
    };
  }

  /** Takes the gate (FIFO); the caller must call the returned release exactly once. */
  async acquire(): Promise<() => void> {
    if (this.held) await new Promise<void>((r) => this.queue.push(r));
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const waiter = this.queue.shift();
      if (waiter) waiter();
      else this.held = false;
    };
  }
}

const gates = new Map<string, SqliteGate>();
const gateFor = (path: string) => {
  let gate = gates.get(path);
  if (!gate) gates.set(path, (gate = new SqliteGate()));
  return gate;
};

/**
 * Run first in every Prisma transaction on SQLite: a write that touches no row, so the transaction
 * holds the file's write lock from its start, as BEGIN IMMEDIATE would (the adapter sends a plain
 * BEGIN). Without it a transaction that reads first and writes later fails at once with
 * SQLITE_BUSY, without waiting, whenever another connection (the job thread, the intake, another
 * process) committed in between: SQLite cannot move a reader to a newer snapshot mid-transaction.
 */
const TAKE_WRITE_LOCK = { sql: SQLITE_TAKE_WRITE_LOCK, args: [], argTypes: [] };

/**
 * The interactive-transaction callback the running code is inside, per database. Calling the
 * outer client from inside its own callback is a mistake: on SQLite the statement waits for the
 * gate the transaction holds while the transaction waits for the statement, so every query of
 * the process stalls until the transaction times out; on PostgreSQL the statement runs outside
 * the transaction, on a second connection, and can wait for the transaction's own row locks.
 * `open` goes false when the callback ends: work it started that runs later is not refused.
 */
interface TransactionScope {
  readonly database: object;
  open: boolean;
}
const transactionScope = new AsyncLocalStorage<TransactionScope>();
let openScopes = 0;

export class OuterClientInTransactionError extends Error {
  constructor() {
    super(
      "A query went to the database client from inside its own $transaction callback: use the transaction " +
        "client tx passed to the callback (the outer client runs outside the transaction, and on SQLite it " +
        "would wait for the transaction, which waits for it).",
    );
    this.name = "OuterClientInTransactionError";
  }
}

/** Is the running code inside an open callback of a transaction on `database`? */
function insideOwnTransaction(database: object): boolean {
  const scope = transactionScope.getStore();
  return Boolean(scope?.open && scope.database === database);
}

async function inTransactionScope<T>(database: object, callback: () => Promise<T>): Promise<T> {
  const scope: TransactionScope = { database, open: true };
  openScopes++;
  try {
    return await transactionScope.run(scope, callback);
  } finally {
    scope.open = false;
    // Tracking the context costs every promise of the thread a little: only while a callback runs.
    if (--openScopes === 0) transactionScope.disable();
  }
}

/** Marks the callbacks of the client's interactive transactions (`database`: what they lock). */
function markTransactionCallbacks(client: Db, database: object) {
  const transaction = client.$transaction;
  // Prisma's overloads of $transaction cannot be restated here: the wrapper passes its arguments
  // on as they came, the callback wrapped.
  const marked = (arg: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (insideOwnTransaction(database)) return Promise.reject(new OuterClientInTransactionError());
    return Reflect.apply(transaction, client, [
      typeof arg === "function"
        ? (tx: Tx) => {
            if (database instanceof SqliteGate) sqliteTransactionGates.set(tx, database);
            return inTransactionScope(database, () => arg(tx));
          }
        : arg,
      ...rest,
    ]);
  };
  Object.defineProperty(client, "$transaction", { value: marked, configurable: true, writable: true });
}

const RAW_METHODS = ["$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe"] as const;

/**
 * Refuses the outer client's model and raw-SQL calls made from inside its own callbacks. Checked
 * where the call is made, not where the statement runs: Prisma batches findUnique calls of one
 * tick and runs the batch in the context of whichever call came first, so a check in the driver
 * adapter would refuse another request's query that merely shared a tick with a transaction. The
 * transaction client (tx) has delegates of its own and never passes through these.
 */
function refuseOuterCallsInsideCallbacks(client: Db, database: object, modelNames: ReadonlyArray<string>) {
  const guarded = (method: (...args: unknown[]) => unknown, target: object) =>
    function guardedCall(...args: unknown[]) {
      // Rejected as Prisma's own errors are, when awaited, so callers handle it the same way.
      if (insideOwnTransaction(database)) return Promise.reject(new OuterClientInTransactionError());
      return Reflect.apply(method, target, args);
    };
  const record = client as unknown as Record<string, unknown>;
  for (const name of modelNames) {
    const key = name.charAt(0).toLowerCase() + name.slice(1);
    const delegate = record[key];
    if (!delegate || typeof delegate !== "object") continue;
    const wrapped = new Proxy(delegate, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        return typeof value === "function" ? guarded(value as (...args: unknown[]) => unknown, target) : value;
      },
    });
    Object.defineProperty(client, key, { value: wrapped, configurable: true, writable: true });
  }
  for (const name of RAW_METHODS) {
    const method = record[name];
    if (typeof method !== "function") continue;
    const own = method as (...args: unknown[]) => unknown;
    const outer = guarded(own, client);
    // A transaction client (tx) reaches these through the client itself, with `this` the tx: its
    // statement belongs to its transaction, so it runs on the tx, unguarded.
    function rawCall(this: unknown, ...args: unknown[]) {
      return this === client || this === undefined ? outer(...args) : Reflect.apply(own, this, args);
    }
    Object.defineProperty(client, name, { value: rawCall, configurable: true, writable: true });
  }
}

/** What a SQLite client's Prisma connection ran since it opened (benchmarks count work with it). */
export interface StatementCounts {
  statements: number;
  transactions: number;
  /** Time spent in SQLite per SQL text, kept only once profileSqliteStatements asked for it. */
  timings?: Map<string, { runs: number; ms: number }>;
}

const statementCounts = new WeakMap<object, StatementCounts>();

/** The statements and transactions Prisma ran on a SQLite client made by createDb (else undefined). */
export function sqliteStatementCounts(db: Db): Readonly<StatementCounts> | undefined {
  return statementCounts.get(db);
}

/**
 * From now on, time every statement Prisma runs on this SQLite client by its SQL text (benchmarks:
 * bench/stages.ts --sql-profile); returns the table, or undefined for PostgreSQL.
 */
export function profileSqliteStatements(db: Db): ReadonlyMap<string, { runs: number; ms: number }> | undefined {
  const counts = statementCounts.get(db);
  if (!counts) return undefined;
  counts.timings ??= new Map();
  return counts.timings;
}

function timed<T>(counts: StatementCounts, sql: string, run: () => T): T {
  const timings = counts.timings;
  if (!timings) return run();
  const started = performance.now();
  try {
    return run();
  } finally {
    const entry = timings.get(sql) ?? { runs: 0, ms: 0 };
    entry.runs++;
    entry.ms += performance.now() - started;
    timings.set(sql, entry);
  }
}

/** Statements kept prepared on Prisma's SQLite connection; the app sends far fewer kinds. */
export const ADAPTER_STATEMENTS_MAX = 256;

/**
 * Prisma's better-sqlite3 adapter prepares every statement again on each call (`prepare(sql)
 * .bind(args)`, and a bound statement cannot be bound again), which took about a tenth of the
 * effects stage's CPU (decision 0030). Its connection is handed a stand-in whose prepare() reuses
 * one statement per SQL text and binds the arguments at each run instead. Statements run to
 * completion inside run()/all() (the driver is synchronous), so one statement is never in use twice
 * at once, and evicting one never cuts a query short. Everything else goes to the connection.
 */
function reusePreparedStatements(adapter: SqliteAdapter, counts: StatementCounts) {
  const holder = adapter as unknown as { client?: BetterSqlite3.Database };
  const connection = holder.client;
  // A later adapter version may keep its connection elsewhere: then it simply prepares as before.
  if (!connection || typeof connection.prepare !== "function") return;
  const statements = new LRUCache<string, BetterSqlite3.Statement>({ max: ADAPTER_STATEMENTS_MAX });
  const prepare = (sql: string) => {
    counts.statements++;
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = connection.prepare(sql);
      statements.set(sql, stmt);
    }
    const statement = stmt;
    return {
      reader: statement.reader,
      // Unbound, as the adapter runs BEGIN; anything else it might call fails loudly as undefined.
      run: (...args: unknown[]) => timed(counts, sql, () => statement.run(...args)),
      bind: (args: unknown[]) => ({
        reader: statement.reader,
        run: () => timed(counts, sql, () => statement.run(args)),
        columns: () => statement.columns(),
        raw: () => ({ all: () => timed(counts, sql, () => statement.raw(true).all(args)) }),
      }),
    };
  };
  holder.client = new Proxy(connection, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Wraps Prisma's SQLite adapter: pragmas on connect, and transactions through the file's gate. */
function gatedSqliteAdapter(
  inner: SqliteAdapterFactory,
  gate: SqliteGate,
  counts: StatementCounts,
): SqliteAdapterFactory {
  const wrapTransaction = (tx: SqliteTransaction, release: () => void): SqliteTransaction => ({
    get provider() {
      return tx.provider;
    },
    get adapterName() {
      return tx.adapterName;
    },
    get options() {
      return tx.options;
    },
    queryRaw: (query) => tx.queryRaw(query),
    executeRaw: (query) => tx.executeRaw(query),
    commit: () => tx.commit().finally(release),
    rollback: () => tx.rollback().finally(release),
  });
  const gated = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await gate.acquire();
    try {
      return await run();
    } finally {
      release();
    }
  };
  const wrapAdapter = (adapter: SqliteAdapter): SqliteAdapter => ({
    get provider() {
      return adapter.provider;
    },
    get adapterName() {
      return adapter.adapterName;
    },
    // A statement outside any transaction also waits for the gate: run while another request's
    // transaction is open, it would join that transaction and vanish if it rolled back.
    queryRaw: (query) => gated(() => adapter.queryRaw(query)),
    executeRaw: (query) => gated(() => adapter.executeRaw(query)),
    executeScript: (script) => adapter.executeScript(script),
    getConnectionInfo: adapter.getConnectionInfo ? () => adapter.getConnectionInfo!() : undefined,
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel) {
      counts.transactions++;
      const release = await gate.acquire();
      let tx: SqliteTransaction | undefined;
      try {
        tx = await adapter.startTransaction(isolationLevel);
        await tx.executeRaw(TAKE_WRITE_LOCK);
        const closed = gate.opened(tx);
        return wrapTransaction(tx, () => {
          closed();
          release();
        });
      } catch (error) {
        await tx?.rollback().catch(() => {});
        release();
        throw error;
      }
    },
  });
  const factory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      reusePreparedStatements(adapter, counts);
      await adapter.executeScript(SQLITE_PRAGMAS.map((p) => `PRAGMA ${p};`).join("\n"));
      return wrapAdapter(adapter);
    },
    async connectToShadowDb() {
      return wrapAdapter(await inner.connectToShadowDb());
    },
  };
  return factory as unknown as SqliteAdapterFactory;
}

/** Prisma stores SQLite DateTime as ISO 8601 text with an explicit offset; the writer must match. */
export const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

export interface InboxInsert {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  /** UTF-8 bytes or text; stored as text either way. */
  payload: string | Buffer;
}

/** An inbox payload as text: bytes are UTF-8. */
export const payloadText = (payload: string | Buffer): string =>
  typeof payload === "string" ? payload : payload.toString("utf8");

/**
 * The webhook intake's one write: a prepared INSERT on a connection of its own, committed before
 * it returns. Through Prisma the same insert costs over a millisecond of CPU on every delivery
 * (engineType "client" compiles each query in WebAssembly) and, on PostgreSQL, waits for a pool
 * connection behind the handlers; here it is tens of microseconds of CPU and never queues behind
 * a handler. Used by recordEvent (models/webhook-inbox.server.ts).
 */
export interface InboxWriter {
  /** The new row's id, or null when this webhook id was recorded before. */
  record(event: InboxInsert): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * Inbox row ids that sort by the time they were made: each new row lands at the end of the
 * primary-key index, on the page the previous row dirtied, rather than on a random page of it (a
 * random UUID costs an extra page written per delivery). The random tail keeps ids from different
 * threads and processes apart.
 */
let lastIdMs = 0;
let idSequence = 0;
export function inboxRowId(now = Date.now()): string {
  if (now === lastIdMs) idSequence++;
  else {
    lastIdMs = now;
    idSequence = 0;
  }
  return `${now.toString(36).padStart(9, "0")}${idSequence.toString(36).padStart(4, "0")}${randomUUID().slice(-12)}`;
}

function sqliteInboxWriter(path: string, gate: SqliteGate): InboxWriter {
  let conn: BetterSqlite3.Database | undefined;
  let insert: BetterSqlite3.Statement | undefined;
  const open = () => {
    const Database = require("better-sqlite3") as typeof BetterSqlite3;
    // timeout 0: when another connection holds the write lock, record() waits asynchronously
    // (below) instead of in SQLite's busy handler, which would stop this thread's event loop,
    // and with it every other delivery, for as long as the lock is held.
    const db = new Database(path, { timeout: 0, fileMustExist: path !== ":memory:" });
    try {
      for (const pragma of SQLITE_PRAGMAS) if (!pragma.startsWith("busy_timeout")) db.pragma(pragma);
      // Checkpoints (copying the WAL into the database file, with an fsync of each) are left to
      // the other connections, whose commits run them automatically: on this one they cost more
      // than everything else a delivery does, about every hundredth delivery, on the intake's thread.
      db.pragma("wal_autocheckpoint = 0");
      insert = db.prepare(SQLITE_INBOX_INSERT);
    } catch (error) {
      db.close();
      throw error;
    }
    conn = db;
  };
  // Group commit: deliveries that arrive while one is being written (or within the same turn of
  // the event loop) are inserted together in one transaction, one commit for all of them. Each
  // caller still gets its answer only after the commit that holds its row.
  interface Waiting {
    event: InboxInsert;
    resolve: (id: string | null) => void;
    reject: (error: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let scheduled = false;

  const insertAll = (rows: { id: string; event: InboxInsert; now: string }[]) =>
    conn!
      .transaction(() =>
        rows.map(({ id, event, now }) =>
          insert!.run(
            id,
            event.shop,
            event.topic,
            event.webhookId,
            event.eventId ?? null,
            event.apiVersion ?? null,
            event.triggeredAt ? sqliteTime(event.triggeredAt) : null,
            event.payload,
            now,
            now,
          ).changes === 1
            ? id
            : null,
        ),
      )
      // IMMEDIATE: the write lock is taken at BEGIN, so SQLITE_BUSY can only come before any row.
      .immediate();

  async function flush() {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    // Never inside a transaction of this process (see SqliteGate).
    const release = await gate.acquire();
    try {
      if (!conn) open();
      const now = sqliteTime(new Date());
      const rows = batch.map(({ event }) => ({ id: inboxRowId(), event, now }));
      const giveUpAt = performance.now() + SQLITE_BUSY_TIMEOUT_MS;
      for (;;) {
        try {
          const ids = insertAll(rows);
          batch.forEach((w, i) => w.resolve(ids[i]));
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== "SQLITE_BUSY" || performance.now() > giveUpAt) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      release();
    }
  }

  return {
    record(event) {
      return new Promise<string | null>((resolve, reject) => {
        waiting.push({ event, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush); // flush() never rejects: each batch's failure goes to its callers
        }
      });
    },
    async close() {
      conn?.close();
      conn = undefined;
    },
  };
}

/** Prisma keeps PostgreSQL DateTime in TIMESTAMP(3) columns as UTC without an offset. */
const postgresTime = (d: Date) => d.toISOString().slice(0, -1);

/** PostgreSQL: a small pool of its own, so a delivery never waits for a handler's connection. */
function postgresInboxWriter(url: string): InboxWriter {
  let pool: import("pg").Pool | undefined;
  return {
    async record(event) {
      if (!pool) {
        const { Pool } = require("pg") as typeof import("pg");
        pool = new Pool({
          connectionString: url,
          max: Number(process.env.INTAKE_POOL_SIZE ?? 4),
          application_name: "aftercare-intake",
        });
        // An idle connection dropped by the server: the next query opens another.
        pool.on("error", () => {});
      }
      const id = inboxRowId();
      const now = postgresTime(new Date());
      const result = await pool.query({
        name: "aftercare-inbox-insert",
        text: POSTGRES_INBOX_INSERT,
        values: [
          id,
          event.shop,
          event.topic,
          event.webhookId,
          event.eventId ?? null,
          event.apiVersion ?? null,
          event.triggeredAt ? postgresTime(event.triggeredAt) : null,
          payloadText(event.payload),
          now,
          now,
        ],
      });
      return result.rowCount === 1 ? id : null;
    },
    async close() {
      const closing = pool;
      pool = undefined;
      await closing?.end();
    },
  };
}

const inboxWriters = new WeakMap<object, InboxWriter>();
const sqliteClients = new WeakSet<object>();

/** Whether a client made by createDb is on SQLite (one writer at a time; see SqliteGate). */
export function isSqliteDb(db: Db): boolean {
  return sqliteClients.has(db);
}

/** The gate of each SQLite transaction client (the callback's tx). */
const sqliteTransactionGates = new WeakMap<object, SqliteGate>();

/** Whether a transaction client (the callback's tx) is on SQLite: raw SQL inside it needs to know. */
export function isSqliteTx(tx: Tx): boolean {
  return sqliteTransactionGates.has(tx);
}

export type DriverValue = string | number | boolean | null;

/** Statements sent to the driver itself, with SQLite's `?` placeholders. */
export interface DriverStatements {
  /** The rows a statement returns, as objects keyed by column name. */
  query<T>(sql: string, args: ReadonlyArray<DriverValue>): Promise<T[]>;
  /** The number of rows a statement changed. */
  execute(sql: string, args: ReadonlyArray<DriverValue>): Promise<number>;
}

const UNKNOWN_ARG = { scalarType: "unknown", arity: "scalar" } as const;

/**
 * SQLite: the driver's own transaction under a transaction client, while its callback runs (else
 * undefined). A statement sent to it skips Prisma's query compiler, which for a statement with
 * thousands of values costs several times what SQLite itself does (models/batch-sql.server.ts
 * writes the history import's batches this way). The gate lets one transaction per file be open in
 * the process, so the one open while the callback runs is the callback's own.
 */
export function sqliteDriverOf(tx: Tx): DriverStatements | undefined {
  const gate = sqliteTransactionGates.get(tx);
  const open = gate?.openTransaction;
  if (!gate || !open || !insideOwnTransaction(gate)) return undefined;
  const statement = (sql: string, args: ReadonlyArray<DriverValue>) => ({
    sql,
    args: [...args],
    argTypes: args.map(() => UNKNOWN_ARG),
  });
  return {
    async query<T>(sql: string, args: ReadonlyArray<DriverValue>) {
      const result = await open.queryRaw(statement(sql, args));
      return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])) as T);
    },
    execute: (sql, args) => open.executeRaw(statement(sql, args)),
  };
}

/** The inbox writer of a client made by createDb (undefined for one made some other way). */
export function inboxWriterFor(db: Db): InboxWriter | undefined {
  return inboxWriters.get(db);
}

const directReaders = new WeakMap<object, DirectReader>();

/** The direct read connection of a client made by createDb (db-reader.server.ts), if it has one. */
export function directReaderFor(db: Db): DirectReader | undefined {
  return directReaders.get(db);
}

/** The intake's writer and the direct reader: connections of their own, closed with the client. */
function attachConnections(client: Db, writer: InboxWriter, reader: DirectReader) {
  inboxWriters.set(client, writer);
  directReaders.set(client, reader);
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await writer.close();
    await reader.close();
    await disconnect();
  };
}

/**
 * Opens the database named by `url` with the Prisma client generated for that provider
 * (scripts/prisma-generate.mjs builds one client per provider), so the client always fits the
 * database. Both clients share one API; the SQLite one's types stand for both.
 */
export function createDb(url: string): Db {
  if (databaseKind(url) === "sqlite") {
    const { PrismaBetterSQLite3 } = require("@prisma/adapter-better-sqlite3");
    const { PrismaClient: SqliteClient, Prisma: SqlitePrisma } = require("@prisma/client");
    const path = sqlitePath(url);
    const gate = path === ":memory:" ? new SqliteGate() : gateFor(path);
    // timeout: wait for a writer in another process instead of failing with SQLITE_BUSY.
    const counts: StatementCounts = { statements: 0, transactions: 0 };
    const adapter = gatedSqliteAdapter(
      new PrismaBetterSQLite3({ url: path, timeout: SQLITE_BUSY_TIMEOUT_MS }, { timestampFormat: "iso8601" }),
      gate,
      counts,
    );
    const client = new SqliteClient({ adapter }) as Db;
    statementCounts.set(client, counts);
    sqliteClients.add(client);
    // Every client on this file shares its gate, so each is refused inside the others' callbacks too.
    markTransactionCallbacks(client, gate);
    refuseOuterCallsInsideCallbacks(client, gate, Object.values(SqlitePrisma.ModelName));
    // An in-memory database is private to its connection: the writer could not see Prisma's tables.
    if (path !== ":memory:") attachConnections(client, sqliteInboxWriter(path, gate), sqliteReader(path));
    return client;
  }
  const { PrismaPg } = require("@prisma/adapter-pg");
  // Generated by `prisma generate` into node_modules/.prisma, not a package of its own.
  // eslint-disable-next-line import-x/no-extraneous-dependencies -- see above
  const { PrismaClient: PostgresClient, Prisma: PostgresPrisma } = require(".prisma/client-postgres");
  const database = {};
  const pool = { connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) };
  const client = new PostgresClient({ adapter: new PrismaPg(pool) }) as Db;
  markTransactionCallbacks(client, database);
  refuseOuterCallsInsideCallbacks(client, database, Object.values(PostgresPrisma.ModelName));
  attachConnections(client, postgresInboxWriter(url), postgresReader(url));
  return client;
}

/**
 * After personal data was deleted or overwritten (customers/redact, shop/redact): on SQLite, its
 * earlier versions also live on in the write-ahead log's older frames, which secure_delete does
 * not touch. A TRUNCATE checkpoint copies the log's newest pages (the zeroed ones) into the
 * database file and empties the log. It waits for readers (busy_timeout); one still holding an
 * old snapshot after that makes it fail, and the redaction, being idempotent, is retried whole.
 * On PostgreSQL nothing is done here: dead rows go with VACUUM (docs/decisions/0018).
 */
export async function eraseFreedData(db: Db): Promise<void> {
  if (!isSqliteDb(db)) return;
  const [result] = await db.$queryRawUnsafe<{ busy: number | bigint }[]>("PRAGMA wal_checkpoint(TRUNCATE)");
  if (result && Number(result.busy) !== 0) {
    throw new Error("The SQLite write-ahead log could not be emptied after a redaction (a reader held it); retry");
  }
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
