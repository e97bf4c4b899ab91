/**
 * Products the merchant chose to show under the timeline, fetched from the Admin API (a
 * collection, or hand-picked products) and cached per shop in the database, so a storefront
 * lookup never waits on Shopify. A failed refresh serves the last good list.
 */
import type { Db } from "../../db.server";
import { toMinor } from "../../domain/shared/money";
import type { TrackingSettings } from "../../domain/tracking/settings";
import type { AdminClient } from "../../shopify/admin.server";
import { CollectionProducts, ProductsByIds, type ProductCardNode } from "../../shopify/operations/products";

export interface RecommendedProduct {
  title: string;
  url: string;
  imageUrl: string | null;
  imageAlt: string | null;
  price: { amountMinor: number; currency: string };
}

export const RECOMMENDATIONS_TTL_MS = 60 * 60_000;

export function recommendationSourceKey(settings: TrackingSettings): string | null {
  const r = settings.recommendations;
  if (r.source === "collection" && r.collectionId) return `collection:${r.collectionId}:${r.limit}`;
  if (r.source === "products" && r.productIds.length) return `products:${r.productIds.join(",")}:${r.limit}`;
  return null;
}

function toCard(node: ProductCardNode): RecommendedProduct | null {
  // Only what a shopper can open and buy.
  if (node.status !== "ACTIVE" || !node.onlineStoreUrl) return null;
  const image = node.featuredMedia?.preview?.image ?? null;
  const price = node.priceRangeV2.minVariantPrice;
  return {
    title: node.title,
    url: node.onlineStoreUrl,
    imageUrl: image?.url ?? null,
    imageAlt: image?.altText ?? node.title,
    price: { amountMinor: toMinor(price.amount, price.currencyCode), currency: price.currencyCode },
  };
}

export async function fetchRecommendations(
  admin: AdminClient,
  settings: TrackingSettings,
): Promise<RecommendedProduct[]> {
  const r = settings.recommendations;
  let nodes: ProductCardNode[] = [];
  if (r.source === "collection" && r.collectionId) {
    // Ask for a few more than shown: drafts and unpublished products are dropped.
    const data = await admin.request(CollectionProducts, { id: r.collectionId, first: Math.min(50, r.limit * 3) });
    nodes = data.collection?.products.nodes ?? [];
  } else if (r.source === "products" && r.productIds.length) {
    const data = await admin.request(ProductsByIds, { ids: r.productIds });
    nodes = data.nodes.filter((n): n is ProductCardNode & { __typename: "Product" } => n?.__typename === "Product");
  }
  return nodes
    .map(toCard)
    .filter((c): c is RecommendedProduct => c !== null)
    .slice(0, r.limit);
}

const inFlight = new Map<string, Promise<RecommendedProduct[]>>();

export async function recommendedProducts(
  db: Db,
  shop: string,
  settings: TrackingSettings,
  deps: {
    admin: (shop: string) => Promise<AdminClient | null>;
    now: Date;
    log?: (message: string, error?: unknown) => void;
  },
): Promise<RecommendedProduct[]> {
  const sourceKey = recommendationSourceKey(settings);
  if (!sourceKey || !settings.display.recommendations) return [];
  const cached = await db.trackingRecommendationCache.findUnique({ where: { shop } });
  const sameSource = cached?.sourceKey === sourceKey;
  const parse = () => {
    try {
      return JSON.parse(cached!.products) as RecommendedProduct[];
    } catch {
      return [];
    }
  };
  if (cached && sameSource && deps.now.getTime() - cached.fetchedAt.getTime() < RECOMMENDATIONS_TTL_MS) return parse();
  const flightKey = `${shop}|${sourceKey}`;
  let pending = inFlight.get(flightKey);
  if (!pending) {
    pending = (async () => {
      const admin = await deps.admin(shop);
      if (!admin) throw new Error("no offline session for this shop");
      const products = await fetchRecommendations(admin, settings);
      const row = { sourceKey, products: JSON.stringify(products), fetchedAt: deps.now };
      await db.trackingRecommendationCache.upsert({ where: { shop }, create: { shop, ...row }, update: row });
      return products;
    })().finally(() => inFlight.delete(flightKey));
    inFlight.set(flightKey, pending);
  }
  try {
    return await pending;
  } catch (error) {
    deps.log?.(`recommendations for ${shop} could not be refreshed`, error);
    return cached && sameSource ? parse() : [];
  }
}
