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
}

/** The signed-in shopper's recent orders (tracking and returns); the token opens one. */
interface CustomerOrders {
  customer: { orders: Array<{ name: string; placedAt: string; token: string }> };
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
  steps: Array<{ milestone: string; state: string; at: string | null }>;
  problem: { kind: string; at: string | null; message: string | null } | null;
  delay: { reason: string } | null;
  deliveredAt: string | null;
  estimate: TrackingEstimate | null;
  items: TrackingItem[];
  scans: Array<{ status: string; at: string; message: string | null; location: string | null }>;
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
  recommendations: Array<{
    title: string;
    url: string;
    imageUrl: string | null;
    imageAlt: string | null;
    price: { amountMinor: number; currency: string };
  }>;
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
  exchangeVariants: Array<{ id: string; title: string; priceMinor: number }>;
}

interface ReturnsOrderView {
  order: { name: string; currency: string };
  token: string;
  enabled: boolean;
  lines: ReturnLine[];
  reasons: Array<{ id: string; label: string; requireNote: boolean }>;
  resolutions: Array<{ id: string; bonusPercent: number }>;
  fees: { restockingPercent: number; returnShippingMinor: number; waiveForExchanges: boolean };
  returns: ReturnStatusView[];
}

interface ReturnStatusView {
  number: number;
  orderName: string;
  status: string;
  resolution: string;
  currency: string;
  amounts: { total: number; exchange?: number; storeCredit?: number };
  items: Array<{
    title: string;
    variantTitle: string | null;
    quantity: number;
    exchangeTitle: string | null;
    exchangeState: string | null;
  }>;
  instructions: string | null;
  returnAddress: string | null;
  declineNote: string | null;
}

interface ExchangeSearch {
  currency: string;
  products: Array<{
    title: string;
    imageUrl: string | null;
    variants: Array<{ id: string; title: string; priceMinor: number }>;
  }>;
}

interface LoyaltyMember {
  balance: number;
  pending: number;
  unlocks: Array<{ points: number; availableAt: string }>;
  tier: string | null;
  nextTier: string | null;
  remainingMinor: number;
  progress: number;
  expiresAt: string | null;
  birthdaySaved: boolean;
  history: Array<{ points: number; at: string; label: string | null }>;
  redemptions: Array<{ title: string; code: string | null; checkoutUrl: string | null }>;
}

interface LoyaltySummary {
  program: {
    currencyName: string | null;
    pointsPerUnit: number;
    currency: string;
    signupBonus: number;
    birthdayBonus: number;
    pendingDays: number;
    tiers: Array<{ key: string; name: string }>;
  };
  rewards: Array<{ id: string; title: string; pointsCost: number; minimumOrderMinor: number | null }>;
  member: LoyaltyMember | null;
}

interface ContactConfig {
  timeZone: string;
  open: boolean;
  nextOpenAt: string | null;
  channels: Array<{ kind: string; href: string; display: string | null; online: boolean; replyMinutes: number }>;
  faq: Array<{ category: string; questions: Array<{ question: string; answerHtml: string }> }>;
  form: { topics: string[] } | null;
}

interface ContactSent {
  reference: string;
  expectedReplyBy: string | null;
}
