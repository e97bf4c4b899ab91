/**
 * The merchant's Klaviyo settings (docs/decisions/0043): connect with a private API key (checked
 * with Klaviyo before it is saved, then stored sealed), choose the events that go to Klaviyo, and
 * for the events Aftercare emails about, who sends the shopper's message: Aftercare or Klaviyo,
 * never both. The shipping and return emails ask `messageSender` before they mail.
 */
import type { Db } from "../../db.server";
import { EVENT_TYPES, isEventType, type EventType } from "../../domain/events/catalog";
import { hasShopperMessage } from "../../domain/events/klaviyo";
import {
  deleteKlaviyoConnection,
  getKlaviyoConnection,
  saveKlaviyoEvents,
  saveKlaviyoKey,
} from "../../models/klaviyo.server";
import { seal, SealingKeyMissing } from "../../utils/sealed-secret.server";

import { KlaviyoError, type KlaviyoApi } from "./client.server";

export type KlaviyoAnswer =
  | { ok: true; said: { key: string } }
  | { ok: false; status: number; message: string; said: { key: string }; field?: string };

const refuse = (status: number, key: string, message: string, field?: string): KlaviyoAnswer => ({
  ok: false,
  status,
  message,
  said: { key },
  field,
});

/** Klaviyo's private keys: "pk_" and hex; anything else is refused before asking Klaviyo. */
const PRIVATE_KEY = /^pk_[A-Za-z0-9]{20,80}$/;

export async function connectKlaviyo(
  deps: { db: Db; api: KlaviyoApi; now: Date },
  shop: string,
  rawKey: unknown,
): Promise<KlaviyoAnswer> {
  const apiKey = typeof rawKey === "string" ? rawKey.trim() : "";
  if (!apiKey) return refuse(400, "klaviyo.error.keyMissing", "Paste your Klaviyo private API key.", "apiKey");
  if (!PRIVATE_KEY.test(apiKey))
    return refuse(
      400,
      "klaviyo.error.keyShape",
      "That is not a Klaviyo private API key: it starts with pk_ (Klaviyo: Settings > API keys).",
      "apiKey",
    );
  let account: { id: string | null; name: string | null };
  try {
    account = await deps.api.account(apiKey);
  } catch (error) {
    if (error instanceof KlaviyoError && !error.transient)
      return refuse(
        422,
        "klaviyo.error.keyRefused",
        "Klaviyo did not accept this key. Check that it is a private key with Accounts (read), " +
          "Events and Profiles (write) access.",
        "apiKey",
      );
    return refuse(502, "klaviyo.error.unreachable", "Klaviyo could not be reached to check the key. Try again.");
  }
  let apiKeySealed: string;
  try {
    apiKeySealed = seal(apiKey, shop);
  } catch (error) {
    if (error instanceof SealingKeyMissing)
      return refuse(503, "klaviyo.error.sealing", "This server cannot store keys safely yet (DATA_ENCRYPTION_KEY).");
    throw error;
  }
  await saveKlaviyoKey(deps.db, shop, {
    apiKeySealed,
    apiKeyLast4: apiKey.slice(-4),
    accountId: account.id,
    accountName: account.name,
    now: deps.now,
  });
  return { ok: true, said: { key: "klaviyo.connected" } };
}

/**
 * The events chosen (`events`: types) and, among those Aftercare emails about, the ones Klaviyo
 * sends the shopper's message for (`klaviyoSends`: types). Klaviyo can send only what it receives.
 */
export async function saveKlaviyoChoices(db: Db, shop: string, form: FormData): Promise<KlaviyoAnswer> {
  const events = form.getAll("events").map(String);
  const klaviyoSends = form.getAll("klaviyoSends").map(String);
  const unknown = [...events, ...klaviyoSends].find((t) => !isEventType(t));
  if (unknown !== undefined)
    return refuse(400, "klaviyo.error.unknownEvent", `There is no event called "${unknown.slice(0, 60)}".`);
  const notMessage = klaviyoSends.find((t) => !hasShopperMessage(t));
  if (notMessage !== undefined)
    return refuse(
      422,
      "klaviyo.error.noMessage",
      `Aftercare sends no message for ${notMessage}, so there is nothing to hand to Klaviyo.`,
    );
  const notSent = klaviyoSends.find((t) => !events.includes(t));
  if (notSent !== undefined)
    return refuse(
      422,
      "klaviyo.error.sendsUnsent",
      `Klaviyo can only send the message for ${notSent} if that event goes to Klaviyo: ` +
        "turn it on, or let Aftercare send it.",
    );
  // Kept in the catalogue's order, once each.
  const order = (list: string[]) => EVENT_TYPES.filter((t) => list.includes(t));
  const saved = await saveKlaviyoEvents(db, shop, { events: order(events), klaviyoSends: order(klaviyoSends) });
  if (!saved) return refuse(409, "klaviyo.error.notConnected", "Connect Klaviyo first.");
  return { ok: true, said: { key: "klaviyo.saved" } };
}

export async function disconnectKlaviyo(db: Db, shop: string): Promise<KlaviyoAnswer> {
  await deleteKlaviyoConnection(db, shop);
  return { ok: true, said: { key: "klaviyo.disconnected" } };
}

/**
 * Who mails the shopper about this event: Klaviyo when the shop is connected and handed that
 * message to Klaviyo, else Aftercare (also when Klaviyo was disconnected, so no one is left out).
 */
export async function messageSender(db: Db, shop: string, type: EventType): Promise<"aftercare" | "klaviyo"> {
  const connection = await getKlaviyoConnection(db, shop);
  return connection && connection.events.includes(type) && connection.klaviyoSends.includes(type)
    ? "klaviyo"
    : "aftercare";
}

/** The event types whose shopper message Klaviyo sends for this shop (one read for several messages). */
export async function klaviyoSendsFor(db: Db, shop: string): Promise<Set<string>> {
  const connection = await getKlaviyoConnection(db, shop);
  return new Set(connection ? connection.klaviyoSends.filter((t) => connection.events.includes(t)) : []);
}

/** What the settings page shows: never the key, only its last four characters. */
export async function klaviyoSettingsView(db: Db, shop: string) {
  const c = await getKlaviyoConnection(db, shop);
  return c
    ? {
        connected: true as const,
        keyLast4: c.apiKeyLast4,
        accountName: c.accountName,
        connectedAt: c.connectedAt.toISOString(),
        events: c.events as string[],
        klaviyoSends: c.klaviyoSends as string[],
      }
    : {
        connected: false as const,
        keyLast4: null,
        accountName: null,
        connectedAt: null,
        events: [] as string[],
        klaviyoSends: [] as string[],
      };
}
