/**
 * Pages of a long list by keyset ("the next 50 after this row"), not by offset: a page far down a
 * list of 200,000 costs what the first page costs, because the database seeks to the row in an
 * index instead of counting past every row before it. A cursor names the last (or first) row shown
 * by its sort value and id; the query asks for one row more than a page to know whether another
 * page follows. Shared by the admin's lists (returns desk, notification log, inbox).
 */

/** A row's place in a list sorted by `at` (a time or a number), ties broken by `id`. */
export interface Cursor {
  at: string | number;
  id: string;
}

export interface PageRequest {
  /** Rows after this one (the next page), or before it (the previous page); neither: the first page. */
  after: Cursor | null;
  before: Cursor | null;
  size: number;
}

export interface Page<T> {
  rows: T[];
  /** Cursors for the pages either side, null when there is none. */
  next: string | null;
  previous: string | null;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

/** A cursor from a link, or null when it is missing or not one of ours (the first page then). */
export function decodeCursor(text: string | null): Cursor | null {
  if (!text || text.length > 500) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if ((typeof at !== "string" && typeof at !== "number") || typeof id !== "string") return null;
    if (typeof at === "string" && Number.isNaN(Date.parse(at))) return null;
    return { at, id };
  } catch {
    return null;
  }
}

/** ?after= and ?before= of a list's URL. */
export function pageRequest(params: URLSearchParams, size: number): PageRequest {
  const before = decodeCursor(params.get("before"));
  return { after: before ? null : decodeCursor(params.get("after")), before, size };
}

/**
 * A page from the rows a query gave for `request`: up to size + 1 rows in the list's order, or,
 * for a previous page, in the reverse order (nearest the cursor first).
 */
export function pageOf<T>(fetched: T[], request: PageRequest, cursorOf: (row: T) => Cursor): Page<T> {
  const more = fetched.length > request.size;
  const taken = fetched.slice(0, request.size);
  const rows = request.before ? taken.reverse() : taken;
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    next: last && (request.before ? true : more) ? encodeCursor(cursorOf(last)) : null,
    previous: first && (request.before ? more : request.after !== null) ? encodeCursor(cursorOf(first)) : null,
  };
}

/**
 * The Prisma `where` and `orderBy` for a page of a list sorted by `field` (then id) in `direction`,
 * and how many rows to fetch. `toValue` turns a cursor's `at` back into the field's type.
 */
export function keyset<F extends string>(
  request: PageRequest,
  field: F,
  direction: "asc" | "desc",
  toValue: (at: string | number) => unknown = (at) => (typeof at === "string" ? new Date(at) : at),
) {
  const cursor = request.before ?? request.after;
  // Reading backwards from a "before" cursor, nearest first; pageOf turns the rows round.
  const reading = request.before ? (direction === "asc" ? "desc" : "asc") : direction;
  const beyond = reading === "desc" ? "lt" : "gt";
  const where = cursor
    ? {
        OR: [
          { [field]: { [beyond]: toValue(cursor.at) } },
          { [field]: toValue(cursor.at), id: { [beyond]: cursor.id } },
        ],
      }
    : {};
  const orderBy = [{ [field]: reading }, { id: reading }] as Partial<Record<F | "id", "asc" | "desc">>[];
  return { where, orderBy, take: request.size + 1 };
}
