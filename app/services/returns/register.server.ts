/**
 * Returns' hooks into the rest of the app: returns/* listeners keep Aftercare right when the
 * merchant acts in Shopify's admin (run after the mirror is updated, idempotent), and personal
 * data for compliance requests.
 */
import { returnChannel } from "../../domain/returns/desk";
import { gidOf } from "../../domain/shared/shopify-ids";
import { env } from "../../env.server";
import { adminClient, type AdminClient } from "../../shopify/admin.server";
import { onWebhook, type WebhookContext } from "../../webhooks/handlers.server";
import { mirroredReturnStatus } from "../../models/shopify-returns.server";
import { returnFromPayload } from "../../webhooks/payloads";
import { registerPersonalDataArea } from "../compliance.server";

import {
  findReturnCaseForShopifyReturn,
  linkToShopifyReturn,
  recordShopifyRequest,
  releaseClaims,
  unlinkedReturnFor,
  type RequestedInShopifyLine,
} from "./cases.server";
import { afterCustomerRequestLinked } from "./customer-account.server";
import { returnStepEvent } from "./events.server";
import { notifyReturn } from "./notifications.server";
import { getReturnPolicy } from "./policy.server";
import { markDeclined, settleExchangePayments } from "./workflow.server";

/** The shop's Admin API through its offline session, or null (not installed, Shopify unreachable). */
async function shopAdmin(shop: string): Promise<AdminClient | null> {
  try {
    // Imported when needed, as reconciliation does: shopify.server.ts opens the session storage
    // on the database of the moment it is first imported.
    const { unauthenticated } = await import("../../shopify.server");
    const { admin } = await unauthenticated.admin(shop);
    return adminClient(admin.graphql);
  } catch {
    return null;
  }
}

/** The lines of a returns/request payload with Shopify's reason and the shopper's note. */
function requestedLines(ctx: WebhookContext, record: NonNullable<ReturnType<typeof returnFromPayload>>) {
  const raw: { customer_note?: unknown }[] = Array.isArray(ctx.payload?.return_line_items)
    ? ctx.payload.return_line_items
    : [];
  return (record.lines ?? []).map<RequestedInShopifyLine>((line, i) => ({
    ...line,
    note: typeof raw[i]?.customer_note === "string" ? (raw[i].customer_note as string) : null,
  }));
}

/**
 * returns/request: a return Shopify has as requested. Aftercare's own (the storefront's, or a
 * customer-account return whose link is still to come, or never comes because the shopper left)
 * is linked to it when its lines match; any other was asked for in Shopify's own form in
 * customer accounts and is recorded so the desk shows it (docs/decisions/0025).
 */
export async function onReturnRequested(
  ctx: WebhookContext,
  adminFor: (shop: string) => Promise<AdminClient | null> = shopAdmin,
) {
  const record = returnFromPayload(ctx.payload);
  if (!record?.orderShopifyId || !record.lines?.length) return;
  // Only requests: a return the merchant creates in the admin is open at once.
  if (record.status && record.status.toLowerCase() !== "requested") return;
  if (await findReturnCaseForShopifyReturn(ctx.db, ctx.shop, record.shopifyId)) return;
  // Delivered after the return's decline or cancelation (Shopify does not promise the order): the
  // mirror already says so, and a request recorded now would hold its units for good.
  const mirrored = await mirroredReturnStatus(ctx.db, ctx.shop, record.shopifyId);
  if (mirrored === "declined" || mirrored === "canceled") return;
  const lines = requestedLines(ctx, record);
  const waiting = await unlinkedReturnFor(ctx.db, ctx.shop, record.orderShopifyId, lines);
  if (waiting) {
    const shopifyReturn = { id: record.shopifyId, name: record.name, status: "REQUESTED" };
    if (!(await linkToShopifyReturn(ctx.db, ctx.shop, waiting.id, shopifyReturn))) return;
    // The storefront emails and approves its own returns; the extension's link would have, had it come.
    if (returnChannel(waiting.idempotencyKey) === "customer_account") {
      const linked = (await findReturnCaseForShopifyReturn(ctx.db, ctx.shop, record.shopifyId))!;
      await afterCustomerRequestLinked(ctx.shop, linked, {
        db: ctx.db,
        admin: await adminFor(ctx.shop),
        secret: env().SHOPIFY_API_SECRET,
        now: ctx.now,
        log: (message) => ctx.note?.(message),
      });
    }
    return;
  }
  // Linked meanwhile by the extension (between the first look and the match): nothing to record.
  if (await findReturnCaseForShopifyReturn(ctx.db, ctx.shop, record.shopifyId)) return;
  const recorded = await recordShopifyRequest(
    ctx.db,
    ctx.shop,
    await getReturnPolicy(ctx.db, ctx.shop),
    { shopifyReturnId: record.shopifyId, shopifyReturnName: record.name, orderShopifyId: record.orderShopifyId, lines },
    ctx.eventAt,
  );
  // The order's own webhook has not been applied yet: failing lets the inbox try again later.
  if (!recorded) throw new Error(`returns/request for ${record.orderShopifyId}, an order not mirrored yet`);
}

async function caseFor({ db, shop, payload }: WebhookContext) {
  const record = returnFromPayload(payload);
  if (!record) return null;
  return db.returnCase.findFirst({ where: { shop, shopifyReturnId: record.shopifyId }, include: { lines: true } });
}

export async function onReturnApproved(ctx: WebhookContext) {
  const ret = await caseFor(ctx);
  if (!ret) return;
  const count = await ctx.db.$transaction(async (tx) => {
    const moved = await tx.returnCase.updateMany({
      where: { shop: ctx.shop, id: ret.id, status: "requested" },
      data: { status: "approved", approvedAt: ctx.eventAt, shopifyStatus: "OPEN" },
    });
    if (moved.count === 1) await returnStepEvent(tx, ctx.shop, ret.id, "approved", ctx.eventAt);
    return moved.count;
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

/**
 * orders/paid, orders/updated: an order that owes nothing by its payload may have paid an
 * exchange's price difference; Shopify is asked for the order's balance before anything moves.
 */
export async function onOrderPaymentChanged(
  ctx: WebhookContext,
  adminFor: (shop: string) => Promise<AdminClient | null> = shopAdmin,
) {
  const p = ctx.payload;
  const outstanding = typeof p?.total_outstanding === "string" ? Number(p.total_outstanding) : null;
  const settled = outstanding === null ? p?.financial_status === "paid" : outstanding <= 0;
  const orderShopifyId = gidOf("Order", p);
  if (!settled || !orderShopifyId) return;
  const waiting = await ctx.db.returnCase.count({
    where: { shop: ctx.shop, orderShopifyId, paymentRequestedAt: { not: null }, paidAt: null },
  });
  if (!waiting) return;
  const paid = await settleExchangePayments(ctx.shop, orderShopifyId, {
    db: ctx.db,
    admin: await adminFor(ctx.shop),
    now: ctx.eventAt,
  });
  if (paid) ctx.note?.(`price difference paid for ${paid} exchange(s)`);
}

let registered = false;

export function registerReturns() {
  if (registered) return;
  registered = true;
  onWebhook("returns/request", (ctx) => onReturnRequested(ctx));
  onWebhook("returns/approve", onReturnApproved);
  onWebhook("returns/decline", onReturnDeclined);
  onWebhook("returns/cancel", onReturnCanceled);
  onWebhook("returns/close", onReturnClosed);
  onWebhook("orders/paid", (ctx) => onOrderPaymentChanged(ctx));
  onWebhook("orders/updated", (ctx) => onOrderPaymentChanged(ctx));

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
