/**
 * `npm run demo`: the whole product on this machine with no Shopify account. Prepares the
 * database, starts the local Shopify sandbox and the app (the production build, as a separate
 * process talking to the sandbox over HTTP exactly as it would to Shopify), installs the app on
 * the demo shop through token exchange, seeds the shop on first run, and prints where to look.
 * Running it again reuses the data in .demo/ (the sandbox's state) and the database.
 *
 * `npm run demo -- --fresh-install`: install day on a shop with a past. The shop gets its history
 * first, while the app is not installed (so no webhook tells the app of it), then the app is
 * installed the same way and imports that history with a bulk query. Starts over on every run, in
 * .demo/fresh-install/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";

import { buildExtensions } from "../scripts/build-extensions.mjs";
import { migrate } from "../scripts/migrate.mjs";
import { countUnfinishedEvents } from "../app/models/webhook-inbox.server";

import { createSandbox, type Sandbox } from "./engine";
import { startSandboxServer } from "./server";
import { startCaptureSmtp } from "./smtp";
import { seedDemoActivity, seedDemoCatalogue } from "./seed";
import { DEMO_SHOP } from "./seed-data";
import { DEFAULT_IMPORT_DAYS, seedShopHistory, type HistorySummary } from "./seed-history";
import { TWILIO_DEMO_ACCOUNT_SID, TWILIO_DEMO_AUTH_TOKEN } from "./twilio";
import { createMailgunStandIn, DEMO_INBOUND_ADDRESS, MAILGUN_DEMO_SIGNING_KEY } from "./mailgun";

export interface DemoOptions {
  appPort?: number;
  sandboxPort?: number;
  smtpPort?: number;
  databaseUrl?: string;
  apiKey?: string;
  apiSecret?: string;
  dataDir?: string;
  orders?: number;
  customers?: number;
  log?: (line: string) => void;
  /** Pipe the app's own output to this process's (the demo) or keep it quiet (tests). */
  appOutput?: "inherit" | "ignore";
  /**
   * Install day on a shop with a past (sandbox/seed-history.ts): the shop's history is made while
   * the app is not installed, then the app is installed and imports it. Starts over every run.
   */
  freshInstall?: boolean;
  /**
   * With freshInstall, false leaves the app not installed: the first visit of the admin installs
   * it (the install-day test watches that import from the start).
   */
  install?: boolean;
  /**
   * Turns the merchant's loyalty program on with tiers and rewards (sandbox/seed-program.ts)
   * before the seed's orders arrive, so shoppers see points pending and available. `npm run demo`
   * does; tests that set the program up themselves leave it off.
   */
  loyaltyProgram?: boolean;
  /**
   * A service desk with a past (sandbox/seed-program.ts): Contact set up in four languages,
   * requests answered and closed, surveys answered, so every dashboard card has data. Seeded once
   * the seed's orders are in the app. `npm run demo` does.
   */
  serviceHistory?: boolean;
}

/** Waits until the app has handled every webhook the seed sent (its orders, shipments and refunds). */
async function waitForWebhooksProcessed(db: import("../app/db.server").Db, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Mirrored events still have their effects (tracking state, points, emails) to run.
    const waiting = await countUnfinishedEvents(db);
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting} webhooks still waiting after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** How the install's import of the shop's history ended, as the app recorded it. */
export interface InstallImport {
  status: string;
  windowDays: number;
  ordersTotal: number | null;
  ordersImported: number;
  error: string | null;
  seconds: number;
}

export const DEMO_DEFAULTS = {
  appPort: 8080,
  sandboxPort: 8081,
  smtpPort: 2525,
  apiKey: "aftercare-demo-key",
  apiSecret: "aftercare-demo-secret",
  dataDir: ".demo",
};

const root = join(import.meta.dirname, "..");

async function waitForHealth(url: string, app: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`The app exited with code ${app.exitCode} before it was ready.`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The app did not answer ${url}/healthz within ${timeoutMs / 1000} s.`);
}

/** Installs the app on the shop the way the embedded admin does: a session token, then token exchange. */
async function install(sandbox: Sandbox, appUrl: string, shop: string) {
  const token = sandbox.mintSessionToken({ shop });
  const url = new URL("/app", appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"));
  url.searchParams.set("id_token", token);
  // A browser's user agent: the app turns away bots from its admin pages, and Node's fetch is one.
  const response = await fetch(url, {
    redirect: "manual",
    headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Sandbox admin" },
  });
  if (response.status >= 400) {
    throw new Error(`Installing the app on ${shop} failed: ${response.status} ${await response.text()}`);
  }
}

/**
 * The install starts the app's import of the shop's history (a bulk query, in the background). The
 * demo's shop has no orders yet: the import runs on the empty shop before the seed places any, so
 * it always ends the same way (nothing to import) instead of racing the seed. Gives up quietly after
 * `timeoutMs` if the app starts none.
 */
async function waitForInstallImport(sandbox: Sandbox, shop: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (sandbox.bulk.list(sandbox.shop(shop)).length === 0) {
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  await sandbox.bulk.settle();
}

/**
 * After an install on a shop with a past: waits for Shopify's bulk query to be asked for and to
 * finish, then for the app to record the import's end (read through the import's owner).
 */
async function waitForHistoryImport(
  sandbox: Sandbox,
  shop: string,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<InstallImport> {
  const started = Date.now();
  let deadline = started + 30_000;
  while (sandbox.bulk.list(sandbox.shop(shop)).length === 0) {
    if (Date.now() > deadline) {
      throw new Error(
        "The install started no import of the shop's history. Does the database already know the demo shop? " +
          "--fresh-install needs a database the shop was never installed in (its own SQLite file, by default).",
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await sandbox.bulk.settle();
  const op = sandbox.bulk.current(sandbox.shop(shop))!;
  log(`Shopify's bulk query exported ${op.rootObjectCount} orders; the app is importing them…`);
  const { createDb } = await import("../app/db.server");
  const { latestImport } = await import("../app/models/history-import.server");
  const db = createDb(databaseUrl);
  try {
    deadline = Date.now() + 300_000;
    for (;;) {
      const row = await latestImport(db, shop);
      if (row && (row.status === "completed" || row.status === "failed")) {
        return {
          status: row.status,
          windowDays: row.windowDays,
          ordersTotal: row.ordersTotal,
          ordersImported: row.ordersImported,
          error: row.error,
          seconds: (Date.now() - started) / 1000,
        };
      }
      if (Date.now() > deadline) {
        throw new Error(`The import of the shop's history did not finish within 5 minutes (${row?.status ?? "none"}).`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await db.$disconnect();
  }
}

/** --fresh-install starts over: the last run's sandbox state, and its database when it is the folder's own. */
function forgetLastRun(dataDir: string, databaseUrl: string) {
  rmSync(join(dataDir, "sandbox-state.json"), { force: true });
  const own = join(dataDir, "aftercare.sqlite");
  if (databaseUrl === `file:${own}`) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${own}${suffix}`, { force: true });
  }
}

export async function startDemo(options: DemoOptions = {}) {
  if (process.env.NODE_ENV === "production") {
    throw new Error("npm run demo runs the local Shopify sandbox, which never runs with NODE_ENV=production.");
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const appPort = options.appPort ?? Number(process.env.PORT || DEMO_DEFAULTS.appPort);
  const sandboxPort = options.sandboxPort ?? Number(process.env.SANDBOX_PORT || DEMO_DEFAULTS.sandboxPort);
  const smtpPort = options.smtpPort ?? Number(process.env.SANDBOX_SMTP_PORT || DEMO_DEFAULTS.smtpPort);
  const apiKey = options.apiKey ?? process.env.SHOPIFY_API_KEY ?? DEMO_DEFAULTS.apiKey;
  const apiSecret = options.apiSecret ?? process.env.SHOPIFY_API_SECRET ?? DEMO_DEFAULTS.apiSecret;
  const freshInstall = options.freshInstall ?? false;
  // A fresh install has a folder of its own, which it empties: the usual demo's data is left alone.
  const dataDir = join(
    root,
    options.dataDir ?? process.env.DEMO_DATA_DIR ?? DEMO_DEFAULTS.dataDir,
    freshInstall ? "fresh-install" : "",
  );
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? `file:${join(dataDir, "aftercare.sqlite")}`;
  if (freshInstall) forgetLastRun(dataDir, databaseUrl);
  const host = "127.0.0.1";
  const appUrl = `http://${host}:${appPort}`;
  const sandboxUrl = `http://${host}:${sandboxPort}`;

  if (!existsSync(join(root, process.env.BUILD_DIR ?? "build", "server/index.js"))) {
    throw new Error("No production build: run `npm run build` first (npm run demo does).");
  }

  // The customer-account extensions call the app at the address they were built with: this demo's,
  // in a folder of its own, so demos and tests on other ports each keep their bundles.
  const customerAccountExtensionsDir = join(dataDir, "extensions");
  await buildExtensions({ appUrl, outDir: customerAccountExtensionsDir });

  log("Preparing the database…");
  await migrate(databaseUrl);

  // Shoppers' answers by email: the inbound domain's mail reaches Mailgun's stand-in, which posts it
  // to the app as Mailgun's inbound route does (sandbox/mailgun.ts).
  const mailgun = createMailgunStandIn({ webhookUrl: `${appUrl}/contact/inbound-email` });
  const smtp = await startCaptureSmtp(smtpPort, host, {
    domain: DEMO_INBOUND_ADDRESS.split("@")[1],
    receive: mailgun.receive,
  });

  // The sandbox's clock: real time, except while the seed replays the past.
  let virtualNow: Date | null = null;
  const stateFile = join(dataDir, "sandbox-state.json");
  const saved = existsSync(stateFile) ? readFileSync(stateFile, "utf8") : undefined;
  const sandbox = createSandbox({ apiKey, apiSecret, appUrl, clock: () => virtualNow ?? new Date(), state: saved });
  const fresh = !saved || !sandbox.shops().some((s) => s.domain === DEMO_SHOP.domain);

  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    const tmp = `${stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(sandbox.toJSON()));
    renameSync(tmp, stateFile);
  };
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 300);
  };

  const sandboxServer = await startSandboxServer({
    sandbox,
    shop: DEMO_SHOP.domain,
    apiKey,
    apiSecret,
    appUrl,
    port: sandboxPort,
    host,
    mails: () => smtp.mails,
    mailgun,
    smtpUrl: `smtp://${host}:${smtp.port}`,
    onChange: saveSoon,
    customerAccountExtensionsDir,
  });
  // Production front ends (Shopify's among them) keep an idle connection open for a minute or more,
  // not Node's default 5 s: with 5 s, a request the app sends on a connection the sandbox is closing
  // at that moment (its thread was busy writing an import's batch) fails as "other side closed".
  sandboxServer.server.keepAliveTimeout = 60_000;

  log("Starting the app…");
  const app = spawn(process.execPath, [join(root, "server.js")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(appPort),
      HOST: host,
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_ADMIN_API_ORIGIN: sandboxUrl,
      APP_BRIDGE_URL: `${sandboxUrl}/app-bridge.js`,
      // The sandbox's Klaviyo stand-in (sandbox/klaviyo.ts) takes the app's Klaviyo calls.
      KLAVIYO_API_URL: `${sandboxUrl}/klaviyo`,
      // The sandbox's Twilio stand-in (sandbox/twilio.ts) takes the app's texts, with the demo account.
      TWILIO_API_URL: `${sandboxUrl}/twilio`,
      TWILIO_ACCOUNT_SID: TWILIO_DEMO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TWILIO_DEMO_AUTH_TOKEN,
      SMTP_URL: `smtp://${host}:${smtp.port}`,
      // Mailgun's stand-in receives at the demo's inbound address and signs with the demo key.
      INBOUND_EMAIL_ADDRESS: DEMO_INBOUND_ADDRESS,
      MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_DEMO_SIGNING_KEY,
      MAIL_FROM: process.env.MAIL_FROM ?? `"${DEMO_SHOP.name}" <care@northwind.example>`,
    },
    stdio: ["ignore", options.appOutput ?? "inherit", options.appOutput ?? "inherit"],
  });

  async function stop() {
    clearTimeout(saveTimer);
    if (sandbox.shops().length) save();
    sandbox.close();
    app.kill("SIGTERM");
    await new Promise((r) => (app.exitCode === null ? app.once("exit", r) : r(null)));
    await sandboxServer.close();
    await smtp.close();
  }

  let history: HistorySummary | null = null;
  let installImport: InstallImport | null = null;
  try {
    await waitForHealth(appUrl, app);
    if (freshInstall) {
      log("Giving the demo shop its past (products, customers, orders in every state); the app is not installed…");
      const started = Date.now();
      const setNow = (d: Date | null) => (virtualNow = d);
      // The catalogue is older than the oldest order (seedDemoCatalogue makes it 70 days before `now`).
      const catalogueNow = new Date(Date.now() - 90 * 86_400_000);
      seedDemoCatalogue({ sandbox, setNow, imageBase: `${sandboxServer.url}/cdn/products`, now: catalogueNow });
      history = seedShopHistory({
        sandbox,
        setNow,
        orders: options.orders ?? Number(process.env.DEMO_ORDERS || 360),
        customers: options.customers,
      });
      save();
      log(
        `The shop has ${history.orders} orders from the last ${history.days} days for ${history.customers} ` +
          `customers, made in ${((Date.now() - started) / 1000).toFixed(1)} s with no webhook to the app.`,
      );
      if (options.install !== false) {
        log("Installing the app, which queues the import of the shop's history…");
        await install(sandbox, appUrl, DEMO_SHOP.domain);
        installImport = await waitForHistoryImport(sandbox, DEMO_SHOP.domain, databaseUrl, log);
        await sandbox.flush();
        save();
      }
    } else if (fresh) {
      log("Seeding the demo shop (products, customers, orders in every state)…");
      const started = Date.now();
      const seedOptions = {
        sandbox,
        setNow: (d: Date | null) => (virtualNow = d),
        imageBase: `${sandboxServer.url}/cdn/products`,
        orders: options.orders ?? Number(process.env.DEMO_ORDERS || 300),
        customers: options.customers,
      };
      seedDemoCatalogue(seedOptions);
      await install(sandbox, appUrl, DEMO_SHOP.domain);
      await waitForInstallImport(sandbox, DEMO_SHOP.domain);
      if (options.loyaltyProgram) {
        const { createDb } = await import("../app/db.server");
        const { seedDemoLoyalty } = await import("./seed-program");
        const db = createDb(databaseUrl);
        try {
          await seedDemoLoyalty(db, DEMO_SHOP.domain);
        } finally {
          await db.$disconnect();
        }
      }
      const seeded = seedDemoActivity(seedOptions);
      await sandbox.flush();
      save();
      if (options.serviceHistory) {
        log("Seeding the service desk's past (contact requests, replies, surveys)…");
        const { createDb } = await import("../app/db.server");
        const { seedDemoService } = await import("./seed-program");
        const db = createDb(databaseUrl);
        try {
          await waitForWebhooksProcessed(db);
          const orders = sandbox.shop(DEMO_SHOP.domain).orders;
          await seedDemoService(db, DEMO_SHOP.domain, {
            secret: apiSecret,
            now: new Date(),
            inboundAddress: DEMO_INBOUND_ADDRESS,
            shoppers: sandbox.customers(DEMO_SHOP.domain).map((c) => ({
              ...c,
              orders: orders.filter((o) => o.customerId === c.id).map((o) => o.name),
            })),
          });
        } finally {
          await db.$disconnect();
        }
      }
      log(
        `Seeded ${seeded.orders} orders for ${seeded.customers} customers ` +
          `in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
    } else {
      await install(sandbox, appUrl, DEMO_SHOP.domain);
      log("Reusing the demo shop from the last run (delete .demo/ to start over).");
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    appUrl,
    sandboxUrl: sandboxServer.url,
    sandbox,
    shop: DEMO_SHOP.domain,
    mails: smtp.mails,
    mailgun,
    /** The sandbox's SMTP server: the app's mail and, for the inbound domain, shoppers' mail to Mailgun. */
    smtpUrl: `smtp://${host}:${smtp.port}`,
    databaseUrl,
    apiKey,
    apiSecret,
    /** With freshInstall: what the shop's past holds, and how the install's import ended. */
    history,
    installImport,
    stop,
  };
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** What --fresh-install did and where to see it. */
function freshInstallReport(demo: Awaited<ReturnType<typeof startDemo>>): string {
  const h = demo.history!;
  const imported = demo.installImport!;
  const s = h.states;
  const since = Date.now() - imported.windowDays * 86_400_000;
  // An order to try: placed before the install, in the import's window, delivered, by a customer who can sign in.
  const customers = demo.sandbox.shop(demo.shop).customers;
  const sample = demo.sandbox
    .shop(demo.shop)
    .orders.filter((o) => o.email && !o.cancelledAt && Date.parse(o.createdAt) >= since)
    .filter((o) => o.returns.length === 0 && o.refunds.length === 0 && o.fulfillments.length > 0)
    .filter((o) => o.fulfillments.every((f) => f.shipmentStatus === "delivered"))
    .filter((o) => customers.some((c) => c.id === o.customerId && c.email === o.email))
    .at(-1);
  const result =
    imported.status === "completed"
      ? `The app imported ${plural(imported.ordersImported, "order")} from the last ${imported.windowDays} days ` +
        `in ${imported.seconds.toFixed(1)} s.`
      : `The import stopped: ${imported.error ?? "no reason given"}. The Sync page has a Retry.`;
  const at = (what: string, where: string) => `  ${what.padEnd(62)}${where}`;
  return [
    "",
    "Aftercare demo is running: installed today on a shop with a past.",
    "",
    "Before the install (the app was not installed, so Shopify sent it no webhook), the sandbox shop got",
    `  ${plural(h.orders, "order")} from the last ${h.days} days, ` +
      `${plural(h.inImportWindow, "order")} of them in the last ${DEFAULT_IMPORT_DAYS}`,
    `  ${plural(h.customers, "customer")}, ${h.repeatCustomers} of them with repeat orders`,
    `  unpaid ${s.unpaid}, unfulfilled ${s.unfulfilled}, on the way ${s.onTheWay}, delivered ${s.delivered}, ` +
      `failed delivery ${s.deliveryFailed}, cancelled ${s.cancelled}`,
    `  refunded ${s.refunded}, partly refunded ${s.partlyRefunded}, with a return ${s.withReturn} ` +
      `(requested ${h.returns.requested}, open ${h.returns.open}, declined ${h.returns.declined}, ` +
      `closed ${h.returns.closed})`,
    "Then the app was installed (token exchange, as the admin does it), which queued the import.",
    result,
    "",
    "Where to look:",
    at("Admin home: the setup guide, the import its first step", `${demo.sandboxUrl}/admin`),
    at("Sync page: the Order history card (import 180 days for more)", `${demo.sandboxUrl}/admin?path=/app/sync`),
    at("Storefront: track an order from before the install", `${demo.sandboxUrl}/store`),
    ...(sample ? [`    for example ${sample.name} with ${sample.email}`] : []),
    at("Return it: the Returns block's sign-in, then Return or exchange", `${demo.sandboxUrl}/store`),
    ...(sample ? [`    sign in as ${sample.email} (the code shows on the sign-in page)`] : []),
    at("Customer accounts: sign in as a demo customer", `${demo.sandboxUrl}/customer-accounts`),
    at("Sandbox control (orders, shipping, webhooks, mail)", `${demo.sandboxUrl}/control`),
    at("The app itself", `${demo.appUrl}  (GET /healthz)`),
    "",
    "Press Ctrl+C to stop.",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flags = process.argv.slice(2);
  const unknown = flags.filter((f) => f !== "--fresh-install");
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(" ")}. The demo takes one: --fresh-install (see README.md).`);
    process.exit(2);
  }
  const freshInstall = flags.includes("--fresh-install");
  const demo = await startDemo({ freshInstall, loyaltyProgram: true, serviceHistory: true }).catch((error) => {
    console.error(`\n${(error as Error).message}`);
    process.exit(1);
  });
  if (freshInstall) console.log(freshInstallReport(demo));
  else
    console.log(`
Aftercare demo is running.

  Admin (Aftercare embedded in a Shopify admin stand-in)  ${demo.sandboxUrl}/admin
  Storefront (the theme blocks, switch language/shopper)  ${demo.sandboxUrl}/store
  Customer accounts (sign in as mina.rahimi@example.com)  ${demo.sandboxUrl}/customer-accounts
    returns start there: the Returns block's "Sign in to start a return", then an order's
    "Return or exchange" (the order number and email lookup is off; the Return policy page turns it on)
  Sandbox control (orders, shipping, webhooks, mail)      ${demo.sandboxUrl}/control
  The app itself                                          ${demo.appUrl}  (GET /healthz)

Press Ctrl+C to stop.`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      await demo.stop();
      process.exit(0);
    });
  }
}
