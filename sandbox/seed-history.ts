/**
 * A shop with a past, for `npm run demo -- --fresh-install` and the install-day test: customers
 * and a few hundred orders over the last five months, in every state a merchant meets (unpaid,
 * unfulfilled, in transit, delayed, failed delivery, delivered, cancelled, refunded, partly
 * refunded, with a return requested, open, declined or closed), all of it before the app is
 * installed. The app is marked not installed while the history is made, so the sandbox builds no
 * webhook (Shopify sends none to an app that is not installed): the app can learn this past only
 * by importing it after the install.
 *
 * Deterministic (a seeded generator) relative to `now`: the same shop every run.
 */
import type { Order, Sandbox } from "./engine";
import { CARRIERS, DEMO_ADDRESSES, DEMO_SHOP, demoCustomers, seededRandom } from "./seed-data";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The life each order is meant to have; steps that would fall after now simply have not happened yet. */
export const HISTORY_FATES = [
  { fate: "unfulfilled", weight: 8 },
  { fate: "unpaid", weight: 2 },
  { fate: "label_only", weight: 4 },
  { fate: "in_transit", weight: 10 },
  { fate: "delayed", weight: 4 },
  { fate: "failed_delivery", weight: 3 },
  { fate: "delivered", weight: 34 },
  { fate: "split_shipment", weight: 4 },
  { fate: "cancelled", weight: 3 },
  { fate: "refunded", weight: 2 },
  { fate: "partly_refunded", weight: 6 },
  { fate: "return_requested", weight: 5 },
  { fate: "return_open", weight: 4 },
  { fate: "return_closed", weight: 5 },
  { fate: "return_declined", weight: 2 },
] as const;
export type HistoryFate = (typeof HISTORY_FATES)[number]["fate"];

/** The window the app imports on install unless the merchant chose another (docs/decisions/0022). */
export const DEFAULT_IMPORT_DAYS = 90;

function pickHistoryFate(random: () => number): HistoryFate {
  const total = HISTORY_FATES.reduce((s, f) => s + f.weight, 0);
  let r = random() * total;
  for (const f of HISTORY_FATES) {
    r -= f.weight;
    if (r < 0) return f.fate;
  }
  return "delivered";
}

/**
 * The first orders are placed at these ages with these fates, so that every state is there whatever
 * the dice give the others (each age lets that fate's last step happen before now).
 */
const SHOWCASE: { fate: HistoryFate; ageDays: number }[] = [
  { fate: "unpaid", ageDays: 0.5 },
  { fate: "unfulfilled", ageDays: 1 },
  { fate: "label_only", ageDays: 3.5 },
  { fate: "in_transit", ageDays: 4 },
  { fate: "delayed", ageDays: 9 },
  { fate: "cancelled", ageDays: 10 },
  { fate: "failed_delivery", ageDays: 14 },
  { fate: "delivered", ageDays: 16 },
  { fate: "return_requested", ageDays: 18 },
  { fate: "split_shipment", ageDays: 20 },
  { fate: "partly_refunded", ageDays: 22 },
  { fate: "refunded", ageDays: 24 },
  { fate: "return_open", ageDays: 26 },
  { fate: "return_declined", ageDays: 30 },
  { fate: "return_closed", ageDays: 45 },
];

const RETURN_REASONS = ["SIZE_TOO_SMALL", "SIZE_TOO_LARGE", "DEFECTIVE", "NOT_AS_DESCRIBED", "UNWANTED", "COLOR"];

export interface HistoryOptions {
  sandbox: Sandbox;
  /** Moves the sandbox's clock; the history is made in the past, one step at a time. */
  setNow: (date: Date | null) => void;
  /** How many orders (default 360). */
  orders?: number;
  /** How many customers (default 40); a quarter of the orders are guests'. */
  customers?: number;
  now?: Date;
}

/** What the shop's past holds, counted from the sandbox's own state once it is made. */
export interface HistorySummary {
  shop: string;
  orders: number;
  customers: number;
  /** Customers with more than one order. */
  repeatCustomers: number;
  /** Days back to the oldest order. */
  days: number;
  /** Orders placed in the last DEFAULT_IMPORT_DAYS days: what the install's import brings. */
  inImportWindow: number;
  states: {
    unpaid: number;
    unfulfilled: number;
    onTheWay: number;
    delivered: number;
    deliveryFailed: number;
    cancelled: number;
    refunded: number;
    partlyRefunded: number;
    withReturn: number;
  };
  returns: Record<"requested" | "open" | "declined" | "closed", number>;
}

/**
 * Makes the demo shop's past. The shop and its catalogue exist already (seedDemoCatalogue); the app
 * must not have been installed on it yet. Leaves the app not installed: the caller installs it.
 */
export function seedShopHistory(options: HistoryOptions): HistorySummary {
  const { sandbox, setNow } = options;
  const shop = DEMO_SHOP.domain;
  const state = sandbox.shop(shop);
  if (state.accessTokens.length > 0) throw new Error(`The app was installed on ${shop} already: its past is not new.`);
  // The app has never been installed here: the sandbox sends it no webhook (engine/commerce.ts, emitTo).
  state.appInstalled = false;

  const random = seededRandom(20261204);
  const now = options.now ?? new Date();
  const variants = state.products.flatMap((p) => p.variants.map((v) => ({ id: v.id, productId: p.id })));
  setNow(new Date(now.getTime() - 155 * DAY));
  const people = demoCustomers(options.customers ?? 40, random).map((c) =>
    sandbox.createCustomer({
      shop,
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      locale: c.locale,
      address: c.address,
    }),
  );

  // Every step of every order goes on one timeline and runs in time order, so the sandbox's clock
  // (and every timestamp the bulk query later reports) only moves forward, as in a real shop.
  const timeline: { at: number; seq: number; run: () => void }[] = [];
  let seq = 0;
  const at = (time: number, run: () => void) => {
    if (time <= now.getTime()) timeline.push({ at: time, seq: seq++, run });
  };

  const count = options.orders ?? 360;
  for (let i = 0; i < count; i++) {
    // Four orders in five are from the last 85 days; the rest are 95 to 150 days old, outside the
    // install's import, for an import of a longer window from the Sync page. Nothing sits near the
    // window's edge, so what the import brings does not depend on the minute it runs.
    const drawnAt =
      random() < 0.8 ? now.getTime() - (0.3 + random() * 84.7) * DAY : now.getTime() - (95 + random() * 55) * DAY;
    const drawnFate = pickHistoryFate(random);
    const showcase = SHOWCASE[i];
    const placedAt = showcase ? now.getTime() - showcase.ageDays * DAY : drawnAt;
    const ageDays = (now.getTime() - placedAt) / DAY;
    let fate: HistoryFate = showcase?.fate ?? drawnFate;
    // Orders that are waiting, or parcels not yet scanned beyond a label, are recent ones.
    if (ageDays > 6 && ["unfulfilled", "unpaid", "label_only", "in_transit"].includes(fate)) fate = "delivered";
    const guest = random() < 0.25;
    const person = people[Math.floor(random() * people.length)];
    const split = fate === "split_shipment";
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) + (split ? 1 : 0) }, () => ({
      variantId: variants[Math.floor(random() * variants.length)].id,
      quantity: 1 + Math.floor(random() * 2),
    }));
    const unique = [...new Map(lines.map((l) => [l.variantId, l])).values()];
    const address = DEMO_ADDRESSES[Math.floor(random() * DEMO_ADDRESSES.length)];
    const carriers = [0, 1].map(() => CARRIERS[Math.floor(random() * CARRIERS.length)]);
    const numbers = carriers.map((c) => c.number(random));
    const shipAt = placedAt + (0.4 + random() * 1.6) * DAY;
    const transitDays = 2 + Math.floor(random() * 4);
    const deliveredAt = shipAt + (transitDays - 0.1 + random() * 0.8) * DAY;
    const afterDelivery = deliveredAt + (1 + random() * 5) * DAY;
    const reason = RETURN_REASONS[Math.floor(random() * RETURN_REASONS.length)];
    const decided = afterDelivery + (0.5 + random() * 1.5) * DAY;
    const received = decided + (3 + random() * 4) * DAY;

    const ship = (order: Order, items: Order["lineItems"] | null, n: number) => {
      const start = shipAt + n * 0.5 * DAY;
      at(start, () => {
        const parcel = sandbox.fulfil({
          shop,
          order: order.id,
          ...(items ? { lines: items.map((l) => ({ lineItemId: l.id, quantity: l.quantity })) } : {}),
          trackingCompany: carriers[n].company,
          trackingNumber: numbers[n],
        });
        const scan = (
          status: Parameters<Sandbox["carrierScan"]>[0]["status"],
          time: number,
          extra: { message?: string; estimatedDeliveryAt?: Date } = {},
        ) =>
          at(time, () =>
            sandbox.carrierScan({
              shop,
              fulfillment: parcel.id,
              status,
              happenedAt: new Date(time),
              city: address.city,
              country: address.countryCode,
              ...extra,
            }),
          );
        if (fate === "label_only") return;
        const promised = new Date(start + transitDays * DAY);
        scan("in_transit", start + 10 * HOUR, { estimatedDeliveryAt: promised });
        // A delayed parcel: the scans stop and the promised day passes (for an old order, it came late).
        if (fate === "in_transit" || fate === "delayed") {
          if (fate === "delayed") scan("delivered", deliveredAt + 9 * DAY);
          return;
        }
        if (fate === "failed_delivery") {
          scan("attempted_delivery", deliveredAt - 0.4 * DAY, { message: "Recipient not available" });
          scan("failure", deliveredAt + 0.6 * DAY, { message: "Address could not be found" });
          return;
        }
        scan("out_for_delivery", deliveredAt - 0.3 * DAY);
        scan("delivered", deliveredAt + n * 0.5 * DAY);
      });
    };

    const afterDelivered = (order: Order) => {
      const first = order.lineItems[0];
      if (fate === "refunded") {
        at(afterDelivery, () => sandbox.refund({ shop, order: order.id, note: "Arrived damaged" }));
      } else if (fate === "partly_refunded") {
        at(afterDelivery, () =>
          sandbox.refund({
            shop,
            order: order.id,
            lines: [{ lineItemId: first.id, quantity: 1, restockType: "no_restock" }],
            note: "One item arrived scratched",
          }),
        );
      } else if (fate.startsWith("return_")) {
        at(afterDelivery, () => {
          const ret = sandbox.requestReturn({
            shop,
            order: order.id,
            lines: [{ lineItemId: first.id, quantity: 1, reason }],
          });
          if (fate === "return_declined") {
            at(decided, () =>
              sandbox.declineReturn({ shop, return: ret.id, reason: "OTHER", note: "Worn items are not returnable" }),
            );
          } else if (fate === "return_open" || fate === "return_closed") {
            at(decided, () => sandbox.approveReturn({ shop, return: ret.id }));
          }
          if (fate === "return_closed") {
            at(received, () => sandbox.processReturn({ shop, return: ret.id }));
            at(received + HOUR, () => sandbox.closeReturn({ shop, return: ret.id }));
          }
        });
      }
    };

    at(placedAt, () => {
      const order = sandbox.placeOrder({
        shop,
        ...(guest ? { email: `guest.h${i + 1}@example.com` } : { customer: person.id }),
        lines: unique,
        paid: fate !== "unpaid",
        shippingAddress: guest ? { firstName: "Guest", lastName: `Shopper ${i + 1}`, ...address } : undefined,
      });
      if (fate === "unpaid" || fate === "unfulfilled") return;
      if (fate === "cancelled") {
        at(placedAt + 3 * HOUR, () => sandbox.cancelOrder({ shop, order: order.id, reason: "customer" }));
        return;
      }
      const parcels = split && order.lineItems.length > 1 ? [[order.lineItems[0]], order.lineItems.slice(1)] : [null];
      parcels.forEach((items, n) => ship(order, items, n));
      afterDelivered(order);
    });
  }

  while (timeline.length > 0) {
    let next = 0;
    for (let k = 1; k < timeline.length; k++) {
      const a = timeline[k];
      const b = timeline[next];
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) next = k;
    }
    const [step] = timeline.splice(next, 1);
    setNow(new Date(step.at));
    step.run();
  }
  setNow(null);
  return describeHistory(sandbox, shop, now);
}

/** Counts what the shop's orders are now, from the sandbox's state (not from what the seed meant). */
export function describeHistory(sandbox: Sandbox, shop: string, now = new Date()): HistorySummary {
  const s = sandbox.shop(shop);
  const orders = s.orders;
  const perCustomer = new Map<number, number>();
  for (const o of orders) if (o.customerId) perCustomer.set(o.customerId, (perCustomer.get(o.customerId) ?? 0) + 1);
  const since = now.getTime() - DEFAULT_IMPORT_DAYS * DAY;
  const oldest = Math.min(...orders.map((o) => Date.parse(o.createdAt)));
  const states = {
    unpaid: 0,
    unfulfilled: 0,
    onTheWay: 0,
    delivered: 0,
    deliveryFailed: 0,
    cancelled: 0,
    refunded: 0,
    partlyRefunded: 0,
    withReturn: 0,
  };
  const returns = { requested: 0, open: 0, declined: 0, closed: 0 };
  for (const o of orders) {
    const shipments = o.fulfillments.filter((f) => f.status === "success");
    if (o.cancelledAt) states.cancelled += 1;
    else if (!o.paid) states.unpaid += 1;
    else if (shipments.length === 0) states.unfulfilled += 1;
    else if (shipments.some((f) => f.shipmentStatus === "failure")) states.deliveryFailed += 1;
    else if (shipments.every((f) => f.shipmentStatus === "delivered")) states.delivered += 1;
    else states.onTheWay += 1;
    if (!o.cancelledAt && o.refunds.length > 0) {
      const refunded = new Map<number, number>();
      for (const line of o.refunds.flatMap((r) => r.lines))
        refunded.set(line.lineItemId, (refunded.get(line.lineItemId) ?? 0) + line.quantity);
      const all = o.lineItems.every((l) => (refunded.get(l.id) ?? 0) >= l.quantity);
      if (all) states.refunded += 1;
      else states.partlyRefunded += 1;
    }
    if (o.returns.length > 0) states.withReturn += 1;
    for (const r of o.returns) if (r.status in returns) returns[r.status as keyof typeof returns] += 1;
  }
  return {
    shop,
    orders: orders.length,
    customers: s.customers.length,
    repeatCustomers: [...perCustomer.values()].filter((n) => n > 1).length,
    days: orders.length ? Math.ceil((now.getTime() - oldest) / DAY) : 0,
    inImportWindow: orders.filter((o) => Date.parse(o.createdAt) >= since).length,
    states,
    returns,
  };
}
