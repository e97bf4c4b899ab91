/**
 * A fixed FAQ in the four storefront languages, for the chat assistant's tests (which question
 * finds which answer). Each language has the same five entries, written as a shop would write
 * them, not translated word for word.
 */
import type { FaqItem, Language } from "../../app/domain/contact/settings";

type Topic = "shipping-time" | "returns" | "payment" | "address" | "international";

const TEXT: Record<Language, Record<Topic, [category: string, question: string, answerHtml: string]>> = {
  en: {
    "shipping-time": [
      "Shipping",
      "How long does delivery take?",
      "<p>Orders ship within 2 business days and arrive in 3–5 days.</p>",
    ],
    returns: [
      "Returns",
      "How do I return an item?",
      "<p>Start a return within 30 days of delivery from our <a href='/pages/returns'>returns page</a>. " +
        "Refunds go to the original payment method.</p>",
    ],
    payment: [
      "Payment",
      "Which payment methods do you accept?",
      "<p>We accept Visa, Mastercard, PayPal and Shop Pay.</p>",
    ],
    address: [
      "Orders",
      "Can I change my shipping address after ordering?",
      "<p>Write to us within an hour of placing the order and we will update the address.</p>",
    ],
    international: [
      "Shipping",
      "Do you ship internationally?",
      "<p>We ship to Canada, Japan, Korea and the EU. Duties are paid at delivery.</p>",
    ],
  },
  ko: {
    "shipping-time": ["배송", "배송은 얼마나 걸리나요?", "<p>주문 후 2영업일 이내에 발송되며 3~5일 후 도착합니다.</p>"],
    returns: [
      "반품",
      "반품은 어떻게 하나요?",
      "<p>배송 완료 후 30일 이내에 반품 페이지에서 반품을 신청하세요. 환불은 결제 수단으로 처리됩니다.</p>",
    ],
    payment: [
      "결제",
      "어떤 결제 수단을 사용할 수 있나요?",
      "<p>신용카드, 카카오페이, 네이버페이를 사용할 수 있습니다.</p>",
    ],
    address: [
      "주문",
      "주문 후 배송지 주소를 변경할 수 있나요?",
      "<p>주문 후 1시간 이내에 연락 주시면 주소를 변경해 드립니다.</p>",
    ],
    international: ["배송", "해외 배송도 하나요?", "<p>캐나다, 일본, 한국, 유럽연합으로 배송합니다.</p>"],
  },
  ja: {
    "shipping-time": [
      "配送",
      "配送にはどのくらい時間がかかりますか？",
      "<p>ご注文から2営業日以内に発送し、3〜5日でお届けします。</p>",
    ],
    returns: [
      "返品",
      "返品の方法を教えてください",
      "<p>商品到着後30日以内に返品ページからお手続きください。返金は元のお支払い方法に行います。</p>",
    ],
    payment: [
      "お支払い",
      "どの支払い方法が使えますか？",
      "<p>クレジットカード、PayPay、コンビニ払いをご利用いただけます。</p>",
    ],
    address: [
      "ご注文",
      "注文後に配送先住所を変更できますか？",
      "<p>ご注文から1時間以内にご連絡いただければ住所を変更いたします。</p>",
    ],
    international: ["配送", "海外発送はできますか？", "<p>カナダ、韓国、EU諸国へ発送しています。</p>"],
  },
  fa: {
    "shipping-time": [
      "ارسال",
      "ارسال سفارش چقدر طول می‌کشد؟",
      "<p>سفارش‌ها ظرف ۲ روز کاری ارسال می‌شوند و ۳ تا ۵ روز بعد می‌رسند.</p>",
    ],
    returns: [
      "مرجوعی",
      "چطور کالا را مرجوع کنم؟",
      "<p>تا ۳۰ روز پس از تحویل، از صفحهٔ مرجوعی درخواست بدهید. مبلغ به روش پرداخت شما برمی‌گردد.</p>",
    ],
    payment: ["پرداخت", "چه روش‌های پرداختی را می‌پذیرید؟", "<p>کارت‌های بانکی، پی‌پال و پرداخت در محل.</p>"],
    address: [
      "سفارش",
      "آیا بعد از ثبت سفارش می‌توانم آدرس ارسال را تغییر دهم؟",
      "<p>اگر تا یک ساعت پس از ثبت سفارش به ما پیام دهید، آدرس را تغییر می‌دهیم.</p>",
    ],
    international: [
      "ارسال",
      "آیا به خارج از کشور هم ارسال دارید؟",
      "<p>به کانادا، ژاپن، کره و اتحادیهٔ اروپا ارسال داریم.</p>",
    ],
  },
};

export const FAQ_TOPICS = Object.keys(TEXT.en) as Topic[];

/** The FAQ of every language, as the contact settings store it; ids are `<language>-<topic>`. */
export function fixtureFaq(): FaqItem[] {
  return (Object.keys(TEXT) as Language[]).flatMap((language) =>
    FAQ_TOPICS.map((topic, position) => {
      const [category, question, answerHtml] = TEXT[language][topic];
      return { id: `${language}-${topic}`, language, category, question, answerHtml, position };
    }),
  );
}
