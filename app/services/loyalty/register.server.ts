/**
 * Loyalty's hooks into the rest of the app (app/areas.server.ts): webhook listeners that earn and
 * take back points, personal data for compliance requests, and the daily maintenance task.
 */
import { env } from "../../env.server";
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { onWebhook, type WebhookContext } from "../../webhooks/handlers.server";
import { gid, gidOf } from "../../domain/shared/shopify-ids";
import { registerPersonalDataArea, type DataSubject } from "../compliance.server";
import type { Db } from "../../db.server";

import { earnForPaidOrder, onCustomerChanged, settleOrder } from "./earning.server";
import { customerKey, emailKey } from "./members.server";
import { runLoyaltyMaintenance } from "./maintenance.server";

async function onOrderPaid({ db, shop, payload, eventAt, now }: WebhookContext) {
  await earnForPaidOrder(db, shop, payload, eventAt, now);
}

async function onOrderChanged({ db, shop, payload, now }: WebhookContext) {
  const id = gidOf("Order", payload);
  if (id) await settleOrder(db, shop, id, now);
}

async function onRefund({ db, shop, payload, now }: WebhookContext) {
  if (payload?.order_id) await settleOrder(db, shop, gid("Order", payload.order_id), now);
}

async function onCustomer({ db, shop, topic, payload, now }: WebhookContext) {
  await onCustomerChanged(
    db,
    shop,
    topic === "customers/create" ? "customers/create" : "customers/update",
    payload,
    now,
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
  onWebhook("orders/cancelled", onOrderChanged);
  onWebhook("orders/updated", onOrderChanged);
  onWebhook("refunds/create", onRefund);
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
