import type { Db } from "../db.server";
import { isSqliteDb } from "../db.server";
import { applyMirrorChangesTx, ordersOf, type MirrorChange } from "../models/mirror-batch.server";
import {
  claimEvent,
  claimEvents,
  finishMirrorTx,
  markEffectsDone,
  markEffectsFailed,
  markFailed,
  markProcessed,
  type ClaimedEvent,
} from "../models/webhook-inbox.server";
import { isRedactedShop } from "../services/compliance.server";
import {
  effectsBatch,
  handleWebhook,
  hasListeners,
  listenerRuns,
  mirrorChangeOf,
  type WebhookContext,
} from "../webhooks/handlers.server";
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
  return runClaimedEvent(db, event, clock);
}

/** processEvent once the event is claimed: its handler and listeners in one go, then its outcome. */
async function runClaimedEvent(
  db: Db,
  event: Pick<ClaimedEvent, "id" | "shop" | "topic" | "payload" | "triggeredAt" | "receivedAt" | "attempts">,
  clock: () => Date,
): Promise<ProcessOutcome> {
  const { id } = event;
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

/** What a batch left to do: events whose mirror change is in and whose effects are still to run. */
export interface BatchOutcome {
  /** Events whose change the mirror holds now (with or without effects to run). */
  mirrored: number;
  /** Of those, the events with effects to run (status mirrored), for runEffects. */
  effectsDue: string[];
  /** Events run one by one (topics outside the mirror batch, or a batch that failed). */
  single: number;
}

/**
 * Runs many inbox events: the mirror changes of all of them in one transaction (set-based writes,
 * models/mirror-batch.server.ts) and each event marked in the same transaction, so each change is
 * applied exactly once; events of other topics (returns, compliance, app/*) and any event of a batch
 * that fails run one by one as processEvent runs them. Effects are left to runEffects
 * (docs/decisions/0030-keeping-up-at-peak.md). Safe for the same ids in several workers at once:
 * the claim lets one in.
 */
export async function processEvents(
  db: Db,
  ids: ReadonlyArray<string>,
  clock: () => Date = () => new Date(),
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { mirrored: 0, effectsDue: [], single: 0 };
  // In the order they arrived (an UPDATE … RETURNING gives its rows in any order).
  const position = new Map(ids.map((id, i) => [id, i]));
  const claimed = (await claimEvents(db, ids, clock())).sort(
    (a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || position.get(a.id)! - position.get(b.id)!,
  );
  if (claimed.length === 0) return outcome;
  const redacted = new Map<string, boolean>();
  const batch: { event: ClaimedEvent; change: MirrorChange }[] = [];
  const single: ClaimedEvent[] = [];
  for (const event of claimed) {
    if (event.topic !== "shop/redact") {
      if (!redacted.has(event.shop)) redacted.set(event.shop, await isRedactedShop(db, event.shop));
      if (redacted.get(event.shop)) {
        await markProcessed(db, event.id, clock(), REDACTED_SHOP_OUTCOME);
        continue;
      }
    }
    let change: MirrorChange | null;
    try {
      change = mirrorChangeOf(event.topic, JSON.parse(event.payload));
    } catch {
      // Unreadable: the one-by-one path parks it with its reason.
      change = null;
    }
    if (change) batch.push({ event, change });
    else single.push(event);
  }
  if (batch.length > 0) {
    try {
      await applyBatch(db, batch, clock());
      outcome.mirrored += batch.length;
      for (const { event } of batch) if (hasListeners(event.topic)) outcome.effectsDue.push(event.id);
    } catch {
      // One event the batch cannot take must not hold back the others: each on its own, with its
      // own outcome, retries and parking.
      single.unshift(...batch.map((b) => b.event));
    }
  }
  for (const event of single) {
    outcome.single++;
    await runClaimedEvent(db, event, clock);
  }
  return outcome;
}

async function applyBatch(db: Db, batch: { event: ClaimedEvent; change: MirrorChange }[], now: Date) {
  const byShop = new Map<string, MirrorChange[]>();
  for (const { event, change } of batch) {
    const list = byShop.get(event.shop) ?? [];
    list.push(change);
    byShop.set(event.shop, list);
  }
  const done = batch.map(({ event }) => ({
    id: event.id,
    status: hasListeners(event.topic) ? ("mirrored" as const) : ("processed" as const),
  }));
  const postgres = !isSqliteDb(db);
  const orderKeys = postgres
    ? [...new Set(batch.flatMap(({ event, change }) => ordersOf(change).map((o) => orderLockKey(event.shop, o))))]
    : [];
  for (let attempt = 1; ; attempt++) {
    try {
      await db.$transaction(
        async (tx) => {
          // PostgreSQL: one order's events are applied by one worker at a time (decision 0030).
          if (postgres) {
            await tx.$executeRawUnsafe(
              `SELECT count(pg_advisory_xact_lock(k))
               FROM (SELECT k FROM unnest($1::bigint[]) AS k ORDER BY k) AS keys`,
              orderKeys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String),
            );
          }
          for (const [shop, changes] of byShop) await applyMirrorChangesTx(tx, shop, changes);
          await finishMirrorTx(tx, done, now);
        },
        { timeout: 60_000, maxWait: 60_000 },
      );
      return;
    } catch (error) {
      if (attempt >= 3 || !isWriteConflict(error)) throw error;
    }
  }
}

/** A 63-bit advisory lock key for a shop's order (FNV-1a over the text). */
function orderLockKey(shop: string, order: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const ch of `${shop}\u0000${order}`) {
    hash ^= BigInt(ch.codePointAt(0)!);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, hash >> 1n);
}

/**
 * The effects of mirrored events (loyalty points, tracking and its emails): each event's listeners,
 * with their own retries and parking, so a slow or failing effect never holds the mirror back. The
 * events of one call share what they can: a keyed listener (a shipment's tracking, an order's
 * points taken back) runs once per key, at the last event with that key, and a shop's settings are
 * read once (docs/decisions/0030-keeping-up-at-peak.md).
 */
export async function runEffects(db: Db, ids: ReadonlyArray<string>, clock: () => Date = () => new Date()) {
  const claimed = await claimEvents(db, ids, clock(), "effects");
  // In the order they arrived, as the mirror applied them.
  const position = new Map(ids.map((id, i) => [id, i]));
  claimed.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || position.get(a.id)! - position.get(b.id)!);
  const batch = effectsBatch();
  const events: { event: ClaimedEvent; context: WebhookContext; notes: string[] }[] = [];
  for (const event of claimed) {
    const notes: string[] = [];
    try {
      events.push({
        event,
        notes,
        context: {
          db,
          shop: event.shop,
          topic: event.topic,
          payload: JSON.parse(event.payload),
          eventAt: event.triggeredAt ?? event.receivedAt,
          now: clock(),
          batch,
          note: (message: string) => {
            if (!notes.includes(message)) notes.push(message);
          },
        },
      });
    } catch (error) {
      await markEffectsFailed(db, event.id, event.attempts, error, clock(), failureKind(error) === "permanent");
    }
  }
  const runs = await listenerRuns(events.map((e) => e.context));
  const done: string[] = [];
  for (const [index, { event, notes }] of events.entries()) {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          for (const run of runs[index]) await run();
          break;
        } catch (error) {
          if (attempt >= 3 || !isWriteConflict(error)) throw error;
        }
      }
      if (notes.length) await markEffectsDone(db, [event.id], notes.join(" "));
      else done.push(event.id);
    } catch (error) {
      await markEffectsFailed(db, event.id, event.attempts, error, clock(), failureKind(error) === "permanent");
    }
  }
  await markEffectsDone(db, done);
  return claimed.length;
}
