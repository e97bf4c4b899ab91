/**
 * Moving history imports on without making anyone wait: the finish webhook and the periodic task
 * move imports on this way (app/services/history-import/
 * register.server.ts).
 */
import type { Db } from "../../db.server";
import type { GraphqlFn } from "../../shopify/admin.server";

import { advanceHistoryImport, type HistoryImportDeps } from "./import.server";

/**
 * Shopify for a shop outside a request: the Admin API through its offline session, and the bulk
 * result's URL read with fetch (tests and the bench answer both from the sandbox in-process).
 */
export type ClientForShop = (shop: string) => Promise<Pick<HistoryImportDeps, "graphql" | "fetchResult">>;

export const offlineClient: ClientForShop = async (shop) => {
  // Imported when first needed: the job thread and the worker load this module with every area.
  const { unauthenticated } = await import("../../shopify.server");
  const { admin } = await unauthenticated.admin(shop);
  return { graphql: admin.graphql as unknown as GraphqlFn };
};

const log = (message: string, error?: unknown) => console.error(`[history-import] ${message}`, error ?? "");

/** Imports this process is moving on right now: a second nudge for one of them waits for the first. */
const inFlight = new Map<string, Promise<string>>();

/**
 * Moves one import on in the background (asking Shopify, then applying its file, which can take a
 * minute for a large shop): the caller (a webhook job, the periodic task, an install) does not wait.
 * Whatever goes wrong is written on the import by advanceHistoryImport; anything else is logged.
 */
export function nudgeImport(
  input: { db: Db; shop: string; id: string; graphql?: GraphqlFn },
  clientFor: ClientForShop = offlineClient,
): Promise<string> {
  const running = inFlight.get(input.id);
  if (running) return running;
  const work = (async () => {
    const shopify = input.graphql ? { graphql: input.graphql } : await clientFor(input.shop);
    return advanceHistoryImport({ db: input.db, ...shopify }, input.shop, input.id);
  })()
    .catch((error) => {
      log(`import ${input.id} of ${input.shop} could not move on`, error);
      return "error";
    })
    .finally(() => inFlight.delete(input.id));
  inFlight.set(input.id, work);
  return work;
}

/** Resolves when every import this process is moving on has stopped (tests, shutdown). */
export async function settleImports() {
  while (inFlight.size > 0) await Promise.all(inFlight.values());
}
