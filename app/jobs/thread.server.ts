/**
 * The job thread: in a production web process, the webhook handlers, the inbox sweep and the
 * periodic tasks run in a worker thread of their own, and the main thread only answers requests
 * (docs/decisions/0011-job-thread.md). A handler is tens of milliseconds of synchronous work
 * (SQLite calls, Prisma's query compiler); on the main thread every delivery and every page waited
 * behind it. The thread loads the same build and runs the same runner it would run in-process;
 * the main thread passes it only event ids, so nothing is lost if the thread dies: the inbox holds
 * every event and the restarted thread's sweep finds what was not done.
 */
import { performance } from "node:perf_hooks";
import type { MessagePort, Worker } from "node:worker_threads";

import type { JobRunner } from "./runner.server";

/** Main thread → job thread. */
type ToThread =
  /** intakeBusy: the share of the time since the previous hand-over that the main thread was busy. */
  { type: "enqueue"; ids: string[]; intakeBusy: number } | { type: "idle"; ask: number } | { type: "stop" };
/** Job thread → main thread. */
type FromThread =
  { type: "started" } | { type: "idle"; ask: number } | { type: "stopped" } | { type: "failed"; message: string };

/**
 * While deliveries stream in, event ids reach the job thread at most this often, in one message.
 * A message per delivery cost the intake's thread more than the hand-over is worth: during a
 * burst the job thread rests most of the time anyway (intake first, runner.server.ts), and a quiet
 * delivery is still handed over at once.
 */
const HAND_OVER_INTERVAL_MS = 10;

/** Restarts of a thread that keeps dying are spaced out up to this. */
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The main thread's side: a JobRunner whose work happens in a thread made by `spawn`. If the
 * thread dies it is started again (after a growing pause when it dies young), and ids sent to a
 * dead thread are simply picked up by the new thread's sweep.
 */
export function threadRunner(
  spawn: () => Worker,
  log: (message: string, error?: unknown) => void = () => {},
): JobRunner {
  let worker: Worker | undefined;
  let stopping = false;
  let restartDelay = 500;
  let asks = 0;
  const waiting = new Map<number, () => void>();
  let started: Promise<void> | undefined;

  function launch(): Promise<void> {
    const thread = spawn();
    worker = thread;
    const bornAt = Date.now();
    return new Promise<void>((resolve, reject) => {
      let up = false;
      thread.on("message", (message: FromThread) => {
        if (message.type === "started") {
          up = true;
          resolve();
        } else if (message.type === "idle") {
          waiting.get(message.ask)?.();
          waiting.delete(message.ask);
        } else if (message.type === "stopped") {
          // Its work is finished and its connections closed; open handles must not keep it alive.
          thread.terminate().catch((error) => log("job thread: could not terminate", error));
        } else if (message.type === "failed") {
          log(`job thread: ${message.message}`);
        }
      });
      thread.on("error", (error) => log("job thread crashed", error));
      thread.on("exit", (code) => {
        if (worker === thread) worker = undefined;
        // Whoever waited for this thread to be idle is told so; the work is still in the inbox.
        for (const done of waiting.values()) done();
        waiting.clear();
        if (!up) {
          reject(new Error(`the job thread stopped while starting (exit code ${code})`));
          return;
        }
        if (stopping) return;
        restartDelay = Date.now() - bornAt > 60_000 ? 500 : Math.min(MAX_RESTART_DELAY_MS, restartDelay * 2);
        log(`job thread exited with code ${code}; starting another in ${restartDelay} ms`);
        setTimeout(() => {
          if (!stopping) launch().catch((error) => log("job thread could not be started again", error));
        }, restartDelay).unref();
      });
    });
  }

  const send = (message: ToThread) => worker?.postMessage(message);
  const handOver: string[] = [];
  let handedOverAt = -Infinity;
  // The job thread's handlers step back only while this thread is busy (runner.server.ts,
  // INTAKE_SATURATED); each hand-over tells it how busy this thread was since the previous one.
  let loopAtHandOver = performance.eventLoopUtilization();
  let handOverTimer: NodeJS.Timeout | undefined;
  const flushHandOver = () => {
    clearTimeout(handOverTimer);
    handOverTimer = undefined;
    handedOverAt = performance.now();
    if (handOver.length === 0) return;
    const loop = performance.eventLoopUtilization();
    const intakeBusy = performance.eventLoopUtilization(loop, loopAtHandOver).utilization;
    loopAtHandOver = loop;
    send({ type: "enqueue", ids: handOver.splice(0), intakeBusy });
  };

  return {
    start() {
      stopping = false;
      started ??= launch();
      return started;
    },
    async stop() {
      stopping = true;
      // Ids not handed over yet stay in the inbox; the next start's sweep finds them.
      clearTimeout(handOverTimer);
      handOver.length = 0;
      const thread = worker;
      started = undefined;
      if (!thread) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => thread.terminate().then(() => resolve()), 15_000);
        thread.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        thread.postMessage({ type: "stop" } satisfies ToThread);
      });
    },
    enqueue(id) {
      // Deliveries committed together (group commit) are handed over in one message, and while
      // deliveries stream in, one message per HAND_OVER_INTERVAL_MS carries all of them.
      handOver.push(id);
      if (handOver.length > 1) return;
      const wait = handedOverAt + HAND_OVER_INTERVAL_MS - performance.now();
      if (wait <= 0) setImmediate(flushHandOver);
      else handOverTimer = setTimeout(flushHandOver, wait);
    },
    async idle() {
      await started;
      if (!worker) return;
      const ask = ++asks;
      // Events not handed over yet go first, or the thread would answer "idle" before seeing them.
      flushHandOver();
      await new Promise<void>((resolve) => {
        waiting.set(ask, resolve);
        send({ type: "idle", ask });
      });
    },
  };
}

/**
 * The job thread's side: starts this thread's runner and periodic tasks (`start`), then serves
 * the main thread's messages until it asks to stop.
 */
export async function serveJobThread(
  port: MessagePort,
  work: { runner: JobRunner; start(): Promise<void>; stop(): Promise<void> },
): Promise<void> {
  const reply = (message: FromThread) => port.postMessage(message);
  const failed = (doing: string, error: unknown) =>
    reply({ type: "failed", message: `${doing}: ${error instanceof Error ? error.message : String(error)}` });
  async function stop() {
    try {
      await work.stop();
    } catch (error) {
      failed("stopping", error);
    } finally {
      reply({ type: "stopped" });
      port.close();
    }
  }
  port.on("message", (message: ToThread) => {
    if (message.type === "enqueue") for (const id of message.ids) work.runner.enqueue(id, message.intakeBusy);
    else if (message.type === "idle") {
      work.runner
        .idle()
        .then(() => reply({ type: "idle", ask: message.ask }))
        .catch((error) => failed("waiting for idle", error));
    } else if (message.type === "stop") stop();
  });
  await work.start();
  reply({ type: "started" });
}
