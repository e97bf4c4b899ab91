/**
 * Why a settings form was not saved, field by field, in words from the admin's locale files.
 *
 * Every admin settings form answers a refused save with a list of FieldProblem: the field's path
 * (as the form names it, e.g. `tiers.0.name`), the message's key and its values, and the field's
 * label key. The page shows each message next to its field and all of them at once above the
 * form, translated in the merchant's admin language; `message` is the same in English, for logs
 * and API callers. A schema's own issue becomes a message by its kind (required, too long, too
 * many, not a whole number, …) and the field's label; a rule beyond the schema names its own key.
 */
import { z } from "zod";

import en from "./en.json";

import { translator, type AdminMessageKey, type Said, type Translate } from "./index";

/** A value of a problem's sentence: as it is, or itself a sentence of the locale files (a Said). */
export type ProblemValue = string | number | Said | { key: AdminMessageKey; values?: Record<string, ProblemValue> };

export interface FieldProblem {
  /** The field, as a dotted path of the form's value ("" for the form as a whole). */
  path: string;
  key: AdminMessageKey;
  /** The field's label, put into the message as {field}. */
  field?: AdminMessageKey;
  values?: Record<string, ProblemValue>;
  /** The message in English. */
  message: string;
}

/** The forms whose fields have labels in the locale files (`field.<form>.<path>`). */
export type SettingsForm = "returns" | "returnEmails" | "tracking" | "loyalty" | "reward" | "contact";

const english = translator("en");
const isKey = (text: string): text is AdminMessageKey => Object.hasOwn(en, text);

/** The message of a problem in the admin's language. */
export function problemText(t: Translate, p: Pick<FieldProblem, "key" | "field" | "values">): string {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(p.values ?? {}))
    values[name] = typeof value === "object" ? problemText(t, value) : value;
  return t(p.key, { ...values, ...(p.field ? { field: t(p.field) } : {}) });
}

/** A problem found by a rule of its own (not the schema): its key, values and field. */
export function fieldProblem(
  path: string,
  key: AdminMessageKey,
  values?: Record<string, ProblemValue>,
  field?: AdminMessageKey,
): FieldProblem {
  const p = { path, key, ...(values ? { values } : {}), ...(field ? { field } : {}) };
  return { ...p, message: problemText(english, p) };
}

/**
 * The label of the field at `path` in `form`: the most specific `field.<form>.<path>` there is,
 * list positions read as `*` (`tiers.2.name` → `field.loyalty.tiers.*.name`), then its parents.
 */
export function fieldLabel(form: SettingsForm, path: ReadonlyArray<string | number>): AdminMessageKey {
  const parts = path.map((p) => (typeof p === "number" || /^\d+$/.test(p) ? "*" : p));
  // The field itself; a part named by language or email under a section (`notifications.subject`
  // for `notifications.templates.ja.shipped.subject`); then the nearest section with a label.
  const candidates = [parts.join("."), parts.length > 2 ? `${parts[0]}.${parts.at(-1)}` : ""];
  for (let n = parts.length - 1; n > 0; n--) candidates.push(parts.slice(0, n).join("."));
  for (const candidate of candidates) {
    const key = `field.${form}.${candidate}`;
    if (candidate && isKey(key)) return key;
  }
  return "field.thisField";
}

/** The issue a person acts on: of a union ("empty or an email address"), its last branch's. */
function innermost(issue: z.ZodIssue): z.ZodIssue {
  if (issue.code === z.ZodIssueCode.invalid_union) {
    const last = issue.unionErrors.at(-1)?.issues[0];
    if (last) return innermost({ ...last, path: issue.path.concat(last.path.slice(issue.path.length)) });
  }
  return issue;
}

function keyOf(issue: z.ZodIssue): { key: AdminMessageKey; values?: Record<string, string | number> } {
  // A schema that names a message of the locale files means that message.
  if (isKey(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === "undefined" || issue.received === "null" || issue.received === "nan")
        return { key: "form.error.required" };
      if (issue.expected === "integer") return { key: "form.error.wholeNumber" };
      if (issue.expected === "number") return { key: "form.error.number" };
      return { key: "form.error.invalid" };
    case z.ZodIssueCode.too_small: {
      const min = Number(issue.minimum);
      if (issue.type === "string")
        return min <= 1 ? { key: "form.error.required" } : { key: "form.error.tooShort", values: { min } };
      if (issue.type === "array") return { key: "form.error.tooFew", values: { count: min } };
      return { key: issue.inclusive ? "form.error.atLeast" : "form.error.moreThan", values: { min } };
    }
    case z.ZodIssueCode.too_big: {
      const max = Number(issue.maximum);
      if (issue.type === "string") return { key: "form.error.tooLong", values: { count: max } };
      if (issue.type === "array") return { key: "form.error.tooMany", values: { count: max } };
      return { key: issue.inclusive ? "form.error.atMost" : "form.error.lessThan", values: { max } };
    }
    case z.ZodIssueCode.not_multiple_of:
      return { key: "form.error.wholeNumber" };
    case z.ZodIssueCode.not_finite:
      return { key: "form.error.number" };
    case z.ZodIssueCode.invalid_string:
      if (issue.validation === "email") return { key: "form.error.email" };
      if (issue.validation === "url") return { key: "form.error.url" };
      return { key: "form.error.format" };
    case z.ZodIssueCode.unrecognized_keys:
      return { key: "form.error.unknownSettings", values: { keys: issue.keys.join(", ") } };
    case z.ZodIssueCode.invalid_enum_value:
    case z.ZodIssueCode.invalid_literal:
      return { key: "form.error.choose" };
    default:
      return { key: "form.error.invalid" };
  }
}

/** Every issue of a schema's refusal as a problem of `form`'s fields. */
export function problemsFromZod(error: z.ZodError, form: SettingsForm): FieldProblem[] {
  return error.issues.map((raw) => {
    const issue = innermost(raw);
    const { key, values } = keyOf(issue);
    const field = fieldLabel(form, issue.path);
    // A field may say how to fill it in ("Enter a return window in days") rather than "… is required".
    const own = `${field}.${key.split(".").at(-1)}`;
    return fieldProblem(issue.path.join("."), isKey(own) ? own : key, values, field);
  });
}
