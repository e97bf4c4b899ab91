/**
 * Returns for a shopper signed in to customer accounts (docs/decisions/0025). The shopper is the
 * session token's subject; an order that is not theirs, or not in this shop, gets the same 404 as
 * an order that does not exist. Aftercare's policy decides first and holds the quantities
 * (createReturnCase); the extension then asks Shopify itself through the Customer Account API
 * (orderRequestReturn) with the lines this answer names, and reports the return Shopify made,
 * which is checked with the Admin API before it is linked. A request Shopify refused is withdrawn.
 */
import type { Db } from "../../db.server";
import {
  checkRequest,
  isExchange,
  lineValueMinor,
  offeredResolutions,
  quoteReturn,
  type RequestedItem,
  type Resolution,
} from "../../domain/returns/policy";
import { newItemsMinor, quoteExchange } from "../../domain/returns/exchange";
import { CUSTOMER_ACCOUNT_KEY_PREFIX } from "../../domain/returns/desk";
import { definitionFor } from "../../domain/returns/reason-definitions";
import type { Language } from "../../domain/tracking/settings";
import { findOrderById, findOrderCurrency } from "../../models/orders.server";
import { ShopifyApiError, type AdminClient } from "../../shopify/admin.server";
import { ReturnForProcessing } from "../../shopify/operations/returns";
import { clientKey, rateLimited, rateLimiter } from "../rate-limit.server";

import {
  createReturnCase,
  eligibilityOf,
  findReturnCase,
  linkToShopifyReturn,
  loadOrderForReturns,
  productFactsFor,
  releaseClaims,
  type ReturnCaseWithLines,
} from "./cases.server";
import { ReturnsError } from "./errors.server";
import { checkExchangeChoices, exchangeTax, SEARCH_MAX_LENGTH, searchExchangeProducts } from "./exchanges.server";
import { notifyReturn } from "./notifications.server";
import { createPhotoFiles, readRequestPhotos, savePhotos, stagePhotoUploads } from "./photos.server";
import { getReturnPolicy } from "./policy.server";
import { returnReasonDefinitions } from "./reason-definitions.server";
import { EXCHANGE_SEARCH_LIMIT, orderReturnsView, parseItems, statusView, type Answer } from "./storefront.server";
import { approveReturn } from "./workflow.server";

export interface CustomerReturnsDeps {
  db: Db;
  admin: (shop: string) => Promise<AdminClient | null>;
  secret: string;
  now?: Date;
  log?: (message: string, error?: unknown) => void;
}

/** The order a signed-in shopper asks about: the shop and customer come from the session token. */
export interface CustomerOrder {
  shop: string;
  customerGid: string;
  orderShopifyId: string;
}

export const UNKNOWN_ORDER: Answer = {
  status: 404,
  body: { error: "not_found", message: "We could not find that order in your account." },
};
const bad = (message: string, error = "invalid_request"): Answer => ({ status: 400, body: { error, message } });
const refusal = (error: ReturnsError): Answer => ({
  status: error.status,
  body: { error: error.code, message: error.message, ...(error.details ? { problems: error.details } : {}) },
});

/** True only for an order of this shop that belongs to this customer and is not redacted. */
export async function isCustomersOrder(db: Db, ref: CustomerOrder): Promise<boolean> {
  const order = await findOrderById(db, ref.shop, ref.orderShopifyId);
  return order !== null && order.customerShopifyId === ref.customerGid;
}

async function guarded(run: () => Promise<Answer>): Promise<Answer> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReturnsError) return error.status === 404 ? UNKNOWN_ORDER : refusal(error);
    throw error;
  }
}

/** GET: the order's lines and what each can return, what is offered, and its earlier returns. */
export async function customerOrderReturns(
  ref: CustomerOrder,
  language: Language,
  deps: CustomerReturnsDeps,
): Promise<Answer> {
  if (!(await isCustomersOrder(deps.db, ref))) return UNKNOWN_ORDER;
  const now = deps.now ?? new Date();
  const view = await orderReturnsView(deps, ref.shop, ref.orderShopifyId, language, now);
  return view.status === 404 ? UNKNOWN_ORDER : view;
}

interface RequestBody {
  resolution?: unknown;
  items?: unknown;
  key?: unknown;
  locale?: unknown;
  returnId?: unknown;
  shopifyReturnId?: unknown;
  message?: unknown;
  uploads?: unknown;
}

/** Shopify's limit on a requested line's customerNote (RequestedLineItemInput, 2026-07). */
export const SHOPIFY_CUSTOMER_NOTE_MAX = 300;

function readRequest(body: RequestBody): { resolution: string; items: RequestedItem[] } | Answer {
  if (typeof body.resolution !== "string" || body.resolution.length > 40)
    return bad("Choose how you would like this resolved.", "resolution_not_offered");
  const items = parseItems(body.items);
  if (!items) return bad("The items could not be read. Reload the page and try again.");
  // The note goes to Shopify with the request, which takes at most 300 characters.
  if (items.some((i) => (i.note?.trim().length ?? 0) > SHOPIFY_CUSTOMER_NOTE_MAX))
    return {
      status: 422,
      body: {
        error: "note_too_long",
        message: `Keep each note to ${SHOPIFY_CUSTOMER_NOTE_MAX} characters.`,
      },
    };
  return { resolution: body.resolution, items };
}

async function orderFacts(ref: CustomerOrder, deps: CustomerReturnsDeps) {
  const policy = await getReturnPolicy(deps.db, ref.shop);
  const admin = await deps.admin(ref.shop);
  const bare = await loadOrderForReturns(deps.db, ref.shop, ref.orderShopifyId);
  if (!bare) throw new ReturnsError(404, "not_found", "Unknown order.");
  const productFacts = await productFactsFor(admin, policy, [
    ...new Set(bare.lines.map((l) => l.productId).filter((x): x is string => Boolean(x))),
  ]);
  const order = (await loadOrderForReturns(deps.db, ref.shop, ref.orderShopifyId, productFacts))!;
  return { policy, admin, order, productFacts };
}

/**
 * POST intent=quote: what the shopper would get for these items and this resolution, computed by
 * the same rules that price the return when it is made. Nothing is written.
 */
export async function quoteCustomerReturn(
  ref: CustomerOrder,
  body: RequestBody,
  deps: CustomerReturnsDeps,
): Promise<Answer> {
  if (!(await isCustomersOrder(deps.db, ref))) return UNKNOWN_ORDER;
  const request = readRequest(body);
  if ("status" in request) return request;
  return guarded(async () => {
    const now = deps.now ?? new Date();
    const { policy, admin, order } = await orderFacts(ref, deps);
    if (!policy.enabled)
      throw new ReturnsError(422, "returns_off", "This shop is not taking returns online right now.");
    const problems = checkRequest(policy, eligibilityOf(policy, order, now), request.items, request.resolution);
    if (problems.length) throw new ReturnsError(422, problems[0].code, problems[0].message, problems);
    const resolution = request.resolution as Resolution;
    const itemsMinor = request.items.reduce(
      (n, item) =>
        n +
        lineValueMinor(
          order.lines.find((l) => l.lineItemId === item.lineItemId)!,
          item.quantity,
        ),
      0,
    );
    const quote = quoteReturn(policy, itemsMinor, resolution);
    let exchange = null;
    if (isExchange(resolution)) {
      const choices = await checkExchangeChoices(admin, { items: request.items, resolution, order });
      const priced = request.items.map((i) => ({
        quantity: i.quantity,
        unitPriceMinor: choices[i.exchangeVariantId ?? ""]?.unitPriceMinor ?? 0,
      }));
      exchange = quoteExchange(quote, newItemsMinor(priced));
    }
    return {
      status: 200,
      body: {
        currency: order.order.currency,
        quote: {
          items: quote.itemsMinor,
          restockingFee: quote.restockingFeeMinor,
          shippingFee: quote.shippingFeeMinor,
          bonus: quote.bonusMinor,
          total: quote.totalMinor,
        },
        exchange: exchange
          ? {
              newItems: exchange.newItemsMinor,
              covered: exchange.covered,
              difference: exchange.differenceMinor,
              // Paid through Shopify's invoice once the shop approves; the new items ship after.
              pay: exchange.payMinor,
              // How that invoice taxes it: added to `pay`, included in it, or none.
              tax: exchange.payMinor > 0 ? await exchangeTax(admin, ref.orderShopifyId) : null,
              storeCredit: exchange.storeCreditMinor,
            }
          : null,
      },
    };
  });
}

async function reasonDefinitionsOf(admin: AdminClient | null, shop: string) {
  if (!admin)
    throw new ReturnsError(
      502,
      "shopify_unavailable",
      "Returns cannot be started right now. Please try again shortly.",
    );
  try {
    return await returnReasonDefinitions(admin, shop);
  } catch (error) {
    if (error instanceof ShopifyApiError)
      throw new ReturnsError(
        502,
        "shopify_unavailable",
        "Returns cannot be started right now. Please try again shortly.",
      );
    throw error;
  }
}
/**
 * POST intent=start: Aftercare's return, made by the same code as the storefront's (policy,
 * claims, quote, exchange), not yet in Shopify; the answer names the lines to request from
 * Shopify. Shopify's return reasons are read first, so a failure there writes nothing. The same
 * key gives the same return.
 */
export async function startCustomerReturn(
  ref: CustomerOrder,
  body: RequestBody,
  deps: CustomerReturnsDeps,
): Promise<Answer> {
  if (!(await isCustomersOrder(deps.db, ref))) return UNKNOWN_ORDER;
  if (typeof body.key !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(body.key))
    return bad("The form is out of date. Reload the page and try again.");
  const request = readRequest(body);
  if ("status" in request) return request;
  const language = typeof body.locale === "string" ? body.locale.slice(0, 2) : "en";
  return guarded(async () => {
    const now = deps.now ?? new Date();
    const { policy, admin, order, productFacts } = await orderFacts(ref, deps);
    const definitions = await reasonDefinitionsOf(admin, ref.shop);
    const definitionOf = new Map<string, string>();
    for (const item of request.items) {
      const reason = policy.reasons.find((r) => r.id === item.reason);
      // An unknown reason is the policy check's to report.
      if (!reason) continue;
      const found = definitionFor(reason.shopifyReason ?? "OTHER", definitions);
      if (!found)
        throw new ReturnsError(
          502,
          "shopify_reason_missing",
          "Shopify offers no return reason matching yours. Try again later.",
        );
      definitionOf.set(item.reason, found.id);
    }
    // Photos are read before anything is written: a token that is not this order's is a 400.
    const photos = readRequestPhotos(body.items, policy, {
      shop: ref.shop,
      orderShopifyId: ref.orderShopifyId,
      secret: deps.secret,
      now,
    });
    const exchanges = await checkExchangeChoices(admin, {
      items: request.items,
      resolution: request.resolution,
      order,
    });
    const { returnCase, created } = await createReturnCase(
      deps.db,
      ref.shop,
      policy,
      {
        orderShopifyId: ref.orderShopifyId,
        idempotencyKey: `${CUSTOMER_ACCOUNT_KEY_PREFIX}${body.key}`,
        items: request.items,
        resolution: request.resolution,
        locale: ["en", "ko", "ja", "fa"].includes(language) ? language : "en",
        exchanges,
        productFacts,
      },
      now,
    );
    if (created) {
      // As from the storefront: the photos become files once the return exists (a repeated start
      // makes no second set); Shopify refusing them leaves the return without photos.
      try {
        await savePhotos(
          deps.db,
          returnCase.lines,
          await createPhotoFiles(admin, photos, `Return ${returnCase.number}`),
        );
      } catch (error) {
        if (!(error instanceof ReturnsError)) throw error;
        deps.log?.(`return ${returnCase.number}: photos not kept: ${error.message}`);
      }
    }
    return {
      status: returnCase.shopifyReturnId ? 200 : 201,
      body: {
        returnId: returnCase.id,
        return: await statusView(deps.db, ref.shop, returnCase, languageOf(returnCase.locale)),
        // Already in Shopify (a repeated start after the link): nothing more to request.
        shopifyRequest: returnCase.shopifyReturnId
          ? null
          : {
              orderId: ref.orderShopifyId,
              requestedLineItems: returnCase.lines.map((l) => ({
                lineItemId: l.lineItemShopifyId,
                quantity: l.quantity,
                returnReasonDefinitionId: definitionOf.get(l.reason) ?? null,
                customerNote: l.note?.slice(0, SHOPIFY_CUSTOMER_NOTE_MAX) ?? null,
              })),
            },
      },
    };
  });
}

/**
 * POST intent=photos: Shopify's staged upload targets for one item's photos, as the storefront's
 * Returns block gets them (stagePhotoUploads): the extension uploads straight to them and sends
 * each target's token with the item when it starts the return.
 */
export async function stageCustomerPhotos(
  ref: CustomerOrder,
  body: RequestBody,
  deps: CustomerReturnsDeps,
): Promise<Answer> {
  if (!(await isCustomersOrder(deps.db, ref))) return UNKNOWN_ORDER;
  return guarded(async () => {
    const policy = await getReturnPolicy(deps.db, ref.shop);
    if (!policy.enabled)
      throw new ReturnsError(422, "returns_off", "This shop is not taking returns online right now.");
    const claims = {
      shop: ref.shop,
      orderShopifyId: ref.orderShopifyId,
      secret: deps.secret,
      now: deps.now ?? new Date(),
    };
    return {
      status: 200,
      body: { targets: await stagePhotoUploads(await deps.admin(ref.shop), claims, body.uploads) },
    };
  });
}

const languageOf = (locale: string): Language =>
  (["en", "ko", "ja", "fa"].includes(locale) ? locale : "en") as Language;

async function customersReturn(ref: CustomerOrder, returnId: unknown, db: Db) {
  if (typeof returnId !== "string" || returnId.length === 0 || returnId.length > 64) return null;
  const ret = await findReturnCase(db, ref.shop, returnId);
  if (!ret || ret.orderShopifyId !== ref.orderShopifyId || ret.customerShopifyId !== ref.customerGid) return null;
  return ret;
}

/** Takes back a return Shopify never received: its quantities go back to the order. */
async function withdraw(db: Db, shop: string, ret: ReturnCaseWithLines, why: string) {
  const { count } = await db.returnCase.updateMany({
    where: { shop, id: ret.id, status: "requested", shopifyReturnId: null },
    data: { status: "canceled", syncError: why.slice(0, 500) },
  });
  if (count === 1) await releaseClaims(db, shop, ret.lines);
  return count === 1;
}

/**
 * POST intent=link: the return Shopify made for the shopper's orderRequestReturn. It must be this
 * order's, still a request (or already approved), with exactly the lines Aftercare holds; then it
 * is linked, the shopper is emailed, and a return the policy auto-approves is approved.
 */
export async function linkCustomerReturn(
  ref: CustomerOrder,
  body: RequestBody,
  deps: CustomerReturnsDeps,
): Promise<Answer> {
  if (!(await isCustomersOrder(deps.db, ref))) return UNKNOWN_ORDER;
  const ret = await customersReturn(ref, body.returnId, deps.db);
  if (!ret) return UNKNOWN_ORDER;
  const shopifyReturnId = body.shopifyReturnId;
  if (typeof shopifyReturnId !== "string" || !/^gid:\/\/shopify\/Return\/\d{1,20}$/.test(shopifyReturnId))
    return bad("Shopify's return could not be read. Reload the page to see your returns.");
  const now = deps.now ?? new Date();
  const language = languageOf(ret.locale);
  if (ret.shopifyReturnId === shopifyReturnId)
    return { status: 200, body: { return: await statusView(deps.db, ref.shop, ret, language) } };
  if (ret.shopifyReturnId || ret.status !== "requested")
    return {
      status: 409,
      body: { error: "already_linked", message: "This return is already with the shop. Reload the page to see it." },
    };
  return guarded(async () => {
    const admin = await deps.admin(ref.shop);
    if (!admin)
      throw new ReturnsError(502, "shopify_unavailable", "Your return could not be confirmed just now. Try again.");
    let found;
    try {
      found = (await admin.request(ReturnForProcessing, { id: shopifyReturnId })).return;
    } catch (error) {
      if (error instanceof ShopifyApiError)
        throw new ReturnsError(502, "shopify_unavailable", "Your return could not be confirmed just now. Try again.");
      throw error;
    }
    const inShopify = new Map<string, number>();
    for (const line of found?.returnLineItems.nodes ?? []) {
      if (!("id" in line)) continue;
      const id = line.fulfillmentLineItem.lineItem.id;
      inShopify.set(id, (inShopify.get(id) ?? 0) + line.quantity);
    }
    const held = new Map<string, number>();
    for (const line of ret.lines)
      held.set(line.lineItemShopifyId, (held.get(line.lineItemShopifyId) ?? 0) + line.quantity);
    const same =
      found !== null &&
      found.order.id === ret.orderShopifyId &&
      (found.status === "REQUESTED" || found.status === "OPEN") &&
      inShopify.size === held.size &&
      [...held].every(([id, quantity]) => inShopify.get(id) === quantity);
    if (!same)
      return {
        status: 409,
        body: {
          error: "return_mismatch",
          message: "Shopify's return does not match this request. Reload the page to see your returns.",
        },
      };
    const linked = await linkToShopifyReturn(deps.db, ref.shop, ret.id, {
      id: shopifyReturnId,
      name: null,
      status: found!.status,
    });
    let current = (await findReturnCase(deps.db, ref.shop, ret.id))!;
    if (linked) current = await afterCustomerRequestLinked(ref.shop, current, { ...deps, admin, now });
    return { status: 200, body: { return: await statusView(deps.db, ref.shop, current, language) } };
  });
}

/**
 * Once a customer-account return is linked to the request Shopify made for it (by the extension's
 * link, or by returns/request when the link never came): the shopper's "requested" email, then
 * approval when the policy approves it on its own.
 */
export async function afterCustomerRequestLinked(
  shop: string,
  ret: ReturnCaseWithLines,
  deps: {
    db: Db;
    admin: AdminClient | null;
    secret: string;
    now: Date;
    log?: (message: string) => void;
    /** False when Shopify has already approved or declined the request. */
    autoApprove?: boolean;
  },
): Promise<ReturnCaseWithLines> {
  const policy = await getReturnPolicy(deps.db, shop);
  await notifyReturn(deps.db, shop, policy, ret, "requested", { secret: deps.secret, now: deps.now });
  if (!ret.autoApproved || deps.autoApprove === false) return ret;
  try {
    return await approveReturn(shop, ret.id, { db: deps.db, admin: deps.admin, secret: deps.secret, now: deps.now });
  } catch (error) {
    if (!(error instanceof ReturnsError)) throw error;
    deps.log?.(`return ${ret.number} could not be auto-approved: ${error.message}`);
    return (await findReturnCase(deps.db, shop, ret.id)) ?? ret;
  }
}

/**
 * POST intent=withdraw: Shopify refused the shopper's request (its message is kept for the desk),
 * so Aftercare's return, never linked, is cancelled and its quantities released.
 */
export async function withdrawCustomerReturn(
  ref: CustomerOrder,
  body: RequestBody,
  deps: CustomerReturnsDeps,
): Promise<Answer> {
  if (!(await isCustomersOrder(deps.db, ref))) return UNKNOWN_ORDER;
  const ret = await customersReturn(ref, body.returnId, deps.db);
  if (!ret) return UNKNOWN_ORDER;
  if (ret.shopifyReturnId || ret.status !== "requested")
    return {
      status: 409,
      body: { error: "already_linked", message: "This return is already with the shop and cannot be withdrawn here." },
    };
  const why = typeof body.message === "string" && body.message.trim() ? body.message.trim() : "Shopify refused it.";
  await withdraw(deps.db, ref.shop, ret, `Shopify refused the shopper's request: ${why}`);
  return { status: 200, body: { withdrawn: true } };
}

/**
 * GET search=…: the shop's products for an exchange for any product, as the storefront's portal
 * searches them (searchExchangeProducts), for this shopper's own order, only when the shop offers
 * that exchange, at most EXCHANGE_SEARCH_LIMIT times per shopper. What is chosen is checked again
 * when the return is quoted and made (checkExchangeChoices).
 */
export async function searchCustomerExchange(
  ref: CustomerOrder,
  text: string,
  deps: CustomerReturnsDeps,
): Promise<Answer> {
  if (!(await isCustomersOrder(deps.db, ref))) return UNKNOWN_ORDER;
  if (text.length > SEARCH_MAX_LENGTH)
    return bad(`Search with at most ${SEARCH_MAX_LENGTH} characters.`, "search_too_long");
  const policy = await getReturnPolicy(deps.db, ref.shop);
  if (!policy.enabled || !offeredResolutions(policy).includes("exchange_any"))
    return {
      status: 422,
      body: { error: "resolution_not_offered", message: "This shop does not offer exchanges for other products." },
    };
  const counted = await rateLimiter(deps.db, EXCHANGE_SEARCH_LIMIT).hit(
    ref.shop,
    clientKey(deps.secret, ref.customerGid),
  );
  if (!counted.allowed)
    return rateLimited(counted.retryAfterSeconds, "Too many searches. Please wait a few minutes and try again.");
  const order = await findOrderCurrency(deps.db, ref.shop, ref.orderShopifyId);
  if (!order || order.redactedAt) return UNKNOWN_ORDER;
  return guarded(async () => ({
    status: 200,
    body: {
      currency: order.currency,
      products: await searchExchangeProducts(await deps.admin(ref.shop), text, order.currency),
    },
  }));
}

/**
 * Whether the order has anything the policy would still take back, for the order status page's
 * "Start a return". When that cannot be told (Shopify unreachable for a policy that excludes by
 * tag or collection) the answer is true: the returns page then says why.
 */
export async function hasReturnableItems(ref: CustomerOrder, deps: CustomerReturnsDeps): Promise<boolean> {
  try {
    const { policy, order } = await orderFacts(ref, deps);
    if (!policy.enabled) return false;
    return eligibilityOf(policy, order, deps.now ?? new Date()).some((e) => e.returnable > 0);
  } catch (error) {
    if (error instanceof ReturnsError) return error.status !== 404;
    throw error;
  }
}
