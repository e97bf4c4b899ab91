/**
 * Points from webhooks. Every booking is keyed by its source (order:<gid>, refund:<gid>,
 * cancel:<gid>, signup:<gid>, merge:<member>), so a repeated webhook books nothing, and the order
 * in which they arrive does not change the result: a paid order settles the refunds and the
 * cancellation already in the mirror, and a refund or cancellation settles against an order that
 * has already earned.
 */
import type { LoyaltyOrder } from "@prisma/client";

import type { Db } from "../../db.server";
import { toMinor } from "../../domain/shared/money";
import { findAccountByEmail, findCustomerRedaction } from "../../models/customers.server";
import { markMetafieldsDue } from "../../models/metafield-sync.server";
import { findOrderCancellation, refundsWithLineSubtotals } from "../../models/orders.server";
import { rawRows } from "../../models/raw-sql.server";
import { gid, gidOf } from "../../domain/shared/shopify-ids";
import { addDays, earningBasisMinor, pointsForRefund, pointsForSpend, sortedTiers } from "../../domain/loyalty/points";
import type { LoyaltySettings } from "../../domain/loyalty/settings";
import type { Json } from "../../webhooks/payloads";

import { postEntry } from "./ledger.server";
import { customerKey, emailKey, memberForCustomer, memberForGuestEmail, refreshTier } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

function shopMoney(set: Json, fallback: unknown, currency: string): number {
  const m = set?.shop_money;
  if (m?.amount !== undefined) return toMinor(m.amount, m.currency_code ?? currency);
  return fallback === undefined || fallback === null ? 0 : toMinor(fallback as string, currency);
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

/**
 * orders/paid: the order earns pending points for its customer, or for its email if a guest's, then
 * is settled (settleOrder) unless `settle` is false: the webhook listener settles once per order and
 * effects batch instead. `settings` when the caller has read them.
 */
export async function earnForPaidOrder(
  db: Db,
  shop: string,
  payload: Json,
  eventAt: Date,
  now: Date,
  options: { settings?: LoyaltySettings; settle?: boolean } = {},
) {
  const settings = options.settings ?? (await loadLoyaltySettings(db, shop));
  if (!settings.enabled) return "off";
  const orderGid = gidOf("Order", payload);
  if (!orderGid) return "no-order";
  let [loyaltyOrder] = await rawRows<LoyaltyOrder>(
    db,
    `SELECT * FROM "LoyaltyOrder" WHERE "shop" = {} AND "orderShopifyId" = {}`,
    [shop, orderGid],
  );
  if (!loyaltyOrder) {
    if (payload.test === true) return "test-order";
    const customerGid = gidOf("Customer", payload.customer);
    const email = str(payload.email) ?? str(payload.contact_email) ?? str(payload.customer?.email);
    let member;
    if (customerGid) member = await memberForCustomer(db, shop, customerGid, email);
    else if (email) {
      // A guest order from the address of an existing account belongs to that account.
      const account = await findAccountByEmail(db, shop, email);
      member = account
        ? await memberForCustomer(db, shop, account.shopifyId, email)
        : await memberForGuestEmail(db, shop, email);
    } else return "anonymous";
    const currency = str(payload.currency) ?? "USD";
    const amounts = {
      currency,
      linesMinor: shopMoney(payload.subtotal_price_set, payload.subtotal_price, currency),
      shippingMinor: shopMoney(payload.total_shipping_price_set, undefined, currency),
      taxMinor: shopMoney(payload.total_tax_set, payload.total_tax, currency),
    };
    const basis = earningBasisMinor(amounts, settings);
    const tier = sortedTiers(settings.tiers).find((t) => t.key === member.tierKey);
    const points = pointsForSpend(basis, currency, settings.pointsPerUnit, tier?.multiplier ?? 1);
    const paidAt = eventAt;
    try {
      loyaltyOrder = await db.loyaltyOrder.create({
        data: {
          shop,
          orderShopifyId: orderGid,
          orderName: str(payload.name) ?? orderGid,
          memberId: member.id,
          currency,
          basisMinor: basis,
          linesMinor: amounts.linesMinor,
          pointsEarned: points,
          paidAt,
          availableAt: addDays(paidAt, settings.pendingDays),
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
      loyaltyOrder = await db.loyaltyOrder.findUniqueOrThrow({
        where: { shop_orderShopifyId: { shop, orderShopifyId: orderGid } },
      });
    }
  }
  if (loyaltyOrder.pointsEarned > 0) {
    await postEntry(
      db,
      shop,
      loyaltyOrder.memberId,
      {
        sourceKey: `order:${orderGid}`,
        kind: "earn_order",
        points: loyaltyOrder.pointsEarned,
        availableAt: loyaltyOrder.availableAt,
        orderShopifyId: orderGid,
        reason: loyaltyOrder.orderName,
      },
      { now },
    );
  }
  if (options.settle !== false) await settleOrder(db, shop, orderGid, now, settings);
  return "earned";
}

/** Takes back the points of refunds and a cancellation that the mirror holds for an order that earned. */
export async function settleOrder(db: Db, shop: string, orderGid: string, now: Date, settings?: LoyaltySettings) {
  // Plain reads (decision 0012): the effects stage settles every order its batches touch, and most
  // have nothing to take back; each is one prepared statement instead of a compiled query.
  const [lo] = await rawRows<LoyaltyOrder>(
    db,
    `SELECT * FROM "LoyaltyOrder" WHERE "shop" = {} AND "orderShopifyId" = {}`,
    [shop, orderGid],
  );
  if (!lo) return "not-earned";
  const refunds = await refundsWithLineSubtotals(db, shop, orderGid);
  // Taking back points still pending comes out of the pending amount; otherwise out of what is available.
  const reversalAt = lo.availableAt > now ? lo.availableAt : now;
  // Only a shortcut: postEntry books a source once whatever this says.
  const booked = async (sourceKey: string) =>
    (
      await rawRows<{ id: string }>(
        db,
        `SELECT "id" FROM "LoyaltyLedgerEntry" WHERE "shop" = {} AND "sourceKey" = {}`,
        [shop, sourceKey],
      )
    ).length > 0;

  for (const refund of refunds) {
    const sourceKey = `refund:${refund.shopifyId}`;
    if (await booked(sourceKey)) continue;
    const refundedLines = refund.lines.reduce((s, l) => s + l.subtotalMinor, 0);
    let wanted = 0;
    await postEntry(
      db,
      shop,
      lo.memberId,
      {
        sourceKey,
        kind: "reverse_refund",
        points: 0,
        availableAt: reversalAt,
        orderShopifyId: orderGid,
        reason: lo.orderName,
      },
      {
        now,
        mode: "cap",
        // Read under the member's lock: the share depends on what earlier refunds took back.
        compute: async (tx) => {
          const cur = await tx.loyaltyOrder.findUniqueOrThrow({ where: { id: lo.id } });
          wanted = pointsForRefund({
            pointsEarned: cur.pointsEarned,
            pointsReversed: cur.pointsReversed,
            linesMinor: cur.linesMinor,
            refundedLinesMinor: cur.refundedMinor + refundedLines,
          });
          return -wanted;
        },
        alongside: async (tx) => {
          await tx.loyaltyOrder.update({
            where: { id: lo.id },
            data: { refundedMinor: { increment: refundedLines }, pointsReversed: { increment: wanted } },
          });
        },
      },
    );
  }

  const order = await findOrderCancellation(db, shop, orderGid);
  if (order?.cancelledAt && !(await booked(`cancel:${orderGid}`))) {
    let wanted = 0;
    await postEntry(
      db,
      shop,
      lo.memberId,
      {
        sourceKey: `cancel:${orderGid}`,
        kind: "reverse_cancel",
        points: 0,
        availableAt: reversalAt,
        orderShopifyId: orderGid,
        reason: lo.orderName,
      },
      {
        now,
        mode: "cap",
        compute: async (tx) => {
          const cur = await tx.loyaltyOrder.findUniqueOrThrow({ where: { id: lo.id } });
          wanted = Math.max(0, cur.pointsEarned - cur.pointsReversed);
          return -wanted;
        },
        alongside: async (tx) => {
          await tx.loyaltyOrder.update({
            where: { id: lo.id },
            data: { cancelledAt: order.cancelledAt, pointsReversed: { increment: wanted } },
          });
        },
      },
    );
  }
  await refreshTier(db, shop, lo.memberId, settings ?? (await loadLoyaltySettings(db, shop)), now);
  return "settled";
}

/** Shopify's customer `state`: "enabled" once the customer has an account they can sign in to. */
export function hasAccount(payload: Json): boolean {
  return str(payload?.state)?.toLowerCase() === "enabled";
}

/**
 * customers/create and customers/update. On create, a guest's points (an e:<email> member) become
 * the customer's, whatever the state: Shopify files guest checkouts as customers too. The sign-up
 * bonus is for an account only: a customer seen with state "enabled" (created with an account, or
 * updated when it is activated) gets it once, keyed signup:<gid>, whichever delivery shows it first
 * and however often it is repeated. Guest records ("disabled") and invitations not yet accepted
 * ("invited", "declined") earn nothing and get no member of their own.
 */
export async function onCustomerChanged(
  db: Db,
  shop: string,
  topic: "customers/create" | "customers/update",
  payload: Json,
  now: Date,
  preloaded?: LoyaltySettings,
) {
  const customerGid = gidOf("Customer", payload);
  if (!customerGid) return "no-customer";
  const email = str(payload.email)?.toLowerCase() ?? null;
  let memberId: string | null = null;
  if (topic === "customers/create") memberId = await takeOverGuest(db, shop, customerGid, email, now);
  const settings = preloaded ?? (await loadLoyaltySettings(db, shop));
  if (!settings.enabled) return "off";
  if (!hasAccount(payload)) {
    if (memberId) await refreshTier(db, shop, memberId, settings, now);
    return "no-account";
  }
  const sourceKey = `signup:${customerGid}`;
  // customers/update comes often (every order touches the customer): once booked, nothing to do.
  if (await db.loyaltyLedgerEntry.findUnique({ where: { shop_sourceKey: { shop, sourceKey } }, select: { id: true } }))
    return "member";
  // A late delivery for a customer whose data was erased must not make them a member again.
  const mirrored = await findCustomerRedaction(db, shop, customerGid);
  if (mirrored?.redactedAt) return "redacted";
  memberId ??= (await memberForCustomer(db, shop, customerGid, email)).id;
  if (settings.signupBonus > 0) {
    await postEntry(
      db,
      shop,
      memberId,
      { sourceKey, kind: "signup", points: settings.signupBonus, availableAt: now, reason: "Account created" },
      { now },
    );
  }
  await refreshTier(db, shop, memberId, settings, now);
  return "member";
}

/**
 * A guest member with the customer's email becomes (or is merged into) the customer's member.
 * Returns the customer's member when there is one.
 */
async function takeOverGuest(
  db: Db,
  shop: string,
  customerGid: string,
  email: string | null,
  now: Date,
): Promise<string | null> {
  const guest = email
    ? await db.loyaltyMember.findUnique({ where: { shop_key: { shop, key: emailKey(email) } } })
    : null;
  const account = await db.loyaltyMember.findUnique({ where: { shop_key: { shop, key: customerKey(customerGid) } } });
  if (guest && !account) {
    // The guest member becomes the account's member: its ledger comes with it unchanged.
    const moved = await db.loyaltyMember.updateMany({
      where: { id: guest.id, shop, key: emailKey(email!) },
      data: { key: customerKey(customerGid), customerShopifyId: customerGid },
    });
    // The guest's points are now the customer's: they reach the customer's metafields.
    if (moved.count === 1) await markMetafieldsDue(db, shop, guest.id, now);
    return moved.count === 1
      ? guest.id
      : ((await db.loyaltyMember.findUnique({ where: { shop_key: { shop, key: customerKey(customerGid) } } }))?.id ??
          null);
  }
  if (guest && account) await mergeGuestInto(db, shop, guest.id, account.id, now);
  return account?.id ?? null;
}

/**
 * When an account's member already existed (its order was paid before customers/create arrived),
 * the guest member's points move over as a keyed pair of entries and its orders follow.
 */
async function mergeGuestInto(db: Db, shop: string, guestId: string, accountId: string, now: Date) {
  const guestEntries = await db.loyaltyLedgerEntry.findMany({
    where: { shop, memberId: guestId },
    select: { points: true, availableAt: true },
  });
  // Each unlock date moves as it is, so pending points stay pending until the same day.
  const byDate = new Map<number, number>();
  for (const e of guestEntries) {
    const at = Math.max(e.availableAt.getTime(), now.getTime());
    byDate.set(at, (byDate.get(at) ?? 0) + e.points);
  }
  for (const [at, points] of byDate) {
    if (points <= 0) continue;
    const availableAt = new Date(at);
    const out = await postEntry(
      db,
      shop,
      guestId,
      {
        sourceKey: `merge-out:${guestId}:${at}`,
        kind: "merge_out",
        points: -points,
        availableAt,
        reason: "Moved to the customer's account",
      },
      { now, mode: "cap" },
    );
    if (out.status !== "posted") continue;
    await postEntry(
      db,
      shop,
      accountId,
      {
        sourceKey: `merge-in:${guestId}:${at}`,
        kind: "merge_in",
        points: -out.points,
        availableAt,
        reason: "Points from guest orders",
      },
      { now },
    );
  }
  await db.loyaltyOrder.updateMany({ where: { shop, memberId: guestId }, data: { memberId: accountId } });
}

export { customerKey, emailKey, gid };
