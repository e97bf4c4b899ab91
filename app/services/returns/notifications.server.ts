/**
 * Return emails: one per (return, milestone) through the shared outbox, so a replayed webhook or
 * a repeated click never sends the same email twice. Rendered in the shopper's language.
 */
import type { Db } from "../../db.server";
import { formatMoney } from "../../domain/shared/money";
import { RESOLUTION_WORDS, returnTemplateFor, type ReturnEmail } from "../../domain/returns/email-templates";
import type { Language, ReturnPolicy } from "../../domain/returns/policy";
import { languageFor } from "../../domain/tracking/settings";
import { enqueueNotification } from "../../models/outbox.server";
import { customerFirstName, shopProfile } from "../../models/tracking.server";
import { renderEmail } from "../email-render.server";
import { unsubscribeUrl } from "../unsubscribe.server";
import { signLinkToken } from "../link-token.server";

export const RETURNS_NOTIFICATION_KIND = "returns";
export const RETURN_LINK_PURPOSE = "return-status";

const CHROME: Record<Language, { footer: (shop: string) => string; unsubscribe: string; greeting: string }> = {
  en: { footer: (s) => `You are getting this email about a return you started with ${s}.`, unsubscribe: "Unsubscribe from return updates", greeting: "there" },
  ko: { footer: (s) => `${s}에 요청하신 반품에 관한 메일입니다.`, unsubscribe: "반품 알림 수신 거부", greeting: "고객" },
  ja: { footer: (s) => `${s} でお手続きいただいた返品についてのメールです。`, unsubscribe: "返品のお知らせを停止する", greeting: "お客" },
  fa: { footer: (s) => `این ایمیل دربارهٔ مرجوعی‌ای است که در ${s} ثبت کرده‌اید.`, unsubscribe: "لغو اشتراک اطلاع‌رسانی مرجوعی", greeting: "مشتری" },
};

export interface ReturnForEmail {
  id: string;
  number: string;
  orderName: string;
  orderShopifyId: string;
  customerShopifyId: string | null;
  email: string | null;
  locale: string;
  resolution: string;
  resolutionMinor: number;
  currency: string;
  declineNote: string | null;
  lines: Array<{ title: string; quantity: number }>;
}

export function returnStatusToken(shop: string, returnId: string, secret: string, now: Date) {
  return signLinkToken({ purpose: RETURN_LINK_PURPOSE, shop, subject: returnId, expiresAt: new Date(now.getTime() + 180 * 86_400_000) }, secret);
}

export async function notifyReturn(
  db: Db,
  shop: string,
  policy: ReturnPolicy,
  ret: ReturnForEmail,
  milestone: ReturnEmail,
  deps: { secret: string; now: Date; returnsPagePath?: string },
): Promise<{ created: boolean } | null> {
  if (!ret.email) return null;
  const language = languageFor(ret.locale, "en");
  const profile = await shopProfile(db, shop);
  const first = (await customerFirstName(db, shop, ret.customerShopifyId)) ?? CHROME[language].greeting;
  const token = returnStatusToken(shop, ret.id, deps.secret, deps.now);
  const variables = {
    shop_name: profile.name,
    order_name: ret.orderName,
    return_number: ret.number,
    customer_first_name: first,
    items: ret.lines.map((l) => ({ title: l.title, quantity: l.quantity })),
    resolution: RESOLUTION_WORDS[language][ret.resolution] ?? ret.resolution,
    amount: formatMoney({ amountMinor: ret.resolutionMinor, currency: ret.currency }, language),
    instructions: policy.instructions[language] || policy.instructions.en,
    return_address: policy.returnAddress,
    decline_reason: ret.declineNote ?? "",
    status_url: `https://${shop}${deps.returnsPagePath ?? "/pages/returns"}?return=${encodeURIComponent(token)}`,
  };
  const unsubscribe = unsubscribeUrl({ shop, email: ret.email, kind: RETURNS_NOTIFICATION_KIND, secret: deps.secret, now: deps.now });
  const email = await renderEmail(returnTemplateFor(policy, language, milestone), variables, {
    shopName: profile.name,
    accentColor: "#1f5199",
    language,
    footer: [CHROME[language].footer(profile.name)],
    unsubscribeUrl: unsubscribe,
    unsubscribeLabel: CHROME[language].unsubscribe,
  });
  const result = await enqueueNotification(
    db,
    {
      shop,
      kind: RETURNS_NOTIFICATION_KIND,
      subjectId: ret.id,
      milestone,
      recipient: ret.email,
      locale: language,
      subject: email.subject,
      bodyHtml: email.html,
      bodyText: email.text,
      fromName: profile.name,
      replyTo: profile.email,
      orderShopifyId: ret.orderShopifyId,
      customerShopifyId: ret.customerShopifyId,
      ...(policy.notifications.enabled ? {} : { status: "skipped" as const, note: "return emails are switched off" }),
    },
    deps.now,
  );
  return { created: result.created };
}
