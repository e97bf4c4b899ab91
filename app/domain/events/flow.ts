/**
 * Shopify Flow triggers: one flow_trigger extension per event type (extensions/<handle>/), whose
 * declared fields are exactly what `flowPayloadOf` sends with `flowTriggerReceive`. Reference
 * fields (customer_reference, order_reference) travel as `customer_id` / `order_id`, the
 * resource's numeric id; other fields under their key, which is the name merchants see in Flow.
 * tests/flow-triggers.test.ts holds the extensions and this list to each other.
 */
import type { EventEnvelope, EventType } from "./catalog";

export type FlowFieldType =
  | "customer_reference"
  | "order_reference"
  | "single_line_text_field"
  | "number_integer"
  | "number_decimal"
  | "url"
  | "email";

export interface FlowField {
  type: FlowFieldType;
  /** The payload key of a custom field (reference fields have theirs by type). */
  key?: string;
  description: string;
  value?: (event: EventEnvelope) => string | number;
}

export interface FlowTrigger {
  handle: string;
  name: string;
  description: string;
  fields: FlowField[];
}

const text = (v: string | null | undefined) => v ?? "";
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each trigger reads its own type's data
const data = (e: EventEnvelope): any => e.data;

const shipmentFields: FlowField[] = [
  { type: "order_reference", description: "The order the shipment belongs to" },
  {
    type: "single_line_text_field",
    key: "Carrier",
    description: "The carrier's name",
    value: (e) => text(data(e).shipment.carrier),
  },
  {
    type: "single_line_text_field",
    key: "Tracking number",
    description: "The shipment's tracking number",
    value: (e) => text(data(e).shipment.trackingNumber),
  },
  {
    type: "single_line_text_field",
    key: "Tracking link",
    description: "The carrier's tracking page, when known",
    value: (e) => text(data(e).shipment.trackingUrl),
  },
  {
    type: "single_line_text_field",
    key: "Estimated delivery",
    description: "The expected delivery date or range (YYYY-MM-DD), empty when unknown",
    value: (e) => {
      const est = data(e).shipment.estimate;
      if (!est) return "";
      return est.earliest === est.latest ? est.earliest : `${est.earliest}/${est.latest}`;
    },
  },
  {
    type: "single_line_text_field",
    key: "Carrier message",
    description: "What the carrier said about a delay or a problem",
    value: (e) => text(data(e).shipment.message),
  },
];

const returnFields: FlowField[] = [
  { type: "order_reference", description: "The order the return is for" },
  {
    type: "single_line_text_field",
    key: "Return number",
    description: "Aftercare's number for the return",
    value: (e) => data(e).return.number,
  },
  {
    type: "single_line_text_field",
    key: "Resolution",
    description: "refund, store_credit or exchange",
    value: (e) => data(e).return.resolution,
  },
  {
    type: "number_decimal",
    key: "Amount",
    description: "What the shopper gets back, in the shop's currency",
    value: (e) => data(e).return.amountMinor / 100,
  },
  {
    type: "single_line_text_field",
    key: "Currency",
    description: "The amount's currency",
    value: (e) => data(e).return.currency,
  },
  {
    type: "single_line_text_field",
    key: "Decline reason",
    description: "Why the return was declined (empty otherwise)",
    value: (e) => text(data(e).return.declineReason),
  },
];

const customer: FlowField = { type: "customer_reference", description: "The member" };

function shipment(event: string, handle: string, name: string): [EventType, FlowTrigger] {
  return [
    `shipment.${event}` as EventType,
    {
      handle,
      name,
      description: `Runs when Aftercare sees a shipment ${name.toLowerCase().replace(/^shipment /, "")}.`,
      fields: shipmentFields,
    },
  ];
}

function ret(event: string, handle: string, name: string): [EventType, FlowTrigger] {
  return [
    `return.${event}` as EventType,
    { handle, name, description: `Runs when a return is ${event}.`, fields: returnFields },
  ];
}

export const FLOW_TRIGGERS: Record<EventType, FlowTrigger> = Object.fromEntries([
  shipment("shipped", "aftercare-shipment-shipped", "Shipment shipped"),
  shipment("out_for_delivery", "aftercare-out-for-delivery", "Shipment out for delivery"),
  shipment("delivered", "aftercare-shipment-delivered", "Shipment delivered"),
  shipment("delayed", "aftercare-shipment-delayed", "Shipment delayed"),
  shipment("exception", "aftercare-shipment-exception", "Shipment exception"),
  ret("requested", "aftercare-return-requested", "Return requested"),
  ret("approved", "aftercare-return-approved", "Return approved"),
  ret("declined", "aftercare-return-declined", "Return declined"),
  ret("received", "aftercare-return-received", "Return received"),
  ret("resolved", "aftercare-return-resolved", "Return resolved"),
  [
    "loyalty.points_earned",
    {
      handle: "aftercare-points-earned",
      name: "Loyalty points earned",
      description: "Runs when a member earns points (an order, a bonus or a manual adjustment).",
      fields: [
        customer,
        { type: "number_integer", key: "Points", description: "Points earned", value: (e) => data(e).points },
        {
          type: "number_integer",
          key: "Points balance",
          description: "The balance after",
          value: (e) => data(e).balance,
        },
        {
          type: "single_line_text_field",
          key: "Source",
          description: "order, signup, birthday or adjust",
          value: (e) => data(e).source,
        },
        {
          type: "single_line_text_field",
          key: "Reason",
          description: "Why, as the history shows it",
          value: (e) => text(data(e).reason),
        },
      ],
    },
  ],
  [
    "loyalty.tier_changed",
    {
      handle: "aftercare-tier-changed",
      name: "Loyalty tier changed",
      description: "Runs when a member moves up or down a tier.",
      fields: [
        customer,
        {
          type: "single_line_text_field",
          key: "Previous tier",
          description: "Empty when none",
          value: (e) => text(data(e).from),
        },
        {
          type: "single_line_text_field",
          key: "New tier",
          description: "Empty when none",
          value: (e) => text(data(e).to),
        },
      ],
    },
  ],
  [
    "loyalty.reward_redeemed",
    {
      handle: "aftercare-reward-redeemed",
      name: "Loyalty reward redeemed",
      description: "Runs when a member spends points on a reward.",
      fields: [
        customer,
        {
          type: "single_line_text_field",
          key: "Reward",
          description: "The reward's name",
          value: (e) => data(e).reward,
        },
        {
          type: "number_integer",
          key: "Points spent",
          description: "Its cost in points",
          value: (e) => data(e).pointsSpent,
        },
        {
          type: "number_integer",
          key: "Points balance",
          description: "The balance after",
          value: (e) => data(e).balance,
        },
      ],
    },
  ],
  [
    "loyalty.points_expiring",
    {
      handle: "aftercare-points-expiring",
      name: "Loyalty points expiring soon",
      description: "Runs when a member's points will expire soon unless they order or redeem a reward.",
      fields: [
        customer,
        { type: "number_integer", key: "Points", description: "Points that will expire", value: (e) => data(e).points },
        {
          type: "number_integer",
          key: "Points balance",
          description: "The balance now",
          value: (e) => data(e).balance,
        },
        {
          type: "single_line_text_field",
          key: "Expires on",
          description: "The day they expire (YYYY-MM-DD, the shop's calendar)",
          value: (e) => data(e).expiresOn,
        },
      ],
    },
  ],
  [
    "contact.request_created",
    {
      handle: "aftercare-contact-request",
      name: "Contact request created",
      description: "Runs when a shopper writes to the shop through Aftercare.",
      fields: [
        {
          type: "single_line_text_field",
          key: "Reference",
          description: "The request's reference",
          value: (e) => data(e).request.reference,
        },
        {
          type: "single_line_text_field",
          key: "Topic",
          description: "What it is about",
          value: (e) => data(e).request.topic,
        },
        {
          type: "single_line_text_field",
          key: "Email",
          description: "The shopper's address",
          value: (e) => text(data(e).request.email),
        },
      ],
    },
  ],
  [
    "survey.answered",
    {
      handle: "aftercare-survey-answered",
      name: "Survey answered",
      description: "Runs when a shopper answers a CSAT or NPS survey.",
      fields: [
        {
          type: "single_line_text_field",
          key: "Survey",
          description: "csat or nps",
          value: (e) => data(e).survey.kind,
        },
        { type: "number_integer", key: "Score", description: "CSAT 1-5, NPS 0-10", value: (e) => data(e).survey.score },
        {
          type: "single_line_text_field",
          key: "Comment",
          description: "What they wrote",
          value: (e) => text(data(e).survey.comment),
        },
      ],
    },
  ],
]) as Record<EventType, FlowTrigger>;

/** The numeric id of a gid ("gid://shopify/Customer/42" → 42). */
function numericId(gid: string | null | undefined): number | null {
  const match = gid ? /\/(\d+)$/.exec(gid) : null;
  return match ? Number(match[1]) : null;
}

export type FlowPayload =
  { ok: true; handle: string; payload: Record<string, string | number> } | { ok: false; reason: string };

/** What `flowTriggerReceive` gets for an event, or why Flow cannot take it (a guest has no customer). */
export function flowPayloadOf(event: EventEnvelope): FlowPayload {
  const trigger = FLOW_TRIGGERS[event.type];
  const payload: Record<string, string | number> = {};
  for (const field of trigger.fields) {
    if (field.type === "customer_reference") {
      const id = numericId(event.customer?.id);
      if (id === null) return { ok: false, reason: "no Shopify customer (a guest member)" };
      payload.customer_id = id;
    } else if (field.type === "order_reference") {
      const id = numericId(event.order?.id);
      if (id === null) return { ok: false, reason: "no Shopify order" };
      payload.order_id = id;
    } else payload[field.key!] = field.value!(event);
  }
  return { ok: true, handle: trigger.handle, payload };
}

export interface FlowActionField {
  type: FlowFieldType | "multi_line_text_field";
  key?: string;
  name?: string;
  description: string;
  required: boolean;
}

export interface FlowAction {
  handle: string;
  name: string;
  description: string;
  /** The app's route that runs it (app/routes/flow.actions.$handle.tsx), under the app's URL. */
  path: string;
  fields: FlowActionField[];
}

/** Actions a merchant can put in any workflow; each runs at POST /flow/actions/<handle>. */
export const FLOW_ACTIONS: FlowAction[] = [
  {
    handle: "aftercare-adjust-points",
    name: "Add or remove loyalty points",
    description:
      "Adds points to a member (or takes them away with a negative number), with a reason for their history.",
    path: "/flow/actions/aftercare-adjust-points",
    fields: [
      { type: "customer_reference", description: "The member", required: true },
      {
        type: "number_integer",
        key: "points",
        name: "Points",
        description: "Positive adds, negative takes away",
        required: true,
      },
      {
        type: "single_line_text_field",
        key: "reason",
        name: "Reason",
        description: "Shown in the member's history",
        required: true,
      },
    ],
  },
  {
    handle: "aftercare-approve-return",
    name: "Approve a return",
    description: "Approves a requested return in Aftercare and in Shopify.",
    path: "/flow/actions/aftercare-approve-return",
    fields: [
      {
        type: "single_line_text_field",
        key: "return_number",
        name: "Return number",
        description: "Aftercare's return number",
        required: true,
      },
    ],
  },
  {
    handle: "aftercare-decline-return",
    name: "Decline a return",
    description: "Declines a requested return, with a reason the shopper is told.",
    path: "/flow/actions/aftercare-decline-return",
    fields: [
      {
        type: "single_line_text_field",
        key: "return_number",
        name: "Return number",
        description: "Aftercare's return number",
        required: true,
      },
      {
        type: "single_line_text_field",
        key: "reason",
        name: "Reason",
        description: "RETURN_PERIOD_ENDED, FINAL_SALE or OTHER",
        required: true,
      },
      {
        type: "multi_line_text_field",
        key: "note",
        name: "Note",
        description: "A note for the shopper",
        required: false,
      },
    ],
  },
  {
    handle: "aftercare-tracking-email",
    name: "Send tracking update email",
    description:
      "Emails the shopper where their order's latest shipment is, with the tracking page's link, in their language.",
    path: "/flow/actions/aftercare-tracking-email",
    fields: [{ type: "order_reference", description: "The order whose shipment to report", required: true }],
  },
  {
    handle: "aftercare-tag-by-tier",
    name: "Tag customer by loyalty tier",
    description:
      "Adds a tag naming the member's loyalty tier to the customer and takes off the tags of the other tiers.",
    path: "/flow/actions/aftercare-tag-by-tier",
    fields: [
      { type: "customer_reference", description: "The member", required: true },
      {
        type: "single_line_text_field",
        key: "prefix",
        name: "Tag prefix",
        description: "Put before the tier's name (default 'Tier: ', giving 'Tier: Gold')",
        required: false,
      },
    ],
  },
];
