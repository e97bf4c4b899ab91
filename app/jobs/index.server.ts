import type { MessagePort, Worker } from "node:worker_threads";

import { db } from "../db.server";
import { databaseKind, env } from "../env.server";

import { scheduler } from "./periodic.server";
import { pgBossRunner } from "./pg-boss-runner.server";
import { DEFAULT_BUSY_SHARE, inProcessRunner, type JobRunner } from "./runner.server";
import { serveJobThread, threadRunner } from "./thread.server";

declare global {
  var __aftercareJobs: JobRunner | undefined;
}

const log = (message: string, error?: unknown) => console.error(`[jobs] ${message}`, error ?? "");

/**
 * While deliveries are arriving and the intake's thread is busy (runner.server.ts,
 * INTAKE_SATURATED), the share of the time a job thread's handlers take. Whenever the intake has
 * time to spare they run at full speed; when it has none, every core-millisecond they take comes
 * out of the intake and its callers on a two-core machine: at 0.2 instead of 0.05 the intake's
 * thread waited for a core 50-60 µs per delivery instead of ~38 at concurrency 1, and answered
 * about 4 points of the ceiling fewer (docs/decisions/0004-webhook-intake-performance.md).
 */
export const THREAD_BUSY_SHARE = 0.05;

function createRunner(busyShare: number): JobRunner {
  const config = env();
  return databaseKind(config.DATABASE_URL) === "sqlite"
    ? inProcessRunner(db(), { log, busyShare })
    : pgBossRunner(db(), { connectionString: config.DATABASE_URL, work: config.RUN_JOBS_IN_WEB, log, busyShare });
}

/** The process's job runner, chosen by the database: in-process on SQLite, pg-boss on PostgreSQL. */
export function jobs(): JobRunner {
  globalThis.__aftercareJobs ??= createRunner(DEFAULT_BUSY_SHARE);
  return globalThis.__aftercareJobs;
}

/** This thread hands its events to a job thread made by `spawn` (see thread.server.ts). */
export function relayJobsTo(spawn: () => Worker) {
  if (globalThis.__aftercareJobs) throw new Error("jobs() was used before the job thread was set up");
  globalThis.__aftercareJobs = threadRunner(spawn, log);
}

/** The job thread's entry: this thread's runner and periodic tasks, serving the main thread. */
export function runJobThread(port: MessagePort) {
  const runner = createRunner(Number(process.env.JOB_THREAD_BUSY_SHARE ?? THREAD_BUSY_SHARE));
  globalThis.__aftercareJobs = runner;
  return serveJobThread(port, {
    runner,
    async start() {
      await runner.start();
      await scheduler().start();
    },
    async stop() {
      await scheduler().stop();
      await runner.stop();
      await db().$disconnect();
    },
  });
}
