import type { Db } from "../db.server";
import { claimEvent, markFailed, markProcessed } from "../models/webhook-inbox.server";
import { handleWebhook, UnknownTopicError } from "../webhooks/handlers.server";
import { PayloadError } from "../webhooks/payloads";
// Areas attach their webhook listeners and compliance entries when this is imported.
import "../areas.server";

/** Unique-key race (P2002), transaction write conflict or deadlock (P2034, 40001, 40P01). */
export function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return code === "P2002" || code === "P2034" || /\b(40001|40P01)\b|could not serialize|deadlock detected/.test(message);
}

export type ProcessOutcome = "processed" | "skipped" | "failed" | "parked";

/**
 * Runs one inbox event's handler. Safe to call for the same id from several workers at once and
 * again after a crash: the claim lets one worker in, handlers are idempotent.
 */
export async function processEvent(db: Db, id: string, clock: () => Date = () => new Date()): Promise<ProcessOutcome> {
  const event = await claimEvent(db, id, clock());
  if (!event) return "skipped";
  try {
    let payload: unknown;
    try {
      payload = JSON.parse(event.payload);
    } catch {
      throw new PayloadError("stored payload is not JSON");
    }
    const context = { db, shop: event.shop, topic: event.topic, payload, eventAt: event.triggeredAt ?? event.receivedAt };
    // Two workers applying events of the same order at once can race to create its row, or
    // conflict on PostgreSQL; the loser simply runs again, and finds the row there.
    for (let attempt = 1; ; attempt++) {
      try {
        await handleWebhook({ ...context, now: clock() });
        break;
      } catch (error) {
        if (attempt >= 3 || !isWriteConflict(error)) throw error;
      }
    }
    await markProcessed(db, id, clock());
    return "processed";
  } catch (error) {
    // A payload we cannot read or a topic we do not handle will not get better with retries.
    const hopeless = error instanceof PayloadError || error instanceof UnknownTopicError;
    return markFailed(db, id, hopeless ? Number.MAX_SAFE_INTEGER : event.attempts, error, clock());
  }
}
