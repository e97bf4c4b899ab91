/** The standard return emails in each language; a merchant's own wording replaces any of them. */
import { LANGUAGES, type Language, type ReturnPolicy } from "./policy";

export const RETURN_EMAILS = ["requested", "approved", "declined", "received", "resolved"] as const;
export type ReturnEmail = (typeof RETURN_EMAILS)[number];

export interface ReturnEmailTemplate {
  subject: string;
  body: string;
}

/** The merchant's own wording, per language and email; what is missing uses the standard one. */
export type ReturnEmailTemplates = ReturnPolicy["notifications"]["templates"];

export const RETURN_EMAIL_LABELS: Record<ReturnEmail, string> = {
  requested: "Request received",
  approved: "Return approved",
  declined: "Return declined",
  received: "Items received",
  resolved: "Return complete",
};

/** What a return email's Liquid can use (described in the admin locale files, `returnVariable.<name>`). */
export type ReturnEmailVariable =
  | "customer_first_name"
  | "return_number"
  | "order_name"
  | "shop_name"
  | "status_url"
  | "items"
  | "resolution"
  | "amount"
  | "instructions"
  | "return_address"
  | "decline_reason";

/** Each variable, with the emails where it has a value (all when `emails` is absent). */
export const RETURN_EMAIL_VARIABLES: { name: ReturnEmailVariable; emails?: ReturnEmail[] }[] = [
  { name: "customer_first_name" },
  { name: "return_number" },
  { name: "order_name" },
  { name: "shop_name" },
  { name: "status_url" },
  { name: "items" },
  { name: "resolution" },
  { name: "amount", emails: ["resolved"] },
  { name: "instructions", emails: ["approved"] },
  { name: "return_address", emails: ["approved"] },
  { name: "decline_reason", emails: ["declined"] },
];

export interface TemplateIssue {
  path: string;
  language: string;
  email: string;
  part: "subject" | "body" | null;
  message: string;
}

/**
 * The merchant's wording as it should be stored: only known languages and emails, never empty,
 * and without copies of the standard wording (so improvements to it reach the shop).
 */
export function normaliseReturnTemplates(templates: ReturnEmailTemplates): {
  templates: ReturnEmailTemplates;
  issues: TemplateIssue[];
} {
  const issues: TemplateIssue[] = [];
  const kept: ReturnEmailTemplates = {};
  for (const [language, emails] of Object.entries(templates)) {
    for (const [email, template] of Object.entries(emails)) {
      const path = `notifications.templates.${language}.${email}`;
      if (
        !(LANGUAGES as ReadonlyArray<string>).includes(language) ||
        !(RETURN_EMAILS as ReadonlyArray<string>).includes(email)
      ) {
        issues.push({
          path,
          language,
          email,
          part: null,
          message: `There is no return email “${email}” in “${language}”.`,
        });
        continue;
      }
      const standard = STANDARD_RETURN_EMAILS[language as Language][email as ReturnEmail];
      for (const part of ["subject", "body"] as const) {
        if (!template[part].trim())
          issues.push({
            path: `${path}.${part}`,
            language,
            email,
            part,
            message:
              `The ${part === "body" ? "message" : "subject"} is empty. Write one, or reset the email ` +
              `to the standard wording.`,
          });
      }
      if (template.subject === standard.subject && template.body === standard.body) continue;
      kept[language] = { ...kept[language], [email]: { subject: template.subject, body: template.body } };
    }
  }
  return { templates: kept, issues };
}

const items = "{% for item in items %}- {{ item.title }} × {{ item.quantity }}\n{% endfor %}";

export const STANDARD_RETURN_EMAILS: Record<Language, Record<ReturnEmail, ReturnEmailTemplate>> = {
  en: {
    requested: {
      subject: "We received your return request {{ return_number }}",
      body:
        `Hi {{ customer_first_name }},\n\nWe received your request to return these items from ` +
        `order {{ order_name }}:\n${items}\nWe will let you know as soon as it is reviewed. You ` +
        `can check its status at any time:\n{{ status_url }}`,
    },
    approved: {
      subject: "Your return {{ return_number }} is approved",
      body:
        `Hi {{ customer_first_name }},\n\nYour return {{ return_number }} is approved.\n\n` +
        `{{ instructions }}\n\nReturn address:\n{{ return_address }}\n\nStatus: {{ status_url }}`,
    },
    declined: {
      subject: "About your return request {{ return_number }}",
      body:
        `Hi {{ customer_first_name }},\n\nWe are sorry, we cannot accept return ` +
        `{{ return_number }} for order {{ order_name }}.\n\n{{ decline_reason }}`,
    },
    received: {
      subject: "We received the items of return {{ return_number }}",
      body:
        `Hi {{ customer_first_name }},\n\nYour returned items have arrived and have been ` +
        `checked. We are now completing your {{ resolution }}.`,
    },
    resolved: {
      subject: "Your return {{ return_number }} is complete",
      body:
        `Hi {{ customer_first_name }},\n\nYour return {{ return_number }} is complete: ` +
        `{{ resolution }} of {{ amount }}.\n\nThank you for shopping with {{ shop_name }}.`,
    },
  },
  ko: {
    requested: {
      subject: "반품 요청 {{ return_number }}을(를) 접수했습니다",
      body:
        `{{ customer_first_name }}님, 안녕하세요.\n\n주문 {{ order_name }}의 다음 상품에 대한 반품 요청을 접수했습니다:\n` +
        `${items}\n검토가 끝나면 바로 알려 드리겠습니다. 진행 상황: {{ status_url }}`,
    },
    approved: {
      subject: "반품 {{ return_number }}이(가) 승인되었습니다",
      body:
        `{{ customer_first_name }}님, 안녕하세요.\n\n반품 {{ return_number }}이(가) 승인되었습니다.\n\n` +
        `{{ instructions }}\n\n반품 주소:\n{{ return_address }}\n\n진행 상황: {{ status_url }}`,
    },
    declined: {
      subject: "반품 요청 {{ return_number }} 안내",
      body:
        `{{ customer_first_name }}님, 죄송하지만 주문 {{ order_name }}의 반품 {{ return_number }}을(를) 받을 수 ` +
        `없습니다.\n\n{{ decline_reason }}`,
    },
    received: {
      subject: "반품 {{ return_number }}의 상품을 받았습니다",
      body: `{{ customer_first_name }}님, 반품하신 상품이 도착하여 확인을 마쳤습니다. 이제 {{ resolution }} 처리를 진행합니다.`,
    },
    resolved: {
      subject: "반품 {{ return_number }}이(가) 완료되었습니다",
      body:
        `{{ customer_first_name }}님, 반품 {{ return_number }}이(가) 완료되었습니다: {{ resolution }} ` +
        `{{ amount }}.\n\n{{ shop_name }}을(를) 이용해 주셔서 감사합니다.`,
    },
  },
  ja: {
    requested: {
      subject: "返品リクエスト {{ return_number }} を受け付けました",
      body:
        `{{ customer_first_name }} 様\n\nご注文 {{ order_name }} の次の商品の返品リクエストを受け付けました:\n${items}\n` +
        `確認が済み次第ご連絡します。状況はこちら: {{ status_url }}`,
    },
    approved: {
      subject: "返品 {{ return_number }} が承認されました",
      body:
        `{{ customer_first_name }} 様\n\n返品 {{ return_number }} が承認されました。\n\n{{ instructions }}\n` +
        `\n返送先:\n{{ return_address }}\n\n状況: {{ status_url }}`,
    },
    declined: {
      subject: "返品リクエスト {{ return_number }} について",
      body:
        `{{ customer_first_name }} 様\n\n申し訳ございませんが、ご注文 {{ order_name }} の返品 {{ return_number }} ` +
        `はお受けできません。\n\n{{ decline_reason }}`,
    },
    received: {
      subject: "返品 {{ return_number }} の商品を受け取りました",
      body: `{{ customer_first_name }} 様\n\n返品された商品が到着し、確認が完了しました。{{ resolution }}の手続きを進めます。`,
    },
    resolved: {
      subject: "返品 {{ return_number }} が完了しました",
      body:
        `{{ customer_first_name }} 様\n\n返品 {{ return_number }} が完了しました: {{ resolution }} ` +
        `{{ amount }}。\n\n{{ shop_name }} をご利用いただきありがとうございます。`,
    },
  },
  fa: {
    requested: {
      subject: "درخواست مرجوعی {{ return_number }} دریافت شد",
      body:
        `{{ customer_first_name }} عزیز،\n\nدرخواست شما برای مرجوع کردن این کالاها از سفارش ` +
        `{{ order_name }} دریافت شد:\n${items}\n` +
        `پس از بررسی به شما خبر می‌دهیم. وضعیت: {{ status_url }}`,
    },
    approved: {
      subject: "مرجوعی {{ return_number }} تأیید شد",
      body:
        `{{ customer_first_name }} عزیز،\n\nمرجوعی {{ return_number }} تأیید شد.\n\n` +
        `{{ instructions }}\n\nنشانی ارسال:\n{{ return_address }}\n\nوضعیت: {{ status_url }}`,
    },
    declined: {
      subject: "دربارهٔ درخواست مرجوعی {{ return_number }}",
      body:
        `{{ customer_first_name }} عزیز،\n\nمتأسفیم، مرجوعی {{ return_number }} برای سفارش ` +
        `{{ order_name }} پذیرفته نمی‌شود.\n\n{{ decline_reason }}`,
    },
    received: {
      subject: "کالاهای مرجوعی {{ return_number }} رسید",
      body:
        `{{ customer_first_name }} عزیز،\n\nکالاهای مرجوعی شما رسید و بررسی شد. اکنون ` +
        `{{ resolution }} را انجام می‌دهیم.`,
    },
    resolved: {
      subject: "مرجوعی {{ return_number }} کامل شد",
      body:
        `{{ customer_first_name }} عزیز،\n\nمرجوعی {{ return_number }} کامل شد: {{ resolution }} ` +
        `به مبلغ {{ amount }}.\n\nسپاس از خرید شما از {{ shop_name }}.`,
    },
  },
};

export const RESOLUTION_WORDS: Record<Language, Record<string, string>> = {
  en: { refund: "refund", store_credit: "store credit", exchange_variant: "exchange", exchange_any: "exchange" },
  ko: { refund: "환불", store_credit: "적립금", exchange_variant: "교환", exchange_any: "교환" },
  ja: { refund: "返金", store_credit: "ストアクレジット", exchange_variant: "交換", exchange_any: "交換" },
  fa: { refund: "بازپرداخت", store_credit: "اعتبار فروشگاه", exchange_variant: "تعویض", exchange_any: "تعویض" },
};

export function returnTemplateFor(
  policy: Pick<ReturnPolicy, "notifications">,
  language: Language,
  email: ReturnEmail,
): ReturnEmailTemplate {
  const own = policy.notifications.templates[language]?.[email];
  return own && own.subject.trim() && own.body.trim() ? own : STANDARD_RETURN_EMAILS[language][email];
}
