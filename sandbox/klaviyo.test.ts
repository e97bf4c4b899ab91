/**
 * The Klaviyo stand-in refuses what Klaviyo would: a body that does not match the API's
 * definitions as Klaviyo's official client ships them (required fields, enums, unknown fields,
 * types), a profile with no identifier, a phone number not in E.164, a wrong key or revision.
 * It accepts what the official client sends, and records a repeated unique_id as a repeat.
 */
import { ObjectSerializer } from "klaviyo-api";
import { describe, expect, it } from "vitest";

import { checkAgainstModel, createKlaviyoStandIn, KLAVIYO_DEMO_KEY, KLAVIYO_REVISION } from "./klaviyo";

const valid = () =>
  ObjectSerializer.serialize(
    {
      data: {
        type: "event",
        attributes: {
          properties: { Order: "#1001" },
          time: new Date("2026-06-01T00:00:00Z"),
          uniqueId: "evt-1",
          metric: { data: { type: "metric", attributes: { name: "Aftercare Shipment Delayed" } } },
          profile: { data: { type: "profile", attributes: { email: "lin@example.com", phoneNumber: "+15005550006" } } },
        },
      },
    },
    "EventCreateQueryV2",
  ) as { data: { type: string; attributes: Record<string, unknown> & { profile: { data: { attributes: object } } } } };

function post(body: unknown, headers: Record<string, string> = {}) {
  return new Request("http://sandbox/klaviyo/api/events", {
    method: "POST",
    headers: {
      authorization: `Klaviyo-API-Key ${KLAVIYO_DEMO_KEY}`,
      revision: KLAVIYO_REVISION,
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe("the Klaviyo stand-in", () => {
  it("checks bodies against the client's model of the API", () => {
    expect(checkAgainstModel(JSON.parse(JSON.stringify(valid())), "EventCreateQueryV2")).toEqual([]);
    const wrong = JSON.parse(JSON.stringify(valid()));
    wrong.data.type = "events";
    delete wrong.data.attributes.metric;
    wrong.data.attributes.profile.data.attributes.emial = "x@example.com";
    wrong.data.attributes.value = "12.00";
    expect(checkAgainstModel(wrong, "EventCreateQueryV2").sort()).toEqual([
      "/data/attributes/metric is required",
      "/data/attributes/profile/data/attributes/emial is not a field of " +
        "EventProfileCreateQueryResourceObjectAttributes",
      "/data/attributes/value must be a number",
      "/data/type must be one of event",
    ]);
  });

  it("accepts the client's request; refuses a bad shape, no identifier, a bad phone, key or revision", async () => {
    const k = createKlaviyoStandIn();
    expect((await k.handle(post(valid()), "/api/events")).status).toBe(202);
    // The same unique id again is accepted and marked as a repeat, as Klaviyo records it once.
    expect((await k.handle(post(valid()), "/api/events")).status).toBe(202);
    expect(k.events().map((e) => e.duplicate)).toEqual([false, true]);

    const nameless = valid();
    nameless.data.attributes.profile.data.attributes = {};
    const refused = await k.handle(post(nameless), "/api/events");
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/must identify the profile/);
    const badPhone = valid();
    badPhone.data.attributes.profile.data.attributes = { phone_number: "555-0100" };
    expect((await k.handle(post(badPhone), "/api/events")).status).toBe(400);
    expect((await k.handle(post(valid(), { authorization: "Klaviyo-API-Key pk_nope" }), "/api/events")).status).toBe(
      401,
    );
    expect((await k.handle(post(valid(), { revision: "2023-01-01" }), "/api/events")).status).toBe(400);
    expect(k.refused()).toHaveLength(2);
    expect(k.events()).toHaveLength(2);

    k.failNext(2, 429);
    expect((await k.handle(post(valid()), "/api/events")).status).toBe(429);
    expect((await k.handle(post(valid()), "/api/events")).status).toBe(429);
    expect((await k.handle(post(valid()), "/api/events")).status).toBe(202);
  });
});
