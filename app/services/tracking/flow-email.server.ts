/**
 * Flow's "send tracking update email": the email about where the order's latest shipment is now
 * (its problem if it has one, else its furthest progress), rendered and sent the way the
 * automatic shipment emails are, through the outbox. It is keyed by the workflow run, so Flow
 * retrying the step sends once, and it does not count as the automatic email for that milestone.
 */
import type { Db } from "../../db.server";
import { templateFor } from "../../domain/tracking/email-templates";
import { progressNotification } from "../../domain/tracking/notify";
import { languageFor, type NotifiedMilestone } from "../../domain/tracking/settings";
import { customerFirstName } from "../../models/customers.server";
import { enqueueNotification } from "../../models/outbox.server";
import { unsubscribeUrl } from "../unsubscribe.server";

import { emailVariables, NOTIFICATION_KIND, renderTrackingEmail } from "./notifications.server";
import { assembleTracking, type ShipmentState } from "./shipments.server";

export type FlowTrackingEmailOutcome =
  | { ok: true; milestone: NotifiedMilestone; created: boolean }
  | { ok: false; problem: "no_order" | "no_email" | "no_shipment" };

/** What to tell the shopper about a shipment: what is wrong, else how far it got. */
export function milestoneToReport(shipment: Pick<ShipmentState, "timeline" | "delay">): NotifiedMilestone | null {
  const { stage, problem } = shipment.timeline;
  if (stage !== "delivered") {
    if (problem?.kind === "exception" || problem?.kind === "attempted_delivery") return "exception";
    if (problem?.kind === "delayed" || shipment.delay) return "delayed";
  }
  return progressNotification(stage);
}

export async function sendTrackingEmailForFlow(
  db: Db,
  shop: string,
  input: { orderShopifyId: string; runId: string },
  deps: { secret: string; now: Date },
): Promise<FlowTrackingEmailOutcome> {
  const state = await assembleTracking(db, shop, input.orderShopifyId, deps.now);
  if (!state) return { ok: false, problem: "no_order" };
  const { order } = state.data;
  if (!order.email || order.redactedAt) return { ok: false, problem: "no_email" };
  // The shipment Shopify told us about last.
  const shipment = [...state.shipments].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  const milestone = shipment ? milestoneToReport(shipment) : null;
  if (!shipment || !milestone) return { ok: false, problem: "no_shipment" };
  const language = languageFor(order.customerLocale, state.settings.notifications.defaultLanguage);
  const firstName = await customerFirstName(db, shop, order.customerShopifyId);
  const rendered = await renderTrackingEmail({
    template: templateFor(state.settings, language, milestone),
    variables: emailVariables(state, shipment, { language, firstName, secret: deps.secret, now: deps.now }),
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
  const { created } = await enqueueNotification(
    db,
    {
      shop,
      kind: NOTIFICATION_KIND,
      subjectId: `flow:${input.runId}`.slice(0, 191),
      milestone,
      recipient: order.email,
      locale: language,
      subject: rendered.subject,
      bodyHtml: rendered.html,
      bodyText: rendered.text,
      fromName: state.profile.name,
      replyTo: state.settings.notifications.replyTo || state.settings.contact.email || state.profile.email,
      orderShopifyId: order.shopifyId,
      customerShopifyId: order.customerShopifyId,
    },
    deps.now,
  );
  return { ok: true, milestone, created };
}
