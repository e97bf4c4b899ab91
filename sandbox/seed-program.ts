/**
 * The demo merchant's loyalty program, set up in the app as a merchant would on its Loyalty page:
 * on, a point per dollar, points pending for two weeks (the return window's worth), three tiers
 * and a catalogue with a discount code and store credit. Run before the seed's orders reach the
 * app, it makes the demo's older orders' points available and the recent ones' pending.
 * Through the app's own services (settings and rewards are validated as the admin's forms are).
 */
import type { Db } from "../app/db.server";
import { checkContactMessage } from "../app/domain/contact/message";
import { getContactSettings } from "../app/models/contact.server";
import { closeRequest, createRequest, replyToRequest } from "../app/services/contact/requests.server";
import { updateContactSettings } from "../app/services/contact/settings.server";
import { answerSurvey, sendDueNpsSurveys, surveyToken } from "../app/services/contact/surveys.server";
import { createReward } from "../app/services/loyalty/admin.server";
import { saveLoyaltySettings } from "../app/services/loyalty/settings.server";

export const DEMO_LOYALTY = {
  enabled: true,
  pointsPerUnit: 1,
  pendingDays: 14,
  signupBonus: 50,
  tiers: [
    {
      key: "bronze",
      name: "Bronze",
      names: { ko: "브론즈", ja: "ブロンズ", fa: "برنزی" },
      thresholdMinor: 0,
      multiplier: 1,
      perks: "",
    },
    {
      key: "silver",
      name: "Silver",
      names: { ko: "실버", ja: "シルバー", fa: "نقره‌ای" },
      thresholdMinor: 20_000,
      multiplier: 1.25,
      perks: "Early access to sales",
    },
    {
      key: "gold",
      name: "Gold",
      names: { ko: "골드", ja: "ゴールド", fa: "طلایی" },
      thresholdMinor: 50_000,
      multiplier: 1.5,
      perks: "Free returns",
    },
  ],
};

/** Titled in every storefront language, as a merchant fills in the reward form. */
export const DEMO_REWARDS = [
  {
    kind: "fixed_amount",
    title: "$5 off your next order",
    titles: { ko: "다음 주문 $5 할인", ja: "次回のご注文が$5引き", fa: "۵ دلار تخفیف روی سفارش بعدی" },
    pointsCost: 50,
    valueMinor: 500,
  },
  {
    kind: "store_credit",
    title: "$10 store credit",
    titles: { ko: "$10 적립금", ja: "$10分のストアクレジット", fa: "۱۰ دلار اعتبار خرید" },
    pointsCost: 100,
    valueMinor: 1000,
  },
  {
    kind: "percentage",
    title: "15% off your next order",
    titles: { ko: "다음 주문 15% 할인", ja: "次回のご注文が15%オフ", fa: "۱۵٪ تخفیف روی سفارش بعدی" },
    pointsCost: 200,
    percentOff: 15,
  },
  {
    kind: "free_shipping",
    title: "Free shipping",
    titles: { ko: "무료 배송", ja: "送料無料", fa: "ارسال رایگان" },
    pointsCost: 80,
  },
];

/** Turns the program on and fills the catalogue once; a shop that has settings already is left alone. */
export async function seedDemoLoyalty(db: Db, shop: string, overrides: Partial<typeof DEMO_LOYALTY> = {}) {
  if (await db.loyaltySettings.findUnique({ where: { shop } })) return { created: false };
  const saved = await saveLoyaltySettings(db, shop, { ...DEMO_LOYALTY, ...overrides });
  if (!saved.ok) throw new Error(`The demo's loyalty settings were refused: ${JSON.stringify(saved.errors)}`);
  for (const reward of DEMO_REWARDS) {
    const made = await createReward(db, shop, reward);
    if (!made.ok) throw new Error(`The demo reward ${reward.title} was refused: ${JSON.stringify(made.errors)}`);
  }
  return { created: true };
}

/** The demo's Contact page: three channels, weekday and Saturday hours, FAQ in each storefront language. */
export const DEMO_CONTACT = {
  channels: [
    { kind: "email", value: "care@northwind.example", replyMinutes: 240 },
    { kind: "whatsapp", value: "+1 416 555 0100", replyMinutes: 30 },
    { kind: "phone", value: "+1 416 555 0199", replyMinutes: 5 },
  ],
  hours: {
    // Sunday first; the shop's own time zone.
    weekly: [
      null,
      ...Array.from({ length: 5 }, () => ({ open: "09:00", close: "18:00" })),
      { open: "10:00", close: "14:00" },
    ],
    holidays: [],
  },
  surveys: { csat: true, nps: true, npsDaysAfterDelivery: 3 },
  faq: [
    ["en", "Shipping", "When will my order ship?", "Orders placed before 2 pm ship the same business day."],
    ["en", "Shipping", "How long does delivery take?", "3 to 5 business days in Canada and the US."],
    ["en", "Returns", "How do I return an item?", "Use the returns page within 30 days of delivery."],
    ["ko", "배송", "주문은 언제 발송되나요?", "오후 2시 전 주문은 당일 발송됩니다."],
    ["ko", "배송", "배송에는 얼마나 걸리나요?", "캐나다와 미국은 영업일 기준 3~5일입니다."],
    ["ko", "반품", "반품은 어떻게 하나요?", "배송 후 30일 이내에 반품 페이지에서 신청하세요."],
    ["ja", "配送", "注文はいつ発送されますか？", "午後2時までのご注文は当日発送します。"],
    ["ja", "配送", "配達までどのくらいかかりますか？", "カナダと米国へは3〜5営業日です。"],
    ["ja", "返品", "返品の方法は？", "お届けから30日以内に返品ページからお申し込みください。"],
    ["fa", "ارسال", "سفارشم کی ارسال می‌شود؟", "سفارش‌های پیش از ساعت ۲ بعدازظهر همان روز کاری ارسال می‌شوند."],
    ["fa", "ارسال", "تحویل چقدر طول می‌کشد؟", "در کانادا و آمریکا ۳ تا ۵ روز کاری."],
    ["fa", "مرجوعی", "چطور کالایی را برگردانم؟", "تا ۳۰ روز پس از تحویل از صفحهٔ مرجوعی اقدام کنید."],
  ].map(([language, category, question, answer], position) => ({
    id: `demo-${language}-${position}`,
    language,
    category,
    question,
    answerHtml: `<p>${answer}</p>`,
    position,
  })),
};

/** What shoppers wrote, in the language they wrote in; `reply` and `close` say how far each went. */
const DEMO_REQUESTS = [
  { topic: "order_status", locale: "en", message: "Hi, my order has not moved for a few days. Any news?", reply: true },
  { topic: "return", locale: "en", message: "The jacket is too small. Can I swap it for a large?", reply: true },
  { topic: "product", locale: "ko", message: "이 제품은 세탁기로 빨아도 되나요?", reply: true },
  { topic: "order_status", locale: "ja", message: "配達予定日を教えてください。", reply: true },
  { topic: "other", locale: "fa", message: "آیا به اروپا هم ارسال دارید؟", reply: true },
  { topic: "product", locale: "en", message: "Do you restock the blue mug soon?", reply: true },
  { topic: "return", locale: "en", message: "I sent the return last week, has it arrived?", reply: false },
  { topic: "order_status", locale: "ko", message: "주소를 잘못 입력했어요. 변경할 수 있나요?", reply: false },
] as const;

const DAY = 86_400_000;
const CSAT_SCORES = [5, 4, 5, 3, 5, 4];
const NPS_SCORES = [10, 9, 8, 10, 6, 9, 7, 10, 9, 3];

/**
 * The service desk a shop has after a few weeks: Contact set up (channels, hours, FAQ in four
 * languages, surveys on), requests from the seed's customers over the last 24 days, most answered
 * and closed, their satisfaction surveys answered, and the NPS surveys sent after deliveries
 * answered too. Every step goes through the app's own services, at the time it would have happened,
 * so the dashboard has something in every card. Run once the seed's orders are in the app.
 */
export async function seedDemoService(
  db: Db,
  shop: string,
  deps: {
    secret: string;
    now: Date;
    /** The app's INBOUND_EMAIL_ADDRESS (null: none), so seeded replies carry the app's reply address. */
    inboundAddress: string | null;
    shoppers: {
      id: string | number;
      firstName: string | null;
      lastName: string | null;
      email: string;
      orders: string[];
    }[];
  },
) {
  if (await db.contactSettings.findUnique({ where: { shop } })) return { created: false, requests: 0, answers: 0 };
  const saved = await updateContactSettings(db, shop, DEMO_CONTACT);
  if (!saved.ok) throw new Error(`The demo's contact settings were refused: ${JSON.stringify(saved)}`);
  const topics = (await getContactSettings(db, shop)).form.topics;
  const shoppers = deps.shoppers.filter((s) => s.email).slice(0, DEMO_REQUESTS.length);
  let requests = 0;
  for (const [i, script] of DEMO_REQUESTS.entries()) {
    const shopper = shoppers[i % shoppers.length];
    if (!shopper) break;
    // Spread over the last 24 days, at shop hours; a reply a few business hours later.
    const asked = new Date(deps.now.getTime() - (24 - i * 3) * DAY - (i % 3) * 3_600_000);
    const fields = {
      name: [shopper.firstName, shopper.lastName].filter(Boolean).join(" "),
      email: shopper.email,
      order: script.topic === "order_status" || script.topic === "return" ? (shopper.orders[0] ?? "") : "",
      topic: script.topic,
      message: script.message,
    };
    const check = checkContactMessage(fields, topics);
    if (!check.ok) throw new Error(`The demo's message ${i + 1} was refused: ${JSON.stringify(check.errors)}`);
    const created = await createRequest(db, {
      shop,
      message: check.value,
      locale: script.locale,
      customerShopifyId: `gid://shopify/Customer/${shopper.id}`,
      now: asked,
    });
    requests++;
    if (!script.reply) continue;
    const replied = new Date(asked.getTime() + (2 + i) * 3_600_000);
    const { inboundAddress } = deps;
    await replyToRequest(
      { db, secret: deps.secret, now: replied, inboundAddress },
      shop,
      created.id,
      DEMO_REPLIES[script.locale],
    );
    await closeRequest(
      { db, secret: deps.secret, now: new Date(replied.getTime() + DAY), inboundAddress },
      shop,
      created.id,
    );
  }

  // NPS surveys go out a few days after each delivery, as the daily job sends them.
  for (let daysAgo = 24; daysAgo >= 1; daysAgo -= 2) {
    await sendDueNpsSurveys({ db, secret: deps.secret, now: new Date(deps.now.getTime() - daysAgo * DAY) });
  }
  // Most shoppers answer the day after; the scores are the demo's, the path is the survey page's.
  const sent = await db.surveyResponse.findMany({
    where: { shop, answeredAt: null },
    orderBy: { sentAt: "asc" },
    select: { id: true, kind: true, sentAt: true },
  });
  let answers = 0;
  for (const [i, survey] of sent.entries()) {
    if (i % 4 === 3) continue; // a quarter never answer
    const now = new Date(Math.min(survey.sentAt.getTime() + DAY, deps.now.getTime()));
    const token = surveyToken({ shop, surveyId: survey.id, secret: deps.secret, now: survey.sentAt });
    const scores = survey.kind === "csat" ? CSAT_SCORES : NPS_SCORES;
    const answered = await answerSurvey({ db, secret: deps.secret, now }, shop, token, {
      score: String(scores[i % scores.length]),
      comment: i % 3 === 0 ? "Quick and friendly, thank you." : "",
    });
    if (answered.ok) answers++;
  }
  return { created: true, requests, answers };
}

const DEMO_REPLIES: Record<string, string> = {
  en: "Thanks for writing! We have looked into it and sent the details by email. Anything else, just reply here.",
  ko: "문의해 주셔서 감사합니다! 확인 후 자세한 내용을 안내드렸습니다. 더 궁금한 점은 이 메일에 답장해 주세요.",
  ja: "お問い合わせありがとうございます。確認のうえ詳細をお送りしました。ほかにご不明な点があればご返信ください。",
  fa: "از پیام شما سپاسگزاریم! موضوع را بررسی کردیم و جزئیات را فرستادیم. اگر پرسش دیگری دارید همین‌جا پاسخ دهید.",
};
