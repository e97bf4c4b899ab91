/**
 * The admin forms' shape: what a merchant types (amounts in the shop's currency as text, numbers
 * as text while being edited) and its conversion to the stored settings and rewards. Pure, so the
 * page and its action share it and a test can run it without Remix.
 */
import { fromMinor, toMinor } from "../shared/money";
import { fieldLabel, fieldProblem, type FieldProblem, type SettingsForm } from "../../locales/admin/problems";

import { LOCALES, type LoyaltyLocale, type LoyaltySettings } from "./settings";

export interface TierForm {
  key: string;
  name: string;
  /** The name in Korean, Japanese and Persian; empty fields show the English name. */
  names: { ko: string; ja: string; fa: string };
  /** Spend over 12 months in the shop's currency, e.g. "250.00". */
  threshold: string;
  multiplier: string;
  perks: string;
}

export interface LoyaltySettingsForm {
  enabled: boolean;
  currencyName: Record<LoyaltyLocale, string>;
  pointsPerUnit: string;
  includeShipping: boolean;
  includeTax: boolean;
  signupBonus: string;
  birthdayBonus: string;
  pendingDays: string;
  expiryDays: string;
  expiryReminderDays: string;
  tiers: TierForm[];
}

/** Problems of a form, at most one per field. */
export type FormErrors = FieldProblem[];

function add(
  errors: FormErrors,
  form: SettingsForm,
  path: string,
  key: "form.error.number" | "form.error.wholeNumber" | "form.error.amount",
) {
  if (!errors.some((e) => e.path === path))
    errors.push(fieldProblem(path, key, undefined, fieldLabel(form, path.split("."))));
}

export function settingsToForm(s: LoyaltySettings, currency: string): LoyaltySettingsForm {
  return {
    enabled: s.enabled,
    currencyName: { ...s.currencyName },
    pointsPerUnit: String(s.pointsPerUnit),
    includeShipping: s.includeShipping,
    includeTax: s.includeTax,
    signupBonus: String(s.signupBonus),
    birthdayBonus: String(s.birthdayBonus),
    pendingDays: String(s.pendingDays),
    expiryDays: String(s.expiryDays),
    expiryReminderDays: String(s.expiryReminderDays),
    tiers: s.tiers.map((t) => ({
      key: t.key,
      name: t.name,
      names: { ...t.names },
      threshold: fromMinor(t.thresholdMinor, currency),
      multiplier: String(t.multiplier),
      perks: t.perks,
    })),
  };
}

/** A number typed into a field, or a problem naming the field. */
function numberFrom(value: unknown, form: SettingsForm, path: string, errors: FormErrors, whole = true): number {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (text === "" || !/^-?\d+(\.\d+)?$/.test(text)) {
    add(errors, form, path, whole ? "form.error.wholeNumber" : "form.error.number");
    return 0;
  }
  const n = Number(text);
  if (whole && !Number.isInteger(n)) add(errors, form, path, "form.error.wholeNumber");
  return n;
}

export function moneyFrom(
  value: unknown,
  form: SettingsForm,
  path: string,
  currency: string,
  errors: FormErrors,
): number {
  const text =
    typeof value === "string" ? value.trim().replace(/,/g, "") : typeof value === "number" ? String(value) : "";
  if (!/^\d+(\.\d+)?$/.test(text)) {
    add(errors, form, path, "form.error.amount");
    return 0;
  }
  return toMinor(text, currency);
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
}

/**
 * Turns the form into the settings document for loyaltySettingsSchema, collecting the problems
 * that are about typing (not a number, not an amount). Range rules stay in the schema.
 */
export function formToSettings(
  input: unknown,
  currency: string,
): { ok: true; settings: Record<string, unknown> } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = [];
  if (!input || typeof input !== "object") return { ok: false, errors: [fieldProblem("", "form.unreadable")] };
  const f = input as Partial<Record<keyof LoyaltySettingsForm, unknown>>;
  const names = (f.currencyName ?? {}) as Record<string, unknown>;
  const currencyName: Record<string, string> = {};
  for (const locale of LOCALES)
    currencyName[locale] = typeof names[locale] === "string" ? (names[locale] as string) : "";
  const tiersIn = Array.isArray(f.tiers) ? (f.tiers as Partial<TierForm>[]) : [];
  const used = new Set<string>();
  const tiers = tiersIn.map((t, i) => {
    const name = typeof t.name === "string" ? t.name : "";
    // The key is what members are filed under: kept once made, so renaming a tier keeps its members.
    let key = typeof t.key === "string" && t.key ? t.key : slug(name) || `tier-${i + 1}`;
    if (used.has(key)) key = `${key.slice(0, 28)}-${i + 1}`;
    used.add(key);
    const translated = (t.names ?? {}) as Record<string, unknown>;
    const names = Object.fromEntries(
      (["ko", "ja", "fa"] as const).map((l) => [l, typeof translated[l] === "string" ? translated[l] : ""]),
    );
    return {
      key,
      name,
      names,
      thresholdMinor: moneyFrom(t.threshold, "loyalty", `tiers.${i}.thresholdMinor`, currency, errors),
      multiplier: numberFrom(t.multiplier, "loyalty", `tiers.${i}.multiplier`, errors, false),
      perks: typeof t.perks === "string" ? t.perks : "",
    };
  });
  const settings = {
    enabled: f.enabled === true,
    currencyName,
    pointsPerUnit: numberFrom(f.pointsPerUnit, "loyalty", "pointsPerUnit", errors, false),
    includeShipping: f.includeShipping === true,
    includeTax: f.includeTax === true,
    signupBonus: numberFrom(f.signupBonus, "loyalty", "signupBonus", errors),
    birthdayBonus: numberFrom(f.birthdayBonus, "loyalty", "birthdayBonus", errors),
    pendingDays: numberFrom(f.pendingDays, "loyalty", "pendingDays", errors),
    expiryDays: numberFrom(f.expiryDays, "loyalty", "expiryDays", errors),
    expiryReminderDays: numberFrom(f.expiryReminderDays, "loyalty", "expiryReminderDays", errors),
    tiers,
  };
  return errors.length ? { ok: false, errors } : { ok: true, settings };
}

export const REWARD_KINDS = ["fixed_amount", "percentage", "free_shipping", "store_credit"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export const REWARD_KIND_LABELS: Record<RewardKind, string> = {
  fixed_amount: "Amount off",
  percentage: "Percent off",
  free_shipping: "Free shipping",
  store_credit: "Store credit",
};

export interface RewardForm {
  kind: RewardKind;
  title: string;
  /** The title in Korean, Japanese and Persian; empty fields show the English title. */
  titles: { ko: string; ja: string; fa: string };
  pointsCost: string;
  /** Amount in the shop's currency for amount off and store credit. */
  value: string;
  percentOff: string;
  /** Optional minimum order in the shop's currency; empty = none. */
  minimumOrder: string;
}

/** The reward form in the units rewardSchema takes (minor units), with typing problems collected. */
export function rewardFromForm(
  input: Partial<RewardForm>,
  currency: string,
): { ok: true; reward: Record<string, unknown> } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = [];
  const kind = REWARD_KINDS.find((k) => k === input.kind);
  if (!kind) return { ok: false, errors: [fieldProblem("kind", "form.error.choose", undefined, "field.reward.kind")] };
  const needsValue = kind === "fixed_amount" || kind === "store_credit";
  const valueMinor = needsValue ? moneyFrom(input.value, "reward", "valueMinor", currency, errors) : null;
  const percentOff = kind === "percentage" ? numberFrom(input.percentOff, "reward", "percentOff", errors) : null;
  const minimumText = typeof input.minimumOrder === "string" ? input.minimumOrder.trim() : "";
  const minimumOrderMinor =
    kind !== "store_credit" && minimumText
      ? moneyFrom(minimumText, "reward", "minimumOrderMinor", currency, errors)
      : null;
  const pointsCost = numberFrom(input.pointsCost, "reward", "pointsCost", errors);
  if (errors.length) return { ok: false, errors };
  const translated = (input.titles ?? {}) as Record<string, unknown>;
  const titles = Object.fromEntries(
    (["ko", "ja", "fa"] as const).map((l) => [l, typeof translated[l] === "string" ? translated[l] : ""]),
  );
  return {
    ok: true,
    reward: { kind, title: input.title ?? "", titles, pointsCost, valueMinor, percentOff, minimumOrderMinor },
  };
}
