/**
 * Flow's "tag customer by tier": the customer carries one tag naming the member's tier
 * ("Tier: Gold"), and none of the other tiers' tags with the same prefix, so Shopify segments,
 * discounts and other apps can use the tier. Tags are set in Shopify (tagsAdd, tagsRemove), both
 * of which are idempotent, so a retried step changes nothing more.
 */
import type { Db } from "../../db.server";
import type { AdminClient } from "../../shopify/admin.server";
import { CustomerTagsAdd, CustomerTagsRemove } from "../../shopify/operations/events";

import { findMemberByCustomer } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

export const DEFAULT_TIER_TAG_PREFIX = "Tier: ";

export type TierTagOutcome =
  { ok: true; added: string | null; removed: string[] } | { ok: false; problem: "not_member" | "bad_prefix" };

/** A tag is at most 255 characters and holds no comma (Shopify splits tags on commas). */
export function tierTag(prefix: string, tierName: string): string | null {
  const tag = `${prefix}${tierName}`.trim();
  return tag && tag.length <= 255 && !tag.includes(",") ? tag : null;
}

export async function tagCustomerByTier(
  db: Db,
  shop: string,
  input: { customerShopifyId: string; prefix?: string | null },
  admin: AdminClient,
): Promise<TierTagOutcome> {
  const prefix = input.prefix ?? DEFAULT_TIER_TAG_PREFIX;
  if (prefix.length > 100 || prefix.includes(",")) return { ok: false, problem: "bad_prefix" };
  const member = await findMemberByCustomer(db, shop, input.customerShopifyId);
  if (!member) return { ok: false, problem: "not_member" };
  const settings = await loadLoyaltySettings(db, shop);
  const tier = settings.tiers.find((t) => t.key === member.tierKey) ?? null;
  const added = tier ? tierTag(prefix, tier.name) : null;
  const removed = settings.tiers
    .filter((t) => t.key !== tier?.key)
    .map((t) => tierTag(prefix, t.name))
    .filter((t): t is string => t !== null && t !== added);
  if (removed.length)
    await admin.mutate(CustomerTagsRemove, (d) => d.tagsRemove, { id: input.customerShopifyId, tags: removed });
  if (added) await admin.mutate(CustomerTagsAdd, (d) => d.tagsAdd, { id: input.customerShopifyId, tags: [added] });
  return { ok: true, added, removed };
}
