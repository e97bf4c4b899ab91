/**
 * `npm run demo`: the whole product on this machine with no Shopify account. Prepares the
 * database, starts the local Shopify sandbox and the app (the production build, as a separate
 * process talking to the sandbox over HTTP exactly as it would to Shopify), installs the app on
 * the demo shop through token exchange, seeds the shop on first run, and prints where to look.
 * Running it again reuses the data in .demo/ (the sandbox's state) and the database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";

import { migrate } from "../scripts/migrate.mjs";

import { createSandbox, type Sandbox } from "./engine";
import { startSandboxServer } from "./server";
import { startCaptureSmtp } from "./smtp";
import { seedDemoActivity, seedDemoCatalogue } from "./seed";
import { DEMO_SHOP } from "./seed-data";

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
  const dataDir = join(root, options.dataDir ?? process.env.DEMO_DATA_DIR ?? DEMO_DEFAULTS.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? `file:${join(dataDir, "aftercare.sqlite")}`;
  const host = "127.0.0.1";
  const appUrl = `http://${host}:${appPort}`;
  const sandboxUrl = `http://${host}:${sandboxPort}`;

  if (!existsSync(join(root, process.env.BUILD_DIR ?? "build", "server/index.js"))) {
    throw new Error("No production build: run `npm run build` first (npm run demo does).");
  }

  log("Preparing the database…");
  await migrate(databaseUrl);

  const smtp = await startCaptureSmtp(smtpPort, host);

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
    onChange: saveSoon,
  });

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
      SMTP_URL: `smtp://${host}:${smtp.port}`,
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

  try {
    await waitForHealth(appUrl, app);
    if (fresh) {
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
      const seeded = seedDemoActivity(seedOptions);
      await sandbox.flush();
      save();
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
    databaseUrl,
    apiSecret,
    stop,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const demo = await startDemo().catch((error) => {
    console.error(`\n${(error as Error).message}`);
    process.exit(1);
  });
  console.log(`
Aftercare demo is running.

  Admin (Aftercare embedded in a Shopify admin stand-in)  ${demo.sandboxUrl}/admin
  Storefront (the theme blocks, switch language/shopper)  ${demo.sandboxUrl}/store
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
