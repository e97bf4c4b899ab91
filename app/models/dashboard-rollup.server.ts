/**
 * The dashboard's daily rollup (docs/decisions/0028): per shop and day of its calendar, the counts
 * behind the return rate (orders placed, and of them returned) and the WISMO deflection (orders
 * shipped, and of them answered without asking). The counting is services/dashboard/rollup.server.ts's;
 * this module only keeps the rows.
 */
import type { Db } from "../db.server";

import { asNumber, queryRows, sql } from "./raw-sql.server";

export interface DayCounts {
  placed: number;
  returned: number;
  shipped: number;
  deflected: number;
}

export interface RollupState {
  timeZone: string;
  countedTo: Date;
  fullAt: Date;
}

export async function rollupState(db: Db, shop: string): Promise<RollupState | null> {
  const row = await db.dashboardRollupState.findUnique({ where: { shop } });
  return row ? { timeZone: row.timeZone, countedTo: row.countedTo, fullAt: row.fullAt } : null;
}

/** The sums over the days from `from` to `to` (YYYY-MM-DD, both included), from the primary key. */
export async function sumDays(db: Db, shop: string, from: string, to: string): Promise<DayCounts> {
  const [row] = await queryRows<Record<keyof DayCounts, unknown>>(
    db,
    sql`SELECT SUM("placed") AS "placed", SUM("returned") AS "returned", SUM("shipped") AS "shipped",
        SUM("deflected") AS "deflected"
      FROM "DashboardDay" WHERE "shop" = ${shop} AND "day" >= ${from} AND "day" <= ${to}`,
  );
  return {
    placed: asNumber(row?.placed),
    returned: asNumber(row?.returned),
    shipped: asNumber(row?.shipped),
    deflected: asNumber(row?.deflected),
  };
}

/**
 * Writes the counted days and the state in one transaction. `replaceAll` (a full recount) first
 * removes every day of the shop, so a day with nothing left (an order moved to another day when
 * the zone changed) does not linger.
 */
export async function saveDays(
  db: Db,
  shop: string,
  days: ReadonlyArray<{ day: string } & DayCounts>,
  state: RollupState,
  replaceAll: boolean,
) {
  await db.$transaction(async (tx) => {
    if (replaceAll) await tx.dashboardDay.deleteMany({ where: { shop } });
    for (const d of days) {
      const counts = { placed: d.placed, returned: d.returned, shipped: d.shipped, deflected: d.deflected };
      await tx.dashboardDay.upsert({
        where: { shop_day: { shop, day: d.day } },
        create: { shop, day: d.day, ...counts },
        update: counts,
      });
    }
    await tx.dashboardRollupState.upsert({ where: { shop }, create: { shop, ...state }, update: state });
  });
}

/** Installed shops (not uninstalled) with their time zone: the periodic pass's work list. */
export async function shopsToRollUp(db: Db): Promise<{ shop: string; timeZone: string }[]> {
  const rows = await db.shop.findMany({
    where: { uninstalledAt: null },
    select: { domain: true, ianaTimezone: true },
    orderBy: { domain: "asc" },
  });
  return rows.map((r) => ({ shop: r.domain, timeZone: r.ianaTimezone }));
}

export async function deleteShopRollup(db: Db, shop: string) {
  await db.dashboardDay.deleteMany({ where: { shop } });
  await db.dashboardRollupState.deleteMany({ where: { shop } });
}
