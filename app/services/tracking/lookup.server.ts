/**
 * The storefront's tracking endpoint (GET /apps/aftercare/tracking, via the app proxy): finds
 * the order the shopper may see and answers with only what the block shows. The route verified
 * Shopify's signature; this decides what the request may see:
 * - a signed link token opens its order;
 * - an order name with the order's email opens it; a wrong email and an unknown order get the
 *   same 404, and failed attempts are rate-limited per client and per order number, never per
 *   shop, so no one client can lock the shop's lookups (lookup-guard.server.ts);
 * - the signed logged_in_customer_id lists that customer's recent orders, and opens one of them
 *   by name without an email.
 */
import { LRUCache } from "lru-cache";

import type { Db } from "../../db.server";
import { languageFor } from "../../domain/tracking/settings";
import { getTrackingSettings } from "../../models/tracking.server";
import { findOrdersByNameWithItems, recentOrdersOfCustomer, type OrderWithItems } from "../../models/orders.server";
import { shopProfile, type ShopProfile } from "../../models/shop.server";
import type { TrackingSettings, Language, WordingKey } from "../../domain/tracking/settings";
import type { AdminClient } from "../../shopify/admin.server";
import { gid } from "../../domain/shared/shopify-ids";
import { lookupGuard, lookupRefused, type LookupLimits } from "../lookup-guard.server";

import { readTrackingToken, trackingToken } from "./links.server";
import { recommendedProducts, type RecommendedProduct } from "./recommendations.server";
import { assembleTracking, type ShipmentItem, type TrackingState } from "./shipments.server";
import { recordTrackingView } from "./views.server";

/** Failed lookups one client may make per window, and failed lookups of one order number from anyone. */
export const LOOKUP_LIMITS: LookupLimits = {
  client: { name: "tracking-lookup-client", limit: 8, windowMs: 15 * 60_000 },
  order: { name: "tracking-lookup-order", limit: 20, windowMs: 15 * 60_000 },
};

export interface LookupDeps {
  db: Db;
  secret: string;
  now?: Date;
  /** The Admin API client for a shop (recommendations); null when the shop has no session. */
  admin?: (shop: string) => Promise<AdminClient | null>;
  limits?: typeof LOOKUP_LIMITS;
  log?: (message: string, error?: unknown) => void;
}

export interface LookupRequest {
  shop: string;
  /** The shopper's address as the proxy reports it (x-forwarded-for). */
  clientIp: string | null;
  /** Signed by Shopify; empty when no one is logged in. */
  loggedInCustomerId: string | null;
  params: URLSearchParams;
}

export interface LookupAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const NOT_FOUND: LookupAnswer = {
  status: 404,
  body: { error: "not_found", message: "We could not find an order with that number and email." },
};

function bad(message: string): LookupAnswer {
  return { status: 400, body: { error: "invalid_request", message } };
}

export async function lookupTracking(req: LookupRequest, deps: LookupDeps): Promise<LookupAnswer> {
  const now = deps.now ?? new Date();
  const { db, secret } = deps;
  const params = req.params;
  const language = languageFor(params.get("locale"), "en");
  const token = params.get("token")?.trim() ?? "";
  const orderName = params.get("order")?.trim() ?? "";
  const email = params.get("email")?.trim() ?? "";
  const customerGid =
    req.loggedInCustomerId && /^\d+$/.test(req.loggedInCustomerId) ? gid("Customer", req.loggedInCustomerId) : null;

  const guard = lookupGuard(db, secret, deps.limits ?? LOOKUP_LIMITS, { ...req, loggedInCustomerId: customerGid });

  if (token) {
    if (token.length > 2048) return bad("The link is damaged; open it again from your email.");
    // A valid signed link is no guess: it opens its order whatever the limits say, at no query's cost.
    const check = readTrackingToken(token, req.shop, secret, now);
    if (check.ok) return orderAnswer(req.shop, check.subject, language, deps, now);
    const refused = await guard.refusal();
    if (refused) return lookupRefused(refused);
    await guard.failed();
    if (check.reason !== "expired") return NOT_FOUND;
    const message = "This link has expired. Look up your order with its number and email.";
    return { status: 404, body: { error: "link_expired", message } };
  }

  if (orderName) {
    if (orderName.length > 64) return bad("That order number is too long.");
    if (email.length > 254) return bad("That email address is too long.");
    if (!email && !customerGid) return bad("Enter the email address used for the order.");
    if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) return bad("Enter the email address used for the order.");
    // The client's and the order's limits, read together.
    const refused = await guard.refusal(orderName);
    // Refused and not signed in: refused before the order is even read, right email or not.
    if (refused && !customerGid) return lookupRefused(refused);
    // The candidates come with their line items: the order shown is not read a second time.
    const candidates = await findOrdersByNameWithItems(db, req.shop, orderName);
    const wanted = email.toLowerCase();
    // While refused, no email is compared: a right one would answer differently from a wrong one.
    let match = !refused && email ? candidates.find((o) => o.email?.trim().toLowerCase() === wanted) : undefined;
    // A logged-in customer opens their own orders by name alone; that is no guess, so no limit stops it.
    if (!match && customerGid) for (const c of candidates) if (c.customerShopifyId === customerGid) match = c;
    if (!match) {
      if (refused) return lookupRefused(refused);
      await guard.failed(orderName);
      return NOT_FOUND;
    }
    return orderAnswer(req.shop, match.shopifyId, language, deps, now, match);
  }

  if (customerGid) {
    const orders = await recentOrdersOfCustomer(db, req.shop, customerGid, 10);
    return {
      status: 200,
      body: {
        customer: {
          orders: orders.map((o) => ({
            name: o.name,
            placedAt: o.shopifyCreatedAt.toISOString(),
            cancelled: o.cancelledAt !== null,
            fulfillment: o.fulfillmentStatus ?? "unfulfilled",
            // Opens the order without typing; short-lived because it is only used on this page.
            token: trackingToken({ shop: req.shop, orderShopifyId: o.shopifyId, secret, now, days: 1 }),
          })),
        },
      },
    };
  }
  return bad("Enter your order number and the email address used for the order.");
}

/**
 * A shop's tracking settings and profile, kept per database client and shop for a short while:
 * every lookup needs both, and two queries per lookup for what changes a few times a year cost
 * more than the rest of the lookup's reads. Saving settings in this process forgets them at once
 * (forgetShopForLookups); another process's save shows within SHOP_CACHE_TTL_MS. At most
 * SHOP_CACHE_MAX shops are kept, the least recently looked up going first.
 */
export const SHOP_CACHE_TTL_MS = 30_000;
export const SHOP_CACHE_MAX = 5_000;
interface ShopForLookups {
  settings: TrackingSettings;
  profile: ShopProfile;
}
// Age on lru-cache's monotonic clock, read at every check (ttlResolution 0): a wall clock set back
// keeps nothing longer.
const shopCache = new LRUCache<string, { db: Db; value: Promise<ShopForLookups> }>({
  max: SHOP_CACHE_MAX,
  ttl: SHOP_CACHE_TTL_MS,
  ttlResolution: 0,
});

export function shopForLookups(db: Db, shop: string): Promise<ShopForLookups> {
  const hit = shopCache.get(shop);
  if (hit && hit.db === db) return hit.value;
  const value = Promise.all([getTrackingSettings(db, shop), shopProfile(db, shop)]).then(([settings, profile]) => ({
    settings,
    profile,
  }));
  shopCache.set(shop, { db, value });
  // A failed read is not kept.
  value.catch(() => {
    if (shopCache.peek(shop)?.value === value) shopCache.delete(shop);
  });
  return value;
}

/** Forget a shop's cached settings and profile (after its settings are saved), or every shop's. */
export function forgetShopForLookups(shop?: string) {
  if (shop === undefined) shopCache.clear();
  else shopCache.delete(shop);
}

async function orderAnswer(
  shop: string,
  orderShopifyId: string,
  language: Language,
  deps: LookupDeps,
  now: Date,
  order?: OrderWithItems,
): Promise<LookupAnswer> {
  const state = await assembleTracking(deps.db, shop, orderShopifyId, now, {
    ...(await shopForLookups(deps.db, shop)),
    order,
  });
  if (!state) return NOT_FOUND;
  await recordTrackingView(deps.db, shop, orderShopifyId, state.calendar.timeZone, now);
  const recommendations = state.settings.display.recommendations
    ? await recommendedProducts(deps.db, shop, state.settings, {
        admin: deps.admin ?? (async () => null),
        now,
        log: deps.log,
      })
    : [];
  return { status: 200, body: trackingView(state, language, recommendations) };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function items(list: ShipmentItem[], withImages: boolean) {
  return list.map((i) => ({
    title: i.title,
    variantTitle: i.variantTitle,
    quantity: i.quantity,
    imageUrl: withImages ? i.imageUrl : null,
  }));
}

/** The JSON the block renders: nothing about the customer beyond the order's own facts. */
export function trackingView(state: TrackingState, language: Language, recommendations: RecommendedProduct[]) {
  const { settings, data } = state;
  const show = settings.display;
  const labels = Object.fromEntries(
    Object.entries(settings.wording[language] ?? {}).filter(([, v]) => typeof v === "string" && v.trim() !== ""),
  ) as Partial<Record<WordingKey, string>>;
  return {
    order: {
      name: data.order.name,
      placedAt: data.order.shopifyCreatedAt.toISOString(),
      cancelled: data.order.cancelledAt !== null,
    },
    language,
    timeZone: state.calendar.timeZone,
    labels,
    branding: { accentColor: settings.branding.accentColor, logoUrl: settings.branding.logoUrl || null },
    shipments: state.shipments.map((s, index) => ({
      number: index + 1,
      carrier: s.carrier.name ? { name: s.carrier.name, url: s.carrier.trackingUrl } : null,
      trackingNumber: s.carrier.trackingNumber,
      trackingUrl: s.carrier.trackingUrl,
      stage: s.timeline.stage,
      steps: s.timeline.steps.map((step) => ({ milestone: step.milestone, state: step.state, at: iso(step.at) })),
      problem: s.timeline.problem
        ? { kind: s.timeline.problem.kind, at: iso(s.timeline.problem.at), message: s.timeline.problem.message }
        : null,
      delay: s.delay,
      deliveredAt: iso(s.deliveredAt),
      estimate:
        show.estimate && s.estimate
          ? {
              earliest: s.estimate.earliest,
              latest: s.estimate.latest,
              source: s.estimate.source,
              confidence: s.estimate.confidence,
              samples: s.estimate.basis?.samples ?? null,
            }
          : null,
      items: show.items ? items(s.items, show.itemImages) : [],
      scans: show.scans
        ? s.timeline.scans.slice(0, 30).map((scan) => ({
            status: scan.status,
            at: scan.happenedAt.toISOString(),
            message: scan.message,
            location: [scan.city, scan.province, scan.countryCode].filter(Boolean).join(", ") || null,
          }))
        : [],
    })),
    preparing: state.preparing
      ? {
          items: show.items ? items(state.preparing.items, show.itemImages) : [],
          expectedShipDate: state.preparing.expectedShipDate,
          estimate:
            show.estimate && state.preparing.estimate
              ? {
                  earliest: state.preparing.estimate.earliest,
                  latest: state.preparing.estimate.latest,
                  source: state.preparing.estimate.source,
                  confidence: state.preparing.estimate.confidence,
                  samples: state.preparing.estimate.basis?.samples ?? null,
                }
              : null,
          delay: state.preparing.delay,
        }
      : null,
    recommendations,
    contact:
      show.contact && (settings.contact.email || settings.contact.url)
        ? { email: settings.contact.email || null, url: settings.contact.url || null }
        : null,
  };
}

export type TrackingView = ReturnType<typeof trackingView>;
