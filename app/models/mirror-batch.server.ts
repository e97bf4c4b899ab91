/**
 * Many webhooks' changes to the mirror in one transaction, with set-based writes: the job runner's
 * batches (docs/decisions/0030-keeping-up-at-peak.md). The writers are the history import's
 * (applyOrdersTx, applyFulfillmentsTx, applyCustomersTx: one multi-row upsert per table), so
 * webhooks, the import and reconciliation keep one mirror code and one meaning of "newest wins".
 *
 * Order within a batch: writes to different rows commute, and so do two snapshots of one row under
 * newest-wins, except where the one-row functions depend on the order they run in (an earlier
 * snapshot's line items stay when a later one lacks them; a carrier scan's status and a shipment
 * snapshot of the same time; the first record of a refund wins). So the changes go in rounds, as
 * the import's return events do: a change lands in the round after the last one that touched the
 * same order, shipment or refund, and each round writes each table once. The result is the mirror
 * the changes give applied one by one in the batch's order (a property test checks it).
 */
import type { Tx } from "../db.server";
import type {
  CustomerRecord,
  FulfillmentEventRecord,
  FulfillmentRecord,
  OrderRecord,
  RefundRecord,
} from "../webhooks/payloads";

import { applyCustomersTx } from "./customers.server";
import { applyFulfillmentEventsTx, applyFulfillmentsTx, applyOrdersTx, applyRefundsTx } from "./orders.server";

/** One webhook's change to the mirror, as its payload was read. */
export type MirrorChange =
  | { kind: "order"; order: OrderRecord; fulfillments: FulfillmentRecord[]; refunds: RefundRecord[] }
  | { kind: "fulfillment"; fulfillment: FulfillmentRecord }
  | { kind: "scan"; scan: FulfillmentEventRecord }
  | { kind: "refund"; refund: RefundRecord }
  | { kind: "customer"; customer: CustomerRecord };

/** The rows whose order of writing matters, that a change touches. */
function keysOf(change: MirrorChange): string[] {
  switch (change.kind) {
    case "order":
      return [
        `o:${change.order.shopifyId}`,
        ...change.fulfillments.map((f) => `f:${f.shopifyId}`),
        ...change.refunds.map((r) => `r:${r.shopifyId}`),
      ];
    case "fulfillment":
      return [`f:${change.fulfillment.shopifyId}`];
    case "scan":
      return [`f:${change.scan.fulfillmentShopifyId}`];
    case "refund":
      return [`r:${change.refund.shopifyId}`];
    case "customer":
      return []; // newest wins, and a snapshot replaces the whole row: any order gives the same
  }
}

/** The orders a change is about (their shops' events are applied one order at a time, see the runner). */
export function ordersOf(change: MirrorChange): string[] {
  switch (change.kind) {
    case "order":
      return [change.order.shopifyId];
    case "fulfillment":
      return [change.fulfillment.orderShopifyId];
    case "scan":
      return [change.scan.orderShopifyId];
    case "refund":
      return [change.refund.orderShopifyId];
    case "customer":
      return [`customer:${change.customer.shopifyId}`];
  }
}

/** Applies one shop's `changes` (in the order they arrived) inside the caller's transaction. */
export async function applyMirrorChangesTx(tx: Tx, shop: string, changes: ReadonlyArray<MirrorChange>): Promise<void> {
  const lastRound = new Map<string, number>();
  const rounds: MirrorChange[][] = [];
  for (const change of changes) {
    const keys = keysOf(change);
    const round = keys.reduce((r, k) => Math.max(r, (lastRound.get(k) ?? -1) + 1), 0);
    for (const k of keys) lastRound.set(k, round);
    (rounds[round] ??= []).push(change);
  }
  for (const round of rounds) {
    const orders: OrderRecord[] = [];
    const fulfillments: FulfillmentRecord[] = [];
    const scans: FulfillmentEventRecord[] = [];
    const refunds: RefundRecord[] = [];
    const customers: CustomerRecord[] = [];
    for (const c of round) {
      if (c.kind === "order") {
        orders.push(c.order);
        fulfillments.push(...c.fulfillments);
        refunds.push(...c.refunds);
      } else if (c.kind === "fulfillment") fulfillments.push(c.fulfillment);
      else if (c.kind === "scan") scans.push(c.scan);
      else if (c.kind === "refund") refunds.push(c.refund);
      else customers.push(c.customer);
    }
    // Rows in a stable order, so two PostgreSQL transactions lock shared rows in the same order.
    const byId = <T extends { shopifyId: string }>(rows: T[]) =>
      rows.sort((a, b) => (a.shopifyId < b.shopifyId ? -1 : a.shopifyId > b.shopifyId ? 1 : 0));
    await applyCustomersTx(tx, shop, byId(customers));
    await applyOrdersTx(tx, shop, byId(orders));
    await applyFulfillmentsTx(tx, shop, byId(fulfillments));
    await applyFulfillmentEventsTx(tx, shop, scans);
    await applyRefundsTx(tx, shop, byId(refunds));
  }
}
