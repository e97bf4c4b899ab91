/**
 * One answer per survey: changeable for SURVEY_CHANGE_WINDOW_MS after the first, then final. The
 * service and the storefront page (the real route, with signed app-proxy requests), and the KPI
 * that counts the survey once, with its final score, in the period of its first answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { proxyRequest } from "../../../tests/helpers/app-proxy";

import { surveyPageCopy } from "./emails";
import { answerSurvey, SURVEY_CHANGE_WINDOW_MINUTES, SURVEY_CHANGE_WINDOW_MS, surveyToken } from "./surveys.server";

const SHOP = "survey-answers.myshopify.com";
const secret = process.env.SHOPIFY_API_SECRET!;
// Ten minutes before midnight UTC: a change inside the window falls on the next day.
const T0 = new Date("2026-03-10T23:50:00Z");
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
type Route = typeof import("../../routes/proxy.contact.survey");

let t: TestDatabase;
let route: Route;
let token: string;

beforeAll(async () => {
  t = await createTestDatabase();
  // The route's db() reads DATABASE_URL on first use.
  process.env.DATABASE_URL = t.url;
  route = await import("../../routes/proxy.contact.survey");
  (await import("../dashboard/core-metrics.server")).registerCoreDashboardMetrics();
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterAll(async () => {
  vi.useRealTimers();
  await t.drop();
});
beforeEach(async () => {
  vi.setSystemTime(T0);
  await t.db.surveyResponse.deleteMany();
  const survey = await t.db.surveyResponse.create({
    data: { shop: SHOP, kind: "csat", subjectId: "request-1", sentAt: new Date("2026-03-09T12:00:00Z") },
  });
  token = surveyToken({ shop: SHOP, surveyId: survey.id, secret, now: T0 });
});

const deps = (now: Date) => ({ db: t.db, secret, now });
const answer = (now: Date, score: string, comment = "") => answerSurvey(deps(now), SHOP, token, { score, comment });

describe("answering a survey", () => {
  it("takes the first answer, a change within the window, and then nothing more", async () => {
    expect(await answer(T0, "2", "slow")).toMatchObject({ ok: true, changed: false });
    expect(await answer(later(SURVEY_CHANGE_WINDOW_MINUTES - 1), "5")).toMatchObject({ ok: true, changed: true });
    const refused = await answer(new Date(T0.getTime() + SURVEY_CHANGE_WINDOW_MS), "1", "changed my mind");
    expect(refused).toMatchObject({ ok: false, status: 409, reason: "final", recorded: { score: 5, comment: "slow" } });
    const row = await t.db.surveyResponse.findFirstOrThrow();
    // The first answer's moment stays: the survey belongs to one period.
    expect(row).toMatchObject({ score: 5, comment: "slow", answeredAt: T0, changedAt: later(29) });
  });

  it("counts the survey once in the KPIs, with its final score, in the period of the first answer", async () => {
    const { computeDashboard } = await import("../dashboard/registry.server");
    await answer(T0, "1");
    await answer(later(20), "5");
    await answer(later(45), "1");
    const csatOn = async (day: string) =>
      (await computeDashboard(t.db, SHOP, { from: day, to: day }, later(60))).figures.find((f) => f.id === "csat")
        ?.current;
    expect(await csatOn("2026-03-10")).toMatchObject({ value: 1, detail: "1 answer" });
    expect((await csatOn("2026-03-11"))?.value ?? null).toBeNull();
  });
});

describe("the survey page", () => {
  const post = (score: string) => {
    const signed = proxyRequest("contact/survey", { token }, { shop: SHOP, method: "POST" });
    const body = new URLSearchParams({ score, comment: "" });
    const request = new Request(signed.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    return route.action({ request, params: {}, context: {} } as never);
  };
  const get = () =>
    route.loader({
      request: proxyRequest("contact/survey", { token }, { shop: SHOP }),
      params: {},
      context: {},
    } as never);

  it("says how long an answer can be changed, and shows the recorded answer once it is final", async () => {
    const form = await get();
    expect(await form.text()).toContain(`for ${SURVEY_CHANGE_WINDOW_MINUTES} minutes after you send it`);
    expect((await post("4")).status).toBe(200);

    vi.setSystemTime(later(10));
    const again = await get();
    expect(await again.text()).toContain('value="4" required checked');
    expect((await post("3")).status).toBe(200);

    vi.setSystemTime(later(SURVEY_CHANGE_WINDOW_MINUTES + 5));
    const closed = await get();
    expect(closed.status).toBe(200);
    const closedText = await closed.text();
    expect(closedText).toContain("can no longer be changed");
    expect(closedText).toContain("Your score: 3");
    expect(closedText).not.toContain("<form");

    const late = await post("1");
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Your score: 3");
    expect((await t.db.surveyResponse.findFirstOrThrow()).score).toBe(3);
  });

  it("has the window and the final answer's words in every storefront language", () => {
    const copies = ["en", "ko", "ja", "fa"].map((language) => surveyPageCopy(language));
    for (const copy of copies) {
      expect(copy.changeNote(30)).toMatch(/30|۳۰/);
      expect(copy.finalHeading).not.toBe("");
      expect(copy.recordedScore(7)).toMatch(/7|۷/);
    }
    expect(new Set(copies.map((c) => c.finalBody)).size).toBe(4);
  });
});
