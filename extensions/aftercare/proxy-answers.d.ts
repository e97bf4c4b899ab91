/**
 * What the app proxy answers the blocks' scripts, as the scripts read it. The shapes are the
 * services' own: tracking (app/services/tracking/lookup.server.ts), returns
 * (app/services/returns/storefront.server.ts), loyalty (app/services/loyalty/storefront.server.ts)
 * and contact (app/services/contact/storefront.server.ts). Kept here, outside the extension's
 * folders, so the types cost the storefront nothing: Shopify bundles only assets/, blocks/, ….
 */

/** Any refusal: a code the block words in the shopper's language, and the server's English. */
interface ProxyRefusal {
  error?: string;
  message?: string;
  retryAfterSeconds?: number;
  /** A form's problems by field (the contact form's checkContactMessage), in the server's English. */
  fields?: Record<string, string>;
}

/** The signed-in shopper's recent orders (tracking and returns); the token opens one. */
interface CustomerOrders {
  customer: { orders: { name: string; placedAt: string; token: string }[] };
}

interface TrackingEstimate {
  earliest: string;
  latest: string;
  source: "carrier" | "history" | "rules";
  samples: number | null;
}

interface TrackingItem {
  title: string;
  variantTitle: string | null;
  quantity: number;
  imageUrl: string | null;
}

interface TrackingShipment {
  number: number;
  carrier: { name: string; url: string | null } | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  stage: string;
  steps: { milestone: string; state: string; at: string | null }[];
  problem: { kind: string; at: string | null; message: string | null } | null;
  delay: { reason: string } | null;
  deliveredAt: string | null;
  estimate: TrackingEstimate | null;
  items: TrackingItem[];
  scans: { status: string; at: string; message: string | null; location: string | null }[];
}

interface TrackingView {
  order: { name: string; placedAt: string; cancelled: boolean };
  timeZone: string;
  labels: Record<string, string>;
  branding: { accentColor: string | null; logoUrl: string | null };
  shipments: TrackingShipment[];
  preparing: {
    items: TrackingItem[];
    expectedShipDate: string;
    estimate: TrackingEstimate | null;
    delay: { reason: string } | null;
  } | null;
  recommendations: {
    title: string;
    url: string;
    imageUrl: string | null;
    imageAlt: string | null;
    price: { amountMinor: number; currency: string };
  }[];
  contact: { email: string | null; url: string | null } | null;
}

interface ReturnLine {
  id: string;
  title: string;
  variantTitle: string | null;
  imageUrl: string | null;
  quantity: number;
  paidMinor: number;
  returnable: number;
  reason: string | null;
  windowEndsAt: string;
  exchangeVariants: { id: string; title: string; priceMinor: number }[];
}

interface ReturnsOrderView {
  /** tax: how Shopify's invoice taxes a dearer exchange's difference; null when no exchange is offered. */
  order: { name: string; currency: string; tax: "added" | "included" | "none" | null };
  token: string;
  enabled: boolean;
  lines: ReturnLine[];
  /** `photos`: the reason asks for photos of the problem (up to 3 images). */
  reasons: { id: string; label: string; requireNote: boolean; photos?: boolean }[];
  resolutions: { id: string; bonusPercent: number }[];
  fees: { restockingPercent: number; returnShippingMinor: number; waiveForExchanges: boolean };
  returns: ReturnStatusView[];
}

interface ReturnStatusView {
  /** "1302-R1": the order number and the return's sequence, shown as the merchant sees it. */
  number: string;
  orderName: string;
  status: string;
  resolution: string;
  currency: string;
  amounts: { total: number; exchange?: number; storeCredit?: number };
  /** A dearer exchange's difference: to ask once approved, awaiting Shopify's figure (its page to pay), or paid. */
  payment: { state: "due" | "awaiting" | "paid"; amountMinor: number; payUrl: string | null } | null;
  items: {
    title: string;
    variantTitle: string | null;
    quantity: number;
    exchangeTitle: string | null;
    exchangeState: string | null;
  }[];
  instructions: string | null;
  returnAddress: string | null;
  declineNote: string | null;
}

interface ExchangeSearch {
  currency: string;
  products: {
    title: string;
    imageUrl: string | null;
    variants: { id: string; title: string; priceMinor: number }[];
  }[];
}

interface LoyaltyMember {
  balance: number;
  pending: number;
  unlocks: { points: number; availableAt: string }[];
  tier: string | null;
  nextTier: string | null;
  remainingMinor: number;
  progress: number;
  expiresAt: string | null;
  birthdaySaved: boolean;
  history: { points: number; at: string; label: string | null }[];
  redemptions: { title: string; code: string | null; checkoutUrl: string | null }[];
}

interface LoyaltySummary {
  program: {
    currencyName: string | null;
    pointsPerUnit: number;
    currency: string;
    signupBonus: number;
    birthdayBonus: number;
    pendingDays: number;
    tiers: { key: string; name: string }[];
  };
  rewards: { id: string; title: string; pointsCost: number; minimumOrderMinor: number | null }[];
  member: LoyaltyMember | null;
}

interface ContactConfig {
  timeZone: string;
  open: boolean;
  nextOpenAt: string | null;
  channels: { kind: string; href: string; display: string | null; online: boolean; replyMinutes: number }[];
  faq: { category: string; questions: { question: string; answerHtml: string }[] }[];
  form: { topics: string[] } | null;
}

interface ContactSent {
  reference: string;
  expectedReplyBy: string | null;
}

/** POST /apps/aftercare/loyalty with intent=redeem (app/services/loyalty/proxy.server.ts). */
interface LoyaltyRedeemed {
  redemption: { code: string | null; checkoutUrl: string | null };
}

/** The Rewards block's words (data-strings in blocks/loyalty-widget.liquid); __N__ and the like are filled in. */
interface LoyaltyStrings {
  [refusal: string]: string | PluralForms | undefined;
  points: PluralForms;
  minimum: string;
  notEnough: string;
  unlocks: string;
  nextTier: string;
  topTier: string;
  copied: string;
  copy: string;
  error: string;
  emptyHistory: string;
  perUnit: PluralForms;
  signup: PluralForms;
  birthday: PluralForms;
  pendingNote: PluralForms;
  expires: string;
  pointsName: string;
  birthdaySaved: string;
  invalidDay: string;
  /** "Spend __P__ on __R__?": the points (counted) and the reward's title. */
  confirmRedeem: string;
}

/** A counted phrase by plural category (Intl.PluralRules: one, other, ...); `other` always there. */
type PluralForms = Record<string, string> & { other: string };

/** The birthday form of the Rewards block, its fields by name. */
interface LoyaltyBirthdayForm extends HTMLFormElement {
  month: HTMLSelectElement;
  day: HTMLInputElement;
}

/** What one request of a block gets back: its status and JSON body ({} when the body is not JSON). */
type ProxyReply<T> = { ok: true; status: number; body: T } | { ok: false; status: number; body: ProxyRefusal };

/** The returns block's words (data-strings in blocks/returns-portal.liquid); %name% is filled in. */
interface ReturnsStrings {
  why: Record<string, string>;
  /** By resolution id, and `bonus` for a resolution's bonus note. */
  resolutions: Record<string, string>;
  statuses: Record<string, string>;
  next: Record<string, string>;
  errors: Record<string, string>;
  exchange_states: Record<string, string>;
  loading: string;
  submitting: string;
  photos_uploading: string;
  searching: string;
  no_results: string;
  order_heading: string;
  select_item: string;
  returnable_count: string;
  window_until: string;
  choose_reason: string;
  total_refund: string;
  total_credit: string;
  total_exchange: string;
  done_heading: string;
  status_heading: string;
  exchange_item: string;
  new_items: string;
  price_difference: string;
  costs_more: string;
  costs_more_included: string;
  costs_more_untaxed: string;
  payment_awaiting: string;
  payment_paid: string;
  pay_now: string;
}

/** The returns block's order form, its fields by name. */
interface ReturnsFindForm extends HTMLFormElement {
  readonly elements: HTMLFormControlsCollection & { order: HTMLInputElement; email: HTMLInputElement };
}

/** A choice of new item for an exchange (an option, or a radio from a search), with its price in minor units. */
type ExchangeChoice = (HTMLOptionElement | HTMLInputElement) & { price: number };

/** A chosen line of the return form, and what it is worth as the server will quote it. */
interface ChosenLine {
  row: HTMLElement;
  line: ReturnLine;
  quantity: number;
  exchangeId: string | null;
  newMinor: number;
  valueMinor: number;
}

/** POST /apps/aftercare/returns: the return just requested, and the token of its status link. */
interface ReturnCreated {
  return: ReturnStatusView;
  statusToken: string | null;
}

/** A form control found by its data-field: whichever of input, select or textarea it is, its properties. */
type FormControl = HTMLInputElement & HTMLSelectElement & HTMLTextAreaElement;

/** POST /apps/aftercare/returns with `uploads`: where to upload each photo, and its token for the return. */
interface PhotoTargets {
  targets: { url: string; parameters: { name: string; value: string }[]; photo: string }[];
}

/** A request's query parameters. */
type Params = Record<string, string>;
/** An answer whose body the caller knows the shape of. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- busy()'s callers each read their own purpose's body
type Reply = ProxyReply<any>;

/** What the returns block (returns-portal.js) lends its return form (returns-request.js). */
interface ReturnsPortalElement extends HTMLElement {
  s: ReturnsStrings;
  status: HTMLElement;
  result: HTMLElement;
  call(purpose: string, params: Params, body?: object | null): Promise<Reply | null>;
  say(text: string, isError?: boolean): void;
  error(answer: Reply, fallback: string): string;
  busy(
    message: string,
    purpose: string,
    params: Params,
    body: object | null,
    ready: Promise<unknown> | null,
    done: (answer: Reply) => void,
  ): Promise<void>;
  clone(name: string): HTMLElement;
  piece<T extends HTMLElement = HTMLElement>(root: ParentNode, name: string, text?: string): T;
  sentence(text: string, values: Record<string, string>): DocumentFragment;
  num(n: number): string;
  date(iso: string): HTMLTimeElement;
  money(minor: number, currency: string): string;
  /** Appends a dearer exchange's payment (awaiting, with the link to pay, or paid) to a return's line. */
  payment(el: HTMLElement, r: ReturnStatusView): void;
  showReturn(r: ReturnStatusView, statusToken: string | null, justCreated: boolean): void;
}

/** <aftercare-returns-request>: one order's return form, shown by the block once its script loaded. */
interface ReturnsRequestElement extends HTMLElement {
  show(portal: ReturnsPortalElement, view: ReturnsOrderView): void;
}
