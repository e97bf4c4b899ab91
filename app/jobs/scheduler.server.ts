/**
 * Periodic work (delay detection, sending the outbox, pruning) for every area. Each task has a
 * row in ScheduledTask; a process runs a task only after winning a conditional update on that row,
 * so with any number of web and worker processes (SQLite or PostgreSQL) each task runs once per
 * period. A process that dies mid-task loses its lease after `leaseMs` and another takes over.
 * Tasks must still be idempotent: a lease can expire while a slow run goes on.
 */
import type { Db } from "../db.server";

export interface PeriodicTaskContext {
  db: Db;
  now: Date;
}

export interface PeriodicTask {
  /** Unique, stable: it is the row's key ("tracking.detect-delays"). */
  name: string;
  everyMs: number;
  /** How long a run may take before another process may start it again (default 5 minutes). */
  leaseMs?: number;
  run(ctx: PeriodicTaskContext): Promise<unknown>;
}

const registry = new Map<string, PeriodicTask>();

/** Adds a task to every scheduler in this process (called at module load by each area). */
export function registerPeriodicTask(task: PeriodicTask) {
  if (task.everyMs < 1000) throw new RangeError(`${task.name}: a period shorter than a second is not a schedule`);
  registry.set(task.name, task);
}

export function periodicTasks(): PeriodicTask[] {
  return [...registry.values()];
}

type Log = (message: string, error?: unknown) => void;

async function claim(db: Db, task: PeriodicTask, now: Date): Promise<boolean> {
  try {
    await db.scheduledTask.upsert({
      where: { name: task.name },
      create: { name: task.name, nextRunAt: now },
      update: {},
    });
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
  }
  const { count } = await db.scheduledTask.updateMany({
    where: { name: task.name, nextRunAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: {
      lockedUntil: new Date(now.getTime() + (task.leaseMs ?? 300_000)),
      nextRunAt: new Date(now.getTime() + task.everyMs),
    },
  });
  return count === 1;
}

/** Runs every due task this process wins; returns the names it ran. */
export async function runDueTasks(
  db: Db,
  now: Date,
  options: { tasks?: PeriodicTask[]; log?: Log; clock?: () => Date } = {},
): Promise<string[]> {
  const ran: string[] = [];
  for (const task of options.tasks ?? periodicTasks()) {
    if (!(await claim(db, task, now))) continue;
    let lastError: string | null = null;
    try {
      await task.run({ db, now });
    } catch (error) {
      lastError = (error as Error).message?.slice(0, 1000) ?? String(error);
      options.log?.(`periodic task ${task.name} failed`, error);
    }
    await db.scheduledTask.update({
      where: { name: task.name },
      data: { lockedUntil: null, lastRunAt: (options.clock ?? (() => new Date()))(), lastError },
    });
    ran.push(task.name);
  }
  return ran;
}

export interface Scheduler {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One pass now (tests, and a nudge after work is enqueued). */
  tick(): Promise<string[]>;
}

export function createScheduler(
  db: Db,
  options: { tickMs?: number; log?: Log; clock?: () => Date; tasks?: () => PeriodicTask[] } = {},
): Scheduler {
  const clock = options.clock ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<string[]> | null = null;

  function tick() {
    // One pass at a time per process; a tick during a pass waits for it.
    running ??= runDueTasks(db, clock(), { tasks: options.tasks?.(), log: options.log, clock })
      .catch((error) => {
        options.log?.("scheduler pass failed", error);
        return [] as string[];
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    async start() {
      if (timer) return;
      // tick() never rejects: a failed pass is logged.
      timer = setInterval(tick, options.tickMs ?? 5_000);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
    tick,
  };
}
