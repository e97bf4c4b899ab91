/**
 * Text messages' tables (docs/decisions/0044): a shop's SMS settings, shoppers who opted out
 * (kept as the number's SHA-256, so the opt-out outlives erasure without keeping the number),
 * and one row per text sent for an event.
 */
import { createHash } from "node:crypto";

import type { Db, Tx } from "../db.server";
import { isSmsMessageType, smsSettingsSchema, type SmsSettings } from "../domain/sms/templates";

import { rawRows } from "./raw-sql.server";

export const phoneHash = (e164: string) => createHash("sha256").update(e164).digest("hex");

export async function loadSmsSettings(db: Db, shop: string): Promise<SmsSettings> {
  const row = await db.smsSettings.findUnique({ where: { shop } });
  const parsed = smsSettingsSchema.safeParse(row ? JSON.parse(row.settings) : {});
  return parsed.success ? parsed.data : smsSettingsSchema.parse({});
}

export async function storeSmsSettings(db: Db, shop: string, settings: SmsSettings) {
  const text = JSON.stringify(settings);
  await db.smsSettings.upsert({ where: { shop }, create: { shop, settings: text }, update: { settings: text } });
}

/** The shop whose texts come from this sender (the number a shopper replied to). */
export async function shopsWithSender(db: Db, sender: string): Promise<string[]> {
  // Settings are one row per shop; the sender lives in its JSON, matched as text first.
  const rows = await db.smsSettings.findMany({
    where: { settings: { contains: `"sender":"${sender}"` } },
    select: { shop: true, settings: true },
    take: 20,
  });
  return rows
    .filter((r) => smsSettingsSchema.safeParse(JSON.parse(r.settings)).data?.sender === sender)
    .map((r) => r.shop);
}

export async function optOut(db: Db, shop: string, e164: string, now: Date) {
  await db.smsOptOut.upsert({
    where: { shop_phoneHash: { shop, phoneHash: phoneHash(e164) } },
    create: { shop, phoneHash: phoneHash(e164), createdAt: now },
    update: {},
  });
}

export async function optIn(db: Db, shop: string, e164: string) {
  await db.smsOptOut.deleteMany({ where: { shop, phoneHash: phoneHash(e164) } });
}

export async function isOptedOut(db: Db, shop: string, e164: string): Promise<boolean> {
  const row = await db.smsOptOut.findUnique({
    where: { shop_phoneHash: { shop, phoneHash: phoneHash(e164) } },
    select: { shop: true },
  });
  return row !== null;
}

export function countOptOuts(db: Db, shop: string) {
  return db.smsOptOut.count({ where: { shop } });
}

/**
 * The text for an event, claimed before it goes to Twilio: null when one was already sent for
 * this event (a retried delivery whose first try reached Twilio), else the row to send.
 */
export async function claimSmsMessage(
  db: Db,
  input: {
    shop: string;
    eventId: string;
    eventType: string;
    orderShopifyId: string | null;
    to: string;
    body: string;
    segments: number;
  },
): Promise<{ id: string } | null> {
  const existing = await db.smsMessage.findUnique({
    where: { eventId: input.eventId },
    select: { id: true, status: true },
  });
  if (existing?.status === "sent") return null;
  if (existing) {
    await db.smsMessage.update({
      where: { id: existing.id },
      data: { to: input.to, body: input.body, segments: input.segments, status: "sending", error: null },
    });
    return { id: existing.id };
  }
  try {
    return await db.smsMessage.create({ data: { ...input, status: "sending" }, select: { id: true } });
  } catch (error) {
    // Two senders racing on one event: the other one has it.
    if ((error as { code?: string }).code === "P2002") return null;
    throw error;
  }
}

export async function markSmsMessage(db: Db, id: string, result: { sid: string } | { error: string }) {
  await db.smsMessage.update({
    where: { id },
    data:
      "sid" in result
        ? { status: "sent", providerSid: result.sid, error: null }
        : { status: "failed", error: result.error.slice(0, 500) },
  });
}

/** A shop's texts, newest first (the SMS page's log). */
export function recentSmsMessages(db: Db, shop: string, take = 20) {
  return db.smsMessage.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    take: Math.min(take, 100),
    select: {
      id: true,
      eventType: true,
      to: true,
      body: true,
      segments: true,
      status: true,
      error: true,
      createdAt: true,
    },
  });
}

/** Compliance: the texts about these orders. */
export function exportSmsMessages(db: Db, shop: string, orderShopifyIds: string[]) {
  if (!orderShopifyIds.length) return Promise.resolve([]);
  return db.smsMessage.findMany({
    where: { shop, orderShopifyId: { in: orderShopifyIds } },
    select: { eventType: true, to: true, body: true, createdAt: true },
  });
}

export async function redactSmsMessages(db: Db, shop: string, orderShopifyIds: string[]) {
  if (orderShopifyIds.length)
    await db.smsMessage.deleteMany({ where: { shop, orderShopifyId: { in: orderShopifyIds } } });
}

export async function deleteShopSms(db: Db, shop: string) {
  await db.smsMessage.deleteMany({ where: { shop } });
  await db.smsOptOut.deleteMany({ where: { shop } });
  await db.smsSettings.deleteMany({ where: { shop } });
}

/** What a text about an order needs: the phone the shopper gave for updates, their language, the order's name. */
export function orderForSms(db: Db, shop: string, orderShopifyId: string) {
  return db.order.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
    select: { shopifyId: true, name: true, phone: true, customerLocale: true, redactedAt: true },
  });
}

/** Whether the shop texts this event type (read in the event's transaction: a delivery row or not). */
export async function smsWants(tx: Db | Tx, shop: string, type: string): Promise<boolean> {
  if (!isSmsMessageType(type)) return false;
  // Asked in the transaction of every shipment and return event: plain SQL (docs/decisions/0012).
  const [row] = await rawRows<{ settings: string }>(
    tx as Db,
    `SELECT "settings" FROM "SmsSettings" WHERE "shop" = {}`,
    [shop],
  );
  if (!row) return false;
  const settings = smsSettingsSchema.safeParse(JSON.parse(row.settings));
  return settings.success && settings.data.enabled && settings.data.messages[type] === true;
}
