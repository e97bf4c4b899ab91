/**
 * Helpers for end-to-end tests in the sandbox's customer accounts: signing in with the emailed
 * code, waiting for an extension's frame to render, collecting what the browser complains about,
 * and running axe-core on the page and inside each frame.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import type { Frame, Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Screenshots of these tests go to .scratch/customer-accounts/ (ignored by git), to be looked at. */
export function customerAccountsShot(name: string) {
  const dir = join(process.cwd(), ".scratch", "customer-accounts");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** Signs in as a customer the way a shopper does: email, then the six-digit code from the mail box. */
export async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/customer-accounts/sign-in?locale=en`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in" }).click();
  const mail = await page.getByRole("region", { name: "Sandbox mail" }).textContent();
  const code = /code is (\d{6})/.exec(mail ?? "")?.[1];
  if (!code) throw new Error(`No sign-in code for ${email} in the sandbox's mail box: ${mail}`);
  await page.getByLabel(/6-digit code/).fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/customer-accounts\/orders\?locale=\w+$/);
}

/** The frame an extension runs in, once its bundle has rendered (or the host has shown an error). */
export async function extensionFrame(page: Page, handle: string, timeout = 20_000): Promise<Frame> {
  const element = await page.waitForSelector(`iframe[data-extension="${handle}"]`, { timeout });
  const frame = await element.contentFrame();
  if (!frame) throw new Error(`The frame of ${handle} has no document.`);
  await frame.waitForSelector("html[data-sandbox-rendered], #sandbox-errors", { timeout, state: "attached" });
  return frame;
}

/** What the host reports in a frame (role=alert box), empty when the extension ran cleanly. */
export async function hostErrors(frame: Frame): Promise<string> {
  const panel = frame.locator("#sandbox-errors");
  return (await panel.count()) ? panel.innerText() : "";
}

/**
 * Every console error and uncaught exception of the page and its frames, as they come. A test
 * asserts the list is empty at its end.
 */
export function collectBrowserErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    // Chromium asks every page for /favicon.ico, which the sandbox does not serve.
    if (where.endsWith("/favicon.ico")) return;
    errors.push(`${where}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** axe-core's serious and critical violations on the page or frame, as "rule: target" lines. */
export async function axeViolations(target: Page | Frame): Promise<string[]> {
  await target.evaluate(axeSource);
  const result = await target.evaluate(async () => {
    interface Result {
      violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[];
    }
    const axe = (window as unknown as { axe: { run(): Promise<Result> } }).axe;
    return axe.run();
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
}

/** axe on the page and inside each extension frame it holds. */
export async function axeEverywhere(page: Page): Promise<string[]> {
  const found = await axeViolations(page);
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || !frame.url().includes("/customer-accounts/frame")) continue;
    const handle = new URL(frame.url()).searchParams.get("extension");
    for (const v of await axeViolations(frame)) found.push(`${handle} ${v}`);
  }
  return found;
}
