/**
 * The Sync page's "Order history" card through the real route module with real Requests: the
 * loader shows the latest import (progress, counts, result), the action imports again for a chosen
 * window, refuses bad input with a 400 and a second import while one runs with a 409, and retries
 * a failed import. Only the embedded-admin session check is stood in for (as in app.returns.test.ts);
 * the database and Shopify (the in-process sandbox) are real.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { AppProvider } from "@shopify/polaris";

import type { GraphqlFn } from "../shopify/admin.server";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";
import { processingWebhookFetch } from "../../tests/helpers/webhooks";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { translator, type Said } from "../locales/admin";

/** The Sync page with `data` as its loader's, inside a frame that opened in Japanese. */
async function renderInJapanese(data: unknown): Promise<string> {
  const { default: SyncPage } = await import("./app.sync");
  const Stub = createRemixStub([
    {
      id: "routes/app",
      path: "/app",
      Component: () => createElement(Outlet),
      children: [{ id: "routes/app.sync", index: true, Component: SyncPage }],
    },
  ]);
  return renderToString(
    createElement(
      AppProvider,
      { i18n: {} },
      createElement(Stub, {
        initialEntries: ["/app"],
        hydrationData: {
          loaderData: { "routes/app": { locale: "ja", timeZone: "Asia/Tokyo" }, "routes/app.sync": data },
        },
      }),
    ),
  );
}

const session = { shop: TEST_SHOP, graphql: null as unknown as GraphqlFn };
vi.mock("../shopify.server", () => ({
  authenticate: { admin: async () => ({ session: { shop: session.shop }, admin: { graphql: session.graphql } }) },
}));

const secret = process.env.SHOPIFY_API_SECRET!;
let t: TestDatabase;
let world: ReturnType<typeof testSandbox>;
type Handler = (a: never) => Promise<Response>;
let loader: Handler;
const outage = { on: false };
let action: Handler;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  world = testSandbox({ webhookFetch: processingWebhookFetch(t.db, secret), apiSecret: secret });
  world.sandbox.webhooks.hold();
  for (let i = 0; i < 4; i++) {
    world.sandbox.placeOrder({
      shop: TEST_SHOP,
      email: `past${i}@example.com`,
      lines: [{ variantId: world.mug.variants[0].id, quantity: 1 }],
      paid: true,
    });
  }
  const real = world.sandbox.graphqlClient(TEST_SHOP);
  // Shopify refuses to start bulk queries while `outage` is set.
  session.graphql = async (query, options) =>
    outage.on && query.includes("bulkOperationRunQuery")
      ? new Response(JSON.stringify({ errors: [{ message: "Shopify is down for maintenance" }] }))
      : real(query, options);
  await t.db.shop.create({ data: { domain: TEST_SHOP, currencyCode: "USD", ianaTimezone: "America/Toronto" } });
  const route = await import("./app.sync");
  loader = route.loader as never;
  action = route.action as never;
});
afterAll(async () => {
  world.sandbox.close();
  await t.drop();
});

const url = "https://app.test/app/sync";
const post = async (fields: Record<string, string>) => {
  const response = await action({
    request: new Request(url, { method: "POST", body: new URLSearchParams(fields) }),
    params: {},
    context: {},
  } as never);
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; message: string; said: Said; detail?: string | null },
  };
};
/** What the page shows an admin in Japanese for an action's answer: its words, then any detail line. */
const inJapanese = (body: { said: Said; detail?: string | null }) => {
  const t = translator("ja");
  return [t(body.said.key, body.said.values), ...(body.detail ? [t("sync.detail", { detail: body.detail })] : [])];
};
const english = (text: string) => text.match(/[A-Za-z]{2,}/g) ?? [];
const card = async () => {
  const response = await loader({ request: new Request(url), params: {}, context: {} } as never);
  expect(response.status).toBe(200);
  return ((await response.json()) as { history: { latest: Record<string, unknown> | null; finished: string | null } })
    .history;
};

/** What the finish webhook's job does, here awaited. */
async function finishImport() {
  const { advanceHistoryImport } = await import("../services/history-import/import.server");
  const { latestImport } = await import("../models/history-import.server");
  await world.sandbox.bulk.settle();
  const row = (await latestImport(t.db, TEST_SHOP))!;
  const deps = {
    db: t.db,
    graphql: session.graphql,
    fetchResult: async (u: string) => world.sandbox.fetchBulkResult(u),
  };
  return advanceHistoryImport(deps, TEST_SHOP, row.id);
}

describe("the Sync page's Order history card", () => {
  it("shows no import before there is one, with the default window and points off", async () => {
    const history = await card();
    expect(history.latest).toBeNull();
    // The page speaks the admin's language, as Shopify's admin passes it.
    for (const [query, locale] of [
      ["?locale=fa", "fa"],
      ["?locale=ja-JP", "ja"],
      ["", "en"],
    ]) {
      const page = await loader({ request: new Request(`${url}${query}`), params: {}, context: {} } as never);
      expect(((await page.json()) as { locale: string }).locale).toBe(locale);
    }
    expect(history).toMatchObject({ settings: { windowDays: 90, pastOrdersEarnPoints: false } });
  });

  it.each([
    [{ intent: "import", windowDays: "45" }, "Choose how far back"],
    [{ intent: "import", windowDays: "ninety" }, "Choose how far back"],
    [{ intent: "import" }, "Choose how far back"],
    [{ intent: "import", windowDays: "90", earnPoints: "maybe" }, "either on or off"],
  ])("refuses %o with a 400 and says why", async (fields, message) => {
    const { status, body } = await post(fields);
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false });
    expect(body.message).toContain(message);
    // The page says it in the admin's language.
    expect(body).toMatchObject({ said: { key: "sync.toast.importInvalid" } });
    const [words] = inJapanese(body);
    expect(english(words), words).toEqual([]);
    expect((await card()).latest).toBeNull();
  });

  it("imports again for a longer window, shows progress, then the result", async () => {
    const { status, body } = await post({ intent: "import", windowDays: "365", earnPoints: "on" });
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      message: "Importing the last 365 days of orders",
      said: { key: "sync.toast.importing", values: { count: 365 } },
    });
    const during = await card();
    expect(during.latest).toMatchObject({ status: "running", windowDays: 365, earnPoints: true, trigger: "merchant" });
    expect(during).toMatchObject({ settings: { windowDays: 365, pastOrdersEarnPoints: true } });
    // A second one while it runs is refused.
    expect(await post({ intent: "import", windowDays: "30" })).toMatchObject({ status: 409 });

    expect(await finishImport()).toBe("completed");
    const after = await card();
    expect(after.latest).toMatchObject({ status: "completed", total: 4, done: 4, percent: 100, error: null });
    // An instant: the page writes it in the admin's language and the shop's zone.
    expect(after.finished).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("shows a failure and retries it", async () => {
    expect(await post({ intent: "import-retry" })).toMatchObject({ status: 409 });
    outage.on = true;
    const failed = await post({ intent: "import", windowDays: "30" });
    expect(failed.status).toBe(409);
    expect(failed.body.message).toContain("Shopify is down for maintenance");
    // The admin in Japanese reads our sentence; Shopify's English only as the detail line under it.
    const [sentence, detail] = inJapanese(failed.body);
    expect(sentence).toBe("インポートを開始できませんでした。");
    expect(detail).toMatch(/^詳細（原文）: .*Shopify is down for maintenance/);
    expect((await card()).latest).toMatchObject({ status: "failed", windowDays: 30 });
    // The page in Japanese: the stopped import's card says our sentence, Shopify's English only in the detail line.
    const page = await loader({ request: new Request(url), params: {}, context: {} } as never);
    const html = (await renderInJapanese(await page.json())).replace(/<[^>]+>/g, "\n");
    expect(html).toContain("Shopifyでインポートが完了しませんでした。");
    expect(html).not.toContain("Shopify did not finish the import");
    const lines = html.split("\n").filter((l) => l.includes("Shopify is down for maintenance"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^詳細（原文）: /);

    outage.on = false;
    const retried = await post({ intent: "import-retry" });
    expect(retried).toMatchObject({ status: 200, body: { ok: true } });
    expect((await card()).latest).toMatchObject({ status: "running", trigger: "retry", windowDays: 30 });
    expect(await finishImport()).toBe("completed");
    expect((await card()).latest).toMatchObject({ status: "completed", done: 4 });
  });
});

describe("the Sync page's check for missed updates", () => {
  interface Check {
    running: boolean;
    finished: string | null;
    found: { orders: number };
    ordersSeen: number;
  }
  const check = async () => {
    const response = await loader({ request: new Request(url), params: {}, context: {} } as never);
    return ((await response.json()) as { reconciliation: Check }).reconciliation;
  };
  async function checkEnded() {
    for (let i = 0; i < 200; i++) {
      const state = await check();
      if (!state.running && state.finished) return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the check did not end");
  }

  it("checks Shopify now, shows what the webhooks missed, and refuses a second check while one runs", async () => {
    expect(await check()).toMatchObject({ running: false, finished: null });
    // An order whose webhooks never reach the app (the sandbox holds them).
    world.sandbox.placeOrder({
      shop: TEST_SHOP,
      email: "missed@example.com",
      lines: [{ variantId: world.mug.variants[0].id, quantity: 2 }],
      paid: true,
    });
    const started = await post({ intent: "reconcile" });
    expect(started).toMatchObject({ status: 202, body: { ok: true } });
    const again = await post({ intent: "reconcile" });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("already running");
    const [busy] = inJapanese(again.body);
    expect(busy).toMatch(/^[^A-Za-z]+$/);
    for (const [fields, status] of [
      [{ intent: "retry" }, 400],
      [{ intent: "retry", id: "gone" }, 404],
      [{ intent: "retry-delivery", id: "gone" }, 404],
      [{ intent: "teleport" }, 400],
    ] as const) {
      const refused = await post(fields);
      expect(refused.status, JSON.stringify(fields)).toBe(status);
      const [words] = inJapanese(refused.body);
      expect(english(words), words).toEqual([]);
    }

    const ended = await checkEnded();
    expect(ended.found.orders).toBe(1);
    expect(ended.ordersSeen).toBeGreaterThanOrEqual(5);
    expect(await t.db.order.count({ where: { shop: TEST_SHOP, email: "missed@example.com" } })).toBe(1);
  });
});
