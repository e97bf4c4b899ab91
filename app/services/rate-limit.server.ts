/**
 * Rate limits for the storefront, counted by rate-limiter-flexible's Prisma store in the
 * RateLimitCounter table, so every web process on every machine counts the same attempts
 * (docs/decisions/0016-storefront-limits-per-client-and-order.md).
 *
 * - A limit is a fixed window that starts at a key's first counted attempt (the library's
 *   "flexible fixed window"); `limit` attempts fit in it, the next is refused until it ends.
 * - Keys are `<limit name>:<shop>:<keyed hash>`, never a raw address, email or order name.
 * - Checking several limits before a lookup is one read of the counters (firstBlocked): the
 *   storefront's hot path pays one query, as it did before the library.
 * - A key over its limit is also remembered in this process (the library's in-memory block), so
 *   a client that keeps trying costs no query at all here until its window ends.
 * - If the database fails while counting, the library counts in memory instead (its insurance
 *   limiter): a limit never turns a shopper's request into a 500.
 * - Expired counters are deleted by the library itself, every 5 minutes, an hour after they end.
 */
import { createHmac } from "node:crypto";

import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";

import type { Db } from "../db.server";
import { rawRows } from "../models/raw-sql.server";

export interface RateLimitRule {
  /** Names the limit in keys and logs: "tracking-lookup-client". */
  name: string;
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Attempts still allowed in the current window. */
  remaining: number;
  /** When refused: seconds until an attempt is allowed again (at least 1); else 0. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Would an attempt be allowed now? Counts nothing. */
  check(shop: string, subject: string): Promise<RateLimitDecision>;
  /** Counts an attempt (a failed lookup, say); allowed is false once it went over the limit. */
  hit(shop: string, subject: string): Promise<RateLimitDecision>;
}

/** An identifier fit to store: a keyed hash of what identifies a client or an order. */
export function clientKey(secret: string, ...parts: (string | null | undefined)[]): string {
  return createHmac("sha256", secret)
    .update(parts.map((p) => p ?? "").join("\u0000"))
    .digest("base64url")
    .slice(0, 22);
}

/** The model the library writes (prisma/schema.prisma), by its client property name. */
const TABLE = "rateLimitCounter";

interface Store {
  counter: RateLimiterPrisma;
  /** Counts while the database cannot (the library switches to it by itself). */
  insurance: RateLimiterMemory;
}

const stores = new WeakMap<Db, Map<string, Store>>();
/** Every store of this process, for forgetting in-memory blocks. */
const allStores = new Set<Store>();

/** The library's in-memory blocks, public in its JavaScript but missing from its types. */
const inMemoryBlockMs = (counter: RateLimiterPrisma, key: string): number =>
  (counter as unknown as { getInMemoryBlockMsBeforeExpire(key: string): number }).getInMemoryBlockMsBeforeExpire(key);

/**
 * One store per database client and rule, made once: each may hold in-memory blocks, and the
 * first one made for a client also runs the library's sweep of expired rows (it deletes across
 * the whole table, so one per client is enough).
 */
function storeFor(db: Db, rule: RateLimitRule): Store {
  if (rule.limit < 1 || rule.windowMs < 1000) {
    throw new RangeError("a rate limit needs a limit of at least 1 and a window of at least a second");
  }
  let byRule = stores.get(db);
  if (!byRule) stores.set(db, (byRule = new Map()));
  const id = `${rule.name}/${rule.limit}/${rule.windowMs}`;
  let store = byRule.get(id);
  if (!store) {
    const duration = Math.ceil(rule.windowMs / 1000);
    const insurance = new RateLimiterMemory({ keyPrefix: rule.name, points: rule.limit, duration });
    const counter = new RateLimiterPrisma({
      storeClient: db,
      tableName: TABLE,
      keyPrefix: rule.name,
      points: rule.limit,
      duration,
      clearExpiredByTimeout: byRule.size === 0,
      // Blocked in this process as soon as the last allowed attempt is counted.
      inMemoryBlockOnConsumed: rule.limit,
      insuranceLimiter: insurance,
    });
    byRule.set(id, (store = { counter, insurance }));
    allStores.add(store);
  }
  return store;
}

const subjectKey = (shop: string, subject: string) => `${shop}:${subject}`;

function decision(rule: RateLimitRule, consumed: number, msBeforeNext: number, counting: boolean): RateLimitDecision {
  // check(): may one more attempt be made? hit(): is the attempt just counted within the limit?
  const allowed = counting ? consumed <= rule.limit : consumed < rule.limit;
  return {
    allowed,
    remaining: Math.max(0, rule.limit - consumed),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(msBeforeNext / 1000)),
  };
}

export function rateLimiter(db: Db, rule: RateLimitRule): RateLimiter {
  const { counter } = storeFor(db, rule);
  return {
    async check(shop, subject) {
      return (await decisions(db, [{ rule, shop, subject }]))[0];
    },
    async hit(shop, subject) {
      try {
        const res = await counter.consume(subjectKey(shop, subject));
        return decision(rule, res.consumedPoints, res.msBeforeNext, true);
      } catch (refused) {
        // The library refuses with its result once a key is over the limit; anything else is a failure.
        if (!(refused instanceof RateLimiterRes)) throw refused;
        return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) };
      }
    },
  };
}

export interface LimitCheck {
  rule: RateLimitRule;
  shop: string;
  subject: string;
}

/**
 * check() of several limits at once: the first that would refuse an attempt now, with its
 * decision, or null when all allow it. Keys blocked in this process answer without a query; the
 * others are read together, in one query (a model query costs more to compile than a raw one
 * costs to run: docs/decisions/0012), from the rows the library keeps.
 */
export async function firstBlocked(
  db: Db,
  checks: ReadonlyArray<LimitCheck>,
): Promise<{ index: number; decision: RateLimitDecision } | null> {
  const all = await decisions(db, checks);
  const index = all.findIndex((d) => !d.allowed);
  return index < 0 ? null : { index, decision: all[index] };
}

/** check() of each limit: in-memory blocks first, then one read of the rest. */
async function decisions(db: Db, checks: ReadonlyArray<LimitCheck>): Promise<RateLimitDecision[]> {
  const stored = checks.map(({ rule, shop, subject }) => {
    const { counter, insurance } = storeFor(db, rule);
    const plain = subjectKey(shop, subject);
    const key = counter.getKey(plain);
    return { rule, insurance, plain, key, blockedMs: inMemoryBlockMs(counter, key) };
  });
  const blocked = stored.find((s) => s.blockedMs > 0);
  if (blocked) {
    // Known in this process: the request is refused whatever the other limits say, with no query.
    return stored.map((s) =>
      s === blocked ? decision(s.rule, s.rule.limit, s.blockedMs, false) : decision(s.rule, 0, 0, false),
    );
  }
  let rows: { key: string; points: number; expire: Date | null }[];
  try {
    rows = await rawRows(db, `SELECT "key", "points", "expire" FROM "RateLimitCounter" WHERE "key" IN ({*})`, [
      stored.map((s) => s.key),
    ]);
  } catch {
    // The database is unreachable: the library counts in memory meanwhile, so the memory decides.
    rows = [];
    for (const { insurance, plain, key } of stored) {
      const res = await insurance.get(plain);
      if (res) rows.push({ key, points: res.consumedPoints, expire: new Date(Date.now() + res.msBeforeNext) });
    }
  }
  const now = Date.now();
  return stored.map(({ rule, key }) => {
    const row = rows.find((r) => r.key === key);
    // The library's reading of a row: one whose window has ended counts nothing.
    if (!row || (row.expire !== null && row.expire.getTime() <= now)) return decision(rule, 0, 0, false);
    return decision(rule, row.points, row.expire ? row.expire.getTime() - now : 0, false);
  });
}

/** Forgets every counter of a shop (shop/redact); the hashes in them point at no one anyway. */
export async function forgetShopRateLimits(db: Db, shop: string): Promise<void> {
  await db.rateLimitCounter.deleteMany({ where: { key: { contains: `:${shop}:` } } });
  forgetInMemoryBlocks();
}

/** Forgets the keys this process blocked in memory (after counters were deleted, and in tests). */
export function forgetInMemoryBlocks(): void {
  for (const { counter } of allStores) counter.deleteInMemoryBlockedAll();
}

/** The 429 a shopper gets: what happened, what to do, and when (also as Retry-After). */
export function rateLimited(retryAfterSeconds: number, message: string) {
  return {
    status: 429,
    body: { error: "rate_limited", message, retryAfterSeconds },
    headers: { "Retry-After": String(retryAfterSeconds) },
  };
}
