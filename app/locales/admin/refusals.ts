/**
 * A refusal of a return's step in the admin's words. Services refuse with a code and the values
 * their sentence needs (`ReturnsError`), and when Shopify refused, with Shopify's userErrors; the
 * route turns that into a `Said` the page words in the admin's language. Shopify's own English is
 * shown, as a detail, only when neither our code nor Shopify's code says what happened.
 */
import { said, type AdminMessageKey, type Said } from "./index";

export interface Refusal {
  code: string;
  message: string;
  values: Record<string, string | number>;
  shopifyErrors: ReadonlyArray<{ code?: string | null; field?: string[] | null; message: string }>;
}

export interface SaidRefusal {
  said: Said;
  /** Shopify's (or a service's) own English, when the admin's words could not say it. */
  detail: string | null;
}

/** The return desk's refusals by the services' codes. */
const RETURN_REFUSALS: Record<string, AdminMessageKey> = {
  not_found: "returnRefusal.not_found",
  no_return: "returnRefusal.no_return",
  unknown_action: "returnRefusal.unknown_action",
  nothing_selected: "returnRefusal.nothing_selected",
  too_many: "returnRefusal.too_many",
  bad_reason: "returnRefusal.bad_reason",
  note_too_long: "returnRefusal.note_too_long",
  no_customer: "returnRefusal.no_customer",
  no_payment: "returnRefusal.no_payment",
  missing_in_shopify: "returnRefusal.missing_in_shopify",
  not_in_shopify: "returnRefusal.not_in_shopify",
  not_returnable_in_shopify: "returnRefusal.not_returnable_in_shopify",
  disposition_required: "returnRefusal.disposition_required",
  exchange_missing: "returnRefusal.exchange_missing",
  exchange_unavailable: "returnRefusal.exchange_unavailable",
  exchange_currency: "returnRefusal.exchange_currency",
  awaiting_payment: "returnRefusal.awaiting_payment",
  shopify_reason_missing: "returnRefusal.shopify_reason_missing",
  shopify_unavailable: "returnRefusal.shopify_unavailable",
  shopify_error: "returnRefusal.shopify_error",
  busy: "returnRefusal.busy",
};

/** A step refused because of the return's status, by the step. */
const WRONG_STATUS: Record<string, AdminMessageKey> = {
  approve: "returnRefusal.wrongStatus.approve",
  decline: "returnRefusal.wrongStatus.decline",
  receive: "returnRefusal.wrongStatus.receive",
  receiveFirst: "returnRefusal.wrongStatus.receiveFirst",
  complete: "returnRefusal.wrongStatus.complete",
};

/**
 * Shopify's userError codes (ReturnErrorCode, StoreCreditAccountCreditUserErrorCode in the Admin
 * schema) that say enough on their own; others (BLANK, INVALID …) need Shopify's text.
 */
export const SHOPIFY_ERROR_CODES: Record<string, AdminMessageKey> = {
  NOT_FOUND: "shopifyRefusal.notFound",
  INVALID_STATE: "shopifyRefusal.invalidState",
  NOT_EDITABLE: "shopifyRefusal.notEditable",
  ALREADY_EXISTS: "shopifyRefusal.alreadyExists",
  TAKEN: "shopifyRefusal.alreadyExists",
  FEATURE_NOT_ENABLED: "shopifyRefusal.featureNotEnabled",
  MISSING_PERMISSION: "shopifyRefusal.missingPermission",
  GREATER_THAN: "shopifyRefusal.outOfRange",
  GREATER_THAN_OR_EQUAL_TO: "shopifyRefusal.outOfRange",
  LESS_THAN: "shopifyRefusal.outOfRange",
  LESS_THAN_OR_EQUAL_TO: "shopifyRefusal.outOfRange",
  TOO_BIG: "shopifyRefusal.outOfRange",
  INTERNAL_ERROR: "shopifyRefusal.internalError",
  ACCOUNT_NOT_FOUND: "shopifyRefusal.noCreditAccount",
  OWNER_NOT_FOUND: "shopifyRefusal.noCreditAccount",
  CREDIT_LIMIT_EXCEEDED: "shopifyRefusal.creditLimit",
  MISMATCHING_CURRENCY: "shopifyRefusal.currency",
  UNSUPPORTED_CURRENCY: "shopifyRefusal.currency",
};

/** Values a sentence shows as they are (a return's number is a name, not an amount to group). */
function shown(values: Refusal["values"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k !== "step") out[k] = String(v);
  return out;
}

export function refusalSaid(refusal: Refusal): SaidRefusal {
  if (refusal.code === "wrong_status") {
    const key = WRONG_STATUS[String(refusal.values.step)];
    if (key) return { said: said(key, shown(refusal.values)), detail: null };
  }
  if (refusal.code === "shopify_refused") {
    const keys = refusal.shopifyErrors.map((e) => (e.code ? SHOPIFY_ERROR_CODES[e.code] : undefined));
    const first = keys[0];
    if (first && keys.every((k) => k === first)) return { said: said(first), detail: null };
    const text = refusal.shopifyErrors.map((e) => e.message).join("; ");
    return { said: said("returnRefusal.shopify_refused"), detail: text || null };
  }
  const key = RETURN_REFUSALS[refusal.code];
  if (key) return { said: said(key, shown(refusal.values)), detail: null };
  return { said: said("returnRefusal.other"), detail: refusal.message };
}

/** The loyalty pages' refusals by the services' codes (LoyaltyError). */
const LOYALTY_REFUSALS: Record<string, AdminMessageKey> = {
  below_zero: "member.error.belowZero",
  unknown_reward: "reward.error.gone",
  program_off: "loyaltyRefusal.programOff",
};

/** A loyalty service's refusal in the admin's words; its English only as a detail for a code new here. */
export function loyaltyRefusalSaid(refusal: {
  code: string;
  message: string;
  values?: Record<string, string | number>;
}): SaidRefusal {
  const key = LOYALTY_REFUSALS[refusal.code];
  if (key) return { said: said(key, refusal.values ?? {}), detail: null };
  return { said: said("loyaltyRefusal.other", { detail: refusal.message }), detail: refusal.message };
}
