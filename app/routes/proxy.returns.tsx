import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { adminClient } from "../shopify/admin.server";
import { unauthenticated } from "../shopify.server";
import { proxyJson } from "../services/app-proxy.server";
import { verifyProxyRequest } from "../services/app-proxy-auth.server";
import { noteBlockSeen } from "../services/setup-guide/block-seen.server";
import {
  createShopperReturn,
  returnsLookup,
  stageReturnPhotos,
  type StorefrontDeps,
} from "../services/returns/storefront.server";
import { readTextLimited } from "../utils/body.server";

function deps(): StorefrontDeps {
  return {
    db: db(),
    secret: env().SHOPIFY_API_SECRET,
    admin: async (shop) => {
      try {
        const { admin } = await unauthenticated.admin(shop);
        return adminClient(admin.graphql);
      } catch {
        return null;
      }
    },
    log: (message, error) => console.error(`[returns] ${message}`, error ?? ""),
  };
}

// GET /apps/aftercare/returns: an order's eligibility, a customer's orders, or a return's status.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await verifyProxyRequest(request);
  await noteBlockSeen(db(), ctx.shop, "returns", new Date());
  const answer = await returnsLookup(ctx, deps());
  return proxyJson(answer.body, { status: answer.status, headers: answer.headers });
};

// POST /apps/aftercare/returns: a shopper's return request (JSON body), or with `uploads`, where to
// upload an item's photos (Shopify's staged upload targets).
export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await verifyProxyRequest(request);
  await noteBlockSeen(db(), ctx.shop, "returns", new Date());
  if (request.method !== "POST")
    return proxyJson({ error: "method_not_allowed", message: "Use POST to start a return." }, { status: 405 });
  const text = await readTextLimited(request, 4 * 64_000);
  if (text === null || text.length > 64_000)
    return proxyJson({ error: "too_large", message: "The request is too large." }, { status: 413 });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
  } catch {
    return proxyJson(
      { error: "invalid_request", message: "The request could not be read. Reload the page and try again." },
      { status: 400 },
    );
  }
  const answer =
    body.uploads === undefined
      ? await createShopperReturn(ctx, body, deps())
      : await stageReturnPhotos(ctx, body, deps());
  return proxyJson(answer.body, { status: answer.status, headers: answer.headers });
};
