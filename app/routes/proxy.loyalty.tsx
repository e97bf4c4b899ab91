import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { adminClient } from "../shopify/admin.server";
import { unauthenticated } from "../shopify.server";
import { proxyJson } from "../services/app-proxy.server";
import { verifyProxyRequest } from "../services/app-proxy-auth.server";
import { noteBlockSeen } from "../services/setup-guide/block-seen.server";
import { loyaltyGet, loyaltyPost, type ProxyDeps } from "../services/loyalty/proxy.server";
import { readFormLimited, readTextLimited } from "../utils/body.server";

/** A rewards action is a few fields (a birthday, a reward id). */
const LOYALTY_BODY_LIMIT = 64_000;

const deps = (): ProxyDeps => ({
  db: db(),
  now: () => new Date(),
  admin: async (shop) => {
    try {
      const { admin } = await unauthenticated.admin(shop);
      return adminClient(admin.graphql);
    } catch {
      return null;
    }
  },
  log: (message, error) => console.error(`[loyalty] ${message}`, error ?? ""),
});

// GET /apps/aftercare/loyalty: the program, the rewards and, for a signed-in shopper, their points.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await verifyProxyRequest(request);
  await noteBlockSeen(db(), ctx.shop, "loyalty", new Date());
  const answer = await loyaltyGet(ctx, deps());
  return proxyJson(answer.body, { status: answer.status });
};

// POST /apps/aftercare/loyalty: intent=redeem&rewardId=… or intent=birthday&month=…&day=…
export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await verifyProxyRequest(request);
  await noteBlockSeen(db(), ctx.shop, "loyalty", new Date());
  if (request.method !== "POST")
    return proxyJson({ error: "method_not_allowed", message: "Use POST." }, { status: 405 });
  let form: Record<string, unknown> = {};
  const type = request.headers.get("content-type") ?? "";
  try {
    const read = type.includes("application/json")
      ? await readTextLimited(request, LOYALTY_BODY_LIMIT)
      : await readFormLimited(request, LOYALTY_BODY_LIMIT);
    if (read === null) return proxyJson({ error: "too_large", message: "The request is too large." }, { status: 413 });
    form = typeof read === "string" ? (JSON.parse(read) as Record<string, unknown>) : Object.fromEntries(read);
  } catch {
    return proxyJson({ error: "invalid_request", message: "The request could not be read." }, { status: 400 });
  }
  if (!form || typeof form !== "object") form = {};
  const answer = await loyaltyPost(ctx, form, deps());
  return proxyJson(answer.body, { status: answer.status });
};
