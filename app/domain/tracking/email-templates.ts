/**
 * The emails sent when a merchant has not written their own, in each language the block speaks.
 * Liquid: {{ order_name }}, {{ customer_first_name }}, {{ carrier }}, {{ tracking_number }},
 * {{ estimated_delivery }}, {{ tracking_url }}, {{ carrier_message }}, {{ shop_name }}. A blank
 * line starts a new paragraph; links are made clickable in the HTML part.
 */
import type { Language, NotifiedMilestone } from "./vocabulary";
import type { TrackingSettings } from "./settings";

export interface EmailTemplate {
  subject: string;
  body: string;
}

export const TEMPLATE_VARIABLES = [
  "shop_name",
  "order_name",
  "customer_first_name",
  "carrier",
  "tracking_number",
  "carrier_url",
  "estimated_delivery",
  "tracking_url",
  "carrier_message",
  "items",
] as const;

// What each variable holds is in the admin locale files (`trackingVariable.<name>`).

export const DEFAULT_EMAIL_TEMPLATES: Record<Language, Record<NotifiedMilestone, EmailTemplate>> = {
  en: {
    shipped: {
      subject: "Your order {{ order_name }} is on its way",
      body:
        "Hi {{ customer_first_name | default: 'there' }},\n\n" +
        "Good news: your order {{ order_name }} has shipped{% if carrier %} with " +
        "{{ carrier }}{% endif %}.{% if estimated_delivery %} It should arrive " +
        "{{ estimated_delivery }}.{% endif %}\n\nFollow it any time: {{ tracking_url }}",
    },
    out_for_delivery: {
      subject: "Your order {{ order_name }} is out for delivery",
      body:
        "Hi {{ customer_first_name | default: 'there' }},\n\n" +
        "Your order {{ order_name }} is out for delivery and should reach you today.\n\n" +
        "Follow it: {{ tracking_url }}",
    },
    delivered: {
      subject: "Your order {{ order_name }} was delivered",
      body:
        "Hi {{ customer_first_name | default: 'there' }},\n\n" +
        "Your order {{ order_name }} was delivered. If anything is not right, reply to this " +
        "email and we will sort it out.\n\nDetails: {{ tracking_url }}",
    },
    delayed: {
      subject: "An update on your order {{ order_name }}",
      body:
        "Hi {{ customer_first_name | default: 'there' }},\n\n" +
        "Your order {{ order_name }} is taking longer than we expected. We are keeping an eye on " +
        "it and will write again as soon as it moves. You do not need to do anything.\n\n" +
        "Follow it: {{ tracking_url }}",
    },
    exception: {
      subject: "A problem delivering your order {{ order_name }}",
      body:
        "Hi {{ customer_first_name | default: 'there' }},\n\n" +
        "{% if carrier %}{{ carrier }}{% else %}The carrier{% endif %} reported a problem " +
        "delivering your order {{ order_name }}{% if carrier_message %}: " +
        "{{ carrier_message }}{% endif %}. We are looking into it and will be in touch.\n\n" +
        "Follow it: {{ tracking_url }}",
    },
  },
  ko: {
    shipped: {
      subject: "주문 {{ order_name }} 상품이 발송되었습니다",
      body:
        "안녕하세요{% if customer_first_name %} {{ customer_first_name }}님{% endif %},\n\n" +
        "주문하신 {{ order_name }} 상품이 발송되었습니다{% if carrier %} " +
        "({{ carrier }}){% endif %}.{% if estimated_delivery %} 도착 예정일은 " +
        "{{ estimated_delivery }}입니다.{% endif %}\n\n배송 조회: {{ tracking_url }}",
    },
    out_for_delivery: {
      subject: "주문 {{ order_name }} 상품이 오늘 도착합니다",
      body:
        "안녕하세요{% if customer_first_name %} {{ customer_first_name }}님{% endif %},\n\n" +
        "주문하신 {{ order_name }} 상품이 배송 출발했으며 오늘 중 도착할 예정입니다.\n\n배송 조회: {{ tracking_url }}",
    },
    delivered: {
      subject: "주문 {{ order_name }} 상품이 배송 완료되었습니다",
      body:
        "안녕하세요{% if customer_first_name %} {{ customer_first_name }}님{% endif %},\n\n" +
        "주문하신 {{ order_name }} 상품이 배송 완료되었습니다. 문제가 있으면 이 메일에 회신해 주세요.\n\n" +
        "주문 정보: {{ tracking_url }}",
    },
    delayed: {
      subject: "주문 {{ order_name }} 배송 지연 안내",
      body:
        "안녕하세요{% if customer_first_name %} {{ customer_first_name }}님{% endif %},\n\n" +
        "주문하신 {{ order_name }} 상품의 배송이 예상보다 늦어지고 있습니다. 계속 확인하고 있으며 움직임이 있으면 바로 알려 드리겠습니다. 따로 하실 " +
        "일은 없습니다.\n\n배송 조회: {{ tracking_url }}",
    },
    exception: {
      subject: "주문 {{ order_name }} 배송에 문제가 생겼습니다",
      body:
        "안녕하세요{% if customer_first_name %} {{ customer_first_name }}님{% endif %},\n\n" +
        "{% if carrier %}{{ carrier }}{% else %}택배사{% endif %}에서 주문 {{ order_name }}의 배송 문제를 알려 " +
        "왔습니다{% if carrier_message %}: {{ carrier_message }}{% endif %}. 확인 후 연락드리겠습니다.\n\n" +
        "배송 조회: {{ tracking_url }}",
    },
  },
  ja: {
    shipped: {
      subject: "ご注文 {{ order_name }} を発送しました",
      body:
        "{% if customer_first_name %}{{ customer_first_name }} 様{% else %}お客様{% endif %}\n\n" +
        "ご注文 {{ order_name }} " +
        "の商品を発送しました{% if carrier %}（{{ carrier }}）{% endif %}。{% if estimated_delivery %}お届け予定日は " +
        "{{ estimated_delivery }} です。{% endif %}\n\n配送状況: {{ tracking_url }}",
    },
    out_for_delivery: {
      subject: "ご注文 {{ order_name }} は本日お届け予定です",
      body:
        "{% if customer_first_name %}{{ customer_first_name }} 様{% else %}お客様{% endif %}\n\n" +
        "ご注文 {{ order_name }} の商品は配達に出発しました。本日中にお届けの予定です。\n\n配送状況: {{ tracking_url }}",
    },
    delivered: {
      subject: "ご注文 {{ order_name }} の配達が完了しました",
      body:
        "{% if customer_first_name %}{{ customer_first_name }} 様{% else %}お客様{% endif %}\n\n" +
        "ご注文 {{ order_name }} の配達が完了しました。問題がございましたら、このメールにご返信ください。\n\nご注文の詳細: {{ tracking_url }}",
    },
    delayed: {
      subject: "ご注文 {{ order_name }} のお届け遅延のお知らせ",
      body:
        "{% if customer_first_name %}{{ customer_first_name }} 様{% else %}お客様{% endif %}\n\n" +
        "ご注文 {{ order_name }} のお届けが予定より遅れております。引き続き状況を確認し、動きがあり次第お知らせします。お手続きは不要です。\n\n" +
        "配送状況: {{ tracking_url }}",
    },
    exception: {
      subject: "ご注文 {{ order_name }} の配送に問題が発生しました",
      body:
        "{% if customer_first_name %}{{ customer_first_name }} 様{% else %}お客様{% endif %}\n\n" +
        "{% if carrier %}{{ carrier }}{% else %}配送業者{% endif %}から、ご注文 {{ order_name }} " +
        "の配送に問題があるとの連絡がありました{% if carrier_message %}（{{ carrier_message }}）{% endif %}。確認のうえ、" +
        "ご連絡いたします。\n\n配送状況: {{ tracking_url }}",
    },
  },
  fa: {
    shipped: {
      subject: "سفارش {{ order_name }} ارسال شد",
      body:
        "سلام{% if customer_first_name %} {{ customer_first_name }}{% endif %}،\n\n" +
        "سفارش {{ order_name }} ارسال شد{% if carrier %} " +
        "({{ carrier }}){% endif %}.{% if estimated_delivery %} زمان تقریبی رسیدن: " +
        "{{ estimated_delivery }}.{% endif %}\n\nپیگیری مرسوله: {{ tracking_url }}",
    },
    out_for_delivery: {
      subject: "سفارش {{ order_name }} امروز به دستتان می‌رسد",
      body:
        "سلام{% if customer_first_name %} {{ customer_first_name }}{% endif %}،\n\n" +
        "مرسولهٔ سفارش {{ order_name }} در راه تحویل است و امروز به دستتان می‌رسد.\n\n" +
        "پیگیری مرسوله: {{ tracking_url }}",
    },
    delivered: {
      subject: "سفارش {{ order_name }} تحویل داده شد",
      body:
        "سلام{% if customer_first_name %} {{ customer_first_name }}{% endif %}،\n\n" +
        "سفارش {{ order_name }} تحویل داده شد. اگر مشکلی هست، به همین ایمیل پاسخ دهید تا پیگیری " +
        "کنیم.\n\nجزئیات سفارش: {{ tracking_url }}",
    },
    delayed: {
      subject: "خبری دربارهٔ سفارش {{ order_name }}",
      body:
        "سلام{% if customer_first_name %} {{ customer_first_name }}{% endif %}،\n\n" +
        "رسیدن سفارش {{ order_name }} بیش از آنچه انتظار داشتیم طول کشیده است. آن را پیگیری " +
        "می‌کنیم و به محض هر تغییری خبرتان می‌کنیم. لازم نیست کاری انجام دهید.\n\n" +
        "پیگیری مرسوله: {{ tracking_url }}",
    },
    exception: {
      subject: "مشکل در تحویل سفارش {{ order_name }}",
      body:
        "سلام{% if customer_first_name %} {{ customer_first_name }}{% endif %}،\n\n" +
        "{% if carrier %}{{ carrier }}{% else %}شرکت حمل{% endif %} مشکلی در تحویل سفارش " +
        "{{ order_name }} گزارش کرده است{% if carrier_message %}: " +
        "{{ carrier_message }}{% endif %}. در حال بررسی هستیم و با شما تماس می‌گیریم.\n\n" +
        "پیگیری مرسوله: {{ tracking_url }}",
    },
  },
};

/** The merchant's template for a language and milestone, else ours. */
export function templateFor(
  settings: TrackingSettings,
  language: Language,
  milestone: NotifiedMilestone,
): EmailTemplate {
  return settings.notifications.templates[language]?.[milestone] ?? DEFAULT_EMAIL_TEMPLATES[language][milestone];
}
