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
