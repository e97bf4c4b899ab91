import { z } from "zod";

/**
 * The loyalty program's settings, stored as one JSON document per shop and read through this
 * parser, so a setting added later has its default without a migration. Pure: no I/O.
 */
export const LOCALES = ["en", "ko", "ja", "fa"] as const;
export type LoyaltyLocale = (typeof LOCALES)[number];

const tierSchema = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,32}$/, "Use lowercase letters, digits and dashes"),
  name: z.string().trim().min(1, "Give the tier a name").max(40),
  /** The name in the storefront's other languages; empty shows `name` (English). */
  names: z
    .object({
      ko: z.string().trim().max(40).default(""),
      ja: z.string().trim().max(40).default(""),
      fa: z.string().trim().max(40).default(""),
    })
    .default({}),
  /** Spend over the last 12 months, minor units, from which a member is in this tier. */
  thresholdMinor: z.number().int().min(0),
  /** Points earned are multiplied by this (1 = no bonus). */
  multiplier: z.number().min(1).max(10),
  perks: z.string().trim().max(300).default(""),
});
export type Tier = z.infer<typeof tierSchema>;

export const loyaltySettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** What points are called, per storefront language; English is the fallback. */
    currencyName: z
      .object({
        en: z.string().trim().min(1).max(24).default("points"),
        ko: z.string().trim().max(24).default(""),
        ja: z.string().trim().max(24).default(""),
        fa: z.string().trim().max(24).default(""),
      })
      .default({}),
    /** Points per one whole unit of the shop's currency (1 = a point per dollar). */
    pointsPerUnit: z.number().min(0).max(1000).default(1),
    includeShipping: z.boolean().default(false),
    includeTax: z.boolean().default(false),
    signupBonus: z.number().int().min(0).max(1_000_000).default(0),
    birthdayBonus: z.number().int().min(0).max(1_000_000).default(0),
    /** Days an earning stays pending (e.g. the return window) before it can be spent. */
    pendingDays: z.number().int().min(0).max(365).default(30),
    /** Points expire after this many days without activity; 0 = never. */
    expiryDays: z.number().int().min(0).max(3650).default(0),
    /** Days before expiry that the reminder email goes out. */
    expiryReminderDays: z.number().int().min(1).max(365).default(14),
    tiers: z.array(tierSchema).max(10).default([]),
  })
  .superRefine((s, ctx) => {
    const keys = new Set<string>();
    s.tiers.forEach((t, i) => {
      if (keys.has(t.key))
        ctx.addIssue({ code: "custom", path: ["tiers", i, "key"], message: "loyalty.error.tierKeyTwice" });
      keys.add(t.key);
    });
    if (s.expiryDays > 0 && s.expiryReminderDays >= s.expiryDays) {
      ctx.addIssue({
        code: "custom",
        path: ["expiryReminderDays"],
        message: "loyalty.error.reminderAfterExpiry",
      });
    }
  });

export type LoyaltySettings = z.infer<typeof loyaltySettingsSchema>;

export const DEFAULT_SETTINGS: LoyaltySettings = loyaltySettingsSchema.parse({});

/** Parses a stored document; anything unreadable falls back to the defaults rather than failing a webhook. */
export function parseSettings(json: string | null | undefined): LoyaltySettings {
  if (!json) return DEFAULT_SETTINGS;
  try {
    const result = loyaltySettingsSchema.safeParse(JSON.parse(json));
    return result.success ? result.data : DEFAULT_SETTINGS;
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/**
 * The word for points in each language when the merchant kept the default name (as the storefront block's locales
 * say it).
 */
const DEFAULT_POINTS_NAME: Record<LoyaltyLocale, string> = { en: "points", ko: "포인트", ja: "ポイント", fa: "امتیاز" };

/**
 * What points are called in a language: the merchant's name for it, else their English name if
 * they renamed points (a brand name such as "Maple Leaves" stays), else that language's own word.
 */
export function currencyNameFor(settings: LoyaltySettings, locale: string): string {
  const base = locale.split("-")[0] as LoyaltyLocale;
  if (!LOCALES.includes(base)) return settings.currencyName.en;
  if (settings.currencyName[base]) return settings.currencyName[base];
  return settings.currencyName.en === DEFAULT_POINTS_NAME.en ? DEFAULT_POINTS_NAME[base] : settings.currencyName.en;
}

/** The storefront languages a merchant translates names into; English is the main name. */
export type TranslatedLocale = Exclude<LoyaltyLocale, "en">;

/** A name as shoppers read it in `locale` ("ko-KR" reads as "ko"): the merchant's translation, else the main name. */
export function translatedFor(
  main: string,
  translations: Partial<Record<TranslatedLocale, string>> | undefined,
  locale: string,
): string {
  const text = translations?.[locale.split("-")[0] as TranslatedLocale];
  // typeof: a "locale" such as "constructor" must not reach the object's prototype.
  return (typeof text === "string" && text) || main;
}

/** A tier's name as shoppers read it in `locale`: the merchant's translation, else the English name. */
export function tierNameFor(tier: Pick<Tier, "name" | "names">, locale: string): string {
  return translatedFor(tier.name, tier.names, locale);
}
