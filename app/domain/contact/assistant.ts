/**
 * The chat assistant's rules with no I/O (docs/decisions/0041): what a shopper's message asks
 * for, the order number and email in it, the shape of the assistant's messages, and their words
 * in the storefront's four languages. The assistant answers while no agent is available; it uses
 * no outside AI service, only the shop's FAQ, its orders and its business hours.
 */
import type { Milestone, ProblemKind } from "../tracking/timeline";

import { normalizeText } from "./faq-search";
import type { Language } from "./settings";

/** Version of the payload shape; a client that meets a higher one shows the message's body alone. */
export const ASSISTANT_PAYLOAD_VERSION = 1;

/** What the shopper can press under an assistant message. */
export type AssistantAction =
  /** POST {kind: "action", action: "track"}: the assistant shows orders or asks for number and email. */
  | { type: "track"; label: string }
  /** POST {kind: "action", action: "track", order}: a signed-in shopper's order, no email needed. */
  | { type: "track_order"; label: string; order: string }
  /** A link the panel opens (the returns page, a carrier's tracking page). */
  | { type: "link"; label: string; url: string; purpose: "return" | "tracking" }
  /** POST {kind: "action", action: "human"}: hands the chat to the shop's team. */
  | { type: "human"; label: string };

export interface AssistantFaqAnswer {
  id: string;
  question: string;
  /** Sanitised like the Contact block's FAQ (sanitize.ts): safe to set as innerHTML. */
  answerHtml: string;
}

export interface AssistantShipment {
  number: number;
  stage: Milestone;
  problem: ProblemKind | null;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  deliveredAt: string | null;
  /** Expected delivery, civil dates in the shop's calendar (YYYY-MM-DD). */
  estimate: { earliest: string; latest: string } | null;
}

export interface AssistantOrder {
  name: string;
  placedAt: string;
  cancelled: boolean;
  /** Not shipped yet: when it is expected to leave (YYYY-MM-DD), when known. */
  preparing: { expectedShipDate: string | null } | null;
  shipments: AssistantShipment[];
}

export type AssistantReplyKind =
  | "answers" // FAQ entries that fit the question
  | "no_answer" // nothing in the FAQ fits
  | "ask_order" // asks for the order number and email (fields: order, email)
  | "order_status" // one or more orders' tracking
  | "order_not_found" // the number and email do not match an order (the same whichever is wrong)
  | "order_refused" // too many failed lookups: try later
  | "handover"; // the chat is with the shop's team now

/** The JSON stored with an assistant message (ContactMessage.payload) and sent on the stream. */
export interface AssistantPayload {
  v: typeof ASSISTANT_PAYLOAD_VERSION;
  kind: AssistantReplyKind;
  language: Language;
  /** The first reply of a conversation says the team is away, and when it is back (ISO instant). */
  away?: { opensAt: string | null } | null;
  faq?: AssistantFaqAnswer[];
  orders?: AssistantOrder[];
  /** ask_order, order_not_found: the fields the panel may ask for. */
  fields?: ("order" | "email")[];
  /** ask_order: the number the shopper already gave (the panel may fill it in). */
  pendingOrder?: string;
  /** order_refused: seconds until another lookup may be tried. */
  retryAfterSeconds?: number;
  /** handover: when a reply can be expected (ISO instant), null when the team is there now or no hours are set. */
  replyBy?: string | null;
  timeZone?: string;
  actions: AssistantAction[];
}

export type Intent = "order_status" | "return" | "human";

// Phrases after normalizeText (lower case, Persian letters unified, no zero-width non-joiner).
const INTENT_PHRASES: Record<Intent, Record<Language, RegExp>> = {
  order_status: {
    en: /\b(where('?s| is) my (order|package|parcel|stuff|delivery)|track(ing)?\b|order status|status of my order|(has ?n[o']?t|not|never|still not) (arrived|come|been delivered|shipped|received)|when will (it|my order|my package) (arrive|come|ship))/,
    ko: /(배송\s?조회|주문\s?조회|주문\s?상태|배송\s?상태|(내|제) 주문|택배|송장|어디|언제 와|언제 오|언제 도착|도착 안|안 와|안와|추적)/,
    ja: /(注文状況|配送状況|配送状態|追跡|どこ|届かない|届いてない|届いていない|まだ届|いつ届|荷物)/,
    fa: /(سفارشم|سفارش من|بسته من|بستهام|مرسوله|کجاست|پیگیری|رهگیری|نرسیده|کی میرسد|کی میرسه|وضعیت سفارش)/,
  },
  return: {
    en: /\b(return|returning|refund|exchange|send (it|them) back|money back)\b/,
    ko: /(반품|환불|교환)/,
    ja: /(返品|返金|交換)/,
    fa: /(مرجوع|عودت|برگرداندن|برگردانم|بازگرداندن|تعویض|بازپرداخت|پس بدهم|پس بدم)/,
  },
  human: {
    // Asking for a person, not any sentence with "talk to" or "someone" in it.
    en: /\b(human|real person|a person|an agent|agent please|representative|operator|customer service|(talk|speak|chat) (to|with) (a |an |some)?(one|body|human|person|agent|representative|staff|people))\b/,
    ko: /(상담원|상담사|직원|담당자|사람(과|이랑|하고|한테)|연결해)/,
    ja: /(担当者|オペレーター|スタッフ|人と話|有人|人間)/,
    fa: /(اپراتور|کارشناس|پشتیبان|انسان|با یک نفر|با یک آدم|با یک شخص)/,
  },
};

/** What a message asks for beyond the FAQ; several at once is fine ("return or refund my order #1001"). */
export function intentsOf(text: string, language: Language): Set<Intent> {
  const t = normalizeText(text);
  const found = new Set<Intent>();
  for (const intent of Object.keys(INTENT_PHRASES) as Intent[]) {
    // English phrases are understood in every language: shoppers mix them in.
    if (INTENT_PHRASES[intent][language].test(t) || INTENT_PHRASES[intent].en.test(t)) found.add(intent);
  }
  return found;
}

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/;
// "#1001", "order 1001", "注文番号 1001", "سفارش ۱۰۰۱" (digits already ASCII), or a name with a prefix ("SH-1001").
const ORDER = /#\s?([a-z0-9][a-z0-9-]{1,30})|\b([a-z]{1,6}-?\d{3,12})\b|(?<![\d.@])(\d{4,12})(?![\d.@])/i;

/** The order number and email written in a message, each when present. */
export function orderDetailsIn(text: string): { order: string | null; email: string | null } {
  const t = normalizeText(text);
  const email = EMAIL.exec(t)?.[0].replace(/[.。]+$/, "") ?? null;
  const rest = email ? t.replace(email, " ") : t;
  const m = ORDER.exec(rest);
  const raw = m ? (m[1] ?? m[2] ?? m[3]) : null;
  return { order: raw ? `#${raw.toUpperCase()}` : null, email };
}

// --- Words ---------------------------------------------------------------------------------

export interface AssistantCopy {
  away: string;
  awayUntil: (when: string) => string;
  found: string;
  foundForReturn: string;
  notFound: string;
  askOrder: string;
  askOrderMissingEmail: string;
  orderNotFound: string;
  orderRefused: (minutes: number) => string;
  noOrders: string;
  recentOrders: string;
  orderHeading: (name: string) => string;
  cancelled: string;
  preparing: string;
  preparingShipsOn: (date: string) => string;
  stage: Record<Milestone, string>;
  problem: Record<ProblemKind, string>;
  expected: (range: string) => string;
  trackWith: (carrier: string) => string;
  handoverNow: string;
  handoverBy: (when: string) => string;
  handoverNoHours: string;
  handoverAgain: string;
  buttons: { track: string; anotherOrder: string; return: string; human: string; trackShipment: string };
}

export const ASSISTANT_COPY: Record<Language, AssistantCopy> = {
  en: {
    away: "Our team is away right now, so I'm answering first.",
    awayUntil: (when) => `Our team is away right now (back ${when}), so I'm answering first.`,
    found: "Here is what I found:",
    foundForReturn: "Here is what I found about returns:",
    notFound: "I couldn't find an answer to that. You can look up an order, start a return, or talk to a person.",
    askOrder: "I can look up your order. Send its number (like #1001) and the email address used for it.",
    askOrderMissingEmail: "Please send the email address used for the order as well.",
    orderNotFound: "I couldn't find an order with that number and email. Please check both and try again.",
    orderRefused: (minutes) =>
      `There have been too many attempts, so lookups are paused for ${minutes} min. ` +
      "You can open the order from the link in your email, or talk to a person.",
    noOrders: "I couldn't find recent orders on your account. Send an order number and its email to look one up.",
    recentOrders: "Here are your recent orders:",
    orderHeading: (name) => `Order ${name}`,
    cancelled: "cancelled",
    preparing: "being prepared",
    preparingShipsOn: (date) => `being prepared, expected to ship ${date}`,
    stage: {
      ordered: "ordered",
      confirmed: "confirmed",
      shipped: "shipped",
      in_transit: "on its way",
      out_for_delivery: "out for delivery",
      delivered: "delivered",
    },
    problem: {
      attempted_delivery: "a delivery attempt failed",
      exception: "the carrier reported a problem",
      delayed: "delayed",
    },
    expected: (range) => `expected ${range}`,
    trackWith: (carrier) => `Track with ${carrier}`,
    handoverNow: "I've passed your conversation to our team. Someone will answer here shortly.",
    handoverBy: (when) => `I've passed your conversation to our team. You can expect a reply by ${when}.`,
    handoverNoHours: "I've passed your conversation to our team. They will answer here as soon as they can.",
    handoverAgain: "Our team already has your conversation and will answer here.",
    buttons: {
      track: "Where is my order?",
      anotherOrder: "Another order",
      return: "Start a return",
      human: "Talk to a person",
      trackShipment: "Track shipment",
    },
  },
  ko: {
    away: "지금은 상담원이 자리에 없어 제가 먼저 안내해 드릴게요.",
    awayUntil: (when) => `지금은 상담원이 자리에 없어요(${when}에 돌아옵니다). 제가 먼저 안내해 드릴게요.`,
    found: "찾은 답변입니다:",
    foundForReturn: "반품에 관해 찾은 답변입니다:",
    notFound: "이 질문에 대한 답변을 찾지 못했어요. 주문 조회, 반품 신청 또는 상담원 연결을 이용해 주세요.",
    askOrder: "주문을 조회해 드릴게요. 주문 번호(예: #1001)와 주문에 사용한 이메일 주소를 보내 주세요.",
    askOrderMissingEmail: "주문에 사용한 이메일 주소도 함께 보내 주세요.",
    orderNotFound: "해당 주문 번호와 이메일로 주문을 찾지 못했어요. 두 가지를 확인하고 다시 시도해 주세요.",
    orderRefused: (minutes) =>
      `시도가 너무 많아 ${minutes}분 동안 조회가 중지되었어요. 이메일의 링크로 주문을 열거나 상담원과 연결해 주세요.`,
    noOrders: "계정에서 최근 주문을 찾지 못했어요. 주문 번호와 이메일을 보내 주시면 조회해 드릴게요.",
    recentOrders: "최근 주문입니다:",
    orderHeading: (name) => `주문 ${name}`,
    cancelled: "취소됨",
    preparing: "상품 준비 중",
    preparingShipsOn: (date) => `상품 준비 중, ${date} 발송 예정`,
    stage: {
      ordered: "주문 완료",
      confirmed: "주문 확인",
      shipped: "발송됨",
      in_transit: "배송 중",
      out_for_delivery: "배달 출발",
      delivered: "배송 완료",
    },
    problem: {
      attempted_delivery: "배달 시도 실패",
      exception: "택배사에서 문제를 알렸어요",
      delayed: "지연",
    },
    expected: (range) => `${range} 도착 예정`,
    trackWith: (carrier) => `${carrier}에서 조회`,
    handoverNow: "상담원에게 대화를 전달했어요. 곧 이곳에서 답변드릴 거예요.",
    handoverBy: (when) => `상담원에게 대화를 전달했어요. ${when}까지 답변을 받으실 수 있어요.`,
    handoverNoHours: "상담원에게 대화를 전달했어요. 가능한 한 빨리 이곳에서 답변드릴게요.",
    handoverAgain: "상담원이 이미 대화를 받았고 이곳에서 답변드릴 거예요.",
    buttons: {
      track: "주문 조회",
      anotherOrder: "다른 주문",
      return: "반품 신청",
      human: "상담원 연결",
      trackShipment: "배송 조회",
    },
  },
  ja: {
    away: "ただいまスタッフが不在のため、まず私がご案内します。",
    awayUntil: (when) => `ただいまスタッフが不在です（${when}に対応再開）。まず私がご案内します。`,
    found: "見つかった回答です：",
    foundForReturn: "返品について見つかった回答です：",
    notFound:
      "回答が見つかりませんでした。ご注文の確認、返品の手続き、またはスタッフへのお問い合わせをご利用ください。",
    askOrder: "ご注文をお調べします。注文番号（例：#1001）とご注文時のメールアドレスを送ってください。",
    askOrderMissingEmail: "ご注文時のメールアドレスもあわせて送ってください。",
    orderNotFound:
      "その注文番号とメールアドレスに一致するご注文が見つかりませんでした。両方をご確認のうえ、もう一度お試しください。",
    orderRefused: (minutes) =>
      `試行回数が多すぎるため、${minutes}分間お調べできません。メールのリンクからご注文を開くか、スタッフにお問い合わせください。`,
    noOrders:
      "アカウントに最近のご注文が見つかりませんでした。注文番号とメールアドレスを送っていただければお調べします。",
    recentOrders: "最近のご注文です：",
    orderHeading: (name) => `ご注文 ${name}`,
    cancelled: "キャンセル済み",
    preparing: "発送準備中",
    preparingShipsOn: (date) => `発送準備中（${date}発送予定）`,
    stage: {
      ordered: "ご注文受付",
      confirmed: "ご注文確認済み",
      shipped: "発送済み",
      in_transit: "配送中",
      out_for_delivery: "配達中",
      delivered: "お届け済み",
    },
    problem: {
      attempted_delivery: "ご不在などでお届けできませんでした",
      exception: "配送業者から問題の連絡がありました",
      delayed: "遅れています",
    },
    expected: (range) => `${range}お届け予定`,
    trackWith: (carrier) => `${carrier}で追跡`,
    handoverNow: "スタッフに会話を引き継ぎました。まもなくこちらでお返事します。",
    handoverBy: (when) => `スタッフに会話を引き継ぎました。${when}までにお返事します。`,
    handoverNoHours: "スタッフに会話を引き継ぎました。できるだけ早くこちらでお返事します。",
    handoverAgain: "スタッフはすでに会話を受け取っており、こちらでお返事します。",
    buttons: {
      track: "注文はどこ？",
      anotherOrder: "別の注文",
      return: "返品の手続き",
      human: "スタッフと話す",
      trackShipment: "配送を追跡",
    },
  },
  fa: {
    away: "الان همکاران ما در دسترس نیستند، برای همین من اول پاسخ می‌دهم.",
    awayUntil: (when) => `الان همکاران ما در دسترس نیستند (بازگشت: ${when})، برای همین من اول پاسخ می‌دهم.`,
    found: "این‌ها را پیدا کردم:",
    foundForReturn: "دربارهٔ مرجوعی این‌ها را پیدا کردم:",
    notFound: "پاسخی برای این پیدا نکردم. می‌توانید سفارشتان را پیگیری کنید، مرجوعی ثبت کنید یا با یک نفر صحبت کنید.",
    askOrder: "سفارشتان را پیدا می‌کنم. شمارهٔ سفارش (مثلاً #1001) و ایمیلی را که با آن سفارش دادید بفرستید.",
    askOrderMissingEmail: "لطفاً ایمیلی را هم که با آن سفارش دادید بفرستید.",
    orderNotFound: "سفارشی با این شماره و ایمیل پیدا نکردم. لطفاً هر دو را بررسی کنید و دوباره امتحان کنید.",
    orderRefused: (minutes) =>
      `تلاش‌ها بیش از حد بوده، برای همین جستجو ${minutes} دقیقه متوقف است. ` +
      "می‌توانید سفارش را از پیوند ایمیلتان باز کنید یا با یک نفر صحبت کنید.",
    noOrders: "سفارش اخیری در حساب شما پیدا نکردم. شمارهٔ سفارش و ایمیل آن را بفرستید تا پیدایش کنم.",
    recentOrders: "سفارش‌های اخیر شما:",
    orderHeading: (name) => `سفارش ${name}`,
    cancelled: "لغو شده",
    preparing: "در حال آماده‌سازی",
    preparingShipsOn: (date) => `در حال آماده‌سازی، ارسال در ${date}`,
    stage: {
      ordered: "ثبت شده",
      confirmed: "تأیید شده",
      shipped: "ارسال شده",
      in_transit: "در راه",
      out_for_delivery: "در حال تحویل",
      delivered: "تحویل داده شده",
    },
    problem: {
      attempted_delivery: "تحویل ناموفق بود",
      exception: "شرکت حمل مشکلی گزارش کرده",
      delayed: "با تأخیر",
    },
    expected: (range) => `تحویل ${range}`,
    trackWith: (carrier) => `پیگیری در ${carrier}`,
    handoverNow: "گفتگوی شما را به همکارانمان سپردم. به‌زودی همین‌جا پاسخ می‌دهند.",
    handoverBy: (when) => `گفتگوی شما را به همکارانمان سپردم. تا ${when} پاسخ می‌گیرید.`,
    handoverNoHours: "گفتگوی شما را به همکارانمان سپردم. هر چه زودتر همین‌جا پاسخ می‌دهند.",
    handoverAgain: "همکاران ما گفتگوی شما را دارند و همین‌جا پاسخ می‌دهند.",
    buttons: {
      track: "سفارشم کجاست؟",
      anotherOrder: "سفارش دیگر",
      return: "ثبت مرجوعی",
      human: "صحبت با یک نفر",
      trackShipment: "پیگیری مرسوله",
    },
  },
};

const LOCALE_TAG: Record<Language, string> = { en: "en-US", ko: "ko-KR", ja: "ja-JP", fa: "fa-IR" };

/**
 * An instant as the shopper reads it, in the shop's time zone and the shopper's language, with
 * the zone named ("Mon, Dec 7, 9:00 AM EST"; Persian in its own calendar and digits).
 */
export function formatInstant(at: Date, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE_TAG[language], {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(at);
}

/** A civil date (YYYY-MM-DD) in the shopper's language. */
export function formatCivilDate(date: string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALE_TAG[language], {
    weekday: "short",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${date}T12:00:00Z`));
}

/** One order's status in words, a line per shipment. */
export function orderStatusText(order: AssistantOrder, language: Language): string {
  const copy = ASSISTANT_COPY[language];
  const head = copy.orderHeading(order.name);
  if (order.cancelled) return `${head}: ${copy.cancelled}`;
  const lines: string[] = [];
  if (order.preparing) {
    lines.push(
      order.preparing.expectedShipDate
        ? copy.preparingShipsOn(formatCivilDate(order.preparing.expectedShipDate, language))
        : copy.preparing,
    );
  }
  for (const s of order.shipments) {
    const parts = [copy.stage[s.stage]];
    if (s.problem) parts.push(copy.problem[s.problem]);
    if (s.stage !== "delivered" && s.estimate) {
      const a = formatCivilDate(s.estimate.earliest, language);
      const b = formatCivilDate(s.estimate.latest, language);
      parts.push(copy.expected(a === b ? a : `${a} – ${b}`));
    }
    if (s.carrier) parts.push(s.trackingNumber ? `${s.carrier} ${s.trackingNumber}` : s.carrier);
    if (s.trackingUrl) parts.push(s.trackingUrl);
    lines.push(`${order.shipments.length > 1 ? `${s.number}. ` : ""}${parts.join(" · ")}`);
  }
  return lines.length ? `${head}: ${lines.join("\n")}` : head;
}
