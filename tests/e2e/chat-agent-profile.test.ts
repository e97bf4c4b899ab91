import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";

import type { Db } from "../../app/db.server";
import { isAnyAgentAvailable } from "../../app/services/contact/agents.server";

import { chromiumAvailable, newPage, screenshotPath } from "./browser";
import { startAdminDemo, startTestDemo } from "./demo";

// An agent in the inbox (decision 0042), in the production build inside the admin frame: sets
// themselves available (which counts only while the inbox is open), names themselves and uploads
// a photo that the app resizes and serves; in English and Japanese, with screenshots.

describe.skipIf(!chromiumAvailable())("an agent's presence and profile in the inbox, in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ demo, db, browser, stop } = await startAdminDemo(10, { drainTimeoutMs: 300_000 }));
  }, 480_000);
  afterAll(() => stop?.());

  const available = () => isAnyAgentAvailable(demo.shop, new Date(), db);
  async function until(check: () => Promise<boolean>, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("sets available while the inbox is open, saves a name and a resized photo, and is away once closed", async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.sandboxUrl}/admin?path=/app/inbox`);
    const app = page.frameLocator("iframe#app");
    await app.getByText("Live chat", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await available()).toBe(false);
    await app.getByRole("button", { name: "Set yourself available" }).click();
    await app.getByRole("button", { name: "Set yourself away" }).waitFor();
    await until(available);

    await app.getByLabel("Name shoppers see").fill("Mina from Support");
    await app.getByRole("button", { name: "Save name" }).click();
    await until(async () => (await db.staffMember.count({ where: { displayName: "Mina from Support" } })) === 1);

    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#2a7d4f" } })
      .jpeg()
      .toBuffer();
    await app.locator('input[type="file"]').setInputFiles({ name: "me.jpg", mimeType: "image/jpeg", buffer: photo });
    await app.getByRole("img", { name: "Photo of Mina from Support" }).waitFor({ timeout: 15_000 });
    const stored = await db.staffPhoto.findFirstOrThrow({ select: { width: true, height: true, contentType: true } });
    expect(stored).toEqual({ width: 256, height: 256, contentType: "image/webp" });
    // A file that is not a photo is refused next to the drop zone, in the admin's words.
    await app
      .locator('input[type="file"]')
      .setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a photo") });
    await app.getByText("That file could not be read as a photo", { exact: false }).waitFor();
    await page.screenshot({ path: screenshotPath("chat-agent-profile-inbox"), fullPage: true });

    const ja = await newPage(browser);
    await ja.goto(`${demo.sandboxUrl}/admin?locale=ja&path=/app/inbox`);
    const jaApp = ja.frameLocator("iframe#app");
    await jaApp.getByText("ライブチャット", { exact: true }).waitFor({ timeout: 30_000 });
    await jaApp.getByRole("button", { name: "離席中にする" }).waitFor();
    await ja.screenshot({ path: screenshotPath("chat-agent-profile-inbox-ja"), fullPage: true });

    // Both tabs closed: the agent's presence ends with their last inbox stream.
    await ja.close();
    await page.close();
    await until(async () => !(await available()));
  }, 180_000);
});
