import { db } from "../db.server";

/** Ready when the database answers. */
export async function loader() {
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return new Response("ok", { headers: { "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
