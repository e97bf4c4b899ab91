/**
 * A return's steps as events (docs/events.md): written in the transaction that moves the case,
 * keyed by the case, so each step of a return is announced once however often its webhook or
 * button arrives.
 */
import type { Tx } from "../../db.server";
import type { ReturnData } from "../../domain/events/catalog";
import { recordEvent } from "../../models/events.server";

export type ReturnStep = ReturnData["return"]["status"];

export async function returnStepEvent(tx: Tx, shop: string, caseId: string, step: ReturnStep, now: Date) {
  const ret = await tx.returnCase.findFirst({ where: { shop, id: caseId } });
  if (!ret) return;
  await recordEvent(tx, {
    shop,
    type: `return.${step}`,
    key: ret.id,
    occurredAt: now,
    order: { id: ret.orderShopifyId, name: ret.orderName },
    customer: { id: ret.customerShopifyId },
    data: {
      return: {
        id: ret.id,
        number: ret.number,
        shopifyReturnId: ret.shopifyReturnId,
        status: step,
        resolution: ret.resolution,
        amountMinor: ret.resolutionMinor,
        currency: ret.currency,
        declineReason: ret.declineReason,
      },
    },
  });
}
