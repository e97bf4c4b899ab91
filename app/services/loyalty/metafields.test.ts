/**
 * Customer metafields follow every change of a member's balance, tier and lifetime points, with or
 * without an event (docs/decisions/0044): a refund reversal, an expiry and a manual deduction each
 * reach the sandbox's metafieldsSet at the next sync; many changes make one call; a replay or a
 * change undone makes none; the sync reads only the members marked, a page at a time.
 */
import { afterAll, describe, expect, it } from "vitest";

import type { TestDatabase } from "../../../tests/helpers/db";
import { loyaltyShopDatabase } from "../../../tests/helpers/loyalty-shop";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import type { Db } from "../../db.server";
import { markMetafieldsDue } from "../../models/metafield-sync.server";
import { rawExecute } from "../../models/raw-sql.server";
import { adminClient, type AdminClient } from "../../shopify/admin.server";

import { adjustPoints } from "./admin.server";
import { postEntry } from "./ledger.server";
import { runLoyaltyMaintenance } from "./maintenance.server";
import { memberForCustomer, setSpendAndTier } from "./members.server";
import { METAFIELDS_PER_CALL, syncCustomerMetafields } from "./metafields.server";

const SHOP = TEST_SHOP;
const secret = process.env.SHOPIFY_API_SECRET!;
const DAY = 86_400_000;
const T0 = Date.parse("2027-01-04T15:00:00.000Z");
const at = (days: number, seconds = 0) => new Date(T0 + days * DAY + seconds * 1000);

const SCALE_MEMBERS = 200_000;
const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const d of opened) await d.drop();
});

async function shopDatabase() {
  const t = await loyaltyShopDatabase({ expiryDays: 90, expiryReminderDays: 14 });
  opened.push(t);
  return t;
}

type LooseMutate = (...args: unknown[]) => Promise<unknown>;

/** The sandbox's Admin API, counting metafieldsSet calls and their inputs. */
function countingAdmin(world: ReturnType<typeof testSandbox>) {
  const calls: number[] = [];
  const real = adminClient(world.sandbox.graphqlClient(SHOP));
  const admin: AdminClient = {
    ...real,
    mutate: (async (op: unknown, pick: unknown, variables: { metafields: unknown[] }) => {
      calls.push(variables.metafields.length);
      return (real.mutate as LooseMutate)(op, pick, variables);
    }) as AdminClient["mutate"],
  };
  return { admin, calls };
}

async function customerWithMember(t: TestDatabase, world: ReturnType<typeof testSandbox>, n: number) {
  const customer = world.sandbox.createCustomer({
    shop: SHOP,
    email: `m${n}@example.com`,
    firstName: "M",
    lastName: `${n}`,
  });
  const gid = `gid://shopify/Customer/${customer.id}`;
  const member = await memberForCustomer(t.db, SHOP, gid, `m${n}@example.com`);
  return { customer, member };
}

function metafieldsOf(world: ReturnType<typeof testSandbox>, id: number) {
  const c = world.sandbox.state.shop(SHOP).customers.find((x) => x.id === id) as unknown as {
    metafields: { namespace: string; key: string; value: string }[];
  };
  return Object.fromEntries(c.metafields.map((m) => [m.key, m.value]));
}

const events = (t: TestDatabase) => t.db.appEvent.count({ where: { shop: SHOP } });

describe("customer metafields follow the member", () => {
  it("a refund reversal, an expiry and a manual deduction each reach the metafields with no event", async () => {
    const t = await shopDatabase();
    const world = testSandbox({ apiSecret: secret });
    const { admin, calls } = countingAdmin(world);
    const sync = (now: Date) => syncCustomerMetafields({ db: t.db, adminFor: async () => admin, now });
    const { customer, member } = await customerWithMember(t, world, 1);

    const earned = await postEntry(
      t.db,
      SHOP,
      member.id,
      {
        sourceKey: "order:1",
        kind: "earn_order",
        points: 120,
        availableAt: at(0),
        orderShopifyId: "gid://shopify/Order/1",
      },
      { now: at(0) },
    );
    expect(earned.status).toBe("posted");
    await setSpendAndTier(t.db, SHOP, member.id, 6000, "gold", at(0));
    expect(await sync(at(0, 2))).toMatchObject({ calls: 1, written: 1 });
    expect(metafieldsOf(world, customer.id)).toEqual({
      points_balance: "120",
      lifetime_points: "120",
      loyalty_tier: "Gold",
    });

    // A refund takes back 30 points: no event announces it, the metafields still follow.
    const before = await events(t);
    await postEntry(
      t.db,
      SHOP,
      member.id,
      {
        sourceKey: "refund:1",
        kind: "reverse_refund",
        points: -30,
        availableAt: at(1),
        orderShopifyId: "gid://shopify/Order/1",
      },
      { now: at(1), mode: "cap" },
    );
    expect(await events(t)).toBe(before);
    expect(await sync(at(1, 2))).toMatchObject({ calls: 1, written: 1 });
    expect(metafieldsOf(world, customer.id)).toMatchObject({ points_balance: "90", lifetime_points: "120" });

    // Staff deduct 15 points.
    const adjusted = await adjustPoints(t.db, SHOP, {
      memberId: member.id,
      points: -15,
      reason: "goodwill undone",
      actor: "staff",
      now: at(2),
    });
    expect(adjusted).toMatchObject({ status: "posted" });
    expect(await sync(at(2, 2))).toMatchObject({ calls: 1 });
    expect(metafieldsOf(world, customer.id)).toMatchObject({ points_balance: "75" });

    // Inactive past the expiry: the maintenance pass expires the rest, which no event announces
    // (the reminder before it and the tier lost with no orders in the window are events of their own).
    for (const day of [80, 95]) await runLoyaltyMaintenance(t.db, { now: at(day), secret });
    const types = await t.db.appEvent.findMany({ where: { shop: SHOP }, select: { type: true } });
    expect(types.map((e) => e.type).sort()).toEqual([
      "loyalty.points_earned",
      "loyalty.points_expiring",
      "loyalty.tier_changed",
      "loyalty.tier_changed",
    ]);
    expect(before).toBe(2);
    expect(await t.db.loyaltyLedgerEntry.count({ where: { memberId: member.id, kind: "expire" } })).toBe(1);
    expect((await t.db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } })).points).toBe(0);
    // One write for the expiry and the lost tier together; the tier metafield is removed.
    expect(await sync(at(95, 2))).toMatchObject({ calls: 2, written: 1 });
    expect(metafieldsOf(world, customer.id)).toEqual({ points_balance: "0", lifetime_points: "120" });

    // Nothing changed since: nothing sent. A replayed refund books nothing and sends nothing.
    const replay = await postEntry(
      t.db,
      SHOP,
      member.id,
      { sourceKey: "refund:1", kind: "reverse_refund", points: -30, availableAt: at(96) },
      { now: at(96), mode: "cap" },
    );
    expect(replay.status).toBe("duplicate");
    expect(await sync(at(96, 2))).toMatchObject({ calls: 0, written: 0 });
    expect(calls).toEqual([3, 3, 3, 2, 1]);
  }, 60_000);

  it("coalesces: 100 changes make one call, a change undone none, a change during a call is not lost", async () => {
    const t = await shopDatabase();
    const world = testSandbox({ apiSecret: secret });
    const { admin, calls } = countingAdmin(world);
    const { customer, member } = await customerWithMember(t, world, 2);
    for (let i = 0; i < 100; i++)
      await adjustPoints(t.db, SHOP, {
        memberId: member.id,
        points: 1,
        reason: "r",
        actor: "s",
        token: `tok-${i}-aaaa`,
        now: at(0, i),
      });
    expect(await syncCustomerMetafields({ db: t.db, adminFor: async () => admin, now: at(0, 101) })).toMatchObject({
      calls: 1,
      written: 1,
    });
    expect(metafieldsOf(world, customer.id)).toMatchObject({ points_balance: "100" });

    // Up to Gold and back before a sync: due, but Shopify already holds these figures.
    await setSpendAndTier(t.db, SHOP, member.id, 6000, "gold", at(1));
    await setSpendAndTier(t.db, SHOP, member.id, 0, null, at(1, 1));
    expect(await t.db.memberMetafieldSync.count({ where: { dueAt: { not: null } } })).toBe(1);
    expect(await syncCustomerMetafields({ db: t.db, adminFor: async () => admin, now: at(1, 3) })).toMatchObject({
      calls: 0,
      unchanged: 1,
    });

    // A change committed while the write is on its way keeps the member due: the next run sends it.
    await adjustPoints(t.db, SHOP, { memberId: member.id, points: 7, reason: "r", actor: "s", now: at(2) });
    const racing: AdminClient = {
      ...admin,
      mutate: (async (...args: unknown[]) => {
        await adjustPoints(t.db, SHOP, { memberId: member.id, points: 3, reason: "r", actor: "s", now: at(2, 1) });
        return (admin.mutate as LooseMutate)(...args);
      }) as AdminClient["mutate"],
    };
    await syncCustomerMetafields({ db: t.db, adminFor: async () => racing, now: at(2, 2) });
    expect(metafieldsOf(world, customer.id)).toMatchObject({ points_balance: "107" });
    expect(await syncCustomerMetafields({ db: t.db, adminFor: async () => admin, now: at(2, 4) })).toMatchObject({
      calls: 1,
    });
    expect(metafieldsOf(world, customer.id)).toMatchObject({ points_balance: "110" });
    expect(calls.length).toBe(3);
  }, 60_000);

  it("batches up to 25 metafields a call; a refused member is parked, the others go through", async () => {
    const t = await shopDatabase();
    const world = testSandbox({ apiSecret: secret });
    const { admin, calls } = countingAdmin(world);
    const members = [];
    for (let n = 0; n < 20; n++) members.push(await customerWithMember(t, world, 100 + n));
    for (const { member } of members) {
      await adjustPoints(t.db, SHOP, { memberId: member.id, points: 10, reason: "r", actor: "s", now: at(0) });
      await setSpendAndTier(t.db, SHOP, member.id, 6000, "gold", at(0));
    }
    // One member's customer is gone from Shopify: its input is refused, the call with it too.
    const gone = members[5];
    world.sandbox.state.shop(SHOP).customers.splice(
      world.sandbox.state.shop(SHOP).customers.findIndex((c) => c.id === gone.customer.id),
      1,
    );
    const report = await syncCustomerMetafields({ db: t.db, adminFor: async () => admin, now: at(0, 2) });
    expect(report).toMatchObject({ written: 19, parked: 1 });
    expect(Math.max(...calls)).toBeLessThanOrEqual(METAFIELDS_PER_CALL);
    // 20 members of 3 metafields: calls of 8, 8 and 4 members; the refused first call again
    // member by member.
    expect(calls).toEqual([24, ...Array(8).fill(3), 24, 12]);
    for (const { customer } of members.filter((m) => m !== gone))
      expect(metafieldsOf(world, customer.id)).toMatchObject({ points_balance: "10", loyalty_tier: "Gold" });
    const parked = await t.db.memberMetafieldSync.findUniqueOrThrow({ where: { memberId: gone.member.id } });
    expect(parked).toMatchObject({ dueAt: null, lastError: expect.stringContaining("Shopify refused") });
    expect(await syncCustomerMetafields({ db: t.db, adminFor: async () => admin, now: at(0, 4) })).toMatchObject({
      calls: 0,
    });
  }, 60_000);

  it("at scale reads only the members marked, a page at a time (200,000 members, 300 marked)", async () => {
    const t = await shopDatabase();
    await rawExecute(
      t.db,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SCALE_MEMBERS})
       INSERT INTO "LoyaltyMember" ("id", "shop", "key", "customerShopifyId", "points", "lifetimePoints",
         "version", "lastActivityAt", "createdAt", "updatedAt")
       SELECT 'm' || i, {}, 'customer:' || i, 'gid://shopify/Customer/' || i, i % 500, i % 500, 0, {}, {}, {} FROM n`,
      [SHOP, at(0), at(0), at(0)],
    );
    expect(await t.db.loyaltyMember.count({ where: { shop: SHOP } })).toBe(SCALE_MEMBERS);
    for (let i = 1; i <= 300; i++) await markMetafieldsDue(t.db, SHOP, `m${i * 600}`, at(0, i % 7));

    // Every read of the members names the members it wants, at most a page of them.
    const reads: unknown[] = [];
    const watched = new Proxy(t.db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== "loyaltyMember") return value;
        return new Proxy(value as object, {
          get(model, method) {
            const fn = Reflect.get(model, method) as (...a: unknown[]) => unknown;
            return (...args: unknown[]) => {
              reads.push({ method, args });
              return fn.apply(model, args);
            };
          },
        });
      },
    }) as Db;
    const sent: number[] = [];
    const admin = {
      mutate: async (_op: unknown, _pick: unknown, variables: { metafields: unknown[] }) => {
        sent.push(variables.metafields.length);
        return { metafields: [], userErrors: [] };
      },
      request: async () => ({}),
    } as unknown as AdminClient;
    const started = performance.now();
    const report = await syncCustomerMetafields({
      db: watched,
      adminFor: async () => admin,
      now: at(0, 10),
      pageSize: 100,
    });
    const ms = performance.now() - started;
    expect(report).toMatchObject({ written: 300, retrying: 0, parked: 0 });
    expect(sent.reduce((a, b) => a + b, 0)).toBe(300 * 2 + 0); // no tier: balance and lifetime points
    expect(Math.max(...sent)).toBeLessThanOrEqual(METAFIELDS_PER_CALL);
    expect(reads).toHaveLength(3);
    for (const r of reads as { method: string; args: [{ where: { id: { in: string[] } } }] }[]) {
      expect(r.method).toBe("findMany");
      expect(r.args[0].where.id.in.length).toBeLessThanOrEqual(100);
    }
    console.log(`metafields sync: 300 of ${SCALE_MEMBERS} members in ${Math.round(ms)} ms, ${sent.length} calls`);
    expect(await t.db.memberMetafieldSync.count({ where: { dueAt: { not: null } } })).toBe(0);
  }, 180_000);
});
