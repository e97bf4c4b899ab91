/**
 * Text that must read the same in a right-to-left page. Shopify's components take strings, so
 * direction is set with Unicode's isolates rather than markup: an order or return number ("#1033",
 * "1033-R1") is always left to right, so it never reads "R1-1033"; merchant text (a product or a
 * reward's title) takes the direction of its own first strong letter, like dir="auto".
 */
export const ltr = (text: string) => `\u2066${text}\u2069`;
export const auto = (text: string) => `\u2068${text}\u2069`;

/** A count in the shopper's digits ("۱۳۶" in Persian), signed when asked ("+136"). */
export function count(locale: string, n: number, options: { signed?: boolean } = {}) {
  return new Intl.NumberFormat(locale, options.signed ? { signDisplay: "exceptZero" } : {}).format(n);
}
