/**
 * The new part of a shopper's emailed answer: the text above the quoted history and without the
 * signature (docs/decisions/0046). Used when the mail service did not strip it itself. Mail clients
 * introduce the quoted message with a line in the writer's language: Gmail's "On … wrote:",
 * "… 님이 작성:", "… <address>:" in Japanese, "… نوشت:"; Thunderbird's "… のメッセージ:"; Apple
 * Mail's "… のメール:"; Outlook's "-----Original Message-----" or a "From: / Sent:" block.
 */

// Marks that mail clients wrap around addresses and dates in right-to-left text.
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A line that introduces the quoted message (possibly the end of one Gmail wrapped in two). */
const QUOTE_HEADER = [
  /^On\b.{0,300}\bwrote:$/i,
  /^Le\b.{0,300}\ba écrit\s?:$/i,
  /^Am\b.{0,300}\bschrieb.{0,80}:$/i,
  /님이 작성:$/,
  /작성:$/,
  /のメッセージ[:：]$/,
  /のメール[:：]$/,
  /書きました[:：]$/,
  // Gmail in Japanese: "2026年12月6日(日) 9:00 Northwind <care@example.com>:"
  /^\d{4}年\d{1,2}月\d{1,2}日.{0,200}[>＞][:：]$/,
  /نوشت[:：]$/,
];

const SEPARATOR = [
  /^-{2,}\s*(Original Message|Forwarded message|원본 메시지|전달된 메시지|元のメッセージ|転送メッセージ|پیام اصلی|پیام بازارسال شده)\s*-{2,}$/i,
  /^_{20,}$/,
];

// Outlook's header block: a "From:" line followed by a "Sent:" or "Date:" line.
const FROM_LINE = /^\*?(From|보낸 사람|差出人|送信者|از)\s?[:：]/i;
const SENT_LINE = /^\*?(Sent|Date|보낸 날짜|날짜|送信日時|日付|تاریخ|ارسال شده|ارسال)\s?[:：]/i;

// The signature: RFC 3676's "-- " line, and what phones add below a message.
const SIGNATURE = [/^-- ?$/, /^Sent from my \S+/i, /^Get Outlook for /i, /에서 보냄$/, /から送信$/, /^ارسال شده از /];

const clean = (line: string) => line.replace(BIDI, "").trim();

function startsQuote(lines: string[], i: number): boolean {
  const line = clean(lines[i]);
  if (line.startsWith(">")) return true;
  if (SEPARATOR.some((re) => re.test(line))) return true;
  if (QUOTE_HEADER.some((re) => re.test(line))) return true;
  // Gmail wraps a long "On … wrote:" line in two.
  const next = i + 1 < lines.length ? clean(lines[i + 1]) : "";
  if (line && next && QUOTE_HEADER.some((re) => re.test(`${line} ${next}`))) return true;
  if (FROM_LINE.test(line)) {
    const following = lines.slice(i + 1, i + 4).map(clean);
    if (following.some((l) => SENT_LINE.test(l))) return true;
  }
  return false;
}

/** The shopper's own words: above the quoted message, without the signature, at most 10,000 characters. */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    if (startsQuote(lines, i)) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end);
  const signature = kept.findIndex((line) => SIGNATURE.some((re) => re.test(clean(line))));
  return (signature >= 0 ? kept.slice(0, signature) : kept).join("\n").trim().slice(0, 10_000);
}

/** "Mina Rahimi <mina@example.com>" -> "mina@example.com", lower-cased; "" when there is none. */
export function emailAddressOf(value: unknown): string {
  if (typeof value !== "string") return "";
  const inAngles = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1];
  const bare = inAngles ?? /[^\s<>"]+@[^\s<>"]+/.exec(value)?.[0] ?? "";
  return bare.trim().toLowerCase();
}

/** The message ids in a Message-Id, In-Reply-To or References header, in order, without brackets. */
export function messageIdsIn(value: unknown): string[] {
  if (typeof value !== "string") return [];
  return [...value.matchAll(/<([^<>\s]{1,250})>/g)].map((m) => m[1]);
}

/** A request reference ("REQ-1042") quoted in a subject, as its number. */
export function referencedNumber(subject: string): number | null {
  const match = /\bREQ-(\d{1,9})\b/i.exec(subject);
  return match ? Number(match[1]) : null;
}
