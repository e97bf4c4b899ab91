import { describe, expect, it } from "vitest";

import { buildShipmentTimeline, type Scan, type TimelineOrder, type TimelineShipment } from "./timeline";
import { notificationsDue } from "./notify";

const order: TimelineOrder = {
  createdAt: new Date("2025-03-03T10:00:00Z"),
  processedAt: new Date("2025-03-03T10:00:05Z"),
  financialStatus: "paid",
  cancelledAt: null,
};

const scan = (status: string, at: string, message: string | null = null): Scan => ({
  status,
  happenedAt: new Date(at),
  message,
  city: "Toronto",
  province: "ON",
  countryCode: "CA",
});

const shipment = (overrides: Partial<TimelineShipment> = {}): TimelineShipment => ({
  createdAt: new Date("2025-03-04T15:00:00Z"),
  status: "success",
  shipmentStatus: null,
  inTransitAt: null,
  deliveredAt: null,
  scans: [],
  ...overrides,
});

const states = (t: ReturnType<typeof buildShipmentTimeline>) => t.steps.map((s) => `${s.milestone}:${s.state}`);

describe("shipment timeline", () => {
  it("a fresh fulfillment is shipped, with ordered and confirmed done", () => {
    const t = buildShipmentTimeline(order, shipment());
    expect(t.stage).toBe("shipped");
    expect(states(t)).toEqual([
      "ordered:done",
      "confirmed:done",
      "shipped:current",
      "in_transit:upcoming",
      "out_for_delivery:upcoming",
      "delivered:upcoming",
    ]);
    expect(t.steps[0].at?.toISOString()).toBe("2025-03-03T10:00:00.000Z");
    expect(t.steps[2].at?.toISOString()).toBe("2025-03-04T15:00:00.000Z");
    expect(t.problem).toBeNull();
  });

  it("an unpaid order is not confirmed until it ships", () => {
    const t = buildShipmentTimeline({ ...order, financialStatus: "pending" }, shipment());
    expect(t.steps[1]).toMatchObject({ milestone: "confirmed", state: "done", at: null });
  });

  it("follows the scans and takes the earliest time of each milestone", () => {
    const t = buildShipmentTimeline(
      order,
      shipment({
        shipmentStatus: "out_for_delivery",
        scans: [
          scan("in_transit", "2025-03-05T09:00:00Z", "Departed facility"),
          scan("in_transit", "2025-03-05T02:00:00Z", "Picked up"),
          scan("out_for_delivery", "2025-03-06T07:00:00Z"),
        ],
      }),
    );
    expect(t.stage).toBe("out_for_delivery");
    expect(t.steps.find((s) => s.milestone === "in_transit")?.at?.toISOString()).toBe("2025-03-05T02:00:00.000Z");
    expect(t.scans.map((s) => s.status)).toEqual(["out_for_delivery", "in_transit", "in_transit"]);
    expect(t.lastScanAt?.toISOString()).toBe("2025-03-06T07:00:00.000Z");
    expect(states(t).at(-2)).toBe("out_for_delivery:current");
  });

  it("a delivery with no earlier scans implies every earlier milestone", () => {
    const t = buildShipmentTimeline(
      order,
      shipment({ shipmentStatus: "delivered", deliveredAt: new Date("2025-03-07T18:00:00Z") }),
    );
    expect(t.stage).toBe("delivered");
    expect(t.steps.every((s) => s.state === "done")).toBe(true);
    expect(t.steps.find((s) => s.milestone === "in_transit")?.at).toBeNull();
    expect(t.steps.at(-1)?.at?.toISOString()).toBe("2025-03-07T18:00:00.000Z");
  });

  it("a failed delivery attempt is the current problem until the next scan moves on", () => {
    const attempted = buildShipmentTimeline(
      order,
      shipment({
        shipmentStatus: "attempted_delivery",
        scans: [
          scan("out_for_delivery", "2025-03-06T07:00:00Z"),
          scan("attempted_delivery", "2025-03-06T15:00:00Z", "No one home"),
        ],
      }),
    );
    expect(attempted.stage).toBe("out_for_delivery");
    expect(attempted.problem).toMatchObject({ kind: "attempted_delivery", message: "No one home" });
    expect(attempted.problem?.at?.toISOString()).toBe("2025-03-06T15:00:00.000Z");

    const retried = buildShipmentTimeline(
      order,
      shipment({
        shipmentStatus: "out_for_delivery",
        scans: [...attempted.scans, scan("out_for_delivery", "2025-03-07T07:00:00Z")],
      }),
    );
    expect(retried.problem).toBeNull();
  });

  it("a carrier failure is an exception; a delivered parcel has no problem", () => {
    const failed = buildShipmentTimeline(
      order,
      shipment({ shipmentStatus: "failure", scans: [scan("failure", "2025-03-06T10:00:00Z", "Address not found")] }),
    );
    expect(failed.problem).toMatchObject({ kind: "exception", message: "Address not found" });
    const delivered = buildShipmentTimeline(
      order,
      shipment({
        shipmentStatus: "delivered",
        scans: [scan("failure", "2025-03-06T10:00:00Z"), scan("delivered", "2025-03-08T10:00:00Z")],
      }),
    );
    expect(delivered.problem).toBeNull();
  });

  it("a fulfillment Shopify marked as failed is an exception", () => {
    expect(buildShipmentTimeline(order, shipment({ status: "failure" })).problem?.kind).toBe("exception");
  });

  it("a delayed scan is reported as delayed", () => {
    const t = buildShipmentTimeline(
      order,
      shipment({ shipmentStatus: "delayed", scans: [scan("delayed", "2025-03-06T10:00:00Z", "Weather")] }),
    );
    expect(t.problem).toMatchObject({ kind: "delayed", message: "Weather" });
    expect(t.stage).toBe("shipped");
  });

  it("a scan newer than Shopify's shipment status decides the problem", () => {
    const t = buildShipmentTimeline(
      order,
      shipment({ shipmentStatus: "in_transit", scans: [scan("failure", "2025-03-06T10:00:00Z")] }),
    );
    expect(t.problem?.kind).toBe("exception");
  });
});

describe("which emails a shipment has earned", () => {
  it("nothing before there is a tracking number or link", () => {
    const t = buildShipmentTimeline(order, shipment());
    expect(notificationsDue({ timeline: t, hasTracking: false, delayed: false })).toEqual([]);
    expect(notificationsDue({ timeline: t, hasTracking: true, delayed: false })).toEqual(["shipped"]);
  });

  it("only the furthest progress, plus problems", () => {
    const out = buildShipmentTimeline(
      order,
      shipment({
        shipmentStatus: "attempted_delivery",
        scans: [scan("out_for_delivery", "2025-03-06T07:00:00Z"), scan("attempted_delivery", "2025-03-06T15:00:00Z")],
      }),
    );
    expect(notificationsDue({ timeline: out, hasTracking: true, delayed: true })).toEqual([
      "out_for_delivery",
      "exception",
      "delayed",
    ]);
    const delivered = buildShipmentTimeline(order, shipment({ shipmentStatus: "delivered" }));
    expect(notificationsDue({ timeline: delivered, hasTracking: true, delayed: true })).toEqual(["delivered"]);
  });
});
