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
import { said, translator, type AdminMessageKey, type Said } from "../../locales/admin";

/** A block counts as added to the theme while its proxy requests are this recent. */
export const BLOCK_SEEN_WINDOW_MS = 30 * 86_400_000;

/** The outbox kind of the merchant's test notifications (kept apart from shoppers' emails). */
export const TEST_EMAIL_KIND = "setup_test";

export type StepAction =
  | { kind: "link"; label: string; url: string; external: boolean }
  | { kind: "post"; label: string; intent: SetupIntent };

/** A step's words as keys of the admin locale files, for the page to show in the admin's language. */
export interface StepWords {
  title: Said;
  description: Said;
  note: Said;
  action: Said;
  secondary: Said | null;
}

/** A step; its `title`, `description`, `note` and labels are its words in English. */
export interface SetupStep {
  id: string;
  words: StepWords;
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
export const THEME_BLOCKS: Record<StorefrontBlock, { handle: string; template: string; tick: AdminMessageKey }> = {
  tracking: { handle: "order-tracking", template: "page", tick: "setup.block.tickLookup" },
  returns: { handle: "returns-portal", template: "page", tick: "setup.block.tickReturn" },
  loyalty: { handle: "loyalty-widget", template: "page", tick: "setup.block.tickLoads" },
  contact: { handle: "contact", template: "page", tick: "setup.block.tickLoads" },
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

const english = translator("en");

type ImportRow = Awaited<ReturnType<typeof latestImport>>;

function historyNote(latest: ImportRow, completed: ImportRow): Said {
  if (latest && latest.status === "failed") {
    return said("setup.history.failed", { error: latest.error ?? english("setup.unknownError") });
  }
  if (latest && latest.status === "queued") return said("setup.history.queued");
  if (latest && latest.status === "details") return said("setup.history.details", { count: latest.detailsTotal ?? 0 });
  if (latest && (latest.status === "running" || latest.status === "applying")) {
    const total = latest.ordersTotal;
    return total
      ? said("setup.history.importing", { done: latest.ordersImported, count: total })
      : said("setup.history.preparing");
  }
  if (completed) {
    return said("setup.history.imported", { count: completed.ordersImported, days: completed.windowDays });
  }
  return said("setup.history.tick");
}

function testEmailNote(email: string | null, latest: { status: string; lastError: string | null } | undefined): Said {
  if (!email) return said("setup.test-email.noEmail");
  if (!latest) return said("setup.test-email.tick", { email });
  if (latest.status === "sent") return said("setup.test-email.sent", { email });
  if (latest.status === "failed" || latest.status === "retrying") {
    return said("setup.test-email.failed", { email, error: latest.lastError ?? english("setup.unknownError") });
  }
  if (latest.status === "suppressed") return said("setup.test-email.suppressed", { email });
  return said("setup.test-email.onItsWay", { email });
}

type StepAt = Omit<SetupStep, "title" | "description" | "note" | "action" | "secondary"> & {
  action: { kind: "link"; url: string; external: boolean } | { kind: "post"; intent: SetupIntent };
  secondaryUrl?: string;
};

/** A step with its words also in English (logs, API callers, tests). */
function inEnglish(step: StepAt): SetupStep {
  const { secondaryUrl, ...rest } = step;
  const say = (w: Said) => english(w.key, w.values);
  return {
    ...rest,
    title: say(step.words.title),
    description: say(step.words.description),
    note: say(step.words.note),
    action: { ...step.action, label: say(step.words.action) } as StepAction,
    secondary: step.words.secondary && secondaryUrl ? { label: say(step.words.secondary), url: secondaryUrl } : null,
  };
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
  const stepsAt: StepAt[] = [
    {
      id: "history",
      words: {
        title: said("setup.history.title"),
        description: said("setup.history.description"),
        note: historyNote(latest, completed),
        action: said("setup.history.action"),
        secondary: null,
      },
      done: completed !== null,
      action: { kind: "link", url: "/app/sync", external: false },
    },
    ...(Object.keys(THEME_BLOCKS) as StorefrontBlock[]).map((block): StepAt => ({
      id: `block-${block}`,
      words: {
        title: said(`setup.block-${block}.title`),
        description: said(`setup.block-${block}.description`),
        note: said(seen.includes(block) ? "setup.block.seen" : THEME_BLOCKS[block].tick),
        action: said("setup.block.action"),
        secondary: null,
      },
      done: seen.includes(block),
      action: { kind: "link", url: addBlockLink(shop, deps.apiKey, block), external: true },
    })),
    {
      id: "return-policy",
      words: {
        title: said("setup.return-policy.title"),
        description: said("setup.return-policy.description", {
          days: defaults.windowDays,
          tags: defaults.exclusions.tags.map((t) => `“${t}”`).join(", "),
        }),
        note: said(returnsSaved ? "setup.return-policy.saved" : "setup.return-policy.tick"),
        action: said("setup.return-policy.action"),
        secondary: said("setup.return-policy.edit"),
      },
      done: returnsSaved,
      action: { kind: "post", intent: "setup.accept-return-policy" },
      secondaryUrl: "/app/returns/policy",
    },
    {
      id: "loyalty",
      words: {
        title: said("setup.loyalty.title"),
        description: said("setup.loyalty.description", {
          count: loyaltyDefaults.pointsPerUnit,
          currency: profile.currencyCode,
          days: loyaltyDefaults.pendingDays,
        }),
        note: said(loyalty.saved ? (loyalty.enabled ? "setup.loyalty.on" : "setup.loyalty.off") : "setup.loyalty.tick"),
        action: said("setup.loyalty.action"),
        secondary: said("setup.loyalty.edit"),
      },
      done: loyalty.saved || loyalty.enabled,
      action: { kind: "post", intent: "setup.accept-loyalty" },
      secondaryUrl: "/app/loyalty",
    },
    {
      id: "business-hours",
      words: {
        title: said("setup.business-hours.title"),
        description: said("setup.business-hours.description", { zone: profile.timeZone }),
        note: said(hoursSaved ? "setup.business-hours.saved" : "setup.business-hours.tick"),
        action: said("setup.business-hours.action"),
        secondary: said("setup.business-hours.edit"),
      },
      done: hoursSaved,
      action: { kind: "post", intent: "setup.accept-business-hours" },
      secondaryUrl: "/app/contact",
    },
    {
      id: "test-email",
      words: {
        title: said("setup.test-email.title"),
        description: said("setup.test-email.description"),
        note: testEmailNote(profile.email, testEmails[0]),
        action: said("setup.test-email.action"),
        secondary: said("setup.test-email.edit"),
      },
      done: testEmails.some((n) => n.status === "sent"),
      action: { kind: "post", intent: "setup.send-test-email" },
      secondaryUrl: "/app/tracking",
    },
  ];
  const steps = stepsAt.map(inEnglish);
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

/** An action's answer: `message` in English, `said` for the page to show in the admin's language. */
export type SetupActionResult =
  { ok: true; message: string; said: Said } | { ok: false; status: 400 | 409; message: string; said: Said };

const answered = (key: AdminMessageKey, values?: Record<string, string | number>): SetupActionResult => ({
  ok: true,
  message: english(key, values),
  said: said(key, values),
});

const alreadySet = (key: AdminMessageKey): SetupActionResult => ({
  ok: false,
  status: 409,
  message: english(key),
  said: said(key),
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
      if (await returnPolicySaved(db, shop)) return alreadySet("setup.error.alreadySaved.returnPolicy");
      // Saved only while the stored policy is still the default (a save elsewhere meanwhile wins).
      const policy = await getReturnPolicy(db, shop);
      // The defaults as they are (no address yet): the policy page asks for it before its next save.
      const saved = await saveReturnPolicyFields(db, shop, DEFAULT_RETURN_POLICY, returnPolicyVersion(policy), {
        requireAddress: false,
      });
      if (!saved.ok) {
        if ("conflict" in saved) return alreadySet("setup.error.alreadySaved.returnPolicy");
        throw new Error(`The default return policy did not validate: ${saved.problems[0]?.message}`);
      }
      return answered("setup.done.returnPolicy", { days: saved.policy.windowDays });
    }
    case "setup.accept-loyalty": {
      if ((await loyaltyProgramState(db, shop)).saved) return alreadySet("setup.error.alreadySaved.loyalty");
      const current = await loadLoyaltySettings(db, shop);
      const saved = await saveLoyaltySettings(db, shop, { ...current, enabled: true });
      if (!saved.ok) throw new Error(`The default loyalty settings did not validate: ${JSON.stringify(saved.errors)}`);
      return answered("setup.done.loyalty");
    }
    case "setup.accept-business-hours": {
      if (await contactSettingsSaved(db, shop)) return alreadySet("setup.error.alreadySaved.contact");
      const saved = await updateContactSettings(db, shop, await getContactSettings(db, shop));
      if (!saved.ok) throw new Error(`The default contact settings did not validate: ${saved.errors[0]}`);
      return answered("setup.done.businessHours");
    }
    case "setup.send-test-email":
      return sendTestEmail(db, shop, now);
    case "setup.dismiss":
      await setSetupGuideDismissedAt(db, shop, now);
      return answered("setup.done.hidden");
    case "setup.show":
      await setSetupGuideDismissedAt(db, shop, null);
      return answered("setup.done.shown");
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
      message: english("setup.error.noShopEmail"),
      said: said("setup.error.noShopEmail"),
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
  return answered("setup.done.testEmail", { email: profile.email });
}
