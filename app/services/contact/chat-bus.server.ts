/**
 * Live chat's bus (docs/decisions/0034): it only says that a conversation has news; streams then
 * read what is new from the database by sequence number, so a lost or repeated notice costs
 * nothing. One process on SQLite: an in-memory emitter. PostgreSQL: pg_notify on one channel and
 * one LISTEN connection per process, so every web process hears every other's messages.
 */
import { EventEmitter } from "node:events";

import pg from "pg";

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
}

export interface ChatBus {
  publish(event: ChatEvent): Promise<void>;
  /** Calls `listener` with every event of `shop`; returns the unsubscribe. */
  subscribe(shop: string, listener: (event: ChatEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = "aftercare_chat";

function fanOut() {
  const emitter = new EventEmitter();
  // Every open stream listens: thousands is normal, not a leak.
  emitter.setMaxListeners(0);
  return {
    emit: (event: ChatEvent) => emitter.emit(event.shop, event),
    subscribe(shop: string, listener: (event: ChatEvent) => void) {
      emitter.on(shop, listener);
      return () => {
        emitter.off(shop, listener);
      };
    },
  };
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
  let client: Promise<pg.Client> | null = null;
  let closed = false;

  function connect(): Promise<pg.Client> {
    if (!client) {
      client = (async () => {
        const c = new pg.Client({ connectionString: url });
        c.on("notification", (n) => {
          if (n.channel !== CHANNEL || !n.payload) return;
          try {
            local.emit(JSON.parse(n.payload) as ChatEvent);
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
      const c = await connect();
      await c.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(event)]);
    },
    subscribe(shop, listener) {
      connect().catch(() => {});
      return local.subscribe(shop, listener);
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
