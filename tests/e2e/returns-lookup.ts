/**
 * The merchant's "find an order by number and email" in the storefront Returns block, off by
 * default: end-to-end tests of that lookup turn it on as the Return policy page does, saving the
 * policy and publishing it to the app-data metafield the block reads.
 */
import type { Db } from "../../app/db.server";
import { adminClient } from "../../app/shopify/admin.server";
import { getReturnPolicy, publishStorefrontLookup, saveReturnPolicy } from "../../app/services/returns/policy.server";
import type { Sandbox } from "../../sandbox/engine";

export async function turnOnStorefrontLookup(demo: { sandbox: Sandbox; shop: string }, db: Db) {
  const policy = await getReturnPolicy(db, demo.shop);
  if (policy.storefrontLookup) return;
  const saved = await saveReturnPolicy(db, demo.shop, { ...policy, storefrontLookup: true });
  if (!saved.ok) throw new Error(`The return policy was not saved: ${JSON.stringify(saved.problems)}`);
  await publishStorefrontLookup(adminClient(demo.sandbox.graphqlClient(demo.shop)), true);
}
