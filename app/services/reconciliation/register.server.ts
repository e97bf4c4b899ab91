/**
 * Reconciliation's hooks into the shared machinery, attached when app/areas.server.ts is imported:
 * a periodic pass over every installed shop (docs/decisions/0023-reconciliation.md).
 */
import type { Db } from "../../db.server";
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { installedShopDomains } from "../../models/shop.server";
import { deleteShopReconciliation } from "../../models/reconciliation.server";
import { registerPersonalDataArea } from "../compliance.server";

import { reconcileShop } from "./reconcile.server";

export const RECONCILIATION_EVERY_MS = 15 * 60_000;

/** A pass for one shop with its offline session's Admin API (the Sync page's "Check now" too). */
export async function reconcileInstalledShop(db: Db, shop: string, trigger: "schedule" | "merchant", now?: Date) {
  // Imported when needed: areas register at start-up, before a test or script has chosen its
  // database, and shopify.server.ts opens the session storage on the database of that moment.
  const { unauthenticated } = await import("../../shopify.server");
  const { admin } = await unauthenticated.admin(shop);
  const log = (message: string) => console.warn(`[reconciliation] ${message}`);
  return reconcileShop({ db, graphql: admin.graphql, now: now ? () => now : undefined, log }, shop, trigger);
}

let registered = false;

export function registerReconciliation() {
  if (registered) return;
  registered = true;
  registerPeriodicTask({
    name: "reconciliation.pass",
    everyMs: RECONCILIATION_EVERY_MS,
    leaseMs: 30 * 60_000,
    async run({ db }) {
      const failed: string[] = [];
      for (const shop of await installedShopDomains(db)) {
        try {
          const result = await reconcileInstalledShop(db, shop, "schedule");
          if (result.status === "failed") failed.push(`${shop}: ${result.error}`);
        } catch (error) {
          // No offline session (mid-install), or Shopify unreachable: the next period tries again.
          failed.push(`${shop}: ${(error as Error).message}`);
        }
      }
      if (failed.length > 0) throw new Error(`reconciliation failed for ${failed.join("; ")}`);
    },
  });
  registerPersonalDataArea({
    name: "reconciliation",
    exportCustomer: async () => undefined,
    redactCustomer: async () => undefined,
    deleteShop: (db, shop) => deleteShopReconciliation(db, shop),
  });
}
