/**
 * The setup guide's hook into the rest of the app (app/areas.server.ts): its rows go with the
 * shop on shop/redact. They hold no personal data (block names, times, a dismissal), so there is
 * nothing to export or forget per customer.
 */
import { deleteShopSetupGuide } from "../../models/setup-guide.server";
import { registerPersonalDataArea } from "../compliance.server";

export function registerSetupGuide() {
  registerPersonalDataArea({
    name: "setup-guide",
    exportCustomer: async () => undefined,
    redactCustomer: async () => {},
    deleteShop: (db, shop) => deleteShopSetupGuide(db, shop),
  });
}
