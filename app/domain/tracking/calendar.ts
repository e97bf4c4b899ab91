/**
 * Calendar arithmetic in a shop's time zone. Shoppers and merchants think in days of the shop's
 * calendar ("ships in 2 business days"), while storage is UTC instants; these functions are the
 * bridge. A calendar day is a `CivilDate` string (YYYY-MM-DD) so no accidental time zone sneaks
 * in: day arithmetic on it is done in UTC, where every day has 24 hours.
 */
export type CivilDate = string;

/** 0 = Sunday ... 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface BusinessCalendar {
  timeZone: string;
  /** Days the shop does not ship and carriers are not counted as moving: Saturday and Sunday by default. */
  weekend?: ReadonlyArray<Weekday>;
  /** Closed days (public holidays), as YYYY-MM-DD in the shop's calendar. */
  holidays?: ReadonlyArray<CivilDate>;
}

const DEFAULT_WEEKEND: ReadonlyArray<Weekday> = [0, 6];
const CIVIL = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for an IANA zone name this runtime knows ("Asia/Seoul"); false for anything else. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

function pad(n: number, width = 2) {
  return String(n).padStart(width, "0");
}

export function isCivilDate(value: string): value is CivilDate {
  const m = CIVIL.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function civilToUtcMidnight(date: CivilDate): number {
  const m = CIVIL.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a date in YYYY-MM-DD form`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function utcMidnightToCivil(ms: number): CivilDate {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The shop's calendar date at an instant. */
export function localDate(instant: Date, timeZone: string): CivilDate {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The shop's wall-clock hour (0-23) at an instant. */
export function localHour(instant: Date, timeZone: string): number {
  return wallClock(instant, timeZone).hour;
}

/** Offset of the zone from UTC at an instant, in minutes (Seoul +540, New York -300 or -240). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time happens in the zone. A time skipped by a DST jump resolves to
 * the same wall time after the jump (02:30 on a spring-forward night is 03:30); a repeated time
 * resolves to its first occurrence.
 */
export function zonedTimeToUtc(date: CivilDate, hour: number, minute: number, timeZone: string): Date {
  const wall = civilToUtcMidnight(date) + (hour * 60 + minute) * 60_000;
  // A transition changes the offset at most once within a day: the offsets half a day either
  // side are the only candidates.
  const before = zoneOffsetMinutes(new Date(wall - DAY_MS / 2), timeZone);
  const after = zoneOffsetMinutes(new Date(wall + DAY_MS / 2), timeZone);
  const valid = [wall - before * 60_000, wall - after * 60_000].filter((ms) => {
    const w = wallClock(new Date(ms), timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === wall;
  });
  if (valid.length > 0) return new Date(Math.min(...valid));
  // Skipped by a jump forward: the old offset lands the same distance past the jump.
  return new Date(wall - before * 60_000);
}

/** The first instant of a calendar day in the zone (midnight, or 01:00 where DST starts at midnight). */
export function startOfLocalDay(date: CivilDate, timeZone: string): Date {
  return zonedTimeToUtc(date, 0, 0, timeZone);
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return utcMidnightToCivil(civilToUtcMidnight(date) + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return Math.round((civilToUtcMidnight(to) - civilToUtcMidnight(from)) / DAY_MS);
}

export function weekday(date: CivilDate): Weekday {
  return new Date(civilToUtcMidnight(date)).getUTCDay() as Weekday;
}

export function isBusinessDay(date: CivilDate, calendar: BusinessCalendar): boolean {
  const weekend = calendar.weekend ?? DEFAULT_WEEKEND;
  if (weekend.includes(weekday(date))) return false;
  return !(calendar.holidays ?? []).includes(date);
}

/** The day itself when it is a business day, else the next one. */
export function nextBusinessDay(date: CivilDate, calendar: BusinessCalendar): CivilDate {
  assertWorkable(calendar);
  let d = date;
  while (!isBusinessDay(d, calendar)) d = addDays(d, 1);
  return d;
}

/**
 * `days` business days after `date` (before it when negative). Adding 0 to a closed day moves
 * it to the next business day: "ships in 0 days" from a Saturday means Monday.
 */
export function addBusinessDays(date: CivilDate, days: number, calendar: BusinessCalendar): CivilDate {
  assertWorkable(calendar);
  if (!Number.isInteger(days)) throw new RangeError("business days must be a whole number");
  if (days === 0) return nextBusinessDay(date, calendar);
  const step = days > 0 ? 1 : -1;
  let left = Math.abs(days);
  let d = date;
  while (left > 0) {
    d = addDays(d, step);
    if (isBusinessDay(d, calendar)) left--;
  }
  return d;
}

/**
 * Business days that pass from `from` to `to`: the business days in (from, to]. Monday to the
 * following Monday is 5; Friday to Monday is 1; the same day is 0; negative when `to` is earlier.
 */
export function businessDaysBetween(from: CivilDate, to: CivilDate, calendar: BusinessCalendar): number {
  if (from === to) return 0;
  if (to < from) return -businessDaysBetween(to, from, calendar);
  const total = daysBetween(from, to);
  const fullWeeks = Math.floor(total / 7);
  const weekend = calendar.weekend ?? DEFAULT_WEEKEND;
  let count = fullWeeks * (7 - weekend.length);
  let d = addDays(from, fullWeeks * 7);
  while (d < to) {
    d = addDays(d, 1);
    if (!weekend.includes(weekday(d))) count++;
  }
  for (const h of calendar.holidays ?? []) {
    if (h > from && h <= to && !weekend.includes(weekday(h))) count--;
  }
  return count;
}

function assertWorkable(calendar: BusinessCalendar) {
  if ((calendar.weekend ?? DEFAULT_WEEKEND).length >= 7)
    throw new RangeError("a calendar needs at least one working weekday");
}
