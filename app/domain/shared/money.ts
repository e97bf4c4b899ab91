/**
 * Money is integer minor units beside an ISO 4217 currency code. Shopify sends decimal strings
 * ("414.95"); currencies differ in how many minor digits they have (JPY 0, USD 2, KWD 3).
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

const digitsCache = new Map<string, number>();

export function minorDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2; // an unknown code (Shopify's docs use "XXX"): assume cents
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

/** "414.95" USD -> 41495. Exact: works on the digits, never through floating point. */
export function toMinor(amount: string | number | null | undefined, currency: string): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const text = typeof amount === "number" ? amount.toFixed(minorDigits(currency)) : amount.trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`"${text}" is not an amount of money`);
  const [, sign, whole, fraction = ""] = match;
  const digits = minorDigits(currency);
  const kept = (fraction + "0".repeat(digits)).slice(0, digits);
  // Round half up on the first dropped digit; Shopify's amounts rarely carry more digits.
  const roundUp = fraction.length > digits && Number(fraction[digits]) >= 5 ? 1 : 0;
  const value = Number(whole || "0") * 10 ** digits + Number(kept || "0") + roundUp;
  return sign ? -value : value;
}

/** 41495 USD -> "414.95" (for APIs that want decimals). */
export function fromMinor(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (digits === 0) return `${sign}${abs}`;
  const whole = Math.floor(abs / 10 ** digits);
  const fraction = String(abs % 10 ** digits).padStart(digits, "0");
  return `${sign}${whole}.${fraction}`;
}

export function formatMoney(money: Money, locale = "en"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
    money.amountMinor / 10 ** minorDigits(money.currency),
  );
}
