/**
 * The setup guide on the admin home through the real route modules with real Requests: the home
 * loader shows a new shop every step open; each step ticks from real state (a signed app proxy
 * request from each block, settings saved by the areas' own services, a finished history import,
 * a test email received by a real SMTP server); the one-click defaults save and tick; the guide
 * is dismissed and brought back; bad input is a 4xx with a message. Only the embedded-admin
 * session check is stood in for (as in app.sync.test.ts); proxy requests are signed as Shopify
 * signs them and verified by the Shopify library.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { proxyRequest } from "../../tests/helpers/app-proxy";
import { startCaptureSmtp } from "../../sandbox/smtp";
import type { SetupGuide } from "../services/setup-guide/guide.server";

const session = { shop: "setup-new.myshopify.com" };
vi.mock("../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../shopify.server")>();
  return {
    ...real,
    authenticate: { ...real.authenticate, admin: async () => ({ session: { shop: session.shop }, admin: {} }) },
  };
});

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
let t: TestDatabase;
let home: { loader: Handler; action: Handler };
const proxies: Record<string, { loader: Handler; action?: Handler }> = {};
let smtp: Awaited<ReturnType<typeof startCaptureSmtp>>;
let counter = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  home = (await import("./app._index")) as never;
  proxies.tracking = (await import("./proxy.tracking")) as never;
  proxies.returns = (await import("./proxy.returns")) as never;
  proxies.loyalty = (await import("./proxy.loyalty")) as never;
  proxies.contact = (await import("./proxy.contact")) as never;
  smtp = await startCaptureSmtp(0);
});
afterAll(async () => {
  await smtp.close();
  await t.drop();
});

/** Each test is a shop of its own, installed with an email address. */
beforeEach(async () => {
  session.shop = `setup-${++counter}.myshopify.com`;
  await t.db.shop.create({
    data: { domain: session.shop, name: "Setup Shop", email: "owner@setup.test", ianaTimezone: "Europe/Berlin" },
  });
});

const url = "https://app.test/app?index";

async function guide(): Promise<SetupGuide> {
  const response = await home.loader({ request: new Request(url), params: {}, context: {} });
  expect(response.status).toBe(200);
  return ((await response.json()) as { setup: SetupGuide }).setup;
}
const done = async () =>
  Object.fromEntries((await guide()).steps.map((s) => [s.id, s.done])) as Record<string, boolean>;

async function post(body: BodyInit, headers: Record<string, string> = {}) {
  const request = new Request(url, { method: "POST", body, headers });
  const response = await home.action({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as { ok: boolean; message: string } };
}
const intent = (name: string) => post(new URLSearchParams({ intent: name }));

/** A block's request as Shopify's app proxy forwards it; the answer (or the thrown Response) comes back. */
async function fromBlock(block: string, query: Record<string, string>, method = "GET", body?: string) {
  const signed = proxyRequest(block, query, { shop: session.shop });
  const request = method === "GET" ? signed : new Request(signed.url, { method, headers: signed.headers, body });
  const route = proxies[block];
  try {
    return await (method === "GET" ? route.loader : route.action!)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("the setup guide on the admin home", () => {
  it("greets a new shop with every step open, in order, each with its action", async () => {
    const setup = await guide();
    expect(setup).toMatchObject({ completed: 0, total: 9, dismissed: false, complete: false });
    expect(setup.steps.map((s) => [s.id, s.done])).toEqual([
      ["history", false],
      ["block-tracking", false],
      ["block-returns", false],
      ["block-loyalty", false],
      ["block-contact", false],
      ["return-policy", false],
      ["loyalty", false],
      ["business-hours", false],
      ["test-email", false],
    ]);
    expect(setup.steps[0].action).toEqual({ kind: "link", label: "Open Sync", url: "/app/sync", external: false });
    // Shopify's documented deep link: the theme editor with the app block added in a new Apps section.
    const apiKey = process.env.SHOPIFY_API_KEY!;
    const links = setup.steps.filter((s) => s.id.startsWith("block-")).map((s) => s.action);
    expect(links.map((a) => (a.kind === "link" ? a.url : null))).toEqual(
      ["order-tracking", "returns-portal", "loyalty-widget", "contact"].map(
        (handle) =>
          `https://${session.shop}/admin/themes/current/editor?template=page` +
          `&addAppBlockId=${apiKey}/${handle}&target=newAppsSection`,
      ),
    );
    for (const step of setup.steps.filter((s) => s.id.startsWith("block-"))) {
      expect(step.note).toMatch(/^Ticks once .*a shopper \(or you\)/);
    }
  });

  it("ticks each block once its own app proxy requests reach the app", async () => {
    expect((await fromBlock("contact", { locale: "en" })).status).toBe(200);
    expect(await done()).toMatchObject({ "block-contact": true, "block-loyalty": false, "block-tracking": false });

    // The program is still off (the block says so to the shopper), yet the block is on the storefront.
    expect((await fromBlock("loyalty", {})).status).toBe(403);
    expect(await done()).toMatchObject({ "block-loyalty": true, "block-returns": false });

    // A lookup that finds no order still shows the block at work.
    const returns = await fromBlock("returns", { order: "#9999", email: "nobody@example.com" });
    expect(returns.status).toBeLessThan(500);
    expect(await done()).toMatchObject({ "block-returns": true, "block-tracking": false });

    const tracking = await fromBlock("tracking", { order: "#9999", email: "nobody@example.com" });
    expect(tracking.status).toBeLessThan(500);
    const setup = await guide();
    expect(setup.steps.filter((s) => s.id.startsWith("block-")).every((s) => s.done)).toBe(true);
    expect(setup.completed).toBe(4);
  });

  it("does not count a request Shopify did not sign, or another shop's", async () => {
    const unsigned = proxyRequest("contact", {}, { shop: session.shop, unsigned: true });
    await expect(proxies.contact.loader({ request: unsigned, params: {}, context: {} })).rejects.toBeInstanceOf(
      Response,
    );
    const other = proxyRequest("contact", {}, { shop: "someone-else.myshopify.com" });
    expect((await proxies.contact.loader({ request: other, params: {}, context: {} })).status).toBe(200);
    expect((await done())["block-contact"]).toBe(false);
  });

  it("ticks the settings steps when each area saves its settings through its own page's service", async () => {
    const { saveReturnPolicyFields, getReturnPolicy } = await import("../services/returns/policy.server");
    const { saveLoyaltySettings, loadLoyaltySettings } = await import("../services/loyalty/settings.server");
    const { updateContactSettings } = await import("../services/contact/settings.server");
    const { getContactSettings } = await import("../models/contact.server");
    const shop = session.shop;

    const policy = await getReturnPolicy(t.db, shop);
    const saved = { ...policy, windowDays: 45, returnAddress: "1 Main St" };
    expect(await saveReturnPolicyFields(t.db, shop, saved, null)).toMatchObject({ ok: true });
    expect(await done()).toMatchObject({ "return-policy": true, loyalty: false, "business-hours": false });

    const loyalty = await loadLoyaltySettings(t.db, shop);
    expect(await saveLoyaltySettings(t.db, shop, { ...loyalty, enabled: true })).toMatchObject({ ok: true });
    expect(await done()).toMatchObject({ loyalty: true, "business-hours": false });

    const contact = await getContactSettings(t.db, shop);
    expect(await updateContactSettings(t.db, shop, contact)).toMatchObject({ ok: true });
    expect(await done()).toMatchObject({ "business-hours": true });
    // What the merchant saved stands: the one-click defaults no longer replace it.
    const again = await intent("setup.accept-return-policy");
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("already saved");
    expect((await getReturnPolicy(t.db, shop)).windowDays).toBe(45);
  });

  it("saves each area's default in one click, through that area's service, and ticks the step", async () => {
    const shop = session.shop;
    const returns = await intent("setup.accept-return-policy");
    expect(returns).toEqual({
      status: 200,
      body: {
        ok: true,
        message: "Return policy saved: returns within 30 days",
        // The same answer as a locale key, for the page to show in the admin's language.
        said: { key: "setup.done.returnPolicy", values: { days: 30 } },
      },
    });
    const loyalty = await intent("setup.accept-loyalty");
    expect(loyalty).toMatchObject({ status: 200, body: { ok: true, message: "Loyalty program turned on" } });
    const hours = await intent("setup.accept-business-hours");
    expect(hours.status).toBe(200);
    expect(await done()).toMatchObject({ "return-policy": true, loyalty: true, "business-hours": true });

    const { getReturnPolicy } = await import("../services/returns/policy.server");
    const { loadLoyaltySettings } = await import("../services/loyalty/settings.server");
    const { getContactSettings } = await import("../models/contact.server");
    expect(await getReturnPolicy(t.db, shop)).toMatchObject({ enabled: true, windowDays: 30 });
    expect(await loadLoyaltySettings(t.db, shop)).toMatchObject({ enabled: true, pointsPerUnit: 1 });
    expect((await getContactSettings(t.db, shop)).hours.weekly[1]).toEqual({ open: "09:00", close: "17:00" });
    // A second click changes nothing and says why.
    expect((await intent("setup.accept-loyalty")).status).toBe(409);
  });

  it("ticks the history step when the shop's import has finished, and says how one in progress stands", async () => {
    const { createImport, claimQueuedImport, updateImport, completeImport } =
      await import("../models/history-import.server");
    const shop = session.shop;
    const at = new Date("2026-11-02T10:00:00Z");
    const row = await createImport(t.db, shop, {
      trigger: "install",
      windowDays: 90,
      since: new Date("2026-08-04T10:00:00Z"),
      earnPoints: false,
      startedAt: at,
    });
    expect((await guide()).steps[0]).toMatchObject({ done: false, note: expect.stringContaining("queued") });
    await claimQueuedImport(t.db, shop, row.id);
    await updateImport(t.db, shop, row.id, { status: "applying", ordersTotal: 1200 });
    expect((await guide()).steps[0]).toMatchObject({ done: false, note: "Importing now: 0 of 1,200 orders." });
    await completeImport(t.db, shop, row.id, { linesApplied: 5000, ordersImported: 1200, finishedAt: at });
    expect((await guide()).steps[0]).toMatchObject({
      done: true,
      note: "Imported 1,200 orders from the last 90 days.",
    });
  });

  it("sends the Shipped email with sample data to the shop's address through the outbox, then ticks", async () => {
    const { deliverDueNotifications } = await import("../services/outbox.server");
    const { createMailer } = await import("../services/mailer.server");
    const sent = await intent("setup.send-test-email");
    expect(sent).toMatchObject({
      status: 200,
      body: { ok: true, message: "Test email on its way to owner@setup.test" },
    });
    // In the outbox, not sent yet: the step is still open and says so.
    expect((await guide()).steps[8]).toMatchObject({ done: false, note: expect.stringContaining("On its way") });

    const mailer = createMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from: "Aftercare <n@aftercare.test>" });
    try {
      const report = await deliverDueNotifications({ db: t.db, mailer, secret: process.env.SHOPIFY_API_SECRET! });
      expect(report.sent).toBeGreaterThanOrEqual(1);
    } finally {
      mailer.close();
    }
    const mail = smtp.mails.find((m) => m.to.includes("owner@setup.test"));
    expect(mail).toBeDefined();
    expect(mail!.subject).toMatch(/^\[Test\] /);
    expect(mail!.text).toContain("#1001 (example)");
    expect((await guide()).steps[8]).toMatchObject({ done: true, note: "Sent to owner@setup.test. Check your inbox." });
  });

  it("refuses a test email when the shop has no address, with what to do", async () => {
    await t.db.shop.update({ where: { domain: session.shop }, data: { email: null } });
    const refused = await intent("setup.send-test-email");
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("no email address");
  });

  it("is dismissed and brought back", async () => {
    expect(await intent("setup.dismiss")).toMatchObject({
      status: 200,
      body: { ok: true, message: "Setup guide hidden" },
    });
    expect(await guide()).toMatchObject({ dismissed: true, complete: false });
    expect((await intent("setup.show")).status).toBe(200);
    expect(await guide()).toMatchObject({ dismissed: false });
  });

  it.each([
    ["an unknown step", new URLSearchParams({ intent: "setup.delete-everything" }), {}],
    ["no intent", new URLSearchParams({}), {}],
    ["a body that is not a form", "{{{", { "content-type": "multipart/form-data; boundary=x" }],
  ])("answers %s with a 400 and a message", async (_what, body, headers) => {
    const { status, body: answer } = await post(body, headers);
    expect(status).toBe(400);
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/Reload the page and try again/);
  });

  it("is complete, and no longer shown, once every step is done", async () => {
    for (const name of ["setup.accept-return-policy", "setup.accept-loyalty", "setup.accept-business-hours"]) {
      expect((await intent(name)).status).toBe(200);
    }
    for (const block of ["contact", "loyalty"]) expect((await fromBlock(block, {})).status).toBe(200);
    for (const block of ["returns", "tracking"]) await fromBlock(block, { order: "#1", email: "a@b.co" });
    const { createImport, completeImport } = await import("../models/history-import.server");
    const at = new Date("2026-11-02T10:00:00Z");
    const row = await createImport(t.db, session.shop, {
      trigger: "install",
      windowDays: 90,
      since: at,
      earnPoints: false,
      startedAt: at,
    });
    await completeImport(t.db, session.shop, row.id, { linesApplied: 0, ordersImported: 0, finishedAt: at });
    expect(await guide()).toMatchObject({ completed: 8, complete: false });
    const { enqueueNotification, markNotification } = await import("../models/outbox.server");
    const { id } = await enqueueNotification(t.db, {
      shop: session.shop,
      kind: "setup_test",
      subjectId: session.shop,
      milestone: "test-earlier",
      recipient: "owner@setup.test",
      locale: "en",
      subject: "[Test]",
      bodyHtml: "<p>x</p>",
      bodyText: "x",
    });
    await markNotification(t.db, id, { status: "sent", providerMessageId: "m1", at });
    expect(await guide()).toMatchObject({ completed: 9, total: 9, complete: true });
  });
});
