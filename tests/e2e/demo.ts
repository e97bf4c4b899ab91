import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { startDemo, type DemoOptions } from "../../sandbox/demo";
import { createDb, type Db } from "../../app/db.server";
import { countUnfinishedEvents } from "../../app/models/webhook-inbox.server";

import { launchBrowser } from "./browser";

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The whole product as `npm run demo` runs it, on free ports with a throwaway data folder; `more`
 * adds demo options (e.g. freshInstall for a shop with a past).
 */
export async function startTestDemo(
  orders = 40,
  more: Pick<DemoOptions, "freshInstall" | "install" | "customers" | "loyaltyProgram" | "serviceHistory"> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "aftercare-e2e-"));
  const demo = await startDemo({
    appPort: await freePort(),
    sandboxPort: await freePort(),
    smtpPort: await freePort(),
    dataDir: relative(join(import.meta.dirname, "../.."), dir),
    databaseUrl: `file:${join(dir, "aftercare.sqlite")}`,
    orders,
    customers: 12,
    log: () => {},
    appOutput: "ignore",
    ...more,
  });
  return {
    ...demo,
    async stop() {
      await demo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the app has processed every webhook it recorded (the seed sends a few hundred). */
export async function waitForInboxDrained(db: Db, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Mirrored events still have their effects (tracking state, points, emails) to run.
    const waiting = await countUnfinishedEvents(db);
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting} webhook events still waiting after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function openDb(url: string): Db {
  return createDb(url);
}

/**
 * What an admin end-to-end file starts before its tests: the demo with its seed's webhooks
 * processed, its database and Chromium. `stop` closes them again (in a file's afterAll); if the
 * start fails half-way, what was started is closed before the error is thrown.
 */
export async function startAdminDemo(
  orders?: number,
  options: { more?: Parameters<typeof startTestDemo>[1]; drainTimeoutMs?: number } = {},
) {
  const demo = await startTestDemo(orders, options.more);
  const db = openDb(demo.databaseUrl);
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const stop = async () => {
    await browser?.close();
    await db.$disconnect();
    await demo.stop();
  };
  try {
    await waitForInboxDrained(db, options.drainTimeoutMs);
    browser = await launchBrowser();
  } catch (error) {
    await stop();
    throw error;
  }
  return { demo, db, browser, stop };
}
