import type { Db } from "../db.server";
import { recordShopInstall, shopInstallState } from "../models/shop.server";
import { adminClient, type GraphqlFn } from "../shopify/admin.server";
import { ShopDetails } from "../shopify/operations/shop";

import { liftShopRedaction } from "./compliance.server";
import { launchInBackground, queueImportOnInstall } from "./history-import/import.server";

export interface RecordInstallOptions {
  /**
   * Starts a queued history import without waiting (default: asks Shopify with this install's
   * Admin API, in the background); the periodic task starts it if this never does.
   */
  startImport?: (id: string) => void;
  now?: Date;
  log?: (message: string, error?: unknown) => void;
}

/**
 * After Shopify authorises the app: remember the shop, its currency and time zone; on a first
 * install, or the first after an uninstall, queue the import of the shop's history (docs/decisions/0022).
 */
export async function recordInstall(
  db: Db,
  graphql: GraphqlFn,
  shop: string,
  scopes: string | undefined,
  options: RecordInstallOptions = {},
) {
  const { shop: details } = await adminClient(graphql).request(ShopDetails);
  const data = {
    name: details.name,
    email: details.email,
    currencyCode: details.currencyCode,
    ianaTimezone: details.ianaTimezone,
    scopes: scopes ?? null,
  };
  const before = await shopInstallState(db, shop);
  await recordShopInstall(db, shop, data);
  // Installed again after a shop/redact: the new installation's deliveries count again.
  await liftShopRedaction(db, shop);
  // The import never holds up or breaks an install: queued here (one insert), started in the
  // background; Shopify's answer, or its failure, is written on the import for the Sync page.
  try {
    const id = await queueImportOnInstall(db, shop, before?.uninstalledAt ?? null, options.now ?? new Date());
    if (id) (options.startImport ?? ((queued) => launchInBackground({ db, shop, id: queued, graphql })))(id);
  } catch (error) {
    (options.log ?? console.error)(`[install] could not queue the history import of ${shop}`, error);
  }
}
