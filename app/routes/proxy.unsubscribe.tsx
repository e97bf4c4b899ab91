import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { verifyProxyRequest } from "../services/app-proxy-auth.server";
import { escapeHtml } from "../services/email-render.server";
import { readUnsubscribeToken, unsubscribe } from "../services/unsubscribe.server";

/**
 * /apps/aftercare/unsubscribe?token=… for every kind of message. GET shows a confirmation button
 * (link scanners fetch links; only a POST unsubscribes), POST unsubscribes, which is also what
 * mail clients' one-click unsubscribe (RFC 8058) sends. Answered as Liquid so the page sits in
 * the shop's theme.
 */
function page(
  liquid: (body: string, init?: number | { status?: number }) => Response,
  status: number,
  heading: string,
  text: string,
  form = "",
) {
  return liquid(
    `<div class="page-width" style="max-width:40rem;margin:3rem auto;padding:0 1rem">` +
      `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(text)}</p>${form}</div>`,
    { status },
  );
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid, shop, params } = await verifyProxyRequest(request);
  const token = params.get("token") ?? "";
  if (!readUnsubscribeToken(token, shop, env().SHOPIFY_API_SECRET)) {
    return page(liquid, 404, "Link not valid", "This unsubscribe link is not valid or has expired.");
  }
  const action = `/apps/aftercare/unsubscribe?token=${encodeURIComponent(token)}`;
  const button = `<button type="submit" class="button">Unsubscribe</button>`;
  const form = `<form method="post" action="${action}">${button}</form>`;
  return page(liquid, 200, "Unsubscribe", "Stop getting these emails about your orders from this shop?", form);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { liquid, shop, params } = await verifyProxyRequest(request);
  const result = await unsubscribe(db(), { shop, token: params.get("token") ?? "", secret: env().SHOPIFY_API_SECRET });
  if (!result.ok) return page(liquid, 404, "Link not valid", result.message);
  return page(liquid, 200, "You are unsubscribed", "You will not get these emails any more.");
};
