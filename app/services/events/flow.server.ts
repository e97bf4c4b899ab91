/**
 * Shopify Flow as an event destination: each event starts the workflows that begin with its
 * trigger (domain/events/flow.ts), through the Admin API's `flowTriggerReceive`. Flow answers
 * userErrors for a payload that does not match the trigger's declared fields: that will not get
 * better by trying again, so it parks the delivery at once.
 */
import type { EventEnvelope } from "../../domain/events/catalog";
import { flowPayloadOf } from "../../domain/events/flow";
import { adminClient, ShopifyUserError, type GraphqlFn } from "../../shopify/admin.server";
import { FlowTriggerReceive } from "../../shopify/operations/events";

import { PermanentDeliveryError, type EventDestinationAdapter } from "./deliver.server";

export function flowDestination(graphqlFor: (shop: string) => Promise<GraphqlFn>): EventDestinationAdapter {
  return {
    name: "flow",
    async deliver(shop: string, event: EventEnvelope) {
      const flow = flowPayloadOf(event);
      if (!flow.ok) return { status: "skipped", reason: flow.reason };
      const admin = adminClient(await graphqlFor(shop));
      try {
        await admin.mutate(FlowTriggerReceive, (d) => d.flowTriggerReceive, {
          handle: flow.handle,
          payload: flow.payload,
        });
      } catch (error) {
        if (error instanceof ShopifyUserError) throw new PermanentDeliveryError(`Flow refused it: ${error.message}`);
        throw error;
      }
      return { status: "sent" };
    },
  };
}
