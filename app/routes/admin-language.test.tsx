/**
 * Pages rendered as the admin opens them in Japanese (Shopify's `locale=ja`, read by the app's
 * frame): the headings, labels and counts are Japanese, and no English sentence is left. The
 * pages' data is what their loaders return (the guide read from a real database); the frame's is
 * the language and the shop's time zone.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { AppProvider } from "@shopify/polaris";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { DEFAULT_SETTINGS } from "../domain/loyalty/settings";
import { settingsToForm } from "../domain/loyalty/admin-form";
import { translator, type AdminLocale } from "../locales/admin";
import { computeDashboard } from "../services/dashboard/registry.server";
import { registerCoreDashboardMetrics } from "../services/dashboard/core-metrics.server";
import { loadSetupGuide } from "../services/setup-guide/guide.server";

import Dashboard from "./app._index";
import LoyaltyProgramPage from "./app.loyalty._index";

const SHOP = "language-test.myshopify.com";
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.shop.create({
    data: { domain: SHOP, name: "Language test", ianaTimezone: "Asia/Tokyo", currencyCode: "JPY", email: "o@x.test" },
  });
  registerCoreDashboardMetrics();
});
afterAll(async () => {
  await t.drop();
});

/** The page at `path` inside a frame that opened in `locale`, rendered to HTML with `data` as its loader's. */
function render(locale: AdminLocale, id: string, Page: () => JSX.Element, data: unknown): string {
  const Stub = createRemixStub([
    {
      id: "routes/app",
      path: "/app",
      Component: () => <Outlet />,
      children: [{ id, index: true, Component: Page }],
    },
  ]);
  return renderToString(
    <AppProvider i18n={{}}>
      <Stub
        initialEntries={["/app"]}
        hydrationData={{ loaderData: { "routes/app": { locale, timeZone: "Asia/Tokyo" }, [id]: data } }}
      />
    </AppProvider>,
  );
}

/** The page's visible words: tags, attributes and the app's name taken out. */
const words = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&[a-z#0-9]+;/g, " ")
    .replace(/Aftercare|Shopify|CSAT|NPS|USD|JST/g, "")
    .replace(/\s+/g, " ");

describe("the loyalty program page in Japanese", () => {
  const data = { form: settingsToForm({ ...DEFAULT_SETTINGS, enabled: true }, "USD"), currency: "USD" };

  it("has Japanese headings, labels and help, and no English sentence", () => {
    const html = render("ja", "routes/app.loyalty._index", LoyaltyProgramPage, data);
    const ja = translator("ja");
    for (const heading of [
      "loyalty.program.title",
      "loyalty.earning.title",
      "loyalty.tiers.title",
      "loyalty.expiry.title",
    ])
      expect(html).toContain(ja(heading as never));
    expect(html).toContain("プログラム");
    expect(html).toContain("ロイヤルティプログラムを運用する");
    expect(words(html)).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{3,}/);
  });

  it("stays in English for an English admin (the words tests and merchants know)", () => {
    const html = render("en", "routes/app.loyalty._index", LoyaltyProgramPage, data);
    expect(html).toContain("Run the loyalty program");
    expect(html).toContain("Points per 1 USD spent");
  });
});

describe("the home page in Japanese", () => {
  it("has the dashboard's title, figures, period and setup guide in Japanese, counted in Japanese", async () => {
    const now = new Date("2026-12-05T03:00:00Z");
    const [dashboard, setup] = await Promise.all([
      computeDashboard(t.db, SHOP, { from: "2026-11-06", to: "2026-12-05" }, now),
      loadSetupGuide({ db: t.db, apiKey: "key" }, SHOP, now),
    ]);
    const byChannel = [
      { channel: "chat", started: 3, medianFirstResponseMinutes: 4, csat: 1, csatAnswers: 2 },
      { channel: "form", started: 0, medianFirstResponseMinutes: null, csat: null, csatAnswers: 0 },
    ];
    const data = { ...dashboard, daily: [], byChannel, setup, reasonNames: {} };
    const html = render("ja", "routes/app._index", Dashboard, data);
    expect(html).toContain("サービスダッシュボード");
    expect(html).toContain("チャット");
    expect(html).toContain("セットアップガイド");
    expect(html).toContain(`${setup.total}件中${setup.completed}件のタスクが完了`);
    expect(html).toContain("返品率");
    expect(html).toContain("ポイント負債");
    expect(html).toContain("注文履歴をインポート");
    // The period's days in Japanese, in the shop's zone.
    expect(html).toContain("2026/11/06〜2026/12/05");
    expect(words(html)).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{3,}/);
  });

  it("says English counts with their plural forms for an English admin", async () => {
    const now = new Date("2026-12-05T03:00:00Z");
    const dashboard = await computeDashboard(t.db, SHOP, { from: "2026-11-06", to: "2026-12-05" }, now);
    const setup = await loadSetupGuide({ db: t.db, apiKey: "key" }, SHOP, now);
    const html = render("en", "routes/app._index", Dashboard, {
      ...dashboard,
      daily: [],
      byChannel: [],
      setup,
      reasonNames: {},
    });
    expect(html).toContain("Service dashboard");
    expect(html).toContain("0 points held now");
    expect(html).toContain("0 of 0 orders");
  });
});
