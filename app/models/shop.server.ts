/**
 * What every area reads about a shop (profile, time zone, currency, install state), and the
 * install and uninstall writes. The Shop and Session tables are called only from here, the mirror
 * models and compliance.server.ts (docs/decisions/0021-one-owner-per-table.md).
 */
import type { Db } from "../db.server";

export interface ShopProfile {
  domain: string;
  name: string;
  timeZone: string;
  currencyCode: string;
  email: string | null;
}

export async function shopProfile(db: Db, shop: string): Promise<ShopProfile> {
  const row = await db.shop.findUnique({ where: { domain: shop } });
  return {
    domain: shop,
    name: row?.name ?? shop.replace(/\.myshopify\.com$/, ""),
    timeZone: row?.ianaTimezone ?? "UTC",
    currencyCode: row?.currencyCode ?? "USD",
    email: row?.email ?? null,
  };
}

/** The shop's currency, "USD" for a shop not recorded yet. */
export async function shopCurrency(db: Db, shop: string): Promise<string> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } });
  return row?.currencyCode ?? "USD";
}

/** The shop's IANA time zone as stored, or null for a shop not recorded yet. */
export async function shopTimeZone(db: Db, shop: string): Promise<string | null> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return row?.ianaTimezone ?? null;
}

/** Name, time zone and uninstall time as stored, or null for a shop not recorded yet. */
export async function shopInstallState(db: Db, shop: string) {
  return db.shop.findUnique({
    where: { domain: shop },
    select: { name: true, uninstalledAt: true, ianaTimezone: true },
  });
}

export interface ShopDetailsRecord {
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  scopes: string | null;
}

/** The shops the app is installed on now (periodic work that asks each shop's Admin API). */
export async function installedShopDomains(db: Db): Promise<string[]> {
  const rows = await db.shop.findMany({
    where: { uninstalledAt: null },
    select: { domain: true },
    orderBy: { domain: "asc" },
  });
  return rows.map((r) => r.domain);
}

/** After Shopify authorises the app: the shop's details, installed (again) now. */
export async function recordShopInstall(db: Db, shop: string, details: ShopDetailsRecord, now = new Date()) {
  const data = { ...details, uninstalledAt: null };
  await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, installedAt: now, ...data },
    update: data,
  });
}

/** app/uninstalled: the shop's sessions go, and the shop is marked uninstalled. */
export async function recordShopUninstall(db: Db, shop: string, now: Date) {
  await db.session.deleteMany({ where: { shop } });
  await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, uninstalledAt: now },
    update: { uninstalledAt: now },
  });
}

/** app/scopes_update: the scopes granted now, on the shop's sessions and the shop. */
export async function recordShopScopes(db: Db, shop: string, scopes: string) {
  await db.session.updateMany({ where: { shop }, data: { scope: scopes } });
  await db.shop.updateMany({ where: { domain: shop }, data: { scopes } });
}
