/**
 * The name an email may greet someone by: what they typed or their account's first name, unless
 * it is empty or a placeholder a checkout or import filled in ("Guest", "Customer"). Null means
 * "greet without a name".
 */
export function greetingName(name: string | null | undefined): string | null {
  const trimmed = (name ?? "").replace(/\s+/g, " ").trim();
  if (!trimmed || /^(guest|customer|shopper|anonymous|n\/a|none|-+)(\s+(shopper|customer|user|\d+))*$/i.test(trimmed))
    return null;
  return trimmed;
}
