/**
 * The admin forms' shape: what a merchant types (amounts in the shop's currency as text, numbers
 * as text while being edited) and its conversion to the stored settings and rewards. Pure, so the
 * page and its action share it and a test can run it without Remix.
 */
import { fromMinor, toMinor } from "../shared/money";

import { LOCALES, type LoyaltyLocale, type LoyaltySettings } from "./settings";

export interface TierForm {
  key: string;
  name: string;
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

export type FormErrors = Record<string, string>;

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
      threshold: fromMinor(t.thresholdMinor, currency),
      multiplier: String(t.multiplier),
      perks: t.perks,
    })),
  };
}

/** A number typed into a field, or an error naming the field. */
function numberFrom(value: unknown, label: string, path: string, errors: FormErrors, whole = true): number {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (text === "" || !/^-?\d+(\.\d+)?$/.test(text)) {
    errors[path] ??= `${label}: enter a number`;
    return 0;
  }
  const n = Number(text);
  if (whole && !Number.isInteger(n)) errors[path] ??= `${label}: enter a whole number`;
  return n;
}

export function moneyFrom(value: unknown, label: string, path: string, currency: string, errors: FormErrors): number {
  const text =
    typeof value === "string" ? value.trim().replace(/,/g, "") : typeof value === "number" ? String(value) : "";
  if (!/^\d+(\.\d+)?$/.test(text)) {
    errors[path] ??= `${label}: enter an amount like 100 or 99.50`;
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
  const errors: FormErrors = {};
  if (!input || typeof input !== "object")
    return { ok: false, errors: { settings: "The settings could not be read. Reload the page and try again." } };
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
    return {
      key,
      name,
      thresholdMinor: moneyFrom(t.threshold, `Tier ${i + 1} spend`, `tiers.${i}.thresholdMinor`, currency, errors),
      multiplier: numberFrom(t.multiplier, `Tier ${i + 1} multiplier`, `tiers.${i}.multiplier`, errors, false),
      perks: typeof t.perks === "string" ? t.perks : "",
    };
  });
  const settings = {
    enabled: f.enabled === true,
    currencyName,
    pointsPerUnit: numberFrom(f.pointsPerUnit, "Points per unit spent", "pointsPerUnit", errors, false),
    includeShipping: f.includeShipping === true,
    includeTax: f.includeTax === true,
    signupBonus: numberFrom(f.signupBonus, "Sign-up bonus", "signupBonus", errors),
    birthdayBonus: numberFrom(f.birthdayBonus, "Birthday bonus", "birthdayBonus", errors),
    pendingDays: numberFrom(f.pendingDays, "Days points stay pending", "pendingDays", errors),
    expiryDays: numberFrom(f.expiryDays, "Days without activity before points expire", "expiryDays", errors),
    expiryReminderDays: numberFrom(f.expiryReminderDays, "Reminder days before expiry", "expiryReminderDays", errors),
    tiers,
  };
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, settings };
}

/** Field names a merchant recognises, for messages that come from the schema's range rules. */
export const SETTING_LABELS: Record<string, string> = {
  "currencyName.en": "Name of points (English)",
  pointsPerUnit: "Points per unit spent",
  signupBonus: "Sign-up bonus",
  birthdayBonus: "Birthday bonus",
  pendingDays: "Days points stay pending",
  expiryDays: "Days without activity before points expire",
  expiryReminderDays: "Reminder days before expiry",
  tiers: "Tiers",
};

export function labelFor(path: string): string {
  const tier = /^tiers\.(\d+)\.(\w+)/.exec(path);
  if (tier) return `Tier ${Number(tier[1]) + 1} ${tier[2] === "thresholdMinor" ? "spend" : tier[2]}`;
  return SETTING_LABELS[path] ?? path;
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
  const errors: FormErrors = {};
  const kind = REWARD_KINDS.find((k) => k === input.kind);
  if (!kind) return { ok: false, errors: { kind: "Choose what the reward gives" } };
  const needsValue = kind === "fixed_amount" || kind === "store_credit";
  const valueMinor = needsValue ? moneyFrom(input.value, "Amount", "valueMinor", currency, errors) : null;
  const percentOff = kind === "percentage" ? numberFrom(input.percentOff, "Percent off", "percentOff", errors) : null;
  const minimumText = typeof input.minimumOrder === "string" ? input.minimumOrder.trim() : "";
  const minimumOrderMinor =
    kind !== "store_credit" && minimumText
      ? moneyFrom(minimumText, "Minimum order", "minimumOrderMinor", currency, errors)
      : null;
  const pointsCost = numberFrom(input.pointsCost, "Points cost", "pointsCost", errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    reward: { kind, title: input.title ?? "", pointsCost, valueMinor, percentOff, minimumOrderMinor },
  };
}
