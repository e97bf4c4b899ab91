import type { Db } from "../db.server";
import { recordShopInstall } from "../models/shop.server";
import { adminClient, type GraphqlFn } from "../shopify/admin.server";
import { ShopDetails } from "../shopify/operations/shop";

import { liftShopRedaction } from "./compliance.server";

/** After Shopify authorises the app: remember the shop, its currency and time zone. */
export async function recordInstall(db: Db, graphql: GraphqlFn, shop: string, scopes: string | undefined) {
  const { shop: details } = await adminClient(graphql).request(ShopDetails);
  const data = {
    name: details.name,
    email: details.email,
    currencyCode: details.currencyCode,
    ianaTimezone: details.ianaTimezone,
    scopes: scopes ?? null,
  };
  await recordShopInstall(db, shop, data);
  // Installed again after a shop/redact: the new installation's deliveries count again.
  await liftShopRedaction(db, shop);
}
