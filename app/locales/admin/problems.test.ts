/** Schema issues become messages a merchant acts on, at their field, in the admin's language. */
import { describe, expect, it } from "vitest";

import { DEFAULT_RETURN_POLICY, policySchema } from "../../domain/returns/policy";
import { validateTrackingSettings } from "../../domain/tracking/settings";

import { fieldLabel, problemText, problemsFromZod } from "./problems";

import { translator } from "./index";

describe("problems from a settings schema", () => {
  it("asks for an emptied number in the merchant's words, not the schema's", () => {
    // An emptied number field reaches the server as null (JSON has no NaN).
    const parsed = policySchema.safeParse({ ...DEFAULT_RETURN_POLICY, windowDays: null });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const [problem] = problemsFromZod(parsed.error, "returns");
    expect(problem).toMatchObject({ path: "windowDays", message: "Enter a return window in days" });
    expect(problemText(translator("ja"), problem)).toBe("返品受付期間を日数で入力してください");
  });

  it("refuses a 5,000-character status label at its field, and lists every problem at once", () => {
    const result = validateTrackingSettings({
      wording: { en: { delivered: "x".repeat(5000) } },
      branding: { accentColor: "blue" },
      delays: { noScanForBusinessDays: "three" },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([
      ["branding.accentColor", "Enter the accent colour as # and six hex digits, such as #1a73e8"],
      ["wording.en.delivered", "Status label can be at most 60 characters"],
      ["delays.noScanForBusinessDays", "Enter a number for Days without a carrier update"],
    ]);
    const ko = translator("ko");
    expect(problemText(ko, result.problems[1])).toBe("상태 이름은(는) 최대 60자까지 입력할 수 있습니다");
    for (const p of result.problems) expect(p.message).not.toMatch(/Expected|received|›|\w\.\w/);
  });

  it("labels a field by its own key, a list's position as *, then its section", () => {
    expect(fieldLabel("loyalty", ["tiers", 2, "name"])).toBe("field.loyalty.tiers.*.name");
    expect(fieldLabel("tracking", ["notifications", "templates", "ja", "shipped", "subject"])).toBe(
      "field.tracking.notifications.subject",
    );
    expect(fieldLabel("tracking", ["estimates", "transitBusinessDays", "byCountry", "CA", "min"])).toBe(
      "field.tracking.estimates.transitBusinessDays.byCountry",
    );
    expect(fieldLabel("contact", ["nothing", "here"])).toBe("field.thisField");
  });
});
