/**
 * The limits on the storefront's order lookups (tracking and returns): failed attempts are counted
 * per client and per order, never per shop, so one client flooding the lookup only locks itself
 * out, and an order being guessed at is protected without the shop's other orders suffering
 * (docs/decisions/0016-storefront-limits-per-client-and-order.md). Signed links and a logged-in
 * shopper's own orders are not guesses and are never refused here.
 */
import type { Db } from "../db.server";

import { clientKey, firstBlocked, rateLimited, rateLimiter, type RateLimitRule } from "./rate-limit.server";

export interface LookupLimits {
  /** Failed lookups one client (address and signed-in customer) may make per window. */
  client: RateLimitRule;
  /** Failed lookups of one order number, from anyone, per window. */
  order: RateLimitRule;
}

export interface LookupGuardRequest {
  shop: string;
  clientIp: string | null;
  loggedInCustomerId: string | null;
}

export interface Refusal {
  /** Which limit refused: the client's own, or the order's. */
  by: "client" | "order";
  retryAfterSeconds: number;
}

/** An order number as shoppers type it, in one form: "#1001", " 1001" and "#1001 " are one order. */
const orderSubject = (secret: string, orderName: string) =>
  clientKey(secret, "order", orderName.trim().replace(/^#/, "").toLowerCase());

export function lookupGuard(db: Db, secret: string, limits: LookupLimits, req: LookupGuardRequest) {
  const client = clientKey(secret, req.clientIp ?? "unknown", req.loggedInCustomerId ?? "");
  const perClient = rateLimiter(db, limits.client);
  const perOrder = rateLimiter(db, limits.order);
  return {
    /** Before a lookup: the limit that refuses it now, or null. One read for both limits. */
    async refusal(orderName?: string): Promise<Refusal | null> {
      const checks = [{ rule: limits.client, shop: req.shop, subject: client }];
      if (orderName) checks.push({ rule: limits.order, shop: req.shop, subject: orderSubject(secret, orderName) });
      const blocked = await firstBlocked(db, checks);
      return (
        blocked && {
          by: blocked.index === 0 ? "client" : "order",
          retryAfterSeconds: blocked.decision.retryAfterSeconds,
        }
      );
    },
    /** After a failed lookup: counts it against the client and, when one was named, the order. */
    async failed(orderName?: string): Promise<void> {
      await perClient.hit(req.shop, client);
      if (orderName) await perOrder.hit(req.shop, orderSubject(secret, orderName));
    },
  };
}

const inMinutes = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? "a minute" : `${minutes} minutes`;
};

/** The 429 for a refused lookup, saying what the shopper can do instead of waiting. */
export function lookupRefused(refusal: Refusal) {
  const wait = inMinutes(refusal.retryAfterSeconds);
  const message =
    refusal.by === "order"
      ? "This order has had too many lookups, so it is protected for now. Please open it from the link in your " +
        `email, sign in to your account, or try again in ${wait}.`
      : `Too many attempts. Please check the order number and email and try again in ${wait}.`;
  const answer = rateLimited(refusal.retryAfterSeconds, message);
  return { ...answer, body: { ...answer.body, limit: refusal.by } };
}
