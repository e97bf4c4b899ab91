/**
 * The shop's return reason definitions, read from Shopify once and kept per shop. The library
 * changes rarely (Shopify adds reasons and marks old ones deleted, never reuses ids), so an hour
 * is fresh enough; a refusal that names a definition drops the shop's copy so the next try
 * reads it again.
 */
import { LRUCache } from "lru-cache";

import type { ReasonDefinition } from "../../domain/returns/reason-definitions";
import type { AdminClient } from "../../shopify/admin.server";
import type { ReturnReasonDefinitionsQuery } from "../../shopify/operations/types.generated";
import { ReturnReasonDefinitions } from "../../shopify/operations/returns";

const cache = new LRUCache<string, ReasonDefinition[]>({ max: 2_000, ttl: 60 * 60 * 1000 });
const PAGE = 250;
/** More pages than a library of reasons will ever need; a loop that never ends is worse. */
const MAX_PAGES = 20;

export async function returnReasonDefinitions(admin: AdminClient, shop: string): Promise<ReasonDefinition[]> {
  const cached = cache.get(shop);
  if (cached) return cached;
  const all: ReasonDefinition[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data: ReturnReasonDefinitionsQuery = await admin.request(ReturnReasonDefinitions, { first: PAGE, after });
    all.push(...data.returnReasonDefinitions.nodes);
    const info = data.returnReasonDefinitions.pageInfo;
    if (!info.hasNextPage || !info.endCursor) break;
    after = info.endCursor;
  }
  cache.set(shop, all);
  return all;
}

export function forgetReturnReasonDefinitions(shop?: string) {
  if (shop) cache.delete(shop);
  else cache.clear();
}
