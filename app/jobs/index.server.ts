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
 * While deliveries are arriving, the share of the CPU a job thread's handlers take. Higher than
 * in-process (DEFAULT_BUSY_SHARE): the intake has a thread of its own, so handlers only compete
 * for cores, not for the intake's event loop.
 */
export const THREAD_BUSY_SHARE = 0.2;

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
  const runner = (globalThis.__aftercareJobs = createRunner(Number(process.env.JOB_THREAD_BUSY_SHARE ?? THREAD_BUSY_SHARE)));
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
