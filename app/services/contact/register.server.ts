/**
 * Contact's hooks into the rest of the app: personal data for compliance requests (messages
 * hold names, addresses and whatever shoppers wrote), the periodic NPS send, and the service
 * KPIs on the dashboard.
 */
import { env } from "../../env.server";
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { registerPersonalDataArea, type DataSubject } from "../compliance.server";
import { registerCoreDashboardMetrics } from "../dashboard/core-metrics.server";
import type { Db } from "../../db.server";

import { sendDueNpsSurveys } from "./surveys.server";
import { registerInboxContext } from "./context.server";
import { loyaltyInboxContext } from "./loyalty-context.server";

function requestsOf(shop: string, s: DataSubject) {
  const or: object[] = [];
  if (s.email) or.push({ email: s.email.toLowerCase() });
  if (s.customerShopifyId) or.push({ customerShopifyId: s.customerShopifyId });
  if (s.orderShopifyIds.length) or.push({ orderShopifyId: { in: s.orderShopifyIds } });
  return or.length ? { shop, OR: or } : null;
}

export async function exportContactData(db: Db, shop: string, subject: DataSubject) {
  const where = requestsOf(shop, subject);
  if (!where) return { requests: [], surveys: [] };
  const requests = await db.contactRequest.findMany({
    where,
    select: {
      id: true,
      number: true,
      topic: true,
      status: true,
      name: true,
      email: true,
      orderName: true,
      createdAt: true,
      closedAt: true,
      messages: { select: { author: true, body: true, createdAt: true } },
    },
  });
  const ids = requests.map((r) => r.id);
  const surveys = await db.surveyResponse.findMany({
    where: {
      shop,
      OR: [
        { requestId: { in: ids } },
        ...(subject.orderShopifyIds.length ? [{ orderShopifyId: { in: subject.orderShopifyIds } }] : []),
      ],
    },
    select: { kind: true, score: true, comment: true, sentAt: true, answeredAt: true },
  });
  return { requests, surveys };
}

/** Forgets who wrote and what they wrote; the counts and timings the KPIs use stay. */
export async function redactContactData(db: Db, shop: string, subject: DataSubject, now: Date) {
  const where = requestsOf(shop, subject);
  if (!where) return;
  const requests = await db.contactRequest.findMany({ where, select: { id: true } });
  const ids = requests.map((r) => r.id);
  if (ids.length) {
    // An assistant message's payload holds what the body says (orders, the number the shopper gave).
    await db.contactMessage.updateMany({
      where: { shop, requestId: { in: ids } },
      data: { body: "(redacted)", payload: null },
    });
    await db.contactRequest.updateMany({
      where: { shop, id: { in: ids } },
      data: { name: null, email: null, orderName: null, customerShopifyId: null, searchText: "", redactedAt: now },
    });
  }
  await db.surveyResponse.updateMany({
    where: {
      shop,
      OR: [
        { requestId: { in: ids } },
        ...(subject.orderShopifyIds.length ? [{ orderShopifyId: { in: subject.orderShopifyIds } }] : []),
      ],
    },
    data: { comment: null },
  });
}

let registered = false;

export function registerContact() {
  if (registered) return;
  registered = true;
  registerCoreDashboardMetrics();
  registerInboxContext(loyaltyInboxContext);
  registerPeriodicTask({
    name: "contact.nps-surveys",
    everyMs: 60 * 60_000,
    leaseMs: 30 * 60_000,
    run: ({ db, now }) => sendDueNpsSurveys({ db, now, secret: env().SHOPIFY_API_SECRET }),
  });
  registerPersonalDataArea({
    name: "contact",
    exportCustomer: exportContactData,
    redactCustomer: redactContactData,
    async deleteShop(db, shop) {
      await db.contactMessage.deleteMany({ where: { shop } });
      await db.contactRequest.deleteMany({ where: { shop } });
      await db.surveyResponse.deleteMany({ where: { shop } });
      await db.contactSettings.deleteMany({ where: { shop } });
      await db.trackingViewDay.deleteMany({ where: { shop } });
      await db.savedReply.deleteMany({ where: { shop } });
    },
  });
}
