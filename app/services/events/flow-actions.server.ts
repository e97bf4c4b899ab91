/**
 * Shopify Flow's actions on Aftercare (domain/events/flow.ts, FLOW_ACTIONS): a workflow's step
 * POSTs a JSON body signed with the app's secret (X-Shopify-Hmac-Sha256, base64 HMAC-SHA256 of
 * the raw body). The signature is checked before anything is read; the step's action_run_id keys
 * what it books, so Flow retrying a step does it once. Answers as Shopify's action endpoint
 * contract reads (docs/decisions/0044, "Flow action answers"): 200 only for success; bad input a
 * 4xx other than 429 (Flow fails the step, no retry), with a JSON `{ message }` for the run log;
 * Shopify throttling us a 429 with Retry-After (Flow waits and resends); a failure on our side or
 * Shopify's a 5xx (Flow resends at increasing intervals). Never a 202 or another 2xx.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

import type { Db } from "../../db.server";
import { FLOW_ACTIONS } from "../../domain/events/flow";
import { gid } from "../../domain/shared/shopify-ids";
import { shopInstallState } from "../../models/shop.server";
import { ShopifyApiError, ShopifyUserError, type AdminClient } from "../../shopify/admin.server";
import { adjustPoints } from "../loyalty/admin.server";
import { findMemberByCustomer } from "../loyalty/members.server";
import { LoyaltyError } from "../loyalty/redemption.server";
import { findReturnCaseByNumber } from "../returns/cases.server";
import { ReturnsError } from "../returns/errors.server";
import { approveReturn, declineReturn } from "../returns/workflow.server";
import { tagCustomerByTier } from "../loyalty/tier-tags.server";
import { sendTrackingEmailForFlow } from "../tracking/flow-email.server";

export interface FlowActionDeps {
  db: Db;
  secret: string;
  now: Date;
  /** The shop's Admin API (offline session), for actions that change Shopify too. */
  adminFor: (shop: string) => Promise<AdminClient>;
}

export interface FlowActionAnswer {
  status: number;
  body: { message: string };
  /** Retry-After (seconds) on a 429: Flow sends the step again after that wait. */
  headers?: Record<string, string>;
}

const answer = (status: number, message: string): FlowActionAnswer => ({ status, body: { message } });

/** Seconds Flow is asked to wait when Shopify throttled the change the step makes. */
export const FLOW_THROTTLED_RETRY_AFTER_S = 10;

export function verifyFlowSignature(rawBody: string, header: string | null, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface FlowActionRequest {
  shopify_domain?: unknown;
  action_run_id?: unknown;
  handle?: unknown;
  properties?: Record<string, unknown>;
}

export async function runFlowAction(
  deps: FlowActionDeps,
  handle: string,
  rawBody: string,
  signature: string | null,
): Promise<FlowActionAnswer> {
  if (!verifyFlowSignature(rawBody, signature, deps.secret))
    return answer(401, "The request is not signed by Shopify.");
  if (!FLOW_ACTIONS.some((a) => a.handle === handle)) return answer(404, `Aftercare has no Flow action '${handle}'.`);
  let body: FlowActionRequest;
  try {
    body = JSON.parse(rawBody) as FlowActionRequest;
  } catch {
    return answer(400, "The body is not JSON.");
  }
  const shop = typeof body.shopify_domain === "string" ? body.shopify_domain : "";
  const runId = typeof body.action_run_id === "string" ? body.action_run_id : "";
  const props = body.properties ?? {};
  if (!shop || !runId || body.handle !== handle) return answer(400, "The request names no shop, run or this action.");
  const installed = await shopInstallState(deps.db, shop);
  if (!installed || installed.uninstalledAt) return answer(404, `Aftercare is not installed on ${shop}.`);
  try {
    if (handle === "aftercare-adjust-points") return await adjust(deps, shop, runId, props);
    if (handle === "aftercare-tracking-email") return await trackingEmail(deps, shop, runId, props);
    if (handle === "aftercare-tag-by-tier") return await tagByTier(deps, shop, props);
    return await returnStep(deps, shop, handle, props);
  } catch (error) {
    if (error instanceof ReturnsError || error instanceof LoyaltyError)
      return answer(error.status >= 500 ? 502 : 422, error.message);
    // Shopify refusing the change (userErrors) will not get better by Flow retrying it.
    if (error instanceof ShopifyUserError) return answer(422, `Shopify refused it: ${error.message}`);
    // Shopify throttled us past our own retries: a 429 with Retry-After, which Flow waits out.
    if (error instanceof ShopifyApiError && error.codes.includes("THROTTLED"))
      return {
        ...answer(429, "Shopify is busy; Flow will run this step again shortly."),
        headers: { "Retry-After": String(FLOW_THROTTLED_RETRY_AFTER_S) },
      };
    // Shopify unreachable or failing: a 5xx, which Flow resends at increasing intervals.
    if (error instanceof ShopifyApiError)
      return answer(502, "Shopify did not answer Aftercare; Flow will run this step again.");
    // Anything else is ours: a 5xx with a message for the run log, never our internals.
    console.error(`Flow action ${handle} on ${shop} failed:`, error);
    return answer(500, "Aftercare could not finish this step; Flow will run it again.");
  }
}

async function adjust(deps: FlowActionDeps, shop: string, runId: string, props: Record<string, unknown>) {
  const customerId = String(props.customer_id ?? "");
  const points = props.points;
  const reason = typeof props.reason === "string" ? props.reason.trim() : "";
  if (!/^\d+$/.test(customerId)) return answer(422, "customer_id must be the customer's numeric id.");
  if (typeof points !== "number" || !Number.isInteger(points) || points === 0 || Math.abs(points) > 1_000_000)
    return answer(422, "points must be a whole number other than 0, at most 1,000,000 either way.");
  if (reason.length < 3 || reason.length > 200) return answer(422, "reason must say why, in 3 to 200 characters.");
  const member = await findMemberByCustomer(deps.db, shop, gid("Customer", customerId));
  if (!member) return answer(422, `Customer ${customerId} is not a member of the loyalty program.`);
  // The run id keys the entry: Flow retrying this step books nothing more.
  const result = await adjustPoints(deps.db, shop, {
    memberId: member.id,
    points,
    reason,
    actor: "Shopify Flow",
    token: `flow-${runId}`.slice(0, 64),
    now: deps.now,
  });
  return answer(200, result.status === "duplicate" ? "Already done for this run." : `Booked ${points} points.`);
}

async function returnStep(deps: FlowActionDeps, shop: string, handle: string, props: Record<string, unknown>) {
  const number = typeof props.return_number === "string" ? props.return_number.trim() : "";
  const found = number ? await findReturnCaseByNumber(deps.db, shop, number) : null;
  if (!found) return answer(422, `There is no return ${number || "(empty)"} in Aftercare.`);
  const wf = { db: deps.db, admin: await deps.adminFor(shop), secret: deps.secret, now: deps.now };
  if (handle === "aftercare-approve-return") {
    if (found.status === "approved") return answer(200, "Already approved.");
    await approveReturn(shop, found.id, wf);
    return answer(200, `Return ${number} approved.`);
  }
  const reason = typeof props.reason === "string" ? props.reason.trim().toUpperCase() : "";
  const note = typeof props.note === "string" ? props.note : "";
  await declineReturn(shop, found.id, { reason, note }, wf);
  return answer(200, `Return ${number} declined.`);
}

const numericIdOf = (value: unknown) => {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  return /^\d{1,20}$/.test(text) ? text : null;
};

async function trackingEmail(deps: FlowActionDeps, shop: string, runId: string, props: Record<string, unknown>) {
  const orderId = numericIdOf(props.order_id);
  if (!orderId) return answer(422, "order_id must be the order's numeric id.");
  const outcome = await sendTrackingEmailForFlow(
    deps.db,
    shop,
    { orderShopifyId: gid("Order", orderId), runId },
    { secret: deps.secret, now: deps.now },
  );
  if (!outcome.ok) {
    const why = {
      no_order: `Aftercare does not know order ${orderId}.`,
      no_email: `Order ${orderId} has no email address to write to.`,
      no_shipment: `Order ${orderId} has no shipment with tracking yet.`,
    }[outcome.problem];
    return answer(422, why);
  }
  return answer(200, outcome.created ? `Tracking email (${outcome.milestone}) queued.` : "Already done for this run.");
}

async function tagByTier(deps: FlowActionDeps, shop: string, props: Record<string, unknown>) {
  const customerId = numericIdOf(props.customer_id);
  if (!customerId) return answer(422, "customer_id must be the customer's numeric id.");
  if (props.prefix !== undefined && props.prefix !== null && typeof props.prefix !== "string")
    return answer(422, "prefix must be text.");
  const outcome = await tagCustomerByTier(
    deps.db,
    shop,
    { customerShopifyId: gid("Customer", customerId), prefix: (props.prefix as string | undefined) || undefined },
    await deps.adminFor(shop),
  );
  if (!outcome.ok)
    return answer(
      422,
      outcome.problem === "not_member"
        ? `Customer ${customerId} is not a member of the loyalty program.`
        : "prefix must be at most 100 characters with no comma.",
    );
  return answer(200, outcome.added ? `Tagged '${outcome.added}'.` : "The member has no tier: tier tags removed.");
}
