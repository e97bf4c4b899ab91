/**
 * A fixed clock for tests whose result depends on the day, weekday or hour: business days,
 * estimates, "late since", quiet hours. Only Date is replaced, and it keeps running from the
 * instant given, so timers, sockets and database waits behave as usual.
 */
import { afterEach, beforeEach, vi } from "vitest";

export function setClock(instant: string | Date) {
  vi.useFakeTimers({ now: new Date(instant), toFake: ["Date"], shouldAdvanceTime: true });
}

export function restoreClock() {
  vi.useRealTimers();
}

/** Runs every test of the enclosing describe block (or file) from `instant`. */
export function withClockAt(instant: string | Date) {
  beforeEach(() => setClock(instant));
  afterEach(() => restoreClock());
}
