/**
 * The Klaviyo settings page and the Sync page's deliveries through the real route modules with
 * real Requests: connecting checks the key with the sandbox's Klaviyo stand-in and never shows
 * the key again; bad input is a 4xx with the admin's words and saves nothing; what was sent and
 * what failed are paged by keyset; Retry puts a parked delivery back once. Only the embedded
 * admin's session check is stood in for.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { startKlaviyoStandIn } from "../../tests/helpers/klaviyo";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";
import { KLAVIYO_DEMO_KEY } from "../../sandbox/klaviyo";
import type { GraphqlFn } from "../shopify/admin.server";

const session = { shop: TEST_SHOP, graphql: null as unknown as GraphqlFn };
vi.mock("../shopify.server", () => ({
  authenticate: { admin: async () => ({ session: { shop: session.shop }, admin: { graphql: session.graphql } }) },
}));

type Handler = (a: never) => Promise<Response>;
let t: TestDatabase;
let klaviyo: Awaited<ReturnType<typeof startKlaviyoStandIn>>;
let world: ReturnType<typeof testSandbox>;
const routes: Record<string, { loader: Handler; action: Handler }> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  klaviyo = await startKlaviyoStandIn();
  process.env.DATABASE_URL = t.url;
  process.env.KLAVIYO_API_URL = klaviyo.url;
  world = testSandbox({ apiSecret: process.env.SHOPIFY_API_SECRET! });
  session.graphql = world.sandbox.graphqlClient(TEST_SHOP);
  await t.db.shop.create({ data: { domain: TEST_SHOP, currencyCode: "USD", name: "Sandbox Test" } });
  for (const name of ["klaviyo", "sync"]) {
    const route = await import(`./app.${name}.tsx`);
    routes[name] = { loader: route.loader as never, action: route.action as never };
  }
});
afterAll(async () => {
  world.sandbox.close();
  await klaviyo.close();
  await t.drop();
});

async function post(page: string, fields: [string, string][]) {
  const body = new URLSearchParams(fields);
  const response = await routes[page].action({
    request: new Request(`https://app.test/app/${page}`, { method: "POST", body }),
    params: {},
    context: {},
  } as never);
  return { status: response.status, body: (await response.json()) as { ok: boolean; said?: { key: string } } };
}
async function load<T>(page: string, query = ""): Promise<T> {
  const response = await routes[page].loader({
    request: new Request(`https://app.test/app/${page}${query}`),
    params: {},
    context: {},
  } as never);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface KlaviyoPage {
  settings: { connected: boolean; keyLast4: string | null; accountName: string | null; events: string[] };
  sent: { rows: { type: string }[]; next: string | null; previous: string | null };
}
interface SyncPage {
  deliveries: {
    destinations: { destination: string; sent: number; failing: number; parked: number }[];
    failures: { rows: { id: string; destination: string; error: string }[]; next: string | null };
  };
}

async function contactRequests(n: number, at: Date, who: string) {
  const { createRequest } = await import("../services/contact/requests.server");
  for (let i = 0; i < n; i++)
    await createRequest(t.db, {
      shop: TEST_SHOP,
      message: {
        name: "Ana",
        email: `${who}${i}@example.com`,
        orderName: null,
        topic: "other",
        message: "Hello there",
      },
      locale: "en",
      customerShopifyId: null,
      now: new Date(at.getTime() + i * 1000),
    });
}

async function deliver(now: Date) {
  const { deliverDueEvents } = await import("../services/events/deliver.server");
  const { klaviyoDestination } = await import("../services/klaviyo/destination.server");
  const { klaviyoApi } = await import("../services/klaviyo/client.server");
  const { flowDestination } = await import("../services/events/flow.server");
  return deliverDueEvents({
    db: t.db,
    destinations: [
      flowDestination(async () => world.sandbox.graphqlClient(TEST_SHOP)),
      klaviyoDestination({ db: t.db, api: klaviyoApi(klaviyo.url) }),
    ],
    now,
    limit: 500,
  });
}

describe("the Klaviyo page", () => {
  it("connects with a key Klaviyo accepts, refuses others in the admin's words, never shows the key", async () => {
    expect((await load<KlaviyoPage>("klaviyo")).settings.connected).toBe(false);
    expect(
      await post("klaviyo", [
        ["intent", "connect"],
        ["apiKey", "hello"],
      ]),
    ).toMatchObject({
      status: 400,
      body: { ok: false, said: { key: "klaviyo.error.keyShape" } },
    });
    expect(
      await post("klaviyo", [
        ["intent", "connect"],
        ["apiKey", "pk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
      ]),
    ).toMatchObject({ status: 422, body: { said: { key: "klaviyo.error.keyRefused" } } });
    expect(await post("klaviyo", [["intent", "what"]])).toMatchObject({ status: 400 });
    const garbled = await routes.klaviyo.action({
      request: new Request("https://app.test/app/klaviyo", {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body: "not a form",
      }),
      params: {},
      context: {},
    } as never);
    expect(garbled.status).toBe(400);
    expect((await load<KlaviyoPage>("klaviyo")).settings.connected).toBe(false);

    expect(
      await post("klaviyo", [
        ["intent", "connect"],
        ["apiKey", KLAVIYO_DEMO_KEY],
      ]),
    ).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    const page = await load<KlaviyoPage>("klaviyo");
    expect(page.settings).toMatchObject({
      connected: true,
      keyLast4: KLAVIYO_DEMO_KEY.slice(-4),
      accountName: "Sandbox Klaviyo account",
    });
    expect(JSON.stringify(page)).not.toContain(KLAVIYO_DEMO_KEY);
  });

  it("saves the events chosen and who sends their messages, refusing a message for an event not sent", async () => {
    expect(
      await post("klaviyo", [
        ["intent", "events"],
        ["klaviyoSends", "shipment.delayed"],
      ]),
    ).toMatchObject({ status: 422, body: { said: { key: "klaviyo.error.sendsUnsent" } } });
    expect(
      await post("klaviyo", [
        ["intent", "events"],
        ["events", "contact.request_created"],
        ["events", "shipment.delayed"],
        ["klaviyoSends", "shipment.delayed"],
      ]),
    ).toMatchObject({ status: 200, body: { ok: true } });
    expect((await load<KlaviyoPage>("klaviyo")).settings.events).toEqual([
      "shipment.delayed",
      "contact.request_created",
    ]);
  });

  it("lists what was sent, the Sync page what failed, a page at a time; Retry sends a parked one once", async () => {
    const at = new Date("2026-06-01T12:00:00Z");
    await contactRequests(30, at, "ana");
    await deliver(new Date(at.getTime() + 60_000));
    const sent = await load<KlaviyoPage>("klaviyo");
    expect(sent.sent.rows).toHaveLength(25);
    expect(sent.sent.rows[0].type).toBe("contact.request_created");
    const rest = await load<KlaviyoPage>("klaviyo", `?after=${sent.sent.next}`);
    expect(rest.sent.rows).toHaveLength(5);
    expect(rest.sent.next).toBeNull();

    // Klaviyo refuses the next 25 for good (a revoked key): parked at once; Flow takes them.
    klaviyo.standIn.failNext(25, 403);
    const later = new Date(at.getTime() + 3_600_000);
    await contactRequests(25, later, "bo");
    await deliver(new Date(later.getTime() + 60_000));
    const sync = await load<SyncPage>("sync");
    const byDestination = Object.fromEntries(sync.deliveries.destinations.map((d) => [d.destination, d]));
    expect(byDestination.klaviyo).toMatchObject({ sent: 30, failing: 0, parked: 25 });
    expect(byDestination.flow).toMatchObject({ sent: 55, parked: 0 });
    expect(sync.deliveries.failures.rows).toHaveLength(20);
    expect(sync.deliveries.failures.rows[0]).toMatchObject({
      destination: "klaviyo",
      error: expect.stringMatching(/403/),
    });
    const second = await load<SyncPage>("sync", `?deliveriesAfter=${sync.deliveries.failures.next}`);
    expect(second.deliveries.failures.rows).toHaveLength(5);
    const ids = new Set([...sync.deliveries.failures.rows, ...second.deliveries.failures.rows].map((r) => r.id));
    expect(ids.size).toBe(25);

    const one = sync.deliveries.failures.rows[0].id;
    expect(
      await post("sync", [
        ["intent", "retry-delivery"],
        ["id", one],
      ]),
    ).toMatchObject({ status: 200 });
    expect(
      await post("sync", [
        ["intent", "retry-delivery"],
        ["id", one],
      ]),
    ).toMatchObject({ status: 404 });
    expect(
      await post("sync", [
        ["intent", "retry-delivery"],
        ["id", ""],
      ]),
    ).toMatchObject({ status: 404 });
    const before = klaviyo.standIn.events().length;
    // The route puts it back due now (its own clock).
    await deliver(new Date(Date.now() + 60_000));
    expect(klaviyo.standIn.events().length).toBe(before + 1);
    const after = await load<SyncPage>("sync");
    expect(after.deliveries.destinations.find((d) => d.destination === "klaviyo")).toMatchObject({
      sent: 31,
      parked: 24,
    });
  });
});
