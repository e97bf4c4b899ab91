/**
 * Aftercare's returns: what an order can still return, and a shopper's request turned into a
 * return. Creating one claims the quantities with a conditional UPDATE inside the transaction that
 * writes the return, so two requests at once can never hold more of a line than was shipped; a
 * repeated submission (same key) finds the first return instead of making a second.
 */
import type { Db } from "../../db.server";
import {
  autoApproves,
  checkRequest,
  isExchange,
  lineEligibility,
  lineValueMinor,
  LIVE_STATUSES,
  quoteReturn,
  shipmentOnTheWay,
  type LineEligibility,
  type LineFacts,
  type RequestedItem,
  type Resolution,
  type ReturnPolicy,
} from "../../domain/returns/policy";
import { newItemsMinor } from "../../domain/returns/exchange";
import { SHOPIFY_REQUEST_KEY_PREFIX } from "../../domain/returns/desk";
import { languageFor } from "../../domain/tracking/settings";
import { ShopifyApiError, type AdminClient } from "../../shopify/admin.server";
import { ProductsInCollection, ProductTags } from "../../shopify/operations/returns";
import { findOrderWithLineItems, refundsWithLines, successfulFulfillmentsWithLines } from "../../models/orders.server";
import { unitsInShopifyReturns } from "../../models/shopify-returns.server";

import type { ExchangeChoice } from "./exchanges.server";
import { ReturnsError } from "./errors.server";
import { returnStepEvent } from "./events.server";

export interface OrderForReturns {
  order: {
    shopifyId: string;
    name: string;
    email: string | null;
    customerShopifyId: string | null;
    customerLocale: string | null;
    currency: string;
    totalMinor: number;
    cancelled: boolean;
    orderedAt: Date;
  };
  lines: (LineFacts & {
    title: string;
    variantTitle: string | null;
    variantId: string | null;
    imageUrl: string | null;
    sku: string | null;
  })[];
}

/** What the policy's exclusions need to know about a product, as Shopify has it now. */
export interface ProductFacts {
  tags: string[];
  /** The policy's excluded collections the product is in. */
  collectionIds: string[];
}

const SHOPIFY_UNAVAILABLE = "Returns cannot be checked right now. Please try again shortly.";
const BATCH = 50;

/**
 * Products' tags and membership of the policy's excluded collections, asked of the Admin API each
 * time (order webhooks carry neither, and a collection's products change, smart ones on their own).
 * Without the Admin API such a policy cannot be applied, so that is refused rather than guessed.
 */
export async function productFactsFor(
  admin: AdminClient | null,
  policy: ReturnPolicy,
  productIds: string[],
): Promise<Map<string, ProductFacts>> {
  const facts = new Map<string, ProductFacts>();
  const { tags, collections } = policy.exclusions;
  if ((tags.length === 0 && collections.length === 0) || productIds.length === 0) return facts;
  if (!admin) throw new ReturnsError(502, "shopify_unavailable", SHOPIFY_UNAVAILABLE);
  const of = (id: string) => facts.get(id) ?? facts.set(id, { tags: [], collectionIds: [] }).get(id)!;
  try {
    for (let i = 0; i < productIds.length; i += BATCH) {
      const ids = productIds.slice(i, i + BATCH);
      if (tags.length > 0) {
        const { nodes } = await admin.request(ProductTags, { ids });
        for (const n of nodes) if (n?.__typename === "Product") of(n.id).tags = n.tags;
      }
      for (const collection of collections) {
        const { nodes } = await admin.request(ProductsInCollection, { ids, collectionId: collection.id });
        for (const n of nodes) {
          if (n?.__typename === "Product" && n.inCollection) of(n.id).collectionIds.push(collection.id);
        }
      }
    }
  } catch (error) {
    if (error instanceof ShopifyApiError) throw new ReturnsError(502, "shopify_unavailable", SHOPIFY_UNAVAILABLE);
    throw error;
  }
  return facts;
}

/**
 * The order's facts for eligibility; `products` (from productFactsFor) must be given whenever the policy excludes by
 * tag or collection.
 */
export async function loadOrderForReturns(
  db: Db,
  shop: string,
  orderShopifyId: string,
  products?: Map<string, ProductFacts>,
): Promise<OrderForReturns | null> {
  const order = await findOrderWithLineItems(db, shop, orderShopifyId);
  if (!order || order.redactedAt) return null;
  const [fulfillments, claims, refunds, inShopifyReturns] = await Promise.all([
    successfulFulfillmentsWithLines(db, shop, orderShopifyId),
    db.returnLineClaim.findMany({ where: { shop, orderShopifyId } }),
    refundsWithLines(db, shop, orderShopifyId),
    unitsInShopifyReturns(db, shop, orderShopifyId),
  ]);
  return {
    order: {
      shopifyId: order.shopifyId,
      name: order.name,
      email: order.email,
      customerShopifyId: order.customerShopifyId,
      customerLocale: order.customerLocale,
      currency: order.currency,
      totalMinor: order.totalMinor,
      cancelled: order.cancelledAt !== null,
      orderedAt: order.processedAt ?? order.shopifyCreatedAt,
    },
    lines: order.lineItems.map((li) => {
      const carrying = fulfillments.filter((f) => f.lines.some((l) => l.lineItemShopifyId === li.shopifyId));
      const fulfilledQuantity = carrying.reduce(
        (n, f) => n + f.lines.filter((l) => l.lineItemShopifyId === li.shopifyId).reduce((m, l) => m + l.quantity, 0),
        0,
      );
      const fulfilledAt = carrying.length
        ? new Date(Math.min(...carrying.map((f) => f.shopifyCreatedAt.getTime())))
        : null;
      const delivered = carrying.map((f) => f.deliveredAt).filter((d): d is Date => d !== null);
      const unitsIn = (f: (typeof carrying)[number]) =>
        f.lines.filter((l) => l.lineItemShopifyId === li.shopifyId).reduce((m, l) => m + l.quantity, 0);
      const inTransitQuantity = carrying
        .filter((f) => shipmentOnTheWay(f.shipmentStatus, f.deliveredAt !== null))
        .reduce((n, f) => n + unitsIn(f), 0);
      return {
        lineItemId: li.shopifyId,
        productId: li.productShopifyId,
        productTags:
          (li.productShopifyId && products?.get(li.productShopifyId)?.tags) ||
          li.productTags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        productCollectionIds: (li.productShopifyId && products?.get(li.productShopifyId)?.collectionIds) || [],
        quantity: li.quantity,
        priceMinor: li.priceMinor,
        totalDiscountMinor: li.totalDiscountMinor,
        requiresShipping: li.requiresShipping,
        fulfilledQuantity: Math.min(fulfilledQuantity, li.quantity),
        inTransitQuantity,
        fulfilledAt,
        deliveredAt:
          delivered.length === carrying.length && delivered.length > 0
            ? new Date(Math.max(...delivered.map((d) => d.getTime())))
            : null,
        // Aftercare's claims, or Shopify's returns when they hold more (a return from before the
        // install, or made in Shopify's admin): Aftercare's linked returns are among Shopify's.
        claimedQuantity: Math.max(
          claims.find((c) => c.lineItemShopifyId === li.shopifyId)?.claimed ?? 0,
          inShopifyReturns.get(li.shopifyId) ?? 0,
        ),
        refundedQuantity: refunds.reduce(
          (n, r) => n + r.lines.filter((l) => l.lineItemShopifyId === li.shopifyId).reduce((m, l) => m + l.quantity, 0),
          0,
        ),
        title: li.title,
        variantTitle: li.variantTitle,
        variantId: li.variantShopifyId,
        imageUrl: li.imageUrl,
        sku: li.sku,
      };
    }),
  };
}

export function eligibilityOf(policy: ReturnPolicy, data: OrderForReturns, now: Date): LineEligibility[] {
  return data.lines.map((l) => lineEligibility(policy, data.order, l, now));
}

export interface CreateReturnInput {
  orderShopifyId: string;
  idempotencyKey: string;
  items: RequestedItem[];
  resolution: string;
  locale: string;
  /** Exchange variants as the Admin API described them, by variant id (checkExchangeChoices). */
  exchanges?: Record<string, ExchangeChoice>;
  /** The order's products as productFactsFor found them. */
  productFacts?: Map<string, ProductFacts>;
}

export type ReturnCaseWithLines = NonNullable<Awaited<ReturnType<typeof findReturnCase>>>;

/** A case by the number the merchant and shopper see ("1001-R1"), or null. */
export function findReturnCaseByNumber(db: Db, shop: string, number: string) {
  return db.returnCase.findUnique({ where: { shop_number: { shop, number } }, select: { id: true, status: true } });
}

export function findReturnCase(db: Db, shop: string, id: string) {
  return db.returnCase.findFirst({ where: { shop, id }, include: { lines: true } });
}

const isUnique = (e: unknown) => (e as { code?: string }).code === "P2002";

/**
 * What an exchange's new items cost, one per returned unit at the price Shopify gave. Dearer new
 * items are allowed: the shopper pays the difference through Shopify's invoice once the exchange
 * is approved (0032-exchange-price-difference.md).
 */
function exchangeCost(input: CreateReturnInput, chosen: { item: RequestedItem }[]): number {
  const priced = chosen.map(({ item }) => ({
    quantity: item.quantity,
    choice: input.exchanges?.[item.exchangeVariantId ?? ""],
  }));
  if (priced.some((p) => !p.choice))
    throw new ReturnsError(
      422,
      "exchange_unavailable",
      "The item you chose in exchange is not available any more. Choose another.",
    );
  return newItemsMinor(priced.map((p) => ({ quantity: p.quantity, unitPriceMinor: p.choice!.unitPriceMinor })));
}

class ClaimLost extends Error {}

export async function createReturnCase(
  db: Db,
  shop: string,
  policy: ReturnPolicy,
  input: CreateReturnInput,
  now: Date,
): Promise<{ returnCase: ReturnCaseWithLines; created: boolean }> {
  const existing = await db.returnCase.findUnique({
    where: { shop_idempotencyKey: { shop, idempotencyKey: input.idempotencyKey } },
    include: { lines: true },
  });
  if (existing) {
    if (existing.orderShopifyId !== input.orderShopifyId)
      throw new ReturnsError(
        409,
        "key_reused",
        "This submission key belongs to another return. Reload the page and try again.",
      );
    return { returnCase: existing, created: false };
  }
  const data = await loadOrderForReturns(db, shop, input.orderShopifyId, input.productFacts);
  if (!data) throw new ReturnsError(404, "not_found", "We could not find an order with that number and email.");
  if (!policy.enabled) throw new ReturnsError(422, "returns_off", "This shop is not taking returns online right now.");
  const eligibility = eligibilityOf(policy, data, now);
  const problems = checkRequest(policy, eligibility, input.items, input.resolution);
  if (problems.length) throw new ReturnsError(422, problems[0].code, problems[0].message, problems);
  const resolution = input.resolution as Resolution;

  const chosen = input.items.map((item) => ({ item, line: data.lines.find((l) => l.lineItemId === item.lineItemId)! }));
  const itemsMinor = chosen.reduce((n, { item, line }) => n + lineValueMinor(line, item.quantity), 0);
  const quote = quoteReturn(policy, itemsMinor, resolution);
  const exchangeMinor = isExchange(resolution) ? exchangeCost(input, chosen) : 0;
  const priorReturns = data.order.customerShopifyId
    ? await db.returnCase.count({
        where: { shop, customerShopifyId: data.order.customerShopifyId, status: { in: LIVE_STATUSES } },
      })
    : await db.returnCase.count({
        where: { shop, email: data.order.email ?? "\u0000", status: { in: LIVE_STATUSES } },
      });
  const auto = autoApproves(policy, {
    reasons: input.items.map((i) => i.reason),
    orderTotalMinor: data.order.totalMinor,
    priorReturns,
  });

  // Claim rows exist before the transaction, so concurrent requests only ever UPDATE them.
  for (const { line } of chosen) {
    try {
      await db.returnLineClaim.create({
        data: { shop, lineItemShopifyId: line.lineItemId, orderShopifyId: data.order.shopifyId, claimed: 0 },
      });
    } catch (e) {
      if (!isUnique(e)) throw e;
    }
  }

  for (let attempt = 0; attempt < 5; attempt++) {
    const sequence =
      (await db.returnCase.count({ where: { shop, orderShopifyId: data.order.shopifyId } })) + 1 + attempt;
    const number = `${data.order.name.replace(/^#/, "")}-R${sequence}`;
    try {
      // Nothing in this transaction throws on a lost race: on SQLite other statements of this
      // process share its connection while it is open, and a rollback would take them too.
      const outcome = await db.$transaction(async (tx) => {
        const same = await tx.returnCase.findUnique({
          where: { shop_idempotencyKey: { shop, idempotencyKey: input.idempotencyKey } },
          include: { lines: true },
        });
        if (same) return { same };
        if (await tx.returnCase.findUnique({ where: { shop_number: { shop, number } }, select: { id: true } }))
          return { numberTaken: true as const };
        const claimed: { lineItemShopifyId: string; quantity: number }[] = [];
        for (const { item, line } of chosen) {
          const limit = Math.min(line.quantity, line.fulfilledQuantity) - item.quantity;
          const { count } = await tx.returnLineClaim.updateMany({
            where: { shop, lineItemShopifyId: line.lineItemId, claimed: { lte: limit } },
            data: { claimed: { increment: item.quantity } },
          });
          if (count !== 1) {
            for (const c of claimed)
              await tx.returnLineClaim.updateMany({
                where: { shop, lineItemShopifyId: c.lineItemShopifyId },
                data: { claimed: { decrement: c.quantity } },
              });
            return { lost: true as const };
          }
          claimed.push({ lineItemShopifyId: line.lineItemId, quantity: item.quantity });
        }
        const created = await tx.returnCase.create({
          data: {
            shop,
            number,
            idempotencyKey: input.idempotencyKey,
            orderShopifyId: data.order.shopifyId,
            orderName: data.order.name,
            customerShopifyId: data.order.customerShopifyId,
            email: data.order.email?.toLowerCase() ?? null,
            locale: input.locale,
            status: "requested",
            resolution,
            currency: data.order.currency,
            itemsMinor: quote.itemsMinor,
            restockingFeeMinor: quote.restockingFeeMinor,
            shippingFeeMinor: quote.shippingFeeMinor,
            bonusMinor: quote.bonusMinor,
            resolutionMinor: quote.totalMinor,
            exchangeMinor,
            autoApproved: auto,
            requestedAt: now,
            lines: {
              create: chosen.map(({ item, line }) => ({
                lineItemShopifyId: line.lineItemId,
                productShopifyId: line.productId,
                variantShopifyId: line.variantId,
                title: line.title,
                variantTitle: line.variantTitle,
                quantity: item.quantity,
                unitPriceMinor: Math.floor(lineValueMinor(line, item.quantity) / item.quantity),
                reason: item.reason,
                note: item.note?.trim() ? item.note.trim().slice(0, 1000) : null,
                exchangeVariantShopifyId: item.exchangeVariantId ?? null,
                exchangeProductShopifyId: item.exchangeVariantId
                  ? (input.exchanges?.[item.exchangeVariantId]?.productId ?? null)
                  : null,
                exchangeTitle: item.exchangeVariantId
                  ? (input.exchanges?.[item.exchangeVariantId]?.title ?? null)
                  : null,
                exchangeUnitPriceMinor: item.exchangeVariantId
                  ? (input.exchanges?.[item.exchangeVariantId]?.unitPriceMinor ?? null)
                  : null,
              })),
            },
          },
          include: { lines: true },
        });
        await returnStepEvent(tx, shop, created.id, "requested", now);
        return { created };
      });
      if ("same" in outcome && outcome.same) return { returnCase: outcome.same, created: false };
      if ("created" in outcome && outcome.created) return { returnCase: outcome.created, created: true };
      if ("lost" in outcome) throw new ClaimLost();
      continue;
    } catch (error) {
      if (error instanceof ClaimLost) {
        // The same submission, sent twice at once: the first one holds the quantities.
        const same = await db.returnCase.findUnique({
          where: { shop_idempotencyKey: { shop, idempotencyKey: input.idempotencyKey } },
          include: { lines: true },
        });
        if (same) return { returnCase: same, created: false };
        throw new ReturnsError(
          409,
          "quantity_too_high",
          "Some of these items were just included in another return. Reload the page to see what " +
            "can still be returned.",
        );
      }
      if (!isUnique(error)) throw error;
      const same = await db.returnCase.findUnique({
        where: { shop_idempotencyKey: { shop, idempotencyKey: input.idempotencyKey } },
        include: { lines: true },
      });
      if (same) return { returnCase: same, created: false };
      // Another return for the order took this number: try the next.
    }
  }
  throw new ReturnsError(409, "busy", "Several returns were being created for this order at once. Please try again.");
}

/** Gives a declined or cancelled return's quantities back to the order. Idempotent per status move. */
export async function releaseClaims(db: Db, shop: string, lines: { lineItemShopifyId: string; quantity: number }[]) {
  for (const line of lines) {
    await db.returnLineClaim.updateMany({
      where: { shop, lineItemShopifyId: line.lineItemShopifyId, claimed: { gte: line.quantity } },
      data: { claimed: { decrement: line.quantity } },
    });
  }
}

/** A line of a return request as Shopify's returns/request webhook gives it. */
export interface RequestedInShopifyLine {
  lineItemShopifyId: string;
  quantity: number;
  /** Shopify's reason (its ReturnReason in lower case, as REST payloads write it), if any. */
  reason: string | null;
  /** The shopper's own words (customer_note). */
  note: string | null;
}

/** Units per order line item. */
function unitsByLine(lines: { lineItemShopifyId: string; quantity: number }[]) {
  const units = new Map<string, number>();
  for (const l of lines) units.set(l.lineItemShopifyId, (units.get(l.lineItemShopifyId) ?? 0) + l.quantity);
  return units;
}

/** Aftercare's return that Shopify's return `shopifyReturnId` already stands for, if any. */
export function findReturnCaseForShopifyReturn(db: Db, shop: string, shopifyReturnId: string) {
  return db.returnCase.findFirst({ where: { shop, shopifyReturnId }, include: { lines: true } });
}

/**
 * Aftercare's exchange whose approval declined Shopify's return request `shopifyReturnId` and
 * replaced it with the exchange's own return (workflow.server.ts), if any.
 */
export function findReturnCaseReplacing(db: Db, shop: string, shopifyReturnId: string) {
  return db.returnCase.findFirst({ where: { shop, replacedShopifyReturnId: shopifyReturnId }, select: { id: true } });
}

/**
 * Aftercare's oldest return of the order that waits for Shopify's (requested, not linked) with
 * exactly these lines and quantities: the request Shopify made for it, whose link has not come yet
 * (a customer-account shopper who closed the page, or the webhook arriving before the answer).
 */
export async function unlinkedReturnFor(
  db: Db,
  shop: string,
  orderShopifyId: string,
  lines: { lineItemShopifyId: string; quantity: number }[],
): Promise<ReturnCaseWithLines | null> {
  const wanted = unitsByLine(lines);
  const candidates = await db.returnCase.findMany({
    // One that replaced its request (an exchange being approved) takes no other.
    where: { shop, orderShopifyId, status: "requested", shopifyReturnId: null, replacedShopifyReturnId: null },
    include: { lines: true },
    orderBy: { requestedAt: "asc" },
  });
  return (
    candidates.find((c) => {
      const held = unitsByLine(c.lines);
      return held.size === wanted.size && [...wanted].every(([id, n]) => held.get(id) === n);
    }) ?? null
  );
}

/**
 * Links an unlinked return to Shopify's; false when it was linked meanwhile, is no longer a
 * request, or is an exchange that replaced its request.
 */
export async function linkToShopifyReturn(
  db: Db,
  shop: string,
  id: string,
  shopifyReturn: { id: string; name: string | null; status: string },
): Promise<boolean> {
  const { count } = await db.returnCase.updateMany({
    where: { shop, id, status: "requested", shopifyReturnId: null, replacedShopifyReturnId: null },
    data: {
      shopifyReturnId: shopifyReturn.id,
      shopifyStatus: shopifyReturn.status,
      syncError: null,
      ...(shopifyReturn.name ? { shopifyReturnName: shopifyReturn.name } : {}),
    },
  });
  return count === 1;
}

/**
 * A return request the shopper made in Shopify's own form (customer accounts), which Aftercare
 * only learns of from returns/request: recorded as a return so the desk shows it with its lines,
 * reasons and the shopper's notes, keyed by Shopify's return id so a repeated webhook finds it.
 * Shopify has accepted it already and the shopper saw none of Aftercare's terms, so none apply:
 * a refund of what the items were paid, no fees, no bonus, no auto-approval; the merchant decides.
 * Its quantities are claimed, so the storefront and customer accounts stop offering them.
 * Null when the order is not in the mirror (yet).
 */
export async function recordShopifyRequest(
  db: Db,
  shop: string,
  policy: ReturnPolicy,
  request: {
    shopifyReturnId: string;
    shopifyReturnName: string | null;
    orderShopifyId: string;
    lines: RequestedInShopifyLine[];
  },
  now: Date,
): Promise<{ returnCase: ReturnCaseWithLines; created: boolean } | null> {
  const returnNumber = request.shopifyReturnId.slice(request.shopifyReturnId.lastIndexOf("/") + 1);
  const idempotencyKey = `${SHOPIFY_REQUEST_KEY_PREFIX}${returnNumber}`;
  const existing = await db.returnCase.findUnique({
    where: { shop_idempotencyKey: { shop, idempotencyKey } },
    include: { lines: true },
  });
  if (existing) return { returnCase: existing, created: false };
  const data = await loadOrderForReturns(db, shop, request.orderShopifyId);
  if (!data) return null;
  const chosen = request.lines.map((item) => ({
    item,
    line: data.lines.find((l) => l.lineItemId === item.lineItemShopifyId),
  }));
  if (chosen.some((c) => !c.line)) return null;
  const reasonOf = (shopifyReason: string | null) => {
    const code = (shopifyReason ?? "other").toUpperCase();
    return policy.reasons.find((r) => r.shopifyReason === code)?.id ?? code.toLowerCase();
  };
  const itemsMinor = chosen.reduce((n, { item, line }) => n + lineValueMinor(line!, item.quantity), 0);
  for (const { line } of chosen) {
    try {
      await db.returnLineClaim.create({
        data: { shop, lineItemShopifyId: line!.lineItemId, orderShopifyId: data.order.shopifyId, claimed: 0 },
      });
    } catch (e) {
      if (!isUnique(e)) throw e;
    }
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const sequence =
      (await db.returnCase.count({ where: { shop, orderShopifyId: data.order.shopifyId } })) + 1 + attempt;
    const number = `${data.order.name.replace(/^#/, "")}-R${sequence}`;
    try {
      // As in createReturnCase: nothing in the transaction throws on a lost race.
      const outcome = await db.$transaction(async (tx) => {
        const same = await tx.returnCase.findUnique({
          where: { shop_idempotencyKey: { shop, idempotencyKey } },
          include: { lines: true },
        });
        if (same) return { same };
        if (await tx.returnCase.findUnique({ where: { shop_number: { shop, number } }, select: { id: true } }))
          return { numberTaken: true as const };
        // Shopify holds these units now, whatever Aftercare thought was left.
        for (const { item, line } of chosen)
          await tx.returnLineClaim.updateMany({
            where: { shop, lineItemShopifyId: line!.lineItemId },
            data: { claimed: { increment: item.quantity } },
          });
        const created = await tx.returnCase.create({
          data: {
            shop,
            number,
            idempotencyKey,
            orderShopifyId: data.order.shopifyId,
            orderName: data.order.name,
            customerShopifyId: data.order.customerShopifyId,
            email: data.order.email?.toLowerCase() ?? null,
            locale: languageFor(data.order.customerLocale, "en"),
            status: "requested",
            resolution: "refund",
            currency: data.order.currency,
            itemsMinor,
            resolutionMinor: itemsMinor,
            shopifyReturnId: request.shopifyReturnId,
            shopifyReturnName: request.shopifyReturnName,
            shopifyStatus: "REQUESTED",
            requestedAt: now,
            lines: {
              create: chosen.map(({ item, line }) => ({
                lineItemShopifyId: line!.lineItemId,
                productShopifyId: line!.productId,
                variantShopifyId: line!.variantId,
                title: line!.title,
                variantTitle: line!.variantTitle,
                quantity: item.quantity,
                unitPriceMinor: Math.floor(lineValueMinor(line!, item.quantity) / item.quantity),
                reason: reasonOf(item.reason),
                note: item.note?.trim() ? item.note.trim().slice(0, 1000) : null,
              })),
            },
          },
          include: { lines: true },
        });
        await returnStepEvent(tx, shop, created.id, "requested", now);
        return { created };
      });
      if ("same" in outcome && outcome.same) return { returnCase: outcome.same, created: false };
      if ("created" in outcome && outcome.created) return { returnCase: outcome.created, created: true };
    } catch (error) {
      if (!isUnique(error)) throw error;
      const same = await db.returnCase.findUnique({
        where: { shop_idempotencyKey: { shop, idempotencyKey } },
        include: { lines: true },
      });
      if (same) return { returnCase: same, created: false };
    }
  }
  throw new ReturnsError(409, "busy", "Several returns were being recorded for this order at once.");
}
