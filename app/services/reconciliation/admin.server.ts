/**
 * What the Sync page shows of reconciliation, and its "Check now": the route stays thin and calls
 * these. A pass the merchant starts runs in the background (a shop with many recent orders takes
 * longer than a request should wait); the card shows it running from the pass's lease.
 */
import type { Db } from "../../db.server";
import type { GraphqlFn } from "../../shopify/admin.server";
import { said, type Said } from "../../locales/admin";
import { findReconciliation } from "../../models/reconciliation.server";

import { reconcileShop } from "./reconcile.server";

export interface ReconciliationCard {
  running: boolean;
  lastFinishedAt: string | null;
  lastTrigger: string | null;
  lastError: string | null;
  /** What the last pass found missing from the mirror, and how many orders it compared. */
  found: { orders: number; shipments: number; scans: number; refunds: number; returns: number };
  ordersSeen: number;
}

export async function reconciliationCard(db: Db, shop: string, now: Date): Promise<ReconciliationCard> {
  const row = await findReconciliation(db, shop);
  return {
    running: Boolean(row?.leaseUntil && row.leaseUntil > now),
    lastFinishedAt: row?.lastFinishedAt?.toISOString() ?? null,
    lastTrigger: row?.lastTrigger ?? null,
    lastError: row?.lastError ?? null,
    found: {
      orders: (row?.ordersCreated ?? 0) + (row?.ordersUpdated ?? 0),
      shipments: row?.shipmentsFound ?? 0,
      scans: row?.scansFound ?? 0,
      refunds: row?.refundsFound ?? 0,
      returns: row?.returnsFound ?? 0,
    },
    ordersSeen: row?.ordersSeen ?? 0,
  };
}

/** `said`: the answer in the admin's words, for the page (`message` stays English for logs and API callers). */
export type CheckNowResult =
  { ok: true; message: string; said: Said } | { ok: false; status: 409 | 503; message: string; said: Said };

/**
 * Starts a pass for the shop now, with the merchant's own Admin API client, and answers once it
 * holds the shop's lease (so a second click sees it running) or once it turns out another pass is
 * running (409). The pass goes on after the answer; `settled` lets tests wait for it.
 */
export async function checkNow(
  deps: { db: Db; graphql: GraphqlFn; now?: () => Date },
  shop: string,
): Promise<CheckNowResult & { settled: Promise<unknown> }> {
  let claimed!: () => void;
  const started = new Promise<void>((resolve) => (claimed = resolve));
  const settled = reconcileShop(
    { db: deps.db, graphql: deps.graphql, now: deps.now, onClaimed: claimed },
    shop,
    "merchant",
  ).catch((error: unknown) => {
    console.error("[reconciliation] a check started from Sync failed", error);
    return { status: "failed" as const };
  });
  const first = await Promise.race([started.then(() => "started" as const), settled]);
  if (first !== "started") {
    if (first.status === "busy") {
      const message = "A check is already running. The card updates when it ends.";
      return { ok: false, status: 409, message, said: said("sync.toast.checkBusy"), settled };
    }
    const message = "The check could not start just now. Try again in a minute; the next scheduled check runs anyway.";
    return { ok: false, status: 503, message, said: said("sync.toast.checkFailed"), settled };
  }
  return {
    ok: true,
    message: "Checking Shopify for anything the webhooks missed…",
    said: said("sync.toast.checking"),
    settled,
  };
}
