import { operation } from "../admin.server";

import type {
  CollectionProductsQuery,
  CollectionProductsQueryVariables,
  ProductsByIdsQuery,
  ProductsByIdsQueryVariables,
} from "./types.generated";

/** What a recommendation card shows; prices in the shop's currency as decimal strings. */
export type ProductCardNode = NonNullable<CollectionProductsQuery["collection"]>["products"]["nodes"][number];

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

export const CollectionProducts = operation<CollectionProductsQuery, CollectionProductsQueryVariables>(`#graphql
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

export const ProductsByIds = operation<ProductsByIdsQuery, ProductsByIdsQueryVariables>(`#graphql
  query ProductsByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        ${PRODUCT_CARD_FIELDS}
      }
    }
  }
`);
