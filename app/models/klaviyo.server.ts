/**
 * A shop's Klaviyo connection (docs/decisions/0043) and the shopper contact details the Klaviyo
 * destination reads from Shopify's mirror. The private key is stored sealed; this module never
 * sees it in clear (services/klaviyo/ seals and opens it).
 */
import type { Db, Tx } from "../db.server";
import { isEventType, type EventType } from "../domain/events/catalog";

import { rawRows } from "./raw-sql.server";

export interface KlaviyoConnectionRow {
  shop: string;
  apiKeySealed: string;
  apiKeyLast4: string;
  accountId: string | null;
  accountName: string | null;
  events: EventType[];
  klaviyoSends: EventType[];
  connectedAt: Date;
}

function eventList(json: string): EventType[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is EventType => typeof v === "string" && isEventType(v)) : [];
  } catch {
    return [];
  }
}

export async function getKlaviyoConnection(db: Db | Tx, shop: string): Promise<KlaviyoConnectionRow | null> {
  const row = await db.klaviyoConnection.findUnique({ where: { shop } });
  return row ? { ...row, events: eventList(row.events), klaviyoSends: eventList(row.klaviyoSends) } : null;
}

/** Connects (or replaces the key of) a shop's Klaviyo account; the choice of events is kept. */
export async function saveKlaviyoKey(
  db: Db,
  shop: string,
  input: { apiKeySealed: string; apiKeyLast4: string; accountId: string | null; accountName: string | null; now: Date },
) {
  const { now, ...key } = input;
  await db.klaviyoConnection.upsert({
    where: { shop },
    create: { shop, ...key, connectedAt: now },
    update: { ...key, connectedAt: now },
  });
}

/** Which events go to Klaviyo and which of them Klaviyo mails about; false when not connected. */
export async function saveKlaviyoEvents(
  db: Db,
  shop: string,
  input: { events: EventType[]; klaviyoSends: EventType[] },
): Promise<boolean> {
  const { count } = await db.klaviyoConnection.updateMany({
    where: { shop },
    data: { events: JSON.stringify(input.events), klaviyoSends: JSON.stringify(input.klaviyoSends) },
  });
  return count === 1;
}

export async function deleteKlaviyoConnection(db: Db, shop: string) {
  await db.klaviyoConnection.deleteMany({ where: { shop } });
}

/**
 * Whether Klaviyo takes this event type for the shop (recordEvent asks inside the event's
 * transaction, so a delivery row is written only for a chosen type).
 */
export async function klaviyoWants(tx: Db | Tx, shop: string, type: EventType): Promise<boolean> {
  // Asked in the transaction of every event a webhook records: plain SQL (docs/decisions/0012).
  const [row] = await rawRows<{ events: string }>(
    tx as Db,
    `SELECT "events" FROM "KlaviyoConnection" WHERE "shop" = {}`,
    [shop],
  );
  return row ? eventList(row.events).includes(type) : false;
}

/** Contact details of the shopper an event is about: the customer's, else the order's. */
export async function shopperContact(
  db: Db,
  shop: string,
  subject: { customerShopifyId: string | null; orderShopifyId: string | null },
) {
  const order = subject.orderShopifyId
    ? await db.order.findUnique({
        where: { shop_shopifyId: { shop, shopifyId: subject.orderShopifyId } },
        select: { email: true, phone: true, customerShopifyId: true, redactedAt: true },
      })
    : null;
  const customerShopifyId = subject.customerShopifyId ?? order?.customerShopifyId ?? null;
  const customer = customerShopifyId
    ? await db.customer.findUnique({
        where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
        select: { email: true, phone: true, firstName: true, lastName: true, redactedAt: true },
      })
    : null;
  const c = customer && !customer.redactedAt ? customer : null;
  const o = order && !order.redactedAt ? order : null;
  return {
    customerShopifyId,
    email: c?.email ?? o?.email ?? null,
    phone: c?.phone ?? o?.phone ?? null,
    firstName: c?.firstName ?? null,
    lastName: c?.lastName ?? null,
  };
}
