import pg from "pg";
import PgBoss from "pg-boss";

import type { Db } from "../db.server";
import { countUnfinishedEvents, dueEffectIds, dueEventIds, pruneProcessed } from "../models/webhook-inbox.server";

import { processEvents, runEffects } from "./process-event.server";
import { DEFAULT_BUSY_SHARE, intakeFirst, MIRROR_BATCH, type JobRunner } from "./runner.server";

const QUEUE = "webhook-events";

export interface PgBossRunnerOptions {
  connectionString: string;
  /** false in web processes that only record events (RUN_JOBS_IN_WEB=false). */
  work: boolean;
  sweepMs?: number;
  /** Events a worker takes from pg-boss at once and applies to the mirror in one transaction. */
  batchSize?: number;
  /** See InProcessOptions.busyShare: matters only where this process also records deliveries. */
  busyShare?: number;
  log?: (message: string, error?: unknown) => void;
}

/** The advisory lock key (the bytes of "after" and "c") every process takes for its start-up, in turn. */
const START_LOCK = "107092667363939";

/**
 * Runs `work` while holding a PostgreSQL advisory lock that every Aftercare process takes for its
 * start-up. pg-boss creating its schema and queue from several processes at once (a deployment's
 * web and worker processes starting together) deadlocks in PostgreSQL; one after another it does
 * not. The lock is a session lock on a connection of its own, so it goes with the connection
 * should the process die holding it.
 */
export async function oneProcessAtATime<T>(connectionString: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: "aftercare-start" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1::bigint)", [START_LOCK]);
    return await work();
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * pg-boss carries "run event X" messages between processes. The message is only a pointer: the
 * inbox row holds the payload and the state, and the claim makes a duplicate message harmless.
 * A worker takes up to `batchSize` messages at once and applies them as one mirror batch
 * (processEvents; one order's events by one worker at a time, decision 0030), then runs their
 * effects in the background while it takes the next batch. Workers also sweep the inbox for events
 * whose message was lost and for mirrored events whose effects are due.
 */
export function pgBossRunner(db: Db, options: PgBossRunnerOptions): JobRunner {
  const boss = new PgBoss({ connectionString: options.connectionString, max: 4, application_name: "aftercare-jobs" });
  const sweepMs = options.sweepMs ?? 10_000;
  let workerId: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const pacing = intakeFirst(options.busyShare ?? DEFAULT_BUSY_SHARE);
  const batchSize = options.batchSize ?? MIRROR_BATCH;
  // Effects of the batches this worker mirrored, run one after another beside the mirror.
  const effects = new Set<string>();
  let effectsRunning: Promise<void> | null = null;
  let mirroring = 0;
  function runEffectsSoon() {
    if (effectsRunning || effects.size === 0) return;
    effectsRunning = (async () => {
      while (effects.size > 0) {
        // The mirror first: effects wait while this worker applies a batch.
        // eslint-disable-next-line no-unmodified-loop-condition -- the batch's handler changes it meanwhile
        while (mirroring > 0) await new Promise((resolve) => setTimeout(resolve, 2));
        const ids = [...effects].slice(0, 50);
        for (const id of ids) effects.delete(id);
        await runEffects(db, ids);
      }
    })()
      .catch((error) => options.log?.("effects failed; the sweep will find them", error))
      .finally(() => {
        effectsRunning = null;
        runEffectsSoon();
      });
    track(effectsRunning);
  }

  boss.on("error", (error) => options.log?.("pg-boss error", error));

  function track<T>(p: Promise<T>) {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  }

  let sweeps = 0;
  async function sweep() {
    // About once an hour, forget processed events older than the dedup window.
    if (sweeps++ % Math.max(1, Math.round(3_600_000 / sweepMs)) === 0) await pruneProcessed(db);
    const ids = await dueEventIds(db, 1_000);
    for (const id of ids) await boss.send(QUEUE, { id }, { singletonKey: id, retryLimit: 0 });
    if (options.work && effects.size < 20_000) {
      for (const id of await dueEffectIds(db, 1_000)) effects.add(id);
      runEffectsSoon();
    }
  }

  return {
    start() {
      started ??= (async () => {
        await oneProcessAtATime(options.connectionString, async () => {
          await boss.start();
          await boss.createQueue(QUEUE);
        });
        if (!options.work) return;
        workerId = await boss.work<{ id: string }>(QUEUE, { batchSize, pollingIntervalSeconds: 0.5 }, async (jobs) => {
          await pacing.pace();
          const started = performance.now();
          mirroring++;
          const outcome = await track(
            processEvents(
              db,
              jobs.map((job) => job.data.id),
            ),
          ).finally(() => mirroring--);
          pacing.ran(performance.now() - started);
          for (const id of outcome.effectsDue) effects.add(id);
          runEffectsSoon();
          // A full batch means more are waiting: fetch again now rather than after the polling
          // interval, which would cap a worker at batchSize events per half second.
          if (jobs.length === batchSize && workerId) boss.notifyWorker(workerId);
        });
        await track(sweep());
        timer = setInterval(() => track(sweep()).catch((e) => options.log?.("inbox sweep failed", e)), sweepMs);
        timer.unref();
      })();
      return started;
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (!started) return;
      await started.catch(() => {});
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
    enqueue(id, intakeBusy) {
      pacing.note(intakeBusy);
      track(
        (started ?? Promise.resolve())
          .then(() => boss.send(QUEUE, { id }, { singletonKey: id, retryLimit: 0 }))
          .then(() => {
            if (workerId) boss.notifyWorker(workerId);
          }),
      ).catch((error) => options.log?.(`event ${id} not queued; the sweep will find it`, error));
    },
    async idle() {
      await started;
      for (;;) {
        if (inFlight.size > 0) {
          await Promise.allSettled([...inFlight]);
          continue;
        }
        const pending = await countUnfinishedEvents(db);
        if (pending === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
