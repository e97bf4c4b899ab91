/**
 * Daily loyalty work, run by the scheduler (one process per period): reminders before points
 * expire, expiry after inactivity, birthday bonuses, and tiers moving down as old spend ages out.
 * Every booking is keyed (expire:<member>:<lastActivity>, birthday:<member>:<year>), so a second
 * run in the same period does nothing.
 */
import type { Db } from "../../db.server";
import { enqueueNotification } from "../../models/outbox.server";
import { addDays, DAY_MS } from "../../domain/loyalty/points";
import { currencyNameFor } from "../../domain/loyalty/settings";
import { renderEmail } from "../email-render.server";
import { unsubscribeUrl } from "../unsubscribe.server";
import { balanceOf, postEntry } from "./ledger.server";
import { refreshTier } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

const BATCH = 500;

export const EXPIRY_TEMPLATE = {
  subject: "Your {{ points }} {{ currency_name }} at {{ shop_name }} expire on {{ expires_on }}",
  body: "You have {{ points }} {{ currency_name }} waiting at {{ shop_name }}. They expire on {{ expires_on }} unless you place an order or redeem a reward before then.",
};

export async function runLoyaltyMaintenance(db: Db, deps: { now: Date; secret: string }) {
  const shops = await db.loyaltySettings.findMany({ select: { shop: true } });
  const report = { reminded: 0, expired: 0, birthdays: 0, tiers: 0 };
  for (const { shop } of shops) {
    const settings = await loadLoyaltySettings(db, shop);
    if (!settings.enabled) continue;
    const { now } = deps;
    const shopRow = await db.shop.findUnique({ where: { domain: shop }, select: { name: true, uninstalledAt: true } });
    if (shopRow?.uninstalledAt) continue;

    if (settings.expiryDays > 0) {
      const expireBefore = addDays(now, -settings.expiryDays);
      const remindBefore = addDays(now, settings.expiryReminderDays - settings.expiryDays);
      // Reminders: inactive long enough, not yet expired.
      let cursor: string | undefined;
      for (;;) {
        const members = await db.loyaltyMember.findMany({
          where: { shop, points: { gt: 0 }, lastActivityAt: { lte: remindBefore, gt: expireBefore }, email: { not: null }, redactedAt: null },
          orderBy: { id: "asc" },
          take: BATCH,
          ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        });
        for (const m of members) {
          const balance = await balanceOf(db, shop, m.id, now);
          if (!balance || balance.available <= 0) continue;
          const expiresOn = addDays(m.lastActivityAt, settings.expiryDays).toISOString().slice(0, 10);
          const variables = { points: balance.available, currency_name: currencyNameFor(settings, "en"), shop_name: shopRow?.name ?? shop, expires_on: expiresOn };
          const email = await renderEmail(EXPIRY_TEMPLATE, variables, {
            shopName: shopRow?.name ?? shop,
            accentColor: "#1a7f5a",
            language: "en",
            footer: [`You are getting this because you collect ${variables.currency_name} at ${variables.shop_name}.`],
            unsubscribeUrl: unsubscribeUrl({ shop, email: m.email!, kind: "loyalty", secret: deps.secret, now }),
            unsubscribeLabel: "Unsubscribe from rewards reminders",
          });
          const { created } = await enqueueNotification(
            db,
            {
              shop,
              kind: "loyalty",
              subjectId: m.id,
              milestone: `expiry-reminder:${m.lastActivityAt.toISOString()}`,
              recipient: m.email!,
              locale: "en",
              subject: email.subject,
              bodyHtml: email.html,
              bodyText: email.text,
              customerShopifyId: m.customerShopifyId,
            },
            now,
          );
          if (created) report.reminded++;
        }
        if (members.length < BATCH) break;
        cursor = members[members.length - 1].id;
      }
      // Expiry: what is available goes; pending points are recent activity and stay.
      for (;;) {
        const members = await db.loyaltyMember.findMany({ where: { shop, points: { gt: 0 }, lastActivityAt: { lte: expireBefore } }, take: BATCH, orderBy: { id: "asc" } });
        let booked = 0;
        for (const m of members) {
          const balance = await balanceOf(db, shop, m.id, now);
          if (!balance || balance.available <= 0) continue;
          const r = await postEntry(
            db,
            shop,
            m.id,
            { sourceKey: `expire:${m.id}:${m.lastActivityAt.toISOString()}`, kind: "expire", points: -balance.available, availableAt: now, reason: `No activity for ${settings.expiryDays} days` },
            { now, mode: "cap" },
          );
          if (r.status === "posted") booked++;
        }
        report.expired += booked;
        if (members.length < BATCH || booked === 0) break;
      }
    }

    if (settings.birthdayBonus > 0) {
      const month = now.getUTCMonth() + 1;
      const day = now.getUTCDate();
      const members = await db.loyaltyMember.findMany({ where: { shop, birthdayMonth: month, birthdayDay: day, redactedAt: null }, select: { id: true } });
      for (const m of members) {
        const r = await postEntry(
          db,
          shop,
          m.id,
          { sourceKey: `birthday:${m.id}:${now.getUTCFullYear()}`, kind: "birthday", points: settings.birthdayBonus, availableAt: now, reason: "Happy birthday" },
          { now },
        );
        if (r.status === "posted") report.birthdays++;
      }
    }

    if (settings.tiers.length > 0) {
      // Spend older than 12 months ages out: recheck members with a tier whose spend may have dropped.
      const stale = await db.loyaltyMember.findMany({
        where: { shop, OR: [{ tierKey: { not: null } }, { spend12mMinor: { gt: 0 } }], updatedAt: { lt: new Date(now.getTime() - DAY_MS / 2) } },
        select: { id: true },
        take: 5_000,
      });
      for (const m of stale) {
        await refreshTier(db, shop, m.id, settings, now);
        report.tiers++;
      }
    }
  }
  return report;
}
