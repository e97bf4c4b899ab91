import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";

import type { Db } from "../../app/db.server";

import { chromiumAvailable, launchBrowser, newPage } from "./browser";
import { openDb, startTestDemo, waitForInboxDrained } from "./demo";
import { turnOnStorefrontLookup } from "./returns-lookup";
import {
  BLOCKS,
  ELEMENT,
  VIEWPORTS,
  axeProblems,
  furnishShop,
  layoutShift,
  lookupOrder,
  settled,
  slowProxy,
  watchLayoutShift,
  type AxeProblem,
  type BlockHandle,
} from "./storefront-quality";

/** Each block's main button, and who sees it (the Rewards sign-up link is a guest's). */
const PRIMARY: Record<BlockHandle, string> = {
  "order-tracking": ".aftercare-tracking__submit",
  // A guest's way in: the sign-in link, styled as the block's button (the order lookup's, when on, is the same).
  "returns-portal": ".aftercare-returns__button[data-sign-in]",
  "loyalty-widget": ".aftercare-loyalty__button--primary",
  contact: ".aftercare-contact__submit",
};
// Every storefront block as shoppers far from the app meet it (each app proxy answer 600 ms late):
// nothing on the page moves while answers arrive (CLS from Chromium's layout-shift entries), and
// axe-core finds no serious or critical WCAG 2.2 AA problem in any state, language or colour scheme.
describe.skipIf(!chromiumAvailable())("storefront blocks: layout shift and accessibility in Chromium", () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Browser;
  let db: Db;
  let member = "";
  let order: { name: string; email: string };
  /** A guest order whose parcel is delayed: tracking's result shows the problem step. */
  let delayed: { name: string; email: string };

  beforeAll(async () => {
    demo = await startTestDemo();
    db = openDb(demo.databaseUrl);
    await waitForInboxDrained(db);
    ({ customerId: member, delayed } = await furnishShop(demo, db));
    order = await lookupOrder(demo, db);
    // The Returns block with its order lookup (the merchant's choice): every state it can show.
    await turnOnStorefrontLookup(demo, db);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await demo?.stop();
  });

  const store = (block: BlockHandle, query: Record<string, string>) =>
    `${demo.sandboxUrl}/store?${new URLSearchParams({ block, ...query })}`;

  describe.each(BLOCKS)("%s", (block) => {
    it("takes its colours, fonts and corners from the theme, light and dark", async () => {
      // The sandbox theme's schemes as Dawn declares them: button, button text and body text.
      const schemes = {
        light: { button: "rgb(18, 18, 18)", label: "rgb(255, 255, 255)", text: "rgba(18, 18, 18, 0.75)" },
        dark: { button: "rgb(255, 255, 255)", label: "rgb(0, 0, 0)", text: "rgba(255, 255, 255, 0.75)" },
      };
      for (const [scheme, expected] of Object.entries(schemes)) {
        const page = await newPage(browser);
        await page.goto(store(block, { locale: "en", scheme, customer: "guest" }));
        await settled(page, ELEMENT[block]);
        const look = await page.locator(`${ELEMENT[block]} ${PRIMARY[block]}`).evaluate((button) => {
          const style = getComputedStyle(button);
          const root = getComputedStyle(button.closest("[data-locale]")!);
          return {
            button: style.backgroundColor,
            label: style.color,
            radius: style.borderTopLeftRadius,
            font: style.fontFamily === getComputedStyle(document.body).fontFamily,
            text: root.color,
          };
        });
        expect(look, `${block} ${scheme}`).toEqual({ ...expected, radius: "6px", font: true });
        await page.context().close();
      }
    });

    it("shifts nothing while its answers load, guest and signed in, on desktop and mobile (CLS 0.00)", async () => {
      const measured: Record<string, number> = {};
      for (const who of ["guest", member]) {
        for (const [name, size] of Object.entries(VIEWPORTS)) {
          const page = await newPage(browser, size);
          await slowProxy(page);
          await watchLayoutShift(page);
          await page.goto(store(block, { locale: "en", customer: who }));
          await settled(page, ELEMENT[block]);
          const { cls, shifts } = await layoutShift(page);
          measured[`${who === "guest" ? "guest" : "signed in"}, ${name}`] = cls;
          expect(cls, `${block}, ${who}, ${name}: ${JSON.stringify(shifts)}`).toBeLessThan(0.005);
          await page.context().close();
        }
      }
      expect(Object.keys(measured)).toHaveLength(4);
    }, 120_000);

    it("has no serious or critical axe problem in any state, language or colour scheme", async () => {
      const found: string[] = [];
      const check = async (page: Page, state: string) => {
        const problems: AxeProblem[] = await axeProblems(page, ELEMENT[block]);
        for (const p of problems)
          found.push(`${state}: ${p.id} (${p.impact}) ${p.nodes.map((n) => n.target).join(", ")}`);
      };
      for (const locale of ["en", "ko", "ja", "fa"]) {
        for (const scheme of ["light", "dark"]) {
          const where = `${locale} ${scheme}`;
          for (const who of block === "loyalty-widget" ? ["guest", member] : ["guest"]) {
            const page = await newPage(browser);
            await slowProxy(page);
            await page.goto(store(block, { locale, scheme, customer: who }));
            const element = page.locator(ELEMENT[block]);
            await element.waitFor();
            // Before any answer: the empty form, or the block waiting for the app proxy.
            await check(page, `${where} first paint`);
            await settled(page, ELEMENT[block]);
            await check(page, `${where} loaded`);
            if (block === "order-tracking" || block === "returns-portal") {
              // Loading, the order found (tracking: a delayed parcel), and a lookup that finds nothing.
              const found = block === "order-tracking" ? delayed : order;
              await element.locator('input[name="order"]').fill(found.name);
              await element.locator('input[name="email"]').fill(found.email);
              await element.locator('button[type="submit"]').first().click();
              await page.waitForSelector(`${ELEMENT[block]}[aria-busy="true"]`);
              await check(page, `${where} loading`);
              await settled(page, ELEMENT[block]);
              await check(page, `${where} result`);
              await element.locator('[data-action="again"]').first().click();
              await element.locator('input[name="email"]').fill("nobody@example.com");
              await element.locator('button[type="submit"]').first().click();
              await settled(page, ELEMENT[block]);
              await check(page, `${where} not found`);
            }
            await page.context().close();
          }
          // The app proxy failing: the block says so, readably.
          const failing = await newPage(browser);
          await failing.route("**/apps/aftercare/**", (route) => route.fulfill({ status: 500, body: "down" }));
          await failing.goto(store(block, { locale, scheme, customer: block === "loyalty-widget" ? member : "guest" }));
          await settled(failing, ELEMENT[block]);
          if (block === "order-tracking" || block === "returns-portal") {
            const element = failing.locator(ELEMENT[block]);
            await element.locator('input[name="order"]').fill(order.name);
            await element.locator('input[name="email"]').fill(order.email);
            await element.locator('button[type="submit"]').first().click();
            await settled(failing, ELEMENT[block]);
          }
          await check(failing, `${where} error`);
          await failing.context().close();
        }
      }
      expect(found).toEqual([]);
    }, 400_000);
  });
});
