import { operation, type UserError } from "../admin.server";

/** What can still be returned from an order, per fulfillment line (Shopify's count). */
export const ReturnableFulfillments = operation<
  {
    returnableFulfillments: {
      nodes: Array<{
        id: string;
        returnableFulfillmentLineItems: { nodes: Array<{ quantity: number; fulfillmentLineItem: { id: string; lineItem: { id: string } } }> };
      }>;
    };
  },
  { orderId: string }
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

interface ReturnPayload {
  return: { id: string; name: string; status: string } | null;
  userErrors: UserError[];
}

export const ReturnRequest = operation<
  { returnRequest: ReturnPayload },
  { input: { orderId: string; returnLineItems: Array<{ fulfillmentLineItemId: string; quantity: number; returnReason: string; customerNote?: string | null }> } }
>(`#graphql
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

export const ReturnApproveRequest = operation<{ returnApproveRequest: ReturnPayload }, { id: string }>(`#graphql
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

export const ReturnDeclineRequest = operation<{ returnDeclineRequest: ReturnPayload }, { id: string; reason: string; note: string | null }>(`#graphql
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

export interface ReturnForProcessing {
  id: string;
  status: string;
  returnLineItems: { nodes: Array<{ id: string; quantity: number; processedQuantity?: number; fulfillmentLineItem?: { lineItem: { id: string } } }> };
  reverseFulfillmentOrders: {
    nodes: Array<{ id: string; lineItems: { nodes: Array<{ id: string; totalQuantity: number; fulfillmentLineItem: { lineItem: { id: string } } | null }> } }>;
  };
  exchangeLineItems: { nodes: Array<{ id: string; quantity: number; processedQuantity: number; lineItems: Array<{ id: string }> | null }> };
  order: { id: string; customer: { id: string } | null; transactions: Array<{ id: string; kind: string; status: string; gateway: string | null }> };
}

/** A return's lines (exchange items too), its reverse fulfillment order lines and the order's payments, to receive and process it. */
export const ReturnForProcessing = operation<{ return: ReturnForProcessing | null; location: { id: string } | null }, { id: string }>(`#graphql
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
  { reverseFulfillmentOrderDispose: { reverseFulfillmentOrderLineItems: Array<{ id: string }> | null; userErrors: UserError[] } },
  { inputs: Array<{ reverseFulfillmentOrderLineItemId: string; quantity: number; dispositionType: string; locationId?: string | null }> }
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

export const ReturnProcess = operation<
  {
    returnProcess: {
      return: { id: string; name: string; status: string; exchangeLineItems: { nodes: Array<{ id: string; lineItems: Array<{ id: string }> | null }> } } | null;
      userErrors: UserError[];
    };
  },
  {
    input: {
      returnId: string;
      returnLineItems: Array<{ id: string; quantity: number }>;
      exchangeLineItems?: Array<{ id: string; quantity: number }>;
      financialTransfer?: { issueRefund: { orderTransactions: Array<{ parentId: string; transactionAmount: { amount: string; currencyCode: string } }> } } | null;
      note?: string | null;
      notifyCustomer: boolean;
    };
  }
>(`#graphql
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
  { storeCreditAccountCredit: { storeCreditAccountTransaction: { id: string; amount: { amount: string; currencyCode: string } } | null; userErrors: UserError[] } },
  { id: string; amount: { amount: string; currencyCode: string } }
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

export const ReturnClose = operation<{ returnClose: ReturnPayload }, { id: string }>(`#graphql
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

export interface ExchangeVariant {
  id: string;
  title: string;
  availableForSale: boolean;
  price: string;
  product: { id: string; title: string };
}

/** The variants of one product, for an exchange of the same product. */
export const ProductVariantsForExchange = operation<
  { product: { id: string; title: string; variants: { nodes: Array<Omit<ExchangeVariant, "product">> } } | null },
  { id: string }
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
export const ProductsInCollection = operation<
  { nodes: Array<{ __typename: string; id?: string; inCollection?: boolean } | null> },
  { ids: string[]; collectionId: string }
>(`#graphql
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

export const ProductTags = operation<{ nodes: Array<{ __typename: string; id?: string; tags?: string[] } | null> }, { ids: string[] }>(`#graphql
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
