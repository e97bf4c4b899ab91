/**
 * The Loyalty admin pages' actions, called through the real route modules with requests that
 * carry a session token signed the way the Shopify admin signs them (the app's real
 * authenticate.admin runs), against a migrated database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJwt } from "@shopify/shopify-api/test-helpers";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { translator } from "../locales/admin";
import { problemText, type FieldProblem } from "../locales/admin/problems";

const SHOP = "loyalty-admin.myshopify.com";
const OTHER = "someone-else.myshopify.com";
/** A refusal as the page shows it to an admin in Japanese, and the English words left in it. */
const inJapanese = (p: FieldProblem) => problemText(translator("ja"), p);
const english = (text: string) => text.match(/[A-Za-z]{2,}/g) ?? [];
/** A shop of its own whose program is on, for what shoppers read in their language. */
const LANGUAGES = "loyalty-languages.myshopify.com";
type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;

let t: TestDatabase;
let settingsAction: Handler;
let settingsLoader: Handler;
let memberAction: Handler;
let memberLoader: Handler;
let rewardsAction: Handler;
let membersLoader: Handler;

beforeAll(async () => {
  t = await createTestDatabase();
  // The routes' db() reads DATABASE_URL on first use.
  process.env.DATABASE_URL = t.url;
  const { sessionStorage } = await import("../shopify.server");
  const { Session } = await import("@shopify/shopify-api");
  for (const shop of [SHOP, OTHER, LANGUAGES]) {
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${shop}`,
        shop,
        state: "installed",
        isOnline: false,
        accessToken: "shpat_test",
        scope: process.env.SCOPES ?? "",
      }),
    );
    await t.db.shop.upsert({
      where: { domain: shop },
      create: { domain: shop, name: shop, currencyCode: "CAD" },
      update: {},
    });
  }
  const settings = await import("./app.loyalty._index");
  settingsAction = settings.action as never;
  settingsLoader = settings.loader as never;
  const member = await import("./app.loyalty.members.$id");
  memberAction = member.action as never;
  memberLoader = member.loader as never;
  rewardsAction = (await import("./app.loyalty.rewards")).action as never;
  membersLoader = (await import("./app.loyalty.members._index")).loader as never;
});
afterAll(() => t.drop());

async function signed(shop: string, path: string, init: RequestInit = {}) {
  const { token } = await getJwt(
    shop.replace(".myshopify.com", ""),
    process.env.SHOPIFY_API_KEY!,
    process.env.SHOPIFY_API_SECRET!,
  );
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, { ...init, headers });
}

async function call(handler: Handler, request: Request, params: Record<string, string> = {}) {
  try {
    return await handler({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const json = (body: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
const form = (fields: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(fields) });

const validForm = {
  enabled: true,
  currencyName: { en: "stars", ko: "", ja: "", fa: "ستاره" },
  pointsPerUnit: "2",
  includeShipping: true,
  includeTax: false,
  signupBonus: "100",
  birthdayBonus: "50",
  pendingDays: "14",
  expiryDays: "365",
  expiryReminderDays: "30",
  tiers: [
    { key: "", name: "Gold", names: { fa: "طلایی" }, threshold: "500.00", multiplier: "1.5", perks: "Free shipping" },
    { key: "", name: "Silver", threshold: "100", multiplier: "1.25", perks: "" },
  ],
};

describe("program settings", () => {
  it("turns a request without a session token away", async () => {
    const res = await call(
      settingsAction,
      new Request(`${process.env.SHOPIFY_APP_URL}/app/loyalty`, json({ settings: validForm })),
    );
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(await t.db.loyaltySettings.count()).toBe(0);
  });

  it("saves valid settings with amounts converted to minor units and tier keys made from names", async () => {
    const res = await call(settingsAction, await signed(SHOP, "/app/loyalty", json({ settings: validForm })));
    expect(res.status).toBe(200);
    const stored = JSON.parse((await t.db.loyaltySettings.findUniqueOrThrow({ where: { shop: SHOP } })).settings);
    expect(stored).toMatchObject({
      enabled: true,
      pointsPerUnit: 2,
      includeShipping: true,
      pendingDays: 14,
      currencyName: { en: "stars", fa: "ستاره" },
    });
    expect(stored.tiers).toEqual([
      {
        key: "gold",
        name: "Gold",
        names: { ko: "", ja: "", fa: "طلایی" },
        thresholdMinor: 50000,
        multiplier: 1.5,
        perks: "Free shipping",
      },
      {
        key: "silver",
        name: "Silver",
        names: { ko: "", ja: "", fa: "" },
        thresholdMinor: 10000,
        multiplier: 1.25,
        perks: "",
      },
    ]);
    // The page reads them back in the merchant's units.
    const page = await (await call(settingsLoader, await signed(SHOP, "/app/loyalty"))).json();
    expect(page.form.tiers[0]).toMatchObject({ key: "gold", threshold: "500.00" });
    // Another shop's settings are untouched.
    expect(await t.db.loyaltySettings.findUnique({ where: { shop: OTHER } })).toBeNull();
  });

  it("answers 400 with messages naming the field, and writes nothing, when a value is wrong", async () => {
    const before = (await t.db.loyaltySettings.findUniqueOrThrow({ where: { shop: SHOP } })).settings;
    const cases: [object, string, RegExp][] = [
      [{ pendingDays: "ten" }, "pendingDays", /^Enter a whole number for Days points stay pending$/],
      [{ pendingDays: "400" }, "pendingDays", /^Days points stay pending can be at most 365$/],
      [
        { expiryDays: "30", expiryReminderDays: "30" },
        "expiryReminderDays",
        /^The reminder must come before the points expire$/,
      ],
      [
        { tiers: [{ key: "", name: "Gold", threshold: "lots", multiplier: "2", perks: "" }] },
        "tiers.0.thresholdMinor",
        /^Enter an amount like 100 or 99.50 for Tier spend$/,
      ],
      [
        { tiers: [{ key: "", name: "", threshold: "10", multiplier: "2", perks: "" }] },
        "tiers.0.name",
        /^Tier name is required$/,
      ],
      [
        { tiers: [{ key: "", name: "Gold", threshold: "10", multiplier: "0.5", perks: "" }] },
        "tiers.0.multiplier",
        /^Points multiplier must be at least 1$/,
      ],
      [
        { currencyName: { en: "", ko: "", ja: "", fa: "" } },
        "currencyName.en",
        /^Name of points \(English\) is required$/,
      ],
    ];
    for (const [change, path, message] of cases) {
      const res = await call(
        settingsAction,
        await signed(SHOP, "/app/loyalty", json({ settings: { ...validForm, ...change } })),
      );
      expect(res.status, path).toBe(400);
      const body = await res.json();
      expect(body.ok).toBe(false);
      const problem = (body.errors as { path: string; message: string; key: string }[]).find((e) => e.path === path);
      expect(problem?.message, path).toMatch(message);
      expect(problem?.key, path).toMatch(/^(form|loyalty)\./);
    }
    const unreadable = await call(
      settingsAction,
      await signed(SHOP, "/app/loyalty", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{nope",
      }),
    );
    expect(unreadable.status).toBe(400);
    expect((await t.db.loyaltySettings.findUniqueOrThrow({ where: { shop: SHOP } })).settings).toBe(before);
  });
});

describe("rewards", () => {
  it("creates, edits and turns off a reward, refusing bad input with a 400", async () => {
    const bad = await call(
      rewardsAction,
      await signed(
        SHOP,
        "/app/loyalty/rewards",
        json({
          intent: "create",
          reward: {
            kind: "percentage",
            title: "Ten off",
            pointsCost: "500",
            percentOff: "150",
            value: "",
            minimumOrder: "",
          },
        }),
      ),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([
      expect.objectContaining({ path: "percentOff", message: "Percent off can be at most 100" }),
    ]);
    const created = await call(
      rewardsAction,
      await signed(
        SHOP,
        "/app/loyalty/rewards",
        json({
          intent: "create",
          reward: {
            kind: "fixed_amount",
            title: "$5 off",
            pointsCost: "500",
            value: "5",
            percentOff: "",
            minimumOrder: "25.00",
          },
        }),
      ),
    );
    expect(created.status).toBe(200);
    const reward = await t.db.loyaltyReward.findFirstOrThrow({ where: { shop: SHOP } });
    expect(reward).toMatchObject({ kind: "fixed_amount", valueMinor: 500, minimumOrderMinor: 2500, active: true });
    const edited = await call(
      rewardsAction,
      await signed(
        SHOP,
        "/app/loyalty/rewards",
        json({
          intent: "update",
          id: reward.id,
          reward: {
            kind: "store_credit",
            title: "$7 credit",
            pointsCost: "600",
            value: "7",
            percentOff: "",
            minimumOrder: "25",
          },
        }),
      ),
    );
    expect(edited.status).toBe(200);
    expect(await t.db.loyaltyReward.findUniqueOrThrow({ where: { id: reward.id } })).toMatchObject({
      kind: "store_credit",
      valueMinor: 700,
      minimumOrderMinor: null,
      pointsCost: 600,
    });
    // Another shop cannot touch it.
    const foreign = await call(
      rewardsAction,
      await signed(OTHER, "/app/loyalty/rewards", json({ intent: "toggle", id: reward.id, active: false })),
    );
    expect(foreign.status).toBe(404);
    const gone = (await foreign.json()).errors[0];
    expect(gone.message).toBe("That reward no longer exists.");
    expect(inJapanese(gone)).toBe("その特典はもう存在しません。");
    const off = await call(
      rewardsAction,
      await signed(SHOP, "/app/loyalty/rewards", json({ intent: "toggle", id: reward.id, active: false })),
    );
    expect(off.status).toBe(200);
    expect((await t.db.loyaltyReward.findUniqueOrThrow({ where: { id: reward.id } })).active).toBe(false);
  });

  it("shows a Korean shopper the merchant's Korean title and an English one the English title", async () => {
    const { saveLoyaltySettings } = await import("../services/loyalty/settings.server");
    const { loyaltyGet } = await import("../services/loyalty/proxy.server");
    expect((await saveLoyaltySettings(t.db, LANGUAGES, { enabled: true })).ok).toBe(true);
    const reward = {
      kind: "free_shipping",
      title: "Free shipping",
      titles: { ko: " 무료 배송 ", ja: "", fa: "ارسال رایگان" },
      pointsCost: "80",
      value: "",
      percentOff: "",
      minimumOrder: "",
    };
    const created = await call(
      rewardsAction,
      await signed(LANGUAGES, "/app/loyalty/rewards", json({ intent: "create", reward })),
    );
    expect(created.status).toBe(200);
    const shopperSees = async (locale: string) => {
      const answer = await loyaltyGet(
        { shop: LANGUAGES, loggedInCustomerId: null, clientIp: null, params: new URLSearchParams({ locale }) },
        { db: t.db, now: () => new Date(), admin: async () => null },
      );
      expect(answer.status).toBe(200);
      return (answer.body as { rewards: { title: string }[] }).rewards.map((r) => r.title);
    };
    expect(await shopperSees("ko")).toEqual(["무료 배송"]);
    expect(await shopperSees("en")).toEqual(["Free shipping"]);
    expect(await shopperSees("fa")).toEqual(["ارسال رایگان"]);
    // A language the merchant left empty shows the English title.
    expect(await shopperSees("ja")).toEqual(["Free shipping"]);

    // Editing keeps what the merchant typed per language; clearing Korean falls back to English.
    const { id } = await t.db.loyaltyReward.findFirstOrThrow({ where: { shop: LANGUAGES } });
    const edited = await call(
      rewardsAction,
      await signed(
        LANGUAGES,
        "/app/loyalty/rewards",
        json({ intent: "update", id, reward: { ...reward, titles: { ko: "", ja: "送料無料", fa: "" } } }),
      ),
    );
    expect(edited.status).toBe(200);
    expect(await shopperSees("ko")).toEqual(["Free shipping"]);
    expect(await shopperSees("ja")).toEqual(["送料無料"]);
  });

  it("refuses a title too long in a language, or no English title, next to the field, saving nothing", async () => {
    const before = await t.db.loyaltyReward.findMany({ where: { shop: LANGUAGES }, orderBy: { id: "asc" } });
    const attempt = async (title: string, titles: Record<string, string>) => {
      const answer = await call(
        rewardsAction,
        await signed(
          LANGUAGES,
          "/app/loyalty/rewards",
          json({
            intent: "create",
            reward: { kind: "percentage", title, titles, pointsCost: "200", percentOff: "15", value: "" },
          }),
        ),
      );
      expect(answer.status).toBe(400);
      return (await answer.json()).errors;
    };
    expect(await attempt("15% off", { ko: "가".repeat(81) })).toEqual([
      expect.objectContaining({
        path: "titles.ko",
        key: "form.error.tooLong",
        field: "field.reward.titles.ko",
        message: "Name in Korean can be at most 80 characters",
      }),
    ]);
    // A translation alone is not a reward's name: English is what every other language falls back to.
    expect(await attempt("   ", { ko: "15% 할인", ja: "15%オフ", fa: "۱۵٪ تخفیف" })).toEqual([
      expect.objectContaining({ path: "title", key: "form.error.required", message: "Name shoppers see is required" }),
    ]);
    expect(await t.db.loyaltyReward.findMany({ where: { shop: LANGUAGES }, orderBy: { id: "asc" } })).toEqual(before);
  });
});

describe("manual adjustment", () => {
  let memberId: string;
  beforeAll(async () => {
    memberId = (
      await t.db.loyaltyMember.create({
        data: {
          shop: SHOP,
          key: "c:gid://shopify/Customer/7",
          customerShopifyId: "gid://shopify/Customer/7",
          email: "ada@example.com",
        },
      })
    ).id;
  });

  it("needs a reason and a whole, non-zero number of points", async () => {
    const noReason = await call(
      memberAction,
      await signed(
        SHOP,
        `/app/loyalty/members/${memberId}`,
        form({ points: "50", reason: " ", token: "tok-00000001" }),
      ),
      { id: memberId },
    );
    expect(noReason.status).toBe(400);
    const why = (await noReason.json()).errors.reason;
    expect(why.message).toMatch(/Say why/);
    expect(inJapanese(why)).toBe("会員の履歴でわかるように、理由を入力してください");
    const notNumber = await call(
      memberAction,
      await signed(
        SHOP,
        `/app/loyalty/members/${memberId}`,
        form({ points: "lots", reason: "Goodwill", token: "tok-00000002" }),
      ),
      { id: memberId },
    );
    expect(notNumber.status).toBe(400);
    const whole = (await notNumber.json()).errors.points;
    expect(whole.message).toMatch(/whole number/);
    expect(inJapanese(whole)).toBe("ポイントは整数で入力してください（例: 50、-50）");
    const fraction = await call(
      memberAction,
      await signed(
        SHOP,
        `/app/loyalty/members/${memberId}`,
        form({ points: "1.5", reason: "Goodwill", token: "tok-00000003" }),
      ),
      { id: memberId },
    );
    expect(fraction.status).toBe(400);
    expect(inJapanese((await fraction.json()).errors.points)).toBe("ポイントは整数で入力してください（例: 50、-50）");
    const tooMany = await call(
      memberAction,
      await signed(
        SHOP,
        `/app/loyalty/members/${memberId}`,
        form({ points: "2000000", reason: "Goodwill", token: "tok-00000004" }),
      ),
      { id: memberId },
    );
    expect(tooMany.status).toBe(400);
    expect(inJapanese((await tooMany.json()).errors.points)).toBe("一度に調整できるのは1,000,000ポイントまでです");
    expect(await t.db.loyaltyLedgerEntry.count({ where: { memberId } })).toBe(0);
  });

  const addsPointsOncePer =
    "adds points once per form token and refuses to go below zero with a 400 that says how far it can go";
  it(addsPointsOncePer, async () => {
    const add = () =>
      signed(
        SHOP,
        `/app/loyalty/members/${memberId}`,
        form({ points: "120", reason: "Goodwill for a late parcel", token: "tok-add-0001" }),
      );
    expect((await call(memberAction, await add(), { id: memberId })).status).toBe(200);
    expect((await call(memberAction, await add(), { id: memberId })).status).toBe(200);
    expect((await t.db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } })).points).toBe(120);

    const tooMuch = await call(
      memberAction,
      await signed(
        SHOP,
        `/app/loyalty/members/${memberId}`,
        form({ points: "-121", reason: "Correction", token: "tok-take-0001" }),
      ),
      { id: memberId },
    );
    expect(tooMuch.status).toBe(400);
    const below = (await tooMuch.json()).errors.points;
    expect(below.message).toMatch(/below zero.*120 points/);
    expect(inJapanese(below)).toBe(
      "残高がマイナスになります。この会員から差し引けるのは120ポイントまでです（保留中のポイントは手動で差し引けません）。",
    );
    expect((await t.db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } })).points).toBe(120);

    const take = await call(
      memberAction,
      await signed(
        SHOP,
        `/app/loyalty/members/${memberId}`,
        form({ points: "-120", reason: "Correction", token: "tok-take-0002" }),
      ),
      { id: memberId },
    );
    expect(take.status).toBe(200);
    const ledger = await t.db.loyaltyLedgerEntry.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } });
    expect(ledger.map((e) => [e.points, e.reason])).toEqual([
      [120, "Goodwill for a late parcel"],
      [-120, "Correction"],
    ]);
    expect(ledger[0].actor).toBe("staff:12345");
  });

  it("shows and adjusts a member only in their own shop (404 elsewhere)", async () => {
    const res = await call(
      memberAction,
      await signed(
        OTHER,
        `/app/loyalty/members/${memberId}`,
        form({ points: "10", reason: "Sneaky", token: "tok-other-01" }),
      ),
      { id: memberId },
    );
    expect(res.status).toBe(404);
    const elsewhere = inJapanese((await res.json()).errors.form);
    expect(elsewhere).toBe("このショップにその会員はいません。");
    expect(english(elsewhere)).toEqual([]);
    expect(
      (await call(memberLoader, await signed(OTHER, `/app/loyalty/members/${memberId}`), { id: memberId })).status,
    ).toBe(404);
    const mine = await (
      await call(memberLoader, await signed(SHOP, `/app/loyalty/members/${memberId}`), { id: memberId })
    ).json();
    expect(mine.balance).toEqual({ total: 0, pending: 0, available: 0 });
    expect(mine.ledger).toHaveLength(2);
  });

  it("lists members with search and balance filters, shop-scoped", async () => {
    await t.db.loyaltyMember.create({
      data: { shop: SHOP, key: "e:grace@example.com", email: "grace@example.com", points: 900, tierKey: "gold" },
    });
    await t.db.loyaltyMember.create({
      data: { shop: OTHER, key: "e:grace@example.com", email: "grace@example.com", points: 5 },
    });
    const all = await (await call(membersLoader, await signed(SHOP, "/app/loyalty/members"))).json();
    expect(all.total).toBe(2);
    const rich = await (await call(membersLoader, await signed(SHOP, "/app/loyalty/members?min=100"))).json();
    expect(rich.members.map((m: { who: string }) => m.who)).toEqual(["grace@example.com"]);
    expect(rich.members[0].tier).toBe("Gold");
    const byId = await (await call(membersLoader, await signed(SHOP, "/app/loyalty/members?query=7"))).json();
    expect(byId.members.map((m: { who: string }) => m.who)).toEqual(["ada@example.com"]);
    const gold = await (
      await call(membersLoader, await signed(SHOP, "/app/loyalty/members?tier=gold&max=1000"))
    ).json();
    expect(gold.total).toBe(1);
  });
});
