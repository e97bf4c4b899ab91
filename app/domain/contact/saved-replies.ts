/**
 * Saved replies: answers a merchant writes once and inserts when replying, in the shopper's
 * language, with placeholders filled from the conversation's order. Channel-neutral: the inbox's
 * email replies use them today and chat can use the same list. A reply is a title and a body per
 * storefront language; English is required and stands in for a language without its own.
 */
import { fieldProblem, type FieldProblem } from "../../locales/admin/problems";
import type { AdminMessageKey } from "../../locales/admin";
import { liquidSaid } from "../../locales/admin/liquid";

import { LANGUAGES, languageFor, type Language } from "./settings";

export type SavedReplyBodies = Partial<Record<Language, string>>;

export interface SavedReplyInput {
  title: string;
  bodies: SavedReplyBodies;
}

export const SAVED_REPLY_TITLE_MAX = 100;
export const SAVED_REPLY_BODY_MAX = 5_000;

/**
 * What a body may name, and nothing else: a misspelt placeholder would otherwise go out to a
 * shopper as an empty gap. Each is filled by savedReplyVariables (services/contact/saved-replies).
 */
export const SAVED_REPLY_PLACEHOLDERS = [
  "customer.first_name",
  "customer.name",
  "order.name",
  "tracking.url",
  "shop.name",
  "request.reference",
] as const;
export type SavedReplyPlaceholder = (typeof SAVED_REPLY_PLACEHOLDERS)[number];

const FIELD_OF_LANGUAGE: Record<Language, AdminMessageKey> = {
  en: "field.savedReply.bodies.en",
  ko: "field.savedReply.bodies.ko",
  ja: "field.savedReply.bodies.ja",
  fa: "field.savedReply.bodies.fa",
};

/** The stored `bodies` JSON, read leniently (a language that is not text is left out). */
export function readSavedReplyBodies(stored: string | null | undefined): SavedReplyBodies {
  try {
    const value: unknown = JSON.parse(stored ?? "{}");
    const bodies: SavedReplyBodies = {};
    if (value && typeof value === "object")
      for (const language of LANGUAGES) {
        const body = (value as Record<string, unknown>)[language];
        if (typeof body === "string" && body.trim()) bodies[language] = body;
      }
    return bodies;
  } catch {
    return {};
  }
}

/** The body for a shopper writing in `locale`: theirs, or English's when theirs is empty. */
export function savedReplyBodyFor(bodies: SavedReplyBodies, locale: string | null | undefined) {
  const language = languageFor(locale);
  const own = bodies[language];
  return own ? { language, body: own } : { language: "en" as Language, body: bodies.en ?? "" };
}

/** The form's fields (`title`, `body.en`, `body.ko`, …) as input, trimmed and with line ends made one kind. */
export function savedReplyInputFrom(form: { get(name: string): unknown }): SavedReplyInput {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.replace(/\r\n/g, "\n").trim() : "";
  };
  const bodies: SavedReplyBodies = {};
  for (const language of LANGUAGES) {
    const body = text(`body.${language}`);
    if (body) bodies[language] = body;
  }
  return { title: text("title"), bodies };
}

/**
 * What is wrong with a saved reply beyond its templates' syntax (checked on the server, where
 * the Liquid engine is): a title, an English body, lengths, and placeholders it may use.
 * `placeholdersOf` lists the variables a body names, or throws when it does not parse.
 */
export function savedReplyProblems(input: SavedReplyInput, placeholdersOf: (body: string) => string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.title) problems.push(fieldProblem("title", "form.error.required", undefined, "field.savedReply.title"));
  else if (input.title.length > SAVED_REPLY_TITLE_MAX)
    problems.push(
      fieldProblem("title", "form.error.tooLong", { count: SAVED_REPLY_TITLE_MAX }, "field.savedReply.title"),
    );
  if (!input.bodies.en) problems.push(fieldProblem("body.en", "form.error.required", undefined, FIELD_OF_LANGUAGE.en));
  for (const language of LANGUAGES) {
    const body = input.bodies[language];
    if (!body) continue;
    const field = FIELD_OF_LANGUAGE[language];
    if (body.length > SAVED_REPLY_BODY_MAX) {
      problems.push(fieldProblem(`body.${language}`, "form.error.tooLong", { count: SAVED_REPLY_BODY_MAX }, field));
      continue;
    }
    let names: string[];
    try {
      names = placeholdersOf(body);
    } catch (error) {
      problems.push(
        fieldProblem(
          `body.${language}`,
          "form.error.template",
          { detail: liquidSaid((error as Error).message) },
          field,
        ),
      );
      continue;
    }
    const unknown = names.filter((n) => !(SAVED_REPLY_PLACEHOLDERS as ReadonlyArray<string>).includes(n));
    if (unknown.length)
      problems.push(
        fieldProblem(
          `body.${language}`,
          "savedReplies.error.placeholder",
          { name: `{{ ${unknown[0]} }}`, names: SAVED_REPLY_PLACEHOLDERS.map((p) => `{{ ${p} }}`).join(", ") },
          field,
        ),
      );
  }
  return problems;
}
