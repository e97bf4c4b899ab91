/**
 * The dashboard's ready-made periods, as days of the shop's calendar (YYYY-MM-DD, both ends
 * included), from the shop's today: the last 7, 30 and 90 days (today included), this month so far,
 * and last year (the whole calendar year before this one).
 */
import { addDays, type CivilDate } from "../tracking/calendar";

export const PERIOD_PRESETS = ["last7", "last30", "last90", "thisMonth", "lastYear"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export function presetPeriod(preset: PeriodPreset, today: CivilDate): { from: CivilDate; to: CivilDate } {
  switch (preset) {
    case "last7":
      return { from: addDays(today, -6), to: today };
    case "last30":
      return { from: addDays(today, -29), to: today };
    case "last90":
      return { from: addDays(today, -89), to: today };
    case "thisMonth":
      return { from: `${today.slice(0, 7)}-01` as CivilDate, to: today };
    case "lastYear": {
      const year = Number(today.slice(0, 4)) - 1;
      return { from: `${year}-01-01` as CivilDate, to: `${year}-12-31` as CivilDate };
    }
  }
}

/** The preset a period is, if it is one (the picker shows it chosen). */
export function presetOf(period: { from: string; to: string }, today: CivilDate): PeriodPreset | null {
  return (
    PERIOD_PRESETS.find((p) => {
      const range = presetPeriod(p, today);
      return range.from === period.from && range.to === period.to;
    }) ?? null
  );
}
