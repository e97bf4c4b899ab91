/**
 * Shopify resources are keyed by GraphQL gid. Webhook payloads carry `admin_graphql_api_id` on
 * most resources; where they carry only a numeric id (compliance payloads, nested references) the
 * gid is built from it. Numeric ids above 2^53 lose precision in JSON.parse, so the gid in the
 * payload is always preferred.
 */
export type ShopifyResource =
  | "Order"
  | "LineItem"
  | "Customer"
  | "Fulfillment"
  | "FulfillmentEvent"
  | "Refund"
  | "Return"
  | "Product"
  | "ProductVariant"
  | "Shop";

export function gid(resource: ShopifyResource, id: string | number | bigint): string {
  const text = String(id);
  return text.startsWith("gid://") ? text : `gid://shopify/${resource}/${text}`;
}

/** The gid of a payload object: its admin_graphql_api_id, or one built from its id. */
export function gidOf(
  resource: ShopifyResource,
  value: { admin_graphql_api_id?: string | null; id?: string | number | null } | null | undefined,
): string | null {
  if (!value) return null;
  if (value.admin_graphql_api_id) return value.admin_graphql_api_id;
  if (value.id === null || value.id === undefined) return null;
  return gid(resource, value.id);
}
