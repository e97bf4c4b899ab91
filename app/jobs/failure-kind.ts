/**
 * Whether a handler's failure can get better by waiting. A busy database or a dropped connection
 * passes; a payload the handler cannot read fails the same way on every one of the eight attempts,
 * so such an event is parked at once for a person to look at (Sync page). When in doubt: transient,
 * since a needless retry costs little and a wrongly parked event waits for a person.
 */
export type FailureKind = "transient" | "permanent";

/** Prisma's codes for a connection, a pool or a transaction that may work next time. */
const TRANSIENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2034", "P2028"]);
/** Prisma's codes for a value the database will refuse again (too long, wrong type, missing). */
const PERMANENT_PRISMA_CODES = new Set([
  "P2000",
  "P2005",
  "P2006",
  "P2007",
  "P2011",
  "P2012",
  "P2019",
  "P2020",
  "P2023",
]);
const TRANSIENT_SYSTEM_CODES = new RegExp(
  "^(SQLITE_BUSY|SQLITE_LOCKED|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH" +
    "|57P01|53300|40001|40P01)",
);
const TRANSIENT_MESSAGE = new RegExp(
  "database is locked|SQLITE_BUSY|timed? ?out|connection (terminated|closed|refused|reset)|fetch failed" +
    "|socket hang up|too many (clients|connections)|could not serialize|deadlock detected",
  "i",
);
/** Errors a handler raises when the data in hand is not what it needs. */
const PERMANENT_NAMES = new Set(["PayloadError", "UnknownTopicError", "PrismaClientValidationError"]);

function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let e = error; e && seen.length < 5 && !seen.includes(e); e = (e as { cause?: unknown }).cause) seen.push(e);
  return seen;
}

/** Prisma quotes the calling code (even its own runtime) in messages: only the cause, its last line, counts. */
const causeOf = (message: string) => message.trim().split("\n").pop() ?? "";

export function failureKind(error: unknown): FailureKind {
  const links = chain(error);
  const first = links[0];
  if (!(first instanceof Error)) return "transient";
  // Errors that only ever mean "this data will not do", whatever their message quotes.
  const code = (first as { code?: unknown }).code;
  if (typeof code === "string" && PERMANENT_PRISMA_CODES.has(code)) return "permanent";
  if (PERMANENT_NAMES.has(first.name)) return "permanent";
  // Transient signs anywhere in the chain: Node's fetch reports a refused connection as a TypeError.
  for (const e of links) {
    const linkCode = (e as { code?: unknown } | null)?.code;
    if (
      typeof linkCode === "string" &&
      (TRANSIENT_PRISMA_CODES.has(linkCode) || TRANSIENT_SYSTEM_CODES.test(linkCode))
    ) {
      return "transient";
    }
    if (e instanceof Error && TRANSIENT_MESSAGE.test(causeOf(e.message))) return "transient";
  }
  // Reading a field of something that is not there, a wrong type, JSON that is not JSON: the
  // payload is not what the handler needs, and will not become so.
  if (first instanceof TypeError || first instanceof SyntaxError || first instanceof RangeError) return "permanent";
  return "transient";
}
