import { operation } from "../admin.server";

import type {
  AppDataMetafieldsSetMutation,
  AppDataMetafieldsSetMutationVariables,
  CurrentAppInstallationQuery,
  ProductTagsQuery,
  ProductTagsQueryVariables,
  ProductVariantsForExchangeQuery,
  ProductVariantsForExchangeQueryVariables,
  ProductsInCollectionQuery,
  ProductsInCollectionQueryVariables,
  ReturnApproveRequestMutation,
  ReturnApproveRequestMutationVariables,
  ReturnCloseMutation,
  ReturnCloseMutationVariables,
  ReturnDeclineRequestMutation,
  ReturnDeclineRequestMutationVariables,
  ReturnForProcessingQuery,
  ReturnForProcessingQueryVariables,
  ReturnProcessMutation,
  ReturnProcessMutationVariables,
  ReturnReasonDefinitionsQuery,
  ReturnReasonDefinitionsQueryVariables,
  ReturnRequestMutation,
  ReturnRequestMutationVariables,
  ReturnableFulfillmentsQuery,
  ReturnableFulfillmentsQueryVariables,
  ReverseFulfillmentOrderDisposeMutation,
  ReverseFulfillmentOrderDisposeMutationVariables,
  StoreCreditAccountCreditMutation,
  StoreCreditAccountCreditMutationVariables,
} from "./types.generated";

/** What can still be returned from an order, per fulfillment line (Shopify's count). */
export const ReturnableFulfillments = operation<
  ReturnableFulfillmentsQuery,
  ReturnableFulfillmentsQueryVariables
>(`#graphql
  query ReturnableFulfillments($orderId: ID!) {
    returnableFulfillments(orderId: $orderId, first: 5) {
      nodes {
        id
        returnableFulfillmentLineItems(first: 25) {
          nodes {
            quantity
            fulfillmentLineItem {
              id
              lineItem {
                id
              }
            }
          }
        }
      }
    }
  }
`);

export const ReturnRequest = operation<ReturnRequestMutation, ReturnRequestMutationVariables>(`#graphql
  mutation ReturnRequest($input: ReturnRequestInput!) {
    returnRequest(input: $input) {
      return {
        id
        name
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

export const ReturnApproveRequest = operation<
  ReturnApproveRequestMutation,
  ReturnApproveRequestMutationVariables
>(`#graphql
  mutation ReturnApproveRequest($id: ID!) {
    returnApproveRequest(input: { id: $id, notifyCustomer: false }) {
      return {
        id
        name
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

export const ReturnDeclineRequest = operation<
  ReturnDeclineRequestMutation,
  ReturnDeclineRequestMutationVariables
>(`#graphql
  mutation ReturnDeclineRequest($id: ID!, $reason: ReturnDeclineReason!, $note: String) {
    returnDeclineRequest(input: { id: $id, declineReason: $reason, declineNote: $note, notifyCustomer: false }) {
      return {
        id
        name
        status
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
 * A return's lines (exchange items too), its reverse fulfillment order lines and the order's payments, to
 * receive and process it.
 */
export const ReturnForProcessing = operation<ReturnForProcessingQuery, ReturnForProcessingQueryVariables>(`#graphql
  query ReturnForProcessing($id: ID!) {
    return(id: $id) {
      id
      status
      returnLineItems(first: 50) {
        nodes {
          ... on ReturnLineItem {
            id
            quantity
            processedQuantity
            fulfillmentLineItem {
              lineItem {
                id
              }
            }
          }
        }
      }
      reverseFulfillmentOrders(first: 3) {
        nodes {
          id
          lineItems(first: 50) {
            nodes {
              id
              totalQuantity
              fulfillmentLineItem {
                lineItem {
                  id
                }
              }
            }
          }
        }
      }
      exchangeLineItems(first: 50) {
        nodes {
          id
          quantity
          processedQuantity
          lineItems {
            id
          }
        }
      }
      order {
        id
        customer {
          id
        }
        transactions(first: 20) {
          id
          kind
          status
          gateway
        }
      }
    }
    location {
      id
    }
  }
`);

export const ReverseFulfillmentOrderDispose = operation<
  ReverseFulfillmentOrderDisposeMutation,
  ReverseFulfillmentOrderDisposeMutationVariables
>(`#graphql
  mutation ReverseFulfillmentOrderDispose($inputs: [ReverseFulfillmentOrderDisposeInput!]!) {
    reverseFulfillmentOrderDispose(dispositionInputs: $inputs) {
      reverseFulfillmentOrderLineItems {
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

export const ReturnProcess = operation<ReturnProcessMutation, ReturnProcessMutationVariables>(`#graphql
  mutation ReturnProcess($input: ReturnProcessInput!) {
    returnProcess(input: $input) {
      return {
        id
        name
        status
        exchangeLineItems(first: 50) {
          nodes {
            id
            lineItems {
              id
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

export const StoreCreditAccountCredit = operation<
  StoreCreditAccountCreditMutation,
  StoreCreditAccountCreditMutationVariables
>(`#graphql
  mutation StoreCreditAccountCredit($id: ID!, $amount: MoneyInput!) {
    storeCreditAccountCredit(id: $id, creditInput: { creditAmount: $amount, notify: false }) {
      storeCreditAccountTransaction {
        id
        amount {
          amount
          currencyCode
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

export const ReturnClose = operation<ReturnCloseMutation, ReturnCloseMutationVariables>(`#graphql
  mutation ReturnClose($id: ID!) {
    returnClose(id: $id) {
      return {
        id
        name
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

/** The variants of one product, for an exchange of the same product. */
export const ProductVariantsForExchange = operation<
  ProductVariantsForExchangeQuery,
  ProductVariantsForExchangeQueryVariables
>(`#graphql
  query ProductVariantsForExchange($id: ID!) {
    product(id: $id) {
      id
      title
      variants(first: 100) {
        nodes {
          id
          title
          availableForSale
          price
        }
      }
    }
  }
`);

/** Products' current tags, for tag exclusions (order webhooks do not carry them). */
/** Which of these products are in one collection now (smart collections included). */
export const ProductsInCollection = operation<ProductsInCollectionQuery, ProductsInCollectionQueryVariables>(`#graphql
  query ProductsInCollection($ids: [ID!]!, $collectionId: ID!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        id
        inCollection(id: $collectionId)
      }
    }
  }
`);

export const ProductTags = operation<ProductTagsQuery, ProductTagsQueryVariables>(`#graphql
  query ProductTags($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        id
        tags
      }
    }
  }
`);

/** Shopify's library of return reasons, a page at a time (reasons map onto these by handle). */
export const ReturnReasonDefinitions = operation<
  ReturnReasonDefinitionsQuery,
  ReturnReasonDefinitionsQueryVariables
>(`#graphql
  query ReturnReasonDefinitions($first: Int!, $after: String) {
    returnReasonDefinitions(first: $first, after: $after) {
      nodes {
        id
        handle
        name
        deleted
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The app's installation on the shop: the owner of app-data metafields the theme blocks read. */
export const CurrentAppInstallation = operation<CurrentAppInstallationQuery>(`#graphql
  query CurrentAppInstallation {
    currentAppInstallation {
      id
    }
  }
`);

/**
 * App-data metafields on the installation, which theme app blocks read as `app.metafields` (the
 * Returns block: whether it offers the order-number-and-email lookup).
 */
export const AppDataMetafieldsSet = operation<AppDataMetafieldsSetMutation, AppDataMetafieldsSetMutationVariables>(
  `#graphql
  mutation AppDataMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        key
        value
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`,
);
