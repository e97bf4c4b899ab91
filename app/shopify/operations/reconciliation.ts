import { operation } from "../admin.server";

import { ORDER_MIRROR_FIELDS } from "./order-mirror-fields";
import type {
  ReconcileFulfillmentEventsQuery,
  ReconcileFulfillmentEventsQueryVariables,
  ReconcileFulfillmentLinesQuery,
  ReconcileFulfillmentLinesQueryVariables,
  ReconcileFulfillmentQuery,
  ReconcileFulfillmentQueryVariables,
  ReconcileOrderChildIdsQuery,
  ReconcileOrderChildIdsQueryVariables,
  ReconcileOrderDetailQuery,
  ReconcileOrderDetailQueryVariables,
  ReconcileOrderLineItemsQuery,
  ReconcileOrderLineItemsQueryVariables,
  ReconcileOrderPageQuery,
  ReconcileOrderPageQueryVariables,
  ReconcileOrderReturnsQuery,
  ReconcileOrderReturnsQueryVariables,
  ReconcileRefundLinesQuery,
  ReconcileRefundLinesQueryVariables,
  ReconcileRefundQuery,
  ReconcileRefundQueryVariables,
  ReconcileRefundTransactionsQuery,
  ReconcileRefundTransactionsQueryVariables,
  ReconcileReturnLinesQuery,
  ReconcileReturnLinesQueryVariables,
} from "./types.generated";

/**
 * Reconciliation (docs/decisions/0023-reconciliation.md): a page of the orders updated since the
 * cursor, oldest change first. Ids only, so a page of 50 costs about 52 points; each order's
 * details come from ReconcileOrderDetail, whose nested connections would not fit 50 to a page
 * under Shopify's single-query limit of 1,000 points.
 */
export const ReconcileOrderPage = operation<ReconcileOrderPageQuery, ReconcileOrderPageQueryVariables>(`#graphql
  query ReconcileOrderPage($query: String!, $first: Int!, $after: String) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        updatedAt
      }
    }
  }
`);

/*
 * The selections of an order's nested items, written once so the order query and the follow-up
 * queries that page through longer lists give the same shapes (only page sizes differ).
 */
const PAGE_INFO = "pageInfo { hasNextPage endCursor }";
const MONEY = "shopMoney { amount currencyCode }";

const LINE_ITEM = `
  id
  title
  variantTitle
  sku
  quantity
  requiresShipping
  unfulfilledQuantity
  nonFulfillableQuantity
  product { id }
  variant { id }
  originalUnitPriceSet { ${MONEY} }
  totalDiscountSet { ${MONEY} }
`;

const SHIPMENT_LINE = "quantity lineItem { id }";
const SCAN = "id status message happenedAt city province country estimatedDeliveryAt";

/** A shipment with the first page of its lines and of its carrier scans (oldest first). */
const shipment = (pages: { tracking: number; lines: number; scans: number }) => `
  id
  name
  status
  displayStatus
  estimatedDeliveryAt
  createdAt
  updatedAt
  trackingInfo(first: ${pages.tracking}) { company number url }
  fulfillmentLineItems(first: ${pages.lines}) { ${PAGE_INFO} nodes { ${SHIPMENT_LINE} } }
  events(first: ${pages.scans}, sortKey: HAPPENED_AT) { ${PAGE_INFO} nodes { ${SCAN} } }
`;

const REFUND_TRANSACTION = `kind status amountSet { ${MONEY} }`;
const REFUND_LINE = `quantity restockType lineItem { id } subtotalSet { ${MONEY} }`;

/** A refund with the first page of its transactions and of its lines. */
const refund = (pages: { transactions: number; lines: number }) => `
  id
  note
  createdAt
  processedAt
  transactions(first: ${pages.transactions}) { ${PAGE_INFO} nodes { ${REFUND_TRANSACTION} } }
  refundLineItems(first: ${pages.lines}) { ${PAGE_INFO} nodes { ${REFUND_LINE} } }
`;

/**
 * A return line: the order's line it returns (through the shipped line; an unverified line has
 * none) and its reason definition, whose handle stands for the reason REST webhooks give.
 */
const RETURN_LINE = `
  quantity
  returnReasonDefinition { handle }
  ... on ReturnLineItem { fulfillmentLineItem { lineItem { id } } }
`;

const returnOf = (lines: number) => `
  id
  name
  status
  totalQuantity
  createdAt
  requestApprovedAt
  closedAt
  decline { reason note }
  returnLineItems(first: ${lines}) { ${PAGE_INFO} nodes { ${RETURN_LINE} } }
`;

/**
 * One order as the mirror holds it: the fields the history import reads (records.ts maps both),
 * plus what a bulk query cannot reach and a normal query can: each shipment's lines and carrier
 * scans, each refund's lines and transactions, each return's lines. Requested cost under
 * Shopify's 1,000 per query. Longer lists are read on with the queries below, one page at a time
 * (decision 0023): the history import reads its orders' details with this query too (0022).
 */
export const ReconcileOrderDetail = operation<ReconcileOrderDetailQuery, ReconcileOrderDetailQueryVariables>(`#graphql
  query ReconcileOrderDetail($id: ID!) {
    order(id: $id) {
      ${ORDER_MIRROR_FIELDS}
      lineItems(first: 20) { ${PAGE_INFO} nodes { ${LINE_ITEM} } }
      fulfillments(first: 5) { ${shipment({ tracking: 3, lines: 10, scans: 10 })} }
      refunds(first: 3) { ${refund({ transactions: 3, lines: 10 })} }
      returns(first: 5) { ${PAGE_INFO} nodes { ${returnOf(8)} } }
    }
  }
`);

/** The order's line items after `after`. */
export const ReconcileOrderLineItems = operation<
  ReconcileOrderLineItemsQuery,
  ReconcileOrderLineItemsQueryVariables
>(`#graphql
  query ReconcileOrderLineItems($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 100, after: $after) { ${PAGE_INFO} nodes { ${LINE_ITEM} } }
    }
  }
`);

/** The order's returns after `after`, each with the first page of its lines. */
export const ReconcileOrderReturns = operation<
  ReconcileOrderReturnsQuery,
  ReconcileOrderReturnsQueryVariables
>(`#graphql
  query ReconcileOrderReturns($id: ID!, $after: String) {
    order(id: $id) {
      returns(first: 10, after: $after) { ${PAGE_INFO} nodes { ${returnOf(15)} } }
    }
  }
`);

/**
 * Every shipment's and refund's id, when the order query's lists were full. Order.fulfillments and
 * Order.refunds are plain lists (no cursor): `first` only truncates them, so one long page reads all.
 */
export const ReconcileOrderChildIds = operation<
  ReconcileOrderChildIdsQuery,
  ReconcileOrderChildIdsQueryVariables
>(`#graphql
  query ReconcileOrderChildIds($id: ID!) {
    order(id: $id) {
      fulfillments(first: 250) { id }
      refunds(first: 250) { id }
    }
  }
`);

/**
 * One shipment: one past the order query's five, or one with more tracking numbers than it reads.
 * Fulfillment.trackingInfo is a plain list, so it is read whole here.
 */
export const ReconcileFulfillment = operation<ReconcileFulfillmentQuery, ReconcileFulfillmentQueryVariables>(`#graphql
  query ReconcileFulfillment($id: ID!) {
    fulfillment(id: $id) {
      ${shipment({ tracking: 250, lines: 50, scans: 50 })}
    }
  }
`);

/** A shipment's lines after `after`. */
export const ReconcileFulfillmentLines = operation<
  ReconcileFulfillmentLinesQuery,
  ReconcileFulfillmentLinesQueryVariables
>(`#graphql
  query ReconcileFulfillmentLines($id: ID!, $after: String) {
    fulfillment(id: $id) {
      fulfillmentLineItems(first: 250, after: $after) { ${PAGE_INFO} nodes { ${SHIPMENT_LINE} } }
    }
  }
`);

/** A shipment's carrier scans after `after`, oldest first. */
export const ReconcileFulfillmentEvents = operation<
  ReconcileFulfillmentEventsQuery,
  ReconcileFulfillmentEventsQueryVariables
>(`#graphql
  query ReconcileFulfillmentEvents($id: ID!, $after: String) {
    fulfillment(id: $id) {
      events(first: 250, after: $after, sortKey: HAPPENED_AT) { ${PAGE_INFO} nodes { ${SCAN} } }
    }
  }
`);

/** One refund past the order query's three. */
export const ReconcileRefund = operation<ReconcileRefundQuery, ReconcileRefundQueryVariables>(`#graphql
  query ReconcileRefund($id: ID!) {
    refund(id: $id) {
      ${refund({ transactions: 10, lines: 50 })}
    }
  }
`);

/** A refund's lines after `after`. */
export const ReconcileRefundLines = operation<ReconcileRefundLinesQuery, ReconcileRefundLinesQueryVariables>(`#graphql
  query ReconcileRefundLines($id: ID!, $after: String) {
    refund(id: $id) {
      refundLineItems(first: 100, after: $after) { ${PAGE_INFO} nodes { ${REFUND_LINE} } }
    }
  }
`);

/** A refund's transactions after `after`. */
export const ReconcileRefundTransactions = operation<
  ReconcileRefundTransactionsQuery,
  ReconcileRefundTransactionsQueryVariables
>(`#graphql
  query ReconcileRefundTransactions($id: ID!, $after: String) {
    refund(id: $id) {
      transactions(first: 100, after: $after) { ${PAGE_INFO} nodes { ${REFUND_TRANSACTION} } }
    }
  }
`);

/** A return's lines after `after`. */
export const ReconcileReturnLines = operation<ReconcileReturnLinesQuery, ReconcileReturnLinesQueryVariables>(`#graphql
  query ReconcileReturnLines($id: ID!, $after: String) {
    return(id: $id) {
      returnLineItems(first: 100, after: $after) { ${PAGE_INFO} nodes { ${RETURN_LINE} } }
    }
  }
`);
