/** The words of Contact's emails, in the storefront's four languages. */
import { languageFor } from "../../domain/contact/settings";

export const CONTACT_EMAIL_KIND = "contact";
export const SURVEY_EMAIL_KIND = "survey";

const COPY = {
  en: {
    replySubject: "Re: your message to {{ shop_name }} (#{{ number }})",
    yourMessage: "Your message",
    footer: (n: number) => `Request #${n}. Reply to this email to continue the conversation.`,
    unsubscribe: "Unsubscribe",
    csatSubject: "How did we do? ({{ shop_name }})",
    csatBody: "Thanks for getting in touch with {{ shop_name }}. How happy are you with the help you got? It takes ten seconds:\n\n{{ link }}",
    npsSubject: "Would you recommend {{ shop_name }}?",
    npsBody: "Your order {{ order_name }} arrived recently. How likely are you to recommend {{ shop_name }} to a friend? One click:\n\n{{ link }}",
  },
  ko: {
    replySubject: "Re: {{ shop_name }}에 보내신 문의 (#{{ number }})",
    yourMessage: "보내신 메시지",
    footer: (n: number) => `문의 번호 #${n}. 이 메일에 답장하시면 대화를 이어갈 수 있습니다.`,
    unsubscribe: "수신 거부",
    csatSubject: "상담은 만족스러우셨나요? ({{ shop_name }})",
    csatBody: "{{ shop_name }}에 문의해 주셔서 감사합니다. 받으신 도움에 얼마나 만족하시나요? 10초면 됩니다:\n\n{{ link }}",
    npsSubject: "{{ shop_name }}을(를) 추천하시겠어요?",
    npsBody: "주문 {{ order_name }}이(가) 최근 도착했습니다. {{ shop_name }}을(를) 친구에게 추천할 가능성은 얼마나 되나요?\n\n{{ link }}",
  },
  ja: {
    replySubject: "Re: {{ shop_name }}へのお問い合わせ (#{{ number }})",
    yourMessage: "お問い合わせ内容",
    footer: (n: number) => `お問い合わせ番号 #${n}。このメールに返信するとやり取りを続けられます。`,
    unsubscribe: "配信停止",
    csatSubject: "対応はいかがでしたか？（{{ shop_name }}）",
    csatBody: "{{ shop_name }}にお問い合わせいただきありがとうございます。今回の対応の満足度を教えてください（10秒で終わります）：\n\n{{ link }}",
    npsSubject: "{{ shop_name }}をおすすめいただけますか？",
    npsBody: "ご注文 {{ order_name }} が届きました。{{ shop_name }}をご友人にすすめる可能性はどのくらいですか？\n\n{{ link }}",
  },
  fa: {
    replySubject: "پاسخ: پیام شما به {{ shop_name }} (#{{ number }})",
    yourMessage: "پیام شما",
    footer: (n: number) => `درخواست #${n}. برای ادامهٔ گفتگو به همین ایمیل پاسخ دهید.`,
    unsubscribe: "لغو اشتراک",
    csatSubject: "چطور بودیم؟ ({{ shop_name }})",
    csatBody: "از اینکه با {{ shop_name }} تماس گرفتید سپاسگزاریم. از کمکی که گرفتید چقدر راضی هستید؟ ده ثانیه بیشتر طول نمی‌کشد:\n\n{{ link }}",
    npsSubject: "آیا {{ shop_name }} را پیشنهاد می‌کنید؟",
    npsBody: "سفارش {{ order_name }} به‌تازگی رسیده است. چقدر احتمال دارد {{ shop_name }} را به دوستی پیشنهاد کنید؟\n\n{{ link }}",
  },
};

export function emailCopy(locale: string) {
  return COPY[languageFor(locale)];
}
