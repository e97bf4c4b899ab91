/**
 * The shop's Contact settings: channels, business hours, FAQ, the contact form and surveys. One
 * validated JSON document per shop (like tracking's), so a new setting needs no migration;
 * parseContactSettings fills defaults and turns bad input into messages a merchant can act on.
 */
import { z } from "zod";

import { fieldProblem, problemsFromZod, type FieldProblem } from "../../locales/admin/problems";
import type { AdminMessageKey } from "../../locales/admin";
import { isValidTimeZone } from "../tracking/calendar";

import { hoursProblems, isClockTime, type BusinessHours } from "./hours";
import { sanitizeAnswerHtml } from "./sanitize";

export const LANGUAGES = ["en", "ko", "ja", "fa"] as const;
export type Language = (typeof LANGUAGES)[number];

export function languageFor(value: string | null | undefined, fallback: Language = "en"): Language {
  const base = (value ?? "").toLowerCase().split("-")[0];
  return (LANGUAGES as ReadonlyArray<string>).includes(base) ? (base as Language) : fallback;
}

export const CHANNEL_KINDS = ["email", "phone", "whatsapp", "messenger", "instagram", "sms", "chat"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const TOPICS = ["order_status", "return", "product", "other"] as const;
export type Topic = (typeof TOPICS)[number];

const PHONE = /^\+?[0-9][0-9 ()-]{5,22}$/;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const HANDLE = /^[A-Za-z0-9._]{1,64}$/;

/** Each channel's value rule and the link a shopper follows, built here so nothing else does. */
export const CHANNEL_RULES: Record<
  ChannelKind,
  { valid: (v: string) => boolean; hint: string; href: (v: string) => string }
> = {
  email: { valid: (v) => EMAIL.test(v), hint: "an email address", href: (v) => `mailto:${v}` },
  phone: {
    valid: (v) => PHONE.test(v),
    hint: "a phone number like +1 416 555 0100",
    href: (v) => `tel:${v.replace(/[^+0-9]/g, "")}`,
  },
  sms: {
    valid: (v) => PHONE.test(v),
    hint: "a phone number like +1 416 555 0100",
    href: (v) => `sms:${v.replace(/[^+0-9]/g, "")}`,
  },
  whatsapp: {
    valid: (v) => PHONE.test(v),
    hint: "a phone number with country code",
    href: (v) => `https://wa.me/${v.replace(/[^0-9]/g, "")}`,
  },
  messenger: {
    valid: (v) => HANDLE.test(v),
    hint: "your Facebook page's username",
    href: (v) => `https://m.me/${encodeURIComponent(v)}`,
  },
  instagram: {
    valid: (v) => HANDLE.test(v.replace(/^@/, "")),
    hint: "an Instagram handle",
    href: (v) => `https://ig.me/m/${encodeURIComponent(v.replace(/^@/, ""))}`,
  },
  chat: {
    valid: (v) => {
      try {
        return new URL(v).protocol === "https:";
      } catch {
        return false;
      }
    },
    hint: "an https:// link to your chat",
    href: (v) => v,
  },
};

const channelSchema = z.object({
  kind: z.enum(CHANNEL_KINDS),
  value: z.string().trim().min(1).max(300),
  /** The reply time promised to shoppers, in minutes of opening time. */
  replyMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 14),
  enabled: z.boolean().default(true),
});
export type Channel = z.infer<typeof channelSchema>;

const CLOCK_HINT = "contact.error.clockTime";
// Hours never cross midnight, so a closing time of 00:00 can only mean "until midnight"
// (a browser's time field cannot hold 24:00).
const dayHours = z
  .object({
    open: z.string().refine(isClockTime, CLOCK_HINT),
    close: z
      .string()
      .transform((v) => (v === "00:00" ? "24:00" : v))
      .refine(isClockTime, CLOCK_HINT),
  })
  .nullable();

const faqItem = z.object({
  id: z.string().min(1).max(40),
  language: z.enum(LANGUAGES),
  category: z.string().trim().min(1).max(80),
  question: z.string().trim().min(1).max(300),
  answerHtml: z.string().max(10_000),
  position: z.number().int().min(0).max(10_000),
});
export type FaqItem = z.infer<typeof faqItem>;

const settingsSchema = z.object({
  channels: z.array(channelSchema).max(20).default([]),
  hours: z
    .object({
      weekly: z.array(dayHours).length(7),
      holidays: z
        .array(z.object({ date: z.string(), name: z.string().trim().max(80).default("") }))
        .max(200)
        .default([]),
    })
    .default({
      weekly: [
        null,
        { open: "09:00", close: "17:00" },
        { open: "09:00", close: "17:00" },
        { open: "09:00", close: "17:00" },
        { open: "09:00", close: "17:00" },
        { open: "09:00", close: "17:00" },
        null,
      ],
      holidays: [],
    }),
  faq: z.array(faqItem).max(300).default([]),
  form: z
    .object({
      enabled: z.boolean().default(true),
      topics: z
        .array(z.enum(TOPICS))
        .min(1)
        .default([...TOPICS]),
      /** Promised reply time for form messages, in minutes of opening time. */
      replyMinutes: z
        .number()
        .int()
        .min(1)
        .max(60 * 24 * 14)
        .default(8 * 60),
    })
    .default({}),
  surveys: z
    .object({
      csat: z.boolean().default(true),
      nps: z.boolean().default(false),
      npsDaysAfterDelivery: z.number().int().min(1).max(90).default(14),
    })
    .default({}),
  /** Live chat's assistant, which answers while no agent is available (docs/decisions/0041). */
  assistant: z.object({ enabled: z.boolean().default(true) }).default({}),
  /** Where replies to the shop's emails go; the shop's email when blank. */
  replyTo: z.string().trim().max(254).default(""),
});

export type ContactSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_CONTACT_SETTINGS: ContactSettings = settingsSchema.parse({});

export type SettingsResult = { ok: true; settings: ContactSettings } | { ok: false; errors: FieldProblem[] };

/** A weekday's problem names the day ("Monday: …"), in the merchant's language. */
const onWeekday = (p: FieldProblem): FieldProblem => {
  const day = /^hours\.weekly\.(\d)/.exec(p.path)?.[1];
  return day ? fieldProblem(p.path, p.key, p.values, `weekday.${day}` as AdminMessageKey) : p;
};

/** Validates settings from the admin form: every problem is listed, nothing is saved half-valid. */
export function parseContactSettings(input: unknown): SettingsResult {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: problemsFromZod(parsed.error, "contact").map(onWeekday) };
  const s = parsed.data;
  const errors: FieldProblem[] = [];
  s.channels.forEach((c, i) => {
    if (!CHANNEL_RULES[c.kind].valid(c.value))
      errors.push(fieldProblem(`channels.${i}.value`, `contact.error.channel.${c.kind}`));
  });
  errors.push(
    ...hoursProblems({ timeZone: "UTC", weekly: s.hours.weekly, holidays: s.hours.holidays.map((h) => h.date) }),
  );
  if (s.replyTo && !EMAIL.test(s.replyTo))
    errors.push(fieldProblem("replyTo", "form.error.email", undefined, "field.contact.replyTo"));
  const ids = new Set<string>();
  s.faq.forEach((f, i) => {
    if (ids.has(f.id)) errors.push(fieldProblem(`faq.${i}`, "contact.error.faqIdTwice", { id: f.id }));
    ids.add(f.id);
  });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    settings: { ...s, faq: s.faq.map((f) => ({ ...f, answerHtml: sanitizeAnswerHtml(f.answerHtml) })) },
  };
}

/** Stored settings, read leniently: a document that no longer validates falls back to defaults. */
export function readContactSettings(stored: string | null | undefined): ContactSettings {
  if (!stored) return DEFAULT_CONTACT_SETTINGS;
  try {
    const result = parseContactSettings(JSON.parse(stored));
    return result.ok ? result.settings : DEFAULT_CONTACT_SETTINGS;
  } catch {
    return DEFAULT_CONTACT_SETTINGS;
  }
}

export function businessHoursOf(settings: ContactSettings, timeZone: string): BusinessHours {
  return {
    timeZone: isValidTimeZone(timeZone) ? timeZone : "UTC",
    weekly: settings.hours.weekly,
    holidays: settings.hours.holidays.map((h) => h.date),
  };
}

/** The FAQ for one language, grouped by category in the merchant's order. */
export function faqFor(settings: ContactSettings, language: Language) {
  const items = settings.faq.filter((f) => f.language === language).sort((a, b) => a.position - b.position);
  const groups = new Map<string, { id: string; question: string; answerHtml: string }[]>();
  for (const f of items) {
    groups.set(f.category, [
      ...(groups.get(f.category) ?? []),
      { id: f.id, question: f.question, answerHtml: sanitizeAnswerHtml(f.answerHtml) },
    ]);
  }
  return [...groups.entries()].map(([category, questions]) => ({ category, questions }));
}
