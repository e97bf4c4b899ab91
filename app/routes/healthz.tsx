import { db } from "../db.server";
import { oldestBacklogAt } from "../models/webhook-inbox.server";

/** Seconds the oldest unfinished webhook event may wait before the health check says the workers lag. */
export const BACKLOG_ALERT_SECONDS = 300;

/**
 * Ready when the database answers. Also says how long the oldest webhook event not yet run to the
 * end has waited (header X-Aftercare-Backlog-Age, seconds, and the body); past the threshold
 * (`?maxBacklogSeconds=`, 300 by default) the body says so, and `?backlog=strict` answers 503, so a
 * deployment can alert and add workers without taking a web process that records fine out of
 * rotation (docs/decisions/0030-keeping-up-at-peak.md).
 */
export async function loader({ request }: { request: Request }) {
  const params = new URL(request.url).searchParams;
  const given = params.get("maxBacklogSeconds");
  const threshold = given === null ? BACKLOG_ALERT_SECONDS : Number(given);
  const headers = { "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8" };
  if (!Number.isFinite(threshold) || threshold <= 0) {
    return new Response("maxBacklogSeconds must be a number of seconds above 0", { status: 400, headers });
  }
  let oldest: Date | null;
  try {
    oldest = await oldestBacklogAt(db());
  } catch {
    return new Response("database unavailable", { status: 503, headers });
  }
  const age = oldest ? Math.max(0, Math.round((Date.now() - oldest.getTime()) / 1000)) : 0;
  const behind = age > threshold;
  const body = behind
    ? `ok; backlog behind: the oldest webhook event has waited ${age} s, over ${threshold} s (add workers)`
    : "ok";
  const status = behind && params.get("backlog") === "strict" ? 503 : 200;
  return new Response(body, { status, headers: { ...headers, "X-Aftercare-Backlog-Age": String(age) } });
}
