/**
 * Shoppers' replies that stop or restart texts. These are the words Twilio and US carriers honour
 * (Twilio's default opt-out and opt-in keywords), matched as the whole reply, without regard to
 * case, spaces or closing punctuation: "stop", "STOP." and " Stop " stop; "please stop" does not.
 */

export const OPT_OUT_WORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"] as const;
export const OPT_IN_WORDS = ["START", "YES", "UNSTOP"] as const;

export type Reply = "opt_out" | "opt_in" | "other";

export function classifyReply(body: string): Reply {
  const word = body
    .trim()
    .replace(/[.!?]+$/, "")
    .toUpperCase();
  if ((OPT_OUT_WORDS as ReadonlyArray<string>).includes(word)) return "opt_out";
  if ((OPT_IN_WORDS as ReadonlyArray<string>).includes(word)) return "opt_in";
  return "other";
}

/** A phone number as Twilio wants it (E.164): "+" then 8 to 15 digits; spaces, dashes and brackets dropped. */
export function e164(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const cleaned = phone.replace(/[\s\-().]/g, "");
  return /^\+[1-9]\d{7,14}$/.test(cleaned) ? cleaned : null;
}
