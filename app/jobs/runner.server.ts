import type { Db } from "../db.server";
import { dueEffectIds, dueEventIds, pruneProcessed } from "../models/webhook-inbox.server";

import { processEvents, runEffects } from "./process-event.server";

/** Events a runner takes in one mirror batch (one transaction; about 0.1 s of SQLite's lock at 400). */
export const MIRROR_BATCH = 400;
/** The most events whose effects run as one batch (a shop's settings read once, keyed listeners once). */
const EFFECTS_BATCH = 50;
/** The longest an effects batch is planned to take, even when nothing waits for the mirror. */
const EFFECTS_SLICE_MS = 100;
/** Effects get at least this long after each mirror batch, however short the batch was. */
const EFFECTS_MIN_MS = 5;
/** Mirrored events a runner keeps in memory for their effects; the sweep finds any beyond. */
const EFFECTS_HELD = 20_000;

/**
 * Runs inbox events. One interface, two engines: in the web process on SQLite, and pg-boss on
 * PostgreSQL so that workers on other machines share the work. Either way the inbox table is the
 * source of truth: the runner is only told "look at event X", and a periodic sweep finds anything
 * that was recorded but never handed over (a crash between the 200 and the hand-over).
 */
export interface JobRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * An event was recorded; run it soon. Fire and forget. `intakeBusy`: the share of its time the
   * intake's thread was busy lately (0-1), when the intake runs on another thread; left out when
   * the caller is that thread itself.
   */
  enqueue(eventId: string, intakeBusy?: number): void;
  /** Resolves when nothing is due (tests and benchmarks). */
  idle(): Promise<void>;
}

export interface InProcessOptions {
  /** How often to look for due retries and abandoned events. */
  sweepMs?: number;
  batchSize?: number;
  /**
   * While deliveries are arriving, the share of the process's time handlers may take (0-1]. The
   * web process answers Shopify and runs the handlers on one event loop; a handler holds the loop
   * for its whole run (SQLite calls are synchronous), so without this a burst of deliveries waits
   * behind the handlers of the previous ones. Intake first: the inbox already holds the events.
   */
  busyShare?: number;
  log?: (message: string, error?: unknown) => void;
}

/** A delivery recorded within this long means Shopify is sending: handlers step back. */
const INTAKE_BUSY_MS = 50;
/**
 * Handlers step back only while the intake's thread is busy at least this share of its time. Below
 * it the intake has time to spare, and a handler on another thread takes nothing it needs: held
 * back anyway, the mirror would fall behind a steady stream the intake handles with ease (a shop
 * sending 30 deliveries a second keeps the intake 1% busy, and at a share of 0.05 handlers of a few
 * milliseconds would do fewer than that).
 */
export const INTAKE_SATURATED = 0.5;
/** The longest pause between two handler runs, however costly the last one was. */
const MAX_REST_MS = 1_000;
/**
 * Intake first, but not at any cost to freshness: a rest never lets the oldest event waiting for
 * the mirror pass this age. At a flash sale's steady rate the intake's thread can be busy half its
 * time, and resting to a 5% share held the mirror to a few hundred events a second while its
 * backlog aged past the 2-second target (decision 0030); with the bound the mirror keeps pace and
 * the intake still goes first whenever the mirror is fresh.
 */
export const FRESHNESS_BOUND_MS = 750;

/**
 * Freshness is out of reach while deliveries arrive faster than the mirror could apply them on this
 * many cores of its own (arrivals per second × the mirror's recent milliseconds per event / 1000):
 * the backlog then grows whatever the handlers do, so the mirror holds back while deliveries keep
 * coming (FLOOD_HOLD_MS) and works the backlog off as soon as the burst eases (decision 0030,
 * fourth and fifth rounds). One and a half cores: the intake needs one of the two, and the cost
 * per event read while the intake holds the cores runs up to twice its quiet value, so at one core
 * a single sender's 1,800 deliveries a second read as a flood at times. A flash sale's steady
 * stream (1,000–2,000 events/s at about 0.4 ms of mirror an event, 0.4–0.9 of a core) stays below
 * it and keeps the bound; a closed-loop flood of 4,000+ deliveries a second is above it.
 */
export const FRESHNESS_OUT_OF_REACH = 1.5;
/**
 * In a flood the mirror waits while deliveries keep coming, up to this long between two runs (each
 * run cut to MIRROR_SLICE_MS): about 2% of the time, as the 5% share gave before. What the mirror
 * took from the intake was the database's write lock, which each of its transactions holds from
 * the start; runs of 100-200 ms cost the intake a quarter of its rate (decision 0030, fifth round).
 * A sustained flood grows the backlog, which /healthz reports (add workers on PostgreSQL).
 */
const FLOOD_HOLD_MS = 2_000;
/** While deliveries arrive, a mirror batch is cut to what takes about this long (mirrorBatch). */
const MIRROR_SLICE_MS = 40;
/** Arrivals are counted over windows of at least this long to give the arrival rate. */
const ARRIVAL_WINDOW_MS = 100;
/**
 * Only batches of at least this many events tell the mirror's cost per event: a small batch is
 * mostly its transaction's fixed cost, and batches run while the intake holds the cores measure
 * the wait for a core; either would make a steady stream look like a flood.
 */
const MIN_COST_SAMPLE_EVENTS = 50;

/**
 * Intake first, for runners that share a process with the webhook intake. note() is called for
 * every recorded delivery (with how busy the intake's thread is, when that is another thread),
 * pace() before each handler run (or batch), ran() after it with its duration (and, for a mirror
 * batch, its events). pace() lets waiting I/O (deliveries to read and answer) go first and, while
 * deliveries keep coming and the intake's thread is busy (INTAKE_SATURATED), rests so that
 * handlers take about `share` of the time. The rest is bounded, so the mirror always advances, only
 * more slowly during a burst; in a process that receives no deliveries (a worker) it never rests.
 */
export function intakeFirst(share: number) {
  const busyShare = Math.min(1, Math.max(0.05, share));
  let lastIntakeAt = -Infinity;
  let intakeBusy = 1;
  let lastRunMs = 0;
  let arrivals = 0;
  let windowStart = -Infinity;
  let arrivalsPerS = 0;
  let mirrorMsPerEvent: number | undefined;
  /** Whether the current arrivals outrun what the mirror could apply on FRESHNESS_OUT_OF_REACH cores. */
  const freshnessOutOfReach = () =>
    mirrorMsPerEvent !== undefined &&
    performance.now() - lastIntakeAt <= INTAKE_BUSY_MS &&
    (arrivalsPerS * mirrorMsPerEvent) / 1000 > FRESHNESS_OUT_OF_REACH;
  return {
    /** `busy`: the intake thread's busy share; 1 when the handlers share the intake's own thread. */
    note(busy = 1) {
      const now = performance.now();
      // A pause longer than a window starts the count afresh: the rate is of the current burst.
      if (now - lastIntakeAt > ARRIVAL_WINDOW_MS) {
        arrivals = 0;
        windowStart = now;
        arrivalsPerS = 0;
      }
      arrivals++;
      if (now - windowStart >= ARRIVAL_WINDOW_MS) {
        arrivalsPerS = (arrivals * 1000) / (now - windowStart);
        arrivals = 0;
        windowStart = now;
      }
      lastIntakeAt = now;
      intakeBusy = busy;
    },
    /** `events`: the mirror batch's events, so that its cost per event is known; omitted for effects. */
    ran(ms: number, events?: number) {
      lastRunMs = ms;
      if (events && events >= MIN_COST_SAMPLE_EVENTS) {
        const sample = ms / events;
        mirrorMsPerEvent = mirrorMsPerEvent === undefined ? sample : mirrorMsPerEvent * 0.7 + sample * 0.3;
      }
    },
    freshnessOutOfReach,
    /**
     * How many events the mirror's next batch takes: while deliveries are arriving, what fits
     * MIRROR_SLICE_MS at its recent cost (at least MIN_COST_SAMPLE_EVENTS), so its transaction holds
     * the database's write lock, which each delivery's insert waits for, only briefly; else `max`.
     */
    mirrorBatch(max: number): number {
      if (mirrorMsPerEvent === undefined || performance.now() - lastIntakeAt > INTAKE_BUSY_MS) return max;
      return Math.min(max, Math.max(MIN_COST_SAMPLE_EVENTS, Math.floor(MIRROR_SLICE_MS / mirrorMsPerEvent)));
    },
    /** `waitingSince`: when the oldest event of the work about to run was handed over (performance.now()). */
    async pace(waitingSince?: number) {
      await new Promise((resolve) => setImmediate(resolve));
      const started = performance.now();
      if (busyShare >= 1 || started - lastIntakeAt > INTAKE_BUSY_MS) return;
      // In a flood the intake goes first however busy its thread looks: it shares the cores with
      // whoever sends, and the mirror's backlog grows anyway (decision 0030, fifth round).
      if (!freshnessOutOfReach() && intakeBusy < INTAKE_SATURATED) return;
      const shareBudget = Math.min(MAX_REST_MS, (lastRunMs * (1 - busyShare)) / busyShare);
      // The rest is taken in slices of an arrival window, each checking again whether deliveries
      // still come and whether they still outrun the mirror: when they stop, the rest ends.
      for (;;) {
        const now = performance.now();
        if (now - lastIntakeAt > INTAKE_BUSY_MS) return;
        const flood = freshnessOutOfReach();
        // With nothing waiting, the bound still caps the rest: events arriving during it wait for it.
        const fresh = flood ? Infinity : FRESHNESS_BOUND_MS - (waitingSince === undefined ? 0 : now - waitingSince);
        const rest = Math.min((flood ? FLOOD_HOLD_MS : shareBudget) - (now - started), fresh);
        if (rest < 1) return;
        await new Promise((resolve) => setTimeout(resolve, Math.min(rest, ARRIVAL_WINDOW_MS)));
      }
    },
  };
}

/**
 * How many events' effects fit a time budget (at most EFFECTS_SLICE_MS), from their recent cost per
 * event (a moving average, since it varies with the shop's settings and the events' kinds); at
 * least one event, so effects always advance, and a full batch before the cost is known.
 */
export function effectsPacer(maxBatch = EFFECTS_BATCH) {
  let msPerEvent: number | undefined;
  return {
    batchFor(budgetMs: number): number {
      if (msPerEvent === undefined) return maxBatch;
      // Unbounded, a batch still ends within EFFECTS_SLICE_MS, so an event arriving meanwhile waits
      // no longer than that for the mirror.
      const ms = Math.min(budgetMs, EFFECTS_SLICE_MS);
      return Math.max(1, Math.min(maxBatch, Math.floor(ms / Math.max(msPerEvent, 0.01))));
    },
    ran(events: number, ms: number) {
      if (events <= 0) return;
      const sample = ms / events;
      msPerEvent = msPerEvent === undefined ? sample : msPerEvent * 0.7 + sample * 0.3;
    },
  };
}

/** While Shopify is sending, the share of the web process's time handlers get by default. */
export const DEFAULT_BUSY_SHARE = 0.1;

export function inProcessRunner(db: Db, options: InProcessOptions = {}): JobRunner {
  const sweepMs = options.sweepMs ?? 5_000;
  const batchSize = options.batchSize ?? MIRROR_BATCH;
  const pacing = intakeFirst(options.busyShare ?? DEFAULT_BUSY_SHARE);
  // Events handed over and not yet taken, with when (insertion order: the oldest first).
  const queued = new Map<string, number>();
  // Mirrored events whose effects are to run; past EFFECTS_HELD the sweep finds the rest in the inbox.
  const effects = new Set<string>();
  let running = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | null = null;
  let sweepRequested = true;

  const effectsCost = effectsPacer();
  const oldestWaiting = (): number | undefined => queued.values().next().value;

  /**
   * Effects for up to `budgetMs`, the mirror's share kept first: while events wait for the mirror,
   * each batch is cut to what fits the budget at the effects' recent cost per event (at least one
   * event), so a batch of slow effects cannot take the mirror's time.
   */
  async function effectsFor(budgetMs: number) {
    const until = performance.now() + budgetMs;
    do {
      const ids = [...effects].slice(0, effectsCost.batchFor(until - performance.now()));
      if (ids.length === 0) return;
      for (const id of ids) effects.delete(id);
      // Right after a mirror batch (a finite budget) its effects are part of that run: the rest
      // before the batch covered them, and a second one would halve the mirror's turns in a flood.
      // Otherwise resting before effects delays the mirror's next batch too: the same freshness bound.
      if (budgetMs === Infinity) await pacing.pace(oldestWaiting());
      const started = performance.now();
      await runEffects(db, ids);
      const took = performance.now() - started;
      pacing.ran(took);
      effectsCost.ran(ids.length, took);
      // With no budget set (nothing was waiting for the mirror), events that arrived meanwhile end
      // it: effects could otherwise hold them back for as long as all effects take.
      // eslint-disable-next-line no-unmodified-loop-condition -- stop() sets it while this loop awaits
    } while (!stopped && performance.now() < until && !(budgetMs === Infinity && queued.size > 0));
  }

  async function drain() {
    // eslint-disable-next-line no-unmodified-loop-condition -- stop() sets it while this loop awaits
    while (!stopped) {
      let ids: string[];
      let waitingSince: number | undefined;
      if (queued.size > 0) {
        ids = [];
        const take = pacing.mirrorBatch(batchSize);
        for (const [id, at] of queued) {
          if (ids.length === take) break;
          waitingSince ??= at;
          ids.push(id);
        }
        for (const id of ids) queued.delete(id);
      } else if (sweepRequested) {
        sweepRequested = false;
        // A backlog found by the sweep (after a restart, say) is taken in short transactions too.
        const take = pacing.mirrorBatch(batchSize);
        ids = await dueEventIds(db, take);
        for (const id of await dueEffectIds(db, EFFECTS_HELD - effects.size)) effects.add(id);
        // Only ever set to true here, so a request made during the await is never lost.
        // eslint-disable-next-line require-atomic-updates -- see above
        if (ids.length === take) sweepRequested = true;
      } else if (effects.size > 0) {
        await effectsFor(Infinity);
        continue;
      } else {
        return;
      }
      if (ids.length === 0) continue;
      await pacing.pace(waitingSince);
      if (stopped) return;
      const started = performance.now();
      try {
        const outcome = await processEvents(db, ids);
        const took = performance.now() - started;
        pacing.ran(took, ids.length);
        for (const id of outcome.effectsDue) if (effects.size < EFFECTS_HELD) effects.add(id);
        // The mirror first: while events wait for it, effects get a quarter of its time; else all.
        await effectsFor(queued.size > 0 ? Math.max(EFFECTS_MIN_MS, took / 4) : Infinity);
      } catch (error) {
        // The inbox could not be updated (database away): the sweep will find them again.
        options.log?.(`events could not be processed`, error);
        // eslint-disable-next-line require-atomic-updates -- only ever set to true (see above)
        sweepRequested = true;
        return;
      }
    }
  }

  function kick() {
    if (draining || stopped) return;
    draining = drain()
      .catch((error) => options.log?.("inbox sweep failed", error))
      .finally(() => {
        draining = null;
        if (!stopped && (queued.size > 0 || effects.size > 0)) kick();
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
    enqueue(id, intakeBusy) {
      pacing.note(intakeBusy);
      if (!queued.has(id)) queued.set(id, performance.now());
      kick();
    },
    async idle() {
      while (draining || queued.size > 0 || effects.size > 0) {
        await (draining ?? Promise.resolve());
        if (!draining && (queued.size > 0 || effects.size > 0)) kick();
      }
    },
  };
}
