/**
 * The counts behind the return rate and the WISMO deflection over any stretch of time, straight
 * from the owners' tables (domain/dashboard/definitions.ts says what each counts). The dashboard
 * reads them for the days its rollup has not counted yet, and the rollup counts each day with them,
 * so a day in the rollup is exactly what these give for it (services/dashboard/rollup.server.ts).
 */
import type { Db } from "../../db.server";
import { askedAboutOrderStatus, trackingViewed } from "../../models/contact.server";
import { ordersPlacedAndReturned } from "../../models/order-figures.server";
import { shippingEmailSent } from "../../models/outbox.server";
import { sql } from "../../models/raw-sql.server";
import { shippedOrdersAnswered } from "../../models/tracking.server";
import { ordersWithReturnCases } from "../returns/figures.server";

export interface Span {
  start: Date;
  end: Date;
}

/** Orders placed in [start, end) and not cancelled, and how many of them came back. */
export function countPlacedAndReturned(db: Db, shop: string, span: Span) {
  return ordersPlacedAndReturned(db, shop, span, ordersWithReturnCases(shop));
}

/** Orders with a shipment that left in [start, end), and how they were answered. */
export function countShippedAndAnswered(db: Db, shop: string, span: Span) {
  return shippedOrdersAnswered(db, shop, span, {
    informed: (order) => sql`(${trackingViewed(shop, order)} OR ${shippingEmailSent(shop, order)})`,
    asked: (order) => askedAboutOrderStatus(shop, order),
  });
}
