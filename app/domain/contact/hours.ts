/**
 * Business hours in the shop's time zone: is the shop answering now, when does it open next, and
 * how much opening time passed between two instants (first response time is measured in it, so a
 * message left on Friday night and answered Monday at 9:30 took 30 minutes, not 60 hours).
 * Built on the tracking calendar (app/domain/tracking/calendar.ts), which owns the time-zone and
 * daylight-saving arithmetic.
 */
import { addDays, isCivilDate, localDate, weekday, zonedTimeToUtc, type CivilDate } from "../tracking/calendar";
import { fieldProblem, type FieldProblem } from "../../locales/admin/problems";
import type { AdminMessageKey } from "../../locales/admin";

/** "HH:MM", 00:00 to 24:00. */
export type ClockTime = string;

export interface DayHours {
  open: ClockTime;
  close: ClockTime;
}

export interface BusinessHours {
  timeZone: string;
  /** Index 0 = Sunday ... 6 = Saturday; null when closed all day. Hours may not cross midnight. */
  weekly: ReadonlyArray<DayHours | null>;
  /** Whole days closed, as YYYY-MM-DD in the shop's calendar. */
  holidays: ReadonlyArray<CivilDate>;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export function isClockTime(value: string): boolean {
  return CLOCK.test(value);
}

export function clockMinutes(value: ClockTime): number {
  if (!isClockTime(value)) throw new RangeError(`"${value}" is not a time in HH:MM form`);
  const [h, m] = value.split(":").map(Number);
  return h * 60 + m;
}

/** Problems with a schedule, in words a merchant can act on; empty when it is usable. */
export function hoursProblems(hours: BusinessHours): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (hours.weekly.length !== 7) problems.push(fieldProblem("hours.weekly", "contact.error.sevenDays"));
  hours.weekly.forEach((day, i) => {
    if (!day) return;
    const weekday = `weekday.${i}` as AdminMessageKey;
    if (!isClockTime(day.open) || !isClockTime(day.close))
      problems.push(fieldProblem(`hours.weekly.${i}`, "contact.error.clockTime", undefined, weekday));
    else if (clockMinutes(day.close) <= clockMinutes(day.open))
      problems.push(fieldProblem(`hours.weekly.${i}.close`, "contact.error.closeBeforeOpen", undefined, weekday));
  });
  hours.holidays.forEach((h, i) => {
    if (!isCivilDate(h)) problems.push(fieldProblem(`hours.holidays.${i}`, "contact.error.holidayDate", { date: h }));
  });
  return problems;
}

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The opening interval of one calendar day, as UTC instants; null when closed that day. */
export function openingOn(date: CivilDate, hours: BusinessHours): { start: Date; end: Date } | null {
  if (hours.holidays.includes(date)) return null;
  const day = hours.weekly[weekday(date)];
  if (!day) return null;
  const open = clockMinutes(day.open);
  const close = clockMinutes(day.close);
  const start = zonedTimeToUtc(date, Math.floor(open / 60), open % 60, hours.timeZone);
  const end =
    close === 24 * 60
      ? zonedTimeToUtc(addDays(date, 1), 0, 0, hours.timeZone)
      : zonedTimeToUtc(date, Math.floor(close / 60), close % 60, hours.timeZone);
  // A DST jump can swallow a short interval entirely (open 02:00-02:30 on spring-forward night).
  return end > start ? { start, end } : null;
}

function hasAnyOpening(hours: BusinessHours) {
  return hours.weekly.some(Boolean);
}

export function isOpenAt(at: Date, hours: BusinessHours): boolean {
  // Check the local day and the one before: nothing crosses midnight, but cheap insurance near DST edges.
  const today = localDate(at, hours.timeZone);
  for (const d of [today, addDays(today, -1)]) {
    const o = openingOn(d, hours);
    if (o && at >= o.start && at < o.end) return true;
  }
  return false;
}

/** When the shop next opens after `at` (null when it is open now or has no opening hours at all). */
export function nextOpening(at: Date, hours: BusinessHours): Date | null {
  if (!hasAnyOpening(hours) || isOpenAt(at, hours)) return null;
  let d = localDate(at, hours.timeZone);
  // Two years of holidays is the most a schedule can close in a row.
  for (let i = 0; i < 740; i++, d = addDays(d, 1)) {
    const o = openingOn(d, hours);
    if (o && o.start > at) return o.start;
  }
  return null;
}

/** Milliseconds of opening time in [from, to); 0 when `to` is not after `from`. */
export function businessMillisBetween(from: Date, to: Date, hours: BusinessHours): number {
  if (to <= from || !hasAnyOpening(hours)) return 0;
  let total = 0;
  const last = localDate(to, hours.timeZone);
  for (let d = addDays(localDate(from, hours.timeZone), -1); d <= last; d = addDays(d, 1)) {
    const o = openingOn(d, hours);
    if (!o) continue;
    const start = Math.max(o.start.getTime(), from.getTime());
    const end = Math.min(o.end.getTime(), to.getTime());
    if (end > start) total += end - start;
  }
  return total;
}

/**
 * When a reply can be expected for a message sent at `at`, if the shop answers within
 * `replyMinutes` of opening time: the clock only runs while the shop is open.
 */
export function expectedReplyBy(at: Date, replyMinutes: number, hours: BusinessHours): Date | null {
  if (!hasAnyOpening(hours)) return null;
  let left = replyMinutes * 60_000;
  let d = localDate(at, hours.timeZone);
  for (let i = 0; i < 740; i++, d = addDays(d, 1)) {
    const o = openingOn(d, hours);
    if (!o || o.end <= at) continue;
    const start = Math.max(o.start.getTime(), at.getTime());
    const available = o.end.getTime() - start;
    if (available >= left) return new Date(start + left);
    left -= available;
  }
  return null;
}
