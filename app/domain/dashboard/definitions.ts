/**
 * How each figure is counted, in the merchant's words: one definition per figure, shown wherever
 * the figure is (the dashboard's cards and its CSV, the returns insights page), so the same name
 * never means two things. The services that count them follow these sentences exactly
 * (services/dashboard/core-metrics.server.ts, services/returns/figures.server.ts).
 */
export const HOW_COUNTED = {
  returnRate:
    "Orders placed in the period (cancelled ones left out) that came back: a return in Aftercare or " +
    "in Shopify that was not cancelled or declined, or a refund of items.",
  revenueKept:
    "Returns resolved in the period as an exchange or store credit: what they would otherwise have " +
    "refunded (the items less fees), without any bonus the shop added.",
  refunded: "Returns resolved in the period as a refund: what went back to the original payment.",
  wismoDeflection:
    "Orders whose first shipment left in the period and whose shopper looked up the tracking or got " +
    "a shipping email and never wrote in about the order's status, of all orders first shipped in " +
    "the period. A question that names no order cannot be matched to one and is left out.",
  byChannel:
    "Per channel a request came in by (chat, the contact form, email): the conversations started in " +
    "the period; the median business minutes to the first reply, for first replies sent in the period; " +
    "and CSAT, the share of 4 and 5 among satisfaction answers given in the period, whether the shopper " +
    "rated the chat at its end or answered the emailed survey.",
} as const;
