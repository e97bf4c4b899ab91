/** The words of Contact's emails, in the storefront's four languages. */
import { languageFor } from "../../domain/contact/settings";

export const CONTACT_EMAIL_KIND = "contact";
export const SURVEY_EMAIL_KIND = "survey";

const COPY = {
  en: {
    replySubject: "Re: your message to {{ shop_name }} ({{ reference }})",
    yourMessage: "Your message",
    footer: (reference: string) => `Request ${reference}. Reply to this email to continue the conversation.`,
    greeting: (name: string | null) => (name ? `Hi ${name},` : "Hello,"),
    ackSubject: "We received your message ({{ reference }})",
    ackBody:
      "Thank you for writing to {{ shop_name }}. Your message reached us and we will answer at this " +
      "email address.\n\nYour reference: {{ reference }}",
    unsubscribe: "Unsubscribe",
    csatSubject: "How did we do? ({{ shop_name }})",
    csatBody:
      "Thanks for getting in touch with {{ shop_name }}. How happy are you with the help you " +
      "got? It takes ten seconds:\n\n{{ link }}",
    npsSubject: "Would you recommend {{ shop_name }}?",
    npsBody:
      "Your order {{ order_name }} arrived recently. How likely are you to recommend " +
      "{{ shop_name }} to a friend? One click:\n\n{{ link }}",
  },
  ko: {
    replySubject: "Re: {{ shop_name }}에 보내신 문의 ({{ reference }})",
    yourMessage: "보내신 메시지",
    footer: (reference: string) => `문의 번호 ${reference}. 이 메일에 답장하시면 대화를 이어갈 수 있습니다.`,
    greeting: (name: string | null) => (name ? `${name}님, 안녕하세요.` : "안녕하세요."),
    ackSubject: "문의가 접수되었습니다 ({{ reference }})",
    ackBody:
      "{{ shop_name }}에 문의해 주셔서 감사합니다. 메시지를 잘 받았으며 이 이메일 주소로 답변드리겠습니다." +
      "\n\n문의 번호: {{ reference }}",
    unsubscribe: "수신 거부",
    csatSubject: "상담은 만족스러우셨나요? ({{ shop_name }})",
    csatBody:
      "{{ shop_name }}에 문의해 주셔서 감사합니다. 받으신 도움에 얼마나 만족하시나요? 10초면 됩니다:\n\n{{ link }}",
    npsSubject: "{{ shop_name }}을(를) 추천하시겠어요?",
    npsBody:
      "주문 {{ order_name }}이(가) 최근 도착했습니다. {{ shop_name }}을(를) 친구에게 추천할 가능성은 얼마나 되나요?\n\n{{ link }}",
  },
  ja: {
    replySubject: "Re: {{ shop_name }}へのお問い合わせ ({{ reference }})",
    yourMessage: "お問い合わせ内容",
    footer: (reference: string) => `お問い合わせ番号 ${reference}。このメールに返信するとやり取りを続けられます。`,
    greeting: (name: string | null) => (name ? `${name}様` : "お問い合わせありがとうございます。"),
    ackSubject: "お問い合わせを受け付けました（{{ reference }}）",
    ackBody:
      "{{ shop_name }}にお問い合わせいただきありがとうございます。メッセージを受け付けました。" +
      "このメールアドレスにご返信します。\n\nお問い合わせ番号：{{ reference }}",
    unsubscribe: "配信停止",
    csatSubject: "対応はいかがでしたか？（{{ shop_name }}）",
    csatBody:
      "{{ shop_name }}にお問い合わせいただきありがとうございます。今回の対応の満足度を教えてください（10秒で終わります）：\n\n{{ link }}",
    npsSubject: "{{ shop_name }}をおすすめいただけますか？",
    npsBody:
      "ご注文 {{ order_name }} が届きました。{{ shop_name }}をご友人にすすめる可能性はどのくらいですか？\n\n{{ link }}",
  },
  fa: {
    replySubject: "پاسخ: پیام شما به {{ shop_name }} ({{ reference }})",
    yourMessage: "پیام شما",
    // The reference isolated left to right, as the email's identifiers are.
    footer: (reference: string) => `درخواست \u2066${reference}\u2069. برای ادامهٔ گفتگو به همین ایمیل پاسخ دهید.`,
    greeting: (name: string | null) => (name ? `${name} عزیز، سلام.` : "سلام،"),
    ackSubject: "پیام شما رسید ({{ reference }})",
    ackBody:
      "از اینکه به {{ shop_name }} پیام دادید سپاسگزاریم. پیام شما به دست ما رسید و به همین نشانی ایمیل " +
      "پاسخ می‌دهیم.\n\nشمارهٔ پیگیری: {{ reference }}",
    unsubscribe: "لغو اشتراک",
    csatSubject: "چطور بودیم؟ ({{ shop_name }})",
    csatBody:
      "از اینکه با {{ shop_name }} تماس گرفتید سپاسگزاریم. از کمکی که گرفتید چقدر راضی هستید؟ " +
      "ده ثانیه بیشتر طول نمی‌کشد:\n\n{{ link }}",
    npsSubject: "آیا {{ shop_name }} را پیشنهاد می‌کنید؟",
    npsBody:
      "سفارش {{ order_name }} به‌تازگی رسیده است. چقدر احتمال دارد {{ shop_name }} را به دوستی " +
      "پیشنهاد کنید؟\n\n{{ link }}",
  },
};

export function emailCopy(locale: string) {
  return COPY[languageFor(locale)];
}

/** The survey page's words (/apps/aftercare/contact/survey), in the language the shopper wrote in. */
const SURVEY_PAGE = {
  en: {
    heading: "Tell us how we did",
    csatQuestion: (shop: string) => `How happy are you with the help you got from ${shop}?`,
    npsQuestion: (shop: string) => `How likely are you to recommend ${shop} to a friend?`,
    csatScale: "1 = not at all, 5 = very",
    npsScale: "0 = not likely, 10 = very likely",
    comment: "Anything you would like to tell us? (optional)",
    send: "Send",
    thanksHeading: "Thank you",
    thanksBody: "Your answer was recorded. It helps us do better.",
    invalidHeading: "Link not valid",
    invalid: "This survey link is not valid.",
    expired: "This survey link has expired.",
    chooseScore: (min: number, max: number) => `Choose a score from ${min} to ${max}.`,
    commentTooLong: "Keep the comment under 2,000 characters.",
    changeNote: (minutes: number) =>
      `You can change your answer for ${minutes} minutes after you send it; then it is final.`,
    finalHeading: "Your answer is recorded",
    finalBody: "This survey was already answered, and the answer can no longer be changed. Thank you!",
    recordedScore: (score: number) => `Your score: ${score}`,
    recordedComment: "Your comment:",
  },
  ko: {
    heading: "저희 응대는 어떠셨나요?",
    csatQuestion: (shop: string) => `${shop}에서 받으신 도움에 얼마나 만족하시나요?`,
    npsQuestion: (shop: string) => `${shop}을(를) 친구에게 추천할 가능성은 얼마나 되나요?`,
    csatScale: "1 = 전혀 만족하지 않음, 5 = 매우 만족",
    npsScale: "0 = 전혀 추천하지 않음, 10 = 꼭 추천",
    comment: "더 하고 싶은 말씀이 있으신가요? (선택)",
    send: "보내기",
    thanksHeading: "감사합니다",
    thanksBody: "답변이 기록되었습니다. 더 나은 서비스를 위해 활용하겠습니다.",
    invalidHeading: "유효하지 않은 링크",
    invalid: "이 설문 링크는 유효하지 않습니다.",
    expired: "이 설문 링크는 만료되었습니다.",
    chooseScore: (min: number, max: number) => `${min}점에서 ${max}점 사이로 선택해 주세요.`,
    commentTooLong: "의견은 2,000자 이내로 적어 주세요.",
    changeNote: (minutes: number) => `보내신 후 ${minutes}분 동안 답변을 바꿀 수 있으며, 그 후에는 확정됩니다.`,
    finalHeading: "답변이 기록되었습니다",
    finalBody: "이 설문에는 이미 답변하셨으며, 답변은 더 이상 바꿀 수 없습니다. 감사합니다!",
    recordedScore: (score: number) => `보내신 점수: ${score}`,
    recordedComment: "남기신 의견:",
  },
  ja: {
    heading: "対応はいかがでしたか",
    csatQuestion: (shop: string) => `${shop}の対応にどのくらい満足されましたか？`,
    npsQuestion: (shop: string) => `${shop}をご友人にすすめる可能性はどのくらいですか？`,
    csatScale: "1 = まったく満足していない、5 = とても満足",
    npsScale: "0 = すすめない、10 = ぜひすすめる",
    comment: "ほかにお伝えいただけることはありますか？（任意）",
    send: "送信",
    thanksHeading: "ありがとうございました",
    thanksBody: "ご回答を受け付けました。今後のサービス向上に役立てます。",
    invalidHeading: "無効なリンク",
    invalid: "このアンケートのリンクは無効です。",
    expired: "このアンケートのリンクは有効期限が切れています。",
    chooseScore: (min: number, max: number) => `${min}から${max}の中から選んでください。`,
    commentTooLong: "コメントは2,000文字以内でお願いします。",
    changeNote: (minutes: number) => `送信後${minutes}分間は回答を変更できます。その後は確定します。`,
    finalHeading: "ご回答は記録済みです",
    finalBody: "このアンケートにはすでにご回答いただいており、回答はもう変更できません。ありがとうございました。",
    recordedScore: (score: number) => `ご回答のスコア：${score}`,
    recordedComment: "コメント：",
  },
  fa: {
    heading: "نظرتان دربارهٔ ما چیست؟",
    csatQuestion: (shop: string) => `از کمکی که از ${shop} گرفتید چقدر راضی هستید؟`,
    npsQuestion: (shop: string) => `چقدر احتمال دارد ${shop} را به دوستی پیشنهاد کنید؟`,
    csatScale: "۱ = اصلاً، ۵ = خیلی زیاد",
    npsScale: "۰ = احتمال ندارد، ۱۰ = حتماً",
    comment: "چیز دیگری هست که بخواهید به ما بگویید؟ (اختیاری)",
    send: "ارسال",
    thanksHeading: "سپاسگزاریم",
    thanksBody: "پاسخ شما ثبت شد. به ما کمک می‌کند بهتر شویم.",
    invalidHeading: "پیوند نامعتبر",
    invalid: "این پیوند نظرسنجی معتبر نیست.",
    expired: "این پیوند نظرسنجی منقضی شده است.",
    chooseScore: (min: number, max: number) => `امتیازی از ${min} تا ${max} انتخاب کنید.`,
    commentTooLong: "نظر خود را در کمتر از ۲۰۰۰ نویسه بنویسید.",
    changeNote: (minutes: number) =>
      `تا ${minutes.toLocaleString("fa-IR")} دقیقه پس از ارسال می‌توانید پاسخ خود را تغییر دهید؛ پس از آن قطعی است.`,
    finalHeading: "پاسخ شما ثبت شده است",
    finalBody: "به این نظرسنجی پیش‌تر پاسخ داده شده و پاسخ دیگر قابل تغییر نیست. سپاسگزاریم!",
    recordedScore: (score: number) => `امتیاز شما: ${score.toLocaleString("fa-IR")}`,
    recordedComment: "نظر شما:",
  },
};

export type SurveyPageCopy = (typeof SURVEY_PAGE)["en"];

export function surveyPageCopy(locale: string | null | undefined): SurveyPageCopy {
  return SURVEY_PAGE[languageFor(locale)];
}
