/**
 * Rate limits kept in the database, so every web process on every machine counts the same
 * attempts. A sliding window approximated from two fixed windows (the previous window's count
 * weighted by how much of it still overlaps): one row per key and window, incremented with a
 * single upsert, so there is no read-modify-write race. Clients are stored as a keyed hash, never
 * as a raw IP address. Expired rows are removed by the `rate-limit.prune` periodic task.
 */
import { createHmac } from "node:crypto";
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
  /** Attempts counted in the sliding window (including this one after hit()). */
  count: number;
  remaining: number;
  /** When blocked: seconds until an attempt would be allowed again (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Would an attempt be allowed now? Counts nothing. */
  check(shop: string, client: string): Promise<RateLimitDecision>;
  /** Counts an attempt (a failed lookup, say) and says whether the client is now over the limit. */
  hit(shop: string, client: string): Promise<RateLimitDecision>;
  /** Forgets a client's attempts (after a success, when a limit wants that). */
  reset(shop: string, client: string): Promise<void>;
}

/** A client identifier fit to store: a keyed hash of what identifies it (IP, customer id ...). */
export function clientKey(secret: string, ...parts: Array<string | null | undefined>): string {
  return createHmac("sha256", secret).update(parts.map((p) => p ?? "").join("\u0000")).digest("base64url").slice(0, 22);
}

const windowKey = (rule: RateLimitRule, shop: string, client: string, window: number) => `${rule.name}:${shop}:${client}:${window}`;

function decide(rule: RateLimitRule, now: number, window: number, current: number, previous: number, counting: boolean): RateLimitDecision {
  const elapsed = (now - window * rule.windowMs) / rule.windowMs;
  const estimate = previous * (1 - elapsed) + current;
  // check(): may one more attempt be made? hit(): is the attempt just counted within the limit?
  const allowed = counting ? estimate <= rule.limit : estimate < rule.limit;
  let retryAfterMs = 0;
  if (!allowed) {
    if (current < rule.limit && previous > 0) {
      // Within this window, once enough of the previous one has slid out.
      retryAfterMs = (1 - (rule.limit - current) / previous - elapsed) * rule.windowMs;
    } else {
      // After this window ends, once enough of it has slid out too.
      retryAfterMs = (1 - elapsed) * rule.windowMs + (1 - rule.limit / Math.max(current, rule.limit)) * rule.windowMs;
    }
  }
  const count = Math.ceil(estimate);
  return {
    allowed,
    count,
    remaining: Math.max(0, rule.limit - count),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(Math.round(retryAfterMs) / 1000)),
  };
}

/**
 * check() of several limits with one read (the storefront's hot path: a query costs more to
 * compile than to run): the first limit that would refuse an attempt now, with its decision, or
 * null when every one allows it. Same decisions as calling each limiter's check() in turn.
 */
export async function firstBlocked(
  db: Db,
  checks: ReadonlyArray<{ rule: RateLimitRule; shop: string; client: string }>,
  clock: () => Date = () => new Date(),
): Promise<{ index: number; decision: RateLimitDecision } | null> {
  const now = clock().getTime();
  const keys = checks.map(({ rule, shop, client }) => {
    const window = Math.floor(now / rule.windowMs);
    return { window, current: windowKey(rule, shop, client, window), previous: windowKey(rule, shop, client, window - 1) };
  });
  // Raw: every storefront lookup runs this read (see models/raw-sql.server.ts).
  const rows = await rawRows<{ key: string; count: number }>(db, `SELECT "key", "count" FROM "RateLimitWindow" WHERE "key" IN ({*})`, [
    keys.flatMap((k) => [k.current, k.previous]),
  ]);
  const count = new Map(rows.map((r) => [r.key, r.count]));
  for (const [index, { rule }] of checks.entries()) {
    const k = keys[index];
    const decision = decide(rule, now, k.window, count.get(k.current) ?? 0, count.get(k.previous) ?? 0, false);
    if (!decision.allowed) return { index, decision };
  }
  return null;
}

export function rateLimiter(db: Db, rule: RateLimitRule, clock: () => Date = () => new Date()): RateLimiter {
  if (rule.limit < 1 || rule.windowMs < 1000) throw new RangeError("a rate limit needs a limit of at least 1 and a window of at least a second");
  const keyOf = (shop: string, client: string, window: number) => windowKey(rule, shop, client, window);

  async function counts(shop: string, client: string, now: number) {
    const window = Math.floor(now / rule.windowMs);
    const rows = await db.rateLimitWindow.findMany({
      where: { key: { in: [keyOf(shop, client, window), keyOf(shop, client, window - 1)] } },
      select: { key: true, count: true },
    });
    const current = rows.find((r) => r.key === keyOf(shop, client, window))?.count ?? 0;
    const previous = rows.find((r) => r.key === keyOf(shop, client, window - 1))?.count ?? 0;
    return { window, current, previous };
  }

  return {
    async check(shop, client) {
      const now = clock().getTime();
      const { window, current, previous } = await counts(shop, client, now);
      return decide(rule, now, window, current, previous, false);
    },
    async hit(shop, client) {
      const now = clock().getTime();
      const window = Math.floor(now / rule.windowMs);
      const key = keyOf(shop, client, window);
      const expiresAt = new Date((window + 2) * rule.windowMs);
      const increment = () =>
        db.rateLimitWindow.upsert({
          where: { key },
          create: { key, shop, count: 1, expiresAt },
          update: { count: { increment: 1 } },
          select: { count: true },
        });
      let row: { count: number };
      try {
        row = await increment();
      } catch (error) {
        // Two first attempts at once: one insert loses the race; the retry updates its row.
        if ((error as { code?: string }).code !== "P2002") throw error;
        row = await increment();
      }
      const previous =
        (await db.rateLimitWindow.findUnique({ where: { key: keyOf(shop, client, window - 1) }, select: { count: true } }))?.count ?? 0;
      return decide(rule, now, window, row.count, previous, true);
    },
    async reset(shop, client) {
      const now = clock().getTime();
      const window = Math.floor(now / rule.windowMs);
      await db.rateLimitWindow.deleteMany({ where: { key: { in: [keyOf(shop, client, window), keyOf(shop, client, window - 1)] } } });
    },
  };
}

/** Removes windows no limit looks at any more. */
export async function pruneRateLimits(db: Db, now: Date): Promise<number> {
  const { count } = await db.rateLimitWindow.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
