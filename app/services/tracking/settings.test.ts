import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { getTrackingSettings } from "../../models/tracking.server";
import { translator } from "../../locales/admin";
import { problemText } from "../../locales/admin/problems";

import { previewTrackingEmail, updateTrackingSettings } from "./settings.server";

const SHOP = "aftercare-test.myshopify.com";
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("saving tracking settings", () => {
  it("saves valid settings whole and fills defaults", async () => {
    const result = await updateTrackingSettings(t.db, SHOP, {
      branding: { accentColor: "#112233" },
      estimates: { transitBusinessDays: { byCountry: { KR: { min: 1, max: 2 } } } },
    });
    expect(result.ok).toBe(true);
    const stored = await getTrackingSettings(t.db, SHOP);
    expect(stored.branding.accentColor).toBe("#112233");
    expect(stored.estimates.transitBusinessDays.byCountry.KR).toEqual({ min: 1, max: 2 });
    expect(stored.delays.noScanForBusinessDays).toBe(4);
  });

  it("refuses a template whose Liquid does not parse, saving nothing", async () => {
    const result = await updateTrackingSettings(t.db, SHOP, {
      branding: { accentColor: "#445566" },
      notifications: {
        templates: { ja: { delivered: { subject: "配達 {{ order_name }}", body: "{% if carrier %}unclosed" } } },
      },
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({
        path: "notifications.templates.ja.delivered.body",
        message: "Email message has a template error: {% if carrier %} is not closed: its end tag is missing (line 1)",
      });
    // The admin in Japanese reads it with none of the template engine's English.
    if (!result.ok)
      expect(problemText(translator("ja"), result.problems[0])).toMatch(
        /^[^A-Za-z]*\{% if carrier %\} が閉じられていません。終了タグがありません（1行目）$/,
      );
    expect((await getTrackingSettings(t.db, SHOP)).branding.accentColor).toBe("#112233");
  });

  it("refuses a bad value with a message naming the setting", async () => {
    const result = await updateTrackingSettings(t.db, SHOP, { delays: { noScanForBusinessDays: 0 } });
    expect(result).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({
          path: "delays.noScanForBusinessDays",
          message: "Days without a carrier update must be at least 1",
        }),
      ],
    });
  });

  it("previews an email with the merchant's wording", async () => {
    const settings = await getTrackingSettings(t.db, SHOP);
    settings.notifications.templates.en.shipped = {
      subject: "On its way: {{ order_name }}",
      body: "Thanks {{ customer_first_name }}!",
    };
    const email = await previewTrackingEmail(t.db, SHOP, { settings, language: "en", milestone: "shipped" });
    expect(email.subject).toBe("On its way: #1001 (example)");
    expect(email.html).toContain("Thanks Alex (example)!");
  });
});
