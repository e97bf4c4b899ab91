import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { proxyJson } from "../services/app-proxy.server";
import { verifyProxyRequest } from "../services/app-proxy-auth.server";
import { noteBlockSeen } from "../services/setup-guide/block-seen.server";
import { contactView, submitContact } from "../services/contact/storefront.server";
import { readTextLimited } from "../utils/body.server";

// GET /apps/aftercare/contact: what the Contact block shows (channels, hours, FAQ, form topics).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await verifyProxyRequest(request);
  await noteBlockSeen(db(), ctx.shop, "contact", new Date());
  const answer = await contactView(db(), ctx.shop, ctx.params.get("locale"), new Date());
  return proxyJson(answer.body, { status: answer.status });
};

const MAX_BODY = 20_000;

// POST /apps/aftercare/contact: the contact form (JSON or form-encoded).
export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await verifyProxyRequest(request);
  await noteBlockSeen(db(), ctx.shop, "contact", new Date());
  if (request.method !== "POST")
    return proxyJson({ error: "method_not_allowed", message: "Send the form with POST." }, { status: 405 });
  const raw = await readTextLimited(request, 4 * MAX_BODY);
  if (raw === null || raw.length > MAX_BODY)
    return proxyJson({ error: "too_large", message: "The message is too long." }, { status: 413 });
  let fields: Record<string, unknown>;
  const type = request.headers.get("content-type") ?? "";
  try {
    fields = type.includes("application/json") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
  } catch {
    return proxyJson(
      { error: "invalid_request", message: "The form could not be read. Please try again." },
      { status: 400 },
    );
  }
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) {
    return proxyJson(
      { error: "invalid_request", message: "The form could not be read. Please try again." },
      { status: 400 },
    );
  }
  const answer = await submitContact(
    db(),
    {
      shop: ctx.shop,
      clientIp: ctx.clientIp,
      loggedInCustomerId: ctx.loggedInCustomerId,
      fields: { ...fields, locale: ctx.params.get("locale") ?? fields.locale },
    },
    { secret: env().SHOPIFY_API_SECRET, now: new Date() },
  );
  return proxyJson(answer.body, { status: answer.status, headers: answer.headers });
};
