/**
 * The returns Emails tab, called as Remix calls it with real Requests: the live preview, the 400s
 * for Liquid that cannot make an email (with nothing saved), saving the merchant's wording, and
 * that wording in the email a shopper really gets, captured by a real SMTP server. Only the
 * embedded-admin session check is stood in for; the database (SQLite or PostgreSQL), the
 * sandbox's Shopify and SMTP are real.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { processingWebhookFetch } from "../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../sandbox/engine/testing";
import { startCaptureSmtp } from "../../sandbox/smtp";
import { STANDARD_RETURN_EMAILS } from "../domain/returns/email-templates";
import { translator } from "../locales/admin";
import { problemText } from "../locales/admin/problems";

vi.mock("../shopify.server", () => ({
  authenticate: { admin: async () => ({ session: { shop: TEST_SHOP } }) },
}));

const secret = process.env.SHOPIFY_API_SECRET!;
const ja = translator("ja");
/** English words left in a Japanese message, once the merchant's own text is taken out. */
const englishIn = (text: string, quoted: string[]) =>
  quoted.reduce((t, q) => t.split(q).join(""), text).match(/[A-Za-z]{2,}/g) ?? [];
let t: TestDatabase;
let world: Awaited<ReturnType<typeof build>>;
let smtp: Awaited<ReturnType<typeof startCaptureSmtp>>;
interface Route {
  loader: (a: never) => Promise<Response>;
  action: (a: never) => Promise<Response>;
}
let emails: Route;
let policyPage: Route;

async function build() {
  const { adminClient } = await import("../shopify/admin.server");
  const fetch = processingWebhookFetch(t.db, secret);
  const { sandbox, tee } = testSandbox({ webhookFetch: fetch, apiSecret: secret });
  const grace = sandbox.createCustomer({
    shop: TEST_SHOP,
    email: "grace@example.com",
    firstName: "Grace",
    lastName: "Hopper",
  });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: grace,
    lines: [{ variantId: tee.variants[0].id, quantity: 2 }],
    paid: true,
  });
  const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z77" });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
  await sandbox.flush();
  return { sandbox, order, admin: adminClient(sandbox.graphqlClient(TEST_SHOP)) };
}

async function send(route: Route, path: string, body: unknown) {
  const request = new Request(`https://app.test${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  const response = await route.action({ request, params: {}, context: {} } as never);
  return { status: response.status, body: await response.json() };
}
const load = async (route: Route, path: string) =>
  (await route.loader({ request: new Request(`https://app.test${path}`), params: {}, context: {} } as never)).json();
const storedSettings = async () =>
  (await t.db.returnSettings.findUnique({ where: { shop: TEST_SHOP } }))?.settings ?? null;

/** A message body as sent: quoted-printable soft breaks joined and bytes decoded as UTF-8. */
const decoded = (raw: string) =>
  Buffer.from(
    raw.replace(/[=]\r?\n/g, "").replace(/[=]([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    "latin1",
  ).toString("utf8");

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  smtp = await startCaptureSmtp(0);
  world = await build();
  // Returns go to an address (the policy page refuses returns on without one).
  const { getReturnPolicy, saveReturnPolicy } = await import("../services/returns/policy.server");
  await saveReturnPolicy(t.db, TEST_SHOP, { ...(await getReturnPolicy(t.db, TEST_SHOP)), returnAddress: "1 Main St" });
  [emails, policyPage] = (await Promise.all([
    import("./app.returns.emails"),
    import("./app.returns.policy"),
  ])) as unknown as Route[];
});
afterAll(async () => {
  world?.sandbox.close();
  await smtp?.close();
  await t.drop();
});

describe("the preview", () => {
  it("renders the template being edited with example values, through the mailer's renderer", async () => {
    const { shopProfile } = await import("../models/shop.server");
    const shopName = (await shopProfile(t.db, TEST_SHOP)).name;
    const answer = await send(emails, "/app/returns/emails", {
      intent: "preview",
      language: "en",
      email: "requested",
      template: {
        subject: "Return {{ return_number }} at {{ shop_name }}",
        body: "Thanks, {{ customer_first_name }}!\n\n{% for item in items %}* {{ item.title }}\n{% endfor %}",
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, intent: "preview", subject: `Return 1001-R1 at ${shopName}` });
    expect(answer.body.html).toContain("Thanks, Alex!");
    expect(answer.body.html).toContain("* Linen shirt - M<br>* Canvas tote");
    expect(answer.body.html).toContain('<html lang="en" dir="ltr">');
  });

  it("answers 400 with the reason when the Liquid cannot make an email", async () => {
    const cases: [Record<string, string>, RegExp, RegExp, string[]][] = [
      [
        { subject: "Hi", body: "{% if items %}unclosed" },
        /^The Liquid of the message does not parse: \{% if items %\} is not closed: its end tag is missing \(line 1\)\.$/,
        /^本文のLiquidを解析できません: \{% if items %\} が閉じられていません。終了タグがありません（1行目）。$/,
        ["{% if items %}", "Liquid"],
      ],
      [
        { subject: "{{ return_number | shout }}", body: "Hi" },
        /subject does not parse: there is no filter “shout”/,
        /^件名のLiquidを解析できません: 「shout」というフィルターはありません（1行目）。$/,
        ["shout", "Liquid"],
      ],
      [
        { subject: "Hi", body: "{% include 'package.json' %}" },
        /cannot be used in an email/,
        /^本文のLiquidを解析できません: \{% include %\} はメールでは使用できません。$/,
        ["{% include %}", "Liquid"],
      ],
      [
        { subject: "{{ nothing }}", body: "Hi" },
        /^The email cannot be made from this template: the subject is empty once rendered/,
        /^このテンプレートからメールを作成できません: 表示すると件名が空になります。$/,
        [],
      ],
    ];
    for (const [template, message, japanese, quoted] of cases) {
      const answer = await send(emails, "/app/returns/emails", {
        intent: "preview",
        language: "en",
        email: "approved",
        template,
      });
      expect(answer.status, JSON.stringify(template)).toBe(400);
      expect(answer.body.problems[0].message).toMatch(message);
      // The admin in Japanese: the page words the same answer with no English left.
      const shown = problemText(ja, answer.body.problems[0]);
      expect(shown).toMatch(japanese);
      expect(englishIn(shown, quoted), shown).toEqual([]);
    }
    expect(
      (
        await send(emails, "/app/returns/emails", {
          intent: "preview",
          language: "de",
          email: "approved",
          template: { subject: "x", body: "y" },
        })
      ).status,
    ).toBe(400);
    expect((await send(emails, "/app/returns/emails", "{")).status).toBe(400);
  });
});

describe("saving", () => {
  it("refuses a template that cannot make an email with 400, and saves nothing at all", async () => {
    const before = await storedSettings();
    const good = { subject: "Fine {{ return_number }}", body: "Fine" };
    const bad: [Record<string, Record<string, { subject: string; body: string }>>, string, RegExp, RegExp][] = [
      [
        {
          en: { requested: good },
          ko: { approved: { subject: "승인", body: "{% for item in items %}{{ item.title }}" } },
        },
        "notifications.templates.ko.approved.body",
        /^Return approved in Korean \(한국어\), message: the Liquid does not parse \(\{% for item in items %\} is not closed/,
        /^韓国語\(한국어\)の返品承認の本文: Liquidを解析できません（\{% for item in items %\} が閉じられていません/,
      ],
      [
        { en: { declined: { subject: "{% render 'x' %}", body: "No" } } },
        "notifications.templates.en.declined.subject",
        /^Return declined in English, subject: the Liquid does not parse \(\{% render %\} cannot be used in an email/,
        /^英語の返品拒否の件名: Liquidを解析できません（\{% render %\} はメールでは使用できません）$/,
      ],
      [
        { en: { resolved: { subject: "  ", body: "Done" } } },
        "notifications.templates.en.resolved.subject",
        /^Return complete in English, subject: it is empty\. Write one, or reset the email to the standard wording\./,
        /^英語の返品完了の件名が空です。入力するか、標準の文面に戻してください。$/,
      ],
      [
        { en: { received: { subject: "{{ nothing }}", body: "Got them" } } },
        "notifications.templates.en.received",
        /the email cannot be made from this template \(the subject is empty once rendered\)/,
        /^英語の商品受領: このテンプレートからメールを作成できません（表示すると件名が空になります）$/,
      ],
      [
        { en: { shipped: good } },
        "notifications.templates.en.shipped",
        /There is no return email “shipped”/,
        /^「en」に返品メール「shipped」はありません。$/,
      ],
    ];
    for (const [templates, path, message, japanese] of bad) {
      const answer = await send(emails, "/app/returns/emails", {
        intent: "save",
        notifications: { enabled: true, templates },
      });
      expect(answer.status, path).toBe(400);
      expect(answer.body.ok).toBe(false);
      const found = answer.body.problems.find((p: { path: string }) => p.path === path);
      expect(found?.message, path).toMatch(message);
      const shown = problemText(ja, found);
      expect(shown, path).toMatch(japanese);
      expect(englishIn(shown, ["Liquid", "{% for item in items %}", "{% render %}", "en", "shipped"]), shown).toEqual(
        [],
      );
      expect(await storedSettings(), path).toBe(before);
    }
    expect(
      (await send(emails, "/app/returns/emails", { intent: "save", notifications: { enabled: "yes", templates: {} } }))
        .status,
    ).toBe(400);
    expect((await send(emails, "/app/returns/emails", { intent: "teleport" })).status).toBe(400);
    expect(await storedSettings()).toBe(before);
  });

  const savesTheMerchantsWording =
    "saves the merchant's wording, drops copies of the standard wording, and keeps the rest of the policy";
  it(savesTheMerchantsWording, async () => {
    const current = (await load(policyPage, "/app/returns/policy")).policy;
    expect((await send(policyPage, "/app/returns/policy", { policy: { ...current, windowDays: 21 } })).status).toBe(
      200,
    );
    const requested = {
      subject: "Return {{ return_number }} is on its way to {{ shop_name }}",
      body:
        "Thanks, {{ customer_first_name }}.\n\nYou are returning:\n" +
        "{% for item in items %}* {{ item.title }} (x{{ item.quantity }})\n{% endfor %}\n" +
        "Follow it here: {{ status_url }}",
    };
    const korean = {
      subject: "반품 {{ return_number }} 승인",
      body: "{{ customer_first_name }}님, 반품이 승인되었습니다.",
    };
    const answer = await send(emails, "/app/returns/emails", {
      intent: "save",
      notifications: {
        enabled: true,
        templates: {
          en: { requested },
          ko: { approved: korean },
          ja: { declined: STANDARD_RETURN_EMAILS.ja.declined },
        },
      },
    });
    expect(answer).toMatchObject({ status: 200, body: { ok: true, intent: "save" } });
    expect(answer.body.notifications.templates).toEqual({ en: { requested }, ko: { approved: korean } });
    const reloaded = await load(emails, "/app/returns/emails");
    expect(reloaded.notifications).toEqual({
      enabled: true,
      templates: { en: { requested }, ko: { approved: korean } },
    });
    expect((await load(policyPage, "/app/returns/policy")).policy.windowDays).toBe(21);
  });

  it("the policy page keeps the saved emails even when it sends an older copy of them", async () => {
    const current = (await load(policyPage, "/app/returns/policy")).policy;
    const answer = await send(policyPage, "/app/returns/policy", {
      policy: { ...current, windowDays: 30, notifications: { enabled: false, templates: {} } },
    });
    expect(answer.status).toBe(200);
    const stored = (await load(emails, "/app/returns/emails")).notifications;
    expect(stored.enabled).toBe(true);
    expect(Object.keys(stored.templates).sort()).toEqual(["en", "ko"]);
  });
});

describe("the email a shopper gets", () => {
  it("uses the merchant's saved wording, and the standard wording for emails they did not change", async () => {
    const { returnsLookup, createShopperReturn } = await import("../services/returns/storefront.server");
    const { approveReturn } = await import("../services/returns/workflow.server");
    const { deliverDueNotifications } = await import("../services/outbox.server");
    const { createMailer } = await import("../services/mailer.server");
    const { shopProfile } = await import("../models/shop.server");
    const deps = { db: t.db, secret, admin: async () => world.admin };
    const req = {
      shop: TEST_SHOP,
      clientIp: "203.0.113.8",
      loggedInCustomerId: null,
      params: new URLSearchParams({ order: world.order.name, email: "grace@example.com" }),
    };
    // The shopper finds the order by number and email: the merchant's lookup is on.
    const { getReturnPolicy, saveReturnPolicy } = await import("../services/returns/policy.server");
    await saveReturnPolicy(t.db, TEST_SHOP, { ...(await getReturnPolicy(t.db, TEST_SHOP)), storefrontLookup: true });
    const found = (await returnsLookup(req, deps)).body as { token: string; lines: { id: string }[] };
    const created = await createShopperReturn(
      { ...req, params: new URLSearchParams() },
      {
        token: found.token,
        key: "emails-test-0001",
        resolution: "refund",
        locale: "en",
        items: [{ lineItemId: found.lines[0].id, quantity: 1, reason: "too_small" }],
      },
      deps,
    );
    expect(created.status).toBe(201);
    const number = (created.body as { return: { number: string } }).return.number;
    const ret = await t.db.returnCase.findFirstOrThrow({ where: { shop: TEST_SHOP, number } });
    await approveReturn(TEST_SHOP, ret.id, { db: t.db, admin: world.admin, secret });

    const mailer = createMailer({
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: "Aftercare <notifications@aftercare.test>",
    });
    await deliverDueNotifications({ db: t.db, mailer, secret });
    const shopName = (await shopProfile(t.db, TEST_SHOP)).name;
    // Grace also got the tracking emails for her order; the return's are the ones naming it.
    const mine = smtp.mails.filter((m) => m.to.includes("grace@example.com") && m.subject.includes(number));
    expect(mine.map((m) => m.subject).sort()).toEqual(
      [`Return ${number} is on its way to ${shopName}`, `Your return ${number} is approved`].sort(),
    );
    const requested = decoded(mine.find((m) => m.subject.startsWith("Return "))!.raw);
    expect(requested).toContain("Thanks, Grace.");
    expect(requested).toContain("* Linen Tee (x1)");
    expect(requested).toMatch(/Follow it here: https:\/\/[^\s]+\/pages\/returns\?return=/);
    expect(requested).not.toContain("We received your request");
  });
});

const STALE =
  "Someone else changed these settings since you opened this page. Reload to see their changes, then make yours again.";

describe("saving while others save", () => {
  const policyPath = "/app/returns/policy";
  const emailsPath = "/app/returns/emails";
  const wording = (n: string) => ({
    subject: `Return {{ return_number }}: ${n}`,
    body: `Thanks, {{ customer_first_name }}. ${n}`,
  });
  const storedRow = () =>
    t.db.returnSettings.findUnique({ where: { shop: TEST_SHOP }, select: { settings: true, updatedAt: true } });
  /** The Emails page's save, as its form posts it: the emails shown with this fa wording, and the page's version. */
  const saveEmails = (
    page: { notifications: { enabled: boolean; templates: Record<string, unknown> }; version: string },
    fa: Record<string, unknown>,
  ) =>
    send(emails, emailsPath, {
      intent: "save",
      notifications: { ...page.notifications, templates: { ...page.notifications.templates, fa } },
      version: page.version,
    });
  const savePolicy = (page: { policy: Record<string, unknown>; version: string }, windowDays: number) =>
    send(policyPage, policyPath, { policy: { ...page.policy, windowDays }, version: page.version });

  const anEmailsSaveKeeps =
    "an Emails save keeps a policy change made after the Emails page was loaded, and one saved at the same moment";
  it(anEmailsSaveKeeps, async () => {
    const emailsPage = await load(emails, emailsPath);
    expect((await savePolicy(await load(policyPage, policyPath), 14)).status).toBe(200);
    const saved = await saveEmails(emailsPage, { declined: wording("one") });
    expect(saved.status).toBe(200);
    expect((await load(policyPage, policyPath)).policy.windowDays).toBe(14);

    // The Emails save renders every email before it writes; a policy saved meanwhile stays.
    const policyNow = await load(policyPage, policyPath);
    const both = await Promise.all([
      saveEmails(
        { notifications: saved.body.notifications, version: saved.body.version },
        { declined: wording("two") },
      ),
      savePolicy(policyNow, 15),
    ]);
    expect(both.map((a) => a.status)).toEqual([200, 200]);
    expect((await load(policyPage, policyPath)).policy.windowDays).toBe(15);
    expect((await load(emails, emailsPath)).notifications.templates.fa).toEqual({ declined: wording("two") });
  });

  const aPolicySaveKeeps =
    "a policy save keeps template edits made after the policy page was loaded, and ones saved at the same moment";
  it(aPolicySaveKeeps, async () => {
    const policyPageData = await load(policyPage, policyPath);
    const edited = await saveEmails(await load(emails, emailsPath), { requested: wording("three") });
    expect(edited.status).toBe(200);
    // The policy page still holds the emails as they were when it was loaded; they are not what is saved.
    const saved = await savePolicy(policyPageData, 16);
    expect(saved.status).toBe(200);
    expect(saved.body.policy.notifications.templates.fa).toEqual({ requested: wording("three") });
    expect((await load(emails, emailsPath)).notifications.templates.fa).toEqual({ requested: wording("three") });

    // A policy saved while an Emails save is being checked: each keeps the other's part.
    const emailsNow = await load(emails, emailsPath);
    const both = await Promise.all([
      saveEmails(emailsNow, { requested: wording("four") }),
      savePolicy({ policy: saved.body.policy, version: saved.body.version }, 17),
    ]);
    expect(both.map((a) => a.status)).toEqual([200, 200]);
    expect((await load(emails, emailsPath)).notifications.templates.fa).toEqual({ requested: wording("four") });
    expect((await load(policyPage, policyPath)).policy.windowDays).toBe(17);
  });

  const refusesWithASave =
    "refuses with 409 a save from an Emails page opened before someone else saved its emails, and changes nothing";
  it(refusesWithASave, async () => {
    const ana = await load(emails, emailsPath);
    const ben = await load(emails, emailsPath);
    expect((await saveEmails(ana, { approved: wording("Ana") })).status).toBe(200);
    const before = await storedRow();
    const stale = await saveEmails(ben, { approved: wording("Ben") });
    expect(stale).toEqual({
      status: 409,
      body: { ok: false, conflict: true, problems: [{ path: "", message: STALE }] },
    });
    expect(await storedRow()).toEqual(before);

    // Two people pressing Save at the same moment on pages that show the same emails: one is saved, the other is told.
    const now = await load(emails, emailsPath);
    const both = await Promise.all([
      saveEmails(now, { approved: wording("Cy") }),
      saveEmails(now, { approved: wording("Di") }),
    ]);
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = both.find((a) => a.status === 200)!;
    expect((await load(emails, emailsPath)).notifications).toEqual(winner.body.notifications);
  });

  it("saves twice in a row from the same Emails page", async () => {
    const page = await load(emails, emailsPath);
    const first = await saveEmails(page, { resolved: wording("first") });
    expect(first.status).toBe(200);
    expect(first.body.version).toEqual(expect.any(String));
    expect(first.body.version).not.toBe(page.version);
    expect(first.body.version).toBe((await load(emails, emailsPath)).version);
    const second = await saveEmails(
      { notifications: first.body.notifications, version: first.body.version },
      { resolved: wording("second") },
    );
    expect(second.status).toBe(200);
    expect((await load(emails, emailsPath)).notifications.templates.fa).toEqual({ resolved: wording("second") });
  });
});
