/**
 * Returns' hooks into the rest of the app: returns/* listeners keep Aftercare right when the
 * merchant acts in Shopify's admin (run after the mirror is updated, idempotent), and personal
 * data for compliance requests.
 */
import { env } from "../../env.server";
import { onWebhook, type WebhookContext } from "../../webhooks/handlers.server";
import { returnFromPayload } from "../../webhooks/payloads";
import { registerPersonalDataArea } from "../compliance.server";

import { releaseClaims } from "./cases.server";
import { notifyReturn } from "./notifications.server";
import { getReturnPolicy } from "./policy.server";
import { markDeclined } from "./workflow.server";

async function caseFor({ db, shop, payload }: WebhookContext) {
  const record = returnFromPayload(payload);
  if (!record) return null;
  return db.returnCase.findFirst({ where: { shop, shopifyReturnId: record.shopifyId }, include: { lines: true } });
}

export async function onReturnApproved(ctx: WebhookContext) {
  const ret = await caseFor(ctx);
  if (!ret) return;
  const { count } = await ctx.db.returnCase.updateMany({
    where: { shop: ctx.shop, id: ret.id, status: "requested" },
    data: { status: "approved", approvedAt: ctx.eventAt, shopifyStatus: "OPEN" },
  });
  if (count === 1)
    await notifyReturn(ctx.db, ctx.shop, await getReturnPolicy(ctx.db, ctx.shop), ret, "approved", {
      secret: env().SHOPIFY_API_SECRET,
      now: ctx.now,
    });
}

export async function onReturnDeclined(ctx: WebhookContext) {
  const ret = await caseFor(ctx);
  if (!ret) return;
  await markDeclined(
    ctx.db,
    ctx.shop,
    ret.id,
    String(ctx.payload?.decline?.reason ?? "OTHER").toUpperCase(),
    ctx.payload?.decline?.note ?? null,
    { admin: null, secret: env().SHOPIFY_API_SECRET, now: ctx.now },
  );
}

export async function onReturnCanceled(ctx: WebhookContext) {
  const ret = await caseFor(ctx);
  if (!ret) return;
  const { count } = await ctx.db.returnCase.updateMany({
    where: { shop: ctx.shop, id: ret.id, status: { in: ["requested", "approved"] } },
    data: { status: "canceled", shopifyStatus: "CANCELED" },
  });
  if (count === 1) await releaseClaims(ctx.db, ctx.shop, ret.lines);
}

export async function onReturnClosed(ctx: WebhookContext) {
  const ret = await caseFor(ctx);
  if (!ret) return;
  // Closed in Shopify's admin: Shopify is the record of the return; Aftercare follows.
  await ctx.db.returnCase.updateMany({
    where: { shop: ctx.shop, id: ret.id, status: { in: ["approved", "received", "resolved"] } },
    data: { status: "closed", closedAt: ctx.eventAt, shopifyStatus: "CLOSED" },
  });
}

let registered = false;

export function registerReturns() {
  if (registered) return;
  registered = true;
  onWebhook("returns/approve", onReturnApproved);
  onWebhook("returns/decline", onReturnDeclined);
  onWebhook("returns/cancel", onReturnCanceled);
  onWebhook("returns/close", onReturnClosed);

  registerPersonalDataArea({
    name: "returns",
    async exportCustomer(db, shop, subject) {
      const or: object[] = [];
      if (subject.email) or.push({ email: subject.email.toLowerCase() });
      if (subject.customerShopifyId) or.push({ customerShopifyId: subject.customerShopifyId });
      if (subject.orderShopifyIds.length) or.push({ orderShopifyId: { in: subject.orderShopifyIds } });
      if (!or.length) return { returns: [] };
      const returns = await db.returnCase.findMany({
        where: { shop, OR: or },
        select: {
          number: true,
          orderName: true,
          status: true,
          resolution: true,
          resolutionMinor: true,
          currency: true,
          requestedAt: true,
          lines: { select: { title: true, quantity: true, reason: true, note: true } },
        },
      });
      return { returns };
    },
    async redactCustomer(db, shop, subject) {
      const or: object[] = [];
      if (subject.email) or.push({ email: subject.email.toLowerCase() });
      if (subject.customerShopifyId) or.push({ customerShopifyId: subject.customerShopifyId });
      if (subject.orderShopifyIds.length) or.push({ orderShopifyId: { in: subject.orderShopifyIds } });
      if (!or.length) return;
      // Keep the return for the shop's books (amounts, items); forget who and what they wrote.
      const ids = (await db.returnCase.findMany({ where: { shop, OR: or }, select: { id: true } })).map((r) => r.id);
      await db.returnCaseLine.updateMany({ where: { returnCaseId: { in: ids } }, data: { note: null } });
      await db.returnCase.updateMany({
        where: { shop, id: { in: ids } },
        data: { email: null, customerShopifyId: null, declineNote: null },
      });
    },
    async deleteShop(db, shop) {
      await db.returnCase.deleteMany({ where: { shop } });
      await db.returnLineClaim.deleteMany({ where: { shop } });
      await db.returnSettings.deleteMany({ where: { shop } });
    },
  });
}
