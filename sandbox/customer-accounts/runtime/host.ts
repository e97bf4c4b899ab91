/**
 * The customer-account host inside one extension's frame: it defines the s-* renderers, builds
 * the 2026-07 `shopify` global for the frame's target (and the `navigation` global), routes
 * fetch("shopify://customer-account/api/…") to the Customer Account API as the signed-in
 * customer, then loads the extension's built bundle and runs it the way Shopify does:
 *
 * - a bundle built by Shopify's CLI calls shopify.extend(target, fn) while it loads; the host
 *   then calls fn for its target;
 * - a bundle that is the extension module itself (esbuild straight from the source) has a
 *   default export; the host calls it (`export default async () => render(<App/>, document.body)`).
 *
 * Anything the extension touches that the stand-in lacks throws "Sandbox does not implement
 * shopify.<name>", and every error (thrown, rejected, reported by a renderer) is shown in the frame
 * and told to the page around it.
 */
import { installPolarisElements } from "./elements";
import { createI18n, type LocaleFiles } from "./i18n";

export interface HostOrder {
  id: string;
  name: string;
  processedAt: string;
  cancelledAt: string | null;
  confirmationNumber: string;
  lines: unknown[];
  cost: { subtotalAmount: unknown; totalAmount: unknown; totalShippingAmount: unknown; totalTaxAmount: unknown };
  shippingAddress: unknown;
  billingAddress: unknown;
  email: string | null;
  phone: string | null;
  note: string | null;
}

export interface HostConfig {
  target: string;
  extension: { handle: string; name: string; apiVersion: string; scriptUrl: string; capabilities: string[] };
  settings: Record<string, unknown>;
  locale: string;
  country: string;
  currency: string;
  timeZone: string;
  files: LocaleFiles;
  shop: { id: string; name: string; myshopifyDomain: string; storefrontUrl: string };
  customer: { id: string; email: string; firstName: string; lastName: string; fullName: string } | null;
  /** Order-status targets: the order the page shows. */
  order?: HostOrder;
  /** Order action targets: the order the action is for. */
  orderId?: string;
  /** fulfillment-details.render-after: the shipment the extension sits beside. */
  fulfillmentId?: string;
  /** return-details.render-after: the return the extension sits beside. */
  returnId?: string;
  /** cart-line-item.render-after: the order line (CartLine gid) the extension sits beside. */
  cartLineId?: string;
  /** Full-page targets: the URL the shopper is on. */
  currentUrl: string;
  urls: {
    sessionToken: string;
    /** The Customer Account API for this customer, `{version}` in place of the version. */
    customerApi: string;
    /** Where extension: and shopify:customer-account/ URLs lead (host pages resolve them). */
    navigate: string;
  };
}

type SignalClass = new (value: unknown) => { value: unknown; subscribe(fn: (v: unknown) => void): () => void };

/** A signal that also speaks the deprecated SubscribableSignalLike words (current, destroy). */
function makeSignal(Signal: SignalClass | null, initial: unknown) {
  if (Signal) {
    const s = new Signal(initial) as Record<string, unknown> & { value: unknown };
    Object.defineProperty(s, "current", { get: () => s.value });
    s.destroy = async () => {};
    return s;
  }
  let value = initial;
  const listeners = new Set<(v: unknown) => void>();
  return {
    get value() {
      return value;
    },
    set value(v: unknown) {
      value = v;
      listeners.forEach((fn) => fn(v));
    },
    get current() {
      return value;
    },
    subscribe(fn: (v: unknown) => void) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    destroy: async () => {},
  };
}

export class SandboxNotImplemented extends Error {
  constructor(what: string) {
    super(`Sandbox does not implement ${what}`);
    this.name = "SandboxNotImplemented";
  }
}

const notImplemented = (what: string) => () => {
  throw new SandboxNotImplemented(what);
};

// Properties JavaScript itself probes (await, JSON, inspection) are answered as absent.
const PROBES = new Set(["then", "toJSON", "constructor", "$$typeof", "nodeType", "asymmetricMatch"]);

/** An object that throws on any property it does not have, naming it. */
export function strict<T extends object>(value: T, path: string): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "symbol" || PROBES.has(key) || key in target) return Reflect.get(target, key, receiver);
      throw new SandboxNotImplemented(`${path}.${key}`);
    },
  });
}

export const ORDER_STATUS_TARGETS = new Set([
  "customer-account.order-status.block.render",
  "customer-account.order-status.announcement.render",
  "customer-account.order-status.cart-line-item.render-after",
  "customer-account.order-status.cart-line-list.render-after",
  "customer-account.order-status.customer-information.render-after",
  "customer-account.order-status.fulfillment-details.render-after",
  "customer-account.order-status.payment-details.render-after",
  "customer-account.order-status.return-details.render-after",
  "customer-account.order-status.unfulfilled-items.render-after",
  "customer-account.order.page.render",
]);

export const ORDER_ACTION_TARGETS = new Set([
  "customer-account.order.action.menu-item.render",
  "customer-account.order.action.render",
]);

/** Builds the `shopify` global a target gets, following StandardApi and OrderStatusApi of 2026-07. */
export function buildShopifyGlobal(
  config: HostConfig,
  deps: { fetch: typeof fetch; toast: (text: string) => void; now?: () => number },
) {
  let Signal: SignalClass | null = null;
  const registrations = new Map<string, (...args: unknown[]) => unknown>();
  const lazy: Record<string, () => unknown> = {};
  const signals = new Map<string, unknown>();
  const signal = (name: string, value: unknown) => {
    lazy[name] = () => {
      if (!signals.has(name)) signals.set(name, makeSignal(Signal, value));
      return signals.get(name);
    };
  };
  const i18n = createI18n({
    locale: config.locale,
    currency: config.currency,
    timeZone: config.timeZone,
    files: config.files,
  });
  let cached: { token: string; exp: number } | null = null;
  const mint = async () => {
    const answer = await deps.fetch(config.urls.sessionToken, { credentials: "same-origin" });
    if (!answer.ok) throw new Error(`The sandbox could not mint a session token (${answer.status}).`);
    const minted = (await answer.json()) as { token: string; expiresAt: number };
    return { token: minted.token, exp: minted.expiresAt };
  };
  // Browser code: the frame's own storage (the Node plugin's warning is about Node's).
  // eslint-disable-next-line n/no-unsupported-features/node-builtins
  const store = window.localStorage;
  const now = deps.now ?? (() => Date.now());

  const api: Record<string, unknown> = {
    extend(target: string, fn: (...args: unknown[]) => unknown) {
      registrations.set(target, fn);
    },
    reload: () => window.location.reload(),
    /** @shopify/ui-extensions hands its Preact signal class over, so reading `.value` re-renders. */
    setSignals(cls: SignalClass) {
      Signal = cls;
      signals.clear();
    },
    extensionPoint: config.target,
    version: "sandbox",
    i18n: strict(i18n, "shopify.i18n"),
    sessionToken: strict(
      {
        get() {
          // Like Shopify's host: a cached token while it has more than 30 s left, else a new one.
          if (cached && cached.exp - 30_000 > now()) return Promise.resolve(cached.token);
          return mint().then((minted) => {
            cached = minted;
            return minted.token;
          });
        },
      },
      "shopify.sessionToken",
    ),
    storage: strict(
      {
        read: async (key: string) => JSON.parse(store.getItem(`${config.extension.handle}:${key}`) ?? "null"),
        write: async (key: string, data: unknown) =>
          store.setItem(`${config.extension.handle}:${key}`, JSON.stringify(data)),
        delete: async (key: string) => store.removeItem(`${config.extension.handle}:${key}`),
      },
      "shopify.storage",
    ),
    toast: strict(
      {
        show: async (content: string) => {
          deps.toast(content);
          return { hide: () => {} };
        },
      },
      "shopify.toast",
    ),
    query: notImplemented(
      "shopify.query (the Storefront API); for the Customer Account API, fetch shopify://customer-account/api/2026-07/graphql.json",
    ),
    analytics: strict(
      { publish: notImplemented("shopify.analytics.publish"), visitor: notImplemented("shopify.analytics.visitor") },
      "shopify.analytics",
    ),
    intents: strict({ invoke: notImplemented("shopify.intents.invoke") }, "shopify.intents"),
    applyTrackingConsentChange: notImplemented("shopify.applyTrackingConsentChange"),
  };
  signal("settings", config.settings);
  lazy.extension = () =>
    strict(
      {
        apiVersion: config.extension.apiVersion,
        target: config.target,
        scriptUrl: config.extension.scriptUrl,
        version: undefined,
        editor: undefined,
        get capabilities() {
          return lazy.__capabilities();
        },
        get rendered() {
          return lazy.__rendered();
        },
      },
      "shopify.extension",
    );
  signal("__capabilities", config.extension.capabilities);
  signal("__rendered", true);
  const language = { isoCode: config.locale };
  signal("__language", language);
  signal("__country", { isoCode: config.country });
  lazy.localization = () =>
    strict(
      {
        get language() {
          return lazy.__language();
        },
        get extensionLanguage() {
          return lazy.__language();
        },
        get country() {
          return lazy.__country();
        },
        ...(ORDER_STATUS_TARGETS.has(config.target)
          ? {
              get currency() {
                return lazy.__currency();
              },
              get timezone() {
                return lazy.__timezone();
              },
              get market() {
                return lazy.__market();
              },
            }
          : {}),
      },
      "shopify.localization",
    );
  signal("__currency", { isoCode: config.currency });
  signal("__timezone", config.timeZone);
  signal("__market", undefined);
  signal("__customer", config.customer ? { id: config.customer.id } : undefined);
  signal("__company", undefined);
  lazy.authenticatedAccount = () =>
    strict(
      {
        get customer() {
          return lazy.__customer();
        },
        get purchasingCompany() {
          return lazy.__company();
        },
      },
      "shopify.authenticatedAccount",
    );

  if (ORDER_STATUS_TARGETS.has(config.target)) {
    const order = config.order;
    if (!order) throw new Error(`${config.target} renders on an order's page, and this page has no order.`);
    signal("order", {
      id: order.id,
      name: order.name,
      processedAt: order.processedAt,
      cancelledAt: order.cancelledAt ?? undefined,
      confirmationNumber: order.confirmationNumber,
    });
    signal("lines", order.lines);
    signal("note", order.note ?? undefined);
    signal("attributes", []);
    signal("discountCodes", []);
    signal("discountAllocations", []);
    signal("appliedGiftCards", []);
    signal("appMetafields", []);
    signal("shippingAddress", order.shippingAddress ?? undefined);
    signal("billingAddress", order.billingAddress ?? undefined);
    signal("authenticationState", config.customer ? "fully_authenticated" : "pre_authenticated");
    signal("__subtotal", order.cost.subtotalAmount);
    signal("__total", order.cost.totalAmount);
    signal("__shipping", order.cost.totalShippingAmount);
    signal("__tax", order.cost.totalTaxAmount);
    lazy.cost = () =>
      strict(
        {
          get subtotalAmount() {
            return lazy.__subtotal();
          },
          get totalAmount() {
            return lazy.__total();
          },
          get totalShippingAmount() {
            return lazy.__shipping();
          },
          get totalTaxAmount() {
            return lazy.__tax();
          },
        },
        "shopify.cost",
      );
    signal("__email", order.email ?? undefined);
    signal("__phone", order.phone ?? undefined);
    signal(
      "__buyer",
      config.customer
        ? {
            id: config.customer.id,
            email: config.customer.email,
            firstName: config.customer.firstName,
            lastName: config.customer.lastName,
            fullName: config.customer.fullName,
            acceptsMarketing: false,
            storeCreditAccounts: [],
            image: { url: "" },
          }
        : undefined,
    );
    lazy.buyerIdentity = () =>
      strict(
        {
          get customer() {
            return lazy.__buyer();
          },
          get email() {
            return lazy.__email();
          },
          get phone() {
            return lazy.__phone();
          },
          get purchasingCompany() {
            return lazy.__company();
          },
        },
        "shopify.buyerIdentity",
      );
    api.shop = strict({ ...config.shop }, "shopify.shop");
    api.requireLogin = async () => {
      if (!config.customer)
        window.top?.location.assign(config.urls.navigate.replace("{url}", "shopify:customer-account/"));
    };
  }
  if (ORDER_ACTION_TARGETS.has(config.target)) {
    if (!config.orderId) throw new Error(`${config.target} acts on an order, and this page names none.`);
    api.orderId = config.orderId;
  }
  if (config.target === "customer-account.order-status.fulfillment-details.render-after") {
    if (!config.fulfillmentId) throw new Error(`${config.target} sits beside a shipment, and this page names none.`);
    api.fulfillmentId = config.fulfillmentId;
  }
  if (config.target === "customer-account.order-status.return-details.render-after") {
    if (!config.returnId) throw new Error(`${config.target} sits beside a return, and this page names none.`);
    api.returnId = config.returnId;
  }
  if (config.target === "customer-account.order-status.cart-line-item.render-after") {
    const line = config.order?.lines.find((l) => (l as { id: string }).id === config.cartLineId);
    if (!line) throw new Error(`${config.target} sits beside an order line, and this page names none.`);
    signal("target", line);
  }
  if (config.target === "customer-account.order.action.render") {
    api.close = () => window.parent.postMessage({ type: "sandbox-extension-close" }, "*");
  }

  const shopify = new Proxy(api, {
    get(target, key, receiver) {
      if (typeof key === "symbol" || PROBES.has(key)) return Reflect.get(target, key, receiver);
      if (!key.startsWith("__") && key in lazy) return lazy[key]();
      if (key in target) return Reflect.get(target, key, receiver);
      throw new SandboxNotImplemented(`shopify.${key} for ${config.target}`);
    },
    has(target, key) {
      return (typeof key === "string" && !key.startsWith("__") && key in lazy) || key in target;
    },
  });
  return { shopify, registrations };
}

/** What a shopify: or extension: URL (or a web URL) means for the page around the frame. */
export function resolveNavigation(url: string, config: HostConfig): { href: string; newTab: boolean } {
  if (url.startsWith("extension:") || url.startsWith("shopify:")) {
    return { href: config.urls.navigate.replace("{url}", encodeURIComponent(url)), newTab: false };
  }
  const parsed = new URL(url, config.currentUrl);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new SandboxNotImplemented(`navigation to ${url}`);
  return { href: parsed.href, newTab: true };
}

function navigationGlobal(config: HostConfig) {
  const listeners = new Set<(event: unknown) => void>();
  let state: unknown;
  const entry = () => ({ key: "current", url: config.currentUrl, getState: () => state });
  const navigate = (url: string) => {
    const { href, newTab } = resolveNavigation(url, config);
    if (newTab) window.open(href, "_blank", "noopener");
    else (window.top ?? window).location.assign(href);
  };
  return strict(
    {
      navigate,
      get currentEntry() {
        return entry();
      },
      updateCurrentEntry(options: { state: unknown }) {
        const from = entry();
        state = options.state;
        listeners.forEach((fn) => fn({ navigationType: "replace", from }));
      },
      addEventListener: (_type: string, fn: (event: unknown) => void) => listeners.add(fn),
      removeEventListener: (_type: string, fn: (event: unknown) => void) => listeners.delete(fn),
    },
    "navigation",
  );
}

/** Shows an error in the frame (role=alert) and tells the page around it. */
function showError(message: string) {
  let panel = document.getElementById("sandbox-errors");
  if (!panel) {
    panel = document.createElement("div");
    panel.id = "sandbox-errors";
    panel.setAttribute("role", "alert");
    panel.className = "sandbox-error";
    document.documentElement.insertBefore(panel, document.body);
  }
  const line = document.createElement("p");
  line.textContent = message;
  panel.append(line);
  window.parent.postMessage({ type: "sandbox-extension-error", message }, "*");
}

export async function boot(config: HostConfig) {
  const originalFetch = window.fetch.bind(window);
  const report = (message: string) => showError(message);
  window.addEventListener("error", (event) => report(String(event.error?.message ?? event.message)));
  window.addEventListener("unhandledrejection", (event) =>
    report(String((event.reason as Error)?.message ?? event.reason)),
  );
  const menuItem = config.target === "customer-account.order.action.menu-item.render";
  installPolarisElements({
    report,
    navigate: (href) => navigationGlobal(config).navigate(href),
    // An order action's menu item without an href opens the extension's modal (order.action.render).
    plainButton: menuItem ? () => window.parent.postMessage({ type: "sandbox-open-modal" }, "*") : undefined,
  });
  window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const match = /^shopify:\/\/customer-account\/api\/([^/]+)\/graphql\.json$/.exec(url);
    if (match)
      return originalFetch(config.urls.customerApi.replace("{version}", match[1]), {
        ...init,
        credentials: "same-origin",
      });
    if (url.startsWith("shopify:")) throw new SandboxNotImplemented(`fetch(${url})`);
    // Shopify lets an extension reach other hosts only with the network_access capability. The
    // refusal is shown, not only thrown: an extension that catches it would otherwise hide it.
    if (!config.extension.capabilities.includes("network_access")) {
      const what = `${config.extension.handle} fetched ${url}`;
      const message = `${what} without the network_access capability: Shopify refuses that.`;
      report(message);
      throw new TypeError(message);
    }
    return originalFetch(input, init);
  }) as typeof fetch;
  const toast = (text: string) => {
    const region = document.getElementById("sandbox-toast") ?? document.body.appendChild(document.createElement("div"));
    region.id = "sandbox-toast";
    region.setAttribute("role", "status");
    region.textContent = text;
  };
  try {
    const { shopify, registrations } = buildShopifyGlobal(config, { fetch: originalFetch, toast });
    Object.assign(globalThis, { shopify, navigation: navigationGlobal(config) });
    const module = (await import(/* @vite-ignore */ config.extension.scriptUrl)) as { default?: unknown };
    const registered = registrations.get(config.target);
    if (registrations.size && !registered) {
      throw new Error(
        `${config.extension.handle} registers ${[...registrations.keys()].join(", ")}, not ${config.target}.`,
      );
    }
    const run = registered ?? module.default;
    if (typeof run !== "function") {
      throw new Error(
        `${config.extension.scriptUrl} neither calls shopify.extend("${config.target}", …) ` +
          "nor has a default export to call.",
      );
    }
    await run();
    document.documentElement.dataset.sandboxRendered = "true";
  } catch (error) {
    report((error as Error).message ?? String(error));
  }
  // A menu item sits in a row of actions: its frame takes the width of what it renders.
  // (max-content: a frame narrower than its button must not wrap it and then measure the wrapped width)
  if (menuItem) document.body.style.width = "max-content";
  const resize = () => {
    // The html box's own height: scrollHeight never shrinks below the frame's current height.
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "sandbox-extension-height", height }, "*");
    // Room for the focus ring around a button at the edge.
    const width = Math.ceil(document.body.getBoundingClientRect().width) + 8;
    if (menuItem) window.parent.postMessage({ type: "sandbox-extension-width", width }, "*");
  };
  new ResizeObserver(resize).observe(document.documentElement);
  new ResizeObserver(resize).observe(document.body);
  resize();
}
