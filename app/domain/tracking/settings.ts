/**
 * A shop's tracking settings: one document, validated here on every write and parsed with
 * defaults on every read, so a shop that never opened the page gets sensible behaviour and a
 * setting added later needs no migration. Messages are written for the merchant who typed the value.
 */
import { z } from "zod";

import { problemsFromZod, type FieldProblem } from "../../locales/admin/problems";

import { isCivilDate } from "./calendar";
import {
  LANGUAGES,
  NOTIFIED_MILESTONES,
  WORDING_KEYS,
  type Language,
  type NotifiedMilestone,
  type WordingKey,
} from "./vocabulary";

export { LANGUAGES, NOTIFIED_MILESTONES, WORDING_KEYS, type Language, type NotifiedMilestone, type WordingKey };

const colour = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour in the form #1a73e8");
const httpsUrl = z
  .string()
  .trim()
  .max(2000, "is too long")
  .refine((v) => {
    try {
      return new URL(v).protocol === "https:";
    } catch {
      return false;
    }
  }, "must be a full https:// address");
const optionalHttpsUrl = z.union([z.literal(""), httpsUrl]);
const optionalEmail = z.union([
  z.literal(""),
  z.string().trim().email("must be an email address such as help@yourshop.com"),
]);
const bool = (value: boolean) => z.boolean({ invalid_type_error: "must be on or off" }).default(value);
const wholeDays = (min: number, max: number) =>
  z
    .number({ invalid_type_error: "must be a number of days" })
    .int("must be a whole number of days")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const gidOf = (resource: string) =>
  z
    .string()
    .regex(
      new RegExp(`^gid://shopify/${resource}/\\d+$`),
      `must be a Shopify ${resource.toLowerCase()} id (gid://shopify/${resource}/…)`,
    );

const transitRange = z.object({ min: wholeDays(0, 60), max: wholeDays(0, 60) }).refine((r) => r.min <= r.max, {
  message: "tracking.error.transitRange",
  path: ["max"],
});

const wording = z.object(
  Object.fromEntries(
    WORDING_KEYS.map((k) => [k, z.string().trim().max(60, "must be at most 60 characters").optional()]),
  ) as Record<WordingKey, z.ZodOptional<z.ZodString>>,
);

const template = z.object({
  subject: z.string().trim().min(1, "needs a subject").max(200, "subject must be at most 200 characters"),
  body: z.string().trim().min(1, "needs some text").max(10_000, "must be at most 10,000 characters"),
});

const templatesForLanguage = z.object(
  Object.fromEntries(NOTIFIED_MILESTONES.map((m) => [m, template.optional()])) as Record<
    NotifiedMilestone,
    z.ZodOptional<typeof template>
  >,
);

const perLanguage = <T extends z.ZodTypeAny>(schema: T) =>
  z
    .object(Object.fromEntries(LANGUAGES.map((l) => [l, schema.default({})])) as Record<Language, z.ZodDefault<T>>)
    .default({} as never);

export const trackingSettingsSchema = z
  .object({
    branding: z
      .object({
        accentColor: colour.default("#1f5199"),
        logoUrl: optionalHttpsUrl.default(""),
      })
      .default({}),
    wording: perLanguage(wording),
    display: z
      .object({
        items: bool(true),
        itemImages: bool(true),
        scans: bool(true),
        estimate: bool(true),
        recommendations: bool(true),
        contact: bool(true),
      })
      .default({}),
    contact: z.object({ email: optionalEmail.default(""), url: optionalHttpsUrl.default("") }).default({}),
    /** The storefront page where the merchant placed the block; notification links open it. */
    trackingPagePath: z
      .string()
      .trim()
      .regex(/^\/[A-Za-z0-9/_\-.]*$/, "must be a path on your store such as /pages/track-order")
      .default("/pages/track-order"),
    recommendations: z
      .object({
        source: z
          .enum(["none", "collection", "products"], { message: "must be none, a collection or products" })
          .default("none"),
        collectionId: gidOf("Collection").nullable().default(null),
        productIds: z.array(gidOf("Product")).max(12, "choose at most 12 products").default([]),
        limit: z.number().int().min(1, "show at least 1 product").max(8, "show at most 8 products").default(4),
      })
      .default({})
      .superRefine((r, ctx) => {
        if (r.source === "collection" && !r.collectionId) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["collectionId"],
            message: "tracking.error.chooseCollection",
          });
        }
        if (r.source === "products" && r.productIds.length === 0) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ["productIds"],
            message: "tracking.error.chooseProducts",
          });
        }
      }),
    estimates: z
      .object({
        processingBusinessDays: wholeDays(0, 30).default(1),
        cutoffHour: z
          .number()
          .int("must be a whole hour")
          .min(0, "must be between 0 and 24")
          .max(24, "must be between 0 and 24")
          .default(14),
        useHistory: bool(true),
        weekend: z
          .array(z.number().int().min(0).max(6))
          .max(6, "leave at least one working day in the week")
          .default([0, 6]),
        holidays: z
          .array(z.string().refine(isCivilDate, "must be a date in the form 2025-12-25"))
          .max(100, "list at most 100 closed days")
          .default([]),
        transitBusinessDays: z
          .object({
            default: transitRange.default({ min: 3, max: 7 }),
            byCountry: z
              .record(z.string().regex(/^[A-Z]{2}$/, "must be a two-letter country code such as CA"), transitRange)
              .default({}),
          })
          .default({}),
      })
      .default({}),
    delays: z
      .object({
        unfulfilledAfterBusinessDays: wholeDays(1, 60).nullable().default(3),
        noScanForBusinessDays: wholeDays(1, 30).nullable().default(4),
        pastEstimate: bool(true),
      })
      .default({}),
    notifications: z
      .object({
        enabled: z
          .object(
            Object.fromEntries(NOTIFIED_MILESTONES.map((m) => [m, bool(true)])) as Record<
              NotifiedMilestone,
              z.ZodDefault<z.ZodBoolean>
            >,
          )
          .default({}),
        defaultLanguage: z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(", ")}` }).default("en"),
        replyTo: optionalEmail.default(""),
        templates: perLanguage(templatesForLanguage),
      })
      .default({}),
  })
  .strict();

export type TrackingSettings = z.infer<typeof trackingSettingsSchema>;
export type TrackingSettingsInput = z.input<typeof trackingSettingsSchema>;

export const DEFAULT_TRACKING_SETTINGS: TrackingSettings = trackingSettingsSchema.parse({});

/** A refused field, in words from the admin's locale files (see locales/admin/problems.ts). */
export type SettingsProblem = FieldProblem;

/** Each problem named by its field, in the merchant's words ("Accent colour is not …"). */
export function describeSettingsProblems(error: z.ZodError): SettingsProblem[] {
  return problemsFromZod(error, "tracking");
}

export type SettingsResult = { ok: true; settings: TrackingSettings } | { ok: false; problems: SettingsProblem[] };

export function validateTrackingSettings(input: unknown): SettingsResult {
  const result = trackingSettingsSchema.safeParse(input);
  return result.success
    ? { ok: true, settings: result.data }
    : { ok: false, problems: describeSettingsProblems(result.error) };
}

/** Stored settings with defaults filled in; a document that no longer validates falls back to defaults. */
export function readTrackingSettings(stored: string | null | undefined): TrackingSettings {
  if (!stored) return DEFAULT_TRACKING_SETTINGS;
  try {
    const parsed = trackingSettingsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_TRACKING_SETTINGS;
  } catch {
    return DEFAULT_TRACKING_SETTINGS;
  }
}

/** The language to write to a shopper in: theirs when we have templates in it, else the shop's choice. */
export function languageFor(locale: string | null | undefined, fallback: Language): Language {
  const base = (locale ?? "").toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as ReadonlyArray<string>).includes(base) ? (base as Language) : fallback;
}
