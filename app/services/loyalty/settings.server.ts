import type { Db } from "../../db.server";
import { problemsFromZod, type FieldProblem } from "../../locales/admin/problems";
import { loyaltySettingsSchema, parseSettings, type LoyaltySettings } from "../../domain/loyalty/settings";

export async function loadLoyaltySettings(db: Db, shop: string): Promise<LoyaltySettings> {
  const row = await db.loyaltySettings.findUnique({ where: { shop } });
  return parseSettings(row?.settings);
}

/** Whether the settings were saved at least once, and whether the program is on (the setup guide). */
export async function loyaltyProgramState(db: Db, shop: string): Promise<{ saved: boolean; enabled: boolean }> {
  const row = await db.loyaltySettings.findUnique({ where: { shop } });
  return { saved: row !== null, enabled: parseSettings(row?.settings).enabled };
}

export type SaveResult = { ok: true; settings: LoyaltySettings } | { ok: false; errors: FieldProblem[] };

/** Validates and stores the whole document; nothing is written when any field is wrong. */
export async function saveLoyaltySettings(db: Db, shop: string, input: unknown): Promise<SaveResult> {
  const parsed = loyaltySettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: problemsFromZod(parsed.error, "loyalty") };
  const settings = JSON.stringify(parsed.data);
  await db.loyaltySettings.upsert({ where: { shop }, create: { shop, settings }, update: { settings } });
  return { ok: true, settings: parsed.data };
}
