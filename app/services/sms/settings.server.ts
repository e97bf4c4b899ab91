/**
 * The SMS page's save: the whole settings object checked against the schema (sender format,
 * templates' length and variables), every problem returned at once and nothing stored when one
 * is wrong.
 */
import type { Db } from "../../db.server";
import { smsSettingsSchema, type SmsSettings } from "../../domain/sms/templates";
import { countOptOuts, loadSmsSettings, recentSmsMessages, storeSmsSettings } from "../../models/sms.server";

export type SmsSaveResult =
  { ok: true; settings: SmsSettings } | { ok: false; problems: { path: string; message: string }[] };

export async function saveSmsSettings(db: Db, shop: string, input: unknown): Promise<SmsSaveResult> {
  const parsed = smsSettingsSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  if (parsed.data.enabled && !parsed.data.sender)
    return { ok: false, problems: [{ path: "sender", message: "sms.error.senderNeeded" }] };
  await storeSmsSettings(db, shop, parsed.data);
  return { ok: true, settings: parsed.data };
}

export async function smsPage(db: Db, shop: string) {
  const [settings, optOuts, recent] = await Promise.all([
    loadSmsSettings(db, shop),
    countOptOuts(db, shop),
    recentSmsMessages(db, shop, 10),
  ]);
  return { settings, optOuts, recent };
}
