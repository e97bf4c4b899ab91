/**
 * The returns desk's vocabulary, shared by the admin pages and the services: the words a
 * merchant sees for statuses, resolutions and dispositions, and the queue's filter. No I/O.
 */
import { RETURN_STATUSES, type Disposition, type Resolution, type ReturnStatus } from "./policy";

export const DESK_LIMIT = 100;

export const STATUS_LABELS: Record<ReturnStatus, string> = {
  requested: "Requested",
  approved: "Approved",
  declined: "Declined",
  received: "Received",
  resolved: "Resolved",
  closed: "Closed",
  canceled: "Canceled",
};

export const STATUS_TONES: Record<ReturnStatus, "attention" | "info" | "critical" | "success" | "warning" | undefined> =
  {
    requested: "attention",
    approved: "info",
    declined: "critical",
    received: "warning",
    resolved: "success",
    closed: "success",
    canceled: undefined,
  };

export const RESOLUTION_LABELS: Record<Resolution, string> = {
  refund: "Refund",
  store_credit: "Store credit",
  exchange_variant: "Exchange (same product)",
  exchange_any: "Exchange (any product)",
};

export const DISPOSITION_LABELS: Record<Disposition, string> = {
  restock: "Restock",
  not_restocked: "Don't restock",
  missing: "Missing",
};

/**
 * Where the shopper asked for a return, told by its submission key (the key each way in writes):
 * the storefront's returns block (a random key from the page), Aftercare's customer-account
 * extension (`ca-…`), or Shopify's own return form in customer accounts, which reaches Aftercare
 * only as a returns/request webhook (`shopify-<return id>`, docs/decisions/0025).
 */
export type ReturnChannel = "storefront" | "customer_account" | "shopify_customer_account";

export const CUSTOMER_ACCOUNT_KEY_PREFIX = "ca-";
export const SHOPIFY_REQUEST_KEY_PREFIX = "shopify-";

export function returnChannel(idempotencyKey: string): ReturnChannel {
  if (idempotencyKey.startsWith(SHOPIFY_REQUEST_KEY_PREFIX)) return "shopify_customer_account";
  if (idempotencyKey.startsWith(CUSTOMER_ACCOUNT_KEY_PREFIX)) return "customer_account";
  return "storefront";
}

export const CHANNEL_LABELS: Record<ReturnChannel, string> = {
  storefront: "Storefront",
  customer_account: "Customer account",
  shopify_customer_account: "Customer account (Shopify's form)",
};

/**
 * A line's reason as the merchant reads it: the policy's label for its code, else (a request made
 * in Shopify's form with a reason no policy reason maps to) Shopify's reason in words.
 */
export function reasonLabel(code: string, reasons: { id: string; label: { en: string } }[]): string {
  const own = reasons.find((r) => r.id === code)?.label.en;
  if (own) return own;
  const words = code.replace(/_/g, " ").trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : "No reason given";
}

/** Shopify's ReturnDeclineReason values, as the merchant reads them. */
export const DECLINE_REASON_LABELS = {
  FINAL_SALE: "Final sale",
  RETURN_PERIOD_ENDED: "Return period ended",
  OTHER: "Other",
} as const;

export interface DeskFilter {
  status: ReturnStatus | null;
  query: string;
}

export function parseDeskFilter(params: URLSearchParams): DeskFilter {
  const status = params.get("status");
  return {
    status: (RETURN_STATUSES as ReadonlyArray<string>).includes(status ?? "") ? (status as ReturnStatus) : null,
    query: (params.get("q") ?? "").trim().slice(0, 100),
  };
}

/**
 * What a resolved return kept in the shop rather than refunding: for an exchange or store credit,
 * the items less fees (resolutionMinor) without the bonus the shop added of its own money; a
 * refund keeps nothing. The dashboard's "revenue kept" sums the same quantity.
 */
export function revenueKeptMinor(c: { resolution: string; resolutionMinor: number; bonusMinor: number }): number {
  return c.resolution === "refund" ? 0 : c.resolutionMinor - c.bonusMinor;
}
