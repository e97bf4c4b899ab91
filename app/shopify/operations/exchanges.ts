import { operation, type UserError } from "../admin.server";

/**
 * A return with its exchange items, open at once (Shopify's way to add exchange items; a return
 * request cannot carry them). Used when the merchant approves a shopper's exchange.
 */
export const ReturnCreateWithExchange = operation<
  {
    returnCreate: {
      return: { id: string; name: string; status: string; exchangeLineItems: { nodes: Array<{ id: string; variantId: string | null; quantity: number }> } } | null;
      userErrors: UserError[];
    };
  },
  {
    input: {
      orderId: string;
      returnLineItems: Array<{ fulfillmentLineItemId: string; quantity: number; returnReason: string; returnReasonNote?: string | null }>;
      exchangeLineItems: Array<{ variantId: string; quantity: number }>;
    };
  }
>(`#graphql
  mutation ReturnCreateWithExchange($input: ReturnInput!) {
    returnCreate(returnInput: $input) {
      return {
        id
        name
        status
        exchangeLineItems(first: 50) {
          nodes {
            id
            variantId
            quantity
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

export interface ExchangeVariantNode {
  __typename: "ProductVariant";
  id: string;
  title: string;
  availableForSale: boolean;
  price: string;
  product: { id: string; title: string; status: string };
}

/** The variants a shopper chose, with the shop's currency their prices are in. */
export const ExchangeVariants = operation<{ shop: { currencyCode: string }; nodes: Array<ExchangeVariantNode | { __typename: string } | null> }, { ids: string[] }>(`#graphql
  query ExchangeVariants($ids: [ID!]!) {
    shop {
      currencyCode
    }
    nodes(ids: $ids) {
      __typename
      ... on ProductVariant {
        id
        title
        availableForSale
        price
        product {
          id
          title
          status
        }
      }
    }
  }
`);

export interface ExchangeSearchProduct {
  id: string;
  title: string;
  featuredMedia: { preview: { image: { url: string; altText: string | null } | null } | null } | null;
  variants: { nodes: Array<{ id: string; title: string; availableForSale: boolean; price: string }> };
}

/** The shop's active products matching a shopper's words, for an exchange for any product. */
export const ExchangeProductSearch = operation<{ shop: { currencyCode: string }; products: { nodes: ExchangeSearchProduct[] } }, { query: string; first: number }>(`#graphql
  query ExchangeProductSearch($query: String!, $first: Int!) {
    shop {
      currencyCode
    }
    products(first: $first, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
        featuredMedia {
          preview {
            image {
              url(transform: { maxWidth: 160, maxHeight: 160 })
              altText
            }
          }
        }
        variants(first: 25) {
          nodes {
            id
            title
            availableForSale
            price
          }
        }
      }
    }
  }
`);
