/**
 * The storefront's returns endpoints (/apps/aftercare/returns via the app proxy, signature
 * already verified by the route). They answer only when the merchant turned the storefront lookup
 * on (else 403 sign_in_required; returns are made in customer accounts). Finding an order needs
 * its number and email, or the signed logged-in customer; a wrong email and an unknown order get
 * the same 404 and failed lookups are rate-limited per client and per order number, exactly as
 * tracking does (lookup-guard.server.ts). A successful lookup hands back a short-lived signed
 * token for that order, which is what creating a return needs.
 */
import type { Db } from "../../db.server";
import {
  isExchange,
  offeredResolutions,
  type LineEligibility,
  type ReturnPolicy,
  type IneligibleReason,
  type RequestedItem,
} from "../../domain/returns/policy";
import { exchangeCreditMinor, exchangePayment, exchangeState } from "../../domain/returns/exchange";
import { asksForPhotos } from "../../domain/returns/photos";
import { toMinor } from "../../domain/shared/money";
import { languageFor } from "../../domain/tracking/settings";
import { gid } from "../../domain/shared/shopify-ids";
import { findOrderById, findOrderCurrency, findOrdersByName, recentOrdersOfCustomer } from "../../models/orders.server";
import type { AdminClient } from "../../shopify/admin.server";
import { OrderOutstanding } from "../../shopify/operations/exchanges";
import { ProductVariantsForExchange } from "../../shopify/operations/returns";
import { signLinkToken, verifyLinkToken } from "../link-token.server";
import { lookupGuard, lookupRefused, type LookupLimits } from "../lookup-guard.server";
import { clientKey, rateLimited, rateLimiter, type RateLimitRule } from "../rate-limit.server";

import {
  createReturnCase,
  eligibilityOf,
  findReturnCase,
  loadOrderForReturns,
  productFactsFor,
  type ProductFacts,
  type ReturnCaseWithLines,
} from "./cases.server";
import { ReturnsError } from "./errors.server";
import { notifyReturn, RETURN_LINK_PURPOSE, returnStatusToken } from "./notifications.server";
import { getReturnPolicy } from "./policy.server";
import { approveReturn, requestInShopify } from "./workflow.server";
import { checkExchangeChoices, exchangeTax, SEARCH_MAX_LENGTH, searchExchangeProducts } from "./exchanges.server";
import { createPhotoFiles, readRequestPhotos, savePhotos, stagePhotoUploads } from "./photos.server";

export const RETURNS_LOOKUP_LIMITS: LookupLimits = {
  client: { name: "returns-lookup-client", limit: 8, windowMs: 15 * 60_000 },
  order: { name: "returns-lookup-order", limit: 20, windowMs: 15 * 60_000 },
};

const ORDER_ACCESS_PURPOSE = "returns-order";

export interface StorefrontDeps {
  db: Db;
  secret: string;
  now?: Date;
  admin: (shop: string) => Promise<AdminClient | null>;
  limits?: typeof RETURNS_LOOKUP_LIMITS;
  log?: (message: string, error?: unknown) => void;
}

export interface StorefrontRequest {
  shop: string;
  clientIp: string | null;
  loggedInCustomerId: string | null;
  params: URLSearchParams;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const NOT_FOUND: Answer = {
  status: 404,
  body: { error: "not_found", message: "We could not find an order with that number and email." },
};
/**
 * The shop takes returns from signed-in shoppers only (the policy's storefrontLookup is off, the
 * default): finding an order here, the search and a return from the theme are refused, whatever
 * the block shows. A return's signed status link still opens it.
 */
const SIGN_IN_REQUIRED: Answer = {
  status: 403,
  body: {
    error: "sign_in_required",
    message: "This shop takes returns in your account: sign in with your email to start a return.",
  },
};
const bad = (message: string, error = "invalid_request"): Answer => ({ status: 400, body: { error, message } });

const orderToken = (shop: string, orderShopifyId: string, secret: string, now: Date) =>
  signLinkToken(
    {
      purpose: ORDER_ACCESS_PURPOSE,
      shop,
      subject: orderShopifyId,
      expiresAt: new Date(now.getTime() + 2 * 3_600_000),
    },
    secret,
  );

/** GET: an order's eligibility (number + email, access token, or logged-in customer), or a return's status. */
export async function returnsLookup(req: StorefrontRequest, deps: StorefrontDeps): Promise<Answer> {
  const now = deps.now ?? new Date();
  const p = req.params;
  const language = languageFor(p.get("locale"), "en");
  const customerGid = req.loggedInCustomerId ? gid("Customer", req.loggedInCustomerId) : null;
  const limits = deps.limits ?? RETURNS_LOOKUP_LIMITS;
  const guard = lookupGuard(deps.db, deps.secret, limits, { ...req, loggedInCustomerId: customerGid });

  const statusToken = p.get("return")?.trim();
  if (statusToken) {
    if (statusToken.length > 2048) return bad("The link is damaged; open it again from your email.");
    // A return's signed link is no guess: a valid one opens its return whatever the limits say.
    const check = verifyLinkToken(statusToken, {
      secret: deps.secret,
      purpose: RETURN_LINK_PURPOSE,
      shop: req.shop,
      now,
    });
    const ret = check.ok ? await findReturnCase(deps.db, req.shop, check.subject) : null;
    if (!ret) {
      const refused = await guard.refusal();
      if (refused) return lookupRefused(refused);
      await guard.failed();
      const message = "We could not find that return. Open the link from your latest email.";
      return { status: 404, body: { error: "not_found", message } };
    }
    const payUrl = await paymentLink(deps, req.shop, ret.orderShopifyId, [ret]);
    return { status: 200, body: { return: await statusView(deps.db, req.shop, ret, language, payUrl) } };
  }

  if (!(await getReturnPolicy(deps.db, req.shop)).storefrontLookup) return SIGN_IN_REQUIRED;
  if (p.has("search")) return exchangeSearch(req, deps, now);

  const token = p.get("token")?.trim() ?? "";
  const orderName = p.get("order")?.trim() ?? "";
  const email = p.get("email")?.trim() ?? "";
  let orderShopifyId: string | null = null;
  if (token) {
    const check = verifyLinkToken(token, { secret: deps.secret, purpose: ORDER_ACCESS_PURPOSE, shop: req.shop, now });
    if (!check.ok)
      return {
        status: 401,
        body: { error: "session_expired", message: "Your session has expired. Look up your order again." },
      };
    orderShopifyId = check.subject;
  } else if (orderName) {
    if (orderName.length > 64) return bad("That order number is too long.");
    if (email.length > 254 || (email && !/^[^\s@]+@[^\s@]+$/.test(email)))
      return bad("Enter the email address used for the order.");
    if (!email && !customerGid) return bad("Enter the email address used for the order.");
    const refused = await guard.refusal(orderName);
    // Refused and not signed in: refused before the order is even read, right email or not.
    if (refused && !customerGid) return lookupRefused(refused);
    const candidates = await findOrdersByName(deps.db, req.shop, orderName);
    // While refused, no email is compared: a right one would answer differently from a wrong one.
    const wanted = email.toLowerCase();
    let match = !refused && email ? candidates.find((o) => o.email?.trim().toLowerCase() === wanted) : undefined;
    if (!match && customerGid) {
      // A logged-in customer's own order is no guess, so no limit stops it.
      for (const c of candidates)
        if ((await findOrderById(deps.db, req.shop, c.shopifyId))?.customerShopifyId === customerGid) match = c;
    }
    if (!match) {
      if (refused) return lookupRefused(refused);
      await guard.failed(orderName);
      return NOT_FOUND;
    }
    orderShopifyId = match.shopifyId;
  } else if (customerGid) {
    const orders = await recentOrdersOfCustomer(deps.db, req.shop, customerGid, 10);
    return {
      status: 200,
      body: {
        customer: {
          orders: orders.map((o) => ({
            name: o.name,
            placedAt: o.shopifyCreatedAt.toISOString(),
            token: orderToken(req.shop, o.shopifyId, deps.secret, now),
          })),
        },
      },
    };
  } else {
    return bad("Enter your order number and the email address used for the order.");
  }

  const view = await orderReturnsView(deps, req.shop, orderShopifyId, language, now);
  if (view.status !== 200) return view;
  return {
    status: 200,
    body: { ...(view.body as object), token: orderToken(req.shop, orderShopifyId, deps.secret, now) },
  };
}

/**
 * What the shopper sees of an order's returns: each line's eligibility with the reason when not
 * returnable, the reasons, resolutions and fees on offer, exchange options, and earlier returns.
 * The storefront (after its lookup) and customer accounts (after the session token) both answer
 * with it; `order` is an order the caller has already let this shopper see.
 */
export async function orderReturnsView(
  deps: Pick<StorefrontDeps, "db" | "admin" | "log">,
  shop: string,
  orderShopifyId: string,
  language: ReturnType<typeof languageFor>,
  now: Date,
): Promise<Answer> {
  const policy = await getReturnPolicy(deps.db, shop);
  const admin = await deps.admin(shop);
  const bare = await loadOrderForReturns(deps.db, shop, orderShopifyId);
  if (!bare) return NOT_FOUND;
  let products: Map<string, ProductFacts>;
  try {
    products = await productFactsFor(admin, policy, [
      ...new Set(bare.lines.map((l) => l.productId).filter((x): x is string => Boolean(x))),
    ]);
  } catch (error) {
    if (error instanceof ReturnsError)
      return { status: error.status, body: { error: error.code, message: error.message } };
    throw error;
  }
  const data = (await loadOrderForReturns(deps.db, shop, orderShopifyId, products))!;
  const eligibility = eligibilityOf(policy, data, now);
  const resolutions = offeredResolutions(policy);
  const variants = new Map<string, { id: string; title: string; priceMinor: number }[]>();
  if (admin && resolutions.includes("exchange_variant")) {
    for (const productId of new Set(
      data.lines.filter((l, i) => eligibility[i].reason === null && l.productId).map((l) => l.productId!),
    )) {
      try {
        const product = (await admin.request(ProductVariantsForExchange, { id: productId })).product;
        variants.set(
          productId,
          (product?.variants.nodes ?? [])
            .filter((v) => v.availableForSale)
            .map((v) => ({ id: v.id, title: v.title, priceMinor: toMinor(v.price, data.order.currency) })),
        );
      } catch (error) {
        deps.log?.("could not load exchange variants", error);
      }
    }
  }
  const previous = await deps.db.returnCase.findMany({
    where: { shop, orderShopifyId },
    include: { lines: true },
    orderBy: { requestedAt: "desc" },
    take: 10,
  });
  const payUrl = await paymentLink(deps, shop, orderShopifyId, previous);
  // How a dearer exchange's difference is taxed, so the shopper is told what Shopify's invoice asks.
  const tax = resolutions.some((r) => isExchange(r)) ? await exchangeTax(admin, orderShopifyId) : null;
  return {
    status: 200,
    body: {
      order: { name: data.order.name, currency: data.order.currency, tax },
      enabled: policy.enabled,
      windowDays: policy.windowDays,
      lines: data.lines.map((l, i) => lineView(l, eligibility[i], variants.get(l.productId ?? "") ?? [])),
      reasons: policy.reasons.map((r) => ({
        id: r.id,
        label: r.label[language] || r.label.en,
        requireNote: r.requireNote,
        photos: asksForPhotos(r),
      })),
      resolutions: resolutions.map((r) => ({
        id: r,
        bonusPercent:
          r === "store_credit"
            ? policy.resolutions.storeCreditBonusPercent
            : r === "exchange_any"
              ? policy.resolutions.exchangeBonusPercent
              : 0,
      })),
      fees: {
        restockingPercent: policy.fees.restockingPercent,
        returnShippingMinor: policy.fees.returnShippingMinor,
        waiveForExchanges: policy.fees.waiveForExchanges,
      },
      returns: await Promise.all(previous.map((r) => statusView(deps.db, shop, r, language, payUrl))),
    },
  };
}

function lineView(
  l: Awaited<ReturnType<typeof loadOrderForReturns>> extends infer T
    ? T extends { lines: (infer L)[] }
      ? L
      : never
    : never,
  e: LineEligibility,
  variants: { id: string; title: string; priceMinor: number }[],
) {
  const reason: IneligibleReason | null = e.reason;
  return {
    id: l.lineItemId,
    title: l.title,
    variantTitle: l.variantTitle,
    imageUrl: l.imageUrl,
    quantity: l.quantity,
    // Per unit, for the estimate shown before submitting (the server's quote is what counts).
    unitValueMinor: Math.floor((l.priceMinor * l.quantity - l.totalDiscountMinor) / Math.max(1, l.quantity)),
    // What was paid for the whole line: the storefront's estimate uses lineValueMinor's rounding.
    paidMinor: Math.max(0, l.priceMinor * l.quantity - l.totalDiscountMinor),
    returnable: e.returnable,
    reason,
    windowEndsAt: e.windowEndsAt.toISOString(),
    exchangeVariants: variants.filter((v) => v.id !== l.variantId),
  };
}

/**
 * Shopify's page to pay an order's balance (the link its invoice email carries), asked of Shopify
 * only when one of these returns waits for its price difference to be paid; null otherwise, or
 * when Shopify cannot say (the shopper still has the invoice email).
 */
async function paymentLink(
  deps: Pick<StorefrontDeps, "admin" | "log">,
  shop: string,
  orderShopifyId: string,
  returns: ReturnCaseWithLines[],
): Promise<string | null> {
  if (!returns.some((r) => exchangePayment(r)?.state === "awaiting")) return null;
  try {
    const admin = await deps.admin(shop);
    const order = admin ? (await admin.request(OrderOutstanding, { id: orderShopifyId })).order : null;
    const url = order?.paymentCollectionDetails?.additionalPaymentCollectionUrl ?? null;
    return url && /^https?:\/\//.test(String(url)) ? String(url) : null;
  } catch (error) {
    deps.log?.("could not read the order's payment link", error);
    return null;
  }
}

export async function statusView(
  db: Db,
  shop: string,
  r: ReturnCaseWithLines,
  language: ReturnType<typeof languageFor>,
  /** Shopify's page to pay the order's balance, for a return awaiting its payment. */
  payUrl: string | null = null,
) {
  const policy = await getReturnPolicy(db, shop);
  const showInstructions = ["approved"].includes(r.status);
  return {
    number: r.number,
    orderName: r.orderName,
    status: r.status,
    resolution: r.resolution,
    currency: r.currency,
    amounts: {
      items: r.itemsMinor,
      restockingFee: r.restockingFeeMinor,
      shippingFee: r.shippingFeeMinor,
      bonus: r.bonusMinor,
      total: r.resolutionMinor,
      // An exchange: the new items, and what comes back as store credit when it completes.
      ...(isExchange(r.resolution as never) ? { exchange: r.exchangeMinor, storeCredit: exchangeCreditMinor(r) } : {}),
    },
    // A dearer exchange's price difference: due on approval, awaiting Shopify's invoice, or paid.
    payment: withPayLink(exchangePayment(r), payUrl),
    requestedAt: r.requestedAt.toISOString(),
    items: r.lines.map((l) => ({
      title: l.title,
      variantTitle: l.variantTitle,
      quantity: l.quantity,
      exchangeTitle: l.exchangeTitle,
      exchangeState: l.exchangeVariantShopifyId ? exchangeState(l) : null,
    })),
    instructions: showInstructions ? policy.instructions[language] || policy.instructions.en : null,
    returnAddress: showInstructions ? policy.returnAddress || null : null,
    declineNote: r.status === "declined" ? r.declineNote : null,
  };
}

/** The link goes only with a payment Shopify is waiting for. */
function withPayLink(payment: ReturnType<typeof exchangePayment>, payUrl: string | null) {
  if (!payment) return null;
  return { ...payment, payUrl: payment.state === "awaiting" ? payUrl : null };
}

interface CreateBody {
  token?: unknown;
  key?: unknown;
  resolution?: unknown;
  locale?: unknown;
  items?: unknown;
}

export function parseItems(raw: unknown): RequestedItem[] | null {
  if (!Array.isArray(raw) || raw.length > 100) return null;
  const items: RequestedItem[] = [];
  for (const x of raw) {
    if (!x || typeof x !== "object") return null;
    const i = x as Record<string, unknown>;
    if (typeof i.lineItemId !== "string" || typeof i.reason !== "string" || typeof i.quantity !== "number") return null;
    if (i.note !== undefined && i.note !== null && (typeof i.note !== "string" || i.note.length > 1000)) return null;
    if (i.exchangeVariantId !== undefined && i.exchangeVariantId !== null && typeof i.exchangeVariantId !== "string")
      return null;
    items.push({
      lineItemId: i.lineItemId,
      quantity: i.quantity,
      reason: i.reason,
      note: (i.note as string | null) ?? null,
      exchangeVariantId: (i.exchangeVariantId as string | null) ?? null,
    });
  }
  return items;
}

/** POST: a shopper's return request for the order their access token opens. */
export async function createShopperReturn(
  req: StorefrontRequest,
  body: CreateBody,
  deps: StorefrontDeps,
): Promise<Answer> {
  const now = deps.now ?? new Date();
  const policy = await getReturnPolicy(deps.db, req.shop);
  if (!policy.storefrontLookup) return SIGN_IN_REQUIRED;
  if (typeof body.token !== "string" || body.token.length > 2048) return bad("Look up your order first.");
  const check = verifyLinkToken(body.token, {
    secret: deps.secret,
    purpose: ORDER_ACCESS_PURPOSE,
    shop: req.shop,
    now,
  });
  if (!check.ok)
    return {
      status: 401,
      body: { error: "session_expired", message: "Your session has expired. Look up your order again." },
    };
  if (typeof body.key !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(body.key))
    return bad("The form is out of date. Reload the page and try again.");
  if (typeof body.resolution !== "string")
    return bad("Choose how you would like this resolved.", "resolution_not_offered");
  const items = parseItems(body.items);
  if (!items) return bad("The items could not be read. Reload the page and try again.");
  const language = languageFor(typeof body.locale === "string" ? body.locale : null, "en");
  try {
    const claims = { shop: req.shop, orderShopifyId: check.subject, secret: deps.secret, now };
    const photos = readRequestPhotos(body.items, policy, claims);
    const order = await loadOrderForReturns(deps.db, req.shop, check.subject);
    const exchanges = await checkExchangeChoices(await deps.admin(req.shop), {
      items,
      resolution: body.resolution,
      order,
    });
    const productFacts = await productFactsFor(await deps.admin(req.shop), policy, [
      ...new Set((order?.lines ?? []).map((l) => l.productId).filter((x): x is string => Boolean(x))),
    ]);
    const { returnCase, created } = await createReturnCase(
      deps.db,
      req.shop,
      policy,
      {
        orderShopifyId: check.subject,
        idempotencyKey: body.key,
        items,
        resolution: body.resolution,
        locale: language,
        exchanges,
        productFacts,
      },
      now,
    );
    let current = returnCase;
    if (created) {
      // The photos become files in the shop once the return exists; a refusal leaves the return without them.
      try {
        const files = await createPhotoFiles(await deps.admin(req.shop), photos, `Return ${returnCase.number}`);
        await savePhotos(deps.db, returnCase.lines, files);
      } catch (error) {
        if (!(error instanceof ReturnsError)) throw error;
        deps.log?.(`return ${returnCase.number}: photos not kept: ${error.message}`);
      }
      const admin = await deps.admin(req.shop);
      const wf = { db: deps.db, admin, secret: deps.secret, now };
      try {
        current = await requestInShopify(req.shop, returnCase.id, wf);
      } catch (error) {
        // The return stands; the desk shows it as not yet in Shopify and retries on approval.
        if (!(error instanceof ReturnsError)) throw error;
        deps.log?.(`return ${returnCase.number} not yet in Shopify: ${error.message}`);
      }
      await notifyReturn(deps.db, req.shop, policy, current, "requested", { secret: deps.secret, now });
      // An exchange reaches Shopify only on approval, so it has no Shopify return yet.
      if (current.autoApproved && (current.shopifyReturnId || isExchange(current.resolution as never))) {
        try {
          current = await approveReturn(req.shop, returnCase.id, wf);
        } catch (error) {
          if (!(error instanceof ReturnsError)) throw error;
          deps.log?.(`return ${returnCase.number} could not be auto-approved: ${error.message}`);
        }
      }
    }
    return {
      status: created ? 201 : 200,
      body: {
        return: await statusView(deps.db, req.shop, current, language),
        statusToken: returnStatusToken(req.shop, current.id, deps.secret, now),
      },
    };
  } catch (error) {
    if (error instanceof ReturnsError)
      return { status: error.status, body: { error: error.code, message: error.message, problems: error.details } };
    throw error;
  }
}

/**
 * POST with `uploads`: upload targets for one item's photos ({ filename, mimeType, fileSize } each),
 * for a shopper who found their order (its signed token).
 */
export async function stageReturnPhotos(
  req: StorefrontRequest,
  body: { token?: unknown; uploads?: unknown },
  deps: StorefrontDeps,
): Promise<Answer> {
  const now = deps.now ?? new Date();
  const policy = await getReturnPolicy(deps.db, req.shop);
  if (!policy.storefrontLookup) return SIGN_IN_REQUIRED;
  const check =
    typeof body.token === "string" && body.token.length <= 2048
      ? verifyLinkToken(body.token, { secret: deps.secret, purpose: ORDER_ACCESS_PURPOSE, shop: req.shop, now })
      : { ok: false as const };
  if (!check.ok)
    return {
      status: 401,
      body: { error: "session_expired", message: "Your session has expired. Look up your order again." },
    };
  try {
    const targets = await stagePhotoUploads(
      await deps.admin(req.shop),
      { shop: req.shop, orderShopifyId: check.subject, secret: deps.secret, now },
      body.uploads,
    );
    return { status: 200, body: { targets } };
  } catch (error) {
    if (error instanceof ReturnsError)
      return { status: error.status, body: { error: error.code, message: error.message } };
    throw error;
  }
}

export const EXCHANGE_SEARCH_LIMIT: RateLimitRule = {
  name: "returns-exchange-search",
  limit: 60,
  windowMs: 15 * 60_000,
};

/**
 * GET ?search=…&token=…: the shop's products for an exchange for any product. Only a shopper who
 * found their order (its signed token) may search, only when the shop offers that exchange, and
 * at most EXCHANGE_SEARCH_LIMIT times per client.
 */
async function exchangeSearch(req: StorefrontRequest, deps: StorefrontDeps, now: Date): Promise<Answer> {
  const text = req.params.get("search") ?? "";
  if (text.length > SEARCH_MAX_LENGTH)
    return bad(`Search with at most ${SEARCH_MAX_LENGTH} characters.`, "search_too_long");
  const token = req.params.get("token")?.trim() ?? "";
  const check =
    token.length <= 2048
      ? verifyLinkToken(token, { secret: deps.secret, purpose: ORDER_ACCESS_PURPOSE, shop: req.shop, now })
      : { ok: false as const };
  if (!check.ok)
    return {
      status: 401,
      body: { error: "session_expired", message: "Your session has expired. Look up your order again." },
    };
  const policy = await getReturnPolicy(deps.db, req.shop);
  if (!offeredResolutions(policy).includes("exchange_any"))
    return {
      status: 422,
      body: { error: "resolution_not_offered", message: "This shop does not offer exchanges for other products." },
    };
  const limiter = rateLimiter(deps.db, EXCHANGE_SEARCH_LIMIT);
  const client = clientKey(deps.secret, req.clientIp ?? "unknown", check.subject);
  // Counted before searching: the count says at once whether this search is still allowed.
  const counted = await limiter.hit(req.shop, client);
  if (!counted.allowed) {
    return rateLimited(counted.retryAfterSeconds, "Too many searches. Please wait a few minutes and try again.");
  }
  const order = await findOrderCurrency(deps.db, req.shop, check.subject);
  if (!order || order.redactedAt) return NOT_FOUND;
  try {
    return {
      status: 200,
      body: {
        currency: order.currency,
        products: await searchExchangeProducts(await deps.admin(req.shop), text, order.currency),
      },
    };
  } catch (error) {
    if (error instanceof ReturnsError)
      return { status: error.status, body: { error: error.code, message: error.message } };
    throw error;
  }
}
