/**
 * The history import's hooks into the rest of the app (app/areas.server.ts): the
 * bulk_operations/finish listener, the periodic task that moves unfinished imports on when that
 * webhook is missed (and starts the ones an install queued), and the shop's imports on shop/redact.
 */
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { onWebhook, type WebhookContext } from "../../webhooks/handlers.server";
import { deleteShopImports, importForBulkOperation, unfinishedImports } from "../../models/history-import.server";
import type { Db } from "../../db.server";
import { registerPersonalDataArea } from "../compliance.server";

import { nudgeImport, offlineClient, type ClientForShop } from "./background.server";

/** bulk_operations/finish: the import whose bulk query it was moves on (its file is applied). */
export async function onBulkOperationFinish(ctx: WebhookContext, clientFor: ClientForShop = offlineClient) {
  const id = typeof ctx.payload?.admin_graphql_api_id === "string" ? ctx.payload.admin_graphql_api_id : null;
  if (!id) return;
  const row = await importForBulkOperation(ctx.db, ctx.shop, id);
  // Another app feature's bulk query, or an import the shop has since erased: nothing to do.
  if (!row) return;
  nudgeImport({ db: ctx.db, shop: ctx.shop, id: row.id }, clientFor);
}

/** The fallback: every unfinished import is moved on (each in the background); returns how many. */
export async function advanceUnfinishedImports(db: Db, clientFor: ClientForShop = offlineClient) {
  const rows = await unfinishedImports(db);
  for (const row of rows) nudgeImport({ db, shop: row.shop, id: row.id }, clientFor);
  return rows.length;
}

let registered = false;

/** `clientFor`: how a shop's Admin API is reached outside a request (tests pass the sandbox's). */
export function registerHistoryImport(options: { clientFor?: ClientForShop } = {}) {
  if (registered) return;
  registered = true;
  const clientFor = options.clientFor ?? offlineClient;
  onWebhook("bulk_operations/finish", (ctx) => onBulkOperationFinish(ctx, clientFor));

  registerPeriodicTask({
    name: "history-import.advance",
    everyMs: 30_000,
    leaseMs: 5 * 60_000,
    run: ({ db }) => advanceUnfinishedImports(db, clientFor),
  });

  registerPersonalDataArea({
    name: "history-import",
    // The imports hold no personal data (counts, a window, Shopify's file URL): nothing per customer.
    exportCustomer: async () => undefined,
    redactCustomer: async () => {},
    deleteShop: (db, shop) => deleteShopImports(db, shop),
  });
}
