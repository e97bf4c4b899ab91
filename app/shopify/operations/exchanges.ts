import { operation } from "../admin.server";

import type {
  ExchangeProductSearchQuery,
  ExchangeProductSearchQueryVariables,
  ExchangeVariantsQuery,
  ExchangeVariantsQueryVariables,
  OrderInvoiceSendMutation,
  OrderInvoiceSendMutationVariables,
  OrderOutstandingQuery,
  OrderOutstandingQueryVariables,
  OrderTaxesQuery,
  OrderTaxesQueryVariables,
  ReturnCreateWithExchangeMutation,
  ReturnCreateWithExchangeMutationVariables,
} from "./types.generated";

/**
 * A return with its exchange items, open at once (Shopify's way to add exchange items; a return
 * request cannot carry them). Used when the merchant approves a shopper's exchange.
 */
export const ReturnCreateWithExchange = operation<
  ReturnCreateWithExchangeMutation,
  ReturnCreateWithExchangeMutationVariables
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
        order {
          id
          totalOutstandingSet {
            shopMoney {
              amount
              currencyCode
            }
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

/**
 * Shopify's invoice for what an order still owes: an email with a link to pay it. A dearer
 * exchange leaves such a balance; the new items ship once it is paid.
 */
export const OrderInvoiceSend = operation<OrderInvoiceSendMutation, OrderInvoiceSendMutationVariables>(`#graphql
  mutation OrderInvoiceSend($id: ID!, $email: EmailInput) {
    orderInvoiceSend(id: $id, email: $email) {
      order {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

export type ExchangeVariantNode = Extract<
  NonNullable<ExchangeVariantsQuery["nodes"][number]>,
  { __typename: "ProductVariant" }
>;

/** The variants a shopper chose, with the shop's currency their prices are in. */
export const ExchangeVariants = operation<ExchangeVariantsQuery, ExchangeVariantsQueryVariables>(`#graphql
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

export type ExchangeSearchProduct = ExchangeProductSearchQuery["products"]["nodes"][number];

/** The shop's active products matching a shopper's words, for an exchange for any product. */
export const ExchangeProductSearch = operation<
  ExchangeProductSearchQuery,
  ExchangeProductSearchQueryVariables
>(`#graphql
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

/**
 * What an order still owes now, as Shopify has it: the word a paid exchange waits for; and
 * Shopify's own page to pay it (the link its invoice email carries), shown to the shopper.
 */
export const OrderOutstanding = operation<OrderOutstandingQuery, OrderOutstandingQueryVariables>(`#graphql
  query OrderOutstanding($id: ID!) {
    order(id: $id) {
      id
      totalOutstandingSet {
        shopMoney {
          amount
          currencyCode
        }
      }
      paymentCollectionDetails {
        additionalPaymentCollectionUrl
      }
    }
  }
`);

/**
 * How the order was taxed: whether its prices include tax, and the tax it carries now. Shopify's
 * balance for a dearer exchange taxes the new items as the order's lines were taxed, so this says
 * how to word the difference the shopper is quoted (docs/decisions/0032).
 */
export const OrderTaxes = operation<OrderTaxesQuery, OrderTaxesQueryVariables>(`#graphql
  query OrderTaxes($id: ID!) {
    order(id: $id) {
      id
      taxesIncluded
      currentTotalTaxSet {
        shopMoney {
          amount
          currencyCode
        }
      }
    }
  }
`);
