import type { Db } from "../db.server";
import { claimEvent, markFailed, markProcessed } from "../models/webhook-inbox.server";
import { handleWebhook, UnknownTopicError } from "../webhooks/handlers.server";
import { PayloadError } from "../webhooks/payloads";
// Areas attach their webhook listeners and compliance entries when this is imported.
import "../areas.server";

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
    await handleWebhook({
      db,
      shop: event.shop,
      topic: event.topic,
      payload,
      eventAt: event.triggeredAt ?? event.receivedAt,
      now: clock(),
    });
    await markProcessed(db, id, clock());
    return "processed";
  } catch (error) {
    // A payload we cannot read or a topic we do not handle will not get better with retries.
    const hopeless = error instanceof PayloadError || error instanceof UnknownTopicError;
    return markFailed(db, id, hopeless ? Number.MAX_SAFE_INTEGER : event.attempts, error, clock());
  }
}
