/**
 * Admin API requests that fail on purpose, as Shopify's do on a bad day: an HTTP error status from
 * its edge (502, 503, 504, or a 500) with no GraphQL body, or a connection that drops before any
 * answer. Tests ask for the next `count` requests of a shop to fail, or only those of one named
 * operation (`ReconcileOrderDetail`), and see how the app copes. Over HTTP a failure is the status;
 * in-process (graphqlClient) a dropped connection is the TypeError that fetch throws for one.
 */

/** An HTTP status (500 to 504, or 429 without GraphQL's cost fields), or a connection that drops. */
export type AdminFailureKind = number | "network";

interface Pending {
  kind: AdminFailureKind;
  remaining: number;
  /** Only requests of this operation fail (its name in the document); any when null. */
  operation: string | null;
}

const STATUS_TEXT: Record<number, string> = {
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The operation a GraphQL document names (`query Name` / `mutation Name`), or null. */
export function operationNameOf(document: string): string | null {
  return /\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(document)?.[1] ?? null;
}

export class AdminFailures {
  private readonly waiting = new Map<string, Pending[]>();

  /** The next `count` requests of `shop` (of `operation` only, if named) fail as `kind`. */
  failNext(shop: string, count: number, kind: AdminFailureKind = 503, options: { operation?: string } = {}) {
    if (kind !== "network" && !(kind in STATUS_TEXT)) throw new Error(`Sandbox does not fail requests with ${kind}`);
    const list = this.waiting.get(shop) ?? [];
    list.push({ kind, remaining: count, operation: options.operation ?? null });
    this.waiting.set(shop, list);
  }

  /** Whether failures wait for requests of `shop`. */
  pending(shop: string): boolean {
    return this.waiting.has(shop);
  }

  /** No more failures for `shop` (or any shop). */
  clear(shop?: string) {
    if (shop) this.waiting.delete(shop);
    else this.waiting.clear();
  }

  /** The failure a request of `shop` running `document` meets, counted off; null when it goes through. */
  take(shop: string, document: string): AdminFailureKind | null {
    const list = this.waiting.get(shop);
    if (!list) return null;
    const name = operationNameOf(document);
    const found = list.find((p) => p.remaining > 0 && (p.operation === null || p.operation === name));
    if (!found) return null;
    found.remaining -= 1;
    if (found.remaining === 0) list.splice(list.indexOf(found), 1);
    if (list.length === 0) this.waiting.delete(shop);
    return found.kind;
  }
}

/** Shopify's answer for a failing status: its text as `errors`, no data, no cost. */
export function failureResponse(status: number): Response {
  return new Response(JSON.stringify({ errors: STATUS_TEXT[status] }), {
    status,
    statusText: STATUS_TEXT[status],
    headers: { "Content-Type": "application/json" },
  });
}

/** What fetch throws when the connection drops before an answer (undici's shape). */
export function networkFailure(): TypeError {
  const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
  return new TypeError("fetch failed", { cause });
}
