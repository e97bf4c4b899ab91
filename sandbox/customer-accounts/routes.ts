/**
 * /customer-accounts/*: the sandbox's stand-in for Shopify's new customer accounts. A shopper
 * signs in with a one-time code (Shopify emails it; the sandbox shows it in its mail box on the
 * sign-in page), then sees their orders, an order's status page, their profile and the app's
 * full-page extensions. Each extension runs from its built bundle in a frame with the host
 * runtime (runtime/host.ts); the Customer Account API answers at
 * /customer-accounts/api/<version>/graphql.json. /customer-accounts/editor stands in for the
 * checkout and accounts editor, where the merchant fills in the extensions' settings.
 */
import { randomInt } from "node:crypto";
import { join } from "node:path";
import { readFileSync } from "node:fs";

import type { Sandbox } from "../engine";
import { type Customer, type Order, decimal, fulfillableQuantity, gidFor, orderTotals, parseId } from "../engine/state";
import { CUSTOMER_API_VERSION } from "../engine/customer-graphql";
import { escapeHtml as e } from "../pages/html";

import { type CustomerAccountExtension, findCustomerAccountExtensions, localeFiles, settingValue } from "./extensions";
import { CUSTOMER_LOCALES, extensionSlot, framePage, shell, statusWord, word } from "./pages";
import type { HostConfig } from "./runtime/host";

export const CUSTOMER_ACCOUNTS_PREFIX = "/customer-accounts";
const P = CUSTOMER_ACCOUNTS_PREFIX;
const SESSION_COOKIE = "customer_session";
const LOCALE_COOKIE = "customer_locale";
const CODE_TTL_MS = 10 * 60 * 1000;

const T = {
  orderStatusBlock: "customer-account.order-status.block.render",
  orderStatusAnnouncement: "customer-account.order-status.announcement.render",
  cartLineItem: "customer-account.order-status.cart-line-item.render-after",
  cartLineList: "customer-account.order-status.cart-line-list.render-after",
  customerInformation: "customer-account.order-status.customer-information.render-after",
  fulfillmentDetails: "customer-account.order-status.fulfillment-details.render-after",
  paymentDetails: "customer-account.order-status.payment-details.render-after",
  returnDetails: "customer-account.order-status.return-details.render-after",
  unfulfilledItems: "customer-account.order-status.unfulfilled-items.render-after",
  orderPage: "customer-account.order.page.render",
  page: "customer-account.page.render",
  menuItem: "customer-account.order.action.menu-item.render",
  actionModal: "customer-account.order.action.render",
  orderIndexBlock: "customer-account.order-index.block.render",
  orderIndexAnnouncement: "customer-account.order-index.announcement.render",
  profileBlock: "customer-account.profile.block.render",
  profileAnnouncement: "customer-account.profile.announcement.render",
  profileAddresses: "customer-account.profile.addresses.render-after",
  footer: "customer-account.footer.render-after",
} as const;

/** Every target this host places somewhere; an extension declaring another is told so on the orders page. */
const PLACED = new Set<string>(Object.values(T));

export interface CustomerAccountsOptions {
  sandbox: Sandbox;
  shop: string;
  /** Folder holding the app's extensions (default: the repository's extensions/). */
  extensionsDir?: string;
}

function cookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

/** A page of this host to come back to after signing in; anything else (another site, a scheme) is ignored. */
function returnPath(raw: string | null): string | null {
  if (!raw || !raw.startsWith(`${P}/`) || raw.startsWith("//") || /[\\\s]/.test(raw)) return null;
  return raw.startsWith(`${P}/sign-`) || raw.startsWith(`${P}/verify`) ? null : raw;
}

/** The path with the shopper's language in its query, so the next page speaks it too. */
function withLocale(path: string, locale: string): string {
  const url = new URL(path, "http://host");
  url.searchParams.set("locale", locale);
  return `${url.pathname}${url.search}`;
}

const html = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers },
  });
const redirect = (to: string, headers: Record<string, string> = {}) =>
  new Response(null, { status: 303, headers: { location: to, ...headers } });

let runtimeCache: Promise<string> | null = null;

/** The host runtime as one browser module (esbuild, as Shopify's CLI uses for extensions). */
async function runtimeBundle(): Promise<string> {
  runtimeCache ??= (async () => {
    const { build } = await import("esbuild");
    const out = await build({
      entryPoints: [join(import.meta.dirname, "runtime", "host.ts")],
      bundle: true,
      format: "esm",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    return out.outputFiles[0].text;
  })();
  return runtimeCache;
}

/** What the shopper sees as an order's state: cancelled, its latest shipment's status, or fulfilled or not. */
function orderState(order: Order): string {
  if (order.cancelledAt) return "cancelled";
  const live = order.fulfillments.filter((f) => f.status === "success");
  const latest = live.at(-1);
  if (!latest) return "unfulfilled";
  return latest.shipmentStatus ?? "fulfilled";
}

export function createCustomerAccounts(options: CustomerAccountsOptions) {
  const { sandbox, shop } = options;
  const extensionsDir = options.extensionsDir ?? join(import.meta.dirname, "..", "..", "extensions");
  const codes = new Map<string, { email: string; code: string; expiresAt: number; customerId: number | null }>();
  /** What Shopify would have emailed, newest first (the sandbox shows it on the sign-in page). */
  const outbox: { to: string; text: string }[] = [];
  /** The merchant's values for each extension's settings, by handle (the editor's). */
  const settingValues = new Map<string, Record<string, unknown>>();

  const extensions = () => findCustomerAccountExtensions(extensionsDir);
  const withTarget = (target: string) => extensions().filter((x) => x.targets.some((t) => t.target === target));
  const localeOf = (request: Request, url: URL) => {
    const asked = url.searchParams.get("locale") ?? cookie(request, LOCALE_COOKIE) ?? "en";
    return (CUSTOMER_LOCALES as ReadonlyArray<string>).includes(asked) ? asked : "en";
  };
  const signedIn = (request: Request): Customer | null => {
    const grant = sandbox.customerAccounts.tokens.find(cookie(request, SESSION_COOKIE));
    if (!grant || grant.shop !== shop) return null;
    return sandbox.shop(shop).customers.find((c) => c.id === grant.customerId) ?? null;
  };
  const ownOrder = (customer: Customer, id: string | null) => {
    const order = sandbox.state.order(sandbox.shop(shop), parseId(id, "Order"));
    return order && order.customerId === customer.id ? order : null;
  };
  const money = (minor: number, currency: string, locale: string) =>
    new Intl.NumberFormat(locale, { style: "currency", currency }).format(Number(decimal(minor, currency)));
  const date = (iso: string, locale: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: sandbox.shop(shop).timezone }).format(
      new Date(iso),
    );

  function frameSrc(ext: CustomerAccountExtension, target: string, params: Record<string, string>) {
    return `${P}/frame?${new URLSearchParams({ extension: ext.handle, target, ...params })}`;
  }

  /** The frame of one extension for one target, or the loud box saying why it cannot run. */
  function slot(ext: CustomerAccountExtension, target: string, params: Record<string, string>) {
    const problems = [
      ...ext.problems.map((p) => `The extension "${ext.name}": ${p}`),
      ...(ext.built
        ? []
        : [
            `The extension "${ext.name}" declares ${target}, but its bundle ${ext.dir}/dist/${ext.dir}.js ` +
              "is missing: build the extensions first.",
          ]),
    ];
    const modal =
      target === T.menuItem && ext.targets.some((t) => t.target === T.actionModal)
        ? frameSrc(ext, T.actionModal, params)
        : null;
    return extensionSlot({
      handle: ext.handle,
      name: ext.name,
      target,
      problem: problems.length ? problems.join("\n") : null,
      src: frameSrc(ext, target, params),
      modalSrc: modal,
    });
  }

  /** Every extension's frame for a target, each in its own box. */
  const slots = (target: string, params: Record<string, string> = {}, wrap = true) =>
    withTarget(target)
      .map((x) => (wrap ? `<div class="slot">${slot(x, target, params)}</div>` : slot(x, target, params)))
      .join("");

  function orderForHost(order: Order): NonNullable<HostConfig["order"]> {
    const totals = orderTotals(order);
    const m = (minor: number) => ({ amount: Number(decimal(minor, order.currency)), currencyCode: order.currency });
    return {
      id: gidFor("Order", order.id),
      name: order.name,
      processedAt: order.processedAt,
      cancelledAt: order.cancelledAt,
      confirmationNumber: order.token.slice(0, 9).toUpperCase(),
      email: order.email,
      phone: order.phone,
      note: order.note,
      lines: order.lineItems.map((l) => ({
        id: gidFor("CartLine", l.id),
        quantity: l.quantity,
        cost: { totalAmount: m(l.priceMinor * l.quantity - l.discountMinor) },
        merchandise: {
          type: "variant",
          id: gidFor("ProductVariant", l.variantId ?? 0),
          title: l.variantTitle ?? l.title,
          sku: l.sku ?? undefined,
          subtitle: l.variantTitle ?? undefined,
          selectedOptions: [],
          product: { id: gidFor("Product", l.productId ?? 0), vendor: l.vendor ?? "", productType: "" },
          requiresShipping: l.requiresShipping,
        },
        attributes: [],
        discountAllocations: [],
        lineComponents: [],
      })),
      cost: {
        subtotalAmount: m(totals.subtotalMinor),
        totalAmount: m(totals.totalMinor),
        totalShippingAmount: m(totals.shippingMinor),
        totalTaxAmount: m(totals.taxMinor),
      },
      shippingAddress: order.shippingAddress,
      billingAddress: order.billingAddress,
    };
  }

  function frame(request: Request, url: URL, customer: Customer): Response {
    const handle = url.searchParams.get("extension") ?? "";
    const target = url.searchParams.get("target") ?? "";
    const ext = extensions().find((x) => x.handle === handle);
    if (!ext || !ext.targets.some((t) => t.target === target))
      return html(`<p role="alert">No extension ${e(handle)} for ${e(target)}.</p>`, 404);
    const locale = localeOf(request, url);
    const files = localeFiles(ext, locale);
    const shopState = sandbox.shop(shop);
    const orderParam = url.searchParams.get("order");
    const order = orderParam ? ownOrder(customer, orderParam) : null;
    if (orderParam && !order) return html(`<p role="alert">Order not found.</p>`, 404);
    const part = (name: string, type: string, list: { id: number }[] = []) => {
      const id = url.searchParams.get(name);
      return id && list.some((x) => x.id === parseId(id, type)) ? id : undefined;
    };
    const origin = url.origin;
    const config: HostConfig = {
      target,
      extension: {
        handle: ext.handle,
        name: ext.name,
        apiVersion: ext.apiVersion,
        scriptUrl: `${origin}${P}/bundles/${encodeURIComponent(ext.handle)}.js`,
        capabilities: ext.capabilities,
      },
      settings: settingValues.get(ext.handle) ?? {},
      locale,
      country: customer.defaultAddress?.countryCode ?? "CA",
      currency: order?.currency ?? shopState.currency,
      timeZone: shopState.timezone,
      files: { locale: files.locale, language: files.language, fallback: files.fallback },
      shop: {
        id: gidFor("Shop", shopState.id),
        name: shopState.name,
        myshopifyDomain: shopState.domain,
        storefrontUrl: `${origin}/`,
      },
      customer: {
        id: gidFor("Customer", customer.id),
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        fullName: `${customer.firstName} ${customer.lastName}`.trim(),
      },
      order: order ? orderForHost(order) : undefined,
      orderId: order ? gidFor("Order", order.id) : undefined,
      fulfillmentId: part("fulfillment", "Fulfillment", order?.fulfillments),
      returnId: part("return", "Return", order?.returns),
      cartLineId: part("line", "CartLine", order?.lineItems),
      currentUrl: url.searchParams.get("url") ?? `${origin}${P}/extensions/${ext.handle}/`,
      urls: {
        sessionToken: `${P}/session-token?extension=${encodeURIComponent(ext.handle)}`,
        customerApi: `${P}/api/{version}/graphql.json`,
        navigate: `${P}/navigate?from=${encodeURIComponent(ext.handle)}&url={url}`,
      },
    };
    return html(framePage({ locale, title: ext.name, runtimeUrl: `${P}/runtime/host.js`, config }));
  }

  /** Where an extension: or shopify:customer-account/ URL leads in the sandbox. */
  function resolve(raw: string, from: string | null): string | null {
    if (raw.startsWith("shopify:customer-account")) {
      const path = raw.replace(/^shopify:(\/\/)?customer-account\/?/, "");
      const order = /^orders\/([^/?#]+)/.exec(path);
      if (order) return `${P}/orders/${parseId(decodeURIComponent(order[1]), "Order") ?? ""}`;
      if (path.startsWith("profile")) return `${P}/profile`;
      if (path === "" || path.startsWith("orders")) return `${P}/orders`;
      return null;
    }
    if (raw.startsWith("extension:")) {
      const rest = raw.slice("extension:".length).replace(/^\/\//, "");
      const [handle, ...path] = rest.startsWith("/") ? [from ?? "", rest.slice(1)] : rest.split("/");
      const target = extensions().find((x) => x.handle === handle);
      if (!target) return null;
      return `${P}/extensions/${handle}/${path.join("/")}`;
    }
    return null;
  }

  /** The demo's customers to sign in as: the showcase (orders in every state) first, with their orders. */
  function demoCustomers() {
    const s = sandbox.shop(shop);
    const count = new Map<number, number>();
    for (const o of s.orders) if (o.customerId) count.set(o.customerId, (count.get(o.customerId) ?? 0) + 1);
    return [...s.customers]
      .sort((a, b) => Number(b.tags.includes("showcase")) - Number(a.tags.includes("showcase")))
      .slice(0, 8)
      .map((c) => {
        const note = c.tags.includes("showcase") ? " (orders in every state)" : "";
        return `<li><code>${e(c.email)}</code>: ${count.get(c.id) ?? 0} orders${e(note)}</li>`;
      })
      .join("");
  }

  function signInPage(
    request: Request,
    url: URL,
    message = "",
    step: "email" | "code" = "email",
    email = "",
    returnTo: string | null = null,
  ) {
    const locale = localeOf(request, url);
    const back = returnTo ? `<input type="hidden" name="return_to" value="${e(returnTo)}">` : "";
    const mail = outbox.length
      ? `<section class="card" aria-labelledby="mailbox"><h2 id="mailbox">Sandbox mail</h2>
         <p class="note">What Shopify would have emailed, newest first.</p>
         ${outbox
           .slice(0, 3)
           .map((m) => `<p><strong>${e(m.to)}</strong>: ${e(m.text)}</p>`)
           .join("")}</section>`
      : "";
    const button = `<button>${e(word(locale, "signIn"))}</button>`;
    const form =
      step === "email"
        ? `<form method="post" action="${P}/sign-in">${back}<label for="email">${e(word(locale, "email"))}</label>
           <input id="email" name="email" type="email" autocomplete="email" required value="${e(email)}">
           ${button}</form>`
        : `<form method="post" action="${P}/verify">${back}<input type="hidden" name="email" value="${e(email)}">
           <label for="code">6-digit code sent to ${e(email)}</label>
           <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required> ${button}</form>`;
    const alert = message ? `<p role="alert">${e(message)}</p>` : "";
    return html(
      shell({
        shopName: sandbox.shop(shop).name,
        locale,
        title: word(locale, "signIn"),
        customerName: null,
        here: url,
        body: `<h1>${e(word(locale, "signIn"))}</h1><div class="card">${alert}${form}</div>${mail}
          <section class="card" aria-labelledby="demo"><h2 id="demo">Demo customers</h2>
          <ul>${demoCustomers()}</ul>
          <p class="note">The merchant's settings for the app's extensions: <a href="${P}/editor">editor</a>.</p>
          </section>`,
      }),
      message ? 400 : 200,
    );
  }

  /** The checkout and accounts editor's settings panel, one form per extension that declares settings. */
  function editorPage(url: URL, errors: string[] = [], status = 200) {
    const forms = extensions()
      .filter((x) => x.settings.length || x.problems.length)
      .map((x) => {
        const values = settingValues.get(x.handle) ?? {};
        const fields = x.settings
          .map((f) => {
            const id = `${x.handle}-${f.key}`;
            const current = values[f.key] === undefined || values[f.key] === null ? "" : String(values[f.key]);
            const control =
              f.type === "multi_line_text_field"
                ? `<textarea id="${e(id)}" name="${e(f.key)}">${e(current)}</textarea>`
                : `<input id="${e(id)}" name="${e(f.key)}" value="${e(current)}">`;
            const about = f.description ? `<p class="note">${e(f.description)} (${e(f.type)})</p>` : "";
            return `<p><label for="${e(id)}">${e(f.name)}</label>${control}</p>${about}`;
          })
          .join("");
        const problems = x.problems.map((p) => `<p class="ext-error" role="alert">${e(p)}</p>`).join("");
        return `<section class="card" aria-labelledby="${e(x.handle)}-h"><h2 id="${e(x.handle)}-h">${e(x.name)}</h2>
          ${problems}<form method="post" action="${P}/editor?extension=${encodeURIComponent(x.handle)}">${fields}
          <button>Save</button></form></section>`;
      })
      .join("");
    const alerts = errors.map((m) => `<p class="ext-error" role="alert">${e(m)}</p>`).join("");
    return html(
      shell({
        shopName: sandbox.shop(shop).name,
        locale: "en",
        title: "Extension settings",
        customerName: null,
        here: url,
        body: `<h1>Extension settings</h1>${alerts}${forms || "<p>No extension declares settings.</p>"}`,
      }),
      status,
    );
  }

  /** Every answer to a request that names a language keeps it in a cookie, sign-in pages and redirects included. */
  async function route(request: Request): Promise<Response | null> {
    const response = await answer(request);
    const asked = new URL(request.url).searchParams.get("locale");
    if (response && asked && (CUSTOMER_LOCALES as ReadonlyArray<string>).includes(asked))
      response.headers.append("set-cookie", `${LOCALE_COOKIE}=${encodeURIComponent(asked)}; Path=/; SameSite=Lax`);
    return response;
  }

  async function answer(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path !== P && !path.startsWith(`${P}/`)) return null;
    const rest = path.slice(P.length) || "/";

    // The Customer Account API: a customer access token in Authorization, or the sign-in cookie
    // of the frames (Shopify's host authenticates extensions' fetches itself).
    if (/^\/api\/[^/]+\/graphql(\.json)?$/.test(rest)) {
      let forwarded = request;
      if (!request.headers.get("authorization") && cookie(request, SESSION_COOKIE)) {
        const headers = new Headers(request.headers);
        headers.set("authorization", cookie(request, SESSION_COOKIE)!);
        forwarded = new Request(request.url, { method: request.method, headers, body: await request.arrayBuffer() });
      }
      return sandbox.customerAccounts.handleGraphql(forwarded);
    }
    if (rest === "/runtime/host.js")
      return new Response(await runtimeBundle(), { headers: { "content-type": "text/javascript; charset=utf-8" } });
    if (rest.startsWith("/bundles/") && rest.endsWith(".js")) {
      const handle = decodeURIComponent(rest.slice("/bundles/".length, -3));
      const ext = extensions().find((x) => x.handle === handle);
      if (!ext?.built) return new Response(`// No built bundle for ${handle}`, { status: 404 });
      return new Response(readFileSync(ext.bundlePath), {
        headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" },
      });
    }

    if (rest === "/editor" && request.method === "GET") return editorPage(url);
    if (rest === "/editor" && request.method === "POST") {
      const ext = extensions().find((x) => x.handle === url.searchParams.get("extension"));
      if (!ext) return editorPage(url, [`No extension ${url.searchParams.get("extension")}.`], 404);
      const form = new URLSearchParams(await request.text());
      const values: Record<string, unknown> = {};
      const errors: string[] = [];
      for (const field of ext.settings) {
        const checked = settingValue(field, form.get(field.key) ?? "");
        if ("error" in checked) errors.push(checked.error);
        else if (checked.value !== null) values[field.key] = checked.value;
      }
      // Nothing is saved when any value is wrong, as Shopify's editor refuses the whole form.
      if (errors.length) return editorPage(url, errors, 400);
      settingValues.set(ext.handle, values);
      return redirect(`${P}/editor`);
    }

    if (rest === "/sign-in" && request.method === "GET")
      return signInPage(request, url, "", "email", "", returnPath(url.searchParams.get("return_to")));
    if (rest === "/sign-in" && request.method === "POST") {
      const form = new URLSearchParams(await request.text());
      const email = (form.get("email") ?? "").trim().toLowerCase();
      const returnTo = returnPath(form.get("return_to"));
      if (!/^[^@\s]+@[^@\s]+$/.test(email))
        return signInPage(request, url, "Enter an email address.", "email", "", returnTo);
      const customer = sandbox.shop(shop).customers.find((c) => c.email.toLowerCase() === email) ?? null;
      const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
      codes.set(email, { email, code, expiresAt: Date.now() + CODE_TTL_MS, customerId: customer?.id ?? null });
      // Shopify answers the same whether or not the address has an account; only a customer gets mail.
      if (customer) outbox.unshift({ to: email, text: `Your ${sandbox.shop(shop).name} sign-in code is ${code}` });
      return signInPage(request, url, "", "code", email, returnTo);
    }
    if (rest === "/verify" && request.method === "POST") {
      const form = new URLSearchParams(await request.text());
      const email = (form.get("email") ?? "").trim().toLowerCase();
      const pending = codes.get(email);
      const fresh = pending && pending.expiresAt > Date.now();
      const returnTo = returnPath(form.get("return_to"));
      if (!fresh || pending.code !== (form.get("code") ?? "").trim() || pending.customerId === null) {
        const wrong = "That code is wrong or has expired. Ask for a new one.";
        return signInPage(request, url, wrong, "code", email, returnTo);
      }
      codes.delete(email);
      const { token } = sandbox.customerAccounts.tokens.issue(shop, pending.customerId);
      // Where the shopper was going when asked to sign in, else the orders, in their language.
      return redirect(withLocale(returnTo ?? `${P}/orders`, localeOf(request, url)), {
        "set-cookie": `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax`,
      });
    }
    if (rest === "/sign-out") {
      const token = cookie(request, SESSION_COOKIE);
      if (token) sandbox.customerAccounts.tokens.revoke(token);
      return redirect(withLocale(`${P}/sign-in`, localeOf(request, url)), {
        "set-cookie": `${SESSION_COOKIE}=; Path=/; Max-Age=0`,
      });
    }

    const customer = signedIn(request);
    if (!customer) {
      if (rest === "/session-token" || rest === "/frame") return new Response("Sign in first.", { status: 401 });
      // Shopify brings the shopper back to the page they asked for once they have signed in.
      const back = request.method === "GET" ? `${path}${url.search}` : null;
      const query = new URLSearchParams({ locale: localeOf(request, url), ...(back ? { return_to: back } : {}) });
      return redirect(`${P}/sign-in?${query}`);
    }
    const locale = localeOf(request, url);
    const page = (title: string, body: string, status = 200) =>
      html(
        shell({
          shopName: sandbox.shop(shop).name,
          locale,
          title,
          customerName: `${customer.firstName} ${customer.lastName}`.trim(),
          here: url,
          body,
          footer: slots(T.footer),
        }),
        status,
      );
    const notFound = (heading = word(locale, "notFound")) => page(heading, `<h1>${e(heading)}</h1>`, 404);

    if (rest === "/session-token") {
      const token = sandbox.customerAccounts.mintSessionToken({ shop, customerId: customer.id });
      const exp = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).exp as number;
      return Response.json({ token, expiresAt: exp * 1000 }, { headers: { "cache-control": "no-store" } });
    }
    if (rest === "/frame") return frame(request, url, customer);
    if (rest === "/navigate") {
      const to = resolve(url.searchParams.get("url") ?? "", url.searchParams.get("from"));
      if (!to) {
        const what = e(url.searchParams.get("url"));
        return page(
          "Navigation",
          `<p class="ext-error" role="alert">Sandbox does not implement navigation to ${what}</p>`,
          404,
        );
      }
      return redirect(withLocale(to, locale));
    }
    if (rest === "/" || rest === "/orders") return ordersPage(customer, locale, page);
    const orderMatch = /^\/orders\/(\d+)$/.exec(rest);
    if (orderMatch) {
      const order = ownOrder(customer, orderMatch[1]);
      if (!order) return notFound(word(locale, "orderNotFound"));
      return orderPage(order, locale, page);
    }
    if (rest === "/profile") return profilePage(customer, locale, page);
    const full = /^\/extensions\/([^/]+)(\/.*)?$/.exec(rest);
    if (full) {
      const ext = extensions().find((x) => x.handle === decodeURIComponent(full[1]));
      const target = ext?.targets.find((t) => t.target === T.page || t.target === T.orderPage);
      if (!ext || !target) return notFound();
      const params: Record<string, string> = { url: url.href };
      if (target.target === T.orderPage) {
        const order = ownOrder(customer, url.searchParams.get("orderId"));
        if (!order) return notFound(word(locale, "orderNotFound"));
        params.order = gidFor("Order", order.id);
      }
      return page(ext.name, slot(ext, target.target, params));
    }
    return notFound();
  }

  type PageFn = (title: string, body: string, status?: number) => Response;

  /** The order index: announcements, the orders, then the order-index blocks. */
  function ordersPage(customer: Customer, locale: string, page: PageFn) {
    const orders = sandbox
      .shop(shop)
      .orders.filter((o) => o.customerId === customer.id)
      .sort((a, b) => b.id - a.id);
    const head = ["order", "placed", "status"].map((k) => `<th scope="col">${e(word(locale, k))}</th>`).join("");
    const rows = orders
      .map(
        (o) =>
          `<tr><th scope="row"><a href="${e(withLocale(`${P}/orders/${o.id}`, locale))}">${e(o.name)}</a></th>` +
          `<td>${e(date(o.processedAt, locale))}</td>` +
          `<td><span class="status">${e(statusWord(locale, orderState(o)))}</span></td>` +
          `<td class="num">${e(money(orderTotals(o).totalMinor, o.currency, locale))}</td></tr>`,
      )
      .join("");
    const unplaced = extensions().flatMap((x) =>
      x.targets
        .filter((t) => t.target.startsWith("customer-account.") && !PLACED.has(t.target))
        .map(
          (t) =>
            `<div class="ext-error" role="alert" data-extension="${e(x.handle)}">Sandbox does not implement the ` +
            `target ${e(t.target)} of "${e(x.name)}": no page of the sandbox's customer accounts places it.</div>`,
        ),
    );
    const table = orders.length
      ? `<table><thead><tr>${head}<th scope="col" class="num">${e(word(locale, "total"))}</th></tr></thead>` +
        `<tbody>${rows}</tbody></table>`
      : `<p>${e(word(locale, "noOrders"))}</p>`;
    return page(
      word(locale, "orders"),
      `${unplaced.join("")}<h1>${e(word(locale, "orders"))}</h1>${slots(T.orderIndexAnnouncement)}
       <div class="card">${table}</div>${slots(T.orderIndexBlock)}`,
    );
  }

  /** An order's status page, with each order-status target where Shopify places it. */
  function orderPage(order: Order, locale: string, page: PageFn) {
    const id = gidFor("Order", order.id);
    const on = { order: id };
    const items = order.lineItems
      .map((l) => {
        const after = slots(T.cartLineItem, { ...on, line: gidFor("CartLine", l.id) }, false);
        const title = `${e(l.title)}${l.variantTitle ? ` – ${e(l.variantTitle)}` : ""}`;
        return `<tr><td>${title}${after}</td><td class="num">× ${l.quantity}</td></tr>`;
      })
      .join("");
    const unfulfilled = order.lineItems.some((l) => fulfillableQuantity(order, l) > 0) && !order.cancelledAt;
    const shipments = order.fulfillments
      .filter((f) => f.status === "success")
      .map((f) => {
        const numbers = f.trackingNumbers
          .map((n, i) => `<a href="${e(f.trackingUrls[i] ?? "#")}">${e(n)}</a>`)
          .join(", ");
        const status = statusWord(locale, f.shipmentStatus ?? "fulfilled");
        const details = slots(T.fulfillmentDetails, { ...on, fulfillment: gidFor("Fulfillment", f.id) }, false);
        return `<li>${e(f.trackingCompany ?? "")} ${numbers} <span class="status">${e(status)}</span>${details}</li>`;
      })
      .join("");
    const returns = order.returns
      .map((r) => {
        const details = slots(T.returnDetails, { ...on, return: gidFor("Return", r.id) }, false);
        return `<li>${e(r.name)} <span class="status">${e(word(locale, `return_${r.status}`))}</span>${details}</li>`;
      })
      .join("");
    const card = (key: string, inner: string) =>
      `<section class="card" aria-labelledby="${key}-h"><h2 id="${key}-h">${e(word(locale, key))}</h2>` +
      `${inner}</section>`;
    const actions = slots(T.menuItem, on, false);
    const state = statusWord(locale, orderState(order));
    return page(
      `${word(locale, "order")} ${order.name}`,
      [
        `<h1>${e(word(locale, "order"))} ${e(order.name)}</h1>`,
        `<p class="note">${e(word(locale, "placed"))}: ${e(date(order.processedAt, locale))} ` +
          `<span class="status">${e(state)}</span></p>`,
        slots(T.orderStatusAnnouncement, on),
        actions
          ? `<section class="card" aria-label="${e(word(locale, "actions"))}">` +
            `<div class="actions">${actions}</div></section>`
          : "",
        slots(T.orderStatusBlock, on),
        card(
          "items",
          `<table><tbody>${items}</tbody></table>${slots(T.cartLineList, on)}` +
            `${unfulfilled ? slots(T.unfulfilledItems, on) : ""}`,
        ),
        card("shipments", shipments ? `<ul>${shipments}</ul>` : `<p>${e(word(locale, "noShipments"))}</p>`),
        returns ? card("returns", `<ul>${returns}</ul>`) : "",
        card(
          "total",
          `<p>${e(money(orderTotals(order).totalMinor, order.currency, locale))}</p>${slots(T.paymentDetails, on)}`,
        ),
        card("email", `<p>${e(order.email ?? "")}</p>${slots(T.customerInformation, on)}`),
      ].join("\n"),
    );
  }

  function profilePage(customer: Customer, locale: string, page: PageFn) {
    const name = `${customer.firstName} ${customer.lastName}`.trim();
    const address = customer.defaultAddress;
    const lines = address
      ? [address.address1, address.city, address.zip, address.country].filter(Boolean).map(e).join("<br>")
      : "";
    return page(
      word(locale, "profile"),
      `<h1>${e(word(locale, "profile"))}</h1>${slots(T.profileAnnouncement)}
       <section class="card" aria-label="${e(word(locale, "profile"))}">
       <p>${e(word(locale, "name"))}: ${e(name)}</p><p>${e(word(locale, "email"))}: ${e(customer.email)}</p>
       ${lines ? `<address>${lines}</address>` : ""}${slots(T.profileAddresses)}</section>${slots(T.profileBlock)}`,
    );
  }

  return { route, extensions, outbox, settingValues, apiVersion: CUSTOMER_API_VERSION };
}
