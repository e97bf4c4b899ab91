import type { Db } from "../db.server";
import { dueEventIds, pruneProcessed } from "../models/webhook-inbox.server";
import { processEvent } from "./process-event.server";

/**
 * Runs inbox events. One interface, two engines: in the web process on SQLite, and pg-boss on
 * PostgreSQL so that workers on other machines share the work. Either way the inbox table is the
 * source of truth: the runner is only told "look at event X", and a periodic sweep finds anything
 * that was recorded but never handed over (a crash between the 200 and the hand-over).
 */
export interface JobRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** An event was recorded; run it soon. Fire and forget. */
  enqueue(eventId: string): void;
  /** Resolves when nothing is due (tests and benchmarks). */
  idle(): Promise<void>;
}

export interface InProcessOptions {
  /** How often to look for due retries and abandoned events. */
  sweepMs?: number;
  batchSize?: number;
  log?: (message: string, error?: unknown) => void;
}

export function inProcessRunner(db: Db, options: InProcessOptions = {}): JobRunner {
  const sweepMs = options.sweepMs ?? 5_000;
  const batchSize = options.batchSize ?? 100;
  const queued = new Set<string>();
  let running = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | null = null;
  let sweepRequested = true;

  async function drain() {
    while (!stopped) {
      let ids: string[];
      if (queued.size > 0) {
        ids = [...queued].slice(0, batchSize);
        for (const id of ids) queued.delete(id);
      } else if (sweepRequested) {
        sweepRequested = false;
        ids = await dueEventIds(db, batchSize);
        if (ids.length === batchSize) sweepRequested = true;
      } else {
        return;
      }
      for (const id of ids) {
        if (stopped) return;
        try {
          await processEvent(db, id);
        } catch (error) {
          // The inbox could not be updated (database away): the sweep will find it again.
          options.log?.(`event ${id} could not be processed`, error);
          sweepRequested = true;
          return;
        }
      }
    }
  }

  function kick() {
    if (draining || stopped) return;
    draining = drain()
      .catch((error) => options.log?.("inbox sweep failed", error))
      .finally(() => {
        draining = null;
        if (!stopped && (queued.size > 0)) kick();
      });
  }

  return {
    async start() {
      if (running) return;
      running = true;
      stopped = false;
      sweepRequested = true;
      kick();
      timer = setInterval(() => {
        sweepRequested = true;
        kick();
      }, sweepMs);
      timer.unref();
      pruneTimer = setInterval(() => {
        pruneProcessed(db).catch((error) => options.log?.("inbox prune failed", error));
      }, 3_600_000);
      pruneTimer.unref();
    },
    async stop() {
      stopped = true;
      running = false;
      if (timer) clearInterval(timer);
      if (pruneTimer) clearInterval(pruneTimer);
      await draining;
    },
    enqueue(id) {
      queued.add(id);
      kick();
    },
    async idle() {
      while (draining || queued.size > 0) {
        await (draining ?? Promise.resolve());
        if (!draining && queued.size > 0) kick();
      }
    },
  };
}
