/**
 * Live chat's rules with no I/O (docs/decisions/0034): what a message may hold, what a chat
 * token's subject says, and the limits every sender meets.
 */

export const CHAT_LIMITS = {
  /** Characters in one message (after cleaning). */
  message: 2000,
  /** Characters of a typing preview relayed to agents. */
  preview: 500,
  /** A sender's own id for a message: letters, digits, - and _. */
  clientId: 64,
} as const;

/** Rate limits (rate-limit.server.ts rules): per conversation, per client, new chats per client. */
export const CHAT_RATE_RULES = {
  perConversation: { name: "chat-message-conversation", limit: 20, windowMs: 60_000 },
  perClient: { name: "chat-message-client", limit: 60, windowMs: 60_000 },
  newChatPerClient: { name: "chat-start-client", limit: 5, windowMs: 3_600_000 },
  /** Typing and delivery signals (a client sends one every 1.5 s at most while typing). */
  signalsPerClient: { name: "chat-signal-client", limit: 120, windowMs: 60_000 },
} as const;

/** How long a chat token lasts; the page asks the app proxy for a new one after that. */
export const CHAT_TOKEN_TTL_MS = 60 * 60_000;

// C0 and C1 controls but tab and newline, bidi overrides/isolates that could disguise text, and
// zero-width characters other than the joiners Persian needs (U+200C, U+200D).
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNWANTED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200B\u200E\u200F\uFEFF]/g;

/**
 * A chat message as it is stored and shown: plain text (every client renders it as text, never
 * HTML), line breaks kept, at most two blank lines in a row, surrounding space trimmed.
 */
export function cleanChatText(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(UNWANTED, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export type ChatTextCheck =
  { ok: true; text: string } | { ok: false; status: 400 | 413; error: "empty" | "too_long"; message: string };

export function checkChatText(raw: unknown): ChatTextCheck {
  const text = typeof raw === "string" ? cleanChatText(raw) : "";
  if (!text) return { ok: false, status: 400, error: "empty", message: "Write a message before sending." };
  if ([...text].length > CHAT_LIMITS.message) {
    return {
      ok: false,
      status: 413,
      error: "too_long",
      message: `Keep a message under ${CHAT_LIMITS.message} characters.`,
    };
  }
  return { ok: true, text };
}

/** A typing preview: cleaned, cut to its limit (never refused: it is only a preview). */
export function typingPreview(raw: unknown): string {
  return typeof raw === "string" ? [...cleanChatText(raw)].slice(0, CHAT_LIMITS.preview).join("") : "";
}

const VISITOR = /^[A-Za-z0-9_-]{22,64}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const isVisitorId = (value: unknown): value is string => typeof value === "string" && VISITOR.test(value);
export const isClientId = (value: unknown): value is string => typeof value === "string" && CLIENT_ID.test(value);

/** Who a chat token speaks for: a browser (its random visitor id) and, if signed in, the customer. */
export interface ChatSubject {
  visitor: string;
  customerId: string | null;
}

export const chatSubjectText = (s: ChatSubject) => (s.customerId ? `${s.visitor}:${s.customerId}` : s.visitor);

export function readChatSubject(text: string): ChatSubject | null {
  const [visitor, customerId, extra] = text.split(":");
  if (extra !== undefined || !isVisitorId(visitor)) return null;
  if (customerId !== undefined && !/^\d{1,20}$/.test(customerId)) return null;
  return { visitor, customerId: customerId ?? null };
}
