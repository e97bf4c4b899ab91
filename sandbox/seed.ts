/**
 * Seeds the demo shop in the sandbox: catalogue, customers, and orders spread over the last
 * weeks in every state a merchant meets (unfulfilled, unpaid, in transit, out for delivery,
 * delivered, delayed, failed delivery, split, cancelled, refunded), with the showcase customer's
 * orders in every state a shopper meets (seed-showcase.ts). It works only through the sandbox's
 * scenarios, so every change reaches the app as the webhook Shopify would send.
 */
import type { Sandbox } from "./engine";
import {
  CARRIERS,
  DEMO_ADDRESSES,
  DEMO_PRODUCTS,
  DEMO_SHOP,
  demoCustomers,
  pickFate,
  seededRandom,
  type OrderFate,
} from "./seed-data";
import { SHOWCASE_ORDERS, scheduleShowcase } from "./seed-showcase";

export interface SeedOptions {
  sandbox: Sandbox;
  /** Moves the sandbox's clock; seeding happens in the past, one step at a time. */
  setNow: (date: Date | null) => void;
  imageBase: string;
  orders?: number;
  customers?: number;
  /** The newest order is placed this long before now. */
  now?: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The shop and its catalogue: before the app is installed, as a merchant's shop would be. */
export function seedDemoCatalogue(options: SeedOptions) {
  const { sandbox, setNow } = options;
  const now = options.now ?? new Date();
  const shop = DEMO_SHOP.domain;
  setNow(new Date(now.getTime() - 70 * DAY));
  sandbox.createShop({
    domain: shop,
    name: DEMO_SHOP.name,
    email: DEMO_SHOP.email,
    currency: DEMO_SHOP.currency,
    timezone: DEMO_SHOP.timezone,
  });

  const collections = new Map<string, number[]>();
  const variants: { id: number; productId: number }[] = [];
  for (const p of DEMO_PRODUCTS) {
    const product = sandbox.addProduct(shop, {
      title: p.title,
      handle: p.handle,
      productType: p.productType,
      vendor: DEMO_SHOP.name,
      tags: p.tags,
      images: [{ url: `${options.imageBase}/${p.handle}.svg`, altText: p.title, width: 600, height: 600 }],
      variants: p.variants.map((v) => ({ title: v.title, price: v.price, sku: v.sku })),
    });
    collections.set(p.collection, [...(collections.get(p.collection) ?? []), product.id]);
    for (const v of product.variants) variants.push({ id: v.id, productId: product.id });
  }
  for (const [title, productIds] of collections) sandbox.addCollection(shop, { title, productIds });
  sandbox.addCollection(shop, { title: "Best sellers", productIds: [...collections.values()].flat().slice(0, 5) });
  setNow(null);
  return { shop, variants };
}

/** Customers and their orders, each taken as far through its life as its fate says. */
export function seedDemoActivity(options: SeedOptions) {
  const { sandbox, setNow } = options;
  const random = seededRandom(20261122);
  const now = options.now ?? new Date();
  const shop = DEMO_SHOP.domain;
  const variants = sandbox.shop(shop).products.flatMap((p) => p.variants.map((v) => ({ id: v.id, productId: p.id })));
  // The sandbox's timestamps only move forward, and the app's install (after the catalogue) was
  // stamped at the real time: without going back, every order would be placed today. Nothing the
  // seed changes was stamped by the install.
  sandbox.state.data.lastStamp = null;
  setNow(new Date(now.getTime() - 65 * DAY));

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

  // The showcase's orders are part of the count (so the shop has as many orders as asked for).
  const count = Math.max(0, (options.orders ?? 300) - SHOWCASE_ORDERS);
  // Every step of every order goes on one timeline and runs in time order, so the sandbox's
  // clock (and every timestamp the app receives) only moves forward, as it would in a real shop.
  const timeline: { at: number; seq: number; run: () => void }[] = [];
  let seq = 0;
  const at = (time: number, run: () => void) => {
    if (time <= now.getTime()) timeline.push({ at: time, seq: seq++, run });
  };

  for (let i = 0; i < count; i++) {
    const placedAt = now.getTime() - (1 + random() * 60) * DAY;
    const ageDays = (now.getTime() - placedAt) / DAY;
    let fate: OrderFate = pickFate(random);
    if (ageDays > 14 && ["shipped", "in_transit", "out_for_delivery", "unfulfilled", "unpaid"].includes(fate))
      fate = "delivered";
    if (ageDays < 2 && fate === "delayed") fate = "in_transit";
    if (ageDays > 14 && fate === "delayed") fate = "delivered";
    const guest = random() < 0.25;
    const person = people[Math.floor(random() * people.length)];
    const lineCount =
      1 + Math.floor(random() * (fate === "split_shipment" ? 2 : 3)) + (fate === "split_shipment" ? 1 : 0);
    const lines = Array.from({ length: lineCount }, () => ({
      variantId: variants[Math.floor(random() * variants.length)].id,
      quantity: 1 + Math.floor(random() * 2),
    }));
    const unique = [...new Map(lines.map((l) => [l.variantId, l])).values()];
    const address = DEMO_ADDRESSES[Math.floor(random() * DEMO_ADDRESSES.length)];
    const carriers = [
      CARRIERS[Math.floor(random() * CARRIERS.length)],
      CARRIERS[Math.floor(random() * CARRIERS.length)],
    ];
    const numbers = carriers.map((c) => c.number(random));
    const shipAt = placedAt + (0.5 + random() * 2) * DAY;
    const transitDays = 2 + Math.floor(random() * 4);
    const deliveredAfter = transitDays - 0.1 + random() * 0.8;

    at(placedAt, () => {
      const order = sandbox.placeOrder({
        shop,
        ...(guest ? { email: `guest${i + 1}@example.com` } : { customer: person.id }),
        lines: unique,
        paid: fate !== "unpaid",
        shippingAddress: guest ? { firstName: "Guest", lastName: `Shopper ${i + 1}`, ...address } : undefined,
      });
      if (fate === "unpaid" || fate === "unfulfilled") return;
      if (fate === "cancelled") {
        at(placedAt + 3 * HOUR, () => sandbox.cancelOrder({ shop, order: order.id, reason: "customer" }));
        return;
      }
      const split = fate === "split_shipment" && order.lineItems.length > 1;
      const parcels = split ? [[order.lineItems[0]], order.lineItems.slice(1)] : [null];
      parcels.forEach((items, n) => {
        const start = shipAt + n * DAY;
        at(start, () => {
          const f = sandbox.fulfil({
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
                fulfillment: f.id,
                status,
                happenedAt: new Date(time),
                city: address.city,
                country: address.countryCode,
                ...extra,
              }),
            );
          if (fate === "shipped") return;
          scan("in_transit", start + 10 * HOUR, { estimatedDeliveryAt: new Date(start + transitDays * DAY) });
          // Delayed parcels: scans stop and the promised day passes; the app's delay rules must notice.
          if (fate === "in_transit" || fate === "delayed") return;
          if (fate === "failed_delivery") {
            scan("attempted_delivery", start + (transitDays - 0.5) * DAY, { message: "Recipient not available" });
            scan("failure", start + (transitDays + 0.5) * DAY, { message: "Address could not be found" });
            return;
          }
          scan("out_for_delivery", start + (transitDays - 0.3) * DAY);
          if (fate !== "out_for_delivery") scan("delivered", start + deliveredAfter * DAY);
        });
      });
      if (fate === "refunded") {
        at(Math.min(shipAt + (transitDays + 3) * DAY, now.getTime() - HOUR), () =>
          sandbox.refund({ shop, order: order.id, note: "Arrived damaged" }),
        );
      }
    });
  }

  // Appended after the random orders so that their draws (and so the shop the tests know) stay the same.
  const showcase = scheduleShowcase({ sandbox, shop, now: now.getTime(), at });

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
  return { shop, orders: count + showcase.orders.size, customers: people.length + 1, showcase };
}
