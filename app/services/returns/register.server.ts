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
import { mirroredReturn } from "../../models/shopify-returns.server";
import { returnFromPayload } from "../../webhooks/payloads";
import { registerPersonalDataArea } from "../compliance.server";

import {
  findReturnCase,
  findReturnCaseForShopifyReturn,
  findReturnCaseReplacing,
  linkToShopifyReturn,
  recordShopifyRequest,
  releaseClaims,
  unlinkedReturnFor,
  type RequestedInShopifyLine,
  type ReturnCaseWithLines,
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
 * Aftercare's return follows Shopify's as the mirror has it now: the mirror keeps the newest of
 * the return's webhooks (by Shopify's time, then status rank) and the facts older ones still give
 * (when it was approved), so whichever of them arrives last (a returns/request after its
 * returns/approve, a duplicate, a close before the approval) the case ends where Shopify's return
 * is. Each step is a conditional update, so its event and email happen once however many webhooks
 * lead to it (docs/decisions/0038).
 */
async function followShopify(ctx: WebhookContext, ret: ReturnCaseWithLines) {
  if (!ret.shopifyReturnId) return;
  const shopify = await mirroredReturn(ctx.db, ctx.shop, ret.shopifyReturnId);
  if (!shopify) return;
  if (shopify.approvedAt) await approvedInShopify(ctx, ret, shopify.approvedAt);
  const where = (from: string[]) => ({ shop: ctx.shop, id: ret.id, status: { in: from } });
  switch (shopify.status) {
    case "open":
      // Open without its approval's time (returns/process came first): that webhook brings it.
      await ctx.db.returnCase.updateMany({
        where: where(["requested"]),
        data: { status: "approved", shopifyStatus: "OPEN" },
      });
      break;
    case "closed":
      // Closed in Shopify's admin: Shopify is the record of the return; Aftercare follows.
      await ctx.db.returnCase.updateMany({
        where: where(["requested", "approved", "received", "resolved"]),
        data: { status: "closed", closedAt: shopify.closedAt ?? shopify.lastEventAt, shopifyStatus: "CLOSED" },
      });
      break;
    case "declined":
      // Declined is where a request ends: its last event is the decline.
      await markDeclined(
        ctx.db,
        ctx.shop,
        ret.id,
        (shopify.declineReason ?? "OTHER").toUpperCase(),
        shopify.declineNote,
        { admin: null, secret: env().SHOPIFY_API_SECRET, now: ctx.now },
        shopify.lastEventAt,
      );
      break;
    case "canceled": {
      const { count } = await ctx.db.returnCase.updateMany({
        where: where(["requested", "approved"]),
        data: { status: "canceled", shopifyStatus: "CANCELED" },
      });
      if (count === 1) await releaseClaims(ctx.db, ctx.shop, ret.lines);
      break;
    }
  }
}

/**
 * Shopify approved the return at `approvedAt`: a requested case is approved; a case that moved on
 * before the approval was known (closed or canceled first) gets its time. Either way once, with
 * the step's event and the shopper's email, as when the webhooks come in order.
 */
async function approvedInShopify(ctx: WebhookContext, ret: ReturnCaseWithLines, approvedAt: Date) {
  const approved = await ctx.db.$transaction(async (tx) => {
    const moved = await tx.returnCase.updateMany({
      where: { shop: ctx.shop, id: ret.id, status: "requested" },
      data: { status: "approved", approvedAt, shopifyStatus: "OPEN" },
    });
    const known =
      moved.count === 1 ||
      (
        await tx.returnCase.updateMany({
          where: { shop: ctx.shop, id: ret.id, approvedAt: null, status: { notIn: ["requested", "declined"] } },
          data: { approvedAt },
        })
      ).count === 1;
    if (known) await returnStepEvent(tx, ctx.shop, ret.id, "approved", approvedAt);
    return known;
  });
  if (approved)
    await notifyReturn(ctx.db, ctx.shop, await getReturnPolicy(ctx.db, ctx.shop), ret, "approved", {
      secret: env().SHOPIFY_API_SECRET,
      now: ctx.now,
    });
}

/**
 * returns/request: a return Shopify has as requested. Aftercare's own (the storefront's, or a
 * customer-account return whose link is still to come, or never comes because the shopper left)
 * is linked to it when its lines match; any other was asked for in Shopify's own form in
 * customer accounts and is recorded so the desk shows it (docs/decisions/0025). Either way the
 * case then follows what Shopify did since, whose webhooks may have come first. A request that an
 * approved exchange replaced (declined by Aftercare itself) changes nothing.
 */
export async function onReturnRequested(
  ctx: WebhookContext,
  adminFor: (shop: string) => Promise<AdminClient | null> = shopAdmin,
) {
  const record = returnFromPayload(ctx.payload);
  if (!record?.orderShopifyId || !record.lines?.length) return;
  // Only requests: a return the merchant creates in the admin is open at once.
  if (record.status && record.status.toLowerCase() !== "requested") return;
  const known = await findReturnCaseForShopifyReturn(ctx.db, ctx.shop, record.shopifyId);
  if (known) return followShopify(ctx, known);
  if (await findReturnCaseReplacing(ctx.db, ctx.shop, record.shopifyId)) return;
  const lines = requestedLines(ctx, record);
  const waiting = await unlinkedReturnFor(ctx.db, ctx.shop, record.orderShopifyId, lines);
  if (waiting) {
    const shopifyReturn = { id: record.shopifyId, name: record.name, status: "REQUESTED" };
    const linked = await linkToShopifyReturn(ctx.db, ctx.shop, waiting.id, shopifyReturn);
    const current = await findReturnCaseForShopifyReturn(ctx.db, ctx.shop, record.shopifyId);
    if (!current) return;
    // The storefront emails and approves its own returns; the extension's link would have, had it come.
    if (linked && returnChannel(waiting.idempotencyKey) === "customer_account") {
      const shopify = await mirroredReturn(ctx.db, ctx.shop, record.shopifyId);
      await afterCustomerRequestLinked(ctx.shop, current, {
        db: ctx.db,
        admin: await adminFor(ctx.shop),
        secret: env().SHOPIFY_API_SECRET,
        now: ctx.now,
        log: (message) => ctx.note?.(message),
        // Approved or declined in Shopify already (its webhook came first): not Aftercare's to decide.
        autoApprove: shopify?.status === "requested",
      });
    }
    return followShopify(ctx, (await findReturnCase(ctx.db, ctx.shop, current.id)) ?? current);
  }
  // Linked meanwhile by the extension (between the first look and the match): it follows Shopify.
  const linkedMeanwhile = await findReturnCaseForShopifyReturn(ctx.db, ctx.shop, record.shopifyId);
  if (linkedMeanwhile) return followShopify(ctx, linkedMeanwhile);
  const recorded = await recordShopifyRequest(
    ctx.db,
    ctx.shop,
    await getReturnPolicy(ctx.db, ctx.shop),
    { shopifyReturnId: record.shopifyId, shopifyReturnName: record.name, orderShopifyId: record.orderShopifyId, lines },
    ctx.eventAt,
  );
  // The order's own webhook has not been applied yet: failing lets the inbox try again later.
  if (!recorded) throw new Error(`returns/request for ${record.orderShopifyId}, an order not mirrored yet`);
  await followShopify(ctx, recorded.returnCase);
}

/**
 * returns/approve, returns/decline, returns/cancel, returns/close: the case linked to the return
 * follows Shopify. None yet: its returns/request, still to come, records or links it and then
 * follows what these said.
 */
async function onReturnChanged(ctx: WebhookContext) {
  const record = returnFromPayload(ctx.payload);
  if (!record) return;
  const ret = await findReturnCaseForShopifyReturn(ctx.db, ctx.shop, record.shopifyId);
  if (ret) await followShopify(ctx, ret);
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
  for (const topic of ["returns/approve", "returns/decline", "returns/cancel", "returns/close"])
    onWebhook(topic, onReturnChanged);
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
