/**
 * Who the signed-in staff member is. The admin's session token names them only by Shopify user id
 * (`sub`); their name comes the way Shopify gives it to an app, with an online access token's
 * `associated_user`, exchanged for that session token. The app keeps using its offline token for
 * everything else: the exchange happens once a day per staff member, only to learn the name, and
 * the online token itself is not kept.
 */
import { abstractFetch } from "@shopify/shopify-api/runtime";

import type { Db } from "../db.server";
import { getStaffMember, saveStaffMember } from "../models/staff.server";

export interface ActingStaff {
  userId: string;
  /** The name Shopify gives, or null when it could not be learned (never the user id). */
  name: string | null;
}

export interface StaffDeps {
  db: Db;
  apiKey: string;
  apiSecret: string;
  now: Date;
  fetch?: typeof abstractFetch;
}

/** A name is asked of Shopify again after this long, so a renamed staff member shows their new name. */
const NAME_FRESH_MS = 24 * 60 * 60_000;

export const staffName = (m: { firstName: string; lastName: string }) =>
  [m.firstName, m.lastName].filter(Boolean).join(" ").trim() || null;

/** The raw session token of an admin request: App Bridge's bearer header, or the document's id_token. */
export function sessionTokenOf(request: Request): string | null {
  const bearer = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  return bearer ?? new URL(request.url).searchParams.get("id_token");
}

/**
 * The staff member acting in this admin request, with their name, or null when the request
 * carries no user (an offline-only context). `auth` is authenticate.admin's answer.
 */
export async function actingStaff(
  deps: StaffDeps,
  request: Request,
  auth: { session: { shop: string }; sessionToken?: { sub?: unknown } },
): Promise<ActingStaff | null> {
  const shop = auth.session.shop;
  const sub = auth.sessionToken?.sub;
  if (typeof sub !== "string" || !sub) return null;
  const known = await getStaffMember(deps.db, shop, sub);
  if (known && deps.now.getTime() - known.lastSeenAt.getTime() < NAME_FRESH_MS) {
    return { userId: sub, name: staffName(known) };
  }
  const token = sessionTokenOf(request);
  const user = token ? await associatedUser(deps, shop, token).catch(() => null) : null;
  if (!user || String(user.id) !== sub) return { userId: sub, name: known ? staffName(known) : null };
  const saved = await saveStaffMember(
    deps.db,
    shop,
    {
      userId: sub,
      firstName: String(user.first_name ?? "").slice(0, 100),
      lastName: String(user.last_name ?? "").slice(0, 100),
      email: typeof user.email === "string" ? user.email.slice(0, 320) : null,
    },
    deps.now,
  );
  return { userId: sub, name: staffName(saved) };
}

interface AssociatedUser {
  id: number | string;
  first_name?: string;
  last_name?: string;
  email?: string;
}

/** Shopify's token exchange for an online access token: its associated_user is the staff member. */
async function associatedUser(deps: StaffDeps, shop: string, sessionToken: string): Promise<AssociatedUser | null> {
  const answer = await (deps.fetch ?? abstractFetch)(`https://${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      client_id: deps.apiKey,
      client_secret: deps.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: sessionToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
    }),
  });
  if (!answer.ok) return null;
  const body = (await answer.json()) as { associated_user?: AssociatedUser };
  return body.associated_user ?? null;
}
