/** The production dependencies of the customer-account endpoints. */
import { db } from "../../db.server";
import { env } from "../../env.server";
import { adminClient } from "../../shopify/admin.server";
import { unauthenticated } from "../../shopify.server";

import type { CustomerAccountDeps } from "./endpoints.server";

export function customerAccountDeps(): CustomerAccountDeps {
  return {
    db: db(),
    secret: env().SHOPIFY_API_SECRET,
    now: () => new Date(),
    admin: async (shop) => {
      try {
        const { admin } = await unauthenticated.admin(shop);
        return adminClient(admin.graphql);
      } catch {
        return null;
      }
    },
    log: (message, error) => console.error(`[customer-account] ${message}`, error ?? ""),
  };
}
