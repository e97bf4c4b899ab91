/** Rate limits on rate-limiter-flexible's Prisma store, on a real database, at a fixed time. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { createDb } from "../db.server";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";

import { clientKey, firstBlocked, rateLimiter } from "./rate-limit.server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const START = Date.UTC(2025, 0, 1, 12, 0, 0);
let ruleNumber = 0;
// A new rule name per test: stores (and their in-memory blocks) live as long as the process.
const freshRule = (limit = 3) => ({ name: `test-${++ruleNumber}`, limit, windowMs: 60_000 });

beforeEach(async () => {
  vi.setSystemTime(START);
  await t.db.rateLimitCounter.deleteMany();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("rate limiter", () => {
  it("allows the limit, then refuses with a Retry-After that ends with the window", async () => {
    const rule = freshRule();
    const limiter = rateLimiter(t.db, rule);
    for (let i = 1; i <= 3; i++)
      expect(await limiter.hit("a.myshopify.com", "c1")).toMatchObject({ allowed: true, remaining: 3 - i });
    vi.setSystemTime(START + 20_000);
    expect(await limiter.check("a.myshopify.com", "c1")).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 40,
    });
    expect(await limiter.hit("a.myshopify.com", "c1")).toMatchObject({ allowed: false, retryAfterSeconds: 40 });
    expect((await limiter.check("a.myshopify.com", "c2")).allowed).toBe(true);
    expect((await limiter.check("b.myshopify.com", "c1")).allowed).toBe(true);
    vi.setSystemTime(START + 60_001);
    expect((await limiter.check("a.myshopify.com", "c1")).allowed).toBe(true);
    expect(await limiter.hit("a.myshopify.com", "c1")).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("counts every one of many simultaneous hits, from two database clients (two processes)", async () => {
    const rule = freshRule(100);
    const other = createDb(t.url);
    try {
      const limiters = [rateLimiter(t.db, rule), rateLimiter(other, rule)];
      await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 2].hit("a.myshopify.com", "c1")));
      expect(await limiters[1].check("a.myshopify.com", "c1")).toMatchObject({ allowed: true, remaining: 60 });
    } finally {
      await other.$disconnect();
    }
  });

  it("refuses a key over its limit in this process without the database; another process reads it", async () => {
    const rule = freshRule(2);
    const limiter = rateLimiter(t.db, rule);
    await limiter.hit("a.myshopify.com", "c1");
    await limiter.hit("a.myshopify.com", "c1");
    expect((await rateLimiter(t.db, rule).check("a.myshopify.com", "c1")).allowed).toBe(false);
    const other = createDb(t.url);
    try {
      expect((await rateLimiter(other, rule).check("a.myshopify.com", "c1")).allowed).toBe(false);
      // With the row gone, only this process still remembers the block.
      await t.db.rateLimitCounter.deleteMany();
      expect((await limiter.check("a.myshopify.com", "c1")).allowed).toBe(false);
      expect((await rateLimiter(other, rule).check("a.myshopify.com", "c1")).allowed).toBe(true);
    } finally {
      await other.$disconnect();
    }
  });

  it("says which of several limits refuses, reading them together", async () => {
    const [client, order] = [freshRule(2), freshRule(3)];
    const checks = [
      { rule: client, shop: "a.myshopify.com", subject: "c1" },
      { rule: order, shop: "a.myshopify.com", subject: "o1" },
    ];
    expect(await firstBlocked(t.db, checks)).toBeNull();
    for (let i = 0; i < 3; i++) await rateLimiter(t.db, order).hit("a.myshopify.com", "o1");
    expect(await firstBlocked(t.db, checks)).toMatchObject({
      index: 1,
      decision: { allowed: false, retryAfterSeconds: 60 },
    });
  });

  it("stores keyed hashes, and the library deletes counters an hour after their window", async () => {
    const key = clientKey("secret", "203.0.113.7");
    expect(key).not.toContain("203");
    expect(key).toBe(clientKey("secret", "203.0.113.7"));
    expect(key).not.toBe(clientKey("other", "203.0.113.7"));
    const old = new Date(START - 2 * 3_600_000);
    await t.db.rateLimitCounter.create({ data: { key: "test-old:a.myshopify.com:x", points: 1, expire: old } });
    await t.db.rateLimitCounter.create({
      data: { key: "test-live:a.myshopify.com:x", points: 1, expire: new Date(START + 60_000) },
    });
    // A new database client (a new process): its first store schedules the sweep, every 5 minutes.
    const other = createDb(t.url);
    try {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: START });
      rateLimiter(other, freshRule());
      vi.advanceTimersByTime(5 * 60_000);
      vi.useRealTimers();
      await vi.waitFor(async () =>
        expect(await t.db.rateLimitCounter.count({ where: { key: { startsWith: "test-old:" } } })).toBe(0),
      );
      expect(await t.db.rateLimitCounter.count()).toBe(1);
    } finally {
      await other.$disconnect();
    }
  });
});
