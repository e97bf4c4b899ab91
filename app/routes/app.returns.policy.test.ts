/**
 * Excluding collections from returns: chosen on the Return policy page (called as Remix calls it),
 * then applied by the storefront's eligibility with the collection's products as Shopify has them
 * at that moment. The database (SQLite or PostgreSQL) and the sandbox's Shopify are real; only the
 * embedded-admin session check is stood in for.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { processingWebhookFetch } from "../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";
import type { AdminClient } from "../shopify/admin.server";
import type { ReturnPolicy } from "../domain/returns/policy";

// The admin's GraphQL is the sandbox's Shopify (set once it exists; null: Shopify cannot be reached).
const shopify = vi.hoisted(() => ({
  graphql: null as null | ((query: string, options?: object) => Promise<Response>),
}));
vi.mock("../shopify.server", () => ({
  authenticate: {
    admin: async () => ({
      session: { shop: TEST_SHOP },
      admin: {
        graphql: (query: string, options?: object) =>
          shopify.graphql ? shopify.graphql(query, options) : Promise.reject(new Error("Shopify is unreachable")),
      },
    }),
  },
}));

const secret = process.env.SHOPIFY_API_SECRET!;
let t: TestDatabase;
let world: Awaited<ReturnType<typeof build>>;
interface Route {
  loader: (a: never) => Promise<Response>;
  action: (a: never) => Promise<Response>;
}
let policyPage: Route;

async function build() {
  const { adminClient } = await import("../shopify/admin.server");
  const fetch = processingWebhookFetch(t.db, secret);
  const { sandbox, mug, tee, candle, collection } = testSandbox({ webhookFetch: fetch, apiSecret: secret });
  const lin = sandbox.createCustomer({ shop: TEST_SHOP, email: "lin@example.com", firstName: "Lin", lastName: "Yu" });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: lin,
    lines: [
      { variantId: tee.variants[0].id, quantity: 1 },
      { variantId: mug.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z88" });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
  await sandbox.flush();
  const admin = adminClient(sandbox.graphqlClient(TEST_SHOP));
  return { sandbox, order, tee, mug, candle, collection, admin };
}

async function send(body: unknown) {
  const request = new Request("https://app.test/app/returns/policy", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  const response = await policyPage.action({ request, params: {}, context: {} } as never);
  return { status: response.status, body: await response.json() };
}
const loadPolicy = async () =>
  (
    await (
      await policyPage.loader({
        request: new Request("https://app.test/app/returns/policy"),
        params: {},
        context: {},
      } as never)
    ).json()
  ).policy;

interface Lookup {
  token: string;
  lines: { id: string; title: string; returnable: number; reason: string | null }[];
}
async function lookup(admin: AdminClient | null = world.admin) {
  const { returnsLookup } = await import("../services/returns/storefront.server");
  const req = {
    shop: TEST_SHOP,
    clientIp: "203.0.113.21",
    loggedInCustomerId: null,
    params: new URLSearchParams({ order: world.order.name, email: "lin@example.com" }),
  };
  return returnsLookup(req, { db: t.db, secret, admin: async () => admin });
}
const lineOf = (body: Lookup, productTitle: RegExp) => body.lines.find((l) => productTitle.test(l.title))!;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  world = await build();
  shopify.graphql = world.sandbox.graphqlClient(TEST_SHOP);
  policyPage = (await import("./app.returns.policy")) as unknown as Route;
  // The collection tests find the order by number and email: the merchant's lookup is on. Returns
  // go to an address (the page refuses returns on without one).
  const { getReturnPolicy, saveReturnPolicy } = await import("../services/returns/policy.server");
  await saveReturnPolicy(t.db, TEST_SHOP, {
    ...(await getReturnPolicy(t.db, TEST_SHOP)),
    storefrontLookup: true,
    returnAddress: "Maple Goods, 1 Main St, Toronto",
  });
});
afterAll(async () => {
  world?.sandbox.close();
  await t.drop();
});

describe("excluded collections", () => {
  it("are saved from the policy page with their titles, and refused when they are not collections", async () => {
    const current = await loadPolicy();
    const gifts = { id: `gid://shopify/Collection/${world.collection.id}`, title: "Gifts" };
    const wrong = await send({
      policy: {
        ...current,
        exclusions: {
          ...current.exclusions,
          tags: [],
          collections: [{ id: "gid://shopify/Product/1", title: "Not a collection" }],
        },
      },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.problems[0]).toMatchObject({ path: "exclusions.collections.0.id" });
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ id: `gid://shopify/Collection/${i + 1}`, title: `C${i}` }));
    expect(
      (await send({ policy: { ...current, exclusions: { ...current.exclusions, collections: tooMany } } })).body
        .problems,
    ).toContainEqual(
      expect.objectContaining({
        path: "exclusions.collections",
        message: "Excluded collections can have at most 50 entries",
      }),
    );
    expect((await loadPolicy()).exclusions.collections).toEqual([]);

    const saved = await send({
      policy: { ...current, exclusions: { ...current.exclusions, tags: [], collections: [gifts] } },
    });
    expect(saved.status).toBe(200);
    expect((await loadPolicy()).exclusions.collections).toEqual([gifts]);
  });

  it("make a line in one of them ineligible as “excluded”, and the others stay returnable", async () => {
    const answer = await lookup();
    expect(answer.status).toBe(200);
    const body = answer.body as Lookup;
    expect(lineOf(body, /mug/i)).toMatchObject({ returnable: 0, reason: "excluded" });
    expect(lineOf(body, /tee/i)).toMatchObject({ returnable: 1, reason: null });

    const { createShopperReturn } = await import("../services/returns/storefront.server");
    const refused = await createShopperReturn(
      { shop: TEST_SHOP, clientIp: "203.0.113.21", loggedInCustomerId: null, params: new URLSearchParams() },
      {
        token: body.token,
        key: "collection-excluded-1",
        resolution: "refund",
        locale: "en",
        items: [{ lineItemId: lineOf(body, /mug/i).id, quantity: 1, reason: "too_small" }],
      },
      { db: t.db, secret, admin: async () => world.admin },
    );
    expect(refused).toMatchObject({ status: 422, body: { error: "ineligible_item" } });
    expect(await t.db.returnCase.count()).toBe(0);
  });

  const followTheCollectionAs =
    "follow the collection as it is in Shopify now: a product added after the policy was saved is excluded too";
  it(followTheCollectionAs, async () => {
    world.collection.productIds.push(world.tee.id);
    try {
      const body = (await lookup()).body as Lookup;
      expect(lineOf(body, /tee/i)).toMatchObject({ returnable: 0, reason: "excluded" });
    } finally {
      world.collection.productIds.pop();
    }
    expect(lineOf((await lookup()).body as Lookup, /tee/i).reason).toBeNull();
  });

  it("cannot be applied without Shopify's Admin API, so the lookup says so (502) rather than guessing", async () => {
    const answer = await lookup(null);
    expect(answer).toMatchObject({ status: 502, body: { error: "shopify_unavailable" } });
  });
});

const STALE =
  "Someone else changed these settings since you opened this page. Reload to see their " +
  "changes, then make yours again.";

describe("nothing invalid saved silently", () => {
  it("refuses returns on with no return address, at the field, with the form's other problems", async () => {
    const { getReturnPolicy } = await import("../services/returns/policy.server");
    const before = await getReturnPolicy(t.db, TEST_SHOP);
    const current = await loadPolicy();
    const refused = await send({ policy: { ...current, enabled: true, returnAddress: "   ", windowDays: 0 } });
    expect(refused.status).toBe(400);
    const problems = refused.body.problems as { path: string; message: string }[];
    expect(problems.map((p) => p.path).sort()).toEqual(["returnAddress", "windowDays"]);
    expect(problems.find((p) => p.path === "returnAddress")?.message).toBe(
      "Enter the address shoppers send returns to, or turn returns off",
    );
    expect(await getReturnPolicy(t.db, TEST_SHOP)).toEqual(before);
    // Returns off: no address needed.
    expect((await send({ policy: { ...current, enabled: false, returnAddress: "" } })).status).toBe(200);
    expect((await send({ policy: { ...current, enabled: true } })).status).toBe(200);
  });

  it("refuses a 5,000-character status label for the tracking page", async () => {
    const { validateTrackingSettings } = await import("../domain/tracking/settings");
    const result = validateTrackingSettings({ wording: { en: { in_transit: "x".repeat(5000) } } });
    expect(result.ok).toBe(false);
  });
});

describe("saving while others save", () => {
  const load = async () =>
    (
      await policyPage.loader({
        request: new Request("https://app.test/app/returns/policy"),
        params: {},
        context: {},
      } as never)
    ).json();
  const save = (page: { policy: Record<string, unknown>; version: string }, change: Record<string, unknown>) =>
    send({ policy: { ...page.policy, ...change }, version: page.version });
  const storedRow = () =>
    t.db.returnSettings.findUnique({ where: { shop: TEST_SHOP }, select: { settings: true, updatedAt: true } });

  const refusesWithASave =
    "refuses with 409 a save from a policy page opened before someone else saved the policy, and changes nothing";
  it(refusesWithASave, async () => {
    const ana = await load();
    const ben = await load();
    expect((await save(ana, { windowDays: 10 })).status).toBe(200);
    const before = await storedRow();
    const stale = await save(ben, { windowDays: 20, returnAddress: "Ben's address" });
    expect(stale).toEqual({
      status: 409,
      body: { ok: false, conflict: true, problems: [{ path: "", message: STALE }] },
    });
    expect(await storedRow()).toEqual(before);
    expect((await loadPolicy()).windowDays).toBe(10);
    // Told before being asked to fix anything: fixing a page that cannot be saved would be wasted work.
    expect(await save(ben, { windowDays: 0 })).toMatchObject({ status: 409, body: { conflict: true } });

    // Two people pressing Save at the same moment on pages that show the same policy: one is saved, the other is told.
    const now = await load();
    const both = await Promise.all([save(now, { windowDays: 11 }), save(now, { windowDays: 12 })]);
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await loadPolicy()).windowDays).toBe(both.find((a) => a.status === 200)!.body.policy.windowDays);
  });

  it("saves twice in a row from the same page", async () => {
    const page = await load();
    const first = await save(page, { windowDays: 40 });
    expect(first.status).toBe(200);
    expect(first.body.version).toEqual(expect.any(String));
    expect(first.body.version).not.toBe(page.version);
    expect(first.body.version).toBe((await load()).version);
    const second = await save({ policy: first.body.policy, version: first.body.version }, { windowDays: 41 });
    expect(second.status).toBe(200);
    expect((await loadPolicy()).windowDays).toBe(41);
  });
});

describe("a reason's photos", () => {
  it("are asked for by the merchant's choice, saved from the policy page, and the Returns block is told", async () => {
    const current: ReturnPolicy = await loadPolicy();
    const photosOf = async () =>
      Object.fromEntries(
        ((await lookup()).body as { reasons: { id: string; photos: boolean }[] }).reasons.map((r) => [r.id, r.photos]),
      );
    await send({ policy: { ...current, storefrontLookup: true } });
    // By default only "Damaged or defective" (Shopify's DEFECTIVE) asks for photos.
    expect(await photosOf()).toMatchObject({ defective: true, too_small: false, wrong_item: false });
    const reasons = current.reasons.map((r) =>
      r.id === "defective" ? { ...r, askPhotos: false } : r.id === "wrong_item" ? { ...r, askPhotos: true } : r,
    );
    const saved = await send({ policy: { ...current, storefrontLookup: true, reasons } });
    expect(saved.status).toBe(200);
    expect(await photosOf()).toMatchObject({ defective: false, too_small: false, wrong_item: true });
    const refused = await send({
      policy: { ...current, reasons: current.reasons.map((r) => ({ ...r, askPhotos: "yes" })) },
    });
    expect(refused.status).toBe(400);
    await send({ policy: current });
  });
});

describe("the storefront's order lookup", () => {
  const storefrontFlag = () =>
    world.sandbox
      .shop(TEST_SHOP)
      .appMetafields?.find((m) => m.namespace === "aftercare" && m.key === "returns_order_lookup");

  it("is saved from the policy page and published to the app-data metafield the Returns block reads", async () => {
    const current = await loadPolicy();
    const off = await send({ policy: { ...current, storefrontLookup: false } });
    expect(off).toMatchObject({ status: 200, body: { ok: true, policy: { storefrontLookup: false } } });
    expect(off.body.storefrontNotice).toBeUndefined();
    expect(storefrontFlag()).toMatchObject({ type: "boolean", value: "false" });
    expect((await lookup()).status).toBe(403);

    const on = await send({ policy: { ...current, storefrontLookup: true } });
    expect(on.status).toBe(200);
    expect(storefrontFlag()).toMatchObject({ type: "boolean", value: "true" });
    expect((await lookup()).status).toBe(200);
    expect(await send({ policy: { ...current, storefrontLookup: "yes" } })).toMatchObject({ status: 400 });
  });

  const unreachable = "is saved even when Shopify cannot be told, and the page says the block follows on the next save";
  it(unreachable, async () => {
    const current = await loadPolicy();
    const reachable = shopify.graphql;
    shopify.graphql = null;
    try {
      const saved = await send({ policy: { ...current, storefrontLookup: false } });
      expect(saved).toMatchObject({ status: 200, body: { ok: true, policy: { storefrontLookup: false } } });
      // Said as a locale key: the page words it in the admin's language.
      expect(saved.body.storefrontNotice).toEqual({ key: "policy.storefrontNotice" });
      // The proxy follows the saved policy at once; the block shows the lookup until Shopify is told.
      expect((await lookup()).status).toBe(403);
      expect(storefrontFlag()?.value).toBe("true");
    } finally {
      // eslint-disable-next-line require-atomic-updates -- the tests of this file run one at a time
      shopify.graphql = reachable;
    }
    expect((await send({ policy: { ...current, storefrontLookup: false } })).status).toBe(200);
    expect(storefrontFlag()?.value).toBe("false");
  });

  it("is off for a shop that never saved its policy, or saved it before the setting existed", async () => {
    const { getReturnPolicy } = await import("../services/returns/policy.server");
    expect((await getReturnPolicy(t.db, "never-saved.myshopify.com")).storefrontLookup).toBe(false);
    const stored = { ...(await loadPolicy()) };
    delete stored.storefrontLookup;
    await t.db.returnSettings.create({
      data: { shop: "saved-before.myshopify.com", settings: JSON.stringify(stored) },
    });
    expect((await getReturnPolicy(t.db, "saved-before.myshopify.com")).storefrontLookup).toBe(false);
  });
});
