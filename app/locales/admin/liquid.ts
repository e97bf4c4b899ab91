/**
 * Why a merchant's Liquid template cannot make an email, in the admin's words. The template engine
 * (liquidjs) says it in English ("tag {% if a %} not closed, line:1, col:1"); its known messages
 * become a locale key with the tag, filter and line they name. A message new to us is shown as it
 * was given, under a translated sentence, so nothing is lost.
 */
import { said, type Said } from "./index";

const AT = /,\s*line:(\d+),\s*col:(\d+)\s*$/;

const KNOWN: ReadonlyArray<[RegExp, (m: RegExpMatchArray, at: { line: string; col: string }) => Said]> = [
  [/^output "(.*)" not closed$/s, (m, at) => said("liquid.outputNotClosed", { text: m[1], line: at.line })],
  [/^tag (\{%.*%\}) not closed$/s, (m, at) => said("liquid.tagNotClosed", { tag: m[1], line: at.line })],
  [/^tag "(.*)" not found$/s, (m, at) => said("liquid.unknownTag", { tag: m[1], line: at.line })],
  [/^undefined filter: (.*)$/s, (m, at) => said("liquid.unknownFilter", { filter: m[1], line: at.line })],
  [/^illegal tag: (.*)$/s, (m, at) => said("liquid.illegalTag", { tag: m[1], line: at.line })],
  [/^(\S+) expect \d+ arguments?$/, (m, at) => said("liquid.filterArguments", { filter: m[1], line: at.line })],
  [/^(\{% \w+ %\}) cannot be used in an email$/, (m) => said("liquid.refusedTag", { tag: m[1] })],
  [/^the subject is empty once rendered$/, () => said("liquid.emptySubject")],
  [/limit exceeded$/, () => said("liquid.tooBig")],
  [/^expected /, (_m, at) => said("liquid.syntax", { line: at.line, col: at.col })],
];

/** The engine's (or the renderer's) message about a template, as the admin's words. */
export function liquidSaid(message: string): Said {
  const first = message.split("\n")[0].trim();
  const position = AT.exec(first);
  const text = position ? first.slice(0, position.index) : first;
  const at = { line: position?.[1] ?? "1", col: position?.[2] ?? "1" };
  for (const [pattern, say] of KNOWN) {
    const m = pattern.exec(text);
    if (m) return say(m, at);
  }
  return said("liquid.other", { detail: first });
}
