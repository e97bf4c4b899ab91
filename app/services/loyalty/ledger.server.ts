/**
 * The points ledger. Entries are only ever inserted; a member's `points` is the sum of their
 * entries and is changed in the same transaction as each insert. Every transaction that writes a
 * member's ledger first bumps that member's `version`: on PostgreSQL that takes the row lock, on
 * SQLite the database write lock, so writers to one member take turns and every check made after
 * it (is this source already booked? how much is available?) sees the latest committed state.
 * The final UPDATE is also conditional on the balance staying >= 0, as a second guard.
 */
import type { Db, Tx } from "../../db.server";
import { recordEvent } from "../../models/events.server";
import { markMetafieldsDue } from "../../models/metafield-sync.server";
import { rawRows } from "../../models/raw-sql.server";

export type EntryKind =
  | "earn_order"
  | "reverse_refund"
  | "reverse_cancel"
  | "signup"
  | "birthday"
  | "adjust"
  | "redeem"
  | "redeem_return"
  | "expire"
  | "merge_in"
  | "merge_out";

export interface EntryInput {
  sourceKey: string;
  kind: EntryKind;
  /** Signed: positive earns, negative spends or takes back. */
  points: number;
  /** When the points can be spent; later than `now` means pending. */
  availableAt: Date;
  orderShopifyId?: string | null;
  reason?: string | null;
  actor?: string | null;
}

export type PostResult =
  | { status: "posted"; points: number; entryId: string }
  | { status: "duplicate" }
  | { status: "insufficient"; available: number };

export interface PostOptions {
  now: Date;
  /**
   * exact: a debit larger than what is available is refused (redemptions, manual deductions).
   * cap: a debit takes what is there and no more (reversals of points already spent).
   */
  mode?: "exact" | "cap";
  /**
   * Works out the points under the member's lock instead of taking entry.points, for amounts that
   * depend on what earlier entries already booked (a refund's share of an order's points).
   */
  compute?: (tx: Tx) => Promise<number>;
  /** Runs inside the transaction with the points actually booked (e.g. creating a redemption row). */
  alongside?: (tx: Tx, booked: number) => Promise<void>;
}

export class MemberNotFoundError extends Error {}

class Overdraw extends Error {}

/** Kinds that count as a member being active (and so push back expiry). */
const ACTIVITY: ReadonlySet<EntryKind> = new Set(["earn_order", "signup", "birthday", "adjust", "redeem", "merge_in"]);

/** Inside a transaction or outside (a Db is a Tx too, working outside any transaction). */
export async function pendingPoints(tx: Tx, memberId: string, now: Date): Promise<number> {
  const agg = await tx.loyaltyLedgerEntry.aggregate({
    where: { memberId, availableAt: { gt: now } },
    _sum: { points: true },
  });
  return agg._sum.points ?? 0;
}

/** Entries that announce "points earned" (docs/events.md); reversals, spending and merges do not. */
const EARNING: ReadonlySet<EntryKind> = new Set(["earn_order", "signup", "birthday", "adjust"]);

/** The event goes in the entry's own transaction, keyed by the entry's source, like the entry. */
async function pointsEarnedEvent(tx: Tx, shop: string, memberId: string, entry: EntryInput, points: number, now: Date) {
  const member = await tx.loyaltyMember.findFirstOrThrow({
    where: { id: memberId, shop },
    select: { points: true, customerShopifyId: true },
  });
  await recordEvent(tx, {
    shop,
    type: "loyalty.points_earned",
    key: entry.sourceKey,
    occurredAt: now,
    order: entry.orderShopifyId ? { id: entry.orderShopifyId, name: null } : null,
    customer: { id: member.customerShopifyId },
    data: { points, balance: member.points, source: entry.kind, reason: entry.reason ?? null },
  });
}

const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 } as const;

/** Books one entry for a member, once per (shop, sourceKey). */
export async function postEntry(
  db: Db,
  shop: string,
  memberId: string,
  entry: EntryInput,
  options: PostOptions,
): Promise<PostResult> {
  const { now, mode = "exact" } = options;
  if (!Number.isInteger(entry.points)) throw new TypeError("points must be an integer");
  try {
    return await db.$transaction(async (tx) => {
      // Take this member's turn before reading anything.
      const locked = await tx.loyaltyMember.updateMany({
        where: { id: memberId, shop },
        data: { version: { increment: 1 } },
      });
      if (locked.count === 0) throw new MemberNotFoundError(`No loyalty member ${memberId} in ${shop}`);
      const existing = await tx.loyaltyLedgerEntry.findUnique({
        where: { shop_sourceKey: { shop, sourceKey: entry.sourceKey } },
        select: { id: true },
      });
      if (existing) return { status: "duplicate" } as const;

      let points = options.compute ? await options.compute(tx) : entry.points;
      if (!Number.isInteger(points)) throw new TypeError("points must be an integer");
      if (points < 0) {
        const balance = await balanceInTransaction(tx, shop, memberId, now);
        if (!balance) throw new MemberNotFoundError(`No loyalty member ${memberId} in ${shop}`);
        // A debit dated in the future takes back pending points; otherwise it spends available ones.
        const room = entry.availableAt > now ? balance.pending : balance.available;
        if (-points > room) {
          if (mode === "exact") return { status: "insufficient", available: room } as const;
          points = -room;
        }
      }
      // A zero entry is still booked: it records that the source was dealt with (e.g. a refund
      // whose points were already taken back by the cancellation), so it is not dealt with again.
      const created = await tx.loyaltyLedgerEntry.create({
        data: {
          shop,
          memberId,
          sourceKey: entry.sourceKey,
          kind: entry.kind,
          points,
          availableAt: entry.availableAt,
          orderShopifyId: entry.orderShopifyId ?? null,
          reason: entry.reason ?? null,
          actor: entry.actor ?? null,
          createdAt: now,
        },
        select: { id: true },
      });
      const applied = await tx.loyaltyMember.updateMany({
        where: { id: memberId, shop, points: { gte: -points } },
        data: {
          points: { increment: points },
          ...(points > 0 && entry.kind !== "redeem_return" && entry.kind !== "merge_in"
            ? { lifetimePoints: { increment: points } }
            : {}),
          ...(ACTIVITY.has(entry.kind) ? { lastActivityAt: now } : {}),
        },
      });
      if (applied.count !== 1) throw new Overdraw();
      // Every change of balance (and so of lifetime points) reaches the customer's metafields,
      // whether or not it announces an event: refund reversals, expiry, deductions, redemptions.
      if (points !== 0) await markMetafieldsDue(tx, shop, memberId, now);
      if (points > 0 && EARNING.has(entry.kind)) await pointsEarnedEvent(tx, shop, memberId, entry, points, now);
      if (options.alongside) await options.alongside(tx, points);
      return { status: "posted", points, entryId: created.id } as const;
    }, TX_OPTIONS);
  } catch (error) {
    if (error instanceof Overdraw) return { status: "insufficient", available: 0 };
    // Two first-time bookings of one source racing past the check: the unique key keeps one.
    if ((error as { code?: string }).code === "P2002") return { status: "duplicate" };
    throw error;
  }
}

export interface Balance {
  /** Sum of the whole ledger. */
  total: number;
  pending: number;
  available: number;
}

/** The balance from the member's points and the sum of their entries still pending. */
function balanceFrom(points: number, pendingSum: number): Balance {
  const pending = Math.min(points, Math.max(0, pendingSum));
  return { total: points, pending, available: points - pending };
}

/**
 * One member row plus the entries still pending (bounded by the pending window, not the ledger's
 * length), as committed. Outside a transaction only: it reads on the client's own read connection,
 * which does not see a transaction's uncommitted rows; inside one, use balanceInTransaction.
 */
export async function balanceOf(db: Db, shop: string, memberId: string, now: Date): Promise<Balance | null> {
  // Plain SQL: the storefront widget reads this on every view (models/raw-sql.server.ts). The
  // pending sum reads only this member's future-dated entries, by index, however long the ledger.
  const [member] = await rawRows<{ points: number }>(
    db,
    `SELECT "points" FROM "LoyaltyMember" WHERE "id" = {} AND "shop" = {}`,
    [memberId, shop],
  );
  if (!member) return null;
  const [sum] = await rawRows<{ pending: number | bigint | string | null }>(
    db,
    `SELECT SUM("points") AS "pending" FROM "LoyaltyLedgerEntry" WHERE "memberId" = {} AND "availableAt" > {}`,
    [memberId, now],
  );
  // SUM of integers is a bigint on PostgreSQL.
  return balanceFrom(member.points, Number(sum?.pending ?? 0));
}

/** The same balance read through a transaction, its own uncommitted entries included. */
export async function balanceInTransaction(tx: Tx, shop: string, memberId: string, now: Date): Promise<Balance | null> {
  const member = await tx.loyaltyMember.findFirst({ where: { id: memberId, shop }, select: { points: true } });
  if (!member) return null;
  return balanceFrom(member.points, await pendingPoints(tx, memberId, now));
}

/** When each pending amount unlocks, soonest first. */
export async function pendingUnlocks(db: Db, shop: string, memberId: string, now: Date) {
  const rows = await db.loyaltyLedgerEntry.groupBy({
    by: ["availableAt"],
    where: { shop, memberId, availableAt: { gt: now } },
    _sum: { points: true },
    orderBy: { availableAt: "asc" },
  });
  return rows.map((r) => ({ availableAt: r.availableAt, points: r._sum.points ?? 0 })).filter((r) => r.points > 0);
}
