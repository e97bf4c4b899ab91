/**
 * Customer metafields kept current (docs/decisions/0044). Every change of a member's points balance,
 * tier or lifetime points marks the member in its own transaction (models/metafield-sync.server.ts),
 * whether or not the change announces an event. A periodic sync, every 2 seconds, reads only the
 * marked members, a page at a time, and writes their app-owned metafields (declared in
 * shopify.app.toml: $app.points_balance, $app.loyalty_tier, $app.lifetime_points) with metafieldsSet,
 * as many members in one call as Shopify takes (25 metafields a call, 2026-07). It writes the
 * figures as they are now, so any number of changes before a run make one write, and a member whose
 * figures equal what was last written (a change undone, a replay) costs no call at all.
 */
import type { Db } from "../../db.server";
import type { EventEnvelope } from "../../domain/events/catalog";
import type { LoyaltySettings } from "../../domain/loyalty/settings";
import {
  dueMetafieldSyncs,
  markMetafieldsDue,
  metafieldsFailed,
  metafieldsWritten,
  type DueMetafieldSync,
} from "../../models/metafield-sync.server";
import type { AdminClient } from "../../shopify/admin.server";
import { ShopifyUserError } from "../../shopify/admin.server";
import { CustomerMetafieldsDelete, CustomerMetafieldsSet } from "../../shopify/operations/events";
import type { EventDestinationAdapter } from "../events/deliver.server";

import { findMemberByCustomer } from "./members.server";
import { loadLoyaltySettings } from "./settings.server";

export const CUSTOMER_METAFIELDS = {
  pointsBalance: { namespace: "$app", key: "points_balance", type: "number_integer" },
  tier: { namespace: "$app", key: "loyalty_tier", type: "single_line_text_field" },
  lifetimePoints: { namespace: "$app", key: "lifetime_points", type: "number_integer" },
} as const;

/** Shopify's limit on the inputs of one metafieldsSet (Admin API 2026-07). */
export const METAFIELDS_PER_CALL = 25;
/** Members read per page of due rows. */
export const METAFIELD_SYNC_PAGE = 200;
/** Waits after each failed write; once used up, the member is parked until its next change. */
export const METAFIELD_RETRY_DELAYS_MS = [5_000, 30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000];

export interface MetafieldValues {
  pointsBalance: number;
  tier: string;
  lifetimePoints: number;
}

/** The metafields' values for a member: the balance (pending included), the tier's name, lifetime points. */
function metafieldValuesOf(
  member: { points: number; lifetimePoints: number; tierKey: string | null },
  tiers: LoyaltySettings["tiers"],
): MetafieldValues {
  const tier = tiers.find((t) => t.key === member.tierKey);
  return { pointsBalance: member.points, tier: tier?.name ?? "", lifetimePoints: member.lifetimePoints };
}

interface MetafieldInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

function inputsFor(customer: string, values: MetafieldValues): MetafieldInput[] {
  const field = (f: (typeof CUSTOMER_METAFIELDS)[keyof typeof CUSTOMER_METAFIELDS], value: string) => ({
    ownerId: customer,
    namespace: f.namespace,
    key: f.key,
    type: f.type,
    value,
  });
  const inputs = [
    field(CUSTOMER_METAFIELDS.pointsBalance, String(values.pointsBalance)),
    field(CUSTOMER_METAFIELDS.lifetimePoints, String(values.lifetimePoints)),
  ];
  // Shopify refuses an empty text value: with no tier, the tier metafield is removed instead.
  if (values.tier) inputs.push(field(CUSTOMER_METAFIELDS.tier, values.tier));
  return inputs;
}

export interface MetafieldSyncReport {
  /** metafieldsSet calls made. */
  calls: number;
  /** Members whose metafields were written. */
  written: number;
  /** Members due whose figures Shopify already held, or who have no Shopify customer: no call. */
  unchanged: number;
  retrying: number;
  parked: number;
}

interface Pending {
  row: DueMetafieldSync;
  sent: string;
  inputs: MetafieldInput[];
  /** The member had a tier in Shopify and has none now: its tier metafield is removed. */
  dropTier: { ownerId: string; namespace: string; key: string } | null;
}

/** The tier last written, from `sentValues` ([customer, balance, tier, lifetime]). */
function tierSent(sentValues: string | null): string {
  if (!sentValues) return "";
  try {
    const parsed = JSON.parse(sentValues) as unknown[];
    return typeof parsed[2] === "string" ? parsed[2] : "";
  } catch {
    return "";
  }
}

/**
 * Writes the metafields of every member due by `now`, a page at a time (at most `maxPages`), each
 * page's members grouped per shop into calls of at most 25 metafields.
 */
export async function syncCustomerMetafields(deps: {
  db: Db;
  adminFor: (shop: string) => Promise<AdminClient>;
  now: Date;
  pageSize?: number;
  maxPages?: number;
}): Promise<MetafieldSyncReport> {
  const { db, now } = deps;
  const report: MetafieldSyncReport = { calls: 0, written: 0, unchanged: 0, retrying: 0, parked: 0 };
  const pageSize = deps.pageSize ?? METAFIELD_SYNC_PAGE;
  for (let page = 0; page < (deps.maxPages ?? 25); page++) {
    const rows = await dueMetafieldSyncs(db, now, pageSize);
    if (rows.length === 0) break;
    const byShop = new Map<string, DueMetafieldSync[]>();
    for (const row of rows) {
      const shopRows = byShop.get(row.shop);
      if (shopRows) shopRows.push(row);
      else byShop.set(row.shop, [row]);
    }
    for (const [shop, shopRows] of byShop) await syncShop(deps, shop, shopRows, report);
    if (rows.length < pageSize) break;
  }
  return report;
}

async function syncShop(
  deps: { db: Db; adminFor: (shop: string) => Promise<AdminClient>; now: Date },
  shop: string,
  rows: DueMetafieldSync[],
  report: MetafieldSyncReport,
) {
  const { db, now } = deps;
  const members = await db.loyaltyMember.findMany({
    where: { shop, id: { in: rows.map((r) => r.memberId) } },
    select: { id: true, customerShopifyId: true, points: true, lifetimePoints: true, tierKey: true, redactedAt: true },
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  const tiers = (await loadLoyaltySettings(db, shop)).tiers;
  const pending: Pending[] = [];
  for (const row of rows) {
    const member = byId.get(row.memberId);
    const customer = member && !member.redactedAt ? member.customerShopifyId : null;
    if (!member || !customer) {
      // A guest (written once it becomes a customer's member), a redacted or a deleted member.
      await metafieldsWritten(db, row, row.sentValues);
      report.unchanged++;
      continue;
    }
    const values = metafieldValuesOf(member, tiers);
    const sent = JSON.stringify([customer, values.pointsBalance, values.tier, values.lifetimePoints]);
    if (sent === row.sentValues) {
      await metafieldsWritten(db, row, sent);
      report.unchanged++;
      continue;
    }
    const dropTier =
      !values.tier && tierSent(row.sentValues)
        ? { ownerId: customer, namespace: CUSTOMER_METAFIELDS.tier.namespace, key: CUSTOMER_METAFIELDS.tier.key }
        : null;
    pending.push({ row, sent, inputs: inputsFor(customer, values), dropTier });
  }
  if (pending.length === 0) return;
  let admin: AdminClient;
  try {
    admin = await deps.adminFor(shop);
  } catch (error) {
    for (const p of pending) await failed(db, p.row, (error as Error).message, now, report);
    return;
  }
  for (const call of packed(pending)) await write(db, admin, call, now, report);
}

/** Members packed into calls of at most 25 metafields, a member's inputs never split. */
function packed(pending: Pending[]): Pending[][] {
  const calls: Pending[][] = [];
  let current: Pending[] = [];
  let size = 0;
  for (const p of pending) {
    if (size + p.inputs.length > METAFIELDS_PER_CALL && current.length > 0) {
      calls.push(current);
      current = [];
      size = 0;
    }
    current.push(p);
    size += p.inputs.length;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

async function write(db: Db, admin: AdminClient, call: Pending[], now: Date, report: MetafieldSyncReport) {
  try {
    report.calls++;
    await admin.mutate(CustomerMetafieldsSet, (d) => d.metafieldsSet, { metafields: call.flatMap((p) => p.inputs) });
    // At most 8 members a call, so at most 8 tiers to remove: one call, only when there are some.
    const drops = call.flatMap((p) => (p.dropTier ? [p.dropTier] : []));
    if (drops.length > 0) {
      report.calls++;
      await admin.mutate(CustomerMetafieldsDelete, (d) => d.metafieldsDelete, { metafields: drops });
    }
  } catch (error) {
    if (error instanceof ShopifyUserError) {
      // metafieldsSet is atomic: one refused input refuses the call. Alone, each member either
      // goes through or is parked with Shopify's reason (until its next change).
      if (call.length > 1) {
        for (const p of call) await write(db, admin, [p], now, report);
        return;
      }
      await metafieldsFailed(db, call[0].row, `Shopify refused the metafields: ${error.message}`, null);
      report.parked++;
      return;
    }
    for (const p of call) await failed(db, p.row, (error as Error).message ?? String(error), now, report);
    return;
  }
  for (const p of call) await metafieldsWritten(db, p.row, p.sent);
  report.written += call.length;
}

async function failed(db: Db, row: DueMetafieldSync, message: string, now: Date, report: MetafieldSyncReport) {
  const delay = METAFIELD_RETRY_DELAYS_MS[row.attempts];
  await metafieldsFailed(db, row, message, delay === undefined ? null : new Date(now.getTime() + delay));
  if (delay === undefined) report.parked++;
  else report.retrying++;
}

/**
 * Deliveries to "metafields" recorded before the metafields followed the member directly: each
 * marks its member, so nothing waiting at the change-over is lost, and is done.
 */
export function customerMetafieldsDestination(deps: { db: Db }): EventDestinationAdapter {
  return {
    name: "metafields",
    async deliver(shop: string, event: EventEnvelope) {
      const customer = event.customer?.id;
      if (!customer) return { status: "skipped", reason: "no Shopify customer (a guest member)" };
      const member = await findMemberByCustomer(deps.db, shop, customer);
      if (!member) return { status: "skipped", reason: "no loyalty member for this customer" };
      await markMetafieldsDue(deps.db, shop, member.id, new Date());
      return { status: "sent" };
    },
  };
}
