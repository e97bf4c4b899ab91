// The one exception to "every table has one owner" (docs/decisions/0021-one-owner-per-table.md):
// the law requires erasing a shop's or a customer's data in every table, so this module may call
// Prisma on any table. It also owns DataRequest and RedactedShop.
import { eraseFreedData, type Db } from "../db.server";
import { REDACTED_ORDER_FIELDS } from "../models/orders.server";

/** Who a compliance request is about. Any of the three may be missing. */
export interface DataSubject {
  customerShopifyId: string | null;
  email: string | null;
  orderShopifyIds: string[];
}

/**
 * Each area that stores personal data says here how to export it, how to forget one customer and
 * how to delete a shop. Compliance webhooks walk this list, so a new area (loyalty, contact ...)
 * is covered by adding its entry, not by editing the handlers.
 */
export interface PersonalDataArea {
  name: string;
  exportCustomer(db: Db, shop: string, subject: DataSubject): Promise<unknown>;
  redactCustomer(db: Db, shop: string, subject: DataSubject, now: Date): Promise<void>;
  deleteShop(db: Db, shop: string): Promise<void>;
}

function ordersOf(shop: string, s: DataSubject) {
  const or: object[] = [];
  if (s.customerShopifyId) or.push({ customerShopifyId: s.customerShopifyId });
  if (s.email) or.push({ email: s.email });
  if (s.orderShopifyIds.length) or.push({ shopifyId: { in: s.orderShopifyIds } });
  return or.length ? { shop, OR: or } : null;
}

function customersOf(shop: string, s: DataSubject) {
  const or: object[] = [];
  if (s.customerShopifyId) or.push({ shopifyId: s.customerShopifyId });
  if (s.email) or.push({ email: s.email });
  return or.length ? { shop, OR: or } : null;
}

/** The order mirror: customers, orders and their shipments and refunds. */
const orderMirror: PersonalDataArea = {
  name: "orders",
  async exportCustomer(db, shop, subject) {
    const customerWhere = customersOf(shop, subject);
    const orderWhere = ordersOf(shop, subject);
    const customers = customerWhere ? await db.customer.findMany({ where: customerWhere }) : [];
    const orders = orderWhere ? await db.order.findMany({ where: orderWhere, include: { lineItems: true } }) : [];
    const orderIds = orders.map((o) => o.shopifyId);
    const [fulfillments, refunds] = await Promise.all([
      db.fulfillment.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, include: { lines: true } }),
      db.refund.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, include: { lines: true } }),
    ]);
    return { customers, orders, fulfillments, refunds };
  },
  async redactCustomer(db, shop, subject, now) {
    const customerWhere = customersOf(shop, subject);
    const orderWhere = ordersOf(shop, subject);
    if (customerWhere) {
      await db.customer.updateMany({
        where: customerWhere,
        data: { email: null, firstName: null, lastName: null, phone: null, tags: "", redactedAt: now },
      });
    }
    if (orderWhere) {
      await db.order.updateMany({ where: orderWhere, data: { ...REDACTED_ORDER_FIELDS, redactedAt: now } });
    }
  },
  async deleteShop(db, shop) {
    // Children first: line items and fulfillment/refund lines cascade from their parents.
    await db.fulfillmentEvent.deleteMany({ where: { shop } });
    await db.fulfillment.deleteMany({ where: { shop } });
    await db.refund.deleteMany({ where: { shop } });
    await db.shopifyReturn.deleteMany({ where: { shop } });
    await db.order.deleteMany({ where: { shop } });
    await db.customer.deleteMany({ where: { shop } });
  },
};

/** Exports made for earlier data requests hold the same personal data. */
const dataRequests: PersonalDataArea = {
  name: "dataRequests",
  async exportCustomer() {
    return undefined;
  },
  async redactCustomer(db, shop, subject) {
    const or: object[] = [];
    if (subject.customerShopifyId) or.push({ customerShopifyId: subject.customerShopifyId });
    if (subject.email) or.push({ email: subject.email });
    if (or.length) await db.dataRequest.deleteMany({ where: { shop, OR: or } });
  },
  async deleteShop(db, shop) {
    await db.dataRequest.deleteMany({ where: { shop } });
  },
};

/**
 * The webhook inbox keeps raw payloads, and those name customers. Redaction blanks every event
 * of the shop that mentions the customer's email or id, the compliance event itself included.
 */
const webhookInbox: PersonalDataArea = {
  name: "webhookInbox",
  async exportCustomer() {
    return undefined;
  },
  async redactCustomer(db, shop, subject) {
    const needles = [subject.email, subject.customerShopifyId?.split("/").pop()].filter((n): n is string =>
      Boolean(n && n.length >= 3),
    );
    for (const needle of needles) {
      await db.webhookEvent.updateMany({
        where: { shop, payload: { contains: needle } },
        data: { payload: JSON.stringify({ redacted: true }) },
      });
    }
  },
  async deleteShop(db, shop) {
    // Ids only, kept for good (not pruned): a late retry of one of these deliveries is then
    // recognised at the door and changes nothing. The event being handled (processing) is left
    // to the job that runs it, which blanks it too and can still retry if this handler fails.
    await db.webhookEvent.updateMany({
      where: { shop, status: { not: "processing" } },
      data: { status: "redacted", payload: "", lastError: null, outcome: null, lockedUntil: null },
    });
    await db.webhookEvent.updateMany({ where: { shop, status: "processing" }, data: { payload: "" } });
  },
};

const sessionsAndShop: PersonalDataArea = {
  name: "shop",
  async exportCustomer() {
    return undefined;
  },
  async redactCustomer() {},
  async deleteShop(db, shop) {
    await db.session.deleteMany({ where: { shop } });
    await db.staffMember.deleteMany({ where: { shop } });
    await db.attentionHandled.deleteMany({ where: { shop } });
    await db.shop.deleteMany({ where: { domain: shop } });
  },
};

const areas: PersonalDataArea[] = [orderMirror, dataRequests];

/** Adds an area's personal data to what compliance requests cover (called at module load). */
export function registerPersonalDataArea(area: PersonalDataArea) {
  if (!areas.some((a) => a.name === area.name)) areas.push(area);
}

/** customers/data_request: gathers what every area holds and keeps it for the merchant. */
export async function recordDataRequest(db: Db, shop: string, subject: DataSubject) {
  const sections: Record<string, unknown> = {};
  for (const area of areas) {
    const data = await area.exportCustomer(db, shop, subject);
    if (data !== undefined) sections[area.name] = data;
  }
  return db.dataRequest.create({
    data: {
      shop,
      customerShopifyId: subject.customerShopifyId,
      email: subject.email,
      ordersRequested: JSON.stringify(subject.orderShopifyIds),
      export: JSON.stringify(sections, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
    },
  });
}

/** customers/redact: every area forgets the customer; the inbox last, so nothing is left behind. */
export async function redactCustomer(db: Db, shop: string, subject: DataSubject, now = new Date()) {
  for (const area of [...areas, webhookInbox]) await area.redactCustomer(db, shop, subject, now);
  // Rows alone are not enough: the old bytes must not stay readable in the database's files.
  await eraseFreedData(db);
}

/**
 * shop/redact: all of the shop's data, in every area, sessions and the shop record included. The
 * tombstone comes first, so that events of the shop handled meanwhile already do nothing.
 */
export async function deleteShopData(db: Db, shop: string, now = new Date()) {
  await db.redactedShop.upsert({ where: { domain: shop }, create: { domain: shop, redactedAt: now }, update: {} });
  for (const area of [...areas, webhookInbox, sessionsAndShop]) await area.deleteShop(db, shop);
  await eraseFreedData(db);
}

/** Whether the shop's data was redacted and the app has not been installed again since. */
export async function isRedactedShop(db: Db, shop: string): Promise<boolean> {
  return (await db.redactedShop.count({ where: { domain: shop } })) > 0;
}

/**
 * A new installation after shop/redact: the shop's new deliveries are welcome again. Deliveries
 * from before the redaction stay refused by their kept webhook ids (docs/decisions/0017).
 */
export async function liftShopRedaction(db: Db, shop: string) {
  await db.redactedShop.deleteMany({ where: { domain: shop } });
}
