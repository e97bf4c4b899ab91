import { describe, expect, it } from "vitest";

import {
  effectsPacer,
  FRESHNESS_BOUND_MS,
  FRESHNESS_OUT_OF_REACH,
  INTAKE_SATURATED,
  intakeFirst,
} from "./runner.server";

/** How long one pace() takes, in milliseconds. */
async function paceMs(pacing: ReturnType<typeof intakeFirst>, waitingSince?: number) {
  const started = performance.now();
  await pacing.pace(waitingSince);
  return performance.now() - started;
}

/** Deliveries noted every 5 ms (`perTick` at a time, with the intake's thread `busy`) until stopped. */
function keepArriving(pacing: ReturnType<typeof intakeFirst>, busy?: number, perTick = 1) {
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) pacing.note(busy);
  }, 5);
  return () => clearInterval(timer);
}

describe("intake-first pacing", () => {
  // A handler that ran 150 ms at a share of 0.5 earns a rest of 150 ms while the intake is saturated.
  const afterLongRun = () => {
    const pacing = intakeFirst(0.5);
    pacing.ran(150);
    return pacing;
  };

  it("rests while deliveries keep coming to the handlers' own thread", async () => {
    const pacing = afterLongRun();
    pacing.note();
    const stop = keepArriving(pacing);
    const rested = await paceMs(pacing);
    stop();
    expect(rested).toBeGreaterThanOrEqual(140);
  });

  it("rests while the intake's thread elsewhere is saturated", async () => {
    const pacing = afterLongRun();
    pacing.note(INTAKE_SATURATED + 0.3);
    const stop = keepArriving(pacing, INTAKE_SATURATED + 0.3);
    const rested = await paceMs(pacing);
    stop();
    expect(rested).toBeGreaterThanOrEqual(140);
  });

  it("ends a rest once deliveries stop", async () => {
    const pacing = intakeFirst(0.5);
    pacing.ran(1_000); // earns the longest rest, a second
    pacing.note();
    // The first slice of the rest ends after an arrival window; no delivery came meanwhile.
    expect(await paceMs(pacing)).toBeLessThan(500);
  });

  it("rests no longer than keeps the oldest waiting event within the freshness bound", async () => {
    const pacing = intakeFirst(0.05);
    pacing.ran(150); // a 5% share would rest the longest rest allowed
    pacing.note();
    const waitingSince = performance.now() - (FRESHNESS_BOUND_MS - 100);
    const stop = keepArriving(pacing);
    const rested = await paceMs(pacing, waitingSince);
    stop();
    expect(rested).toBeGreaterThanOrEqual(80);
    expect(rested).toBeLessThan(400);
  });

  it("does not rest once the oldest waiting event is past the freshness bound", async () => {
    const pacing = intakeFirst(0.05);
    pacing.ran(150);
    pacing.note();
    const stop = keepArriving(pacing);
    const rested = await paceMs(pacing, performance.now() - FRESHNESS_BOUND_MS - 1);
    stop();
    expect(rested).toBeLessThan(100);
  });

  /** Deliveries noted at `perS` a second for `ms` milliseconds (busy-waiting between them). */
  function arrive(pacing: ReturnType<typeof intakeFirst>, perS: number, ms: number) {
    const start = performance.now();
    for (let n = 0; performance.now() - start < ms; n++) {
      while (performance.now() - start < (n * 1000) / perS);
      pacing.note();
    }
  }

  it("holds the mirror back while arrivals outrun what it could apply, however busy the intake looks", async () => {
    const pacing = intakeFirst(0.05);
    pacing.ran(400, 400); // a millisecond an event: the mirror applies 1,000 a second on a core
    arrive(pacing, 4_000, 300); // four times that arrives
    expect(pacing.freshnessOutOfReach()).toBe(true);
    pacing.ran(5); // a short last run: the intake's share alone would rest under 100 ms
    // The oldest event is already past the bound and the intake's thread shows time to spare
    // (it shares the cores with whoever sends), yet the mirror waits while the flood lasts.
    const stop = keepArriving(pacing, INTAKE_SATURATED - 0.3, 20);
    const rested = await paceMs(pacing, performance.now() - FRESHNESS_BOUND_MS - 1);
    stop();
    expect(rested).toBeGreaterThanOrEqual(1_900);
    expect(rested).toBeLessThan(2_500);
  });

  it("keeps the freshness bound while the mirror could keep pace", async () => {
    const pacing = intakeFirst(0.05);
    pacing.ran(400, 400);
    // Below FRESHNESS_OUT_OF_REACH cores' worth of mirror work a second.
    arrive(pacing, (FRESHNESS_OUT_OF_REACH * 1000) / 2, 1_100);
    expect(pacing.freshnessOutOfReach()).toBe(false);
    pacing.ran(150);
    // Deliveries go on at 600 a second (0.6 of a core of mirror work): no flood, so no rest past
    // the bound, where a flood would hold the mirror for two seconds.
    const stop = keepArriving(pacing, 1, 3);
    const rested = await paceMs(pacing, performance.now() - FRESHNESS_BOUND_MS - 1);
    stop();
    expect(rested).toBeLessThan(100);
  });

  it("cuts the mirror's batch to a short transaction while deliveries arrive, and takes it whole after", async () => {
    const pacing = intakeFirst(0.05);
    expect(pacing.mirrorBatch(400)).toBe(400); // the cost is not known yet
    pacing.ran(200, 400); // half a millisecond an event
    pacing.note();
    // While deliveries arrive: what fits MIRROR_SLICE_MS (40 ms) at that cost.
    expect(pacing.mirrorBatch(400)).toBe(80);
    expect(pacing.mirrorBatch(60)).toBe(60);
    pacing.ran(4_000, 400); // a slow mirror still takes enough events to learn its cost from
    expect(pacing.mirrorBatch(400)).toBeGreaterThanOrEqual(50);
    await new Promise((r) => setTimeout(r, 80));
    expect(pacing.mirrorBatch(400)).toBe(400);
  });

  it("counts a new burst afresh after a pause", async () => {
    const pacing = intakeFirst(0.05);
    pacing.ran(400, 400);
    arrive(pacing, 4_000, 1_100);
    await new Promise((r) => setTimeout(r, 1_100));
    arrive(pacing, 200, 1_100); // a trickle after the flood
    expect(pacing.freshnessOutOfReach()).toBe(false);
  });

  it("learns the mirror's cost only from batches big enough to show it", () => {
    const pacing = intakeFirst(0.05);
    pacing.ran(400, 400); // 1 ms an event
    // Small batches are mostly their transaction's fixed cost (or a wait for a core): 40 ms an event.
    for (let i = 0; i < 5; i++) pacing.ran(400, 10);
    arrive(pacing, (FRESHNESS_OUT_OF_REACH * 1000) / 2, 1_100);
    expect(pacing.freshnessOutOfReach()).toBe(false);
  });

  it("does not rest while the intake's thread elsewhere has time to spare", async () => {
    const pacing = intakeFirst(0.5);
    pacing.ran(1_000); // earns the longest rest, a second
    pacing.note(INTAKE_SATURATED - 0.3);
    const stop = keepArriving(pacing, INTAKE_SATURATED - 0.3);
    const rested = await paceMs(pacing);
    stop();
    expect(rested).toBeLessThan(100);
  });

  it("does not rest when no delivery came lately", async () => {
    const pacing = afterLongRun();
    pacing.note(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(await paceMs(pacing)).toBeLessThan(100);
  });
});

describe("effects batches cut to the mirror's budget", () => {
  it("takes a full batch before it knows the cost, and with no budget what fits 100 ms", () => {
    const pacer = effectsPacer(50);
    expect(pacer.batchFor(10)).toBe(50);
    pacer.ran(10, 70); // 7 ms an event
    expect(pacer.batchFor(Infinity)).toBe(14);
    const cheap = effectsPacer(50);
    cheap.ran(100, 50); // half a millisecond an event: the batch's own limit
    expect(cheap.batchFor(Infinity)).toBe(50);
  });

  it("takes as many events as fit the budget at their recent cost, at least one", () => {
    const pacer = effectsPacer(50);
    pacer.ran(10, 70); // 7 ms an event
    expect(pacer.batchFor(40)).toBe(5);
    expect(pacer.batchFor(1)).toBe(1);
    expect(pacer.batchFor(10_000)).toBe(14);
  });

  it("follows a change in cost without jumping on one sample", () => {
    const pacer = effectsPacer(50);
    pacer.ran(10, 70); // 7 ms
    pacer.ran(10, 10); // 1 ms: the average moves to 5.2 ms
    expect(pacer.batchFor(52)).toBe(10);
  });
});
