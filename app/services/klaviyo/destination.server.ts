/**
 * Klaviyo as an event destination (docs/decisions/0043): each chosen event becomes a Klaviyo
 * event (Create Event) on the shopper's profile, with the properties segments need. The outbox
 * (deliver.server.ts) retries what fails for a while and parks the rest; this adapter says which
 * failures will not get better by waiting (Klaviyo refusing the request or the key) so those park
 * at once. The event's id is Klaviyo's unique_id: a send repeated after a lost answer is recorded
 * once by Klaviyo too.
 */
import type { Db } from "../../db.server";
import type { EventEnvelope } from "../../domain/events/catalog";
import { klaviyoCreateEvent, type ShopperFacts } from "../../domain/events/klaviyo";
import { getKlaviyoConnection, shopperContact } from "../../models/klaviyo.server";
import { unseal } from "../../utils/sealed-secret.server";
import { findMemberByCustomer } from "../loyalty/members.server";
import { latestReturnOf } from "../returns/latest.server";
import { latestCsatOf, surveyRespondent } from "../contact/latest-csat.server";
import { PermanentDeliveryError, type EventDestinationAdapter } from "../events/deliver.server";

import { KlaviyoError, type KlaviyoApi } from "./client.server";

/** What Aftercare knows of the shopper now: contact details, points, tier, last return, last CSAT. */
export async function shopperFacts(db: Db, shop: string, event: EventEnvelope): Promise<ShopperFacts> {
  // A survey about a contact request names neither order nor customer: its request does.
  const respondent =
    event.type === "survey.answered" && !event.order
      ? await surveyRespondent(db, shop, (event as EventEnvelope<"survey.answered">).data.survey.id)
      : null;
  const orderShopifyId = event.order?.id ?? respondent?.orderShopifyId ?? null;
  const contact = await shopperContact(db, shop, { customerShopifyId: event.customer?.id ?? null, orderShopifyId });
  // A contact request from a guest names the shopper's email in the event itself.
  const email =
    contact.email ??
    (event.type === "contact.request_created"
      ? (event as EventEnvelope<"contact.request_created">).data.request.email
      : null) ??
    respondent?.email ??
    null;
  const member = contact.customerShopifyId ? await findMemberByCustomer(db, shop, contact.customerShopifyId) : null;
  const lastReturn = await latestReturnOf(db, shop, { customerShopifyId: contact.customerShopifyId, email });
  const lastCsat = await latestCsatOf(db, shop, { email, orderShopifyId });
  return {
    email,
    phone: contact.phone,
    firstName: contact.firstName,
    lastName: contact.lastName,
    pointsBalance: member && !member.redactedAt ? member.points : null,
    tier: member && !member.redactedAt ? member.tierKey : null,
    lastReturn: lastReturn
      ? { number: lastReturn.number, status: lastReturn.status, requestedAt: lastReturn.requestedAt.toISOString() }
      : null,
    lastCsat: lastCsat ? { score: lastCsat.score, answeredAt: lastCsat.answeredAt.toISOString() } : null,
  };
}

export function klaviyoDestination(deps: { db: Db; api: KlaviyoApi }): EventDestinationAdapter {
  return {
    name: "klaviyo",
    async deliver(shop, event, meta) {
      const connection = await getKlaviyoConnection(deps.db, shop);
      if (!connection) return { status: "skipped", reason: "Klaviyo is not connected" };
      if (!connection.events.includes(event.type))
        return { status: "skipped", reason: `${event.type} is not chosen for Klaviyo` };
      const built = klaviyoCreateEvent(event, meta.eventId, await shopperFacts(deps.db, shop, event));
      if (!built.ok) return { status: "skipped", reason: built.reason };
      let apiKey: string;
      try {
        apiKey = unseal(connection.apiKeySealed, shop);
      } catch {
        throw new PermanentDeliveryError(
          "The saved Klaviyo key cannot be opened with this server's DATA_ENCRYPTION_KEY: connect Klaviyo again.",
        );
      }
      try {
        await deps.api.createEvent(apiKey, built.body);
      } catch (error) {
        if (error instanceof KlaviyoError && !error.transient) throw new PermanentDeliveryError(error.message);
        throw error;
      }
      return { status: "sent" };
    },
  };
}
