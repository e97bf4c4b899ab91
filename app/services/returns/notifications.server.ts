/**
 * Return emails: one per (return, milestone) through the shared outbox, so a replayed webhook or
 * a repeated click never sends the same email twice. Rendered in the shopper's language.
 */
import type { Db } from "../../db.server";
import { formatMoney } from "../../domain/shared/money";
import {
  RESOLUTION_WORDS,
  returnTemplateFor,
  type ReturnEmail,
  type ReturnEmailTemplate,
} from "../../domain/returns/email-templates";
import type { Language, ReturnPolicy } from "../../domain/returns/policy";
import { languageFor } from "../../domain/tracking/settings";
import { enqueueNotification } from "../../models/outbox.server";
import { customerFirstName } from "../../models/customers.server";
import { shopProfile } from "../../models/shop.server";
import { renderEmail, type RenderedEmail } from "../email-render.server";
import { unsubscribeUrl } from "../unsubscribe.server";
import { messageSender } from "../klaviyo/settings.server";
import type { EventType } from "../../domain/events/catalog";
import { signLinkToken } from "../link-token.server";

export const RETURNS_NOTIFICATION_KIND = "returns";
export const RETURN_LINK_PURPOSE = "return-status";

const CHROME: Record<Language, { footer: (shop: string) => string; unsubscribe: string; greeting: string }> = {
  en: {
    footer: (s) => `You are getting this email about a return you started with ${s}.`,
    unsubscribe: "Unsubscribe from return updates",
    greeting: "there",
  },
  ko: {
    footer: (s) => `${s}에 요청하신 반품에 관한 메일입니다.`,
    unsubscribe: "반품 알림 수신 거부",
    greeting: "고객",
  },
  ja: {
    footer: (s) => `${s} でお手続きいただいた返品についてのメールです。`,
    unsubscribe: "返品のお知らせを停止する",
    greeting: "お客",
  },
  fa: {
    footer: (s) => `این ایمیل دربارهٔ مرجوعی‌ای است که در ${s} ثبت کرده‌اید.`,
    unsubscribe: "لغو اشتراک اطلاع‌رسانی مرجوعی",
    greeting: "مشتری",
  },
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
  lines: { title: string; quantity: number }[];
}

export function returnStatusToken(shop: string, returnId: string, secret: string, now: Date) {
  return signLinkToken(
    { purpose: RETURN_LINK_PURPOSE, shop, subject: returnId, expiresAt: new Date(now.getTime() + 180 * 86_400_000) },
    secret,
  );
}

/** A return email in its layout: the one way both sent emails and the admin's preview are made. */
export function renderReturnEmail(
  template: ReturnEmailTemplate,
  variables: Record<string, unknown>,
  o: { shopName: string; language: Language; unsubscribeUrl: string },
): Promise<RenderedEmail> {
  return renderEmail(template, variables, {
    shopName: o.shopName,
    accentColor: "#1f5199",
    language: o.language,
    footer: [CHROME[o.language].footer(o.shopName)],
    unsubscribeUrl: o.unsubscribeUrl,
    unsubscribeLabel: CHROME[o.language].unsubscribe,
  });
}

/**
 * A template as a shopper would get it, with example values for the return and the shop's own
 * name, currency, instructions and address, so the merchant sees their wording before saving it.
 * Throws TemplateError when the Liquid cannot be rendered.
 */
export async function previewReturnEmail(
  db: Db,
  shop: string,
  input: { policy: ReturnPolicy; template: ReturnEmailTemplate; language: Language },
): Promise<RenderedEmail> {
  const { policy, language } = input;
  const profile = await shopProfile(db, shop);
  const variables = {
    shop_name: profile.name,
    order_name: "#1001",
    return_number: "1001-R1",
    customer_first_name: "Alex",
    items: [
      { title: "Linen shirt - M", quantity: 1 },
      { title: "Canvas tote", quantity: 2 },
    ],
    resolution: RESOLUTION_WORDS[language].refund,
    amount: formatMoney({ amountMinor: 4_500, currency: profile.currencyCode }, language),
    instructions: policy.instructions[language] || policy.instructions.en,
    return_address: policy.returnAddress || "(your return address)",
    decline_reason: "The items were returned after the return window closed. (example)",
    status_url: `https://${shop}/pages/returns?return=example`,
  };
  return renderReturnEmail(input.template, variables, {
    shopName: profile.name,
    language,
    unsubscribeUrl: `https://${shop}/apps/aftercare/unsubscribe?token=example`,
  });
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
  const unsubscribe = unsubscribeUrl({
    shop,
    email: ret.email,
    kind: RETURNS_NOTIFICATION_KIND,
    secret: deps.secret,
    now: deps.now,
  });
  const email = await renderReturnEmail(returnTemplateFor(policy, language, milestone), variables, {
    shopName: profile.name,
    language,
    unsubscribeUrl: unsubscribe,
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
      // The merchant handed this message to Klaviyo (docs/decisions/0043): logged as skipped, never mailed.
      ...((await messageSender(db, shop, `return.${milestone}` as EventType)) === "klaviyo"
        ? { status: "skipped" as const, note: "Klaviyo sends this message" }
        : {}),
    },
    deps.now,
  );
  return { created: result.created };
}
