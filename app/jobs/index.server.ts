import { db } from "../db.server";
import { databaseKind, env } from "../env.server";
import { pgBossRunner } from "./pg-boss-runner.server";
import { inProcessRunner, type JobRunner } from "./runner.server";

declare global {
  var __aftercareJobs: JobRunner | undefined;
}

const log = (message: string, error?: unknown) => console.error(`[jobs] ${message}`, error ?? "");

/** The process's job runner, chosen by the database: in-process on SQLite, pg-boss on PostgreSQL. */
export function jobs(): JobRunner {
  if (!globalThis.__aftercareJobs) {
    const config = env();
    globalThis.__aftercareJobs =
      databaseKind(config.DATABASE_URL) === "sqlite"
        ? inProcessRunner(db(), { log })
        : pgBossRunner(db(), { connectionString: config.DATABASE_URL, work: config.RUN_JOBS_IN_WEB, log });
  }
  return globalThis.__aftercareJobs;
}
