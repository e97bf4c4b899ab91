/**
 * The loyalty member's standing beside a request in the inbox (read-only): tier and points, so
 * the merchant sees a valued customer at a glance. Reads the loyalty area's member row by the
 * Shopify customer, else by the guest email the loyalty program keys members on.
 */
import type { Db } from "../../db.server";
import { customerKey, emailKey, membersByKeys } from "../loyalty/members.server";
import { loadLoyaltySettings } from "../loyalty/settings.server";

import type { ContextFact, InboxContextProvider } from "./context.server";

export const loyaltyInboxContext: InboxContextProvider = {
  name: "loyalty",
  async facts(db: Db, shop, subject): Promise<ContextFact[]> {
    const keys = [
      subject.customerShopifyId ? customerKey(subject.customerShopifyId) : null,
      subject.email ? emailKey(subject.email) : null,
    ].filter((k): k is string => k !== null);
    if (!keys.length) return [];
    const members = await membersByKeys(db, shop, keys);
    // The customer account's membership wins over a guest one.
    const member = keys.map((k) => members.find((m) => m.key === k)).find(Boolean);
    if (!member) return [];
    const settings = await loadLoyaltySettings(db, shop);
    if (!settings.enabled) return [];
    const tier = member.tierKey ? settings.tiers.find((t) => t.key === member.tierKey) : null;
    return [
      { label: "Loyalty tier", value: tier?.name ?? "Member", tone: tier ? "success" : "info" },
      { label: "Points", value: new Intl.NumberFormat("en").format(member.points) },
    ];
  },
};
