/**
 * SMS as a destination of the event stream (docs/decisions/0044): shipment and return events the
 * merchant chose to send by SMS go to the order's phone for updates, in the shopper's language,
 * through Twilio. Skipped (recorded, not sent) when SMS is off or not chosen for the event, the
 * order has no usable phone, or the shopper opted out. Twilio refusing the text for good parks
 * it; a recipient Twilio reports unsubscribed is recorded as opted out. One text per event: a
 * retried delivery whose text already reached Twilio sends nothing again.
 */
import type { Db } from "../../db.server";
import type { EventEnvelope } from "../../domain/events/catalog";
import { e164 } from "../../domain/sms/opt-out";
import { countSegments } from "../../domain/sms/segments";
import {
  isSmsMessageType,
  renderSms,
  smsLanguageFor,
  templateFor,
  type SmsVariables,
} from "../../domain/sms/templates";
import { shopProfile } from "../../models/shop.server";
import { getTrackingSettings } from "../../models/tracking.server";
import {
  claimSmsMessage,
  isOptedOut,
  loadSmsSettings,
  markSmsMessage,
  optOut,
  orderForSms,
} from "../../models/sms.server";
import { PermanentDeliveryError, type EventDestinationAdapter } from "../events/deliver.server";
import { trackingPageUrl, trackingToken } from "../tracking/links.server";

import { UNSUBSCRIBED_CODES, type SmsSender } from "./twilio.server";

export interface SmsDestinationDeps {
  db: Db;
  /** null when Twilio is not configured: nothing is sent, deliveries are skipped with the reason. */
  sender: SmsSender | null;
  secret: string;
  now?: () => Date;
}

export function smsDestination(deps: SmsDestinationDeps): EventDestinationAdapter {
  const now = deps.now ?? (() => new Date());
  return {
    name: "sms" as EventDestinationAdapter["name"],
    async deliver(shop: string, event: EventEnvelope, meta: { eventId: string }) {
      const type = event.type;
      if (!isSmsMessageType(type)) return { status: "skipped", reason: "not a message sent by SMS" };
      const settings = await loadSmsSettings(deps.db, shop);
      if (!settings.enabled || !settings.messages[type])
        return { status: "skipped", reason: "SMS is off for this message" };
      if (!settings.sender) return { status: "skipped", reason: "no SMS sender number is set" };
      if (!deps.sender) return { status: "skipped", reason: "Twilio is not configured" };
      const order = event.order?.id ? await orderForSms(deps.db, shop, event.order.id) : null;
      const to = order && !order.redactedAt ? e164(order.phone) : null;
      if (!order || !to) return { status: "skipped", reason: "the order has no phone number for updates" };
      if (await isOptedOut(deps.db, shop, to)) return { status: "skipped", reason: "the shopper replied STOP" };

      const language = smsLanguageFor(order.customerLocale);
      const body = renderSms(
        templateFor(settings, type, language),
        await variablesFor(deps, shop, event, order, now()),
      );
      const claimed = await claimSmsMessage(deps.db, {
        shop,
        eventId: meta.eventId,
        eventType: type,
        orderShopifyId: order.shopifyId,
        to,
        body,
        segments: countSegments(body).segments,
      });
      if (!claimed) return { status: "sent" };
      const outcome = await deps.sender.send({ from: settings.sender, to, body });
      if (outcome.ok) {
        await markSmsMessage(deps.db, claimed.id, { sid: outcome.sid });
        return { status: "sent" };
      }
      await markSmsMessage(deps.db, claimed.id, { error: outcome.message });
      if (outcome.code !== null && UNSUBSCRIBED_CODES.has(outcome.code)) {
        await optOut(deps.db, shop, to, now());
        return { status: "skipped", reason: "the shopper opted out at Twilio" };
      }
      if (outcome.permanent) throw new PermanentDeliveryError(outcome.message);
      throw new Error(outcome.message);
    },
  };
}

async function variablesFor(
  deps: SmsDestinationDeps,
  shop: string,
  event: EventEnvelope,
  order: { shopifyId: string; name: string },
  now: Date,
): Promise<SmsVariables> {
  const [profile, tracking] = await Promise.all([shopProfile(deps.db, shop), getTrackingSettings(deps.db, shop)]);
  const token = trackingToken({ shop, orderShopifyId: order.shopifyId, secret: deps.secret, now });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shipment and return events carry different data
  const data = event.data as any;
  const estimate = data.shipment?.estimate as { earliest: string; latest: string } | null | undefined;
  return {
    shop_name: profile.name,
    order_name: order.name,
    carrier: data.shipment?.carrier ?? "",
    tracking_url: trackingPageUrl({ shop, path: tracking.trackingPagePath, token }),
    estimated_delivery: estimate
      ? estimate.earliest === estimate.latest
        ? estimate.earliest
        : `${estimate.earliest}–${estimate.latest}`
      : "",
    return_number: data.return?.number ?? "",
  };
}
