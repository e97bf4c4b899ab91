/**
 * A shop's return policy: read with defaults. The admin edits it on two pages, the Return policy
 * page (everything but the emails) and the Emails tab (the emails); each saves only its own part,
 * over what is stored at that moment, and only if that part is still as the page showed it.
 */
import { createHash } from "node:crypto";

import { z } from "zod";

import type { Db } from "../../db.server";
import {
  DEFAULT_RETURN_POLICY,
  LANGUAGES,
  policySchema,
  readPolicy,
  validatePolicy,
  type Language,
  type PolicyProblem,
  type ReturnPolicy,
} from "../../domain/returns/policy";
import { normaliseReturnTemplates, RETURN_EMAILS } from "../../domain/returns/email-templates";
import { TemplateError, templateProblem } from "../email-render.server";
import { said, type AdminMessageKey, type Said } from "../../locales/admin";
import { liquidSaid } from "../../locales/admin/liquid";
import { fieldProblem, problemsFromZod } from "../../locales/admin/problems";
import type { AdminClient } from "../../shopify/admin.server";
import { AppDataMetafieldsSet, CurrentAppInstallation } from "../../shopify/operations/returns";

import { previewReturnEmail } from "./notifications.server";

export async function getReturnPolicy(db: Db, shop: string): Promise<ReturnPolicy> {
  const row = await db.returnSettings.findUnique({ where: { shop } });
  return readPolicy(row?.settings);
}

/**
 * Where the theme's Returns block reads whether to offer the order-number-and-email lookup: an
 * app-data metafield (on the app's installation), which app blocks read in Liquid as
 * `app.metafields.aftercare.returns_order_lookup.value`. A shop that never saved it reads nothing,
 * which the block takes as off, like the policy's default.
 */
export const STOREFRONT_LOOKUP_METAFIELD = { namespace: "aftercare", key: "returns_order_lookup" } as const;

/**
 * Tells the storefront whether the Returns block offers the lookup. The policy (database) is what
 * the app proxy enforces; this only decides what the block renders, so a failure here leaves a
 * block that shows one way in while the proxy answers for the other, never a lookup the merchant
 * turned off (the proxy refuses it with sign_in_required).
 */
export async function publishStorefrontLookup(admin: AdminClient, on: boolean): Promise<void> {
  const { currentAppInstallation } = await admin.request(CurrentAppInstallation);
  await admin.mutate(AppDataMetafieldsSet, (d) => d.metafieldsSet, {
    metafields: [
      { ownerId: currentAppInstallation.id, ...STOREFRONT_LOOKUP_METAFIELD, type: "boolean", value: String(on) },
    ],
  });
}

/** Whether the shop's policy was saved at least once (either page, or the setup guide's default). */
export async function returnPolicySaved(db: Db, shop: string): Promise<boolean> {
  return (await db.returnSettings.count({ where: { shop } })) > 0;
}

export type SavePolicyResult = { ok: true; policy: ReturnPolicy } | { ok: false; problems: PolicyProblem[] };

/**
 * The whole policy, templates included, written over what is stored (set-up and tests; the admin pages save their own
 * part).
 */
export async function saveReturnPolicy(db: Db, shop: string, input: unknown): Promise<SavePolicyResult> {
  const checked = validatePolicy(input);
  if (!checked.ok) return checked;
  const problems: PolicyProblem[] = [];
  for (const [language, emails] of Object.entries(checked.policy.notifications.templates)) {
    for (const [milestone, template] of Object.entries(emails)) {
      for (const part of ["subject", "body"] as const) {
        const problem = templateProblem(template[part]);
        if (problem)
          problems.push({
            path: `notifications.templates.${language}.${milestone}.${part}`,
            message: `Email “${milestone}” (${language}) ${part}: the Liquid does not parse (${problem})`,
          });
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  const settings = JSON.stringify(checked.policy);
  await db.returnSettings.upsert({ where: { shop }, create: { shop, settings }, update: { settings } });
  return { ok: true, policy: checked.policy };
}

/** JSON with object keys sorted, so the same settings always give the same version. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
const versionOf = (part: unknown) => createHash("sha256").update(canonical(part)).digest("base64url").slice(0, 22);

/**
 * Versions of each page's part of the policy, for optimistic concurrency: a page is loaded with
 * one and posts it back, and its save is refused if its part has changed since. A hash of the
 * part, not the row's updatedAt, so a save on the other page does not make this one stale.
 */
export const returnPolicyVersion = ({ notifications: _emails, ...rest }: ReturnPolicy) => versionOf(rest);
export const returnEmailsVersion = (policy: ReturnPolicy) => versionOf(policy.notifications);

export const STALE_SETTINGS_MESSAGE =
  "Someone else changed these settings since you opened this page. Reload to see their changes, then make yours again.";

/** 409: the part was changed by someone else since the page was loaded; nothing was saved. */
export interface SaveConflict {
  ok: false;
  conflict: true;
  problems: PolicyProblem[];
}
const conflict = (): SaveConflict => ({
  ok: false,
  conflict: true,
  problems: [{ path: "", message: STALE_SETTINGS_MESSAGE }],
});

/**
 * null: the caller sent no version (a page loaded before versions existed); its part is saved
 * without the check, still over what is stored now.
 */
type ExpectedVersion = string | null;

/** How often a save reads again after another save changed the row between its read and its write. */
const SAVE_ATTEMPTS = 5;

/**
 * Writes `replace(stored)` in place of the stored policy, in one transaction, unless the part
 * `version` reads has changed from `expected`. On SQLite the transaction holds the write lock from
 * its start (db.server.ts), so nothing gets in between. On PostgreSQL (read committed) another
 * transaction can write the row after this one read it, so the write only happens if the row is
 * still as read; if not, the whole thing runs again on what is stored now. As in cases.server.ts,
 * nothing inside the transaction throws on a lost race, and it writes nothing when it refuses.
 */
async function replaceStoredPart(
  db: Db,
  shop: string,
  version: (p: ReturnPolicy) => string,
  expected: ExpectedVersion,
  replace: (stored: ReturnPolicy) => ReturnPolicy,
): Promise<{ ok: true; policy: ReturnPolicy } | SaveConflict> {
  for (let attempt = 1; ; attempt++) {
    // The row exists before the transaction, so concurrent saves only ever update it: two
    // first saves cannot both insert. Stored defaults read back as the defaults (readPolicy).
    if (!(await db.returnSettings.findUnique({ where: { shop }, select: { shop: true } }))) {
      try {
        await db.returnSettings.create({ data: { shop, settings: JSON.stringify(DEFAULT_RETURN_POLICY) } });
      } catch (error) {
        if ((error as { code?: string }).code !== "P2002") throw error;
      }
    }
    const outcome = await db.$transaction(async (tx) => {
      const row = await tx.returnSettings.findUnique({ where: { shop }, select: { settings: true } });
      if (!row) return "lost" as const; // removed meanwhile (the shop's data was erased)
      const stored = readPolicy(row.settings);
      if (expected !== null && version(stored) !== expected) return conflict();
      const next = replace(stored);
      const { count } = await tx.returnSettings.updateMany({
        where: { shop, settings: row.settings },
        data: { settings: JSON.stringify(next) },
      });
      return count === 1 ? { ok: true as const, policy: next } : ("lost" as const);
    });
    if (outcome !== "lost") return outcome;
    if (attempt >= SAVE_ATTEMPTS)
      throw new Error(`The return policy of ${shop} kept changing while it was being saved`);
  }
}

export type SavePolicyFieldsResult =
  { ok: true; policy: ReturnPolicy; version: string } | { ok: false; problems: PolicyProblem[] } | SaveConflict;

/**
 * The Return policy page's save: everything but the emails, validated (400 with every problem),
 * then written over the stored policy, whose emails stay as they are stored now, whatever copy of
 * them the page holds. `expected` is the returnPolicyVersion the page was loaded with.
 */
export async function saveReturnPolicyFields(
  db: Db,
  shop: string,
  input: unknown,
  expected: ExpectedVersion,
  /** The policy page asks for a return address while returns are on; the setup guide's one-click defaults do not. */
  options: { requireAddress?: boolean } = { requireAddress: true },
): Promise<SavePolicyFieldsResult> {
  // A page that cannot be saved anyway is told so first, rather than asked to fix its fields.
  // Checked again in the transaction; this only spares the merchant wasted work.
  if (expected !== null && returnPolicyVersion(await getReturnPolicy(db, shop)) !== expected) return conflict();
  // The emails are not this page's to change; any valid value stands in for them while the rest is checked.
  const checked = validatePolicy(
    input && typeof input === "object" ? { ...input, notifications: DEFAULT_RETURN_POLICY.notifications } : input,
    { requireAddress: options.requireAddress !== false },
  );
  if (!checked.ok) return checked;
  const saved = await replaceStoredPart(db, shop, returnPolicyVersion, expected, (stored) => ({
    ...checked.policy,
    notifications: stored.notifications,
  }));
  return saved.ok ? { ...saved, version: returnPolicyVersion(saved.policy) } : saved;
}

export type ReturnEmailSettings = ReturnPolicy["notifications"];
export type SaveEmailsResult =
  | { ok: true; notifications: ReturnEmailSettings; version: string }
  | { ok: false; problems: PolicyProblem[] }
  | SaveConflict;

/** Where a problem is, in the words of the emails tab: the email, its language and the part. */
function place(language: string, email: string, part?: string | null): Record<string, Said> {
  return {
    email: said(
      (RETURN_EMAILS as ReadonlyArray<string>).includes(email)
        ? (`returnEmail.${email}` as AdminMessageKey)
        : "field.thisField",
    ),
    language: said(
      (LANGUAGES as ReadonlyArray<string>).includes(language)
        ? (`language.${language}` as AdminMessageKey)
        : "field.thisField",
    ),
    ...(part ? { part: said(part === "subject" ? "returnEmails.part.subject" : "returnEmails.part.body") } : {}),
  };
}

/**
 * The return emails from their own tab: on or off, and the merchant's wording. Each template is
 * parsed and then rendered with example values, so one that could not make an email is refused
 * with where and why, rather than failing later when a shopper's email is due. The rest of the
 * policy is kept as it is stored when the emails are written. `expected` is the
 * returnEmailsVersion the tab was loaded with (null: not checked).
 */
export async function saveReturnEmails(
  db: Db,
  shop: string,
  input: unknown,
  expected: ExpectedVersion = null,
): Promise<SaveEmailsResult> {
  // The policy as it is now: to tell a stale tab so before its templates are checked, and for the
  // example values (instructions, return address) the templates are rendered with.
  const policy = await getReturnPolicy(db, shop);
  if (expected !== null && returnEmailsVersion(policy) !== expected) return conflict();
  const parsed = policySchema.shape.notifications.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const [, language, email, part] = i.path.map(String);
        const path = `notifications.${i.path.join(".")}`;
        if (!email) return fieldProblem(path, "returnEmails.unreadable");
        const [own] = problemsFromZod(new z.ZodError([{ ...i, path: ["notifications", part ?? "body"] }]), "returns");
        return fieldProblem(path, "returnEmails.problem.invalid", {
          ...place(language, email, part ?? "body"),
          problem: { key: own.key, values: { ...own.values, field: said(own.field ?? "field.thisField") } },
        });
      }),
    };
  }
  const { templates, issues } = normaliseReturnTemplates(parsed.data.templates);
  const problems: PolicyProblem[] = issues.map((i) =>
    i.part
      ? fieldProblem(i.path, "returnEmails.problem.empty", place(i.language, i.email, i.part))
      : fieldProblem(i.path, "returnEmails.problem.unknownEmail", { email: i.email, language: i.language }),
  );
  for (const [language, emails] of Object.entries(templates)) {
    for (const [email, template] of Object.entries(emails)) {
      const unparsed = (["subject", "body"] as const).flatMap((part) => {
        const problem = templateProblem(template[part]);
        return problem
          ? [
              fieldProblem(`notifications.templates.${language}.${email}.${part}`, "returnEmails.problem.unparsed", {
                ...place(language, email, part),
                problem: liquidSaid(problem),
              }),
            ]
          : [];
      });
      problems.push(...unparsed);
      if (unparsed.length) continue;
      try {
        await previewReturnEmail(db, shop, { policy, template, language: language as Language });
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        problems.push(
          fieldProblem(`notifications.templates.${language}.${email}`, "returnEmails.problem.unrendered", {
            ...place(language, email),
            problem: liquidSaid(error.message),
          }),
        );
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  // Rendering the emails (above) reads through the outer client, so it must stay outside the
  // transaction: on SQLite those reads would wait for the transaction's lock, and it for them.
  const saved = await replaceStoredPart(db, shop, returnEmailsVersion, expected, (stored) => ({
    ...stored,
    notifications: { enabled: parsed.data.enabled, templates },
  }));
  return saved.ok
    ? { ok: true, notifications: saved.policy.notifications, version: returnEmailsVersion(saved.policy) }
    : saved;
}
