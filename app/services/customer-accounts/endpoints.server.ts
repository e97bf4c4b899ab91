/**
 * What each customer-account endpoint answers, as plain functions of a verified session so tests
 * call them without Remix. Each area's rules stay in its own services: tracking's timeline and
 * estimate, returns' policy and workflow, loyalty's ledger and redemption.
 */
import type { Db } from "../../db.server";
import { languageFor } from "../../domain/tracking/settings";
import { findOrderById } from "../../models/orders.server";
import type { AdminClient } from "../../shopify/admin.server";
import { pointsForOrder } from "../loyalty/order-points.server";
import { loyaltyGet, loyaltyPost } from "../loyalty/proxy.server";
import {
  customerOrderReturns,
  hasReturnableItems,
  linkCustomerReturn,
  quoteCustomerReturn,
  searchCustomerExchange,
  stageCustomerPhotos,
  startCustomerReturn,
  UNKNOWN_ORDER,
  withdrawCustomerReturn,
} from "../returns/customer-account.server";
import { shopForLookups, trackingView } from "../tracking/lookup.server";
import { assembleTracking } from "../tracking/shipments.server";
import { recordTrackingView } from "../tracking/views.server";

import { orderGidOf, type CustomerAccountSession } from "./session.server";

export interface CustomerAccountDeps {
  db: Db;
  secret: string;
  admin: (shop: string) => Promise<AdminClient | null>;
  now: () => Date;
  log?: (message: string, error?: unknown) => void;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const badOrder: Answer = {
  status: 400,
  body: { error: "invalid_request", message: "Say which order: its id is missing or malformed." },
};

/** GET tracking?order=…: the order's shipments, whether it has anything to return, and the points it earned. */
export async function customerTracking(
  session: CustomerAccountSession,
  params: URLSearchParams,
  deps: CustomerAccountDeps,
): Promise<Answer> {
  const orderShopifyId = orderGidOf(params.get("order"));
  if (!orderShopifyId) return badOrder;
  const order = await findOrderById(deps.db, session.shop, orderShopifyId);
  if (!order || order.customerShopifyId !== session.customerGid) return UNKNOWN_ORDER;
  const now = deps.now();
  const language = languageFor(params.get("locale"), "en");
  const state = await assembleTracking(
    deps.db,
    session.shop,
    orderShopifyId,
    now,
    await shopForLookups(deps.db, session.shop),
  );
  if (!state) return UNKNOWN_ORDER;
  await recordTrackingView(deps.db, session.shop, orderShopifyId, state.calendar.timeZone, now);
  const ref = { shop: session.shop, customerGid: session.customerGid, orderShopifyId };
  const [returnable, points] = await Promise.all([
    hasReturnableItems(ref, { db: deps.db, admin: deps.admin, secret: deps.secret, now, log: deps.log }),
    pointsForOrder(deps.db, { ...ref, now }),
  ]);
  const { recommendations: _none, ...tracking } = trackingView(state, language, []);
  return { status: 200, body: { ...tracking, returns: { available: returnable }, points } };
}

/**
 * GET returns?order=…: eligibility per line, what is offered, earlier returns.
 * GET returns?order=…&search=…: products for an exchange for any product.
 */
export async function customerReturns(
  session: CustomerAccountSession,
  params: URLSearchParams,
  deps: CustomerAccountDeps,
): Promise<Answer> {
  const orderShopifyId = orderGidOf(params.get("order"));
  if (!orderShopifyId) return badOrder;
  const ref = { shop: session.shop, customerGid: session.customerGid, orderShopifyId };
  const search = params.get("search");
  if (search !== null) return searchCustomerExchange(ref, search, { ...deps, now: deps.now() });
  return customerOrderReturns(ref, languageFor(params.get("locale"), "en"), { ...deps, now: deps.now() });
}

const RETURN_INTENTS = {
  quote: quoteCustomerReturn,
  start: startCustomerReturn,
  link: linkCustomerReturn,
  withdraw: withdrawCustomerReturn,
  photos: stageCustomerPhotos,
} as const;

/** POST returns {intent, order, …}: quote, start, link Shopify's return, withdraw, or stage an item's photos. */
export async function customerReturnsPost(
  session: CustomerAccountSession,
  body: Record<string, unknown>,
  deps: CustomerAccountDeps,
): Promise<Answer> {
  const intent = typeof body.intent === "string" ? body.intent : "";
  if (!Object.hasOwn(RETURN_INTENTS, intent))
    return { status: 400, body: { error: "unknown_action", message: "That is not something this page can do." } };
  const orderShopifyId = orderGidOf(body.order);
  if (!orderShopifyId) return badOrder;
  const ref = { shop: session.shop, customerGid: session.customerGid, orderShopifyId };
  return RETURN_INTENTS[intent as keyof typeof RETURN_INTENTS](ref, body, { ...deps, now: deps.now() });
}

const loyaltyContext = (session: CustomerAccountSession, params = new URLSearchParams()) => ({
  shop: session.shop,
  loggedInCustomerId: session.customerId,
  clientIp: null,
  params,
});

/** GET rewards: the program, the catalogue, and this customer's points, tier, history and codes. */
export function customerRewards(session: CustomerAccountSession, params: URLSearchParams, deps: CustomerAccountDeps) {
  const locale = params.get("locale")?.slice(0, 2) ?? "en";
  return loyaltyGet(loyaltyContext(session, new URLSearchParams({ locale })), deps);
}

/** POST rewards {intent: "redeem", rewardId}: spends points on a reward for this customer. */
export function customerRewardsPost(
  session: CustomerAccountSession,
  body: Record<string, unknown>,
  deps: CustomerAccountDeps,
) {
  if (body.intent !== "redeem")
    return { status: 400, body: { error: "unknown_action", message: "That is not something this page can do." } };
  return loyaltyPost(loyaltyContext(session), { intent: "redeem", rewardId: body.rewardId }, deps);
}
