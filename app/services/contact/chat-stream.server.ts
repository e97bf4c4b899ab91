/**
 * The two live streams of chat (docs/decisions/0034). Both subscribe to the bus before reading,
 * so nothing slips between the read and the subscription; the shopper's stream then sends, on
 * each notice, the messages after the last sequence number it sent, one read at a time. A notice
 * that carries the very next message (the usual case) is sent as it is, without a read.
 */
import type { Db } from "../../db.server";
import { eventStream } from "../../utils/event-stream.server";

import type { ChatBus, ChatEvent } from "./chat-bus.server";
import { holdAgentPresence } from "./agents.server";
import { chatMessagesAfter, chatState, holdShopperPresence } from "./chat.server";

const PAGE = 200;

/** Streams a browser (or an address) may hold open in one process; more are refused with a 429. */
export const STREAM_LIMITS = { perVisitor: 4, perAddress: 200 } as const;
const openStreams = new Map<string, number>();

/**
 * Counts a stream against its visitor's and address's limits; returns its release, or null when
 * either is full (the caller answers 429). Kept in memory: each process bounds its own sockets.
 */
export function holdStreamSlot(visitorKey: string, addressKey: string | null): (() => void) | null {
  const keys = [`v:${visitorKey}`, ...(addressKey ? [`a:${addressKey}`] : [])];
  const limits = [STREAM_LIMITS.perVisitor, STREAM_LIMITS.perAddress];
  if (keys.some((k, i) => (openStreams.get(k) ?? 0) >= limits[i])) return null;
  for (const k of keys) openStreams.set(k, (openStreams.get(k) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const k of keys) {
      const n = (openStreams.get(k) ?? 1) - 1;
      if (n > 0) openStreams.set(k, n);
      else openStreams.delete(k);
    }
  };
}

export function shopperChatStream(
  request: Request,
  input: {
    db: Db;
    bus: ChatBus;
    shop: string;
    conversationId: string;
    after: number;
    release?: () => void;
    /** The load context's connectionClosed (docs/decisions/0047). */
    closed?: AbortSignal;
  },
  headers: Record<string, string> = {},
): Response {
  const { db, bus, shop, conversationId } = input;
  const release = input.release ?? (() => {});
  return eventStream(
    request,
    async (send) => {
      let last = Number.isInteger(input.after) && input.after > 0 ? input.after : 0;
      let reading: Promise<void> | null = null;
      let again = false;
      const pump = (): Promise<void> => {
        if (reading) {
          again = true;
          return reading;
        }
        reading = (async () => {
          do {
            again = false;
            // A page at a time until a short one: a long conversation is sent whole, in order.
            for (let page = PAGE; page === PAGE;) {
              const messages = await chatMessagesAfter(db, shop, conversationId, last, PAGE);
              for (const m of messages) {
                send({ id: m.seq, event: "message", data: m });
                last = m.seq;
              }
              page = messages.length;
            }
          } while (again);
        })().finally(() => (reading = null));
        return reading;
      };
      // The conversation's id too: a page that starts another chat knows which one it reads.
      const sendState = async () =>
        send({ event: "status", data: { conversationId, ...(await chatState(db, shop, conversationId)) } });
      const unsubscribe = bus.subscribe(
        shop,
        (e: ChatEvent) => {
          if (e.conversationId !== conversationId) return;
          if (e.kind === "message") {
            // The next message, and nothing being read: send it as the notice has it.
            if (!reading && e.message && e.message.seq === last + 1) {
              send({ id: e.message.seq, event: "message", data: e.message });
              last = e.message.seq;
            } else if (!e.message || e.message.seq > last) pump().catch(() => {});
          } else if (e.kind === "status") sendState().catch(() => {});
          // The shopper sees that an agent types, never the other way round here.
          else if (e.kind === "typing" && e.from === "merchant")
            send({ event: "typing", data: { agent: e.preview || null } });
          else if (e.kind === "delivered" && e.from === "merchant")
            send({ event: "delivered", data: { upTo: e.seq ?? 0 } });
        },
        conversationId,
      );
      // While this stream is open the shopper is here; an agent's answer is mailed only once they left.
      const presence = holdShopperPresence(db, shop, conversationId);
      await sendState();
      await pump();
      return () => {
        unsubscribe();
        release();
        presence.release().catch(() => {});
      };
    },
    { headers, closed: input.closed },
  );
}

/**
 * Every chat event of the shop for its agents, the shopper's typing preview included. The agent's
 * presence (docs/decisions/0042) lasts while one of their inbox streams is open.
 */
export function agentChatStream(
  request: Request,
  input: { bus: ChatBus; shop: string; db?: Db; agentUserId?: string | null; closed?: AbortSignal },
): Response {
  return eventStream(
    request,
    async (send) => {
      const presence =
        input.db && input.agentUserId ? holdAgentPresence(input.db, input.shop, input.agentUserId) : null;
      const unsubscribe = input.bus.subscribe(input.shop, (e) =>
        send({
          event: e.kind,
          data: { conversationId: e.conversationId, from: e.from, preview: e.preview ?? null, seq: e.seq ?? null },
        }),
      );
      await presence?.ready;
      return () => {
        unsubscribe();
        presence?.release().catch(() => {});
      };
    },
    { closed: input.closed },
  );
}
