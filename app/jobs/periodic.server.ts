import "../areas.server";
import { db } from "../db.server";

import { createScheduler, type Scheduler } from "./scheduler.server";

declare global {
  var __aftercareScheduler: Scheduler | undefined;
}

/** The process's scheduler for periodic tasks (web processes with RUN_JOBS_IN_WEB, and workers). */
export function scheduler(): Scheduler {
  globalThis.__aftercareScheduler ??= createScheduler(db(), {
    log: (message, error) => console.error(`[scheduler] ${message}`, error ?? ""),
  });
  return globalThis.__aftercareScheduler;
}
