/** A shop's return policy: read with defaults, saved whole after validation (templates included). */
import type { Db } from "../../db.server";
import { readPolicy, validatePolicy, type PolicyProblem, type ReturnPolicy } from "../../domain/returns/policy";
import { templateProblem } from "../email-render.server";

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
