/**
 * Loyalty's hooks into the rest of the app (app/areas.server.ts): webhook listeners that earn and
 * take back points, personal data for compliance requests, and the daily maintenance task.
 */
import { env } from "../../env.server";
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { onWebhook, readOnce, type KeyedListener, type WebhookContext } from "../../webhooks/handlers.server";
import { gid, gidOf } from "../../domain/shared/shopify-ids";
import { registerPersonalDataArea, type DataSubject } from "../compliance.server";
import type { Db } from "../../db.server";

import { earnForPaidOrder, onCustomerChanged, settleOrder } from "./earning.server";
import { customerKey, emailKey } from "./members.server";
import { runLoyaltyMaintenance } from "./maintenance.server";
import { loadLoyaltySettings } from "./settings.server";

/** The shop's loyalty settings, read once per effects batch. */
const settingsOf = (ctx: WebhookContext) =>
  readOnce(ctx, `loyalty.settings:${ctx.shop}`, () => loadLoyaltySettings(ctx.db, ctx.shop));

async function onOrderPaid(ctx: WebhookContext) {
  const { db, shop, payload, eventAt, now } = ctx;
  // Settled by `settle` below, once per order and batch, after every earning of the batch.
  await earnForPaidOrder(db, shop, payload, eventAt, now, { settings: await settingsOf(ctx), settle: false });
}

/**
 * Points taken back for the refunds and the cancellation the mirror holds: once per order and
 * effects batch, whichever of its events asked (docs/decisions/0030). orders/paid settles only
 * while the program is on, as its earning did before.
 */
const settle: KeyedListener = {
  async keyOf(ctx) {
    const { topic, payload } = ctx;
    if (topic === "refunds/create") return payload?.order_id ? gid("Order", payload.order_id) : null;
    if (topic === "orders/paid" && !(await settingsOf(ctx)).enabled) return null;
    return gidOf("Order", payload);
  },
  async run(ctx, orderShopifyId) {
    await settleOrder(ctx.db, ctx.shop, orderShopifyId, ctx.now, await settingsOf(ctx));
  },
};

async function onCustomer(ctx: WebhookContext) {
  const { db, shop, topic, payload, now } = ctx;
  await onCustomerChanged(
    db,
    shop,
    topic === "customers/create" ? "customers/create" : "customers/update",
    payload,
    now,
    await settingsOf(ctx),
  );
}

async function membersOf(db: Db, shop: string, subject: DataSubject) {
  const keys: string[] = [];
  if (subject.customerShopifyId) keys.push(customerKey(subject.customerShopifyId));
  if (subject.email) keys.push(emailKey(subject.email));
  const or: object[] = [{ key: { in: keys } }];
  if (subject.email) or.push({ email: subject.email.toLowerCase() });
  return keys.length ? db.loyaltyMember.findMany({ where: { shop, OR: or } }) : [];
}

let registered = false;

export function registerLoyalty() {
  if (registered) return;
  registered = true;
  onWebhook("orders/paid", onOrderPaid);
  onWebhook("orders/paid", settle);
  onWebhook("orders/cancelled", settle);
  onWebhook("orders/updated", settle);
  onWebhook("refunds/create", settle);
  onWebhook("customers/create", onCustomer);
  onWebhook("customers/update", onCustomer);

  registerPeriodicTask({
    name: "loyalty.daily",
    everyMs: 6 * 60 * 60_000,
    leaseMs: 60 * 60_000,
    run: ({ db, now }) => runLoyaltyMaintenance(db, { now, secret: env().SHOPIFY_API_SECRET }),
  });

  registerPersonalDataArea({
    name: "loyalty",
    async exportCustomer(db, shop, subject) {
      const members = await membersOf(db, shop, subject);
      const ids = members.map((m) => m.id);
      const [ledger, redemptions, orders] = await Promise.all([
        db.loyaltyLedgerEntry.findMany({ where: { shop, memberId: { in: ids } }, orderBy: { createdAt: "asc" } }),
        db.loyaltyRedemption.findMany({ where: { shop, memberId: { in: ids } } }),
        db.loyaltyOrder.findMany({ where: { shop, memberId: { in: ids } } }),
      ]);
      return { members, ledger, redemptions, orders };
    },
    async redactCustomer(db, shop, subject, now) {
      // The ledger stays (points are the shop's liability and the sum must hold); what identifies
      // the person goes: email, birthday, the key that names them, reasons typed by staff.
      for (const m of await membersOf(db, shop, subject)) {
        await db.loyaltyMember.updateMany({
          where: { id: m.id, shop },
          data: {
            email: null,
            birthdayMonth: null,
            birthdayDay: null,
            customerShopifyId: null,
            key: `redacted:${m.id}`,
            redactedAt: now,
          },
        });
        await db.loyaltyLedgerEntry.updateMany({
          where: { shop, memberId: m.id, kind: "adjust" },
          data: { reason: "(redacted)" },
        });
      }
    },
    async deleteShop(db, shop) {
      await db.loyaltyRedemption.deleteMany({ where: { shop } });
      await db.loyaltyLedgerEntry.deleteMany({ where: { shop } });
      await db.loyaltyOrder.deleteMany({ where: { shop } });
      await db.loyaltyMember.deleteMany({ where: { shop } });
      await db.loyaltyReward.deleteMany({ where: { shop } });
      await db.loyaltySettings.deleteMany({ where: { shop } });
    },
  });
}
