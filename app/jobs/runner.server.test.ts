import { describe, expect, it } from "vitest";

import { INTAKE_SATURATED, intakeFirst } from "./runner.server";

/** How long one pace() takes, in milliseconds. */
async function paceMs(pacing: ReturnType<typeof intakeFirst>) {
  const started = performance.now();
  await pacing.pace();
  return performance.now() - started;
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
    expect(await paceMs(pacing)).toBeGreaterThanOrEqual(140);
  });

  it("rests while the intake's thread elsewhere is saturated", async () => {
    const pacing = afterLongRun();
    pacing.note(INTAKE_SATURATED + 0.3);
    expect(await paceMs(pacing)).toBeGreaterThanOrEqual(140);
  });

  it("does not rest while the intake's thread elsewhere has time to spare", async () => {
    const pacing = afterLongRun();
    pacing.note(INTAKE_SATURATED - 0.3);
    expect(await paceMs(pacing)).toBeLessThan(100);
  });

  it("does not rest when no delivery came lately", async () => {
    const pacing = afterLongRun();
    pacing.note(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(await paceMs(pacing)).toBeLessThan(100);
  });
});
