import { describe, expect, it } from "vitest";

import {
  DEFAULT_TRACKING_SETTINGS,
  languageFor,
  readTrackingSettings,
  validateTrackingSettings,
  LANGUAGES,
  NOTIFIED_MILESTONES,
} from "./settings";
import { DEFAULT_EMAIL_TEMPLATES } from "./email-templates";

describe("tracking settings", () => {
  it("fills every default for a shop that never saved", () => {
    expect(DEFAULT_TRACKING_SETTINGS.estimates).toMatchObject({
      processingBusinessDays: 1,
      cutoffHour: 14,
      weekend: [0, 6],
    });
    expect(DEFAULT_TRACKING_SETTINGS.notifications.enabled).toEqual({
      shipped: true,
      out_for_delivery: true,
      delivered: true,
      delayed: true,
      exception: true,
    });
    expect(readTrackingSettings(null)).toEqual(DEFAULT_TRACKING_SETTINGS);
    expect(readTrackingSettings("not json")).toEqual(DEFAULT_TRACKING_SETTINGS);
  });

  it("keeps what was saved and fills what was not", () => {
    const saved = readTrackingSettings(
      JSON.stringify({ branding: { accentColor: "#aa0000" }, delays: { noScanForBusinessDays: null } }),
    );
    expect(saved.branding).toEqual({ accentColor: "#aa0000", logoUrl: "" });
    expect(saved.delays).toEqual({ unfulfilledAfterBusinessDays: 3, noScanForBusinessDays: null, pastEstimate: true });
  });

  it("explains each problem where the merchant will find it", () => {
    const result = validateTrackingSettings({
      branding: { accentColor: "blue", logoUrl: "http://insecure.example.com/logo.png" },
      estimates: {
        transitBusinessDays: { byCountry: { CA: { min: 5, max: 2 }, canada: { min: 1, max: 2 } } },
        holidays: ["2025-02-30"],
      },
      recommendations: { source: "collection" },
      notifications: { templates: { ko: { shipped: { subject: "", body: "x" } } } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.problems.map((p) => p.message);
    // Each in the merchant's words, at the field it is about, with no schema path or code.
    expect(result.problems.find((p) => p.path === "branding.accentColor")?.message).toBe(
      "Enter the accent colour as # and six hex digits, such as #1a73e8",
    );
    expect(messages).toContain("Enter the logo's full address, starting with https://");
    expect(result.problems.find((p) => p.path === "estimates.transitBusinessDays.byCountry.CA.max")?.message).toBe(
      "The shortest transit time cannot be longer than the longest",
    );
    expect(messages).toContain("Use a two-letter country code such as CA");
    expect(result.problems.find((p) => p.path === "estimates.holidays.0")?.message).toBe(
      "Enter closed days as dates such as 2026-12-25",
    );
    expect(messages).toContain("Choose the collection to recommend from");
    expect(result.problems.find((p) => p.path === "notifications.templates.ko.shipped.subject")?.message).toBe(
      "Email subject is required",
    );
    for (const m of messages) expect(m).not.toMatch(/[a-z][A-Z]|›|Expected|received/);
  });

  it("refuses settings it does not know, and wrong types", () => {
    const unknown = validateTrackingSettings({ colour: "#fff" });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.problems[0].message).toMatch(/does not know: colour$/);
    const wrongType = validateTrackingSettings({ delays: { unfulfilledAfterBusinessDays: "three" } });
    expect(wrongType.ok).toBe(false);
    if (!wrongType.ok)
      expect(wrongType.problems[0].message).toBe("Enter a number for Days before an unshipped order is late");
  });

  it("picks the shopper's language when the block speaks it", () => {
    expect(languageFor("fa-IR", "en")).toBe("fa");
    expect(languageFor("ko", "en")).toBe("ko");
    expect(languageFor("de", "ja")).toBe("ja");
    expect(languageFor(null, "en")).toBe("en");
  });

  it("has a default email for every language and milestone", () => {
    for (const lang of LANGUAGES) {
      for (const m of NOTIFIED_MILESTONES) {
        expect(DEFAULT_EMAIL_TEMPLATES[lang][m].subject).toContain("{{ order_name }}");
        expect(DEFAULT_EMAIL_TEMPLATES[lang][m].body).toContain("{{ tracking_url }}");
      }
    }
  });
});
