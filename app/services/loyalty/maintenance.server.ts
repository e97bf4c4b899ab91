/**
 * Loyalty work the scheduler runs a few times a day (one process per period): reminders before
 * points expire, expiry after inactivity, birthday bonuses, and tiers moving down as old spend ages
 * out. Each booking is keyed (expire:<member>:<lastActivity>:<day>, birthday:<member>:<year>) and
 * each reminder is keyed in the outbox by the member's last activity, so running again in the same
 * period books and sends nothing. Shops with the program off or the app uninstalled are left alone;
 * redacted members are never touched (no email, no birthday, no bookings).
 */
import type { Db } from "../../db.server";
import { customerLocaleRows } from "../../models/customers.server";
import { recordEvent } from "../../models/events.server";
import { enqueueNotification, isSuppressed } from "../../models/outbox.server";
import { shopInstallState } from "../../models/shop.server";
import { addDays, DAY_MS, spendOfOrders, TIER_WINDOW_DAYS, tierFor } from "../../domain/loyalty/points";
import { currencyNameFor, type LoyaltySettings } from "../../domain/loyalty/settings";
import { isValidTimeZone, localDate } from "../../domain/tracking/calendar";
import { languageFor, type Language } from "../../domain/tracking/settings";
import { renderEmail, type EmailTemplateSource } from "../email-render.server";
import { unsubscribeUrl } from "../unsubscribe.server";

import { balanceOf, pendingPoints, postEntry } from "./ledger.server";
import { setSpendAndTier } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

const BATCH = 500;

/** The reminder in each shopper language; the Liquid variables are the same in all of them. */
export const EXPIRY_TEMPLATES: Record<Language, EmailTemplateSource> = {
  en: {
    subject: "Your {{ points }} {{ currency_name }} at {{ shop_name }} expire on {{ expires_on }}",
    body:
      "You have {{ points }} {{ currency_name }} waiting at {{ shop_name }}. They expire on " +
      "{{ expires_on }} unless you place an order or redeem a reward before then.",
  },
  // Worded so no particle follows a variable: 이/가 and 을/를 depend on the word before them.
  ko: {
    subject: "[{{ shop_name }}] {{ points }} {{ currency_name }} 소멸 예정 안내 ({{ expires_on }})",
    body:
      "{{ shop_name }}에서 보유하신 {{ points }} {{ currency_name }}의 유효기간이 {{ expires_on }}에 만료됩니다. " +
      "그 전에 주문하시거나 리워드로 교환하시면 소멸되지 않습니다.",
  },
  ja: {
    subject: "【{{ shop_name }}】{{ points }} {{ currency_name }}の有効期限が近づいています（{{ expires_on }}）",
    body:
      "{{ shop_name }}でご利用いただける {{ points }} {{ currency_name }}が貯まっています。" +
      "有効期限は{{ expires_on }}です。期限までにご注文または特典とのご交換がない場合は失効いたしますので、ご注意ください。",
  },
  fa: {
    subject: "{{ points }} {{ currency_name }} شما در {{ shop_name }} در تاریخ {{ expires_on }} منقضی می‌شود",
    body:
      "شما {{ points }} {{ currency_name }} در {{ shop_name }} دارید که در تاریخ " +
      "{{ expires_on }} منقضی می‌شود، مگر اینکه تا پیش از آن سفارشی ثبت کنید یا پاداشی دریافت " +
      "کنید.",
  },
};

const EXPIRY_CHROME: Record<Language, { footer: (currencyName: string, shop: string) => string; unsubscribe: string }> =
  {
    en: {
      footer: (c, s) => `You are getting this because you collect ${c} at ${s}.`,
      unsubscribe: "Unsubscribe from rewards reminders",
    },
    ko: {
      footer: (c, s) => `${s}의 ${c} 적립 회원이시기 때문에 이 메일을 받으셨습니다.`,
      unsubscribe: "리워드 알림 수신 거부",
    },
    ja: {
      footer: (c, s) => `${s} で${c}を貯めていただいているため、このメールをお送りしています。`,
      unsubscribe: "特典のお知らせを停止する",
    },
    fa: {
      footer: (c, s) => `این ایمیل را دریافت کرده‌اید چون در ${s} ${c} جمع می‌کنید.`,
      unsubscribe: "لغو اشتراک یادآوری‌های باشگاه مشتریان",
    },
  };

/** For members whose customer has no locale we can write in: the loyalty settings have no language of their own. */
const FALLBACK_LANGUAGE: Language = "en";

export interface MaintenanceDeps {
  now: Date;
  secret: string;
}

export interface MaintenanceReport {
  reminded: number;
  expired: number;
  birthdays: number;
  tiers: number;
}

interface ShopRun {
  db: Db;
  shop: string;
  shopName: string;
  timeZone: string;
  settings: LoyaltySettings;
  now: Date;
  secret: string;
  report: MaintenanceReport;
}

/** Thrown inside a booking's transaction to leave without booking anything. */
class NothingToBook extends Error {}

export async function runLoyaltyMaintenance(db: Db, deps: MaintenanceDeps): Promise<MaintenanceReport> {
  const shops = await db.loyaltySettings.findMany({ select: { shop: true }, orderBy: { shop: "asc" } });
  const report: MaintenanceReport = { reminded: 0, expired: 0, birthdays: 0, tiers: 0 };
  for (const { shop } of shops) {
    const settings = await loadLoyaltySettings(db, shop);
    if (!settings.enabled) continue;
    const shopRow = await shopInstallState(db, shop);
    if (shopRow?.uninstalledAt) continue;
    const zone = shopRow?.ianaTimezone;
    const run: ShopRun = {
      db,
      shop,
      shopName: shopRow?.name ?? shop,
      timeZone: zone && isValidTimeZone(zone) ? zone : "UTC",
      settings,
      now: deps.now,
      secret: deps.secret,
      report,
    };
    if (settings.expiryDays > 0) {
      await sendExpiryReminders(run);
      await expireInactive(run);
    }
    if (settings.birthdayBonus > 0) await bookBirthdays(run);
    // Also with no tiers configured: members keep no tier the shop has since removed.
    await refreshTiers(run);
  }
  return report;
}

/**
 * Reads a shop's members page by page in id order (each page starts after the last id of the one
 * before), so rows the work changes are neither read twice nor make the loop stop early.
 */
async function forEachPage<T extends { id: string }>(
  read: (page: { after: { id?: { gt: string } }; take: number }) => Promise<T[]>,
  work: (rows: T[]) => Promise<void>,
) {
  let last: string | undefined;
  for (;;) {
    const rows = await read({ after: last === undefined ? {} : { id: { gt: last } }, take: BATCH });
    if (rows.length > 0) await work(rows);
    if (rows.length < BATCH) return;
    last = rows[rows.length - 1].id;
  }
}

/** The locales of a page's members' customers, in one query; members without a known one are absent. */
async function customerLocales(
  db: Db,
  shop: string,
  members: { customerShopifyId: string | null }[],
): Promise<Map<string, string>> {
  const ids = [...new Set(members.flatMap((m) => (m.customerShopifyId ? [m.customerShopifyId] : [])))];
  if (ids.length === 0) return new Map();
  const rows = await customerLocaleRows(db, shop, ids);
  return new Map(rows.map((c) => [c.shopifyId, c.locale!]));
}

/** Members inactive long enough to be warned, not yet expired, with points they could lose. */
async function sendExpiryReminders(run: ShopRun) {
  const { db, shop, settings, now } = run;
  const expireBefore = addDays(now, -settings.expiryDays);
  const remindBefore = addDays(now, settings.expiryReminderDays - settings.expiryDays);
  await forEachPage(
    (page) =>
      db.loyaltyMember.findMany({
        where: {
          ...page.after,
          shop,
          redactedAt: null,
          points: { gt: 0 },
          lastActivityAt: { lte: remindBefore, gt: expireBefore },
        },
        orderBy: { id: "asc" },
        take: page.take,
      }),
    async (members) => {
      const localeOf = await customerLocales(db, shop, members);
      for (const m of members) {
        const balance = await balanceOf(db, shop, m.id, now);
        if (!balance || balance.available <= 0) continue;
        const expiresOn = localDate(addDays(m.lastActivityAt, settings.expiryDays), run.timeZone);
        // Announced once per stretch of inactivity (as the reminder), email or not: Flow, Klaviyo.
        await db.$transaction((tx) =>
          recordEvent(tx, {
            shop,
            type: "loyalty.points_expiring",
            key: `${m.id}:${m.lastActivityAt.toISOString()}`,
            occurredAt: now,
            customer: { id: m.customerShopifyId },
            data: { points: balance.available, balance: balance.total, expiresOn },
          }),
        );
        if (!m.email) continue;
        const email = m.email;
        // Someone who unsubscribed from rewards emails gets none, and nothing is queued for them.
        if (await isSuppressed(db, shop, email, "loyalty")) continue;
        const language = languageFor(m.customerShopifyId ? localeOf.get(m.customerShopifyId) : null, FALLBACK_LANGUAGE);
        const currencyName = currencyNameFor(settings, language);
        const variables = {
          points: balance.available,
          currency_name: currencyName,
          shop_name: run.shopName,
          expires_on: expiresOn,
        };
        const rendered = await renderEmail(EXPIRY_TEMPLATES[language], variables, {
          shopName: run.shopName,
          accentColor: "#1a7f5a",
          language,
          footer: [EXPIRY_CHROME[language].footer(currencyName, run.shopName)],
          unsubscribeUrl: unsubscribeUrl({ shop, email, kind: "loyalty", secret: run.secret, now }),
          unsubscribeLabel: EXPIRY_CHROME[language].unsubscribe,
        });
        const { created } = await enqueueNotification(
          db,
          {
            shop,
            kind: "loyalty",
            subjectId: m.id,
            // One reminder per stretch of inactivity: new activity starts a new one.
            milestone: `expiry-reminder:${m.lastActivityAt.toISOString()}`,
            recipient: email,
            locale: language,
            subject: rendered.subject,
            bodyHtml: rendered.html,
            bodyText: rendered.text,
            customerShopifyId: m.customerShopifyId,
          },
          now,
        );
        if (created) run.report.reminded++;
      }
    },
  );
}

/**
 * What a member inactive for expiryDays can spend goes; pending points stay until they unlock (and
 * go at the first run after that if the member is still inactive). The amount and the inactivity
 * are read again under the member's lock, so activity that lands meanwhile (an order, a
 * redemption) keeps the points.
 */
async function expireInactive(run: ShopRun) {
  const { db, shop, settings, now } = run;
  const expireBefore = addDays(now, -settings.expiryDays);
  const day = now.toISOString().slice(0, 10);
  await forEachPage(
    (page) =>
      db.loyaltyMember.findMany({
        where: { ...page.after, shop, redactedAt: null, points: { gt: 0 }, lastActivityAt: { lte: expireBefore } },
        orderBy: { id: "asc" },
        select: { id: true, lastActivityAt: true },
        take: page.take,
      }),
    async (members) => {
      for (const m of members) {
        const balance = await balanceOf(db, shop, m.id, now);
        if (!balance || balance.available <= 0) continue;
        try {
          const r = await postEntry(
            db,
            shop,
            m.id,
            {
              sourceKey: `expire:${m.id}:${m.lastActivityAt.toISOString()}:${day}`,
              kind: "expire",
              points: 0,
              availableAt: now,
              reason: `No activity for ${settings.expiryDays} days`,
            },
            {
              now,
              mode: "cap",
              compute: async (tx) => {
                const current = await tx.loyaltyMember.findUniqueOrThrow({
                  where: { id: m.id },
                  select: { points: true, lastActivityAt: true, redactedAt: true },
                });
                if (current.redactedAt || current.lastActivityAt > expireBefore) throw new NothingToBook();
                const available = current.points - Math.max(0, await pendingPoints(tx, m.id, now));
                if (available <= 0) throw new NothingToBook();
                return -available;
              },
            },
          );
          if (r.status === "posted") run.report.expired++;
        } catch (error) {
          if (!(error instanceof NothingToBook)) throw error;
        }
      }
    },
  );
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Once a year, on the member's birthday in the shop's time zone (29 February on the 28th in other years). */
async function bookBirthdays(run: ShopRun) {
  const { db, shop, settings, now } = run;
  const [year, month, day] = localDate(now, run.timeZone).split("-").map(Number);
  const days = month === 2 && day === 28 && !isLeapYear(year) ? [28, 29] : [day];
  await forEachPage(
    (page) =>
      db.loyaltyMember.findMany({
        where: { ...page.after, shop, redactedAt: null, birthdayMonth: month, birthdayDay: { in: days } },
        orderBy: { id: "asc" },
        select: { id: true },
        take: page.take,
      }),
    async (members) => {
      for (const m of members) {
        const r = await postEntry(
          db,
          shop,
          m.id,
          {
            sourceKey: `birthday:${m.id}:${year}`,
            kind: "birthday",
            points: settings.birthdayBonus,
            availableAt: now,
            reason: "Happy birthday",
          },
          { now },
        );
        if (r.status === "posted") run.report.birthdays++;
      }
    },
  );
}

/**
 * Recomputes the 12-month spend (and so the tier) of every member who has some or has a tier, a
 * page at a time with one query for the page's orders, and writes only what changed: spend from
 * orders older than the window drops out, and tiers follow the shop's current thresholds.
 */
async function refreshTiers(run: ShopRun) {
  const { db, shop, settings, now } = run;
  const since = new Date(now.getTime() - TIER_WINDOW_DAYS * DAY_MS);
  await forEachPage(
    (page) =>
      db.loyaltyMember.findMany({
        where: {
          ...page.after,
          shop,
          redactedAt: null,
          OR: [{ tierKey: { not: null } }, { spend12mMinor: { gt: 0 } }],
        },
        orderBy: { id: "asc" },
        select: { id: true, tierKey: true, spend12mMinor: true },
        take: page.take,
      }),
    async (members) => {
      const orders = await db.loyaltyOrder.findMany({
        where: { shop, memberId: { in: members.map((m) => m.id) }, paidAt: { gte: since }, cancelledAt: null },
        select: { memberId: true, linesMinor: true, refundedMinor: true },
      });
      const byMember = new Map<string, typeof orders>();
      for (const o of orders) byMember.set(o.memberId, [...(byMember.get(o.memberId) ?? []), o]);
      for (const m of members) {
        const spend = spendOfOrders(byMember.get(m.id) ?? []);
        const tierKey = tierFor(settings.tiers, spend)?.key ?? null;
        if (spend === m.spend12mMinor && tierKey === m.tierKey) continue;
        await setSpendAndTier(db, shop, m.id, spend, tierKey, now);
        run.report.tiers++;
      }
    },
  );
}
