/**
 * Live chat's bus (docs/decisions/0034): it says that a conversation has news; streams then
 * read what is new from the database by sequence number, so a lost or repeated notice costs
 * nothing. A new message's notice carries the message itself when it is small, so a stream that
 * has sent everything before it sends it without reading (and reads when it has a gap). One
 * process on SQLite: an in-memory emitter. PostgreSQL: the process's own streams hear an event at
 * once, in memory, and pg_notify on one channel (one LISTEN connection per process) tells every
 * other web process; a process ignores its own notifications.
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";

import pg from "pg";

import type { ChatMessageView } from "./chat.server";

export type ChatEventKind = "message" | "typing" | "delivered" | "status";

export interface ChatEvent {
  shop: string;
  conversationId: string;
  kind: ChatEventKind;
  /** Who caused it: the shopper or an agent. */
  from: "customer" | "merchant";
  /** typing: what the shopper has typed so far (agents only), or the agent's name. */
  preview?: string;
  /** delivered: every message of the other side up to this sequence number was received. */
  seq?: number;
  /** message: the new message as the shopper's stream sends it, when it fits a notification. */
  message?: ChatMessageView;
}

export interface ChatBus {
  publish(event: ChatEvent): Promise<void>;
  /**
   * Calls `listener` with every event of `shop` (an agent's stream), or only those of one of its
   * conversations when `conversationId` is given (a shopper's stream: a shop's thousand shoppers
   * are not each woken by every message); returns the unsubscribe.
   */
  subscribe(shop: string, listener: (event: ChatEvent) => void, conversationId?: string): () => void;
  close(): Promise<void>;
}

const CHANNEL = "aftercare_chat";
/** PostgreSQL refuses a notification payload of 8,000 bytes or more; a bigger message is read instead. */
const MAX_PAYLOAD_BYTES = 7_000;

const conversationKey = (shop: string, conversationId: string) => `${shop}\u0000${conversationId}`;

function fanOut() {
  const emitter = new EventEmitter();
  // Every open stream listens: thousands is normal, not a leak.
  emitter.setMaxListeners(0);
  return {
    emit(event: ChatEvent) {
      emitter.emit(event.shop, event);
      emitter.emit(conversationKey(event.shop, event.conversationId), event);
    },
    subscribe(shop: string, listener: (event: ChatEvent) => void, conversationId?: string) {
      const key = conversationId === undefined ? shop : conversationKey(shop, conversationId);
      emitter.on(key, listener);
      return () => {
        emitter.off(key, listener);
      };
    },
  };
}

/** The notification's text: the event and its origin, without the message when it is too big. */
function notificationText(origin: string, event: ChatEvent): string {
  const text = JSON.stringify({ ...event, origin });
  if (!event.message || Buffer.byteLength(text) < MAX_PAYLOAD_BYTES) return text;
  const { message: _dropped, ...rest } = event;
  return JSON.stringify({ ...rest, origin });
}

export function memoryChatBus(): ChatBus {
  const local = fanOut();
  return {
    async publish(event) {
      local.emit(event);
    },
    subscribe: local.subscribe,
    async close() {},
  };
}

/** A bus over PostgreSQL's LISTEN/NOTIFY; the connection is opened on first use and reopened if lost. */
export function postgresChatBus(url: string): ChatBus {
  const local = fanOut();
  const origin = randomUUID();
  let client: Promise<pg.Client> | null = null;
  let closed = false;

  function connect(): Promise<pg.Client> {
    if (!client) {
      client = (async () => {
        const c = new pg.Client({ connectionString: url });
        c.on("notification", (n) => {
          if (n.channel !== CHANNEL || !n.payload) return;
          try {
            const { origin: from, ...event } = JSON.parse(n.payload) as ChatEvent & { origin?: string };
            // This process's own events reached its streams when published.
            if (from !== origin) local.emit(event);
          } catch {
            // Not ours: ignore.
          }
        });
        c.on("error", () => {
          // Reconnect on next use; streams recover through their sequence numbers.
          client = null;
          c.end().catch(() => {});
          if (!closed) setTimeout(() => connect().catch(() => {}), 1000).unref();
        });
        await c.connect();
        await c.query(`LISTEN ${CHANNEL}`);
        return c;
      })();
      client.catch(() => (client = null));
    }
    return client;
  }

  return {
    async publish(event) {
      local.emit(event);
      const c = await connect();
      await c.query("SELECT pg_notify($1, $2)", [CHANNEL, notificationText(origin, event)]);
    },
    subscribe(shop, listener, conversationId) {
      connect().catch(() => {});
      return local.subscribe(shop, listener, conversationId);
    },
    async close() {
      closed = true;
      const c = client;
      client = null;
      if (c) await (await c).end();
    },
  };
}

/** Resolves once the bus listens (PostgreSQL), so a test can publish right after. */
export async function chatBusReady(bus: ChatBus): Promise<void> {
  await bus.publish({ shop: "", conversationId: "", kind: "status", from: "merchant" });
}

declare global {
  // One bus per process, surviving Vite's dev-server reloads.
  var __aftercareChatBus: ChatBus | undefined;
}

/** This process's bus, for the database the app uses. */
export function chatBus(): ChatBus {
  if (!globalThis.__aftercareChatBus) {
    const url = process.env.DATABASE_URL ?? "file:./dev.sqlite";
    globalThis.__aftercareChatBus = /^postgres(ql)?:/.test(url) ? postgresChatBus(url) : memoryChatBus();
  }
  return globalThis.__aftercareChatBus;
}
