import type { Db } from "../db.server";
import { claimEvent, markFailed, markProcessed } from "../models/webhook-inbox.server";
import { isRedactedShop } from "../services/compliance.server";
import { handleWebhook } from "../webhooks/handlers.server";
import { PayloadError } from "../webhooks/payloads";

import { failureKind } from "./failure-kind";
// Areas attach their webhook listeners and compliance entries when this is imported.
import "../areas.server";

/** Unique-key race (P2002), transaction write conflict or deadlock (P2034, 40001, 40P01). */
export function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return (
    code === "P2002" || code === "P2034" || /\b(40001|40P01)\b|could not serialize|deadlock detected/.test(message)
  );
}

export type ProcessOutcome = "processed" | "skipped" | "failed" | "parked";

/** Stored as the event's outcome when its shop was redacted and has not installed the app since. */
export const REDACTED_SHOP_OUTCOME =
  "Ignored: the shop's data was deleted (shop/redact) and the app was not installed again since.";

/**
 * Runs one inbox event's handler. Safe to call for the same id from several workers at once and
 * again after a crash: the claim lets one worker in, handlers are idempotent.
 */
export async function processEvent(db: Db, id: string, clock: () => Date = () => new Date()): Promise<ProcessOutcome> {
  const event = await claimEvent(db, id, clock());
  if (!event) return "skipped";
  try {
    // A late retry or a replay must not bring back a redacted shop's data (docs/decisions/0017).
    if (event.topic !== "shop/redact" && (await isRedactedShop(db, event.shop))) {
      await markProcessed(db, id, clock(), REDACTED_SHOP_OUTCOME);
      return "processed";
    }
    let payload: unknown;
    try {
      payload = JSON.parse(event.payload);
    } catch {
      throw new PayloadError("stored payload is not JSON");
    }
    // What a handler could not do although it did the rest; kept with the event for the Sync page.
    const notes: string[] = [];
    const context = {
      db,
      shop: event.shop,
      topic: event.topic,
      payload,
      eventAt: event.triggeredAt ?? event.receivedAt,
      note: (message: string) => {
        if (!notes.includes(message)) notes.push(message);
      },
    };
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
    const keep = event.topic === "shop/redact" ? "redacted" : "processed";
    await markProcessed(db, id, clock(), notes.length ? notes.join(" ") : null, keep);
    return "processed";
  } catch (error) {
    // Retries are for what may pass (a busy database, the network); a payload the handler cannot
    // read or a topic it does not know fails the same way every time, so it is parked at once.
    return markFailed(db, id, event.attempts, error, clock(), failureKind(error) === "permanent");
  }
}
