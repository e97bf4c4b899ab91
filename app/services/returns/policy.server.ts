/** A shop's return policy: read with defaults, saved whole after validation (templates included). */
import type { Db } from "../../db.server";
import { policySchema, readPolicy, validatePolicy, type Language, type PolicyProblem, type ReturnPolicy } from "../../domain/returns/policy";
import { normaliseReturnTemplates, RETURN_EMAIL_LABELS, type ReturnEmail } from "../../domain/returns/email-templates";
import { TemplateError, templateProblem } from "../email-render.server";
import { previewReturnEmail } from "./notifications.server";

export async function getReturnPolicy(db: Db, shop: string): Promise<ReturnPolicy> {
  const row = await db.returnSettings.findUnique({ where: { shop } });
  return readPolicy(row?.settings);
}

export type SavePolicyResult = { ok: true; policy: ReturnPolicy } | { ok: false; problems: PolicyProblem[] };

export async function saveReturnPolicy(db: Db, shop: string, input: unknown): Promise<SavePolicyResult> {
  const checked = validatePolicy(input);
  if (!checked.ok) return checked;
  const problems: PolicyProblem[] = [];
  for (const [language, emails] of Object.entries(checked.policy.notifications.templates)) {
    for (const [milestone, template] of Object.entries(emails)) {
      for (const part of ["subject", "body"] as const) {
        const problem = templateProblem(template[part]);
        if (problem) problems.push({ path: `notifications.templates.${language}.${milestone}.${part}`, message: `Email “${milestone}” (${language}) ${part}: the Liquid does not parse (${problem})` });
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  const settings = JSON.stringify(checked.policy);
  await db.returnSettings.upsert({ where: { shop }, create: { shop, settings }, update: { settings } });
  return { ok: true, policy: checked.policy };
}

export type ReturnEmailSettings = ReturnPolicy["notifications"];
export type SaveEmailsResult = { ok: true; notifications: ReturnEmailSettings } | { ok: false; problems: PolicyProblem[] };

const LANGUAGE_NAMES: Record<Language, string> = { en: "English", ko: "Korean", ja: "Japanese", fa: "Persian" };
const PART_NAMES = { subject: "subject", body: "message" } as const;

/** “Return approved (Korean), message”: where a problem is, in the words of the emails tab. */
function place(language: string, email: string, part?: string) {
  const name = `${RETURN_EMAIL_LABELS[email as ReturnEmail] ?? email} (${LANGUAGE_NAMES[language as Language] ?? language})`;
  return part ? `${name}, ${PART_NAMES[part as keyof typeof PART_NAMES] ?? part}` : name;
}

/**
 * The return emails from their own tab: on or off, and the merchant's wording. Each template is
 * parsed and then rendered with example values, so one that could not make an email is refused
 * with where and why, rather than failing later when a shopper's email is due. The rest of the
 * policy is kept as stored.
 */
export async function saveReturnEmails(db: Db, shop: string, input: unknown): Promise<SaveEmailsResult> {
  const parsed = policySchema.shape.notifications.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const [, language, email, part] = i.path.map(String);
        return { path: `notifications.${i.path.join(".")}`, message: email ? `${place(language, email, part)}: ${i.message}` : "The emails could not be read. Reload the page and try again." };
      }),
    };
  }
  const { templates, issues } = normaliseReturnTemplates(parsed.data.templates);
  const problems: PolicyProblem[] = issues.map((i) => ({ path: i.path, message: i.part ? `${place(i.language, i.email, i.part)}: ${i.message}` : i.message }));
  const policy = await getReturnPolicy(db, shop);
  for (const [language, emails] of Object.entries(templates)) {
    for (const [email, template] of Object.entries(emails)) {
      const unparsed = (["subject", "body"] as const).flatMap((part) => {
        const problem = templateProblem(template[part]);
        return problem ? [{ path: `notifications.templates.${language}.${email}.${part}`, message: `${place(language, email, part)}: the Liquid does not parse (${problem})` }] : [];
      });
      problems.push(...unparsed);
      if (unparsed.length) continue;
      try {
        await previewReturnEmail(db, shop, { policy, template, language: language as Language });
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        problems.push({ path: `notifications.templates.${language}.${email}`, message: `${place(language, email)}: the email cannot be made from this template (${error.message})` });
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  const saved = await saveReturnPolicy(db, shop, { ...policy, notifications: { enabled: parsed.data.enabled, templates } });
  return saved.ok ? { ok: true, notifications: saved.policy.notifications } : saved;
}
