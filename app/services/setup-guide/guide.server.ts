/**
 * The setup guide on the admin home (docs/decisions/0024-setup-guide.md): what a newly installed
 * shop still has to do, each step ticked from real state (an import that finished, a block that
 * answered a shopper, settings saved, a test email sent), never from a box the merchant ticks.
 * The guide is one set of reads in parallel, each an indexed query of the table's owner.
 */
import type { Db } from "../../db.server";
import { DEFAULT_RETURN_POLICY } from "../../domain/returns/policy";
import { DEFAULT_SETTINGS as DEFAULT_LOYALTY_SETTINGS } from "../../domain/loyalty/settings";
import { contactSettingsSaved, getContactSettings } from "../../models/contact.server";
import { lastCompletedImport, latestImport } from "../../models/history-import.server";
import { enqueueNotification, listNotifications } from "../../models/outbox.server";
import {
  blocksSeenSince,
  setSetupGuideDismissedAt,
  setupGuideDismissedAt,
  type StorefrontBlock,
} from "../../models/setup-guide.server";
import { shopProfile } from "../../models/shop.server";
import { getTrackingSettings } from "../../models/tracking.server";
import { loadLoyaltySettings, loyaltyProgramState, saveLoyaltySettings } from "../loyalty/settings.server";
import { updateContactSettings } from "../contact/settings.server";
import {
  getReturnPolicy,
  returnPolicySaved,
  returnPolicyVersion,
  saveReturnPolicyFields,
} from "../returns/policy.server";
import { previewTrackingEmail } from "../tracking/settings.server";

/** A block counts as added to the theme while its proxy requests are this recent. */
export const BLOCK_SEEN_WINDOW_MS = 30 * 86_400_000;

/** The outbox kind of the merchant's test notifications (kept apart from shoppers' emails). */
export const TEST_EMAIL_KIND = "setup_test";

export type StepAction =
  | { kind: "link"; label: string; url: string; external: boolean }
  | { kind: "post"; label: string; intent: SetupIntent };

export interface SetupStep {
  id: string;
  title: string;
  description: string;
  /** How the step ticks itself, or where it stands now (an import running, a failed email). */
  note: string;
  done: boolean;
  action: StepAction;
  secondary: { label: string; url: string } | null;
}

export interface SetupGuide {
  steps: SetupStep[];
  completed: number;
  total: number;
  dismissed: boolean;
  /** Every step done: the guide is not shown any more. */
  complete: boolean;
  /** The latest history import's status (null before the first): the home page follows one under way. */
  importStatus: string | null;
}

/**
 * Each storefront block: its file name in extensions/aftercare/blocks (the handle Shopify's deep
 * link names) and the template the theme editor opens with it added.
 */
export const THEME_BLOCKS: Record<
  StorefrontBlock,
  { handle: string; template: string; title: string; description: string; tick: string }
> = {
  tracking: {
    handle: "order-tracking",
    template: "page",
    title: "Add the order tracking block to your theme",
    description: "Shoppers look up where their order is, with the carrier's scans and an estimated delivery.",
    tick: "Ticks once a shopper (or you) looks up an order with the block.",
  },
  returns: {
    handle: "returns-portal",
    template: "page",
    title: "Add the returns block to your theme",
    description: "Shoppers start a return or an exchange themselves, within your return policy.",
    tick: "Ticks once a shopper (or you) looks up an order in the block to return it.",
  },
  loyalty: {
    handle: "loyalty-widget",
    template: "page",
    title: "Add the rewards block to your theme",
    description: "Shoppers see your program, their points and the rewards they can spend them on.",
    tick: "Ticks once the block loads on your storefront for a shopper (or you).",
  },
  contact: {
    handle: "contact",
    template: "page",
    title: "Add the contact block to your theme",
    description: "Shoppers see your channels, business hours and FAQ, and write to you; messages arrive in the Inbox.",
    tick: "Ticks once the block loads on your storefront for a shopper (or you).",
  },
};

/**
 * Shopify's documented deep link that opens the theme editor on `template` with the app block
 * added in a new Apps section: https://{shop}/admin/themes/current/editor?template=…&addAppBlockId=
 * {api_key}/{handle}&target=newAppsSection (theme app extensions, "Deep linking").
 */
export function addBlockLink(shop: string, apiKey: string, block: StorefrontBlock): string {
  const { handle, template } = THEME_BLOCKS[block];
  const query = `template=${encodeURIComponent(template)}&addAppBlockId=${encodeURIComponent(apiKey)}/${handle}`;
  return `https://${shop}/admin/themes/current/editor?${query}&target=newAppsSection`;
}

export const SETUP_INTENTS = [
  "setup.accept-return-policy",
  "setup.accept-loyalty",
  "setup.accept-business-hours",
  "setup.send-test-email",
  "setup.dismiss",
  "setup.show",
] as const;
export type SetupIntent = (typeof SETUP_INTENTS)[number];

export const isSetupIntent = (value: unknown): value is SetupIntent =>
  typeof value === "string" && (SETUP_INTENTS as ReadonlyArray<string>).includes(value);

const plural = (n: number, one: string, many = `${one}s`) =>
  `${new Intl.NumberFormat("en").format(n)} ${n === 1 ? one : many}`;

type ImportRow = Awaited<ReturnType<typeof latestImport>>;

function historyNote(latest: ImportRow, completed: ImportRow): string {
  if (latest && latest.status === "failed") {
    return `The last import stopped: ${latest.error ?? "unknown error"}. Retry it on the Sync page.`;
  }
  if (latest && latest.status === "queued") return "The import is queued and starts in a moment.";
  if (latest && latest.status === "details") {
    const orders = plural(latest.detailsTotal ?? 0, "past order");
    return `Importing now: reading the shipments, refunds and returns of ${orders}.`;
  }
  if (latest && (latest.status === "running" || latest.status === "applying")) {
    const total = latest.ordersTotal;
    return total
      ? `Importing now: ${new Intl.NumberFormat("en").format(latest.ordersImported)} of ${plural(total, "order")}.`
      : "Importing now: Shopify is preparing the orders.";
  }
  if (completed) {
    const window = plural(completed.windowDays, "day");
    return `Imported ${plural(completed.ordersImported, "order")} from the last ${window}.`;
  }
  return "Ticks once an import of your past orders has finished.";
}

function testEmailNote(email: string | null, latest: { status: string; lastError: string | null } | undefined) {
  if (!email) return "Your shop has no email address on record yet: add one in Shopify's store settings first.";
  if (!latest) return `Sends the Shipped email with sample data to ${email}. Ticks once it has been sent.`;
  if (latest.status === "sent") return `Sent to ${email}. Check your inbox.`;
  if (latest.status === "failed" || latest.status === "retrying") {
    return `The last test email to ${email} was not sent: ${latest.lastError ?? "unknown error"}.`;
  }
  if (latest.status === "suppressed") return `${email} unsubscribed from these emails, so nothing was sent.`;
  return `On its way to ${email}: emails leave the outbox within a minute.`;
}

/** The guide for `shop` as things stand at `now`. */
export async function loadSetupGuide(deps: { db: Db; apiKey: string }, shop: string, now: Date): Promise<SetupGuide> {
  const { db } = deps;
  const [latest, completed, seen, returnsSaved, loyalty, hoursSaved, testEmails, profile, dismissedAt] =
    await Promise.all([
      latestImport(db, shop),
      lastCompletedImport(db, shop),
      blocksSeenSince(db, shop, new Date(now.getTime() - BLOCK_SEEN_WINDOW_MS)),
      returnPolicySaved(db, shop),
      loyaltyProgramState(db, shop),
      contactSettingsSaved(db, shop),
      listNotifications(db, shop, { kind: TEST_EMAIL_KIND, take: 5 }),
      shopProfile(db, shop),
      setupGuideDismissedAt(db, shop),
    ]);

  const defaults = DEFAULT_RETURN_POLICY;
  const loyaltyDefaults = DEFAULT_LOYALTY_SETTINGS;
  const steps: SetupStep[] = [
    {
      id: "history",
      title: "Import your order history",
      description:
        "Shoppers can then track and return orders placed before you installed Aftercare, and the dashboard " +
        "starts with your past orders.",
      note: historyNote(latest, completed),
      done: completed !== null,
      action: { kind: "link", label: "Open Sync", url: "/app/sync", external: false },
      secondary: null,
    },
    ...(Object.keys(THEME_BLOCKS) as StorefrontBlock[]).map((block): SetupStep => ({
      id: `block-${block}`,
      title: THEME_BLOCKS[block].title,
      description:
        `${THEME_BLOCKS[block].description} Opens the theme editor with the block added to your page ` +
        "template; save the theme there.",
      note: seen.includes(block) ? "Seen at work on your storefront." : THEME_BLOCKS[block].tick,
      done: seen.includes(block),
      action: { kind: "link", label: "Add to theme", url: addBlockLink(shop, deps.apiKey, block), external: true },
      secondary: null,
    })),
    {
      id: "return-policy",
      title: "Set your return policy",
      description:
        `The default: returns within ${defaults.windowDays} days, items tagged ` +
        `${defaults.exclusions.tags.map((t) => `“${t}”`).join(", ")} excluded, for the reasons shoppers give most.`,
      note: returnsSaved
        ? "Your return policy is saved."
        : "Ticks once the policy is saved, with the default or yours.",
      done: returnsSaved,
      action: { kind: "post", label: "Use the default policy", intent: "setup.accept-return-policy" },
      secondary: { label: "Edit policy", url: "/app/returns/policy" },
    },
    {
      id: "loyalty",
      title: "Turn on your loyalty program",
      description:
        `The default: ${plural(loyaltyDefaults.pointsPerUnit, "point")} for every ${profile.currencyCode} 1 spent, ` +
        `usable ${plural(loyaltyDefaults.pendingDays, "day")} after the order (once the return window has passed).`,
      note: loyalty.saved
        ? `Your program is ${loyalty.enabled ? "on" : "set up and off"}.`
        : "Ticks once the program is turned on or its settings are saved.",
      done: loyalty.saved || loyalty.enabled,
      action: { kind: "post", label: "Turn on with the defaults", intent: "setup.accept-loyalty" },
      secondary: { label: "Edit program", url: "/app/loyalty" },
    },
    {
      id: "business-hours",
      title: "Set your business hours",
      description:
        `The default: Monday to Friday, 09:00 to 17:00 (${profile.timeZone}). The contact block shows them and ` +
        "reply-time promises count only open hours.",
      note: hoursSaved ? "Your contact settings are saved." : "Ticks once the contact settings are saved.",
      done: hoursSaved,
      action: { kind: "post", label: "Use these hours", intent: "setup.accept-business-hours" },
      secondary: { label: "Edit hours", url: "/app/contact" },
    },
    {
      id: "test-email",
      title: "Send yourself a test notification",
      description: "See the email shoppers get when their order ships, sent through the same outbox as theirs.",
      note: testEmailNote(profile.email, testEmails[0]),
      done: testEmails.some((n) => n.status === "sent"),
      action: { kind: "post", label: "Send test email", intent: "setup.send-test-email" },
      secondary: { label: "Edit emails", url: "/app/tracking" },
    },
  ];
  const done = steps.filter((s) => s.done).length;
  return {
    steps,
    completed: done,
    total: steps.length,
    dismissed: dismissedAt !== null,
    complete: done === steps.length,
    importStatus: latest?.status ?? null,
  };
}

export type SetupActionResult = { ok: true; message: string } | { ok: false; status: 400 | 409; message: string };

const alreadySet = (what: string, page: string): SetupActionResult => ({
  ok: false,
  status: 409,
  message: `Your ${what} was already saved, so the default did not replace it. Change it on the ${page} page.`,
});

/** The home page's setup actions. Defaults are saved through each area's own service. */
export async function runSetupAction(
  deps: { db: Db },
  shop: string,
  intent: SetupIntent,
  now: Date,
): Promise<SetupActionResult> {
  const { db } = deps;
  switch (intent) {
    case "setup.accept-return-policy": {
      if (await returnPolicySaved(db, shop)) return alreadySet("return policy", "Return policy");
      // Saved only while the stored policy is still the default (a save elsewhere meanwhile wins).
      const policy = await getReturnPolicy(db, shop);
      const saved = await saveReturnPolicyFields(db, shop, DEFAULT_RETURN_POLICY, returnPolicyVersion(policy));
      if (!saved.ok) {
        if ("conflict" in saved) return alreadySet("return policy", "Return policy");
        throw new Error(`The default return policy did not validate: ${saved.problems[0]?.message}`);
      }
      return { ok: true, message: `Return policy saved: returns within ${saved.policy.windowDays} days` };
    }
    case "setup.accept-loyalty": {
      if ((await loyaltyProgramState(db, shop)).saved) return alreadySet("loyalty program", "Loyalty");
      const current = await loadLoyaltySettings(db, shop);
      const saved = await saveLoyaltySettings(db, shop, { ...current, enabled: true });
      if (!saved.ok) throw new Error(`The default loyalty settings did not validate: ${JSON.stringify(saved.errors)}`);
      return { ok: true, message: "Loyalty program turned on" };
    }
    case "setup.accept-business-hours": {
      if (await contactSettingsSaved(db, shop)) return alreadySet("contact settings", "Contact settings");
      const saved = await updateContactSettings(db, shop, await getContactSettings(db, shop));
      if (!saved.ok) throw new Error(`The default contact settings did not validate: ${saved.errors[0]}`);
      return { ok: true, message: "Business hours saved: Monday to Friday, 09:00 to 17:00" };
    }
    case "setup.send-test-email":
      return sendTestEmail(db, shop, now);
    case "setup.dismiss":
      await setSetupGuideDismissedAt(db, shop, now);
      return { ok: true, message: "Setup guide hidden" };
    case "setup.show":
      await setSetupGuideDismissedAt(db, shop, null);
      return { ok: true, message: "Setup guide shown" };
  }
}

/**
 * The Shipped email, with this shop's newest shipment or plainly labelled example values (the same
 * preview the Tracking page shows), put in the outbox for the shop's own address. One a minute:
 * a second click within the same minute finds the outbox row and sends nothing more.
 */
export async function sendTestEmail(db: Db, shop: string, now: Date): Promise<SetupActionResult> {
  const [profile, settings] = await Promise.all([shopProfile(db, shop), getTrackingSettings(db, shop)]);
  if (!profile.email) {
    return {
      ok: false,
      status: 409,
      message: "Your shop has no email address on record. Add one in Shopify's store settings, then try again.",
    };
  }
  const language = settings.notifications.defaultLanguage;
  const email = await previewTrackingEmail(db, shop, { settings, language, milestone: "shipped" });
  await enqueueNotification(
    db,
    {
      shop,
      kind: TEST_EMAIL_KIND,
      subjectId: shop,
      milestone: `test-${now.toISOString().slice(0, 16)}`,
      recipient: profile.email,
      locale: language,
      subject: `[Test] ${email.subject}`,
      bodyHtml: email.html,
      bodyText: email.text,
      fromName: profile.name,
    },
    now,
  );
  return { ok: true, message: `Test email on its way to ${profile.email}` };
}
