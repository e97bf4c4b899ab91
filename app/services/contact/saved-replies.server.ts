/**
 * Saved replies for every channel that answers shoppers: kept per shop, refused with a message
 * next to the field when a body does not parse or names a placeholder nothing fills, and rendered
 * for one conversation in its shopper's language with the placeholders filled from its order.
 */
import type { Db } from "../../db.server";
import {
  readSavedReplyBodies,
  savedReplyBodyFor,
  savedReplyProblems,
  type SavedReplyInput,
} from "../../domain/contact/saved-replies";
import { contactReference } from "../../domain/contact/reference";
import type { FieldProblem } from "../../locales/admin/problems";
import {
  countSavedReplies,
  deleteSavedReply as deleteSavedReplyRow,
  getSavedReply,
  listSavedReplies as listSavedReplyRows,
  writeSavedReply,
} from "../../models/contact.server";
import { customerFirstName } from "../../models/customers.server";
import { findOrderForInbox } from "../../models/orders.server";
import { shopProfile } from "../../models/shop.server";
import { getTrackingSettings } from "../../models/tracking.server";
import { greetingName } from "../../domain/shared/greeting";
import { renderText, templateVariables } from "../email-render.server";
import { trackingPageUrl, trackingToken } from "../tracking/links.server";

import { ContactError } from "./requests.server";

/** A shop keeps at most this many (the picker is one list). */
export const SAVED_REPLIES_MAX = 200;

export async function listSavedReplies(db: Db, shop: string) {
  const rows = await listSavedReplyRows(db, shop);
  return rows.map((r) => ({ id: r.id, title: r.title, bodies: readSavedReplyBodies(r.bodies) }));
}

export type SaveSavedReplyResult = { ok: true; id: string } | { ok: false; problems: FieldProblem[] };

/** Creates or changes a saved reply; nothing is saved when any field has a problem. */
export async function saveSavedReply(
  db: Db,
  shop: string,
  input: SavedReplyInput & { id?: string },
): Promise<SaveSavedReplyResult> {
  const problems = savedReplyProblems(input, templateVariables);
  if (problems.length) return { ok: false, problems };
  if (!input.id && (await countSavedReplies(db, shop)) >= SAVED_REPLIES_MAX)
    throw new ContactError(`A shop can keep up to ${SAVED_REPLIES_MAX} saved replies; delete one first.`, 409);
  const saved = await writeSavedReply(db, shop, {
    id: input.id,
    title: input.title,
    bodies: JSON.stringify(input.bodies),
  });
  if (!saved) throw new ContactError("That saved reply does not exist.", 404);
  return { ok: true, id: saved.id };
}

export async function deleteSavedReply(db: Db, shop: string, id: string) {
  if (!(await deleteSavedReplyRow(db, shop, id))) throw new ContactError("That saved reply does not exist.", 404);
}

/** Whom a saved reply answers: an inbox request, or (later) a chat conversation. */
export interface SavedReplySubject {
  locale: string;
  name: string | null;
  number: number | null;
  orderShopifyId: string | null;
  customerShopifyId: string | null;
}

export interface RenderDeps {
  db: Db;
  secret: string;
  now: Date;
}

/**
 * The values a saved reply's placeholders take for one conversation (SAVED_REPLY_PLACEHOLDERS).
 * The tracking link is the same signed one the shipping emails carry.
 */
export async function savedReplyVariables(deps: RenderDeps, shop: string, subject: SavedReplySubject) {
  const [profile, order] = await Promise.all([
    shopProfile(deps.db, shop),
    subject.orderShopifyId ? findOrderForInbox(deps.db, shop, subject.orderShopifyId) : null,
  ]);
  const customerId = subject.customerShopifyId ?? order?.customerShopifyId ?? null;
  const accountFirstName = await customerFirstName(deps.db, shop, customerId);
  const typed = greetingName(subject.name);
  let trackingUrl = "";
  if (order) {
    const settings = await getTrackingSettings(deps.db, shop);
    const token = trackingToken({
      shop: profile.domain,
      orderShopifyId: order.shopifyId,
      secret: deps.secret,
      now: deps.now,
    });
    trackingUrl = trackingPageUrl({ shop: profile.domain, path: settings.trackingPagePath, token });
  }
  return {
    customer: { first_name: accountFirstName ?? typed?.split(" ")[0] ?? "", name: typed ?? "" },
    order: { name: order?.name ?? "" },
    tracking: { url: trackingUrl },
    shop: { name: profile.name },
    request: { reference: subject.number === null ? "" : contactReference(subject.number) },
  };
}

/**
 * A saved reply written out for one conversation: the body in the shopper's language (English
 * when that language has none), placeholders filled; `empty` names those this conversation has
 * no value for (no order linked, say), so the merchant can fill them in before sending.
 */
export async function renderSavedReply(deps: RenderDeps, shop: string, id: string, subject: SavedReplySubject) {
  const row = await getSavedReply(deps.db, shop, id);
  if (!row) throw new ContactError("That saved reply does not exist.", 404);
  const { language, body } = savedReplyBodyFor(readSavedReplyBodies(row.bodies), subject.locale);
  const variables = await savedReplyVariables(deps, shop, subject);
  const empty = templateVariables(body).filter((name) => {
    const [group, key] = name.split(".") as [keyof typeof variables, string];
    return !(variables[group] as Record<string, string> | undefined)?.[key];
  });
  const text = (await renderText(body, variables)).replace(/\r\n/g, "\n").trim();
  return { language, text, empty };
}
