import { operation } from "../admin.server";

import { ORDER_MIRROR_FIELDS } from "./order-mirror-fields";
import type {
  ReconcileOrderDetailQuery,
  ReconcileOrderDetailQueryVariables,
  ReconcileOrderPageQuery,
  ReconcileOrderPageQueryVariables,
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

/**
 * One order as the mirror holds it: the fields the history import reads (records.ts maps both),
 * plus what a bulk query cannot reach and a normal query can: each shipment's lines and carrier
 * scans, each refund's lines and transactions, each return's lines. Requested cost about 950 of
 * Shopify's 1,000 per query; longer nested lists are reported as incomplete (decision 0023).
 */
export const ReconcileOrderDetail = operation<ReconcileOrderDetailQuery, ReconcileOrderDetailQueryVariables>(`#graphql
  query ReconcileOrderDetail($id: ID!) {
    order(id: $id) {
      ${ORDER_MIRROR_FIELDS}
      lineItems(first: 20) {
        pageInfo { hasNextPage }
        nodes {
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
          originalUnitPriceSet { shopMoney { amount currencyCode } }
          totalDiscountSet { shopMoney { amount currencyCode } }
        }
      }
      fulfillments(first: 5) {
        id
        name
        status
        displayStatus
        estimatedDeliveryAt
        createdAt
        updatedAt
        trackingInfo(first: 3) { company number url }
        fulfillmentLineItems(first: 10) {
          pageInfo { hasNextPage }
          nodes { quantity lineItem { id } }
        }
        events(first: 10, sortKey: HAPPENED_AT) {
          pageInfo { hasNextPage }
          nodes { id status message happenedAt city province country estimatedDeliveryAt }
        }
      }
      refunds(first: 3) {
        id
        note
        createdAt
        processedAt
        transactions(first: 3) {
          nodes { kind status amountSet { shopMoney { amount currencyCode } } }
        }
        refundLineItems(first: 10) {
          pageInfo { hasNextPage }
          nodes { quantity restockType lineItem { id } subtotalSet { shopMoney { amount currencyCode } } }
        }
      }
      returns(first: 5) {
        pageInfo { hasNextPage }
        nodes {
          id
          name
          status
          totalQuantity
          createdAt
          requestApprovedAt
          closedAt
          decline { reason note }
          returnLineItems(first: 10) {
            pageInfo { hasNextPage }
            nodes {
              quantity
              ... on ReturnLineItem { fulfillmentLineItem { lineItem { id } } }
            }
          }
        }
      }
    }
  }
`);
