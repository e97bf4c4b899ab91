/**
 * Shipment emails. After every fulfillment webhook and every delay check, the shipment's state
 * says which emails it has earned (domain/tracking/notify.ts); each is rendered in the shopper's
 * language and put in the outbox under the key (shop, "tracking", shipment, milestone). The key
 * makes this safe to run any number of times in any order: a replayed or late webhook finds the
 * row and sends nothing again.
 */
import type { Db } from "../../db.server";
import { templateFor, type EmailTemplate } from "../../domain/tracking/email-templates";
import { startOfLocalDay } from "../../domain/tracking/calendar";
import { notificationsDue, PROGRESS_ORDER } from "../../domain/tracking/notify";
import {
  languageFor,
  type Language,
  type NotifiedMilestone,
  type TrackingSettings,
} from "../../domain/tracking/settings";
import { enqueueNotification, notifiedMilestones, skipPendingNotifications } from "../../models/outbox.server";
import { customerFirstName } from "../../models/customers.server";
import { renderEmail, type RenderedEmail } from "../email-render.server";
import { unsubscribeUrl } from "../unsubscribe.server";
import { klaviyoSendsFor } from "../klaviyo/settings.server";

import { recordShipmentEvents } from "./events.server";
import { trackingPageUrl, trackingToken } from "./links.server";
import type { ShipmentState, TrackingState } from "./shipments.server";

export const NOTIFICATION_KIND = "tracking";

/** A milestone older than this is history, not news: importing or replaying old shipments sends nothing. */
export const NEWS_WINDOW_MS = 7 * 86_400_000;

const CHROME: Record<Language, { footer: (shop: string) => string; unsubscribe: string }> = {
  en: {
    footer: (shop) => `You are getting this email because you ordered from ${shop}.`,
    unsubscribe: "Unsubscribe from shipping updates",
  },
  ko: { footer: (shop) => `${shop}에서 주문하셨기 때문에 이 메일을 받으셨습니다.`, unsubscribe: "배송 알림 수신 거부" },
  ja: {
    footer: (shop) => `${shop} でご注文いただいたため、このメールをお送りしています。`,
    unsubscribe: "配送のお知らせを停止する",
  },
  fa: {
    footer: (shop) => `این ایمیل را دریافت کرده‌اید چون از ${shop} خرید کرده‌اید.`,
    unsubscribe: "لغو اشتراک اطلاع‌رسانی ارسال",
  },
};

export function formatEstimate(estimate: { earliest: string; latest: string } | null, language: Language): string {
  if (!estimate) return "";
  const f = new Intl.DateTimeFormat(language, { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" });
  const a = new Date(`${estimate.earliest}T12:00:00Z`);
  const b = new Date(`${estimate.latest}T12:00:00Z`);
  return estimate.earliest === estimate.latest ? f.format(a) : f.formatRange(a, b);
}

export interface TrackingEmailVariables {
  shop_name: string;
  order_name: string;
  customer_first_name: string;
  carrier: string;
  tracking_number: string;
  carrier_url: string;
  estimated_delivery: string;
  tracking_url: string;
  carrier_message: string;
  items: { title: string; quantity: number }[];
}

export function emailVariables(
  state: Pick<TrackingState, "profile" | "data" | "settings">,
  shipment: Pick<ShipmentState, "carrier" | "estimate" | "items"> & {
    timeline: Pick<ShipmentState["timeline"], "problem">;
  },
  input: { language: Language; firstName: string | null; secret: string; now: Date },
): TrackingEmailVariables {
  const token = trackingToken({
    shop: state.profile.domain,
    orderShopifyId: state.data.order.shopifyId,
    secret: input.secret,
    now: input.now,
  });
  return {
    shop_name: state.profile.name,
    order_name: state.data.order.name,
    customer_first_name: input.firstName ?? "",
    carrier: shipment.carrier.name ?? "",
    tracking_number: shipment.carrier.trackingNumber ?? "",
    carrier_url: shipment.carrier.trackingUrl ?? "",
    estimated_delivery: formatEstimate(shipment.estimate, input.language),
    tracking_url: trackingPageUrl({ shop: state.profile.domain, path: state.settings.trackingPagePath, token }),
    carrier_message: shipment.timeline.problem?.message ?? "",
    items: shipment.items.map((i) => ({ title: i.title, quantity: i.quantity })),
  };
}

export async function renderTrackingEmail(input: {
  template: EmailTemplate;
  variables: TrackingEmailVariables;
  settings: TrackingSettings;
  shopName: string;
  language: Language;
  unsubscribeUrl: string | null;
}): Promise<RenderedEmail> {
  const chrome = CHROME[input.language];
  return renderEmail(input.template, input.variables as unknown as Record<string, unknown>, {
    shopName: input.shopName,
    accentColor: input.settings.branding.accentColor,
    logoUrl: input.settings.branding.logoUrl || null,
    language: input.language,
    footer: [chrome.footer(input.shopName)],
    unsubscribeUrl: input.unsubscribeUrl,
    unsubscribeLabel: chrome.unsubscribe,
  });
}

/**
 * Renders a shipment email in the shopper's language and puts it in the outbox under (shop,
 * "tracking", subjectId, milestone): the one way a tracking email is written, whether the shipment
 * earned it or the merchant asked for it (needs attention). `skippedBecause`: logged, never sent.
 */
export async function enqueueTrackingEmail(
  db: Db,
  state: TrackingState,
  about: Parameters<typeof emailVariables>[1],
  input: { subjectId: string; milestone: NotifiedMilestone; skippedBecause?: string | null },
  deps: { secret: string; now: Date },
): Promise<{ created: boolean }> {
  const { order } = state.data;
  if (!order.email || order.redactedAt) return { created: false };
  const shop = state.profile.domain;
  const language = languageFor(order.customerLocale, state.settings.notifications.defaultLanguage);
  const firstName = await customerFirstName(db, shop, order.customerShopifyId);
  const rendered = await renderTrackingEmail({
    template: templateFor(state.settings, language, input.milestone),
    variables: emailVariables(state, about, { language, firstName, secret: deps.secret, now: deps.now }),
    settings: state.settings,
    shopName: state.profile.name,
    language,
    unsubscribeUrl: unsubscribeUrl({
      shop,
      email: order.email,
      kind: NOTIFICATION_KIND,
      secret: deps.secret,
      now: deps.now,
    }),
  });
  return enqueueNotification(
    db,
    {
      shop,
      kind: NOTIFICATION_KIND,
      subjectId: input.subjectId,
      milestone: input.milestone,
      recipient: order.email,
      locale: language,
      subject: rendered.subject,
      bodyHtml: rendered.html,
      bodyText: rendered.text,
      fromName: state.profile.name,
      replyTo: state.settings.notifications.replyTo || state.settings.contact.email || state.profile.email,
      orderShopifyId: order.shopifyId,
      customerShopifyId: order.customerShopifyId,
      ...(input.skippedBecause ? { status: "skipped" as const, note: input.skippedBecause } : {}),
    },
    deps.now,
  );
}

/** When the shipment reached what a milestone email is about, if known. */
function happenedAt(shipment: ShipmentState, milestone: NotifiedMilestone, timeZone: string): Date | null {
  // A delay is news from the day it began: a parcel that was late weeks ago (an import, webhooks
  // replayed out of order with the delivery scan still to come) is history, not a reason to write.
  if (milestone === "delayed") {
    if (shipment.delay) return startOfLocalDay(shipment.delay.lateSince, timeZone);
    return shipment.timeline.problem?.kind === "delayed" ? shipment.timeline.problem.at : null;
  }
  if (milestone === "exception") return shipment.timeline.problem?.at ?? shipment.updatedAt;
  const step = shipment.timeline.steps.find((s) => s.milestone === (milestone === "shipped" ? "shipped" : milestone));
  return step?.at ?? shipment.updatedAt;
}

/** Puts the emails a shipment has earned in the outbox. Returns the milestones newly enqueued. */
export async function enqueueShipmentEmails(
  db: Db,
  state: TrackingState,
  shipment: ShipmentState,
  deps: { secret: string; now: Date },
): Promise<NotifiedMilestone[]> {
  // The same milestones as events, for Flow and the other destinations, emails on or off.
  await recordShipmentEvents(db, state, shipment, {
    now: deps.now,
    happenedAt: (milestone) => happenedAt(shipment, milestone, state.calendar.timeZone),
    newsWindowMs: NEWS_WINDOW_MS,
  });
  const { order } = state.data;
  if (!order.email || order.redactedAt) return [];
  const due = notificationsDue({
    timeline: shipment.timeline,
    hasTracking: shipment.hasTracking,
    delayed: shipment.delay !== null,
  });
  const enqueued: NotifiedMilestone[] = [];
  const shop = state.profile.domain;
  const candidates = due.filter((milestone) => {
    if (!state.settings.notifications.enabled[milestone]) return false;
    const at = happenedAt(shipment, milestone, state.calendar.timeZone);
    return !(at && deps.now.getTime() - at.getTime() > NEWS_WINDOW_MS);
  });
  if (candidates.length === 0) return enqueued;
  // One read for what this shipment was already sent (the periodic check asks for every shipment).
  const alreadySent = new Set(await notifiedMilestones(db, shop, NOTIFICATION_KIND, shipment.fulfillmentShopifyId));
  // The messages the merchant handed to Klaviyo (docs/decisions/0043): kept in the log as skipped, never mailed.
  const klaviyoSends = candidates.some((m) => !alreadySent.has(m)) ? await klaviyoSendsFor(db, shop) : new Set();
  for (const milestone of candidates) {
    if (alreadySent.has(milestone)) continue;
    const skipped = klaviyoSends.has(`shipment.${milestone}`);
    const { created } = await enqueueTrackingEmail(
      db,
      state,
      shipment,
      {
        subjectId: shipment.fulfillmentShopifyId,
        milestone,
        skippedBecause: skipped ? "Klaviyo sends this message" : null,
      },
      deps,
    );
    if (!created) continue;
    if (!skipped) enqueued.push(milestone);
    // "Delivered" makes an unsent "shipped" (or a delay warning) pointless.
    const rank = PROGRESS_ORDER.indexOf(milestone);
    const superseded = [
      ...PROGRESS_ORDER.slice(0, Math.max(0, rank)),
      ...(milestone === "delivered" ? ["delayed", "exception"] : []),
    ];
    await skipPendingNotifications(
      db,
      shop,
      { kind: NOTIFICATION_KIND, subjectId: shipment.fulfillmentShopifyId, milestones: superseded },
      `superseded by ${milestone}`,
    );
  }
  return enqueued;
}
