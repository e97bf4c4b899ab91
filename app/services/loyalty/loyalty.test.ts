import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { receiveWebhook } from "../../webhooks/receive.server";
import { processEvent } from "../../jobs/process-event.server";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { gidFor } from "../../../sandbox/engine/state";
import { adminClient } from "../../shopify/admin.server";
import { LoyaltyDiscountByCode } from "../../shopify/operations/loyalty";
import { examplePayload, webhookRequest } from "../../../tests/helpers/webhooks";

import { balanceInTransaction, balanceOf, postEntry } from "./ledger.server";
import { memberForCustomer } from "./members.server";
import { saveLoyaltySettings } from "./settings.server";
import { LoyaltyError, redeemReward } from "./redemption.server";
import { createReward } from "./admin.server";
import { earnForPaidOrder } from "./earning.server";

let t: TestDatabase;
const secret = process.env.SHOPIFY_API_SECRET!;
const SHOP = TEST_SHOP;

const opened: TestDatabase[] = [];

/** Each sandbox numbers its customers and orders from 1, so each sandbox story gets its own database. */
async function freshDatabase() {
  t = await createTestDatabase();
  opened.push(t);
  await t.db.shop.create({ data: { domain: SHOP, currencyCode: "USD" } });
  const saved = await saveLoyaltySettings(t.db, SHOP, {
    enabled: true,
    pointsPerUnit: 1,
    pendingDays: 0,
    signupBonus: 50,
  });
  expect(saved.ok).toBe(true);
}

beforeAll(freshDatabase);
afterAll(async () => {
  for (const d of opened) await d.drop();
});

async function ledgerSum(memberId: string) {
  const agg = await t.db.loyaltyLedgerEntry.aggregate({ where: { memberId }, _sum: { points: true } });
  return agg._sum.points ?? 0;
}

async function expectConsistent(memberId: string) {
  const member = await t.db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } });
  expect(member.points).toBe(await ledgerSum(memberId));
  expect(member.points).toBeGreaterThanOrEqual(0);
  return member.points;
}

/** Delivers into the app and runs the handler at once, as the in-process job runner would. */
function appReceiver(hold?: { held: Request[] }) {
  const fetch = async (request: Request) => {
    if (hold) {
      hold.held.push(request.clone());
      return new Response("ok");
    }
    return deliver(request);
  };
  return { fetch };
}

async function deliver(request: Request) {
  const recorded: string[] = [];
  const response = await receiveWebhook(request, { db: t.db, secret, onRecorded: (id) => recorded.push(id) });
  for (const id of recorded) await processEvent(t.db, id);
  return response;
}

describe("the ledger", () => {
  it("reads a balance inside a transaction, the transaction's own entry included, on either database", async () => {
    const member = await t.db.loyaltyMember.create({ data: { shop: SHOP, key: "tx-balance" } });
    const now = new Date("2026-03-01T12:00:00Z");
    const unlocks = new Date("2026-03-20T12:00:00Z");
    const entry = (sourceKey: string, points: number, availableAt: Date) =>
      ({ sourceKey, kind: "adjust", points, availableAt }) as const;
    await postEntry(t.db, SHOP, member.id, entry("t:tx-balance-pending", 25, unlocks), { now });
    let seen: unknown;
    const posted = await postEntry(t.db, SHOP, member.id, entry("t:tx-balance-earn", 30, now), {
      now,
      // Where a reward is created with the points just booked: a read through the transaction.
      alongside: async (tx) => {
        seen = await balanceInTransaction(tx, SHOP, member.id, now);
      },
    });
    expect(posted.status).toBe("posted");
    expect(seen).toEqual({ total: 55, pending: 25, available: 30 });
    expect(await balanceOf(t.db, SHOP, member.id, now)).toEqual(seen);
    // A debit checks what is available through the same read, under the member's lock.
    const spend = await postEntry(t.db, SHOP, member.id, entry("t:tx-balance-spend", -31, now), { now });
    expect(spend).toEqual({ status: "insufficient", available: 30 });
  });

  it("keeps the balance equal to the ledger's sum and refuses to overdraw", async () => {
    const m = await memberForCustomer(t.db, SHOP, "gid://shopify/Customer/900001", "l1@example.com");
    const now = new Date();
    expect(
      (
        await postEntry(
          t.db,
          SHOP,
          m.id,
          { sourceKey: "t:earn1", kind: "adjust", points: 100, availableAt: now },
          { now },
        )
      ).status,
    ).toBe("posted");
    expect(
      (
        await postEntry(
          t.db,
          SHOP,
          m.id,
          { sourceKey: "t:earn1", kind: "adjust", points: 100, availableAt: now },
          { now },
        )
      ).status,
    ).toBe("duplicate");
    expect(
      (
        await postEntry(
          t.db,
          SHOP,
          m.id,
          { sourceKey: "t:spend1", kind: "redeem", points: -101, availableAt: now },
          { now },
        )
      ).status,
    ).toBe("insufficient");
    const capped = await postEntry(
      t.db,
      SHOP,
      m.id,
      { sourceKey: "t:rev1", kind: "reverse_refund", points: -150, availableAt: now },
      { now, mode: "cap" },
    );
    expect(capped).toMatchObject({ status: "posted", points: -100 });
    expect(await expectConsistent(m.id)).toBe(0);
  });

  it("does not let pending points be spent, and reports them apart", async () => {
    const m = await memberForCustomer(t.db, SHOP, "gid://shopify/Customer/900002", null);
    const now = new Date();
    await postEntry(
      t.db,
      SHOP,
      m.id,
      { sourceKey: "t:p-earn", kind: "earn_order", points: 80, availableAt: new Date(now.getTime() + 86_400_000) },
      { now },
    );
    await postEntry(t.db, SHOP, m.id, { sourceKey: "t:a-earn", kind: "adjust", points: 20, availableAt: now }, { now });
    expect(await balanceOf(t.db, SHOP, m.id, now)).toEqual({ total: 100, pending: 80, available: 20 });
    expect(
      (
        await postEntry(
          t.db,
          SHOP,
          m.id,
          { sourceKey: "t:p-spend", kind: "redeem", points: -21, availableAt: now },
          { now },
        )
      ).status,
    ).toBe("insufficient");
    const later = new Date(now.getTime() + 2 * 86_400_000);
    expect(await balanceOf(t.db, SHOP, m.id, later)).toEqual({ total: 100, pending: 0, available: 100 });
    await expectConsistent(m.id);
  });

  it("lets only as many of 40 concurrent redemptions succeed as the balance allows", async () => {
    const m = await memberForCustomer(t.db, SHOP, "gid://shopify/Customer/900003", null);
    const now = new Date();
    await postEntry(
      t.db,
      SHOP,
      m.id,
      { sourceKey: "t:c-earn", kind: "adjust", points: 1000, availableAt: now },
      { now },
    );
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        postEntry(
          t.db,
          SHOP,
          m.id,
          { sourceKey: `t:c-spend-${i}`, kind: "redeem", points: -75, availableAt: now },
          { now },
        ),
      ),
    );
    expect(results.filter((r) => r.status === "posted")).toHaveLength(13); // 13 * 75 = 975 <= 1000
    expect(results.filter((r) => r.status === "insufficient")).toHaveLength(27);
    expect(await expectConsistent(m.id)).toBe(25);
  });
});

describe("earning and reversing from the sandbox's webhooks", () => {
  it(
    "earns once per paid order and takes back refunds and cancellations once, however often " +
      "and in whatever order the webhooks come",
    async () => {
      await freshDatabase();
      const hold = { held: [] as Request[] };
      const { sandbox, mug, tee } = testSandbox({ webhookFetch: appReceiver(hold).fetch, apiSecret: secret });
      const ada = sandbox.createCustomer({ shop: SHOP, email: "ada@example.com", firstName: "Ada", state: "ENABLED" });
      // $18 x 2 + $35 = $71 of merchandise; shipping and tax do not earn by default.
      const order = sandbox.placeOrder({
        shop: SHOP,
        customer: ada,
        lines: [
          { variantId: mug.variants[0].id, quantity: 2 },
          { variantId: tee.variants[0].id, quantity: 1 },
        ],
        paid: true,
        taxRate: 0.13,
      });
      sandbox.refund({ shop: SHOP, order, lines: [{ lineItemId: order.lineItems[1].id, quantity: 1 }] });
      const second = sandbox.placeOrder({
        shop: SHOP,
        customer: ada,
        lines: [{ variantId: mug.variants[0].id, quantity: 1 }],
        paid: true,
      });
      sandbox.cancelOrder({ shop: SHOP, order: second });
      await sandbox.flush();
      const requests = hold.held;
      expect(requests.length).toBeGreaterThan(6);
      // Reversed order, then every delivery again with new webhook ids is impossible (same ids are
      // deduplicated by the inbox); so replay: reversed, then forward, then reversed once more.
      for (const r of [...requests].reverse()) await deliver(r.clone());
      for (const r of requests) await deliver(r.clone());
      // The same events re-sent as new deliveries (as Shopify does after a timeout): new webhook ids.
      for (const r of [...requests].reverse()) {
        const headers = new Headers(r.headers);
        headers.set("X-Shopify-Webhook-Id", `${headers.get("X-Shopify-Webhook-Id")}-again`);
        await deliver(new Request(r.url, { method: "POST", headers, body: await r.clone().text() }));
      }
      const member = await t.db.loyaltyMember.findUniqueOrThrow({
        where: { shop_key: { shop: SHOP, key: `c:${gidFor("Customer", ada.id)}` } },
      });
      const entries = await t.db.loyaltyLedgerEntry.findMany({
        where: { memberId: member.id },
        orderBy: { sourceKey: "asc" },
      });
      const byKind = (kind: string) => entries.filter((e) => e.kind === kind);
      expect(byKind("signup").map((e) => e.points)).toEqual([50]);
      expect(
        byKind("earn_order")
          .map((e) => e.points)
          .sort((a, b) => a - b),
      ).toEqual([18, 71]);
      const reversed = (orderId: number) =>
        entries
          .filter((e) => e.orderShopifyId === gidFor("Order", orderId) && e.kind.startsWith("reverse_"))
          .reduce((sum, e) => sum + e.points, 0);
      // The tee ($35 of $71) refunded: 35 of the 71 points; the cancelled order: all of its 18.
      expect(reversed(order.id)).toBe(-35);
      expect(reversed(second.id)).toBe(-18);
      // One entry per source, whatever came first.
      expect(new Set(entries.map((e) => e.sourceKey)).size).toBe(entries.length);
      expect(await expectConsistent(member.id)).toBe(50 + 71 - 35);
    },
  );

  it("gives a guest's points to the account created later with the same email", async () => {
    await freshDatabase();
    const hold = { held: [] as Request[] };
    const { sandbox, candle } = testSandbox({ webhookFetch: appReceiver(hold).fetch, apiSecret: secret });
    const guestOrder = sandbox.placeOrder({
      shop: SHOP,
      email: "Grace@Example.com",
      lines: [{ variantId: candle.variants[0].id, quantity: 2 }],
      paid: true,
    });
    await sandbox.flush();
    // A checkout with no customer record (as orders created by some channels arrive): only an email.
    const paid = hold.held.find((r) => r.headers.get("X-Shopify-Topic") === "orders/paid")!;
    const payload = { ...(await paid.clone().json()), customer: null };
    const now = new Date();
    expect(await earnForPaidOrder(t.db, SHOP, payload, now, now)).toBe("earned");
    expect(await earnForPaidOrder(t.db, SHOP, payload, now, now)).toBe("earned");
    const guest = await t.db.loyaltyMember.findUniqueOrThrow({
      where: { shop_key: { shop: SHOP, key: "e:grace@example.com" } },
    });
    expect(await expectConsistent(guest.id)).toBe(49);
    const created = hold.held.find((r) => r.headers.get("X-Shopify-Topic") === "customers/create")!;
    await deliver(created.clone());
    await deliver(created.clone());
    const customerGid = gidFor("Customer", guestOrder.customerId!);
    const account = await t.db.loyaltyMember.findUniqueOrThrow({
      where: { shop_key: { shop: SHOP, key: `c:${customerGid}` } },
    });
    expect(account.id).toBe(guest.id);
    // Shopify files the guest checkout as a customer without an account: no sign-up bonus.
    expect(await expectConsistent(account.id)).toBe(49);
  });
});

describe("the sign-up bonus", () => {
  const topicOf = (r: Request) => r.headers.get("X-Shopify-Topic");
  /** The same delivery again as Shopify re-sends it after a timeout: a new webhook id. */
  async function resend(r: Request, suffix: string) {
    const headers = new Headers(r.headers);
    headers.set("X-Shopify-Webhook-Id", `${headers.get("X-Shopify-Webhook-Id")}-${suffix}`);
    return new Request(r.url, { method: "POST", headers, body: await r.clone().text() });
  }
  const memberOf = (customerGid: string) =>
    t.db.loyaltyMember.findUnique({ where: { shop_key: { shop: SHOP, key: `c:${customerGid}` } } });
  const signups = async (customerGid: string) =>
    (
      await t.db.loyaltyLedgerEntry.findMany({
        where: { shop: SHOP, kind: "signup", sourceKey: `signup:${customerGid}` },
      })
    ).map((e) => e.points);

  it(
    "is not given to a guest checkout's customer record, and is given once when that " +
      "customer activates an account, in any order of delivery",
    async () => {
      await freshDatabase();
      const hold = { held: [] as Request[] };
      const { sandbox, candle } = testSandbox({ webhookFetch: appReceiver(hold).fetch, apiSecret: secret });
      const order = sandbox.placeOrder({
        shop: SHOP,
        email: "noor@example.com",
        lines: [{ variantId: candle.variants[0].id, quantity: 2 }],
        paid: true,
      });
      await sandbox.flush();
      const customerGid = gidFor("Customer", order.customerId!);
      const guestRecord = hold.held.filter((r) => topicOf(r) === "customers/create");
      expect(guestRecord).toHaveLength(1);
      expect((await guestRecord[0].clone().json()).state).toBe("disabled");
      for (const r of hold.held) await deliver(r.clone());
      expect(await signups(customerGid)).toEqual([]);
      const member = (await memberOf(customerGid))!;
      expect(await expectConsistent(member.id)).toBe(49);

      // The shopper creates an account with the same email: Shopify updates the customer to "enabled".
      hold.held.length = 0;
      sandbox.updateCustomer({ shop: SHOP, customer: order.customerId!, state: "ENABLED" });
      sandbox.updateCustomer({ shop: SHOP, customer: order.customerId!, firstName: "Noor" });
      await sandbox.flush();
      const updates = hold.held.filter((r) => topicOf(r) === "customers/update");
      expect(updates).toHaveLength(2);
      // The later update first, then the activation, then both again as new deliveries.
      for (const r of [...updates].reverse()) await deliver(r.clone());
      for (const r of updates) await deliver(await resend(r, "again"));
      expect(await signups(customerGid)).toEqual([50]);
      expect(await expectConsistent(member.id)).toBe(49 + 50);

      // The guest record's customers/create arriving late (after the account) changes nothing.
      await deliver(await resend(guestRecord[0], "late"));
      expect(await signups(customerGid)).toEqual([50]);
      expect(await expectConsistent(member.id)).toBe(49 + 50);
      expect(await t.db.loyaltyMember.count({ where: { shop: SHOP } })).toBe(1);
    },
  );

  it(
    "is given at once to an account created as such, and to an invited customer only when " +
      "the invitation is accepted",
    async () => {
      await freshDatabase();
      const hold = { held: [] as Request[] };
      const { sandbox } = testSandbox({ webhookFetch: appReceiver(hold).fetch, apiSecret: secret });
      const ines = sandbox.createCustomer({ shop: SHOP, email: "ines@example.com", state: "ENABLED" });
      const omar = sandbox.createCustomer({ shop: SHOP, email: "omar@example.com", state: "INVITED" });
      sandbox.updateCustomer({ shop: SHOP, customer: omar, state: "DECLINED" });
      await sandbox.flush();
      const before = [...hold.held];
      for (const r of before) await deliver(r.clone());
      for (const r of [...before].reverse()) await deliver(await resend(r, "again"));
      const inesGid = gidFor("Customer", ines.id);
      const omarGid = gidFor("Customer", omar.id);
      expect(await signups(inesGid)).toEqual([50]);
      expect(await expectConsistent((await memberOf(inesGid))!.id)).toBe(50);
      expect(await signups(omarGid)).toEqual([]);
      expect(await memberOf(omarGid)).toBeNull();

      hold.held.length = 0;
      sandbox.updateCustomer({ shop: SHOP, customer: omar, state: "ENABLED" });
      sandbox.updateCustomer({ shop: SHOP, customer: ines, firstName: "Inès" });
      await sandbox.flush();
      for (const r of hold.held) await deliver(r.clone());
      for (const r of hold.held) await deliver(await resend(r, "again"));
      expect(await signups(omarGid)).toEqual([50]);
      expect(await expectConsistent((await memberOf(omarGid))!.id)).toBe(50);
      expect(await signups(inesGid)).toEqual([50]);
      expect(await expectConsistent((await memberOf(inesGid))!.id)).toBe(50);
    },
  );

  it(
    "reads Shopify's own customers/create and customers/update payloads: disabled earns " +
      "nothing, enabled earns once",
    async () => {
      await freshDatabase();
      const created = JSON.parse(examplePayload("customers/create"));
      const customerGid: string = created.admin_graphql_api_id;
      expect(created.state).toBe("disabled");
      await deliver(webhookRequest("customers/create", created, { shop: SHOP }));
      expect(await memberOf(customerGid)).toBeNull();
      const updated = { ...JSON.parse(examplePayload("customers/update")), state: "enabled" };
      await deliver(webhookRequest("customers/update", updated, { shop: SHOP }));
      await deliver(webhookRequest("customers/update", updated, { shop: SHOP }));
      await deliver(webhookRequest("customers/create", { ...created, state: "enabled" }, { shop: SHOP }));
      expect(await signups(customerGid)).toEqual([50]);
      expect(await expectConsistent((await memberOf(customerGid))!.id)).toBe(50);
    },
  );

  it("does not make a customer whose data was erased a member again when a late activation arrives", async () => {
    await freshDatabase();
    const created = JSON.parse(examplePayload("customers/create"));
    const customerGid: string = created.admin_graphql_api_id;
    await deliver(webhookRequest("customers/create", created, { shop: SHOP }));
    const redact = {
      shop_domain: SHOP,
      customer: { id: customerGid.split("/").pop(), email: created.email },
      orders_to_redact: [],
    };
    await deliver(webhookRequest("customers/redact", redact, { shop: SHOP }));
    expect(
      (await t.db.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: customerGid } } }))
        .redactedAt,
    ).not.toBeNull();
    await deliver(
      webhookRequest(
        "customers/update",
        { ...JSON.parse(examplePayload("customers/update")), state: "enabled" },
        { shop: SHOP },
      ),
    );
    expect(await signups(customerGid)).toEqual([]);
    expect(await memberOf(customerGid)).toBeNull();
  });
});

describe("redeeming", () => {
  it("creates a single-use discount for that customer in Shopify, and refuses clearly", async () => {
    await freshDatabase();
    const { sandbox } = testSandbox({ webhookFetch: appReceiver().fetch, apiSecret: secret });
    const lin = sandbox.createCustomer({ shop: SHOP, email: "lin@example.com", state: "ENABLED" });
    await sandbox.flush();
    const admin = adminClient(sandbox.graphqlClient(SHOP));
    const created = await createReward(t.db, SHOP, {
      kind: "fixed_amount",
      title: "$5 off",
      pointsCost: 40,
      valueMinor: 500,
    });
    expect(created.ok).toBe(true);
    const rewardId = created.ok ? created.reward.id : "";
    const deps = { db: t.db, admin, now: new Date(), shopCurrency: "USD" };
    const customerId = String(lin.id);
    const redeemed = await redeemReward(deps, { shop: SHOP, customerId, rewardId });
    expect(redeemed.code).toMatch(/^AC-[A-Z0-9]{10}$/);
    const found = await admin.request(LoyaltyDiscountByCode, { code: redeemed.code! });
    expect(found.codeDiscountNodeByCode?.codeDiscount).toMatchObject({
      usageLimit: 1,
      context: { customers: [{ id: gidFor("Customer", lin.id) }] },
    });
    // 50 sign-up points - 40: 10 left.
    await expect(redeemReward(deps, { shop: SHOP, customerId, rewardId })).rejects.toMatchObject({
      status: 409,
      code: "not_enough_points",
    });
    await expect(redeemReward(deps, { shop: SHOP, customerId, rewardId: "nope" })).rejects.toMatchObject({
      status: 404,
      code: "unknown_reward",
    });
    await expect(redeemReward(deps, { shop: SHOP, customerId: "424242", rewardId })).rejects.toBeInstanceOf(
      LoyaltyError,
    );
  });
});
