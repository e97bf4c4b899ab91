import PgBoss from "pg-boss";

import type { Db } from "../db.server";
import { countUnfinishedEvents, dueEventIds, pruneProcessed } from "../models/webhook-inbox.server";

import { processEvent } from "./process-event.server";
import { DEFAULT_BUSY_SHARE, intakeFirst, type JobRunner } from "./runner.server";

const QUEUE = "webhook-events";

export interface PgBossRunnerOptions {
  connectionString: string;
  /** false in web processes that only record events (RUN_JOBS_IN_WEB=false). */
  work: boolean;
  sweepMs?: number;
  /** Events a worker runs at once; each holds a database connection while its handler runs. */
  batchSize?: number;
  /** See InProcessOptions.busyShare: matters only where this process also records deliveries. */
  busyShare?: number;
  log?: (message: string, error?: unknown) => void;
}

/**
 * pg-boss carries "run event X" messages between processes. The message is only a pointer: the
 * inbox row holds the payload and the state, and processEvent's claim makes a duplicate message
 * harmless. Workers also sweep the inbox for events whose message was lost.
 */
export function pgBossRunner(db: Db, options: PgBossRunnerOptions): JobRunner {
  const boss = new PgBoss({ connectionString: options.connectionString, max: 4, application_name: "aftercare-jobs" });
  const sweepMs = options.sweepMs ?? 10_000;
  let workerId: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const pacing = intakeFirst(options.busyShare ?? DEFAULT_BUSY_SHARE);
  const batchSize = options.batchSize ?? 5;

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
    const ids = await dueEventIds(db, options.batchSize ?? 200);
    for (const id of ids) await boss.send(QUEUE, { id }, { singletonKey: id, retryLimit: 0 });
  }

  return {
    start() {
      started ??= (async () => {
        await boss.start();
        await boss.createQueue(QUEUE);
        if (!options.work) return;
        workerId = await boss.work<{ id: string }>(
          QUEUE,
          // 5 at once leaves most of the Prisma pool (DATABASE_POOL_SIZE, 10) to the pages.
          { batchSize, pollingIntervalSeconds: 0.5 },
          async (jobs) => {
            await pacing.pace();
            const started = performance.now();
            await track(Promise.all(jobs.map((job) => processEvent(db, job.data.id))));
            pacing.ran(performance.now() - started);
            // A full batch means more are waiting: fetch again now rather than after the polling
            // interval, which would cap a worker at batchSize events per half second.
            if (jobs.length === batchSize && workerId) boss.notifyWorker(workerId);
          },
        );
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
