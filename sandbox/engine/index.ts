/**
 * The sandbox's Shopify engine: shop state, Admin GraphQL, authentication, webhooks and scenarios
 * in one object, with no HTTP server of its own. The sandbox server routes requests to the
 * handle* functions; tests use the same object in-process (graphqlClient, scenarios, flush).
 * Refuses to exist when NODE_ENV=production.
 */
import { join } from "node:path";

import type { GraphqlFn } from "../../app/shopify/admin.server";

import { type AdminFailureKind, AdminFailures, failureResponse, networkFailure } from "./admin-failures";
import {
  ADMIN_API_VERSION,
  type GraphqlRequestBody,
  type ThrottleSettings,
  Throttle,
  adminSchema,
  executeAdmin,
  executeBulkPage,
  handleAdminGraphql,
} from "./admin-graphql";
import {
  type AuthDeps,
  findAccessToken,
  handleTokenExchange,
  issueAccessToken,
  mintSessionToken,
  verifySessionToken,
} from "./auth";
import { BulkOperations } from "./bulk-operations";
import { StagedUploads } from "./staged-uploads";
import {
  type CustomerGraphqlBody,
  CustomerAccessTokens,
  executeCustomer,
  handleCustomerGraphql,
} from "./customer-graphql";
import { mintCustomerAccountSessionToken } from "./customer-session-token";
import { type Engine, emitTo, payOrderBalance } from "./commerce";
import { createScenarios } from "./scenarios";
import {
  type Clock,
  type CollectionInput,
  type CreateShopInput,
  type ProductInput,
  orderTotals,
  type SandboxData,
  SandboxState,
} from "./state";
import { type WebhookFetch, type WebhookRetryOptions, WebhookDispatcher } from "./webhooks";
import { callFlowAction, loadFlowExtensions, type FlowExtension } from "./flow";

export const SANDBOX_SHOP_HEADER = "x-sandbox-shop-domain";

export interface SandboxOptions {
  apiKey: string;
  apiSecret: string;
  /** Where the app runs; webhooks go to `${appUrl}/webhooks`. */
  appUrl: string;
  clock?: Clock;
  webhookRetry?: WebhookRetryOptions;
  /** Deliver webhooks through this instead of the network (tests hand in the app's handler). */
  webhookFetch?: WebhookFetch;
  /** Saved state (toJSON()) to continue from. */
  state?: SandboxData | string;
  /** Tracking page for a carrier and number; known carriers get their real tracking URL. */
  trackingUrl?: (company: string | null, number: string) => string;
  /** The app's extensions folder, where its Flow triggers and actions are declared (default: this repository's). */
  extensionsDir?: string;
}

const CARRIER_URLS: Record<string, (n: string) => string> = {
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  dhl: (n) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`,
  "dhl express": (n) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`,
  "canada post": (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${n}`,
  "royal mail": (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
};

export function defaultTrackingUrl(company: string | null, number: string): string {
  const known = company ? CARRIER_URLS[company.trim().toLowerCase()] : undefined;
  return known
    ? known(encodeURIComponent(number))
    : `https://tracking.sandbox.invalid/${encodeURIComponent(company ?? "carrier")}/${encodeURIComponent(number)}`;
}

/** The shop a request is for: the sandbox header (set by routeAdminApiTo), else a myshopify Host. */
export function shopOfRequest(request: Request): string | null {
  const header = request.headers.get(SANDBOX_SHOP_HEADER);
  if (header) return header.toLowerCase();
  const host = new URL(request.url).hostname;
  return host.endsWith(".myshopify.com") ? host : null;
}

export function createSandbox(options: SandboxOptions) {
  if (process.env.NODE_ENV === "production") {
    throw new Error("The Shopify sandbox refuses to run when NODE_ENV=production.");
  }
  if (!options.apiKey || !options.apiSecret) throw new Error("createSandbox needs the app's apiKey and apiSecret.");
  const clock = options.clock ?? (() => new Date());
  const state = options.state ? SandboxState.fromJSON(options.state, clock) : new SandboxState(clock);
  const webhooks = new WebhookDispatcher({
    appUrl: options.appUrl,
    apiSecret: options.apiSecret,
    apiVersion: ADMIN_API_VERSION,
    clock,
    fetch: options.webhookFetch,
    retry: options.webhookRetry,
  });
  const engine: Engine = {
    state,
    // A webhook is triggered when its change happened: the last stamp the state handed out.
    emit: (shop, topic, payload) =>
      webhooks.emit(shop.domain, topic, payload, state.data.lastStamp ?? clock().toISOString()),
    trackingUrl: options.trackingUrl ?? defaultTrackingUrl,
  };
  let flowExtensions: FlowExtension[] | null = null;
  engine.flowExtensions = () =>
    (flowExtensions ??= loadFlowExtensions(options.extensionsDir ?? join(import.meta.dirname, "../../extensions")));
  engine.bulk = new BulkOperations({
    schema: adminSchema,
    executePage: (shop, document) => executeBulkPage(engine, shop, document),
    nextId: () => state.nextId(),
    stamp: () => state.stamp(),
    emitFinish: (shop, payload) => emitTo(engine, shop, "bulk_operations/finish", payload),
  });
  const bulk = engine.bulk;
  engine.uploads = new StagedUploads({ nextId: () => state.nextId(), now: clock });
  const uploads = engine.uploads;
  const throttle = new Throttle(clock);
  const failures = new AdminFailures();
  const auth: AuthDeps = { state, apiKey: options.apiKey, apiSecret: options.apiSecret, clock, shopOf: shopOfRequest };
  const scenarios = createScenarios(engine);
  const customerTokens = new CustomerAccessTokens(clock);

  async function graphql(shop: string, query: string, variables?: Record<string, unknown>) {
    const body: GraphqlRequestBody = { query, variables };
    return executeAdmin(engine, throttle, state.shop(shop), body);
  }

  return {
    ...scenarios,
    apiKey: options.apiKey,
    apiVersion: ADMIN_API_VERSION,
    state,
    webhooks,
    /** Shopify's Admin schema the engine executes (for tests that validate documents). */
    schema: adminSchema,

    createShop: (input: CreateShopInput) => state.createShop(input),
    addProduct: (shop: string, input: ProductInput) => state.addProduct(shop, input),
    addCollection: (shop: string, input: CollectionInput) => state.addCollection(shop, input),
    shop: (domain: string) => state.shop(domain),
    shops: () => state.shops(),
    /** What a page needs to show a shop. */
    shopInfo: (domain: string) => {
      const s = state.shop(domain);
      return {
        domain: s.domain,
        name: s.name,
        email: s.email,
        currency: s.currency,
        timezone: s.timezone,
        appInstalled: s.appInstalled,
      };
    },
    customers: (domain: string) => state.shop(domain).customers,
    productByHandle: (domain: string, handle: string) =>
      state.shop(domain).products.find((p) => p.handle === handle) ?? null,

    /** POST /admin/api/<version>/graphql.json (shop in x-sandbox-shop-domain or the Host). */
    handleAdminGraphql: async (request: Request) => {
      const shop = shopOfRequest(request);
      // The body is read twice only while failures wait for this shop.
      const failure = shop && failures.pending(shop) ? failures.take(shop, await request.clone().text()) : null;
      // Over HTTP a dropped connection is not for a handler to make: it answers 503 instead.
      if (failure !== null) return failureResponse(failure === "network" ? 503 : failure);
      return handleAdminGraphql({ engine, throttle, auth }, request);
    },
    /** POST /admin/oauth/access_token: token exchange. */
    handleTokenExchange: (request: Request) => handleTokenExchange(auth, request),
    /** The session token the admin frame gives the app; userId defaults to the shop's owner. */
    mintSessionToken: (input: { shop: string; userId?: number | string; now?: Date }) =>
      mintSessionToken({
        shop: input.shop,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        userId:
          input.userId ??
          (state.shop(input.shop).staff.find((u) => u.accountOwner) ?? state.shop(input.shop).staff[0]).id,
        now: input.now ?? clock(),
      }),
    verifySessionToken: (token: string) => verifySessionToken(token, options.apiKey, options.apiSecret, clock()),
    /** An access token for a shop without going through token exchange (seeds, tests). */
    issueAccessToken: (shop: string, opts: { userId?: number } = {}) =>
      issueAccessToken(auth, state.shop(shop), { userId: opts.userId ?? null, expiresInS: opts.userId ? 86_399 : null })
        .token,
    isAccessTokenValid: (shop: string, token: string) => Boolean(findAccessToken(auth, state.shop(shop), token)),

    /** Runs a GraphQL document for a shop and returns Shopify's JSON body. */
    graphql,
    /** A GraphqlFn (app/shopify/admin.server.ts) answering in-process from this engine. */
    graphqlClient(shop: string): GraphqlFn {
      return async (query, opts) => {
        const failure = failures.take(shop, query);
        if (failure === "network") throw networkFailure();
        if (failure !== null) return failureResponse(failure);
        return new Response(JSON.stringify(await graphql(shop, query, opts?.variables)), {
          status: 200,
          headers: { "Content-Type": "application/json" },
        });
      };
    },
    /** Resizes or empties a shop's query-cost bucket. */
    setThrottle: (shop: string, settings: Partial<ThrottleSettings> & { currentlyAvailable?: number }) =>
      throttle.set(shop, settings),
    /** The next n Admin API requests of the shop answer THROTTLED. */
    throttleNext: (shop: string, n: number) => throttle.throttleNext(shop, n),
    /**
     * The next `count` Admin API requests of the shop (of one operation only, if named) fail as
     * Shopify's sometimes do: an HTTP status (503 by default; 500, 502, 504) or a dropped connection.
     */
    failNext: (shop: string, count: number, kind?: AdminFailureKind, options?: { operation?: string }) =>
      failures.failNext(shop, count, kind, options),

    /** The Customer Account API (customer-graphql.ts) and the tokens customer-account extensions get. */
    customerAccounts: {
      tokens: customerTokens,
      /** POST /customer-accounts/api/<version>/graphql.json with a customer access token. */
      handleGraphql: (request: Request) => handleCustomerGraphql({ engine, tokens: customerTokens }, request),
      /** Runs a document as a customer of the shop, in-process. */
      graphql: (shop: string, customerId: number, body: CustomerGraphqlBody) => {
        const s = state.shop(shop);
        const customer = s.customers.find((c) => c.id === customerId);
        if (!customer) throw new Error(`No customer ${customerId} in ${shop}`);
        return executeCustomer(engine, s, customer, body);
      },
      mintSessionToken: (input: { shop: string; customerId: number | null; now?: Date }) =>
        mintCustomerAccountSessionToken({
          ...input,
          apiKey: options.apiKey,
          apiSecret: options.apiSecret,
          now: input.now ?? clock(),
        }),
    },
    /**
     * Shopify's invoices for an order's balance (orderInvoiceSend): the emails sent, newest last,
     * and the customer paying through the invoice's link (the pay page), which emits orders/paid.
     */
    invoices: {
      setOrigin: (origin: string) => {
        engine.origin = origin;
      },
      sent: (shop: string) =>
        state.shop(shop).orders.flatMap((o) => (o.invoices ?? []).map((invoice) => ({ ...invoice, orderId: o.id }))),
      /** What the order with this token owes now, or null for no such order. */
      owed: (shop: string, orderToken: string) => {
        const order = state.shop(shop).orders.find((o) => o.token === orderToken);
        return order
          ? { orderName: order.name, currency: order.currency, amountMinor: orderTotals(order).outstandingMinor }
          : null;
      },
      pay: (shop: string, orderToken: string) => payOrderBalance(engine, state.shop(shop), orderToken),
    },
    /**
     * Shopify Flow (flow.ts): what the app's triggers sent, and its actions run as a workflow
     * runs them (a signed POST to the action's URL on the app).
     */
    flow: {
      extensions: () => engine.flowExtensions!(),
      runs: (shop: string) => state.shop(shop).flowTriggerRuns ?? [],
      runAction: (input: {
        shop: string;
        handle: string;
        properties: Record<string, unknown>;
        actionRunId?: string;
        fetchFn?: typeof fetch;
      }) => {
        const s = state.shop(input.shop);
        return callFlowAction({
          actions: engine.flowExtensions!(),
          appUrl: options.appUrl,
          secret: options.apiSecret,
          shop: { id: s.id, domain: s.domain },
          handle: input.handle,
          properties: input.properties,
          actionRunId: input.actionRunId,
          fetchFn: input.fetchFn,
        });
      },
    },
    /** Sends a webhook payload the engine did not produce (e.g. a hand-made edge case), signed like the others. */
    emitWebhook: (shop: string, topic: string, payload: unknown) => emitTo(engine, state.shop(shop), topic, payload),
    /** Bulk query operations: setOrigin (the server's), settle (wait for running ones), fetchResult. */
    bulk,
    /** Staged uploads (setOrigin, receive: the storage's form POST) and the files made from them (serve). */
    uploads,
    /** GET of a bulk operation's result URL, answered in-process (tests, the bench). */
    fetchBulkResult: (url: string) => bulk.fetchResult(url),
    /** Waits until every webhook has been delivered or has given up. */
    flush: () => webhooks.flush(),
    toJSON: () => state.toJSON(),
    close: () => {
      webhooks.close();
      bulk.close();
    },
  };
}

export type Sandbox = ReturnType<typeof createSandbox>;

export { ScenarioError } from "./scenarios";
export { mintSessionToken, verifySessionToken } from "./auth";
export { signWebhook, SHOPIFY_RETRY_DELAYS_MS, type WebhookDelivery } from "./webhooks";
export type * from "./state";
