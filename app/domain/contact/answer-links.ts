/**
 * A link as the merchant typed it, made whole: "example.com/help" is a web address, an email
 * address a mailto: link, a phone number a tel: link. The schemes are the sanitiser's
 * (domain/contact/sanitize.ts); any other (javascript:, data:) is refused here already: null.
 */
export function linkHref(typed: string): string | null {
  const text = typed.trim();
  if (!text) return null;
  if (/^(https?:\/\/|mailto:|tel:)\S+$/i.test(text)) return text;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return `mailto:${text}`;
  if (/^\+?[\d\s().-]{5,}$/.test(text)) return `tel:${text.replace(/[\s().-]/g, "")}`;
  // A host, with a port or path perhaps ("example.com/help"); anything else with a scheme is refused.
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]\S*)?$/i.test(text) ? `https://${text}` : null;
}
