import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { startCaptureSmtp } from "../../../sandbox/smtp";
import { createMailer, type Mailer } from "../mailer.server";
import { deliverDueNotifications } from "../outbox.server";
import { suppressEmail } from "../../models/outbox.server";
import { redactCustomer } from "../compliance.server";

import { balanceOf, postEntry } from "./ledger.server";
import { memberForCustomer, memberForGuestEmail } from "./members.server";
import { saveLoyaltySettings } from "./settings.server";
import { earnForPaidOrder } from "./earning.server";
import { runLoyaltyMaintenance } from "./maintenance.server";
import { registerLoyalty } from "./register.server";

const secret = process.env.SHOPIFY_API_SECRET!;
const SHOP = "maple-and-co.myshopify.com";
const DAY = 86_400_000;
/** The controlled clock: day 0 is 4 January 2027, 15:00 UTC (midnight of the 5th in Seoul). */
const T0 = Date.parse("2027-01-04T15:00:00.000Z");
const at = (days: number, hours = 0) => new Date(T0 + days * DAY + hours * 3_600_000);

const EXPIRING = { enabled: true, pendingDays: 0, expiryDays: 90, expiryReminderDays: 14 };
const TIERS = [
  { key: "silver", name: "Silver", thresholdMinor: 10_000, multiplier: 1 },
  { key: "gold", name: "Gold", thresholdMinor: 50_000, multiplier: 1 },
];

let t: TestDatabase;
const opened: TestDatabase[] = [];
let smtp: Awaited<ReturnType<typeof startCaptureSmtp>>;
let mailer: Mailer;

beforeAll(async () => {
  registerLoyalty();
  smtp = await startCaptureSmtp(0);
  mailer = createMailer({ url: `smtp://127.0.0.1:${smtp.port}`, from: "Aftercare <notifications@aftercare.test>" });
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  for (const d of opened) await d.drop();
});

/** Every test gets its own database, since a run covers every shop in it. */
async function freshShop(
  settings: object,
  shop: { domain?: string; timeZone?: string; uninstalledAt?: Date } = {},
  keep = false,
) {
  if (!keep) {
    t = await createTestDatabase();
    opened.push(t);
  }
  const domain = shop.domain ?? SHOP;
  await t.db.shop.create({
    data: {
      domain,
      name: "Maple & Co",
      currencyCode: "USD",
      ianaTimezone: shop.timeZone ?? "UTC",
      uninstalledAt: shop.uninstalledAt ?? null,
    },
  });
  const saved = await saveLoyaltySettings(t.db, domain, settings);
  expect(saved.ok).toBe(true);
}

let customers = 0;
let sources = 0;
async function newMember(shop = SHOP) {
  customers++;
  const member = await memberForCustomer(
    t.db,
    shop,
    `gid://shopify/Customer/${700_000 + customers}`,
    `member${customers}@example.com`,
  );
  return { id: member.id, email: member.email!, customerGid: member.customerShopifyId! };
}

/** Points booked at `when` (activity then), spendable from `unlockAt`. */
async function earn(memberId: string, points: number, when: Date, unlockAt = when, shop = SHOP) {
  const r = await postEntry(
    t.db,
    shop,
    memberId,
    { sourceKey: `order:test-${++sources}`, kind: "earn_order", points, availableAt: unlockAt },
    { now: when },
  );
  expect(r.status).toBe("posted");
}

const run = (when: Date) => runLoyaltyMaintenance(t.db, { now: when, secret });

/** The invariant for every member in the database: points = the ledger's sum, never negative. */
async function expectConsistent() {
  const members = await t.db.loyaltyMember.findMany({ select: { id: true, points: true } });
  const sums = await t.db.loyaltyLedgerEntry.groupBy({ by: ["memberId"], _sum: { points: true } });
  const sumOf = new Map(sums.map((s) => [s.memberId, s._sum.points ?? 0]));
  for (const m of members) {
    expect(m.points).toBe(sumOf.get(m.id) ?? 0);
    expect(m.points).toBeGreaterThanOrEqual(0);
  }
}

const balance = async (memberId: string, when: Date) => balanceOf(t.db, SHOP, memberId, when);
const entries = (memberId: string, kind: string) =>
  t.db.loyaltyLedgerEntry.findMany({
    where: { memberId, kind },
    orderBy: { createdAt: "asc" },
    select: { points: true, availableAt: true, sourceKey: true },
  });
const remindersTo = (email: string) =>
  t.db.notification.findMany({
    where: { shop: SHOP, kind: "loyalty", recipient: email },
    orderBy: { createdAt: "asc" },
  });

describe("expiry reminders", () => {
  it(
    "are queued once per stretch of inactivity, go out through the outbox over SMTP, and not " +
      "to unsubscribed or redacted members",
    async () => {
      await freshShop(EXPIRING, { timeZone: "Asia/Seoul" });
      const ana = await newMember();
      const ben = await newMember();
      const cy = await newMember();
      const dee = await newMember();
      for (const m of [ana, ben, cy, dee]) await earn(m.id, 120, at(0));
      await suppressEmail(t.db, SHOP, ben.email, "loyalty");
      await redactCustomer(
        t.db,
        SHOP,
        { customerShopifyId: cy.customerGid, email: cy.email, orderShopifyIds: [] },
        at(1),
      );
      // Dee has spent all she had: nothing to lose, nothing to say.
      expect(
        (
          await postEntry(
            t.db,
            SHOP,
            dee.id,
            { sourceKey: "redeem:dee", kind: "redeem", points: -120, availableAt: at(2) },
            { now: at(2) },
          )
        ).status,
      ).toBe("posted");

      // Expiry 90 days after the last activity (day 0 for Ana); the reminder 14 days before: day 76.
      expect(await run(at(75, 23))).toEqual({ reminded: 0, expired: 0, birthdays: 0, tiers: 0 });
      expect(await run(at(76))).toEqual({ reminded: 1, expired: 0, birthdays: 0, tiers: 0 });
      expect(await run(at(76, 6))).toEqual({ reminded: 0, expired: 0, birthdays: 0, tiers: 0 });
      expect(await run(at(80))).toEqual({ reminded: 0, expired: 0, birthdays: 0, tiers: 0 });
      expect(await t.db.notification.count()).toBe(1);
      const [queued] = await remindersTo(ana.email);
      // Day 90 is 4 April 2027 at 15:00 UTC: the 5th in the shop's time zone.
      expect(queued).toMatchObject({
        subjectId: ana.id,
        milestone: `expiry-reminder:${at(0).toISOString()}`,
        subject: "Your 120 points at Maple & Co expire on 2027-04-05",
        status: "pending",
      });
      expect(queued.bodyText).toContain(
        "You have 120 points waiting at Maple & Co. They expire on 2027-04-05 unless you place " +
          "an order or redeem a reward before then.",
      );
      expect(await remindersTo(ben.email)).toEqual([]);
      expect(await t.db.notification.count({ where: { subjectId: { in: [cy.id, dee.id] } } })).toBe(0);

      expect(await deliverDueNotifications({ db: t.db, mailer, secret, now: at(80) })).toMatchObject({
        sent: 1,
        suppressed: 0,
        failed: 0,
        retrying: 0,
      });
      expect(await deliverDueNotifications({ db: t.db, mailer, secret, now: at(80, 1) })).toMatchObject({ sent: 0 });
      const mails = smtp.mails.filter((m) => m.to.some((to) => [ana.email, ben.email, dee.email].includes(to)));
      expect(mails.map((m) => ({ to: m.to, subject: m.subject }))).toEqual([
        { to: [ana.email], subject: "Your 120 points at Maple & Co expire on 2027-04-05" },
      ]);
      expect(mails[0].raw.replace(/\r?\n[ \t]+/g, " ")).toMatch(
        /^List-Unsubscribe: <https:\/\/maple-and-co\.myshopify\.com\/apps\/aftercare\/unsubscribe\?token=/m,
      );

      // Activity resets the clock: an order on day 81 means a new reminder only from day 81 + 76.
      await earn(ana.id, 30, at(81));
      expect((await run(at(156))).reminded).toBe(0);
      expect((await run(at(157))).reminded).toBe(1);
      expect((await run(at(157, 12))).reminded).toBe(0);
      const both = await remindersTo(ana.email);
      expect(both.map((n) => n.milestone)).toEqual([
        `expiry-reminder:${at(0).toISOString()}`,
        `expiry-reminder:${at(81).toISOString()}`,
      ]);
      expect(both[1].subject).toBe("Your 150 points at Maple & Co expire on 2027-06-25");
      await expectConsistent();
    },
  );
});

const NAMED = { ...EXPIRING, currencyName: { en: "points", ko: "포인트", ja: "ポイント", fa: "امتیاز" } };

describe("expiry reminders in the member's language", () => {
  /** A member whose customer (as the customers webhook mirrors it) has this locale. */
  async function memberWithLocale(locale: string | null) {
    const m = await newMember();
    await t.db.customer.create({ data: { shop: SHOP, shopifyId: m.customerGid, email: m.email, locale } });
    return m;
  }
  const reminderTo = async (email: string) => {
    const [n, ...more] = await remindersTo(email);
    expect(more).toEqual([]);
    return n;
  };

  it(
    "follow the customer's locale (Korean, Japanese, Persian right to left), with the shop's " +
      "name for points in that language",
    async () => {
      await freshShop(NAMED);
      const kim = await memberWithLocale("ko-KR");
      const aki = await memberWithLocale("ja");
      const sara = await memberWithLocale("fa-IR");
      for (const m of [kim, aki, sara]) await earn(m.id, 120, at(0));

      expect((await run(at(76))).reminded).toBe(3);
      // Day 90 is 4 April 2027 at 15:00 UTC; the shop is on UTC.
      const ko = await reminderTo(kim.email);
      expect(ko).toMatchObject({
        locale: "ko",
        subject: "[Maple & Co] 120 포인트 소멸 예정 안내 (2027-04-04)",
        milestone: `expiry-reminder:${at(0).toISOString()}`,
      });
      expect(ko.bodyText).toContain("Maple & Co에서 보유하신 120 포인트의 유효기간이 2027-04-04에 만료됩니다.");
      expect(ko.bodyText).toContain("Maple & Co의 포인트 적립 회원이시기 때문에 이 메일을 받으셨습니다.");
      expect(ko.bodyText).toMatch(
        /^리워드 알림 수신 거부: https:\/\/maple-and-co\.myshopify\.com\/apps\/aftercare\/unsubscribe\?token=/m,
      );
      expect(ko.bodyHtml).toContain('<html lang="ko" dir="ltr">');

      const ja = await reminderTo(aki.email);
      expect(ja).toMatchObject({
        locale: "ja",
        subject: "【Maple & Co】120 ポイントの有効期限が近づいています（2027-04-04）",
      });
      expect(ja.bodyText).toContain("特典のお知らせを停止する: https://");

      const fa = await reminderTo(sara.email);
      expect(fa).toMatchObject({
        locale: "fa",
        subject: "120 امتیاز شما در Maple & Co در تاریخ 2027-04-04 منقضی می‌شود",
      });
      expect(fa.bodyHtml).toContain('<html lang="fa" dir="rtl">');
      expect(fa.bodyHtml).toMatch(/<div style="[^"]*" dir="rtl">/);
      expect(fa.bodyText).toContain("این ایمیل را دریافت کرده‌اید چون در Maple & Co امتیاز جمع می‌کنید.");

      // The subjects survive the trip through SMTP, as a mail client decodes them.
      expect(await deliverDueNotifications({ db: t.db, mailer, secret, now: at(76, 1) })).toMatchObject({
        sent: 3,
        failed: 0,
      });
      const mails = smtp.mails.filter((m) => m.to.some((to) => [kim.email, sara.email].includes(to)));
      expect(mails.map((m) => m.subject).sort()).toEqual([ko.subject, fa.subject].sort());
      // Running again sends nothing new, in any language.
      expect((await run(at(76, 6))).reminded).toBe(0);
    },
  );

  it(
    "fall back to English when the member's customer has no locale, one we do not write in, " +
      "or there is no customer",
    async () => {
      await freshShop(NAMED);
      // Between them, on the same page, a Korean member: a language never carries over to the next member.
      const lou = await memberWithLocale("de-DE");
      const kim = await memberWithLocale("ko");
      const max = await memberWithLocale(null);
      const noMirror = await newMember();
      const guest = await memberForGuestEmail(t.db, SHOP, "guest-reminder@example.com");
      for (const id of [lou.id, kim.id, max.id, noMirror.id, guest.id]) await earn(id, 120, at(0));

      expect((await run(at(76))).reminded).toBe(5);
      expect(await reminderTo(kim.email)).toMatchObject({
        locale: "ko",
        subject: "[Maple & Co] 120 포인트 소멸 예정 안내 (2027-04-04)",
      });
      for (const email of [lou.email, max.email, noMirror.email, guest.email!]) {
        const n = await reminderTo(email);
        expect(n).toMatchObject({ locale: "en", subject: "Your 120 points at Maple & Co expire on 2027-04-04" });
        expect(n.bodyText).toContain("You are getting this because you collect points at Maple & Co.");
        expect(n.bodyText).toContain("Unsubscribe from rewards reminders: https://");
        expect(n.bodyHtml).toContain('<html lang="en" dir="ltr">');
      }
    },
  );

  it("read the customers' locales once per page of members, not once per member", async () => {
    await freshShop(NAMED);
    // 501 members (two pages), every one with a customer; the last, on the second page, is Korean.
    const ids = Array.from({ length: 501 }, (_, i) => `lang-${String(i).padStart(4, "0")}`);
    const gid = (i: number) => `gid://shopify/Customer/${800_000 + i}`;
    await t.db.loyaltyMember.createMany({
      data: ids.map((id, i) => ({
        id,
        shop: SHOP,
        key: `c:${gid(i)}`,
        customerShopifyId: gid(i),
        email: `${id}@example.com`,
        points: 10,
        lifetimePoints: 10,
        lastActivityAt: at(0),
      })),
    });
    await t.db.loyaltyLedgerEntry.createMany({
      data: ids.map((id) => ({
        shop: SHOP,
        memberId: id,
        sourceKey: `order:${id}`,
        kind: "earn_order",
        points: 10,
        availableAt: at(0),
        createdAt: at(0),
      })),
    });
    await t.db.customer.createMany({
      data: ids.map((id, i) => ({
        shop: SHOP,
        shopifyId: gid(i),
        email: `${id}@example.com`,
        locale: i === 500 ? "ko-KR" : "ja-JP",
      })),
    });

    const lookups = vi.spyOn(t.db.customer, "findMany");
    try {
      expect((await run(at(76))).reminded).toBe(501);
      expect(lookups).toHaveBeenCalledTimes(2);
    } finally {
      lookups.mockRestore();
    }
    expect(
      await t.db.notification.groupBy({ by: ["locale"], _count: { _all: true }, orderBy: { locale: "asc" } }),
    ).toEqual([
      { locale: "ja", _count: { _all: 500 } },
      { locale: "ko", _count: { _all: 1 } },
    ]);
    expect((await reminderTo(`${ids[500]}@example.com`)).subject).toBe(
      "[Maple & Co] 10 포인트 소멸 예정 안내 (2027-04-04)",
    );
  }, 120_000);
});

describe("expiry after inactivity", () => {
  it("takes only what can be spent, leaves pending points until they unlock, and books nothing twice", async () => {
    await freshShop(EXPIRING);
    const eve = await newMember();
    await earn(eve.id, 100, at(0));
    // An order on day 10 whose points stay pending (the return window) until day 130.
    await earn(eve.id, 40, at(10), at(130));
    expect(await balance(eve.id, at(99))).toEqual({ total: 140, pending: 40, available: 100 });

    expect((await run(at(99, 23))).expired).toBe(0);
    expect((await run(at(100))).expired).toBe(1);
    expect(await entries(eve.id, "expire")).toEqual([
      { points: -100, availableAt: at(100), sourceKey: `expire:${eve.id}:${at(10).toISOString()}:2027-04-14` },
    ]);
    expect(await balance(eve.id, at(100))).toEqual({ total: 40, pending: 40, available: 0 });
    // Same day, later days while the 40 are still pending: nothing more.
    expect((await run(at(100, 6))).expired).toBe(0);
    expect((await run(at(129))).expired).toBe(0);
    expect(await entries(eve.id, "expire")).toHaveLength(1);
    // Unlocked on day 130 and still no activity: they go at the next run.
    expect((await run(at(130))).expired).toBe(1);
    expect((await run(at(130, 6))).expired).toBe(0);
    expect((await entries(eve.id, "expire")).map((e) => e.points)).toEqual([-100, -40]);
    expect(await balance(eve.id, at(131))).toEqual({ total: 0, pending: 0, available: 0 });
    await expectConsistent();
  });

  it("counts earning and redeeming as activity, and neither a reversal nor the expiry itself", async () => {
    await freshShop(EXPIRING);
    const fay = await newMember();
    const gus = await newMember();
    await earn(fay.id, 100, at(0));
    await earn(gus.id, 100, at(0));
    // Fay redeems on day 60: her clock restarts.
    expect(
      (
        await postEntry(
          t.db,
          SHOP,
          fay.id,
          { sourceKey: "redeem:fay", kind: "redeem", points: -30, availableAt: at(60) },
          { now: at(60) },
        )
      ).status,
    ).toBe("posted");
    // Gus only has a refund taken back on day 60: no activity of his own.
    expect(
      (
        await postEntry(
          t.db,
          SHOP,
          gus.id,
          { sourceKey: "refund:gus", kind: "reverse_refund", points: -20, availableAt: at(60) },
          { now: at(60), mode: "cap" },
        )
      ).status,
    ).toBe("posted");

    expect((await run(at(90))).expired).toBe(1);
    expect((await entries(gus.id, "expire")).map((e) => e.points)).toEqual([-80]);
    expect(await entries(fay.id, "expire")).toEqual([]);
    expect((await balance(fay.id, at(90)))!.available).toBe(70);
    expect((await run(at(149, 23))).expired).toBe(0);
    expect((await run(at(150))).expired).toBe(1);
    expect((await entries(fay.id, "expire")).map((e) => e.points)).toEqual([-70]);
    // The expiry is not activity: Gus's clock did not restart, and he has nothing left anyway.
    const gusRow = await t.db.loyaltyMember.findUniqueOrThrow({ where: { id: gus.id } });
    expect(gusRow.lastActivityAt).toEqual(at(0));
    expect(gusRow.points).toBe(0);
    await expectConsistent();
  });

  const worksThroughEveryPage =
    "works through every page of members (more than one query's worth), also when each keeps pending points";
  it(
    worksThroughEveryPage,
    async () => {
      await freshShop({ ...EXPIRING, tiers: TIERS });
      // 503 members, each with 10 points to spend and 5 pending until day 200, and a tier without
      // the orders to back it: written in bulk, each member's points equal to their ledger's sum.
      const ids = Array.from({ length: 503 }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
      await t.db.loyaltyMember.createMany({
        data: ids.map((id, i) => ({
          id,
          shop: SHOP,
          key: `c:gid://shopify/Customer/${900_000 + i}`,
          email: `${id}@example.com`,
          points: 15,
          lifetimePoints: 15,
          lastActivityAt: at(0),
          tierKey: "silver",
          spend12mMinor: 20_000,
        })),
      });
      await t.db.loyaltyLedgerEntry.createMany({
        data: ids.flatMap((id) => [
          {
            shop: SHOP,
            memberId: id,
            sourceKey: `order:${id}:a`,
            kind: "earn_order",
            points: 10,
            availableAt: at(0),
            createdAt: at(0),
          },
          {
            shop: SHOP,
            memberId: id,
            sourceKey: `order:${id}:b`,
            kind: "earn_order",
            points: 5,
            availableAt: at(200),
            createdAt: at(0),
          },
        ]),
      });
      expect(await run(at(90))).toEqual({ reminded: 0, expired: 503, birthdays: 0, tiers: 503 });
      expect(await run(at(90, 1))).toEqual({ reminded: 0, expired: 0, birthdays: 0, tiers: 0 });
      expect(
        await t.db.loyaltyLedgerEntry.groupBy({
          by: ["kind", "points"],
          where: { kind: "expire" },
          _count: { _all: true },
        }),
      ).toEqual([{ kind: "expire", points: -10, _count: { _all: 503 } }]);
      for (const id of [ids[0], ids[499], ids[500], ids[502]]) {
        expect(await balance(id, at(90))).toEqual({ total: 5, pending: 5, available: 0 });
        expect(
          await t.db.loyaltyMember.findUniqueOrThrow({ where: { id }, select: { tierKey: true, spend12mMinor: true } }),
        ).toEqual({ tierKey: null, spend12mMinor: 0 });
      }
      await expectConsistent();
    },
    120_000,
  );

  it("leaves redacted members alone", async () => {
    await freshShop(EXPIRING);
    const hal = await newMember();
    await earn(hal.id, 100, at(0));
    await redactCustomer(
      t.db,
      SHOP,
      { customerShopifyId: hal.customerGid, email: hal.email, orderShopifyIds: [] },
      at(5),
    );
    expect(await run(at(76))).toEqual({ reminded: 0, expired: 0, birthdays: 0, tiers: 0 });
    expect(await run(at(200))).toEqual({ reminded: 0, expired: 0, birthdays: 0, tiers: 0 });
    expect(await t.db.loyaltyLedgerEntry.count({ where: { memberId: hal.id } })).toBe(1);
    expect(await t.db.notification.count()).toBe(0);
    await expectConsistent();
  });
});

describe("birthday bonuses", () => {
  async function withBirthday(month: number | null, day: number | null) {
    const m = await newMember();
    await t.db.loyaltyMember.update({ where: { id: m.id }, data: { birthdayMonth: month, birthdayDay: day } });
    return m;
  }
  const birthdays = async (memberId: string) =>
    (await entries(memberId, "birthday")).map((e) => [e.sourceKey, e.points]);

  it("are booked once a year on the birthday in the shop's time zone, only for members who gave one", async () => {
    await freshShop({ enabled: true, birthdayBonus: 25 }, { timeZone: "Asia/Seoul" });
    const ida = await withBirthday(3, 15);
    const jon = await withBirthday(null, null);
    const kim = await withBirthday(3, 14);
    // 14 March 2027, 23:00 in Seoul: Kim's birthday, not yet Ida's.
    expect((await run(new Date("2027-03-14T14:00:00Z"))).birthdays).toBe(1);
    expect(await birthdays(kim.id)).toEqual([[`birthday:${kim.id}:2027`, 25]]);
    expect(await birthdays(ida.id)).toEqual([]);
    // 01:00 on the 15th in Seoul, still the 14th in UTC: Ida's birthday.
    expect((await run(new Date("2027-03-14T16:00:00Z"))).birthdays).toBe(1);
    expect((await run(new Date("2027-03-15T08:00:00Z"))).birthdays).toBe(0);
    expect(await birthdays(ida.id)).toEqual([[`birthday:${ida.id}:2027`, 25]]);
    expect(await balance(ida.id, new Date("2027-03-15T08:00:00Z"))).toEqual({ total: 25, pending: 0, available: 25 });
    // A year later, again once.
    expect((await run(new Date("2028-03-14T16:00:00Z"))).birthdays).toBe(1);
    expect((await run(new Date("2028-03-14T22:00:00Z"))).birthdays).toBe(0);
    expect(await birthdays(ida.id)).toEqual([
      [`birthday:${ida.id}:2027`, 25],
      [`birthday:${ida.id}:2028`, 25],
    ]);
    expect(await t.db.loyaltyLedgerEntry.count({ where: { memberId: jon.id } })).toBe(0);
    await expectConsistent();
  });

  it("come on 28 February for a 29 February birthday when the year has no 29th", async () => {
    await freshShop({ enabled: true, birthdayBonus: 10 });
    const leo = await withBirthday(2, 29);
    expect((await run(new Date("2027-02-28T12:00:00Z"))).birthdays).toBe(1);
    expect((await run(new Date("2027-03-01T12:00:00Z"))).birthdays).toBe(0);
    expect((await run(new Date("2028-02-28T12:00:00Z"))).birthdays).toBe(0);
    expect((await run(new Date("2028-02-29T12:00:00Z"))).birthdays).toBe(1);
    expect(await birthdays(leo.id)).toEqual([
      [`birthday:${leo.id}:2027`, 10],
      [`birthday:${leo.id}:2028`, 10],
    ]);
    await expectConsistent();
  });

  it("are not given to redacted members, nor while the bonus is zero", async () => {
    await freshShop({ enabled: true, birthdayBonus: 0 });
    const mo = await withBirthday(6, 1);
    const nia = await withBirthday(6, 1);
    expect((await run(new Date("2027-06-01T12:00:00Z"))).birthdays).toBe(0);
    await saveLoyaltySettings(t.db, SHOP, { enabled: true, birthdayBonus: 15 });
    await redactCustomer(
      t.db,
      SHOP,
      { customerShopifyId: nia.customerGid, email: nia.email, orderShopifyIds: [] },
      new Date("2027-06-01T13:00:00Z"),
    );
    expect((await run(new Date("2027-06-01T18:00:00Z"))).birthdays).toBe(1);
    expect(await birthdays(mo.id)).toEqual([[`birthday:${mo.id}:2027`, 15]]);
    expect(await birthdays(nia.id)).toEqual([]);
    await expectConsistent();
  });
});

describe("tiers as spend ages out", () => {
  let orders = 0;
  async function paid(customerGid: string, email: string, dollars: string, when: Date) {
    orders++;
    const payload = {
      id: 5_000 + orders,
      admin_graphql_api_id: `gid://shopify/Order/${5_000 + orders}`,
      name: `#${1000 + orders}`,
      email,
      currency: "USD",
      subtotal_price: dollars,
      customer: { id: Number(customerGid.split("/").pop()), email },
    };
    expect(await earnForPaidOrder(t.db, SHOP, payload, when, when)).toBe("earned");
  }
  const tierOf = async (memberId: string) => {
    const m = await t.db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } });
    return { tierKey: m.tierKey, spend12mMinor: m.spend12mMinor };
  };

  const moveAMemberDown =
    "move a member down when the last 12 months' spend falls below a threshold, and drop tiers the shop removed";
  it(moveAMemberDown, async () => {
    await freshShop({ enabled: true, pendingDays: 0, tiers: TIERS });
    const oda = await newMember();
    const pia = await newMember();
    await paid(oda.customerGid, oda.email, "600.00", at(0));
    await paid(oda.customerGid, oda.email, "150.00", at(200));
    await paid(pia.customerGid, pia.email, "50.00", at(0));
    expect(await tierOf(oda.id)).toEqual({ tierKey: "gold", spend12mMinor: 75_000 });
    expect(await tierOf(pia.id)).toEqual({ tierKey: null, spend12mMinor: 5_000 });

    expect((await run(at(365))).tiers).toBe(0);
    expect(await tierOf(oda.id)).toEqual({ tierKey: "gold", spend12mMinor: 75_000 });
    // Day 0's orders are more than 365 days old on day 366.
    expect((await run(at(366))).tiers).toBe(2);
    expect(await tierOf(oda.id)).toEqual({ tierKey: "silver", spend12mMinor: 15_000 });
    expect(await tierOf(pia.id)).toEqual({ tierKey: null, spend12mMinor: 0 });
    expect((await run(at(366, 6))).tiers).toBe(0);
    expect((await run(at(566))).tiers).toBe(1);
    expect(await tierOf(oda.id)).toEqual({ tierKey: null, spend12mMinor: 0 });

    const quin = await newMember();
    await paid(quin.customerGid, quin.email, "700.00", at(600));
    expect(await tierOf(quin.id)).toEqual({ tierKey: "gold", spend12mMinor: 70_000 });
    expect((await saveLoyaltySettings(t.db, SHOP, { enabled: true, pendingDays: 0, tiers: [] })).ok).toBe(true);
    expect((await run(at(601))).tiers).toBe(1);
    expect(await tierOf(quin.id)).toEqual({ tierKey: null, spend12mMinor: 70_000 });
    // Points are untouched by tier changes.
    expect(await balance(oda.id, at(601))).toEqual({ total: 750, pending: 0, available: 750 });
    await expectConsistent();
  });
});

describe("shops the run leaves alone", () => {
  it("does nothing where the program is off or the app was uninstalled", async () => {
    const everything = { ...EXPIRING, birthdayBonus: 20, tiers: TIERS };
    await freshShop({ ...everything, enabled: false }, { domain: "off.myshopify.com" });
    await freshShop(everything, { domain: "gone.myshopify.com", uninstalledAt: at(1) }, true);
    for (const domain of ["off.myshopify.com", "gone.myshopify.com"]) {
      const m = await newMember(domain);
      await earn(m.id, 100, at(0), at(0), domain);
      await t.db.loyaltyMember.update({
        where: { id: m.id },
        data: { birthdayMonth: 4, birthdayDay: 14, tierKey: "gold", spend12mMinor: 90_000 },
      });
    }
    const before = await t.db.loyaltyMember.findMany({ orderBy: { id: "asc" } });
    // Day 100 is 14 April 2027: reminders, expiry, birthdays and tiers would all be due.
    for (const day of [76, 100, 400])
      expect(await run(at(day))).toEqual({ reminded: 0, expired: 0, birthdays: 0, tiers: 0 });
    expect(await t.db.loyaltyLedgerEntry.count()).toBe(2);
    expect(await t.db.notification.count()).toBe(0);
    expect(await t.db.loyaltyMember.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});
