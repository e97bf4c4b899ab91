/**
 * The app's Shopify Flow extensions and what it sends: the files on disk are what
 * scripts/flow-extensions.ts writes from app/domain/events/flow.ts, Shopify's rules for them hold
 * (handles, types), and every trigger's payload, built from a sample of its event, carries exactly
 * the fields its extension declares, checked by the sandbox's flowTriggerReceive rules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { extensionPath, flowExtensionFiles } from "../scripts/flow-extensions";
import { checkTriggerPayload, loadFlowExtensions, payloadKeyOf } from "../sandbox/engine/flow";
import { EVENT_TYPES, EVENT_VERSION, type EventEnvelope, type EventType } from "../app/domain/events/catalog";
import { FLOW_ACTIONS, FLOW_TRIGGERS, flowPayloadOf } from "../app/domain/events/flow";

const extensions = loadFlowExtensions(join(import.meta.dirname, "..", "extensions"));

/** A full sample of each event type's data. */
function sample(type: EventType): EventEnvelope {
  const shipment = {
    shipment: {
      id: "gid://shopify/Fulfillment/7",
      carrier: "UPS",
      trackingNumber: "1Z999",
      trackingUrl: "https://www.ups.com/track?tracknum=1Z999",
      estimate: { earliest: "2026-12-08", latest: "2026-12-09" },
      message: null,
    },
  };
  const ret = {
    return: {
      id: "case-1",
      number: "R1001",
      shopifyReturnId: "gid://shopify/Return/3",
      status: "approved",
      resolution: "refund",
      amountMinor: 1999,
      currency: "USD",
      declineReason: null,
    },
  };
  const data: Record<string, unknown> = {
    shipment,
    return: ret,
    "loyalty.points_earned": { points: 60, balance: 110, source: "earn_order", reason: "#1001" },
    "loyalty.tier_changed": { from: null, to: "gold", spend12mMinor: 6000 },
    "loyalty.reward_redeemed": { reward: "$5 off", kind: "fixed_amount", pointsSpent: 40, balance: 70 },
    "loyalty.points_expiring": { points: 70, balance: 80, expiresOn: "2027-06-01" },
    "contact.request_created": {
      request: { id: "r1", reference: "C-1001", topic: "other", channel: "form", email: "a@example.com" },
    },
    "survey.answered": { survey: { id: "s1", kind: "nps", score: 9, comment: null } },
  };
  return {
    type,
    version: EVENT_VERSION[type],
    occurredAt: "2026-12-06T10:00:00.000Z",
    order: { id: "gid://shopify/Order/1001", name: "#1001" },
    customer: { id: "gid://shopify/Customer/42" },
    data: (data[type] ?? data[type.split(".")[0]]) as never,
  };
}

describe("Flow extensions", () => {
  it("are on disk exactly as scripts/flow-extensions.ts writes them", () => {
    for (const { handle, text } of flowExtensionFiles())
      expect(readFileSync(extensionPath(handle), "utf8"), handle).toBe(text);
  });

  it("declare one trigger per event type and one action per Flow action, with handles Shopify accepts", () => {
    const triggers = extensions.filter((e) => e.type === "flow_trigger").map((e) => e.handle);
    expect(triggers.sort()).toEqual(EVENT_TYPES.map((t) => FLOW_TRIGGERS[t].handle).sort());
    const actions = extensions.filter((e) => e.type === "flow_action");
    expect(actions.map((a) => a.handle).sort()).toEqual(FLOW_ACTIONS.map((a) => a.handle).sort());
    for (const e of extensions) expect(e.handle).toMatch(/^[a-z0-9-]{1,30}$/);
    for (const a of actions) expect(a.runtimeUrl).toMatch(/^https:\/\/[^/]+\/flow\/actions\//);
  });

  it.each(EVENT_TYPES)("sends %s with exactly the fields its trigger declares", (type) => {
    const flow = flowPayloadOf(sample(type));
    expect(flow.ok).toBe(true);
    if (!flow.ok) return;
    const trigger = extensions.find((e) => e.handle === flow.handle)!;
    expect(Object.keys(flow.payload).sort()).toEqual(trigger.fields.map(payloadKeyOf).sort());
    expect(checkTriggerPayload(extensions, flow.handle, flow.payload)).toEqual([]);
  });

  it("refuses what Flow refuses: an unknown handle, a missing or extra field, a wrong type", () => {
    const good = flowPayloadOf(sample("loyalty.points_earned"));
    if (!good.ok) throw new Error("sample");
    expect(checkTriggerPayload(extensions, "aftercare-nope", good.payload)[0].field).toEqual(["handle"]);
    const { Points: _points, ...missing } = good.payload;
    expect(checkTriggerPayload(extensions, good.handle, missing)).toEqual([
      { field: ["payload", "Points"], message: "Missing the declared field 'Points'" },
    ]);
    expect(checkTriggerPayload(extensions, good.handle, { ...good.payload, extra: 1 })[0].message).toMatch(
      /not a field/,
    );
    expect(checkTriggerPayload(extensions, good.handle, { ...good.payload, Points: "60" })[0].message).toMatch(
      /integer/,
    );
  });

  it("cannot send a customer trigger for a guest member, and says so", () => {
    expect(flowPayloadOf({ ...sample("loyalty.tier_changed"), customer: { id: null } })).toEqual({
      ok: false,
      reason: "no Shopify customer (a guest member)",
    });
  });
});
