/**
 * Things that happen to a shop, scripted: a checkout, a payment, a parcel handed to a carrier and
 * scanned along the way, a delay, a cancellation, a refund, a return. Each goes through the same
 * operations as the Admin API (./commerce), so state and webhooks are what Shopify would produce.
 * Unlike the API, a scenario given bad input throws: it is a script, and a script's mistake
 * should stop it.
 */
import * as commerce from "./commerce";
import type { Engine } from "./commerce";
import {
  type Address,
  type Customer,
  type Fulfillment,
  type FulfillmentEvent,
  type Order,
  type Refund,
  type Return,
  type Shop,
  orderTotals,
  parseId,
  refundedQuantity,
  returnableQuantity,
  sum,
} from "./state";

export class ScenarioError extends Error {
  constructor(
    message: string,
    public readonly userErrors: commerce.UserError[] = [],
  ) {
    super(message);
    this.name = "ScenarioError";
  }
}

function must<T>(result: commerce.Result<T>, what: string): T {
  if (result.ok) return result.value;
  throw new ScenarioError(`${what}: ${result.userErrors.map((e) => e.message).join("; ")}`, result.userErrors);
}

/** An order given as a record, gid, numeric id or name ("#1001"). */
export type OrderRef = Order | string | number;
export type FulfillmentRef = Fulfillment | string | number;
export type CustomerRef = Customer | string | number;
export type ReturnRef = Return | string | number;

export type ScanStatus =
  | "in_transit"
  | "out_for_delivery"
  | "attempted_delivery"
  | "delivered"
  | "failure"
  | "confirmed"
  | "carrier_picked_up"
  | "delayed"
  | "ready_for_pickup"
  | "label_printed"
  | "label_purchased";

export function createScenarios(engine: Engine) {
  const { state } = engine;
  const shopOf = (domain: string): Shop => state.shop(domain);
  const orderOf = (shop: Shop, ref: OrderRef): Order => {
    const found =
      typeof ref === "object"
        ? state.order(shop, ref.id)
        : typeof ref === "string" && !ref.startsWith("gid://") && !/^\d+$/.test(ref)
          ? state.orderByName(shop, ref)
          : state.order(shop, ref);
    if (!found)
      throw new ScenarioError(`No order ${typeof ref === "object" ? ref.name : String(ref)} in ${shop.domain}`);
    return found;
  };
  const fulfillmentOf = (shop: Shop, ref: FulfillmentRef) => {
    const found = state.fulfillment(shop, typeof ref === "object" ? ref.id : ref);
    if (!found)
      throw new ScenarioError(`No fulfillment ${typeof ref === "object" ? ref.name : String(ref)} in ${shop.domain}`);
    return found;
  };
  const customerOf = (shop: Shop, ref: CustomerRef): Customer => {
    const found =
      typeof ref === "object"
        ? state.customer(shop, ref.id)
        : typeof ref === "string" && ref.includes("@")
          ? state.customerByEmail(shop, ref)
          : state.customer(shop, ref);
    if (!found)
      throw new ScenarioError(`No customer ${typeof ref === "object" ? ref.email : String(ref)} in ${shop.domain}`);
    return found;
  };
  const returnOf = (shop: Shop, ref: ReturnRef) => {
    const found = state.return(shop, typeof ref === "object" ? ref.id : ref);
    if (!found)
      throw new ScenarioError(`No return ${typeof ref === "object" ? ref.name : String(ref)} in ${shop.domain}`);
    return found;
  };

  return {
    createCustomer(input: { shop: string } & commerce.CustomerInput): Customer {
      const { shop, ...rest } = input;
      return must(commerce.createCustomer(engine, shopOf(shop), rest), "createCustomer");
    },

    updateCustomer(input: { shop: string; customer: CustomerRef } & Partial<commerce.CustomerInput>): Customer {
      const { shop, customer, ...patch } = input;
      const s = shopOf(shop);
      return must(commerce.updateCustomer(engine, s, customerOf(s, customer).id, patch), "updateCustomer");
    },

    /**
     * A checkout. `customer` is an existing customer (record, gid or email) or a new one to create;
     * without it the order is a guest's and needs `email`.
     */
    placeOrder(
      input: {
        shop: string;
        customer?: CustomerRef | commerce.CustomerInput;
        email?: string;
        lines: { variantId: string | number; quantity: number }[];
        paid: boolean;
        shippingAddress?: Partial<Address>;
      } & Omit<commerce.PlaceOrderInput, "customerId" | "customer" | "email" | "lines" | "paid" | "shippingAddress">,
    ): Order {
      const { shop, customer, ...rest } = input;
      const s = shopOf(shop);
      let customerId: number | undefined;
      let newCustomer: commerce.CustomerInput | undefined;
      if (customer !== undefined) {
        if (typeof customer === "object" && !("id" in customer)) {
          const existing = state.customerByEmail(s, customer.email);
          if (existing) customerId = existing.id;
          else newCustomer = customer;
        } else {
          customerId = customerOf(s, customer as CustomerRef).id;
        }
      }
      return must(commerce.placeOrder(engine, s, { ...rest, customerId, customer: newCustomer }), "placeOrder");
    },

    payOrder(input: { shop: string; order: OrderRef; gateway?: string }): Order {
      const s = shopOf(input.shop);
      return must(commerce.payOrder(engine, s, orderOf(s, input.order).id, input.gateway), "payOrder");
    },

    /** Ships some or all of what is left; call again for a split shipment. */
    fulfil(input: {
      shop: string;
      order: OrderRef;
      lines?: { lineItemId: string | number; quantity: number }[];
      trackingCompany: string;
      trackingNumber: string;
      trackingUrl?: string;
    }): Fulfillment {
      const s = shopOf(input.shop);
      const order = orderOf(s, input.order);
      const groups = new Map<number, { id: number; quantity: number }[]>();
      if (input.lines) {
        for (const line of input.lines) {
          const lineItemId = parseId(line.lineItemId, "LineItem");
          let wanted = line.quantity;
          for (const fo of order.fulfillmentOrders) {
            for (const fl of fo.lineItems.filter((l) => l.lineItemId === lineItemId && l.remainingQuantity > 0)) {
              const take = Math.min(wanted, fl.remainingQuantity);
              if (take <= 0) continue;
              groups.set(fo.id, [...(groups.get(fo.id) ?? []), { id: fl.id, quantity: take }]);
              wanted -= take;
            }
          }
          if (wanted > 0)
            throw new ScenarioError(
              `fulfil: ${line.quantity} of line item ${String(line.lineItemId)} ` +
                `is more than is left to ship on ${order.name}`,
            );
        }
      } else {
        for (const fo of order.fulfillmentOrders.filter((f) => f.status === "OPEN" || f.status === "IN_PROGRESS"))
          groups.set(fo.id, []);
        if (groups.size === 0) throw new ScenarioError(`fulfil: nothing is left to ship on ${order.name}`);
      }
      const result = commerce.createFulfillment(engine, s, {
        lineItemsByFulfillmentOrder: [...groups].map(([fulfillmentOrderId, lines]) => ({
          fulfillmentOrderId,
          fulfillmentOrderLineItems: lines.length ? lines : null,
        })),
        trackingInfo: { company: input.trackingCompany, number: input.trackingNumber, url: input.trackingUrl ?? null },
      });
      return must(result, "fulfil").fulfillment;
    },

    /** A carrier scan: fulfillment_events/create, then fulfillments/update with the new status. */
    carrierScan(input: {
      shop: string;
      fulfillment: FulfillmentRef;
      status: ScanStatus;
      happenedAt?: Date | string;
      message?: string;
      estimatedDeliveryAt?: Date | string | null;
      city?: string;
      province?: string;
      country?: string;
      zip?: string;
    }): FulfillmentEvent {
      const s = shopOf(input.shop);
      const { fulfillment } = fulfillmentOf(s, input.fulfillment);
      const { shop: _shop, fulfillment: _f, ...event } = input;
      return must(
        commerce.createFulfillmentEvent(engine, s, { ...event, fulfillmentId: fulfillment.id }),
        "carrierScan",
      ).event;
    },

    /**
     * The parcel is late: the estimate moves to `until` (or `by` ms later than it was). With
     * scan (the default) the carrier reports it with a "delayed" event; without, the estimate
     * changes quietly and scans simply stop coming.
     */
    delay(input: {
      shop: string;
      fulfillment: FulfillmentRef;
      until?: Date | string;
      byMs?: number;
      message?: string;
      scan?: boolean;
    }): Fulfillment {
      const s = shopOf(input.shop);
      const { fulfillment } = fulfillmentOf(s, input.fulfillment);
      const base = fulfillment.estimatedDeliveryAt
        ? Date.parse(fulfillment.estimatedDeliveryAt)
        : state.now().getTime();
      const until = input.until ? new Date(input.until) : new Date(base + (input.byMs ?? 2 * 86_400_000));
      if (input.scan === false) return must(commerce.setEstimatedDelivery(engine, s, fulfillment.id, until), "delay");
      must(
        commerce.createFulfillmentEvent(engine, s, {
          fulfillmentId: fulfillment.id,
          status: "delayed",
          message: input.message ?? "Delivery is delayed",
          estimatedDeliveryAt: until,
        }),
        "delay",
      );
      return fulfillment;
    },

    cancelOrder(input: {
      shop: string;
      order: OrderRef;
      reason?: string;
      refund?: boolean;
      restock?: boolean;
      staffNote?: string;
    }): Order {
      const s = shopOf(input.shop);
      return must(
        commerce.cancelOrder(engine, s, {
          orderId: orderOf(s, input.order).id,
          reason: input.reason ?? "customer",
          refund: input.refund ?? true,
          restock: input.restock ?? true,
          staffNote: input.staffNote,
        }),
        "cancelOrder",
      );
    },

    /**
     * Money back for lines (default: every unrefunded unit) and optionally shipping, to the
     * original payment or, with toStoreCredit, to the customer's store credit.
     */
    refund(input: {
      shop: string;
      order: OrderRef;
      lines?: {
        lineItemId: string | number;
        quantity: number;
        restockType?: "no_restock" | "cancel" | "return";
      }[];
      shipping?: boolean;
      note?: string;
      toStoreCredit?: boolean;
    }): Refund {
      const s = shopOf(input.shop);
      const order = orderOf(s, input.order);
      const lines =
        input.lines ??
        order.lineItems
          .map((l) => ({
            lineItemId: l.id,
            quantity: l.quantity - refundedQuantity(order, l.id),
            restockType: "no_restock" as const,
          }))
          .filter((l) => l.quantity > 0);
      let amount = 0;
      for (const line of lines) {
        const li = order.lineItems.find((l) => l.id === parseId(line.lineItemId, "LineItem"));
        if (!li) throw new ScenarioError(`refund: no line item ${String(line.lineItemId)} on ${order.name}`);
        amount += Math.round(
          ((li.priceMinor * li.quantity - li.discountMinor + li.taxMinor) * line.quantity) / li.quantity,
        );
      }
      if (input.shipping) amount += orderTotals(order).currentShippingMinor;
      const sale = order.transactions.find((t) => t.kind === "sale" && t.status === "success");
      const available = orderTotals(order).receivedMinor - orderTotals(order).refundedMinor;
      amount = Math.min(amount, available);
      return must(
        commerce.createRefund(engine, s, {
          orderId: order.id,
          note: input.note ?? null,
          refundLineItems: lines,
          shipping: input.shipping ? { fullRefund: true } : null,
          transactions:
            !input.toStoreCredit && amount > 0 && sale
              ? [{ amountMinor: amount, gateway: sale.gateway, kind: "refund", parentId: sale.id }]
              : [],
          storeCreditMinor: input.toStoreCredit && amount > 0 ? amount : null,
        }),
        "refund",
      ).refund;
    },

    /** A return the merchant opens (returnCreate); default: every shipped unit not yet returned. */
    merchantCreateReturn(input: { shop: string; order: OrderRef; lines?: ReturnLines; reason?: string }): Return {
      const s = shopOf(input.shop);
      const order = orderOf(s, input.order);
      return must(
        commerce.createReturn(engine, s, order.id, returnLines(order, input.lines, input.reason)),
        "merchantCreateReturn",
      ).ret;
    },

    /** A return the customer asks for (returnRequest); the merchant approves or declines it. */
    requestReturn(input: {
      shop: string;
      order: OrderRef;
      lines?: ReturnLines;
      reason?: string;
      customerNote?: string;
    }): Return {
      const s = shopOf(input.shop);
      const order = orderOf(s, input.order);
      const lines = returnLines(order, input.lines, input.reason).map((l) => ({
        ...l,
        customerNote: input.customerNote ?? null,
      }));
      return must(commerce.requestReturn(engine, s, order.id, lines), "requestReturn").ret;
    },

    approveReturn(input: { shop: string; return: ReturnRef }): Return {
      const s = shopOf(input.shop);
      return must(commerce.approveReturn(engine, s, returnOf(s, input.return).ret.id), "approveReturn").ret;
    },

    declineReturn(input: {
      shop: string;
      return: ReturnRef;
      reason?: "FINAL_SALE" | "OTHER" | "RETURN_PERIOD_ENDED";
      note?: string;
    }): Return {
      const s = shopOf(input.shop);
      return must(
        commerce.declineReturn(engine, s, returnOf(s, input.return).ret.id, input.reason ?? "OTHER", input.note),
        "declineReturn",
      ).ret;
    },

    /** Receives every unprocessed unit, restocking it, and refunds it to the original payment (or store credit). */
    processReturn(input: { shop: string; return: ReturnRef; refund?: boolean; toStoreCredit?: boolean }): Return {
      const s = shopOf(input.shop);
      const { order, ret } = returnOf(s, input.return);
      const items = ret.lines.filter((l) => l.quantity > l.processedQuantity);
      const rfoLines = ret.reverseFulfillmentOrders.flatMap((r) => r.lineItems);
      let amount = 0;
      for (const l of items) {
        const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
        amount += Math.round(
          ((li.priceMinor * li.quantity - li.discountMinor + li.taxMinor) * (l.quantity - l.processedQuantity)) /
            li.quantity,
        );
      }
      amount = Math.min(amount, orderTotals(order).receivedMinor - orderTotals(order).refundedMinor);
      const money =
        input.refund === false || amount <= 0
          ? {}
          : input.toStoreCredit
            ? { storeCreditMinor: amount }
            : { refundMinor: amount };
      return must(
        commerce.processReturn(engine, s, {
          returnId: ret.id,
          returnLineItems: items.map((l) => {
            const rfoLine = rfoLines.find((r) => r.returnLineId === l.id);
            const left = rfoLine ? rfoLine.totalQuantity - sum(rfoLine.dispositions.map((d) => d.quantity)) : 0;
            return {
              id: l.id,
              quantity: l.quantity - l.processedQuantity,
              dispositions:
                rfoLine && left > 0
                  ? [
                      {
                        reverseFulfillmentOrderLineItemId: rfoLine.id,
                        quantity: left,
                        dispositionType: "RESTOCKED",
                        locationId: s.locationId,
                      },
                    ]
                  : null,
            };
          }),
          ...money,
        }),
        "processReturn",
      ).ret;
    },

    closeReturn(input: { shop: string; return: ReturnRef }): Return {
      const s = shopOf(input.shop);
      return must(commerce.closeReturn(engine, s, returnOf(s, input.return).ret.id), "closeReturn").ret;
    },

    cancelReturn(input: { shop: string; return: ReturnRef }): Return {
      const s = shopOf(input.shop);
      return must(commerce.cancelReturn(engine, s, returnOf(s, input.return).ret.id), "cancelReturn").ret;
    },

    customersRedact(input: { shop: string; customer: CustomerRef; orders?: OrderRef[] }) {
      const s = shopOf(input.shop);
      commerce.customersRedact(
        engine,
        s,
        customerOf(s, input.customer).id,
        input.orders?.map((o) => orderOf(s, o).id),
      );
    },

    customersDataRequest(input: { shop: string; customer: CustomerRef; orders?: OrderRef[] }) {
      const s = shopOf(input.shop);
      commerce.customersDataRequest(
        engine,
        s,
        customerOf(s, input.customer).id,
        input.orders?.map((o) => orderOf(s, o).id),
      );
    },

    /** Shopify sends shop/redact 48 hours after an uninstall; here it goes when asked. */
    shopRedact(input: { shop: string }) {
      commerce.shopRedact(engine, shopOf(input.shop));
    },

    appUninstalled(input: { shop: string }) {
      commerce.appUninstalled(engine, shopOf(input.shop));
    },

    appScopesUpdate(input: { shop: string; scopes: string[] }) {
      commerce.appScopesUpdate(engine, shopOf(input.shop), input.scopes);
    },
  };
}

export type Scenarios = ReturnType<typeof createScenarios>;

type ReturnLines = {
  lineItemId?: string | number;
  fulfillmentLineItemId?: string | number;
  quantity: number;
  reason?: string;
}[];

/** Return lines from line items (or fulfillment line items); default every returnable unit. */
function returnLines(order: Order, lines: ReturnLines | undefined, reason = "UNKNOWN"): commerce.ReturnLineInput[] {
  const shipped = order.fulfillments.filter((f) => f.status === "success").flatMap((f) => f.lineItems);
  if (!lines) {
    return shipped
      .filter((l) => returnableQuantity(order, l) > 0)
      .map((l) => ({ fulfillmentLineItemId: l.id, quantity: returnableQuantity(order, l), returnReason: reason }));
  }
  const out: commerce.ReturnLineInput[] = [];
  for (const line of lines) {
    if (line.fulfillmentLineItemId !== undefined) {
      out.push({
        fulfillmentLineItemId: line.fulfillmentLineItemId,
        quantity: line.quantity,
        returnReason: line.reason ?? reason,
      });
      continue;
    }
    const lineItemId = parseId(line.lineItemId, "LineItem");
    let wanted = line.quantity;
    for (const fl of shipped.filter((l) => l.lineItemId === lineItemId)) {
      const take = Math.min(wanted, returnableQuantity(order, fl));
      if (take > 0) out.push({ fulfillmentLineItemId: fl.id, quantity: take, returnReason: line.reason ?? reason });
      wanted -= take;
    }
    // Ask for the rest anyway so the operation answers with Shopify's error.
    if (wanted > 0) {
      const any = shipped.find((l) => l.lineItemId === lineItemId);
      if (!any) throw new ScenarioError(`No shipped units of line item ${String(line.lineItemId)} on ${order.name}`);
      out.push({ fulfillmentLineItemId: any.id, quantity: wanted, returnReason: line.reason ?? reason });
    }
  }
  return out;
}
