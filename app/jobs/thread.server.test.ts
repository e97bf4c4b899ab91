import { EventEmitter } from "node:events";
import { MessageChannel, type Worker } from "node:worker_threads";

import { describe, expect, it } from "vitest";

import type { JobRunner } from "./runner.server";
import { serveJobThread, threadRunner } from "./thread.server";

/**
 * A thread stand-in: the main side talks to it through a real MessageChannel exactly as to a
 * Worker, and the job side runs the real serveJobThread. What runs where is the same as with
 * worker_threads; server.js's real thread is exercised by the end-to-end tests.
 */
type Recording = JobRunner & { seen: string[]; busy: (number | undefined)[] };

function fakeThread(makeRunner: () => Recording) {
  const threads: { runner: Recording; stopped: boolean; terminated: boolean; crash(): void }[] = [];
  /** Every message the main side sent to a thread, in order. */
  const sent: { type: string; ids?: string[] }[] = [];
  const spawn = () => {
    const { port1, port2 } = new MessageChannel();
    const worker = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void; terminate(): Promise<number> };
    const state = { runner: makeRunner(), stopped: false, terminated: false, crash: () => exit(1) };
    threads.push(state);
    let exited = false;
    const exit = (code: number) => {
      if (exited) return;
      exited = true;
      port1.close();
      worker.emit("exit", code);
    };
    port1.on("message", (m) => worker.emit("message", m));
    worker.postMessage = (m) => {
      sent.push(m as { type: string });
      port1.postMessage(m);
    };
    worker.terminate = async () => {
      state.terminated = true;
      exit(1);
      return 1;
    };
    // Resolves once started (start() below cannot fail); the test waits on messages instead.
    serveJobThread(port2, {
      runner: state.runner,
      start: async () => {},
      stop: async () => {
        state.stopped = true;
      },
    });
    return worker as unknown as Worker;
  };
  return { spawn, threads, sent };
}

function recordingRunner(): Recording {
  const seen: string[] = [];
  const busy: (number | undefined)[] = [];
  let pending: Promise<void> = Promise.resolve();
  return {
    seen,
    busy,
    start: async () => {},
    stop: async () => {},
    enqueue(id, intakeBusy) {
      busy.push(intakeBusy);
      // Each event "takes" a little while, so idle() has something to wait for.
      pending = pending.then(
        () =>
          new Promise((r) =>
            setTimeout(() => {
              seen.push(id);
              r();
            }, 5),
          ),
      );
    },
    idle: () => pending,
  };
}

describe("the job thread", () => {
  it("gets every recorded event, and idle() waits until the thread has run them", async () => {
    const { spawn, threads } = fakeThread(recordingRunner);
    const runner = threadRunner(spawn);
    await runner.start();
    for (const id of ["a", "b", "c"]) runner.enqueue(id);
    await runner.idle();
    expect(threads[0].runner.seen).toEqual(["a", "b", "c"]);
    await runner.stop();
  });

  it("hands a quiet delivery over at once, and a stream of deliveries in a few messages", async () => {
    const { spawn, threads, sent } = fakeThread(recordingRunner);
    const runner = threadRunner(spawn);
    await runner.start();
    const enqueued = () => sent.filter((m) => m.type === "enqueue");

    runner.enqueue("quiet");
    await new Promise((r) => setImmediate(r));
    expect(enqueued()).toEqual([{ type: "enqueue", ids: ["quiet"], intakeBusy: expect.any(Number) }]);

    // A burst: one delivery per turn of the event loop, as at concurrency 1.
    const burst = Array.from({ length: 50 }, (_, i) => `burst-${i}`);
    for (const id of burst) {
      runner.enqueue(id);
      await new Promise((r) => setImmediate(r));
    }
    await runner.idle();
    expect(threads[0].runner.seen).toEqual(["quiet", ...burst]);
    expect(enqueued().length).toBeLessThanOrEqual(5);
    await runner.stop();
  });

  it("tells the thread how busy the intake's thread was since the last hand-over", async () => {
    const { spawn, threads } = fakeThread(recordingRunner);
    const runner = threadRunner(spawn);
    await runner.start();
    // A quiet spell, then a delivery: the intake had time to spare.
    await new Promise((r) => setTimeout(r, 60));
    runner.enqueue("after-quiet");
    await runner.idle();
    // Busy for 40 ms without a break (as when deliveries keep the thread saturated), then a delivery.
    const until = performance.now() + 40;
    while (performance.now() < until);
    runner.enqueue("after-busy");
    await runner.idle();
    const [quiet, busy] = threads[0].runner.busy;
    expect(quiet).toBeLessThan(0.5);
    expect(busy).toBeGreaterThan(0.5);
    await runner.stop();
  });

  it("stops its work and ends the thread on stop()", async () => {
    const { spawn, threads } = fakeThread(recordingRunner);
    const runner = threadRunner(spawn);
    await runner.start();
    await runner.stop();
    expect(threads[0].stopped).toBe(true);
    expect(threads[0].terminated).toBe(true);
  });

  it("starts a new thread when one dies, which then takes the next events", async () => {
    const logged: string[] = [];
    const { spawn, threads } = fakeThread(recordingRunner);
    const runner = threadRunner(spawn, (m) => logged.push(m));
    await runner.start();
    threads[0].crash();
    const deadline = Date.now() + 5_000;
    while (threads.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(threads).toHaveLength(2);
    // The new thread is up once it has answered; events sent to the dead one are the sweep's.
    await new Promise((r) => setTimeout(r, 50));
    runner.enqueue("after-restart");
    await runner.idle();
    expect(threads[1].runner.seen).toEqual(["after-restart"]);
    expect(logged.some((m) => m.includes("exited with code 1"))).toBe(true);
    await runner.stop();
  });
});
