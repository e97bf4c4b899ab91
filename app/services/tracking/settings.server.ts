/**
 * Saving a shop's tracking settings from the admin page: the document is validated (including
 * the Liquid of every email template) and saved whole, or nothing is saved and the merchant is
 * told what to fix.
 */
import type { Db } from "../../db.server";
import {
  LANGUAGES,
  NOTIFIED_MILESTONES,
  validateTrackingSettings,
  type Language,
  type NotifiedMilestone,
  type SettingsProblem,
  type TrackingSettings,
} from "../../domain/tracking/settings";
import { getTrackingSettings, saveTrackingSettings } from "../../models/tracking.server";
import { shopProfile } from "../../models/shop.server";
import { templateProblem, type RenderedEmail } from "../email-render.server";
import { templateFor } from "../../domain/tracking/email-templates";
import { fieldProblem } from "../../locales/admin/problems";
import { liquidSaid } from "../../locales/admin/liquid";

import { renderTrackingEmail, formatEstimate } from "./notifications.server";
import { recommendationSourceKey } from "./recommendations.server";
import { forgetShopForLookups } from "./lookup.server";

export type SaveResult = { ok: true; settings: TrackingSettings } | { ok: false; problems: SettingsProblem[] };

export async function updateTrackingSettings(db: Db, shop: string, input: unknown): Promise<SaveResult> {
  const result = validateTrackingSettings(input);
  if (!result.ok) return result;
  const problems: SettingsProblem[] = [];
  for (const language of LANGUAGES) {
    for (const milestone of NOTIFIED_MILESTONES) {
      const template = result.settings.notifications.templates[language]?.[milestone];
      if (!template) continue;
      for (const part of ["subject", "body"] as const) {
        const problem = templateProblem(template[part]);
        if (problem) {
          problems.push(
            fieldProblem(
              `notifications.templates.${language}.${milestone}.${part}`,
              "form.error.template",
              { detail: liquidSaid(problem) },
              `field.tracking.notifications.${part}`,
            ),
          );
        }
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  const before = await getTrackingSettings(db, shop);
  await saveTrackingSettings(db, shop, result.settings);
  forgetShopForLookups(shop);
  if (recommendationSourceKey(before) !== recommendationSourceKey(result.settings)) {
    await db.trackingRecommendationCache.deleteMany({ where: { shop } });
  }
  return { ok: true, settings: result.settings };
}

/**
 * The email a template produces, with this shop's newest shipment when it has one and otherwise
 * with plainly labelled example values, so the merchant sees their wording before saving it.
 */
export async function previewTrackingEmail(
  db: Db,
  shop: string,
  input: { settings: TrackingSettings; language: Language; milestone: NotifiedMilestone },
): Promise<RenderedEmail> {
  const profile = await shopProfile(db, shop);
  const latest = await db.shipmentTracking.findFirst({ where: { shop }, orderBy: { shippedAt: "desc" } });
  const variables = {
    shop_name: profile.name,
    order_name: latest?.orderName ?? "#1001 (example)",
    customer_first_name: "Alex (example)",
    carrier: latest?.carrier?.toUpperCase() ?? "UPS",
    tracking_number: latest?.trackingNumber ?? "1Z999AA10123456784",
    carrier_url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    estimated_delivery: formatEstimate(
      latest?.estimatedBy
        ? { earliest: latest.estimatedBy, latest: latest.estimatedBy }
        : { earliest: "2030-01-08", latest: "2030-01-10" },
      input.language,
    ),
    tracking_url: `https://${shop}${input.settings.trackingPagePath}?token=preview`,
    carrier_message: "Address needs more detail (example)",
    items: [{ title: "Linen shirt", quantity: 1 }],
  };
  return renderTrackingEmail({
    template: templateFor(input.settings, input.language, input.milestone),
    variables,
    settings: input.settings,
    shopName: profile.name,
    language: input.language,
    unsubscribeUrl: `https://${shop}/apps/aftercare/unsubscribe?token=preview`,
  });
}
