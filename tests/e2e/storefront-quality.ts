/**
 * What the storefront-quality test needs beside Chromium: a demo shop whose every block has
 * something to show (loyalty on with tiers and rewards and a member with points, contact channels
 * and FAQ in four languages), the app proxy slowed the way a far-away shopper meets it, and the
 * two probes: layout shift (PerformanceObserver's layout-shift entries, as CLS counts them) and
 * axe-core with the WCAG 2.2 AA rules.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import type { Page } from "playwright-core";

import type { Db } from "../../app/db.server";
import { updateContactSettings } from "../../app/services/contact/settings.server";
import { saveLoyaltySettings } from "../../app/services/loyalty/settings.server";

import type { startTestDemo } from "./demo";
import { waitForInboxDrained } from "./demo";

type Demo = Awaited<ReturnType<typeof startTestDemo>>;

export const BLOCKS = ["order-tracking", "returns-portal", "loyalty-widget", "contact"] as const;
export type BlockHandle = (typeof BLOCKS)[number];
export const ELEMENT: Record<BlockHandle, string> = {
  "order-tracking": "aftercare-order-tracking",
  "returns-portal": "aftercare-returns-portal",
  "loyalty-widget": "aftercare-loyalty",
  contact: "aftercare-contact",
};

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  mobile: { width: 390, height: 844 },
} as const;

const FAQ: Record<string, { category: string; question: string; answer: string }> = {
  en: { category: "Shipping", question: "When will my order ship?", answer: "<p>Within 2 business days.</p>" },
  ko: { category: "배송", question: "주문은 언제 발송되나요?", answer: "<p>영업일 기준 2일 이내에 발송됩니다.</p>" },
  ja: { category: "配送", question: "いつ発送されますか？", answer: "<p>2営業日以内に発送します。</p>" },
  fa: { category: "ارسال", question: "سفارشم کی ارسال می‌شود؟", answer: "<p>ظرف ۲ روز کاری.</p>" },
};

/** Loyalty on (tiers, rewards, birthday bonus), contact with channels open all week and FAQ in each language. */
export async function furnishShop(demo: Demo, db: Db) {
  const loyalty = await saveLoyaltySettings(db, demo.shop, {
    enabled: true,
    pendingDays: 0,
    pointsPerUnit: 1,
    signupBonus: 0,
    birthdayBonus: 100,
    expiryDays: 365,
    tiers: [
      { key: "silver", name: "Silver", thresholdMinor: 0, multiplier: 1 },
      { key: "gold", name: "Gold", thresholdMinor: 100_000, multiplier: 1.5 },
    ],
  });
  if (!loyalty.ok) throw new Error(`loyalty settings refused: ${JSON.stringify(loyalty.errors)}`);
  if ((await db.loyaltyReward.count({ where: { shop: demo.shop } })) === 0) {
    await db.loyaltyReward.createMany({
      data: [
        { shop: demo.shop, kind: "fixed_amount", title: "$5 off", pointsCost: 20, valueMinor: 500 },
        { shop: demo.shop, kind: "free_shipping", title: "Free shipping", pointsCost: 1_000_000 },
      ],
    });
  }
  const allWeek = Array.from({ length: 7 }, () => ({ open: "00:00", close: "00:00" }));
  const contact = await updateContactSettings(db, demo.shop, {
    channels: [
      { kind: "email", value: "care@northwind.example", replyMinutes: 240 },
      { kind: "whatsapp", value: "+1 416 555 0100", replyMinutes: 30 },
    ],
    hours: { weekly: allWeek, holidays: [] },
    faq: Object.entries(FAQ).map(([language, f], position) => ({
      id: `faq-${language}`,
      language,
      category: f.category,
      question: f.question,
      answerHtml: f.answer,
      position,
    })),
  });
  if (!contact.ok) throw new Error(`contact settings refused: ${JSON.stringify(contact)}`);

  // A signed-in shopper with points: a paid order after the program started.
  const customer = demo.sandbox.customers(demo.shop)[0];
  const variant = demo.sandbox.shop(demo.shop).products[0].variants[0];
  const order = demo.sandbox.placeOrder({
    shop: demo.shop,
    customer: customer.id,
    lines: [{ variantId: variant.id, quantity: 2 }],
    paid: true,
  });
  const parcel = demo.sandbox.fulfil({
    shop: demo.shop,
    order: order.id,
    trackingCompany: "UPS",
    trackingNumber: "1Z999AA10123456799",
  });
  demo.sandbox.carrierScan({ shop: demo.shop, fulfillment: parcel.id, status: "delivered" });
  // A guest's parcel the carrier reports delayed: the timeline's problem step, in red, with its time.
  const delayed = demo.sandbox.placeOrder({
    shop: demo.shop,
    email: "delayed.guest@example.com",
    lines: [{ variantId: variant.id, quantity: 1 }],
    paid: true,
  });
  const late = demo.sandbox.fulfil({
    shop: demo.shop,
    order: delayed.id,
    trackingCompany: "UPS",
    trackingNumber: "1Z999AA10123456798",
  });
  demo.sandbox.carrierScan({ shop: demo.shop, fulfillment: late.id, status: "in_transit" });
  demo.sandbox.carrierScan({ shop: demo.shop, fulfillment: late.id, status: "delayed" });
  await demo.sandbox.flush();
  await waitForInboxDrained(db);
  return { customerId: String(customer.id), delayed: { name: delayed.name, email: "delayed.guest@example.com" } };
}

/** An order a guest can look up in both blocks: delivered recently, with an email, nothing refunded. */
export async function lookupOrder(demo: Demo, db: Db) {
  const delivered = await db.fulfillment.findMany({
    where: { shop: demo.shop, status: "success", deliveredAt: { gte: new Date(Date.now() - 20 * 86_400_000) } },
    orderBy: { deliveredAt: "desc" },
  });
  for (const f of delivered) {
    const order = await db.order.findUnique({
      where: { shop_shopifyId: { shop: demo.shop, shopifyId: f.orderShopifyId } },
    });
    if (order?.email && !order.cancelledAt) return { name: order.name, email: order.email };
  }
  throw new Error("the demo has no delivered order to look up");
}

/** Every request to the app proxy answered 600 ms later than it would be. */
export async function slowProxy(page: Page, ms = 600) {
  await page.route("**/apps/aftercare/**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue().catch(() => {});
  });
}

/** Starts counting layout shifts before the page's first paint, as CLS does (no recent input). */
export async function watchLayoutShift(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: { value: number; sources: string[] }[] };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as {
        value: number;
        hadRecentInput: boolean;
        sources?: { node?: Node | null }[];
      }[]) {
        if (entry.hadRecentInput) continue;
        const sources = (entry.sources ?? []).map((s) => {
          const el = s.node instanceof Element ? s.node : s.node?.parentElement;
          return el ? `${el.tagName.toLowerCase()}.${el.className || ""}` : "?";
        });
        w.__shifts.push({ value: entry.value, sources });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

/** The shifts so far and their sum, the page's cumulative layout shift while it loaded. */
export async function layoutShift(page: Page) {
  const shifts = await page.evaluate(
    () => (window as unknown as { __shifts: { value: number; sources: string[] }[] }).__shifts,
  );
  return { cls: shifts.reduce((n, s) => n + s.value, 0), shifts };
}

/** Waits until no request to the app proxy is pending and the block's DOM has been quiet a while. */
export async function settled(page: Page, selector: string) {
  await page.waitForLoadState("networkidle");
  await page.locator(selector).first().waitFor();
  await page.waitForFunction(
    (sel) => !document.querySelector(`${sel}[aria-busy="true"], ${sel} [aria-busy="true"]`),
    selector,
    { timeout: 15_000 },
  );
  await page.waitForTimeout(300);
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export interface AxeProblem {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** axe-core over one block: the serious and critical violations of WCAG 2.2 AA. */
export async function axeProblems(page: Page, selector: string): Promise<AxeProblem[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(
    async ({ selector, tags }) => {
      const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
      const result = await axe.run({ include: [selector] } as unknown as import("axe-core").ElementContext, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({
          id: v.id,
          impact: v.impact ?? null,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: String(n.target[0]), summary: n.failureSummary ?? "" })),
        }));
    },
    { selector, tags: WCAG_22_AA },
  );
}
