/**
 * The one module that talks to the Shopify Admin API. Features hand it a named operation from
 * ./operations and get typed data back; GraphQL errors, userErrors and throttling are dealt with
 * here once. It wraps the `graphql` function that @shopify/shopify-app-remix gives a request
 * (authenticate.admin / unauthenticated.admin), so tests can pass the sandbox's client instead.
 */
export type GraphqlFn = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export interface Operation<TData, TVariables extends Record<string, unknown> | undefined = undefined> {
  name: string;
  document: string;
  /** Phantom fields carrying the types; never read at run time. */
  __data?: TData;
  __variables?: TVariables;
}

/** Declares a named GraphQL document; the name is taken from the document itself. */
export function operation<TData, TVariables extends Record<string, unknown> | undefined = undefined>(
  document: string,
): Operation<TData, TVariables> {
  const name = /\b(?:query|mutation)\s+([A-Z][A-Za-z0-9]*)/.exec(document)?.[1];
  if (!name) throw new Error(`GraphQL operations must be named in PascalCase:\n${document}`);
  return { name, document };
}

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** Shopify refused the input (userErrors); the message is fit to show a merchant. */
export class ShopifyUserError extends Error {
  constructor(
    public readonly operationName: string,
    public readonly userErrors: UserError[],
  ) {
    super(userErrors.map((e) => e.message).join("; "));
    this.name = "ShopifyUserError";
  }
}

/** The request failed (GraphQL errors, HTTP failure, or throttled past our retries). */
export class ShopifyApiError extends Error {
  constructor(
    public readonly operationName: string,
    message: string,
    public readonly codes: string[] = [],
  ) {
    super(`${operationName}: ${message}`);
    this.name = "ShopifyApiError";
  }
}

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

interface GraphqlBody<T> {
  data?: T;
  /**
   * Shopify's answer lists the errors; the body of the GraphqlQueryError the library throws is its
   * client's response, which wraps that list as `graphQLErrors`.
   */
  errors?: GraphqlError[] | { message?: string; graphQLErrors?: GraphqlError[] };
  extensions?: {
    cost?: { throttleStatus?: { currentlyAvailable: number; restoreRate: number }; requestedQueryCost?: number };
  };
}

export interface AdminClientOptions {
  /** Attempts when Shopify answers THROTTLED (leaky bucket empty). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type AdminClient = ReturnType<typeof adminClient>;

export function adminClient(graphql: GraphqlFn, options: AdminClientOptions = {}) {
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? defaultSleep;

  async function request<TData, TVariables extends Record<string, unknown> | undefined>(
    op: Operation<TData, TVariables>,
    ...args: TVariables extends undefined ? [] : [variables: TVariables]
  ): Promise<TData> {
    const variables = args[0] as Record<string, unknown> | undefined;
    for (let attempt = 1; ; attempt++) {
      let body: GraphqlBody<TData>;
      try {
        const response = await graphql(op.document, variables ? { variables } : undefined);
        body = (await response.json()) as GraphqlBody<TData>;
      } catch (error) {
        // The library throws GraphqlQueryError with the parsed body for GraphQL-level errors.
        const parsed = (error as { body?: GraphqlBody<TData> }).body;
        if (!parsed) throw new ShopifyApiError(op.name, (error as Error).message);
        body = parsed;
      }
      const errors = graphqlErrors(body);
      const throttled = errors.some((e) => e.extensions?.code === "THROTTLED");
      if (throttled && attempt < maxAttempts) {
        await sleep(throttleWait(body, attempt));
        continue;
      }
      if (errors.length > 0 || !body.data) {
        throw new ShopifyApiError(
          op.name,
          errors.map((e) => e.message).join("; ") || "no data in the response",
          errors.map((e) => e.extensions?.code ?? "").filter(Boolean),
        );
      }
      return body.data;
    }
  }

  /** Like request(), then throws ShopifyUserError when the mutation payload at `pick` has userErrors. */
  async function mutate<
    TData,
    TVariables extends Record<string, unknown> | undefined,
    TPayload extends { userErrors: UserError[] },
  >(
    op: Operation<TData, TVariables>,
    pick: (data: TData) => TPayload | null | undefined,
    ...args: TVariables extends undefined ? [] : [variables: TVariables]
  ): Promise<TPayload> {
    const data = await request(op, ...args);
    const payload = pick(data);
    if (!payload) throw new ShopifyApiError(op.name, "the mutation returned no payload");
    if (payload.userErrors.length > 0) throw new ShopifyUserError(op.name, payload.userErrors);
    return payload;
  }

  return { request, mutate };
}

/** A body's GraphQL errors, in either shape (Shopify's list, or the library's wrapped one). */
function graphqlErrors(body: GraphqlBody<unknown>): GraphqlError[] {
  const errors = body.errors;
  if (!errors) return [];
  if (Array.isArray(errors)) return errors;
  if (errors.graphQLErrors?.length) return errors.graphQLErrors;
  return [{ message: errors.message ?? "GraphQL operation failed" }];
}

/** How long to wait before retrying a throttled request: until the bucket refills enough. */
export function throttleWait(body: GraphqlBody<unknown>, attempt: number): number {
  const cost = body.extensions?.cost;
  const status = cost?.throttleStatus;
  if (status && cost?.requestedQueryCost && status.restoreRate > 0) {
    const missing = Math.max(0, cost.requestedQueryCost - status.currentlyAvailable);
    return Math.ceil((missing / status.restoreRate) * 1000) + 50;
  }
  return Math.min(1000 * 2 ** (attempt - 1), 8000);
}
