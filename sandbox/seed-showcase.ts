/**
 * The demo's showcase shopper: one customer whose orders are in every state a shopper meets in
 * customer accounts (unfulfilled, in transit, delayed with a new estimate, out for delivery,
 * delivered and still returnable, partly returned, refunded), at fixed ages, so that a person
 * signing in to the demo's customer accounts, and the end-to-end tests, find each one. Placed on
 * the seed's timeline like every other order, so every change reaches the app as a webhook.
 */
import type { Sandbox } from "./engine";
import { DEMO_ADDRESSES } from "./seed-data";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const SHOWCASE_CUSTOMER = {
  email: "mina.rahimi@example.com",
  firstName: "Mina",
  lastName: "Rahimi",
  locale: "en",
  /** The sandbox's sign-in page lists customers with this tag first. */
  tag: "showcase",
};

/** How many orders the showcase places (one per state). */
export const SHOWCASE_ORDERS = 7;

/** What each showcase order shows, by its state; the order's name is known once it is placed. */
export type ShowcaseState =
  "unfulfilled" | "in_transit" | "delayed" | "out_for_delivery" | "delivered" | "partly_returned" | "refunded";

type Step = (time: number, run: () => void) => void;

/**
 * Schedules the showcase customer's orders on the seed's timeline (`at`), ending before `now`.
 * Answers the customer's id and, once the timeline has run, each state's order id.
 */
export function scheduleShowcase(options: { sandbox: Sandbox; shop: string; now: number; at: Step }) {
  const { sandbox, shop, now, at } = options;
  const address = DEMO_ADDRESSES[1];
  const customer = sandbox.createCustomer({
    shop,
    email: SHOWCASE_CUSTOMER.email,
    firstName: SHOWCASE_CUSTOMER.firstName,
    lastName: SHOWCASE_CUSTOMER.lastName,
    locale: SHOWCASE_CUSTOMER.locale,
    tags: [SHOWCASE_CUSTOMER.tag],
    address,
  });
  const products = sandbox.shop(shop).products;
  const variant = (handle: string, title: string) => {
    const product = products.find((p) => p.handle === handle);
    const found = product?.variants.find((v) => v.title === title) ?? product?.variants[0];
    if (!found) throw new Error(`The showcase needs the demo product ${handle}.`);
    return found.id;
  };
  const orders = new Map<ShowcaseState, number>();
  const ago = (days: number) => now - days * DAY;
  const scan = (
    fulfillmentId: number,
    status: Parameters<Sandbox["carrierScan"]>[0]["status"],
    time: number,
    extra: { estimatedDeliveryAt?: Date; message?: string } = {},
  ) =>
    at(time, () =>
      sandbox.carrierScan({
        shop,
        fulfillment: fulfillmentId,
        status,
        happenedAt: new Date(time),
        city: address.city,
        country: address.countryCode,
        ...extra,
      }),
    );

  /** Places an order at `placedAt` and, if given, ships it `shipAfter` days later; `next` goes on from the parcel. */
  const order = (
    state: ShowcaseState,
    placedAt: number,
    lines: { variantId: number; quantity: number }[],
    parcel?: {
      company: string;
      number: string;
      shipAt: number;
      next: (fulfillmentId: number, orderId: number) => void;
    },
  ) =>
    at(placedAt, () => {
      const placed = sandbox.placeOrder({ shop, customer: customer.id, lines, paid: true });
      orders.set(state, placed.id);
      if (!parcel) return;
      at(parcel.shipAt, () => {
        const f = sandbox.fulfil({
          shop,
          order: placed.id,
          trackingCompany: parcel.company,
          trackingNumber: parcel.number,
        });
        parcel.next(f.id, placed.id);
      });
    });

  const delivered = (fulfillmentId: number, shippedAt: number, deliveredAt: number) => {
    scan(fulfillmentId, "in_transit", shippedAt + 8 * HOUR, { estimatedDeliveryAt: new Date(deliveredAt) });
    scan(fulfillmentId, "out_for_delivery", deliveredAt - 5 * HOUR);
    scan(fulfillmentId, "delivered", deliveredAt);
  };

  // Refunded: delivered damaged three weeks ago, the whole order refunded the next day.
  order("refunded", ago(26), [{ variantId: variant("soy-candle", "Default Title"), quantity: 2 }], {
    company: "FedEx",
    number: "771234567890",
    shipAt: ago(25.5),
    next: (f, id) => {
      delivered(f, ago(25.5), ago(22));
      at(ago(21), () => sandbox.refund({ shop, order: id, note: "Arrived damaged" }));
    },
  });

  // Partly returned: two items delivered; the candle came back and was refunded, the bottle stays.
  order(
    "partly_returned",
    ago(18),
    [
      { variantId: variant("insulated-bottle", "750 ml"), quantity: 1 },
      { variantId: variant("linen-notebook", "Dotted"), quantity: 1 },
    ],
    {
      company: "UPS",
      number: "1Z999AA10123456784",
      shipAt: ago(17.5),
      next: (f, id) => {
        delivered(f, ago(17.5), ago(14));
        at(ago(12), () => {
          const placed = sandbox.shop(shop).orders.find((o) => o.id === id)!;
          const notebook = placed.lineItems.find((l) => l.title === "Linen Notebook")!;
          const ret = sandbox.requestReturn({
            shop,
            order: id,
            lines: [{ lineItemId: notebook.id, quantity: 1, reason: "NOT_AS_DESCRIBED" }],
            customerNote: "The paper is thinner than I expected.",
          });
          at(ago(11.5), () => sandbox.approveReturn({ shop, return: ret.id }));
          at(ago(8), () => sandbox.processReturn({ shop, return: ret.id }));
          at(ago(8) + HOUR, () => sandbox.closeReturn({ shop, return: ret.id }));
        });
      },
    },
  );

  // Delayed: the carrier's first date passed; it then reported a delay with a new date.
  order("delayed", ago(9), [{ variantId: variant("waxed-tote", "Default Title"), quantity: 1 }], {
    company: "USPS",
    number: "9400111899223344556677",
    shipAt: ago(8.5),
    next: (f) => {
      scan(f, "in_transit", ago(8), { estimatedDeliveryAt: new Date(ago(3)) });
      at(ago(1.5), () =>
        sandbox.delay({
          shop,
          fulfillment: f,
          until: new Date(now + 2 * DAY),
          message: "Held at the regional hub by severe weather",
        }),
      );
    },
  });

  // Delivered three days ago: a tee and a mug, inside the return window (the exchange to try).
  order(
    "delivered",
    ago(7),
    [
      { variantId: variant("organic-cotton-tee", "M"), quantity: 1 },
      { variantId: variant("stoneware-mug", "Sand"), quantity: 1 },
    ],
    { company: "UPS", number: "1Z999AA10123456785", shipAt: ago(6.5), next: (f) => delivered(f, ago(6.5), ago(3)) },
  );

  // Out for delivery this morning.
  order("out_for_delivery", ago(4), [{ variantId: variant("canvas-cap", "Olive"), quantity: 1 }], {
    company: "DHL Express",
    number: "4512345678",
    shipAt: ago(3.5),
    next: (f) => {
      scan(f, "in_transit", ago(3), { estimatedDeliveryAt: new Date(now + 6 * HOUR) });
      scan(f, "out_for_delivery", ago(0.15));
    },
  });

  // In transit, the carrier's date two days ahead.
  order("in_transit", ago(2.5), [{ variantId: variant("stoneware-mug", "Slate"), quantity: 2 }], {
    company: "UPS",
    number: "1Z999AA10123456786",
    shipAt: ago(2),
    next: (f) => scan(f, "in_transit", ago(1.5), { estimatedDeliveryAt: new Date(now + 2 * DAY) }),
  });

  // Paid a few hours ago, not shipped yet.
  order("unfulfilled", ago(0.2), [{ variantId: variant("merino-socks", "M"), quantity: 2 }]);

  return { customerId: customer.id, orders };
}
