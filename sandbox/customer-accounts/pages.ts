/**
 * The pages of the sandbox's customer accounts: the shell a signed-in shopper sees (orders,
 * an order's status page, profile, an extension's full page) with each extension in a frame of
 * its own, as Shopify isolates them, the order action's modal, and the frame document that boots
 * the host runtime.
 */
import { escapeHtml as e, scriptJson } from "../pages/html";

export const CUSTOMER_LOCALES = ["en", "ko", "ja", "fa"] as const;
const LANGUAGE_NAMES: Record<string, string> = { en: "English", ko: "한국어", ja: "日本語", fa: "فارسی" };
const RTL = new Set(["fa", "ar", "he", "ur"]);
export const directionOf = (locale: string) => (RTL.has(locale.split("-")[0]) ? "rtl" : "ltr");

// The host's own words (Shopify translates its customer-account pages too).
const WORDS: Record<string, Record<string, string>> = {
  en: {
    orders: "Orders",
    profile: "Profile",
    signOut: "Sign out",
    order: "Order",
    total: "Total",
    items: "Items",
    quantity: "Quantity",
    shipments: "Shipments",
    returns: "Returns",
    noShipments: "Not shipped yet",
    noOrders: "You have no orders yet.",
    actions: "Order actions",
    email: "Email",
    name: "Name",
    placed: "Placed",
    signIn: "Sign in",
    status: "Status",
    language: "Language",
    account: "Account",
    close: "Close",
    notFound: "Not found",
    orderNotFound: "Order not found",
    status_unfulfilled: "Unfulfilled",
    status_fulfilled: "Fulfilled",
    status_cancelled: "Cancelled",
    status_confirmed: "Confirmed",
    status_label_printed: "Label printed",
    status_label_purchased: "Label purchased",
    status_carrier_picked_up: "Picked up by the carrier",
    status_in_transit: "In transit",
    status_out_for_delivery: "Out for delivery",
    status_attempted_delivery: "Delivery attempted",
    status_delayed: "Delayed",
    status_delivered: "Delivered",
    status_failure: "Delivery failed",
    status_ready_for_pickup: "Ready for pickup",
    status_picked_up: "Picked up",
    return_requested: "Return requested",
    return_open: "Return in progress",
    return_closed: "Returned",
    return_declined: "Return declined",
    return_canceled: "Return cancelled",
  },
  ko: {
    orders: "주문",
    profile: "프로필",
    signOut: "로그아웃",
    order: "주문",
    total: "합계",
    items: "상품",
    quantity: "수량",
    shipments: "배송",
    returns: "반품",
    noShipments: "아직 배송되지 않음",
    noOrders: "아직 주문이 없습니다.",
    actions: "주문 작업",
    email: "이메일",
    name: "이름",
    placed: "주문일",
    signIn: "로그인",
    status: "상태",
    language: "언어",
    account: "계정",
    close: "닫기",
    notFound: "찾을 수 없음",
    orderNotFound: "주문을 찾을 수 없습니다",
    status_unfulfilled: "미발송",
    status_fulfilled: "발송됨",
    status_cancelled: "취소됨",
    status_confirmed: "확인됨",
    status_label_printed: "라벨 인쇄됨",
    status_label_purchased: "라벨 구매됨",
    status_carrier_picked_up: "택배사 인수",
    status_in_transit: "배송 중",
    status_out_for_delivery: "배송 출발",
    status_attempted_delivery: "배송 시도",
    status_delayed: "지연",
    status_delivered: "배송 완료",
    status_failure: "배송 실패",
    status_ready_for_pickup: "픽업 준비 완료",
    status_picked_up: "픽업됨",
    return_requested: "반품 요청됨",
    return_open: "반품 진행 중",
    return_closed: "반품됨",
    return_declined: "반품 거절됨",
    return_canceled: "반품 취소됨",
  },
  ja: {
    orders: "注文",
    profile: "プロフィール",
    signOut: "ログアウト",
    order: "注文",
    total: "合計",
    items: "商品",
    quantity: "数量",
    shipments: "配送",
    returns: "返品",
    noShipments: "未発送",
    noOrders: "まだ注文はありません。",
    actions: "注文の操作",
    email: "メール",
    name: "名前",
    placed: "注文日",
    signIn: "ログイン",
    status: "状況",
    language: "言語",
    account: "アカウント",
    close: "閉じる",
    notFound: "見つかりません",
    orderNotFound: "注文が見つかりません",
    status_unfulfilled: "未発送",
    status_fulfilled: "発送済み",
    status_cancelled: "キャンセル済み",
    status_confirmed: "確認済み",
    status_label_printed: "ラベル印刷済み",
    status_label_purchased: "ラベル購入済み",
    status_carrier_picked_up: "配送業者が集荷",
    status_in_transit: "輸送中",
    status_out_for_delivery: "配達中",
    status_attempted_delivery: "配達を試みました",
    status_delayed: "遅延",
    status_delivered: "配達済み",
    status_failure: "配達失敗",
    status_ready_for_pickup: "受け取り準備完了",
    status_picked_up: "受け取り済み",
    return_requested: "返品リクエスト済み",
    return_open: "返品手続き中",
    return_closed: "返品済み",
    return_declined: "返品不可",
    return_canceled: "返品キャンセル",
  },
  fa: {
    orders: "سفارش‌ها",
    profile: "نمایه",
    signOut: "خروج",
    order: "سفارش",
    total: "جمع",
    items: "اقلام",
    quantity: "تعداد",
    shipments: "ارسال‌ها",
    returns: "بازگرداندن‌ها",
    noShipments: "هنوز ارسال نشده",
    noOrders: "هنوز سفارشی ندارید.",
    actions: "کارهای سفارش",
    email: "ایمیل",
    name: "نام",
    placed: "تاریخ ثبت",
    signIn: "ورود",
    status: "وضعیت",
    language: "زبان",
    account: "حساب",
    close: "بستن",
    notFound: "پیدا نشد",
    orderNotFound: "سفارش پیدا نشد",
    status_unfulfilled: "ارسال‌نشده",
    status_fulfilled: "ارسال‌شده",
    status_cancelled: "لغوشده",
    status_confirmed: "تأییدشده",
    status_label_printed: "برچسب چاپ شد",
    status_label_purchased: "برچسب خریداری شد",
    status_carrier_picked_up: "تحویل شرکت حمل شد",
    status_in_transit: "در راه",
    status_out_for_delivery: "در حال تحویل",
    status_attempted_delivery: "تلاش برای تحویل",
    status_delayed: "با تأخیر",
    status_delivered: "تحویل داده شد",
    status_failure: "تحویل ناموفق",
    status_ready_for_pickup: "آمادهٔ تحویل حضوری",
    status_picked_up: "تحویل گرفته شد",
    return_requested: "درخواست بازگرداندن",
    return_open: "بازگرداندن در جریان",
    return_closed: "بازگردانده شد",
    return_declined: "بازگرداندن رد شد",
    return_canceled: "بازگرداندن لغو شد",
  },
};

/** The host's word for `key` in `locale`; a key missing in English too is a mistake, and throws. */
export function word(locale: string, key: string): string {
  const found = WORDS[locale]?.[key] ?? WORDS.en[key];
  if (found === undefined) throw new Error(`The customer-accounts host has no word "${key}".`);
  return found;
}

/** A shipment's or order's status in the shopper's words (Shopify's status names, lower case). */
export const statusWord = (locale: string, status: string) => word(locale, `status_${status.toLowerCase()}`);

const CSS = [
  "*{box-sizing:border-box}",
  "body{font-family:system-ui,sans-serif;margin:0;background:#f1f1f1;color:#303030;line-height:1.45}",
  "header.top{background:#fff;border-bottom:1px solid #ddd;padding:12px 24px;display:flex;gap:16px;",
  "align-items:center;flex-wrap:wrap}",
  "header.top .shop{font-weight:700;margin-inline-end:auto}",
  "header.top a{color:#005bd3}header.top nav ul{display:flex;gap:16px;list-style:none;margin:0;padding:0}",
  "main{max-width:960px;margin:0 auto;padding:24px}",
  ".card{background:#fff;border-radius:12px;padding:16px;margin-bottom:16px;border:1px solid #e3e3e3}",
  "h1{font-size:1.6rem;margin:0 0 12px}h2{font-size:1.15rem;margin:0 0 8px}",
  "table{border-collapse:collapse;width:100%}th,td{text-align:start;padding:8px 6px;border-bottom:1px solid #eee}",
  "th{font-weight:600;color:#4a4a4a}td.num,th.num{text-align:end;font-variant-numeric:tabular-nums}",
  "iframe.ext{border:0;width:100%;display:block;min-height:40px;color-scheme:normal}",
  ".slot{margin-bottom:16px}",
  ".ext-error{background:#fee9e8;color:#8e1f0b;border:2px solid #8e1f0b;border-radius:8px;padding:12px;",
  "margin-bottom:16px;white-space:pre-wrap}",
  ".actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center}.actions iframe.ext{width:auto;min-width:120px}",
  ".langs ul{display:flex;gap:8px;list-style:none;margin:0;padding:0}.note{color:#555}",
  ".status{display:inline-block;border-radius:8px;padding:2px 8px;background:#ebebeb;font-size:.9em}",
  "label{display:block;font-weight:600;margin-bottom:4px}",
  "input{font:inherit;padding:8px;border:1px solid #8a8a8a;border-radius:8px}",
  "button{font:inherit;padding:8px 14px;border-radius:8px;border:1px solid #303030;background:#303030;",
  "color:#fff;cursor:pointer}",
  "dialog.ext-modal{border:0;border-radius:12px;padding:0;width:min(640px,calc(100% - 32px));",
  "box-shadow:0 8px 32px rgba(0,0,0,.25)}",
  "dialog.ext-modal::backdrop{background:rgba(0,0,0,.45)}",
  "dialog.ext-modal .bar{display:flex;justify-content:flex-end;padding:8px 8px 0}",
  "dialog.ext-modal .bar button{background:#fff;color:#303030;border-color:#8a8a8a}",
  "dialog.ext-modal .body{padding:0 16px 16px}",
  "footer.bottom{max-width:960px;margin:0 auto;padding:0 24px 24px}",
  ":focus-visible{outline:2px solid #005bd3;outline-offset:2px}",
].join("\n");

export interface ShellOptions {
  shopName: string;
  locale: string;
  title: string;
  customerName: string | null;
  body: string;
  /** The current path and query, to switch language in place. */
  here: URL;
  /** The footer's extensions (customer-account.footer.render-after). */
  footer?: string;
}

/**
 * The page's side of the frames: sizes them, shows their errors above them, and opens and closes
 * the order action's modal (customer-account.order.action.render) when a menu item asks.
 */
const SHELL_SCRIPT = `
const frames = () => [...document.querySelectorAll("iframe.ext")];
const alertBefore = (frame, message) => {
  const box = document.createElement("div");
  box.className = "ext-error";
  box.setAttribute("role", "alert");
  box.dataset.extension = frame.dataset.extension;
  box.textContent = frame.dataset.extension + " (" + frame.dataset.target + "): " + message;
  (frame.closest(".slot") ?? frame).before(box);
};
let opener = null;
const closeModal = () => {
  const dialog = document.querySelector("dialog.ext-modal");
  if (!dialog) return;
  dialog.close();
  dialog.remove();
  opener?.focus();
};
addEventListener("message", (event) => {
  const frame = frames().find((f) => f.contentWindow === event.source);
  if (!frame || !event.data) return;
  const { type } = event.data;
  if (type === "sandbox-extension-height") frame.style.height = Math.max(40, event.data.height) + "px";
  if (type === "sandbox-extension-width" && frame.closest(".actions"))
    frame.style.width = Math.max(40, event.data.width) + "px";
  if (type === "sandbox-extension-error") alertBefore(frame, event.data.message);
  if (type === "sandbox-extension-close") closeModal();
  if (type === "sandbox-open-modal") {
    const src = frame.dataset.modalSrc;
    if (!src) {
      alertBefore(frame, "this menu item opens nothing: it has no href, and its extension declares no " +
        "customer-account.order.action.render target for a modal.");
      return;
    }
    closeModal();
    opener = frame;
    const dialog = document.createElement("dialog");
    dialog.className = "ext-modal";
    dialog.setAttribute("aria-label", frame.title);
    const bar = document.createElement("div");
    bar.className = "bar";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = document.body.dataset.closeWord;
    close.addEventListener("click", closeModal);
    bar.append(close);
    const inner = document.createElement("iframe");
    inner.className = "ext";
    inner.title = frame.title;
    inner.src = src;
    inner.dataset.extension = frame.dataset.extension;
    inner.dataset.target = "customer-account.order.action.render";
    const body = document.createElement("div");
    body.className = "body";
    body.append(inner);
    dialog.append(bar, body);
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }
});`;

export function shell(o: ShellOptions): string {
  const langs = CUSTOMER_LOCALES.map((l) => {
    const url = new URL(o.here);
    url.searchParams.set("locale", l);
    const current = l === o.locale ? ' aria-current="true"' : "";
    return (
      `<li><a href="${e(url.pathname + url.search)}" lang="${l}" hreflang="${l}"${current}>` +
      `${e(LANGUAGE_NAMES[l])}</a></li>`
    );
  }).join("");
  const link = (path: string, key: string) => {
    const current = o.here.pathname.startsWith(path) ? ' aria-current="page"' : "";
    // Each link keeps the page's language (Shopify's customer accounts keep ?locale across pages).
    const href = `${path}?${new URLSearchParams({ locale: o.locale })}`;
    return `<li><a href="${e(href)}"${current}>${e(word(o.locale, key))}</a></li>`;
  };
  const nav = o.customerName
    ? `<nav aria-label="${e(word(o.locale, "account"))}"><ul>${link("/customer-accounts/orders", "orders")}` +
      `${link("/customer-accounts/profile", "profile")}${link("/customer-accounts/sign-out", "signOut")}</ul></nav>`
    : "";
  return [
    `<!doctype html><html lang="${e(o.locale)}" dir="${directionOf(o.locale)}"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${e(o.title)} · ${e(o.shopName)}</title><style>${CSS}</style></head>`,
    `<body data-close-word="${e(word(o.locale, "close"))}">`,
    `<header class="top"><span class="shop">${e(o.shopName)}</span>${nav}`,
    `<nav class="langs" aria-label="${e(word(o.locale, "language"))}"><ul>${langs}</ul></nav></header>`,
    `<main>${o.body}</main>`,
    o.footer ? `<footer class="bottom">${o.footer}</footer>` : "",
    `<script>${SHELL_SCRIPT}</script></body></html>`,
  ].join("\n");
}

export interface FrameSlot {
  handle: string;
  name: string;
  target: string;
  /** Null when the bundle is there; else why it cannot run. */
  problem: string | null;
  src: string;
  /** For an order action's menu item: the frame of its modal, when the extension declares one. */
  modalSrc?: string | null;
}

/** One extension's place on a page: its frame, or a loud box saying why it cannot run. */
export function extensionSlot(slot: FrameSlot): string {
  if (slot.problem) {
    return `<div class="ext-error" role="alert" data-extension="${e(slot.handle)}">${e(slot.problem)}</div>`;
  }
  const modal = slot.modalSrc ? ` data-modal-src="${e(slot.modalSrc)}"` : "";
  return (
    `<iframe class="ext" title="${e(slot.name)}" src="${e(slot.src)}" data-extension="${e(slot.handle)}" ` +
    `data-target="${e(slot.target)}"${modal}></iframe>`
  );
}

const FRAME_CSS = [
  "html{background:transparent}body{margin:0;font-family:system-ui,sans-serif;color:#303030;line-height:1.45}",
  ".sandbox-error{background:#fee9e8;color:#8e1f0b;border:2px solid #8e1f0b;border-radius:8px;",
  "padding:8px 12px;margin:4px;font-family:monospace;white-space:pre-wrap}",
  "#sandbox-toast{position:fixed;inset-block-end:8px;inset-inline-start:8px;background:#303030;color:#fff;",
  "border-radius:8px;padding:8px 12px}#sandbox-toast:empty{display:none}",
].join("");

/** The document inside an extension's frame: the host runtime, booted with the target's config. */
export function framePage(o: { locale: string; title: string; runtimeUrl: string; config: unknown }): string {
  return [
    `<!doctype html><html lang="${e(o.locale)}" dir="${directionOf(o.locale)}"><head><meta charset="utf-8">`,
    `<title>${e(o.title)}</title><style>${FRAME_CSS}</style>`,
    `<script type="module">import { boot } from ${scriptJson(o.runtimeUrl)}; boot(${scriptJson(o.config)});</script>`,
    `</head><body></body></html>`,
  ].join("\n");
}
