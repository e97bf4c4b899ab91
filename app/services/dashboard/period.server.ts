import { db } from "../../db.server";
import { addDays, isCivilDate, localDate } from "../../domain/tracking/calendar";
import { shopProfile } from "../../models/shop.server";

/** The dashboard's period from ?from=&to= (civil dates in the shop's time zone); the last 30 days by default. */
export async function periodFromQuery(
  request: Request,
  shop: string,
): Promise<{ from: string; to: string } | { error: string }> {
  const url = new URL(request.url);
  const profile = await shopProfile(db(), shop);
  const today = localDate(new Date(), profile.timeZone);
  const to = url.searchParams.get("to") || today;
  const from = url.searchParams.get("from") || addDays(to, -29);
  if (!isCivilDate(from) || !isCivilDate(to)) return { error: "Dates must be YYYY-MM-DD." };
  if (to < from) return { error: "The period must end on or after its first day." };
  if (addDays(from, 366) <= to) return { error: "Pick a period of at most a year." };
  return { from, to };
}
