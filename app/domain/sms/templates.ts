/**
 * Text messages for shipments and returns: which events can go by SMS, the merchant's choice for
 * each (off until switched on), and a template per storefront language with `{{ variable }}`
 * placeholders. Defaults are short enough for one or two segments and end with how to stop.
 */
import { z } from "zod";

import type { EventType } from "../events/catalog";

import { MAX_SMS_BODY } from "./segments";

export const SMS_LANGUAGES = ["en", "ko", "ja", "fa"] as const;
export type SmsLanguage = (typeof SMS_LANGUAGES)[number];

export const SMS_MESSAGE_TYPES = [
  "shipment.shipped",
  "shipment.out_for_delivery",
  "shipment.delivered",
  "shipment.delayed",
  "shipment.exception",
  "return.approved",
  "return.declined",
  "return.received",
  "return.resolved",
] as const satisfies ReadonlyArray<EventType>;
export type SmsMessageType = (typeof SMS_MESSAGE_TYPES)[number];

export const isSmsMessageType = (type: string): type is SmsMessageType =>
  (SMS_MESSAGE_TYPES as ReadonlyArray<string>).includes(type);

export const SMS_VARIABLES = [
  "shop_name",
  "order_name",
  "carrier",
  "tracking_url",
  "estimated_delivery",
  "return_number",
] as const;
export type SmsVariables = Partial<Record<(typeof SMS_VARIABLES)[number], string>>;

type Defaults = Record<SmsMessageType, Record<SmsLanguage, string>>;

/* eslint-disable max-len -- each template is one text message, kept on one line to read it as the shopper does */
export const DEFAULT_SMS_TEMPLATES: Defaults = {
  "shipment.shipped": {
    en: "{{ shop_name }}: your order {{ order_name }} is on its way. Track it: {{ tracking_url }} Reply STOP to opt out.",
    ko: "{{ shop_name }}: 주문 {{ order_name }} 상품이 발송되었습니다. 배송 조회: {{ tracking_url }} 수신거부 STOP",
    ja: "{{ shop_name }}：ご注文{{ order_name }}を発送しました。配送状況：{{ tracking_url }} 停止はSTOP",
    fa: "{{ shop_name }}: سفارش {{ order_name }} ارسال شد. پیگیری: {{ tracking_url }} لغو: STOP",
  },
  "shipment.out_for_delivery": {
    en: "{{ shop_name }}: {{ order_name }} is out for delivery today. {{ tracking_url }} Reply STOP to opt out.",
    ko: "{{ shop_name }}: 주문 {{ order_name }} 상품이 오늘 배송 출발했습니다. {{ tracking_url }} 수신거부 STOP",
    ja: "{{ shop_name }}：ご注文{{ order_name }}は本日配達予定です。{{ tracking_url }} 停止はSTOP",
    fa: "{{ shop_name }}: سفارش {{ order_name }} امروز تحویل می‌شود. {{ tracking_url }} لغو: STOP",
  },
  "shipment.delivered": {
    en: "{{ shop_name }}: {{ order_name }} was delivered. Enjoy! Reply STOP to opt out.",
    ko: "{{ shop_name }}: 주문 {{ order_name }} 상품이 배송 완료되었습니다. 수신거부 STOP",
    ja: "{{ shop_name }}：ご注文{{ order_name }}の配達が完了しました。停止はSTOP",
    fa: "{{ shop_name }}: سفارش {{ order_name }} تحویل داده شد. لغو: STOP",
  },
  "shipment.delayed": {
    en: "{{ shop_name }}: {{ order_name }} is running late, now expected {{ estimated_delivery }}. {{ tracking_url }} Reply STOP to opt out.",
    ko: "{{ shop_name }}: 주문 {{ order_name }} 배송이 지연되고 있습니다. 예상 도착: {{ estimated_delivery }} {{ tracking_url }} 수신거부 STOP",
    ja: "{{ shop_name }}：ご注文{{ order_name }}の配送が遅れています。お届け予定：{{ estimated_delivery }} {{ tracking_url }} 停止はSTOP",
    fa: "{{ shop_name }}: ارسال سفارش {{ order_name }} با تأخیر همراه است. زمان تازه: {{ estimated_delivery }} {{ tracking_url }} لغو: STOP",
  },
  "shipment.exception": {
    en: "{{ shop_name }}: the carrier reports a problem delivering {{ order_name }}. Details: {{ tracking_url }} Reply STOP to opt out.",
    ko: "{{ shop_name }}: 주문 {{ order_name }} 배송 중 문제가 발생했습니다. 자세히: {{ tracking_url }} 수신거부 STOP",
    ja: "{{ shop_name }}：ご注文{{ order_name }}の配送に問題が発生しました。詳細：{{ tracking_url }} 停止はSTOP",
    fa: "{{ shop_name }}: در تحویل سفارش {{ order_name }} مشکلی پیش آمده. جزئیات: {{ tracking_url }} لغو: STOP",
  },
  "return.approved": {
    en: "{{ shop_name }}: your return {{ return_number }} for {{ order_name }} is approved. Check your email for the next steps. Reply STOP to opt out.",
    ko: "{{ shop_name }}: 주문 {{ order_name }}의 반품 {{ return_number }}이(가) 승인되었습니다. 안내 메일을 확인해 주세요. 수신거부 STOP",
    ja: "{{ shop_name }}：ご注文{{ order_name }}の返品{{ return_number }}を承認しました。手順はメールをご確認ください。停止はSTOP",
    fa: "{{ shop_name }}: مرجوعی {{ return_number }} برای سفارش {{ order_name }} تأیید شد. مراحل بعد در ایمیل شماست. لغو: STOP",
  },
  "return.declined": {
    en: "{{ shop_name }}: we could not accept return {{ return_number }} for {{ order_name }}. We emailed you why. Reply STOP to opt out.",
    ko: "{{ shop_name }}: 주문 {{ order_name }}의 반품 {{ return_number }}은(는) 승인되지 않았습니다. 사유는 메일로 안내드렸습니다. 수신거부 STOP",
    ja: "{{ shop_name }}：ご注文{{ order_name }}の返品{{ return_number }}はお受けできませんでした。理由はメールでお知らせしました。停止はSTOP",
    fa: "{{ shop_name }}: مرجوعی {{ return_number }} برای سفارش {{ order_name }} پذیرفته نشد. دلیل را ایمیل کرده‌ایم. لغو: STOP",
  },
  "return.received": {
    en: "{{ shop_name }}: we received your return {{ return_number }}. We'll let you know once it's resolved. Reply STOP to opt out.",
    ko: "{{ shop_name }}: 반품 {{ return_number }} 상품을 받았습니다. 처리되면 알려 드리겠습니다. 수신거부 STOP",
    ja: "{{ shop_name }}：返品{{ return_number }}の商品を受け取りました。処理が済みましたらお知らせします。停止はSTOP",
    fa: "{{ shop_name }}: مرجوعی {{ return_number }} به دست ما رسید. پس از رسیدگی خبرتان می‌کنیم. لغو: STOP",
  },
  "return.resolved": {
    en: "{{ shop_name }}: your return {{ return_number }} is done. Thank you! Reply STOP to opt out.",
    ko: "{{ shop_name }}: 반품 {{ return_number }} 처리가 완료되었습니다. 감사합니다. 수신거부 STOP",
    ja: "{{ shop_name }}：返品{{ return_number }}の処理が完了しました。ありがとうございました。停止はSTOP",
    fa: "{{ shop_name }}: مرجوعی {{ return_number }} انجام شد. سپاس! لغو: STOP",
  },
};

/* eslint-enable max-len */

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Placeholders in a template that are not variables, for the editor's error. */
export function unknownVariables(template: string): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !(SMS_VARIABLES as ReadonlyArray<string>).includes(n)))];
}

export function renderSms(template: string, variables: SmsVariables): string {
  return template
    .replace(PLACEHOLDER, (_, name: string) => variables[name as keyof SmsVariables] ?? "")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

/** Example values for the editor's length while typing: a realistic link and names. */
export const EXAMPLE_VARIABLES: Required<SmsVariables> = {
  shop_name: "Maple & Co",
  order_name: "#1042",
  carrier: "UPS",
  tracking_url: "https://maple-co.myshopify.com/pages/track-order?token=eyJwIjoidHJhY2tpbmci.abc123",
  estimated_delivery: "Jun 4",
  return_number: "1042-R1",
};

const template = z
  .string()
  .max(MAX_SMS_BODY, "sms.error.tooLong")
  .refine((t) => unknownVariables(t).length === 0, "sms.error.unknownVariable");

export const smsSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  /** The shop's Twilio number the texts come from (E.164), or a Messaging Service sid (MG…). */
  sender: z
    .string()
    .trim()
    .regex(/^(\+[1-9]\d{7,14}|MG[0-9a-f]{32})?$/, "sms.error.sender")
    .default(""),
  /** The merchant's choice per message: off until switched on. */
  messages: z.record(z.enum(SMS_MESSAGE_TYPES), z.boolean()).default({}),
  /** Templates the merchant changed, by message and language; the rest use the defaults. */
  templates: z.record(z.enum(SMS_MESSAGE_TYPES), z.record(z.enum(SMS_LANGUAGES), template)).default({}),
});
export type SmsSettings = z.infer<typeof smsSettingsSchema>;

export function templateFor(settings: SmsSettings, type: SmsMessageType, language: SmsLanguage): string {
  return settings.templates[type]?.[language]?.trim() || DEFAULT_SMS_TEMPLATES[type][language];
}

/** A shopper's locale ("ko-KR") to a template language; English when none fits. */
export function smsLanguageFor(locale: string | null | undefined): SmsLanguage {
  const base = (locale ?? "").slice(0, 2).toLowerCase();
  return (SMS_LANGUAGES as ReadonlyArray<string>).includes(base) ? (base as SmsLanguage) : "en";
}
