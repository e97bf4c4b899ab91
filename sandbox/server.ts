/**
 * The sandbox's HTTP face: what Shopify's servers would answer the app (Admin GraphQL, token
 * exchange), what a merchant sees (an admin frame embedding the app) and what a shopper sees (a
 * storefront rendering the theme app extension, with /apps/aftercare/* forwarded to the app as
 * Shopify's app proxy does), plus a control page and API to drive scenarios. Development and
 * tests only: it refuses to start when NODE_ENV=production.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";

import { Liquid } from "liquidjs";

import { shippedAsset } from "../scripts/build-storefront.mjs";

import { adminFramePage } from "./pages/admin";
import { storefrontPage } from "./pages/storefront";
import { controlPage } from "./pages/control";
import { invoicePage } from "./pages/invoice";
import { createStorefrontRenderer, EXTENSION_DIR, LOCALES, RTL_LOCALES } from "./storefront";
import { PROXY_PREFIX, proxiedRequest } from "./app-proxy";
import { productSvg } from "./images";
import { DEMO_PRODUCTS } from "./seed-data";
import type { CapturedMail } from "./smtp";
import type { Sandbox } from "./engine";
import { controlApi } from "./control-api";
import { handleFlowControl } from "./flow-panel";
import { handleSmsControl } from "./sms-panel";
import { handleMailControl } from "./mail-panel";
import type { MailgunStandIn } from "./mailgun";
import { createTwilioStandIn, type TwilioStandIn } from "./twilio";
import { createCustomerAccounts } from "./customer-accounts/routes";
import { createKlaviyoStandIn, KLAVIYO_DEMO_KEY, type KlaviyoStandIn } from "./klaviyo";

export interface SandboxServerOptions {
  sandbox: Sandbox;
  shop: string;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  port: number;
  host?: string;
  mails?: () => CapturedMail[];
  /** Called after every control-API change, e.g. to save the sandbox's state. */
  onChange?: () => void;
  /** Where the customer-account extensions live (default: the repository's extensions/). */
  customerAccountExtensionsDir?: string;
  /** The Klaviyo stand-in served at /klaviyo (default: a new one that accepts the demo key). */
  klaviyo?: KlaviyoStandIn;
  /** The Twilio stand-in served at /twilio (default: a new one for the demo account). */
  twilio?: TwilioStandIn;
  /** Mailgun's inbound side and the SMTP server it receives at: the mailbox's "Reply as the shopper". */
  mailgun?: MailgunStandIn;
  smtpUrl?: string;
}

const MIME: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 5_000_000) throw new Error("Request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toRequest(req: IncomingMessage, body: Buffer, origin: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
    else if (value !== undefined) headers.set(key, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? new Uint8Array(body) : undefined,
  });
}

async function send(res: ServerResponse, response: Response) {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

function html(body: string, status = 200, extra: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...extra },
  });
}

function staticFile(root: string, relative: string, read: (path: string) => Uint8Array = readFileSync): Response {
  const path = normalize(join(root, relative));
  if (!path.startsWith(root) || !existsSync(path)) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(read(path)), {
    headers: { "content-type": MIME[extname(path)] ?? "application/octet-stream", "cache-control": "no-cache" },
  });
}

function cookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

export async function startSandboxServer(
  options: SandboxServerOptions,
): Promise<{ server: Server; url: string; klaviyo: KlaviyoStandIn; close(): Promise<void> }> {
  if (process.env.NODE_ENV === "production")
    throw new Error("The Shopify sandbox never runs with NODE_ENV=production.");
  const host = options.host ?? "127.0.0.1";
  const renderer = createStorefrontRenderer();
  const publicDir = join(import.meta.dirname, "public");
  const assetsDir = join(EXTENSION_DIR, "assets");
  const { sandbox } = options;
  const klaviyo = options.klaviyo ?? createKlaviyoStandIn();
  const twilio = options.twilio ?? createTwilioStandIn();
  let origin = "";
  const api = controlApi({
    sandbox,
    shop: options.shop,
    mails: options.mails,
    onChange: options.onChange,
    imageBase: () => `${origin}/cdn/products`,
  });

  const customerAccounts = createCustomerAccounts({
    sandbox,
    shop: options.shop,
    extensionsDir: options.customerAccountExtensionsDir,
  });

  async function route(request: Request, clientIp: string): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;

    // The shopper's customer accounts (customer-accounts/routes.ts).
    const accounts = await customerAccounts.route(request);
    if (accounts) return accounts;

    // What Shopify's servers answer the app.
    if (/^\/admin\/api\/[^/]+\/graphql\.json$/.test(path) && request.method === "POST")
      return sandbox.handleAdminGraphql(request);
    if (path === "/admin/oauth/access_token" && request.method === "POST") return sandbox.handleTokenExchange(request);
    // Bulk operation results, as the storage behind Shopify's signed result URLs serves them.
    if (path.startsWith("/bulk-results/") && request.method === "GET") return sandbox.fetchBulkResult(request.url);
    // The storage behind stagedUploadsCreate's targets, and the CDN serving the files made from them.
    if (path === "/staged-uploads/") return sandbox.uploads.receive(request);
    if (path.startsWith("/cdn/files/") && request.method === "GET") return sandbox.uploads.serve(path);
    if (path === "/admin/session-token") {
      const shop = url.searchParams.get("shop") || options.shop;
      if (url.searchParams.get("api_key") && url.searchParams.get("api_key") !== options.apiKey) {
        return Response.json({ error: "That app is not installed on this shop." }, { status: 403 });
      }
      return Response.json(
        { token: sandbox.mintSessionToken({ shop }) },
        { headers: { "access-control-allow-origin": "*", "cache-control": "no-store" } },
      );
    }

    // The merchant's side: the admin frame and the App Bridge stand-in it hands the app.
    if (path === "/admin" || path === "/admin/") {
      const shopState = sandbox.shopInfo(options.shop);
      return html(
        adminFramePage({
          shop: options.shop,
          shopName: shopState.name,
          apiKey: options.apiKey,
          appUrl: options.appUrl,
          path: url.searchParams.get("path") || "/app",
          // The merchant's admin language, passed to the app as Shopify does (`/admin?locale=ja`).
          locale: url.searchParams.get("locale") || "en",
          idToken: sandbox.mintSessionToken({ shop: options.shop }),
          host: Buffer.from(`admin.shopify.com/store/${options.shop.replace(".myshopify.com", "")}`).toString(
            "base64url",
          ),
        }),
      );
    }
    if (path === "/app-bridge.js") {
      const response = staticFile(publicDir, "app-bridge.js");
      response.headers.set("access-control-allow-origin", "*");
      return response;
    }

    // The shopper's side: the storefront, the extension's assets and the app proxy.
    if (path === "/" || path === "/store") {
      const locale = (LOCALES as ReadonlyArray<string>).includes(url.searchParams.get("locale") ?? "")
        ? url.searchParams.get("locale")!
        : "en";
      const who = url.searchParams.get("customer") ?? cookie(request, "sandbox_customer") ?? "guest";
      const customers = sandbox.customers(options.shop).map((c) => ({
        id: String(c.id),
        name: `${c.firstName} ${c.lastName}`.trim() || c.email,
        email: c.email,
        firstName: c.firstName,
        lastName: c.lastName,
      }));
      const customer = customers.find((c) => c.id === who) ?? null;
      const shopState = sandbox.shopInfo(options.shop);
      const blocks = await renderer.render(
        {
          locale,
          shop: { domain: options.shop, name: shopState.name, currency: shopState.currency },
          customer: customer
            ? {
                id: customer.id,
                email: customer.email,
                firstName: customer.firstName,
                lastName: customer.lastName,
                orders: sandbox
                  .shop(options.shop)
                  .orders.filter((o) => String(o.customerId) === customer.id)
                  .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
              }
            : null,
          assetBase: "/store/assets",
          proxyPath: PROXY_PREFIX,
          appMetafields: sandbox.shop(options.shop).appMetafields ?? [],
        },
        url.searchParams.getAll("block"),
        // App embeds the merchant turned on (?embed=loyalty-launcher); off by default, as on Shopify.
        url.searchParams.getAll("embed"),
      );
      const query = new URLSearchParams(url.search);
      return html(
        storefrontPage({
          shopName: shopState.name,
          locale,
          rtl: RTL_LOCALES.has(locale),
          locales: LOCALES,
          customer: customer ? { id: customer.id, name: customer.name, email: customer.email } : null,
          demoCustomers: customers.slice(0, 12).map((c) => ({ id: c.id, name: c.name })),
          blocks,
          query,
          scheme: url.searchParams.get("scheme") === "dark" ? "dark" : "light",
        }),
        200,
        {
          "set-cookie": `sandbox_customer=${encodeURIComponent(customer?.id ?? "guest")}; Path=/; SameSite=Lax`,
        },
      );
    }
    // The shop uses new customer accounts, so the theme's account pages redirect there, in the
    // storefront page's language (the sandbox storefront takes it as ?locale=, not in the path).
    const account = /^\/account(?:\/(login|register|orders\/(\d+)))?\/?$/.exec(path);
    if (account) {
      const from = request.headers.get("referer");
      const locale =
        url.searchParams.get("locale") ??
        (from && URL.canParse(from) ? new URL(from).searchParams.get("locale") : null);
      const to = account[2] ? `orders/${account[2]}` : account[1] ? "sign-in" : "orders";
      const query = locale ? `?${new URLSearchParams({ locale })}` : "";
      return new Response(null, { status: 303, headers: { location: `/customer-accounts/${to}${query}` } });
    }
    // The extension's assets as Shopify's CDN serves the deployed copy: scripts and stylesheets
    // minified, readable from any origin (a script a block loads later, such as the returns form's).
    // The link in Shopify's invoice email (orderInvoiceSend): pay what the order owes.
    const invoice = /^\/invoices\/([A-Za-z0-9]{1,64})$/.exec(path);
    if (invoice && (request.method === "GET" || request.method === "POST")) {
      const shopName = sandbox.shopInfo(options.shop).name;
      const before = sandbox.invoices.owed(options.shop, invoice[1]);
      if (!before) return html("That invoice does not exist.", 404);
      const amount = (minor: number) => `${(minor / 100).toFixed(2)} ${before.currency}`;
      if (request.method === "POST") {
        const paid = sandbox.invoices.pay(options.shop, invoice[1]);
        const message = paid.ok ? undefined : paid.userErrors[0]?.message;
        const left = sandbox.invoices.owed(options.shop, invoice[1])?.amountMinor ?? 0;
        return html(
          invoicePage({ shopName, orderName: before.orderName, amount: amount(left), paid: left <= 0, message }),
        );
      }
      return html(
        invoicePage({
          shopName,
          orderName: before.orderName,
          amount: amount(before.amountMinor),
          paid: before.amountMinor <= 0,
        }),
      );
    }
    if (path.startsWith("/store/assets/")) {
      const asset = staticFile(assetsDir, path.slice("/store/assets/".length), shippedAsset);
      if (asset.ok) asset.headers.set("access-control-allow-origin", "*");
      return asset;
    }
    if (path === PROXY_PREFIX || path.startsWith(`${PROXY_PREFIX}/`)) {
      const customerId = cookie(request, "sandbox_customer");
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      const forward = proxiedRequest(url, request.method, request.headers, body, {
        appUrl: options.appUrl,
        shop: options.shop,
        secret: options.apiSecret,
        loggedInCustomerId: customerId && customerId !== "guest" ? customerId : "",
        clientIp,
      });
      const answer = await fetch(forward.url, { ...forward.init, redirect: "manual" });
      // Shopify renders an application/liquid answer inside the shop's theme; so does the sandbox.
      if ((answer.headers.get("content-type") ?? "").startsWith("application/liquid")) {
        const shopState = sandbox.shopInfo(options.shop);
        const body = await new Liquid().parseAndRender(await answer.text(), {
          shop: { name: shopState.name, domain: options.shop },
        });
        return html(
          storefrontPage({
            shopName: shopState.name,
            locale: "en",
            rtl: false,
            locales: LOCALES,
            customer: null,
            demoCustomers: [],
            blocks: [{ handle: "app-proxy", name: "App proxy page", html: body }],
            query: new URLSearchParams(),
          }),
          answer.status,
        );
      }
      const headers = new Headers(answer.headers);
      headers.delete("content-encoding");
      headers.delete("content-length");
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers });
    }
    if (path.startsWith("/cdn/products/") && path.endsWith(".svg")) {
      const handle = path.slice("/cdn/products/".length, -4);
      const product = sandbox.productByHandle(options.shop, handle);
      if (!product) return new Response("Not found", { status: 404 });
      const kind = DEMO_PRODUCTS.find((p) => p.handle === handle)?.kind ?? "bag";
      return new Response(productSvg(kind, product.title), {
        headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" },
      });
    }

    // Klaviyo's API as the app's Klaviyo client reaches it (KLAVIYO_API_URL=<sandbox>/klaviyo).
    if (path.startsWith("/klaviyo/")) return klaviyo.handle(request, path.slice("/klaviyo".length));
    // What the Klaviyo stand-in received, and making it fail on demand.
    if (path === "/control/api/klaviyo" && request.method === "GET")
      return Response.json(
        { demoKey: KLAVIYO_DEMO_KEY, events: klaviyo.events(), refused: klaviyo.refused() },
        { headers: { "cache-control": "no-store" } },
      );
    if (path === "/control/api/klaviyo/fail" && request.method === "POST") {
      const body = (await request.json().catch(() => ({}))) as { count?: unknown; status?: unknown };
      const count = Number(body.count ?? 1);
      const status = Number(body.status ?? 503);
      if (
        !Number.isInteger(count) ||
        count < 0 ||
        count > 1000 ||
        !Number.isInteger(status) ||
        status < 400 ||
        status > 599
      )
        return Response.json({ error: "count must be 0 to 1000 and status an HTTP error status" }, { status: 400 });
      klaviyo.failNext(count, status);
      return Response.json({ message: `The next ${count} Klaviyo requests answer ${status}.` });
    }

    // Driving the sandbox.
    // Twilio's Messages API (TWILIO_API_URL=<sandbox>/twilio) and the control page's SMS panel.
    if (path.startsWith("/twilio/") || path.startsWith("/control/api/sms")) {
      const answer = await handleSmsControl(request, path, { twilio, appUrl: options.appUrl });
      if (answer) return answer;
    }
    // The mailbox's shopper side: answering an email the app sent, through Mailgun's inbound route.
    if (path.startsWith("/control/api/mail/")) {
      const answer = await handleMailControl(request, path, {
        mails: options.mails,
        mailgun: options.mailgun,
        smtpUrl: options.smtpUrl,
      });
      if (answer) return answer;
    }
    // The control page's Shopify Flow panel: triggers received, actions run as Flow runs them.
    if (path.startsWith("/control/api/flow")) {
      const answer = await handleFlowControl(request, path.slice("/control/api/".length), {
        sandbox,
        shop: options.shop,
      });
      if (answer) return answer;
    }
    if (path === "/control") return html(controlPage({ shop: options.shop, appUrl: options.appUrl }));
    if (path.startsWith("/control/api/")) return api(request, path.slice("/control/api/".length));
    return new Response("Not found", { status: 404 });
  }

  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const response = await route(toRequest(req, body, origin), req.socket.remoteAddress ?? "127.0.0.1");
      await send(res, response);
    } catch (error) {
      console.error("[sandbox]", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`Sandbox error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, host, resolve));
  const address = server.address() as { port: number };
  origin = `http://${host}:${address.port}`;
  sandbox.bulk.setOrigin(origin);
  sandbox.uploads.setOrigin(origin);
  sandbox.invoices.setOrigin(origin);
  return {
    server,
    url: origin,
    klaviyo,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
