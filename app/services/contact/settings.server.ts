import type { Db } from "../../db.server";
import { parseContactSettings, type SettingsResult } from "../../domain/contact/settings";
import { saveContactSettings } from "../../models/contact.server";

/** Saves the admin's settings when every part is valid; otherwise nothing changes. */
export async function updateContactSettings(db: Db, shop: string, input: unknown): Promise<SettingsResult> {
  const result = parseContactSettings(input);
  if (result.ok) await saveContactSettings(db, shop, result.settings);
  return result;
}
