/** What can need attention: a carrier's problem with a shipment, a late parcel, an order not shipped in time. */
export type AttentionKind = "exception" | "attempted_delivery" | "delayed" | "unfulfilled";
export const ATTENTION_KINDS: ReadonlyArray<AttentionKind> = [
  "exception",
  "attempted_delivery",
  "delayed",
  "unfulfilled",
];
