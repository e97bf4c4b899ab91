/**
 * The dashboard's own machinery: the periodic pass that keeps its daily rollup (rollup.server.ts),
 * and the rollup's rows in what a shop's erasure deletes (they hold counts, no personal data).
 */
import { registerPeriodicTask } from "../../jobs/scheduler.server";
import { deleteShopRollup } from "../../models/dashboard-rollup.server";
import { registerPersonalDataArea } from "../compliance.server";

import { refreshRollups, ROLLUP_EVERY_MS } from "./rollup.server";

let registered = false;

export function registerDashboard() {
  if (registered) return;
  registered = true;
  registerPeriodicTask({
    name: "dashboard.rollup",
    everyMs: ROLLUP_EVERY_MS,
    leaseMs: 30 * 60_000,
    run: ({ db, now }) => refreshRollups(db, now),
  });
  registerPersonalDataArea({
    name: "dashboard",
    exportCustomer: async () => undefined,
    redactCustomer: async () => {},
    deleteShop: deleteShopRollup,
  });
}
