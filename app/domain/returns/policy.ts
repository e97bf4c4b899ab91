/**
 * A shop's return policy and the rules that follow from it, as plain functions: which lines of an
 * order can be returned and why not, how many, what a return is worth once fees and bonus apply,
 * whether it is approved on its own, and when it may close. No I/O; money in minor units.
 */
import { z } from "zod";

import { fieldProblem, problemsFromZod, type FieldProblem } from "../../locales/admin/problems";
import { LANGUAGES, type Language } from "../tracking/vocabulary";

export { LANGUAGES, type Language };

export const RESOLUTIONS = ["refund", "store_credit", "exchange_variant", "exchange_any"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Shopify's ReturnReason enum: each of the merchant's reasons maps to one for the Returns API. */
export const SHOPIFY_RETURN_REASONS = [
  "COLOR",
  "DEFECTIVE",
  "NOT_AS_DESCRIBED",
  "OTHER",
  "SIZE_TOO_LARGE",
  "SIZE_TOO_SMALL",
  "STYLE",
  "UNWANTED",
  "WRONG_ITEM",
] as const;

export const RETURN_STATUSES = [
  "requested",
  "approved",
  "declined",
  "received",
  "resolved",
  "closed",
  "canceled",
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const DISPOSITIONS = ["restock", "not_restocked", "missing"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

const text = (max: number) => z.string().max(max);
const localized = (max: number) => z.object({ en: text(max), ko: text(max), ja: text(max), fa: text(max) });

const reasonSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]{1,40}$/, "Use lowercase letters, digits and _ for a reason's code"),
  label: localized(80).refine((l) => l.en.trim() !== "", "Every reason needs an English label"),
  requireNote: z.boolean(),
  shopifyReason: z.enum(SHOPIFY_RETURN_REASONS),
  /** The shopper may add photos (photos.ts); unset: reasons Shopify files as DEFECTIVE do. */
  askPhotos: z.boolean().optional(),
});

export const policySchema = z.object({
  enabled: z.boolean(),
  /**
   * The theme's Returns block also finds orders by number and email (guests, without signing in).
   * Off by default: Built for Shopify (since 2026-12-01) wants shoppers signed in through the
   * Customer Account API for returns, which the customer-account returns page does (decision 0025).
   */
  storefrontLookup: z.boolean(),
  windowDays: z
    .number()
    .int("Whole days only")
    .min(1, "The return window must be at least 1 day")
    .max(365, "The return window can be at most 365 days"),
  exclusions: z.object({
    productIds: z.array(z.string().startsWith("gid://shopify/Product/")).max(500),
    /** Which products are in them is asked of Shopify when a return is checked, so it is never stale. */
    collections: z
      .array(z.object({ id: z.string().startsWith("gid://shopify/Collection/"), title: text(255) }))
      .max(50, "Exclude at most 50 collections"),
    tags: z.array(z.string().trim().min(1).max(255)).max(100),
    discountedItems: z.boolean(),
  }),
  reasons: z.array(reasonSchema).min(1, "Offer at least one reason").max(30),
  resolutions: z.object({
    refund: z.boolean(),
    storeCredit: z.boolean(),
    storeCreditBonusPercent: z.number().min(0).max(100),
    exchangeVariant: z.boolean(),
    exchangeAny: z.boolean(),
    exchangeBonusPercent: z.number().min(0).max(100),
  }),
  fees: z.object({
    restockingPercent: z
      .number()
      .min(0, "The restocking fee cannot be negative")
      .max(100, "The restocking fee is at most 100%"),
    returnShippingMinor: z.number().int().min(0, "The return shipping fee cannot be negative").max(10_000_000),
    waiveForExchanges: z.boolean(),
  }),
  autoApprove: z.object({
    enabled: z.boolean(),
    /** Reason ids that approve on their own; empty means any reason. */
    reasons: z.array(z.string()).max(30),
    /** Orders worth more than this wait for the merchant; null: any value. */
    maxOrderValueMinor: z.number().int().min(0).nullable(),
    /** Customers with more earlier returns than this wait for the merchant; null: no limit. */
    maxPriorReturns: z.number().int().min(0).nullable(),
  }),
  instructions: localized(4000),
  returnAddress: text(1000),
  notifications: z.object({
    enabled: z.boolean(),
    /** Merchant's wording per language and email; missing ones use the standard templates. */
    templates: z.record(z.string(), z.record(z.string(), z.object({ subject: text(300), body: text(10_000) }))),
  }),
});

export type ReturnPolicy = z.infer<typeof policySchema>;
export type ReturnReasonOption = ReturnPolicy["reasons"][number];

const l = (en: string, ko: string, ja: string, fa: string) => ({ en, ko, ja, fa });

export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  enabled: true,
  storefrontLookup: false,
  windowDays: 30,
  exclusions: { productIds: [], collections: [], tags: ["final-sale"], discountedItems: false },
  reasons: [
    {
      id: "too_small",
      label: l("Too small", "너무 작아요", "小さすぎる", "خیلی کوچک است"),
      requireNote: false,
      shopifyReason: "SIZE_TOO_SMALL",
    },
    {
      id: "too_large",
      label: l("Too large", "너무 커요", "大きすぎる", "خیلی بزرگ است"),
      requireNote: false,
      shopifyReason: "SIZE_TOO_LARGE",
    },
    {
      id: "not_as_described",
      label: l("Not as described", "설명과 달라요", "説明と違う", "با توضیحات مطابقت ندارد"),
      requireNote: true,
      shopifyReason: "NOT_AS_DESCRIBED",
    },
    {
      id: "defective",
      label: l("Damaged or defective", "파손 또는 불량", "破損・不良", "آسیب‌دیده یا معیوب"),
      requireNote: true,
      shopifyReason: "DEFECTIVE",
    },
    {
      id: "wrong_item",
      label: l("Wrong item sent", "잘못된 상품", "違う商品が届いた", "کالای اشتباه ارسال شده"),
      requireNote: false,
      shopifyReason: "WRONG_ITEM",
    },
    {
      id: "changed_mind",
      label: l("Changed my mind", "마음이 바뀌었어요", "気が変わった", "نظرم عوض شد"),
      requireNote: false,
      shopifyReason: "UNWANTED",
    },
    { id: "other", label: l("Other", "기타", "その他", "سایر"), requireNote: true, shopifyReason: "OTHER" },
  ],
  resolutions: {
    refund: true,
    storeCredit: true,
    storeCreditBonusPercent: 10,
    exchangeVariant: true,
    exchangeAny: false,
    exchangeBonusPercent: 0,
  },
  fees: { restockingPercent: 0, returnShippingMinor: 0, waiveForExchanges: true },
  autoApprove: { enabled: false, reasons: [], maxOrderValueMinor: null, maxPriorReturns: 2 },
  instructions: l(
    "Pack the items in their original packaging with the return number inside, and send them " +
      "to the address below within 14 days.",
    "반품 번호를 넣어 원래 포장으로 상품을 포장한 뒤 14일 이내에 아래 주소로 보내 주세요.",
    "返品番号を同封し、元の梱包で14日以内に下記の住所へお送りください。",
    "کالاها را در بسته‌بندی اصلی همراه با شمارهٔ مرجوعی بگذارید و ظرف ۱۴ روز به نشانی زیر بفرستید.",
  ),
  returnAddress: "",
  notifications: { enabled: true, templates: {} },
};

/** A problem of the policy form: keyed in the admin's locale files (see locales/admin/problems.ts), or English only. */
export type PolicyProblem = FieldProblem | { path: string; message: string; key?: undefined };

export type PolicyCheck = { ok: true; policy: ReturnPolicy } | { ok: false; problems: PolicyProblem[] };

/** Validates a policy from the admin page; cross-field rules beyond the schema too. */
export function validatePolicy(input: unknown, options: { requireAddress?: boolean } = {}): PolicyCheck {
  const parsed = policySchema.safeParse(input);
  // Saved from the policy page, returns on with nowhere to send them is refused, said with the
  // schema's problems too so the form shows every problem at once (it was saved silently before).
  // Not on reading a stored policy: the default has no address yet.
  const raw = (input ?? {}) as { enabled?: unknown; returnAddress?: unknown };
  const noAddress =
    options.requireAddress === true &&
    raw.enabled === true &&
    (typeof raw.returnAddress !== "string" || raw.returnAddress.trim() === "")
      ? [fieldProblem("returnAddress", "returns.error.noReturnAddress")]
      : [];
  if (!parsed.success) return { ok: false, problems: [...problemsFromZod(parsed.error, "returns"), ...noAddress] };
  const policy = parsed.data;
  const problems: PolicyProblem[] = [...noAddress];
  const r = policy.resolutions;
  if (!r.refund && !r.storeCredit && !r.exchangeVariant && !r.exchangeAny)
    problems.push(fieldProblem("resolutions", "returns.error.noResolution"));
  const ids = policy.reasons.map((x) => x.id);
  if (new Set(ids).size !== ids.length) problems.push(fieldProblem("reasons", "returns.error.reasonCodeTwice"));
  for (const id of policy.autoApprove.reasons) {
    if (!ids.includes(id))
      problems.push(fieldProblem("autoApprove.reasons", "returns.error.autoApproveUnknownReason", { reason: id }));
  }
  return problems.length ? { ok: false, problems } : { ok: true, policy };
}

/** A stored policy, with defaults for anything missing or no longer valid (never throws). */
export function readPolicy(stored: string | null | undefined): ReturnPolicy {
  if (!stored) return structuredClone(DEFAULT_RETURN_POLICY);
  try {
    const raw = JSON.parse(stored);
    const merged = { ...structuredClone(DEFAULT_RETURN_POLICY), ...raw };
    for (const key of ["exclusions", "resolutions", "fees", "autoApprove", "instructions", "notifications"] as const) {
      merged[key] = { ...DEFAULT_RETURN_POLICY[key], ...(raw[key] ?? {}) };
    }
    const checked = validatePolicy(merged);
    return checked.ok ? checked.policy : structuredClone(DEFAULT_RETURN_POLICY);
  } catch {
    return structuredClone(DEFAULT_RETURN_POLICY);
  }
}

export function offeredResolutions(policy: ReturnPolicy): Resolution[] {
  const r = policy.resolutions;
  return RESOLUTIONS.filter(
    (x) =>
      ({
        refund: r.refund,
        store_credit: r.storeCredit,
        exchange_variant: r.exchangeVariant,
        exchange_any: r.exchangeAny,
      })[x],
  );
}

// ---------------------------------------------------------------------------------------------
// Eligibility

const DAY_MS = 86_400_000;

export interface OrderFacts {
  orderedAt: Date;
  cancelled: boolean;
}

export interface LineFacts {
  lineItemId: string;
  productId: string | null;
  productTags: string[];
  /** The policy's excluded collections that hold this line's product, as Shopify has them now. */
  productCollectionIds: string[];
  quantity: number;
  priceMinor: number;
  totalDiscountMinor: number;
  requiresShipping: boolean;
  /** Units shipped in successful fulfillments. */
  fulfilledQuantity: number;
  /**
   * Of those, units in shipments still on their way to the shopper (the carrier says so, and they
   * are not delivered): not in the shopper's hands, so not returnable yet. A shipment the carrier
   * never reported on counts as arrived, as the window runs from its fulfilment.
   */
  inTransitQuantity?: number;
  /** Earliest fulfillment and latest delivery among the shipments carrying this line. */
  fulfilledAt: Date | null;
  deliveredAt: Date | null;
  /** Units held by this shop's live returns (requested … closed). */
  claimedQuantity: number;
  /** Units refunded on the order (through returns or not). */
  refundedQuantity: number;
}

export type IneligibleReason =
  | "order_cancelled"
  | "not_shipped"
  | "in_transit"
  | "window_closed"
  | "excluded"
  | "discounted"
  | "already_returned"
  | "not_returnable";

export interface LineEligibility {
  lineItemId: string;
  returnable: number;
  /** Why nothing can be returned (null when something can). */
  reason: IneligibleReason | null;
  windowEndsAt: Date;
  /** Which clock the window runs from. */
  windowFrom: "delivery" | "fulfillment" | "order";
}

/**
 * Whether a shipment with this Shopify shipment status is still on its way to the shopper: a
 * label, picked up, in transit, out for delivery, waiting at a pickup point, a failed attempt or a
 * delay. Delivered, failed (the parcel is not coming) or never reported on: not on its way.
 */
export function shipmentOnTheWay(shipmentStatus: string | null | undefined, delivered: boolean): boolean {
  if (delivered || !shipmentStatus) return false;
  return ON_THE_WAY.has(shipmentStatus);
}
const ON_THE_WAY = new Set([
  "label_printed",
  "label_purchased",
  "confirmed",
  "carrier_picked_up",
  "picked_up",
  "in_transit",
  "out_for_delivery",
  "ready_for_pickup",
  "attempted_delivery",
  "delayed",
]);

/** The window runs from delivery, else from fulfilment, else from the order date. */
export function returnWindow(
  policy: Pick<ReturnPolicy, "windowDays">,
  order: OrderFacts,
  line: Pick<LineFacts, "fulfilledAt" | "deliveredAt">,
) {
  const from: LineEligibility["windowFrom"] = line.deliveredAt
    ? "delivery"
    : line.fulfilledAt
      ? "fulfillment"
      : "order";
  const start = line.deliveredAt ?? line.fulfilledAt ?? order.orderedAt;
  return { windowFrom: from, windowEndsAt: new Date(start.getTime() + policy.windowDays * DAY_MS) };
}

export function isExcluded(
  policy: Pick<ReturnPolicy, "exclusions">,
  line: Pick<LineFacts, "productId" | "productTags" | "productCollectionIds">,
): boolean {
  const ex = policy.exclusions;
  if (line.productId && ex.productIds.includes(line.productId)) return true;
  if (ex.collections.some((c) => line.productCollectionIds.includes(c.id))) return true;
  const tags = new Set(line.productTags.map((t) => t.trim().toLowerCase()));
  return ex.tags.some((t) => tags.has(t.trim().toLowerCase()));
}

export function lineEligibility(policy: ReturnPolicy, order: OrderFacts, line: LineFacts, now: Date): LineEligibility {
  const window = returnWindow(policy, order, line);
  const held = Math.max(line.claimedQuantity, line.refundedQuantity);
  const arrived = Math.max(0, line.fulfilledQuantity - (line.inTransitQuantity ?? 0));
  const left = Math.max(0, Math.min(arrived, line.quantity) - held);
  const base = { lineItemId: line.lineItemId, ...window };
  const no = (reason: IneligibleReason): LineEligibility => ({ ...base, returnable: 0, reason });
  if (order.cancelled) return no("order_cancelled");
  if (!line.requiresShipping) return no("not_returnable");
  if (isExcluded(policy, line)) return no("excluded");
  if (policy.exclusions.discountedItems && line.totalDiscountMinor > 0) return no("discounted");
  if (line.fulfilledQuantity <= 0) return no("not_shipped");
  if (arrived <= 0) return no("in_transit");
  if (left <= 0) return no("already_returned");
  if (now.getTime() > window.windowEndsAt.getTime()) return no("window_closed");
  return { ...base, returnable: left, reason: null };
}

// ---------------------------------------------------------------------------------------------
// Money

/**
 * What `quantity` units of a line are worth: their share of what was paid for the line after its
 * discounts, rounded down, so the shares of several returns never add up to more than was paid.
 */
export function lineValueMinor(
  line: Pick<LineFacts, "priceMinor" | "quantity" | "totalDiscountMinor">,
  quantity: number,
): number {
  if (quantity <= 0 || line.quantity <= 0) return 0;
  const paid = Math.max(0, line.priceMinor * line.quantity - line.totalDiscountMinor);
  return Math.floor((paid * Math.min(quantity, line.quantity)) / line.quantity);
}

/** `percent` of `amountMinor`, rounded half up, in whole minor units (percent to 2 decimals). */
export function percentOf(amountMinor: number, percent: number): number {
  const basisPoints = Math.round(percent * 100);
  return Math.floor((amountMinor * basisPoints + 5_000) / 10_000);
}

export const isExchange = (r: Resolution) => r === "exchange_variant" || r === "exchange_any";

export interface Quote {
  itemsMinor: number;
  restockingFeeMinor: number;
  shippingFeeMinor: number;
  bonusMinor: number;
  /** What the shopper gets: refunded, credited, or toward the exchange. Never negative. */
  totalMinor: number;
}

export function quoteReturn(
  policy: Pick<ReturnPolicy, "fees" | "resolutions">,
  itemsMinor: number,
  resolution: Resolution,
): Quote {
  const waived = isExchange(resolution) && policy.fees.waiveForExchanges;
  const restockingFeeMinor = waived ? 0 : Math.min(itemsMinor, percentOf(itemsMinor, policy.fees.restockingPercent));
  const shippingFeeMinor = waived ? 0 : Math.min(itemsMinor - restockingFeeMinor, policy.fees.returnShippingMinor);
  const bonusPercent =
    resolution === "store_credit"
      ? policy.resolutions.storeCreditBonusPercent
      : resolution === "exchange_any"
        ? policy.resolutions.exchangeBonusPercent
        : 0;
  const bonusMinor = percentOf(itemsMinor, bonusPercent);
  return {
    itemsMinor,
    restockingFeeMinor,
    shippingFeeMinor,
    bonusMinor,
    totalMinor: itemsMinor - restockingFeeMinor - shippingFeeMinor + bonusMinor,
  };
}

// ---------------------------------------------------------------------------------------------
// A shopper's request

export interface RequestedItem {
  lineItemId: string;
  quantity: number;
  reason: string;
  note?: string | null;
  exchangeVariantId?: string | null;
}

export interface RequestProblem {
  code:
    | "no_items"
    | "unknown_item"
    | "ineligible_item"
    | "quantity_too_high"
    | "bad_quantity"
    | "unknown_reason"
    | "note_required"
    | "resolution_not_offered"
    | "exchange_variant_required"
    | "duplicate_item";
  lineItemId?: string;
  message: string;
}

export function checkRequest(
  policy: ReturnPolicy,
  eligibility: LineEligibility[],
  items: RequestedItem[],
  resolution: string,
): RequestProblem[] {
  const problems: RequestProblem[] = [];
  if (
    !(RESOLUTIONS as ReadonlyArray<string>).includes(resolution) ||
    !offeredResolutions(policy).includes(resolution as Resolution)
  ) {
    problems.push({
      code: "resolution_not_offered",
      message: "That way of resolving a return is not offered by this shop.",
    });
  }
  if (items.length === 0) problems.push({ code: "no_items", message: "Choose at least one item to return." });
  const seen = new Set<string>();
  for (const item of items) {
    const line = eligibility.find((e) => e.lineItemId === item.lineItemId);
    if (!line) {
      problems.push({
        code: "unknown_item",
        lineItemId: item.lineItemId,
        message: "One of the items is not on this order.",
      });
      continue;
    }
    if (seen.has(item.lineItemId))
      problems.push({
        code: "duplicate_item",
        lineItemId: item.lineItemId,
        message: "An item is listed twice; choose its quantity once.",
      });
    seen.add(item.lineItemId);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      problems.push({
        code: "bad_quantity",
        lineItemId: item.lineItemId,
        message: "Quantities must be whole numbers of at least 1.",
      });
    } else if (line.reason !== null) {
      problems.push({
        code: "ineligible_item",
        lineItemId: item.lineItemId,
        message: "One of the items cannot be returned.",
      });
    } else if (item.quantity > line.returnable) {
      problems.push({
        code: "quantity_too_high",
        lineItemId: item.lineItemId,
        message: `Only ${line.returnable} of that item can be returned.`,
      });
    }
    const reason = policy.reasons.find((r) => r.id === item.reason);
    if (!reason)
      problems.push({
        code: "unknown_reason",
        lineItemId: item.lineItemId,
        message: "Choose one of the listed reasons.",
      });
    else if (reason.requireNote && !(item.note ?? "").trim())
      problems.push({
        code: "note_required",
        lineItemId: item.lineItemId,
        message: "Tell us a little more about this item.",
      });
    if (isExchange(resolution as Resolution) && !item.exchangeVariantId) {
      problems.push({
        code: "exchange_variant_required",
        lineItemId: item.lineItemId,
        message: "Choose what you would like in exchange.",
      });
    }
  }
  return problems;
}

export function autoApproves(
  policy: ReturnPolicy,
  input: { reasons: string[]; orderTotalMinor: number; priorReturns: number },
): boolean {
  const a = policy.autoApprove;
  if (!a.enabled) return false;
  if (a.reasons.length > 0 && !input.reasons.every((r) => a.reasons.includes(r))) return false;
  if (a.maxOrderValueMinor !== null && input.orderTotalMinor > a.maxOrderValueMinor) return false;
  if (a.maxPriorReturns !== null && input.priorReturns > a.maxPriorReturns) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

const NEXT: Record<ReturnStatus, ReturnStatus[]> = {
  requested: ["approved", "declined", "canceled"],
  approved: ["received", "canceled"],
  declined: [],
  received: ["resolved"],
  resolved: ["closed"],
  closed: [],
  canceled: [],
};

export function canMove(from: string, to: ReturnStatus): boolean {
  return (NEXT[from as ReturnStatus] ?? []).includes(to);
}

/** Statuses whose items count against what can still be returned. */
export const LIVE_STATUSES: ReturnStatus[] = ["requested", "approved", "received", "resolved", "closed"];

/** An approved return closes only once every item has been received with a disposition. */
export function closeBlocker(lines: { disposition: string | null }[]): string | null {
  const missing = lines.filter((x) => !x.disposition).length;
  return missing === 0
    ? null
    : `${missing} item${missing === 1 ? "" : "s"} still need${missing === 1 ? "s" : ""} a ` +
        `disposition (restock or not) before the return can close.`;
}

/**
 * A customer whose share of returned units is unusually high: at least two returns, and a rate
 * above twice the shop's (and at least 30%).
 */
export function unusualReturnRate(
  customer: { returns: number; unitsReturned: number; unitsBought: number },
  shopRate: number,
): boolean {
  if (customer.returns < 2 || customer.unitsBought === 0) return false;
  const rate = customer.unitsReturned / customer.unitsBought;
  return rate >= Math.max(0.3, shopRate * 2);
}
