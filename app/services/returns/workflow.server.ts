/**
 * A return's life, each step mirrored in Shopify through the Admin API adapter:
 * request (returnRequest) -> approve (returnApproveRequest) | decline (returnDeclineRequest)
 * -> receive (reverseFulfillmentOrderDispose, a disposition per item) -> resolve (returnProcess;
 * storeCreditAccountCredit for credit and bonus) -> close (returnClose). Shopify is called first;
 * Aftercare's row moves only when Shopify agreed, with a conditional update so two clicks move it once.
 * An exchange has no returnRequest: approving it creates Shopify's return with its exchange items
 * (returnCreate), and returnProcess adds the replacements to the order (0010-return-exchanges.md).
 * A dearer exchange leaves the order a balance: Shopify's invoice asks the shopper for it
 * (orderInvoiceSend), and the replacements are not processed before Shopify says it is paid
 * (0032-exchange-price-difference.md).
 */
import type { Db } from "../../db.server";
import {
  canMove,
  closeBlocker,
  DISPOSITIONS,
  isExchange,
  type Disposition,
  type ReturnPolicy,
  type ReturnStatus,
} from "../../domain/returns/policy";
import { formatMoney, fromMinor, toMinor } from "../../domain/shared/money";
import { exchangeCreditMinor, exchangePayMinor } from "../../domain/returns/exchange";
import { definitionFor, reasonNote } from "../../domain/returns/reason-definitions";
import { OrderInvoiceSend, OrderOutstanding, ReturnCreateWithExchange } from "../../shopify/operations/exchanges";
import { ShopifyApiError, ShopifyUserError, type AdminClient } from "../../shopify/admin.server";
import type {
  CurrencyCode,
  ReturnDeclineReason,
  ReverseFulfillmentOrderDisposeInput,
  ReverseFulfillmentOrderDispositionType,
} from "../../shopify/operations/types.generated";
import {
  ReturnableFulfillments,
  ReturnApproveRequest,
  ReturnClose,
  ReturnDeclineRequest,
  ReturnForProcessing,
  ReturnProcess,
  ReturnRequest,
  ReverseFulfillmentOrderDispose,
  StoreCreditAccountCredit,
} from "../../shopify/operations/returns";

import { findReturnCase, releaseClaims, type ReturnCaseWithLines } from "./cases.server";
import { ReturnsError } from "./errors.server";
import { returnStepEvent, type ReturnStep } from "./events.server";
import { notifyReturn } from "./notifications.server";
import { getReturnPolicy } from "./policy.server";
import { forgetReturnReasonDefinitions, returnReasonDefinitions } from "./reason-definitions.server";

export interface WorkflowDeps {
  db: Db;
  admin: AdminClient | null;
  secret: string;
  now?: Date;
}

function needAdmin(admin: AdminClient | null): AdminClient {
  if (!admin)
    throw new ReturnsError(
      502,
      "shopify_unavailable",
      "Shopify could not be reached for this shop. Try again in a moment.",
    );
  return admin;
}

async function shopify<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ShopifyUserError)
      throw new ReturnsError(422, "shopify_refused", `Shopify refused to ${what}: ${error.message}`).fromShopify(
        error.userErrors,
      );
    if (error instanceof ShopifyApiError)
      throw new ReturnsError(
        502,
        "shopify_error",
        `Shopify could not ${what} right now (${error.message}). Try again.`,
      );
    throw error;
  }
}

async function load(db: Db, shop: string, id: string): Promise<ReturnCaseWithLines> {
  const found = await findReturnCase(db, shop, id);
  if (!found) throw new ReturnsError(404, "not_found", "That return does not exist in this shop.");
  return found;
}

/** Moves the row only from `from`; false when someone else already moved it. */
/** Moves a case from one of `from`; a step of the return's life is announced in the same transaction. */
async function move(db: Db, shop: string, id: string, from: ReturnStatus[], data: Record<string, unknown>) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.returnCase.updateMany({ where: { shop, id, status: { in: from } }, data });
    if (count === 1 && isAnnounced(data.status)) await returnStepEvent(tx, shop, id, data.status, stepTime(data));
    return count === 1;
  });
}

const ANNOUNCED: ReadonlyArray<string> = ["requested", "approved", "declined", "received", "resolved"];
/** When the step happened: the time the move writes (approvedAt, declinedAt …). */
const stepTime = (data: Record<string, unknown>) =>
  [data.approvedAt, data.declinedAt, data.resolvedAt].find((v): v is Date => v instanceof Date) ?? new Date();
const isAnnounced = (status: unknown): status is ReturnStep => typeof status === "string" && ANNOUNCED.includes(status);

function email(
  db: Db,
  shop: string,
  policy: ReturnPolicy,
  ret: ReturnCaseWithLines,
  milestone: Parameters<typeof notifyReturn>[4],
  deps: WorkflowDeps,
) {
  return notifyReturn(db, shop, policy, ret, milestone, { secret: deps.secret, now: deps.now ?? new Date() });
}

interface ShopifyReturnLine {
  fulfillmentLineItemId: string;
  quantity: number;
  /** Shopify's return reason definition for the merchant's reason. */
  returnReasonDefinitionId: string;
  /** The merchant's own wording of the reason (English label). */
  reasonLabel: string;
  note: string | null;
}

/** Shopify's definition for each of the merchant's reasons the return uses. */
async function reasonDefinitionIds(admin: AdminClient, shop: string, ret: ReturnCaseWithLines, policy: ReturnPolicy) {
  const definitions = await shopify("read Shopify's return reasons", () => returnReasonDefinitions(admin, shop));
  const ids = new Map<string, { id: string; label: string }>();
  for (const code of new Set(ret.lines.map((l) => l.reason))) {
    const reason = policy.reasons.find((r) => r.id === code);
    const found = definitionFor(reason?.shopifyReason ?? "OTHER", definitions);
    if (!found) {
      const label = reason?.label.en ?? code;
      throw new ReturnsError(
        502,
        "shopify_reason_missing",
        `Shopify offers no return reason matching "${label}". Try again later.`,
      ).with({ reason: label });
    }
    ids.set(code, { id: found.id, label: reason?.label.en ?? code });
  }
  return ids;
}

/** Shopify refused a definition id: the shop's copy of the library is dropped so the next try reads it again. */
function forgetStaleReasons(shop: string) {
  return (error: unknown): never => {
    const namesReason = (e: { field?: string[] | null }) => e.field?.includes("returnReasonDefinitionId");
    if (error instanceof ShopifyUserError && error.userErrors.some(namesReason)) {
      forgetReturnReasonDefinitions(shop);
    }
    throw error;
  };
}

/** Shopify's fulfillment line items for each of the return's lines, from what Shopify says can still be returned. */
async function shopifyReturnLines(admin: AdminClient, shop: string, ret: ReturnCaseWithLines, policy: ReturnPolicy) {
  const returnable = await shopify("list what can be returned", () =>
    admin.request(ReturnableFulfillments, { orderId: ret.orderShopifyId }),
  );
  const reasons = await reasonDefinitionIds(admin, shop, ret, policy);
  const pool = returnable.returnableFulfillments.nodes.flatMap((f) =>
    f.returnableFulfillmentLineItems.nodes.map((n) => ({ ...n, left: n.quantity })),
  );
  const lines: ShopifyReturnLine[] = [];
  for (const line of ret.lines) {
    let wanted = line.quantity;
    const reason = reasons.get(line.reason)!;
    for (const candidate of pool.filter((p) => p.fulfillmentLineItem.lineItem.id === line.lineItemShopifyId)) {
      const take = Math.min(wanted, candidate.left);
      if (take <= 0) continue;
      candidate.left -= take;
      wanted -= take;
      lines.push({
        fulfillmentLineItemId: candidate.fulfillmentLineItem.id,
        quantity: take,
        returnReasonDefinitionId: reason.id,
        reasonLabel: reason.label,
        note: line.note,
      });
    }
    if (wanted > 0)
      throw new ReturnsError(
        409,
        "not_returnable_in_shopify",
        `Shopify says ${line.title} can no longer be returned in that quantity.`,
      ).with({ item: line.title });
  }
  return lines;
}

/** Runs a Shopify step that creates the return there; a refusal is kept on the row for the desk. */
async function creatingInShopify(deps: WorkflowDeps, shop: string, id: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof ReturnsError)) throw error;
    await deps.db.returnCase.updateMany({ where: { shop, id }, data: { syncError: error.message } });
    throw error;
  }
  return load(deps.db, shop, id);
}

/**
 * Creates Shopify's return request for a return that has none yet (after a shopper's request, or a
 * retry). An exchange has none: Shopify's request cannot carry exchange items, so its return is
 * created, open, when it is approved.
 */
export async function requestInShopify(shop: string, id: string, deps: WorkflowDeps): Promise<ReturnCaseWithLines> {
  const ret = await load(deps.db, shop, id);
  if (ret.shopifyReturnId || isExchange(ret.resolution as never)) return ret;
  const policy = await getReturnPolicy(deps.db, shop);
  return creatingInShopify(deps, shop, id, async () => {
    const admin = needAdmin(deps.admin);
    const lines = await shopifyReturnLines(admin, shop, ret, policy);
    // A return request has no reason note: the shopper's own words go in the customer note.
    const returnLineItems = lines.map((l) => ({
      fulfillmentLineItemId: l.fulfillmentLineItemId,
      quantity: l.quantity,
      returnReasonDefinitionId: l.returnReasonDefinitionId,
      customerNote: l.note,
    }));
    const payload = await shopify("create the return request", () =>
      admin
        .mutate(ReturnRequest, (d) => d.returnRequest, { input: { orderId: ret.orderShopifyId, returnLineItems } })
        .catch(forgetStaleReasons(shop)),
    );
    await deps.db.returnCase.updateMany({
      // Its returns/request may have linked it already (onReturnRequested): the name comes from here.
      where: { shop, id, OR: [{ shopifyReturnId: null }, { shopifyReturnId: payload.return!.id }] },
      data: {
        shopifyReturnId: payload.return!.id,
        shopifyReturnName: payload.return!.name,
        shopifyStatus: payload.return!.status,
        syncError: null,
      },
    });
  });
}

/**
 * An approved exchange in Shopify: returnCreate with the returned items and, per line, the chosen
 * variant in the same quantity. The return is open at once; the ids of its exchange line items
 * are kept on Aftercare's lines for returnProcess.
 */
async function createExchangeInShopify(
  shop: string,
  ret: ReturnCaseWithLines,
  deps: WorkflowDeps,
): Promise<ReturnCaseWithLines> {
  const policy = await getReturnPolicy(deps.db, shop);
  return creatingInShopify(deps, shop, ret.id, async () => {
    const admin = needAdmin(deps.admin);
    const missing = ret.lines.find((l) => !l.exchangeVariantShopifyId);
    if (missing)
      throw new ReturnsError(
        409,
        "exchange_missing",
        `${missing.title} has no item chosen in exchange, so Shopify's exchange cannot be made.`,
      ).with({ item: missing.title });
    const lines = await shopifyReturnLines(admin, shop, ret, policy);
    // The reason note keeps the merchant's wording beside Shopify's standard reason.
    const returnLineItems = lines.map((l) => ({
      fulfillmentLineItemId: l.fulfillmentLineItemId,
      quantity: l.quantity,
      returnReasonDefinitionId: l.returnReasonDefinitionId,
      returnReasonNote: reasonNote(l.reasonLabel, l.note),
    }));
    const exchangeLineItems = ret.lines.map((l) => ({ variantId: l.exchangeVariantShopifyId!, quantity: l.quantity }));
    const payload = await shopify("create the exchange", () =>
      admin
        .mutate(ReturnCreateWithExchange, (d) => d.returnCreate, {
          input: { orderId: ret.orderShopifyId, returnLineItems, exchangeLineItems },
        })
        .catch(forgetStaleReasons(shop)),
    );
    const created = payload.return!;
    // Shopify lists the exchange items in the order they were sent: one per Aftercare line.
    const exchanged = created.exchangeLineItems.nodes;
    // Dearer new items leave the order a balance: Shopify's figure is what its invoice asks for.
    const outstanding = created.order.totalOutstandingSet.shopMoney;
    const dueMinor =
      exchangePayMinor(ret) > 0 && outstanding.currencyCode === ret.currency
        ? Math.max(0, toMinor(outstanding.amount, ret.currency))
        : 0;
    await deps.db.$transaction(async (tx) => {
      const { count } = await tx.returnCase.updateMany({
        where: { shop, id: ret.id, shopifyReturnId: null },
        data: {
          shopifyReturnId: created.id,
          shopifyReturnName: created.name,
          shopifyStatus: created.status,
          paymentDueMinor: dueMinor,
          syncError: null,
        },
      });
      if (count !== 1) return;
      for (const [i, line] of ret.lines.entries()) {
        const match =
          exchanged[i]?.variantId === line.exchangeVariantShopifyId
            ? exchanged[i]
            : exchanged.find((e) => e.variantId === line.exchangeVariantShopifyId);
        if (match)
          await tx.returnCaseLine.update({ where: { id: line.id }, data: { shopifyExchangeLineItemId: match.id } });
      }
    });
  });
}

/**
 * An exchange asked for through customer accounts arrives as Shopify's return request, which
 * cannot carry exchange items (0025-customer-account-returns.md). Approving it declines that
 * request without telling the shopper, unlinked first (and kept as the request it replaced) so its
 * returns/request and returns/decline are not taken for Aftercare's or for a request made in
 * Shopify's form, then creates the exchange's return as for any other exchange.
 */
async function replaceRequestWithExchange(
  shop: string,
  ret: ReturnCaseWithLines,
  deps: WorkflowDeps,
): Promise<ReturnCaseWithLines> {
  const admin = needAdmin(deps.admin);
  const requested = ret.shopifyReturnId!;
  // Kept, so the request's own webhooks, late or not, are known for what they are (decision 0038).
  await deps.db.returnCase.updateMany({
    where: { shop, id: ret.id, shopifyReturnId: requested },
    data: { shopifyReturnId: null, shopifyStatus: null, replacedShopifyReturnId: requested },
  });
  try {
    await shopify("replace the request with the exchange", () =>
      admin.mutate(ReturnDeclineRequest, (d) => d.returnDeclineRequest, {
        id: requested,
        reason: "OTHER",
        note: "Replaced by the approved exchange.",
      }),
    );
  } catch (error) {
    await deps.db.returnCase.updateMany({
      where: { shop, id: ret.id, shopifyReturnId: null },
      data: { shopifyReturnId: requested, shopifyStatus: "REQUESTED", replacedShopifyReturnId: null },
    });
    throw error;
  }
  return createExchangeInShopify(shop, await load(deps.db, shop, ret.id), deps);
}

/**
 * Shopify's invoice for a dearer exchange's balance, sent once: the shopper gets Shopify's email
 * with a link to pay, and the return waits for Shopify's word that the order is paid.
 */
async function requestExchangePayment(
  shop: string,
  ret: ReturnCaseWithLines,
  deps: WorkflowDeps,
): Promise<ReturnCaseWithLines> {
  if (ret.paymentDueMinor <= 0 || ret.paymentRequestedAt || ret.paidAt) return ret;
  return creatingInShopify(deps, shop, ret.id, async () => {
    const admin = needAdmin(deps.admin);
    await shopify("send the invoice for the price difference", () =>
      admin.mutate(OrderInvoiceSend, (d) => d.orderInvoiceSend, {
        id: ret.orderShopifyId,
        ...(ret.email ? { email: { to: ret.email } } : {}),
      }),
    );
    await deps.db.returnCase.updateMany({
      where: { shop, id: ret.id, paymentRequestedAt: null },
      data: { paymentRequestedAt: deps.now ?? new Date(), syncError: null },
    });
  });
}

/**
 * Shopify says an order with exchanges waiting for their price difference may be paid (orders/paid,
 * orders/updated): asked again, since a late or replayed webhook can describe the order before its
 * balance. When Shopify's order owes nothing, those exchanges are paid. Idempotent: a repeated
 * webhook finds nothing left to mark.
 */
export async function settleExchangePayments(
  shop: string,
  orderShopifyId: string,
  deps: Pick<WorkflowDeps, "db" | "admin" | "now">,
): Promise<number> {
  const waiting = { shop, orderShopifyId, paymentDueMinor: { gt: 0 }, paymentRequestedAt: { not: null }, paidAt: null };
  if ((await deps.db.returnCase.count({ where: waiting })) === 0) return 0;
  const admin = needAdmin(deps.admin);
  const found = await shopify("read the order's balance", () =>
    admin.request(OrderOutstanding, { id: orderShopifyId }),
  );
  const owed = found.order?.totalOutstandingSet.shopMoney;
  if (!owed || toMinor(owed.amount, owed.currencyCode) > 0) return 0;
  const { count } = await deps.db.returnCase.updateMany({ where: waiting, data: { paidAt: deps.now ?? new Date() } });
  return count;
}

export async function approveReturn(shop: string, id: string, deps: WorkflowDeps): Promise<ReturnCaseWithLines> {
  let ret = await load(deps.db, shop, id);
  if (ret.status === "approved") return ret;
  if (!canMove(ret.status, "approved"))
    throw new ReturnsError(409, "wrong_status", `Return ${ret.number} is ${ret.status} and cannot be approved.`).with({
      number: ret.number,
      step: "approve",
    });
  if (ret.shopifyReturnId && ret.shopifyStatus === "REQUESTED" && isExchange(ret.resolution as never))
    ret = await replaceRequestWithExchange(shop, ret, deps);
  if (!ret.shopifyReturnId)
    ret = isExchange(ret.resolution as never)
      ? await createExchangeInShopify(shop, ret, deps)
      : await requestInShopify(shop, id, deps);
  ret = await requestExchangePayment(shop, ret, deps);
  const admin = needAdmin(deps.admin);
  // An exchange's return was created open; nothing is left to approve in Shopify.
  if (ret.shopifyStatus !== "OPEN") {
    try {
      const payload = await admin.mutate(ReturnApproveRequest, (d) => d.returnApproveRequest, {
        id: ret.shopifyReturnId!,
      });
      await deps.db.returnCase.updateMany({
        where: { shop, id },
        data: { shopifyStatus: payload.return?.status ?? "OPEN" },
      });
    } catch (error) {
      // Approved in Shopify's admin already (its webhook may not have arrived yet): that is fine.
      if (!(error instanceof ShopifyUserError && /status OPEN|is OPEN/i.test(error.message)))
        await shopify("approve the return", () => Promise.reject(error));
    }
  }
  const now = deps.now ?? new Date();
  if (await move(deps.db, shop, id, ["requested"], { status: "approved", approvedAt: now, syncError: null })) {
    const updated = await load(deps.db, shop, id);
    await email(deps.db, shop, await getReturnPolicy(deps.db, shop), updated, "approved", deps);
    return updated;
  }
  return load(deps.db, shop, id);
}

export const DECLINE_REASONS = ["FINAL_SALE", "RETURN_PERIOD_ENDED", "OTHER"] as const satisfies ReturnDeclineReason[];
const isDeclineReason = (reason: string): reason is (typeof DECLINE_REASONS)[number] =>
  (DECLINE_REASONS as ReadonlyArray<string>).includes(reason);

export async function declineReturn(
  shop: string,
  id: string,
  input: { reason: string; note: string },
  deps: WorkflowDeps,
) {
  const ret = await load(deps.db, shop, id);
  const reason = input.reason;
  if (!isDeclineReason(reason)) throw new ReturnsError(400, "bad_reason", "Choose why the return is declined.");
  if (input.note.length > 500)
    throw new ReturnsError(400, "note_too_long", "Keep the note to the shopper under 500 characters.");
  if (ret.status === "declined") return ret;
  if (!canMove(ret.status, "declined"))
    throw new ReturnsError(409, "wrong_status", `Return ${ret.number} is ${ret.status} and cannot be declined.`).with({
      number: ret.number,
      step: "decline",
    });
  if (ret.shopifyReturnId) {
    const admin = needAdmin(deps.admin);
    await shopify("decline the return", () =>
      admin.mutate(ReturnDeclineRequest, (d) => d.returnDeclineRequest, {
        id: ret.shopifyReturnId!,
        reason,
        note: input.note || null,
      }),
    );
  }
  return markDeclined(deps.db, shop, id, input.reason, input.note || null, deps);
}

/** Declines a requested case; `declinedAt` is Shopify's time when the decline came from Shopify. */
export async function markDeclined(
  db: Db,
  shop: string,
  id: string,
  reason: string,
  note: string | null,
  deps: Omit<WorkflowDeps, "db">,
  declinedAt: Date = deps.now ?? new Date(),
) {
  if (
    await move(db, shop, id, ["requested"], {
      status: "declined",
      declinedAt,
      declineReason: reason,
      declineNote: note,
      shopifyStatus: "DECLINED",
    })
  ) {
    const ret = await load(db, shop, id);
    await releaseClaims(db, shop, ret.lines);
    await email(db, shop, await getReturnPolicy(db, shop), ret, "declined", { ...deps, db });
  }
  return load(db, shop, id);
}

const DISPOSITION_TYPE: Record<Disposition, ReverseFulfillmentOrderDispositionType> = {
  restock: "RESTOCKED",
  not_restocked: "NOT_RESTOCKED",
  missing: "MISSING",
};

/** Items arrived: each gets a disposition, recorded on Shopify's reverse fulfillment order. */
export async function receiveReturn(
  shop: string,
  id: string,
  dispositions: Record<string, string>,
  deps: WorkflowDeps,
) {
  const ret = await load(deps.db, shop, id);
  if (ret.status === "received") return ret;
  if (!canMove(ret.status, "received"))
    throw new ReturnsError(
      409,
      "wrong_status",
      `Return ${ret.number} is ${ret.status}; approve it before receiving items.`,
    ).with({ number: ret.number, step: "receive" });
  for (const line of ret.lines) {
    const d = dispositions[line.id];
    if (!d || !(DISPOSITIONS as ReadonlyArray<string>).includes(d)) {
      throw new ReturnsError(
        400,
        "disposition_required",
        `Choose whether ${line.title} goes back to stock (restock, not restocked or missing).`,
      ).with({ item: line.title });
    }
  }
  const admin = needAdmin(deps.admin);
  const found = await shopify("read the return", () =>
    admin.request(ReturnForProcessing, { id: ret.shopifyReturnId! }),
  );
  if (!found.return) throw new ReturnsError(409, "missing_in_shopify", "Shopify no longer has this return.");
  const rfoLines = found.return.reverseFulfillmentOrders.nodes.flatMap((r) =>
    r.lineItems.nodes.map((l) => ({ ...l, left: l.totalQuantity })),
  );
  const inputs: ReverseFulfillmentOrderDisposeInput[] = [];
  for (const line of ret.lines) {
    let wanted = line.quantity;
    const type = DISPOSITION_TYPE[dispositions[line.id] as Disposition];
    for (const r of rfoLines.filter((x) => x.fulfillmentLineItem?.lineItem.id === line.lineItemShopifyId)) {
      const take = Math.min(wanted, r.left);
      if (take <= 0) continue;
      r.left -= take;
      wanted -= take;
      inputs.push({
        reverseFulfillmentOrderLineItemId: r.id,
        quantity: take,
        dispositionType: type,
        ...(type === "RESTOCKED" ? { locationId: found.location?.id ?? null } : {}),
      });
    }
    if (wanted > 0)
      throw new ReturnsError(
        409,
        "not_in_shopify",
        `Shopify's return does not hold ${line.title} in that quantity.`,
      ).with({ item: line.title });
  }
  await shopify("record the dispositions", () =>
    admin.mutate(ReverseFulfillmentOrderDispose, (d) => d.reverseFulfillmentOrderDispose, { inputs }),
  );
  await deps.db.$transaction(async (tx) => {
    for (const line of ret.lines)
      await tx.returnCaseLine.update({ where: { id: line.id }, data: { disposition: dispositions[line.id] } });
    const { count } = await tx.returnCase.updateMany({
      where: { shop, id, status: "approved" },
      data: { status: "received", receivedAt: deps.now ?? new Date() },
    });
    if (count === 1) await returnStepEvent(tx, shop, id, "received", deps.now ?? new Date());
  });
  const updated = await load(deps.db, shop, id);
  await email(deps.db, shop, await getReturnPolicy(deps.db, shop), updated, "received", deps);
  return updated;
}

/**
 * Gives the shopper what they chose and closes the return: returnProcess for the items (with the
 * refund to the original payment when that is the resolution), store credit with its bonus, then
 * returnClose. A step Shopify already shows done is not repeated on a retry.
 */
export async function resolveReturn(shop: string, id: string, deps: WorkflowDeps) {
  const ret = await load(deps.db, shop, id);
  if (ret.status === "closed") return ret;
  if (ret.status !== "received" && ret.status !== "resolved") {
    throw new ReturnsError(
      409,
      "wrong_status",
      ret.status === "approved"
        ? "Receive the items, with a disposition for each, before completing the return."
        : `Return ${ret.number} is ${ret.status} and cannot be completed.`,
    ).with({ number: ret.number, step: ret.status === "approved" ? "receiveFirst" : "complete" });
  }
  const blocker = closeBlocker(ret.lines);
  if (blocker) throw new ReturnsError(409, "disposition_missing", blocker);
  // Processing releases the new items to fulfilment: not before the shopper paid the difference.
  if (ret.status === "received" && ret.paymentDueMinor > 0 && !ret.paidAt)
    throw new ReturnsError(
      409,
      "awaiting_payment",
      `Awaiting payment of ${formatMoney({ amountMinor: ret.paymentDueMinor, currency: ret.currency })}: ` +
        "the new items are sent once the shopper has paid Shopify's invoice.",
    );
  const admin = needAdmin(deps.admin);
  const now = deps.now ?? new Date();
  if (ret.status === "received") {
    const found = await shopify("read the return", () =>
      admin.request(ReturnForProcessing, { id: ret.shopifyReturnId! }),
    );
    const r = found.return;
    if (!r) throw new ReturnsError(409, "missing_in_shopify", "Shopify no longer has this return.");
    const toProcess = r.returnLineItems.nodes
      .filter((l) => l.id && l.quantity - (l.processedQuantity ?? 0) > 0)
      .map((l) => ({ id: l.id, quantity: l.quantity - (l.processedQuantity ?? 0) }));
    const exchangeToProcess = r.exchangeLineItems.nodes
      .filter((e) => e.quantity > e.processedQuantity)
      .map((e) => ({ id: e.id, quantity: e.quantity - e.processedQuantity }));
    let replacements: { id: string; lineItems: { id: string }[] | null }[] = r.exchangeLineItems.nodes;
    if (toProcess.length > 0 || exchangeToProcess.length > 0) {
      // The order's currency as Shopify reported it, so one of its CurrencyCode values.
      const currencyCode = ret.currency as CurrencyCode;
      const money = (minor: number) => ({ amount: fromMinor(minor, ret.currency), currencyCode });
      let financialTransfer = null;
      if (ret.resolution === "refund" && ret.resolutionMinor > 0) {
        const sale = r.order.transactions.find(
          (t) => (t.kind === "SALE" || t.kind === "CAPTURE") && t.status === "SUCCESS",
        );
        if (!sale)
          throw new ReturnsError(
            409,
            "no_payment",
            "This order has no payment Shopify can refund; give store credit instead.",
          );
        financialTransfer = {
          issueRefund: { orderTransactions: [{ parentId: sale.id, transactionAmount: money(ret.resolutionMinor) }] },
        };
      }
      // With exchange items, Shopify adds the replacements to the order and a fulfillment order to ship them.
      const processed = await shopify("process the return", () =>
        admin.mutate(ReturnProcess, (d) => d.returnProcess, {
          input: {
            returnId: ret.shopifyReturnId!,
            returnLineItems: toProcess,
            exchangeLineItems: exchangeToProcess,
            financialTransfer,
            note: `Aftercare return ${ret.number}`,
            notifyCustomer: false,
          },
        }),
      );
      replacements = processed.return?.exchangeLineItems.nodes ?? [];
      // Store credit (with its bonus), or what is left of an exchange and its bonus, goes to the customer's Shopify
      // account.
      const credit =
        ret.resolution === "store_credit"
          ? ret.resolutionMinor
          : isExchange(ret.resolution as never)
            ? exchangeCreditMinor(ret)
            : 0;
      if (credit > 0) {
        const customer = r.order.customer?.id ?? ret.customerShopifyId;
        if (!customer)
          throw new ReturnsError(409, "no_customer", "Store credit needs a customer account on the order.");
        await shopify("issue the store credit", () =>
          admin.mutate(StoreCreditAccountCredit, (d) => d.storeCreditAccountCredit, {
            id: customer,
            amount: money(credit),
          }),
        );
      }
    }
    for (const line of ret.lines) {
      const replacement = replacements.find((e) => e.id === line.shopifyExchangeLineItemId)?.lineItems?.[0]?.id;
      if (replacement && !line.replacementLineItemShopifyId)
        await deps.db.returnCaseLine.update({
          where: { id: line.id },
          data: { replacementLineItemShopifyId: replacement },
        });
    }
    await move(deps.db, shop, id, ["received"], { status: "resolved", resolvedAt: now });
    await email(deps.db, shop, await getReturnPolicy(deps.db, shop), await load(deps.db, shop, id), "resolved", deps);
  }
  const closed = await shopify("close the return", () =>
    admin
      .mutate(ReturnClose, (d) => d.returnClose, { id: ret.shopifyReturnId! })
      .catch((e) => {
        if (e instanceof ShopifyUserError && /CLOSED/.test(e.message))
          return { return: { id: ret.shopifyReturnId!, name: "", status: "CLOSED" }, userErrors: [] };
        throw e;
      }),
  );
  await move(deps.db, shop, id, ["resolved"], {
    status: "closed",
    closedAt: now,
    shopifyStatus: closed.return?.status ?? "CLOSED",
  });
  return load(deps.db, shop, id);
}

/** Approves many requested returns; each succeeds or fails on its own. */
export async function bulkApprove(shop: string, ids: string[], deps: WorkflowDeps) {
  const results: { id: string; ok: boolean; message?: string; refusal?: ReturnsError }[] = [];
  for (const id of ids.slice(0, 100)) {
    try {
      await approveReturn(shop, id, deps);
      results.push({ id, ok: true });
    } catch (error) {
      if (!(error instanceof ReturnsError)) throw error;
      results.push({ id, ok: false, message: error.message, refusal: error });
    }
  }
  return results;
}
