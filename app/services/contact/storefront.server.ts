/**
 * The Contact block's endpoints (/apps/aftercare/contact via the app proxy): what the block shows
 * (channels with online/offline from the hours, the FAQ in the shopper's language, the form's
 * topics) and the form submission, guarded by a honeypot and rate limits.
 */
import type { Db } from "../../db.server";
import { isOpenAt, nextOpening } from "../../domain/contact/hours";
import { checkContactMessage } from "../../domain/contact/message";
import { contactReference } from "../../domain/contact/reference";
import { businessHoursOf, CHANNEL_RULES, faqFor, languageFor } from "../../domain/contact/settings";
import { gid } from "../../domain/shared/shopify-ids";
import { getContactSettings } from "../../models/contact.server";
import { shopProfile } from "../../models/shop.server";
import { clientKey, firstBlocked, rateLimited, rateLimiter, type RateLimitRule } from "../rate-limit.server";

import { acknowledgeRequest, ContactError, createRequest } from "./requests.server";

/**
 * Messages one client may send per hour, and anonymous messages a shop takes per hour from
 * everyone together (a cap on spam reaching the merchant's inbox). A signed-in shopper is counted
 * only as a client, so no flood of anonymous messages can keep them from writing; one client alone
 * cannot fill the shop's cap (5 of 300).
 */
export const CONTACT_LIMITS: { client: RateLimitRule; shop: RateLimitRule } = {
  client: { name: "contact-form-client", limit: 5, windowMs: 60 * 60_000 },
  shop: { name: "contact-form-shop", limit: 300, windowMs: 60 * 60_000 },
};

export interface ProxyAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export async function contactView(db: Db, shop: string, locale: string | null, now: Date): Promise<ProxyAnswer> {
  const [settings, profile] = await Promise.all([getContactSettings(db, shop), shopProfile(db, shop)]);
  const hours = businessHoursOf(settings, profile.timeZone);
  const open = isOpenAt(now, hours);
  const next = nextOpening(now, hours);
  return {
    status: 200,
    body: {
      language: languageFor(locale),
      timeZone: hours.timeZone,
      open,
      nextOpenAt: next?.toISOString() ?? null,
      channels: settings.channels
        .filter((c) => c.enabled)
        .map((c) => ({
          kind: c.kind,
          href: CHANNEL_RULES[c.kind].href(c.value),
          display: c.kind === "email" || c.kind === "phone" || c.kind === "sms" ? c.value : null,
          replyMinutes: c.replyMinutes,
          online: open,
        })),
      faq: faqFor(settings, languageFor(locale)),
      form: settings.form.enabled ? { topics: settings.form.topics, replyMinutes: settings.form.replyMinutes } : null,
    },
  };
}

export async function submitContact(
  db: Db,
  req: { shop: string; clientIp: string | null; loggedInCustomerId: string | null; fields: Record<string, unknown> },
  deps: { secret: string; now: Date; limits?: typeof CONTACT_LIMITS },
): Promise<ProxyAnswer> {
  const limits = deps.limits ?? CONTACT_LIMITS;
  const client = clientKey(deps.secret, req.clientIp ?? "unknown", req.loggedInCustomerId ?? "");
  const anonymous = !req.loggedInCustomerId;
  const checks = [{ rule: limits.client, shop: req.shop, subject: client }];
  if (anonymous) checks.push({ rule: limits.shop, shop: req.shop, subject: "*" });
  const blocked = await firstBlocked(db, checks);
  if (blocked) {
    return rateLimited(
      blocked.decision.retryAfterSeconds,
      blocked.index === 0
        ? "You have sent several messages already. Please wait a while before sending another."
        : "This shop is getting a lot of messages right now. " +
            "Please try again later, or sign in to your account to write.",
    );
  }
  // Every attempt counts, so a script cannot probe the validation for free.
  await rateLimiter(db, limits.client).hit(req.shop, client);
  if (anonymous) await rateLimiter(db, limits.shop).hit(req.shop, "*");
  // The honeypot: a field people never see and bots fill in. Refused plainly (no fake success).
  if (typeof req.fields.website === "string" && req.fields.website.trim() !== "") {
    return { status: 422, body: { error: "rejected", message: "Your message could not be sent." } };
  }
  const settings = await getContactSettings(db, req.shop);
  if (!settings.form.enabled)
    return {
      status: 409,
      body: { error: "form_off", message: "This shop is not taking messages through the form right now." },
    };
  const check = checkContactMessage(req.fields, settings.form.topics);
  if (!check.ok)
    return {
      status: 400,
      body: { error: "invalid_request", message: Object.values(check.errors)[0], fields: check.errors },
    };
  try {
    const created = await createRequest(db, {
      shop: req.shop,
      message: check.value,
      locale: typeof req.fields.locale === "string" ? req.fields.locale : "en",
      customerShopifyId: req.loggedInCustomerId ? gid("Customer", req.loggedInCustomerId) : null,
      now: deps.now,
    });
    if (created.isNew) await acknowledgeRequest({ db, secret: deps.secret, now: deps.now }, req.shop, created.id);
    return {
      status: 201,
      body: {
        reference: contactReference(created.number),
        expectedReplyBy: created.expectedReplyBy?.toISOString() ?? null,
        replyMinutes: created.replyMinutes,
      },
    };
  } catch (error) {
    if (error instanceof ContactError)
      return { status: error.status, body: { error: "invalid_request", message: error.message } };
    throw error;
  }
}
