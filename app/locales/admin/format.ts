/**
 * Numbers, counts, money and dates on admin pages, in the merchant's admin language and the
 * shop's time zone. A count is a message with a form per plural category of the language
 * (`count.points`: "1 point", "2 points"; Korean and Japanese have one form), never a noun with
 * an "s" put on by hand; an instant is shown in the shop's zone, a calendar day (YYYY-MM-DD, as
 * the shop's own calendar names it) as that day wherever the browser is.
 */
import { translator, type AdminLocale, type AdminMessageKey } from "./index";

export interface AdminFormat {
  locale: AdminLocale;
  timeZone: string;
  /** 1234.5 → "1,234.5" in the language's way of writing numbers. */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** `count("count.points", 2)` → "2 points"; the message's plural form by the language's rules. */
  count(key: AdminMessageKey, count: number, values?: Record<string, string | number>): string;
  /** 0.035 → "3.5%". */
  percent(share: number, fractionDigits?: number): string;
  /** Minor units of `currency` → "$12.50". */
  money(amountMinor: number, currency: string): string;
  /** An instant as a day in the shop's zone: "Dec 5, 2026" / "2026年12月5日". */
  date(at: Date | string | number): string;
  /** An instant as day and time in the shop's zone, the zone named: "Dec 5, 2026, 2:30 PM EST". */
  dateTime(at: Date | string | number): string;
  /** A calendar day of the shop ("2026-12-05") as words, not moved by any zone. */
  day(isoDay: string): string;
  /** How long before `now` an instant was: "5 minutes ago" / "5分前" (`now`: the loader's clock). */
  ago(at: Date | string | number, now: Date | string | number): string;
}

const minorDigits = (currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** A zone Intl knows, or UTC (a shop not recorded yet, or a zone this runtime lacks). */
function knownZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    return new Intl.DateTimeFormat("en", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

export function adminFormat(locale: AdminLocale, timeZone?: string | null): AdminFormat {
  const zone = knownZone(timeZone);
  const t = translator(locale);
  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: zone });
  const times = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone: zone,
  });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  return {
    locale,
    timeZone: zone,
    number: (value, options) => (options ? new Intl.NumberFormat(locale, options) : numbers).format(value),
    count: (key, count, values) => t(key, { ...values, count }),
    percent: (share, fractionDigits = 1) =>
      new Intl.NumberFormat(locale, {
        style: "percent",
        minimumFractionDigits: fractionDigits,
        maximumFractionDigits: fractionDigits,
      }).format(share),
    money: (amountMinor, currency) =>
      new Intl.NumberFormat(locale, { style: "currency", currency }).format(amountMinor / 10 ** minorDigits(currency)),
    date: (at) => dates.format(new Date(at)),
    dateTime: (at) => times.format(new Date(at)),
    ago: (at, now) => {
      const seconds = Math.max(0, Math.round((new Date(now).getTime() - new Date(at).getTime()) / 1000));
      if (seconds < 60) return relative.format(-seconds, "second");
      if (seconds < 3600) return relative.format(-Math.round(seconds / 60), "minute");
      if (seconds < 86_400) return relative.format(-Math.round(seconds / 3600), "hour");
      return relative.format(-Math.round(seconds / 86_400), "day");
    },
    day: (isoDay) => {
      const at = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(at.getTime()) ? isoDay : days.format(at);
    },
  };
}
