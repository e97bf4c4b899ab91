import { operation } from "../admin.server";

import { ORDER_MIRROR_FIELDS } from "./order-mirror-fields";
import type {
  HistoryImportStartMutation,
  HistoryImportStartMutationVariables,
  HistoryImportStatusQuery,
  HistoryImportStatusQueryVariables,
  HistoryOrdersBulkQuery,
} from "./types.generated";

/**
 * The bulk query the history import runs (bulkOperationRunQuery takes it as a string). Bulk
 * queries take no variables, so the order search is written into the text where SEARCH stands
 * (historyOrdersQuery). Shopify allows five connections, two deep, none inside a list field: orders,
 * their line items and their returns fit; a fulfillment's lines and scans, a refund's lines and a
 * return's lines do not (connections inside the lists Order.fulfillments and Order.refunds, or
 * three deep). What the file does carry says which orders need them: the shipments with their
 * total quantity, the refunds' ids (a plain list) and the returns. A single successful shipment of
 * an order with no refund and no return has its lines worked out from the line items; every other
 * order with a shipment, refund or return is read afterwards with reconciliation's per-order query
 * (docs/decisions/0022-history-import.md). A shipment's delivery stamps (when it went into transit
 * and was delivered, which webhooks learn from the carrier's scans) are plain fields, read here,
 * so a past order's return window counts from its delivery without reading its scans. Each
 * order's customer is the one the features need.
 */
export const HistoryOrdersBulk = operation<HistoryOrdersBulkQuery>(`#graphql
  query HistoryOrdersBulk {
    orders(query: "SEARCH", sortKey: CREATED_AT) {
      edges {
        node {
          ${ORDER_MIRROR_FIELDS}
          fulfillments {
            id
            name
            status
            displayStatus
            estimatedDeliveryAt
            inTransitAt
            deliveredAt
            createdAt
            updatedAt
            totalQuantity
            trackingInfo { company number url }
          }
          refunds { id }
          lineItems {
            edges {
              node {
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
          }
          returns {
            edges {
              node {
                id
                name
                status
                totalQuantity
                createdAt
                requestApprovedAt
                closedAt
                decline { reason note }
              }
            }
          }
        }
      }
    }
  }
`);

/** The bulk query's text for orders matching a search (e.g. `created_at:>=2026-09-05T00:00:00Z`). */
export function historyOrdersQuery(search: string): string {
  if (/["\\]/.test(search)) throw new Error(`An order search cannot contain quotes: ${search}`);
  return HistoryOrdersBulk.document.replace("#graphql\n", "").replace('"SEARCH"', JSON.stringify(search));
}

export const HistoryImportStart = operation<HistoryImportStartMutation, HistoryImportStartMutationVariables>(`#graphql
  mutation HistoryImportStart($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation {
        id
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

export const HistoryImportStatus = operation<HistoryImportStatusQuery, HistoryImportStatusQueryVariables>(`#graphql
  query HistoryImportStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      url
      completedAt
    }
  }
`);
