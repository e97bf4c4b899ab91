import type { Db, Tx } from "../db.server";
import type { ReturnRecord } from "../webhooks/payloads";

import { excluded, newRowId, stored, upsertRows, type SqlValue } from "./batch-sql.server";
import type { ApplyResult } from "./orders.server";

/** The status each returns/* topic leaves a return in, when its payload does not say. */
export const RETURN_STATUS_BY_TOPIC: Record<string, string> = {
  "returns/request": "requested",
  "returns/approve": "open",
  "returns/decline": "declined",
  "returns/process": "open",
  "returns/close": "closed",
  "returns/cancel": "canceled",
};

/**
 * Keeps Shopify's view of a return. Return payloads carry no updated_at, so the webhook's
 * X-Shopify-Triggered-At orders them: an event older than the last one applied changes none of
 * what the newer one said (status, decline, closing). Two events of the same instant are ordered
 * by their status's rank, and a request never follows another status (REQUESTED is only ever a
 * return's first), whatever the clocks say. A stale event still fills in what only it says and
 * the stored return lacks (STATED_ONCE): a returns/request arriving after the returns/decline that
 * followed it (Shopify does not promise the order) still gives the return its lines, quantity and
 * the time it was asked for.
 */
export async function applyReturnEvent(
  db: Db,
  shop: string,
  topic: string,
  r: ReturnRecord,
  eventAt: Date,
): Promise<ApplyResult> {
  return db.$transaction((tx) => applyReturnEventTx(tx, shop, topic, r, eventAt));
}

/**
 * How far along its life a status is: of two events of the same instant, the further one wins
 * (a return is approved before it is closed or canceled). Unknown statuses rank last, as Shopify's
 * later ones would.
 */
const STATUS_RANK: Record<string, number> = { requested: 0, open: 1 };
const rankOf = (status: string) => STATUS_RANK[status.toLowerCase()] ?? 2;
const rankSql = (column: string) => `(CASE lower(${column}) WHEN 'requested' THEN 0 WHEN 'open' THEN 1 ELSE 2 END)`;

/** Whether an event with `incoming` status at `eventAt` is older than what the stored return says. */
function isStale(kept: { lastEventAt: Date; status: string }, incoming: { status: string; eventAt: Date }) {
  if (incoming.status.toLowerCase() === "requested" && kept.status.toLowerCase() !== "requested") return true;
  const [keptAt, at] = [kept.lastEventAt.getTime(), incoming.eventAt.getTime()];
  return keptAt > at || (keptAt === at && rankOf(kept.status) > rankOf(incoming.status));
}

/**
 * Facts of a return an older event may still give, when the stored return lacks them: column to
 * the SQL that holds for a stored value that is missing.
 */
const STATED_ONCE = {
  orderShopifyId: (kept: string) => `${kept} IS NULL`,
  name: (kept: string) => `${kept} IS NULL`,
  totalQuantity: (kept: string) => `${kept} = 0`,
  lines: (kept: string) => `${kept} = '[]'`,
  requestedAt: (kept: string) => `${kept} IS NULL`,
  approvedAt: (kept: string) => `${kept} IS NULL`,
} as const;
type StatedOnce = keyof typeof STATED_ONCE;
const isStatedOnce = (column: string): column is StatedOnce => column in STATED_ONCE;

/** The part of `data` an older event gives the stored return (what it lacks), in Prisma's terms. */
function missingFacts(
  data: ReturnType<typeof returnData>,
  kept: {
    orderShopifyId: string | null;
    name: string | null;
    totalQuantity: number;
    lines: string;
    requestedAt: Date | null;
    approvedAt: Date | null;
  },
) {
  const fill: Partial<Pick<ReturnType<typeof returnData>, StatedOnce>> = {};
  if (data.orderShopifyId && kept.orderShopifyId === null) fill.orderShopifyId = data.orderShopifyId;
  if (data.name && kept.name === null) fill.name = data.name;
  if (data.totalQuantity !== undefined && kept.totalQuantity === 0) fill.totalQuantity = data.totalQuantity;
  if (data.lines && kept.lines === "[]") fill.lines = data.lines;
  if (data.requestedAt && kept.requestedAt === null) fill.requestedAt = data.requestedAt;
  if (data.approvedAt && kept.approvedAt === null) fill.approvedAt = data.approvedAt;
  return fill;
}

/** The columns a return event writes. */
function returnData(topic: string, r: ReturnRecord, eventAt: Date) {
  const status = r.status ?? RETURN_STATUS_BY_TOPIC[topic] ?? "open";
  return {
    status,
    ...(r.orderShopifyId ? { orderShopifyId: r.orderShopifyId } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(r.declineReason ? { declineReason: r.declineReason, declineNote: r.declineNote } : {}),
    ...(r.totalQuantity === null ? {} : { totalQuantity: r.totalQuantity }),
    ...(r.lines ? { lines: JSON.stringify(r.lines) } : {}),
    ...(topic === "returns/request" ? { requestedAt: eventAt } : {}),
    // When Shopify opened it (approved a request, or the merchant created it open).
    ...(topic === "returns/approve" ? { approvedAt: eventAt } : {}),
    ...(status === "closed" ? { closedAt: eventAt } : {}),
    lastEventAt: eventAt,
  };
}

/** applyReturnEvent inside the caller's transaction (the history import's batches). */
export async function applyReturnEventTx(
  tx: Tx,
  shop: string,
  topic: string,
  r: ReturnRecord,
  eventAt: Date,
): Promise<ApplyResult> {
  const data = returnData(topic, r, eventAt);
  // Two events of one return at once (PostgreSQL, two workers): each write holds only if the row
  // is still as read, else it is read and decided again.
  for (let attempt = 1; ; attempt++) {
    const existing = await tx.shopifyReturn.findUnique({
      where: { shop_shopifyId: { shop, shopifyId: r.shopifyId } },
      select: {
        id: true,
        lastEventAt: true,
        status: true,
        orderShopifyId: true,
        name: true,
        totalQuantity: true,
        lines: true,
        requestedAt: true,
        approvedAt: true,
      },
    });
    if (!existing) {
      await tx.shopifyReturn.create({ data: { shop, shopifyId: r.shopifyId, ...data } });
      return "created";
    }
    const asRead = { id: existing.id, lastEventAt: existing.lastEventAt, status: existing.status };
    const stale = isStale(existing, { status: data.status, eventAt });
    const write = stale ? missingFacts(data, existing) : data;
    const { count } =
      Object.keys(write).length > 0 ? await tx.shopifyReturn.updateMany({ where: asRead, data: write }) : { count: 1 };
    if (count === 1) return stale ? "stale" : "updated";
    // Changed under it every time: the inbox tries the event again later.
    if (attempt >= 5) throw new Error(`return ${r.shopifyId} kept changing while ${topic} was applied`);
  }
}

/** A return event as applyReturnEventTx takes it. */
export interface ReturnEvent {
  topic: string;
  record: ReturnRecord;
  eventAt: Date;
}

/**
 * Many return events in the caller's transaction, with the outcome applyReturnEventTx would give
 * each applied in turn: a return's events in the order given, an event older than the last one
 * applied changing nothing. The columns an event writes depend on what it carries (returnData), so
 * the events are written in rounds (every return's first event, then every second one …), each
 * round one upsert per set of columns (batch-sql.server.ts).
 */
export async function applyReturnEventsTx(tx: Tx, shop: string, events: ReturnEvent[]): Promise<void> {
  const now = new Date();
  const seen = new Map<string, number>();
  const rounds: Map<string, { columns: string[]; rows: SqlValue[][] }>[] = [];
  for (const e of events) {
    const round = seen.get(e.record.shopifyId) ?? 0;
    seen.set(e.record.shopifyId, round + 1);
    const data = returnData(e.topic, e.record, e.eventAt);
    const columns = Object.keys(data).sort();
    const shape = columns.join(",");
    rounds[round] ??= new Map();
    let group = rounds[round].get(shape);
    if (!group) rounds[round].set(shape, (group = { columns, rows: [] }));
    group.rows.push([
      newRowId(),
      shop,
      e.record.shopifyId,
      ...columns.map((c) => data[c as keyof typeof data] ?? null),
      now,
      now,
    ]);
  }
  // A newer event replaces what it says (isStale, in SQL); an older one fills only what the stored
  // return lacks.
  const [keptAt, at] = [stored("ShopifyReturn", "lastEventAt"), excluded("lastEventAt")];
  const [keptStatus, status] = [stored("ShopifyReturn", "status"), excluded("status")];
  const newer =
    `(NOT (lower(${status}) = 'requested' AND lower(${keptStatus}) <> 'requested') AND ` +
    `(${keptAt} < ${at} OR (${keptAt} = ${at} AND ${rankSql(keptStatus)} <= ${rankSql(status)})))`;
  for (const round of rounds) {
    for (const { columns, rows } of round.values()) {
      const fills = columns.filter(isStatedOnce).map((c) => [c, STATED_ONCE[c](stored("ShopifyReturn", c))] as const);
      const set = Object.fromEntries(
        columns.map((c) => {
          const when = [newer, ...fills.filter(([f]) => f === c).map(([, missing]) => missing)].join(" OR ");
          return [c, `CASE WHEN ${when} THEN ${excluded(c)} ELSE ${stored("ShopifyReturn", c)} END`];
        }),
      );
      await upsertRows(
        tx,
        {
          table: "ShopifyReturn",
          columns: ["id", "shop", "shopifyId", ...columns, "createdAt", "updatedAt"],
          conflict: ["shop", "shopifyId"],
          set: { ...set, updatedAt: excluded("updatedAt") },
          where: [newer, ...fills.map(([, missing]) => missing)].join(" OR "),
        },
        rows,
      );
    }
  }
}

/** Shopify's returns of an order, the latest changed first. */
export async function shopifyReturnsOfOrder(db: Db, shop: string, orderShopifyId: string) {
  return db.shopifyReturn.findMany({ where: { shop, orderShopifyId }, orderBy: { lastEventAt: "desc" } });
}

/**
 * The lines of Shopify's returns requested in [start, end), with their reasons, each tagged with
 * its return's id (so a return the returns area also holds is counted once).
 */
export async function shopifyReturnLinesRequested(db: Db, shop: string, period: { start: Date; end: Date }) {
  const rows = await db.shopifyReturn.findMany({
    where: { shop, requestedAt: { gte: period.start, lt: period.end } },
    select: { shopifyId: true, lines: true },
  });
  return rows.flatMap((r) => {
    try {
      const lines = JSON.parse(r.lines) as { reason?: string; quantity?: number }[];
      return lines.map((l) => ({ returnId: r.shopifyId, reason: l.reason ?? null, quantity: l.quantity ?? 0 }));
    } catch {
      return []; // A malformed mirror row has no reasons to give.
    }
  });
}

/**
 * Units of an order's line items that Shopify's returns hold (every return but a declined or
 * canceled one), by line item. Returns made before the install or in Shopify's admin have no
 * Aftercare return behind them, and their units must not be offered again.
 */
export async function unitsInShopifyReturns(db: Db, shop: string, orderShopifyId: string) {
  const rows = await db.shopifyReturn.findMany({
    where: { shop, orderShopifyId },
    select: { status: true, lines: true },
  });
  const held = new Map<string, number>();
  for (const row of rows) {
    if (["declined", "canceled"].includes(row.status.toLowerCase())) continue;
    let lines: { lineItemShopifyId?: string; quantity?: number }[];
    try {
      lines = JSON.parse(row.lines);
    } catch {
      continue; // A malformed mirror row holds nothing it can name.
    }
    for (const line of lines) {
      if (!line.lineItemShopifyId || !line.quantity) continue;
      held.set(line.lineItemShopifyId, (held.get(line.lineItemShopifyId) ?? 0) + line.quantity);
    }
  }
  return held;
}

/**
 * Shopify's return as mirrored: where it is in its life (status in lower case) and when each step
 * happened by Shopify's clock, or null when no event of it has been applied.
 */
export async function mirroredReturn(db: Db, shop: string, shopifyId: string) {
  const row = await db.shopifyReturn.findUnique({
    where: { shop_shopifyId: { shop, shopifyId } },
    select: {
      status: true,
      declineReason: true,
      declineNote: true,
      requestedAt: true,
      approvedAt: true,
      closedAt: true,
      lastEventAt: true,
    },
  });
  return row ? { ...row, status: row.status.toLowerCase() } : null;
}
