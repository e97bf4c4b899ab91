import { operation } from "../admin.server";

/** What a recommendation card shows; prices in the shop's currency as decimal strings. */
export interface ProductCardNode {
  id: string;
  title: string;
  handle: string;
  status: "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";
  onlineStoreUrl: string | null;
  featuredMedia: { preview: { image: { url: string; altText: string | null } | null } | null } | null;
  priceRangeV2: { minVariantPrice: { amount: string; currencyCode: string } };
}

const PRODUCT_CARD_FIELDS = `
  id
  title
  handle
  status
  onlineStoreUrl
  featuredMedia {
    preview {
      image {
        url(transform: { maxWidth: 480, maxHeight: 480 })
        altText
      }
    }
  }
  priceRangeV2 {
    minVariantPrice {
      amount
      currencyCode
    }
  }
`;

export const CollectionProducts = operation<
  { collection: { id: string; products: { nodes: ProductCardNode[] } } | null },
  { id: string; first: number }
>(`#graphql
  query CollectionProducts($id: ID!, $first: Int!) {
    collection(id: $id) {
      id
      products(first: $first, sortKey: COLLECTION_DEFAULT) {
        nodes {
          ${PRODUCT_CARD_FIELDS}
        }
      }
    }
  }
`);

export const ProductsByIds = operation<{ nodes: Array<(ProductCardNode & { __typename: "Product" }) | null> }, { ids: string[] }>(`#graphql
  query ProductsByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        ${PRODUCT_CARD_FIELDS}
      }
    }
  }
`);
