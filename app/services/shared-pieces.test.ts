/** The pieces every area reuses: scheduler leases, signed links, email rendering (rate limits: rate-limit.test.ts). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createDb } from "../db.server";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { runDueTasks, type PeriodicTask } from "../jobs/scheduler.server";
import { enqueueNotification } from "../models/outbox.server";

import { signLinkToken, verifyLinkToken } from "./link-token.server";
import { renderEmail, templateProblem } from "./email-render.server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.db.scheduledTask.deleteMany();
  await t.db.notification.deleteMany();
});

describe("scheduler", () => {
  it("runs a due task in exactly one of several processes", async () => {
    let runs = 0;
    const task: PeriodicTask = {
      name: "test.count",
      everyMs: 60_000,
      run: async () => {
        runs++;
      },
    };
    const other = createDb(t.url);
    const now = new Date(Date.UTC(2025, 0, 1));
    const results = await Promise.all([
      runDueTasks(t.db, now, { tasks: [task] }),
      runDueTasks(other, now, { tasks: [task] }),
      runDueTasks(t.db, now, { tasks: [task] }),
    ]);
    expect(results.flat()).toEqual(["test.count"]);
    expect(runs).toBe(1);
    expect(await runDueTasks(t.db, new Date(now.getTime() + 30_000), { tasks: [task] })).toEqual([]);
    expect(await runDueTasks(other, new Date(now.getTime() + 60_000), { tasks: [task] })).toEqual(["test.count"]);
    expect(runs).toBe(2);
    await other.$disconnect();
  });

  it("records a failing task's error and runs it again next period", async () => {
    const task: PeriodicTask = {
      name: "test.fail",
      everyMs: 1000,
      run: async () => {
        throw new Error("SMTP down");
      },
    };
    const now = new Date(Date.UTC(2025, 0, 1));
    expect(await runDueTasks(t.db, now, { tasks: [task] })).toEqual(["test.fail"]);
    expect((await t.db.scheduledTask.findUniqueOrThrow({ where: { name: "test.fail" } })).lastError).toBe("SMTP down");
    expect(await runDueTasks(t.db, new Date(now.getTime() + 1000), { tasks: [task] })).toEqual(["test.fail"]);
  });
});

describe("outbox key", () => {
  const createsAMessageOnce =
    "creates a message once per (shop, kind, subject, milestone), even when enqueued at once from two clients";
  it(createsAMessageOnce, async () => {
    const other = createDb(t.url);
    const message = {
      shop: "a.myshopify.com",
      kind: "tracking",
      subjectId: "gid://shopify/Fulfillment/1",
      milestone: "shipped",
      recipient: "a@example.com",
      locale: "en",
      subject: "s",
      bodyHtml: "h",
      bodyText: "t",
    };
    const results = await Promise.all([
      enqueueNotification(t.db, message),
      enqueueNotification(other, message),
      enqueueNotification(t.db, message),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    await enqueueNotification(t.db, { ...message, milestone: "delivered" });
    await enqueueNotification(t.db, { ...message, shop: "b.myshopify.com" });
    expect(await t.db.notification.count()).toBe(3);
    await other.$disconnect();
  });
});

describe("signed links", () => {
  const now = new Date("2025-01-01T00:00:00Z");
  const claims = {
    purpose: "tracking",
    shop: "a.myshopify.com",
    subject: "gid://shopify/Order/1",
    expiresAt: new Date("2025-02-01T00:00:00Z"),
  };

  it("verifies its own tokens and refuses changed, expired, misdirected or foreign ones", () => {
    const token = signLinkToken(claims, "s3cret");
    expect(
      verifyLinkToken(token, { secret: "s3cret", purpose: "tracking", shop: "a.myshopify.com", now }),
    ).toMatchObject({ ok: true, subject: "gid://shopify/Order/1" });
    expect(verifyLinkToken(token, { secret: "other", purpose: "tracking", shop: "a.myshopify.com", now })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(verifyLinkToken(token, { secret: "s3cret", purpose: "unsubscribe", shop: "a.myshopify.com", now })).toEqual({
      ok: false,
      reason: "wrong_purpose",
    });
    expect(verifyLinkToken(token, { secret: "s3cret", purpose: "tracking", shop: "b.myshopify.com", now })).toEqual({
      ok: false,
      reason: "wrong_shop",
    });
    expect(
      verifyLinkToken(token, {
        secret: "s3cret",
        purpose: "tracking",
        shop: "a.myshopify.com",
        now: new Date("2025-03-01"),
      }),
    ).toEqual({ ok: false, reason: "expired" });
    expect(
      verifyLinkToken(`${token}x`, { secret: "s3cret", purpose: "tracking", shop: "a.myshopify.com", now }).ok,
    ).toBe(false);
    expect(verifyLinkToken("garbage", { secret: "s3cret", purpose: "tracking", shop: "a.myshopify.com", now })).toEqual(
      { ok: false, reason: "malformed" },
    );
  });
});

describe("email rendering", () => {
  const layout = {
    shopName: "Maple <Goods>",
    accentColor: "#aa3300",
    language: "en",
    footer: ["Why you got this"],
    unsubscribeUrl: "https://a.myshopify.com/apps/aftercare/unsubscribe?token=x",
    unsubscribeLabel: "Unsubscribe",
  };

  it("escapes what variables carry, keeps text and HTML saying the same, and links URLs", async () => {
    const email = await renderEmail(
      { subject: "Order {{ order_name }}", body: "Hi {{ name }},\n\nFollow it: {{ url }}" },
      { order_name: "#1001", name: "<script>alert(1)</script>", url: "https://a.myshopify.com/pages/track?token=abc" },
      layout,
    );
    expect(email.subject).toBe("Order #1001");
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.html).toContain('<a href="https://a.myshopify.com/pages/track?token=abc"');
    expect(email.html).toContain("Maple &lt;Goods&gt;");
    expect(email.text).toContain("Hi <script>alert(1)</script>,");
    expect(email.text).toContain("Unsubscribe: https://a.myshopify.com/apps/aftercare/unsubscribe?token=x");
  });

  it("lays Persian out right to left", async () => {
    const email = await renderEmail({ subject: "سلام", body: "متن" }, {}, { ...layout, language: "fa" });
    expect(email.html).toContain('<html lang="fa" dir="rtl">');
  });

  it("keeps order, return and tracking numbers reading left to right in a Persian email", async () => {
    const template = {
      subject: "سفارش {{ order_name }}",
      body: "مرجوعی {{ return_number }} برای سفارش {{ order_name }}، کد رهگیری {{ tracking_number }}: {{ url }}",
    };
    const variables = {
      order_name: "#1302",
      return_number: "1302-R1",
      tracking_number: "1Z999",
      url: "https://a.myshopify.com/pages/track?token=abc",
    };
    const fa = await renderEmail(template, variables, { ...layout, language: "fa" });
    expect(fa.subject).toBe("سفارش \u2066#1302\u2069");
    for (const part of [fa.text, fa.html]) {
      expect(part).toContain("\u20661302-R1\u2069");
      expect(part).toContain("\u2066#1302\u2069");
      expect(part).toContain("\u20661Z999\u2069");
    }
    // The link stays clickable as it was: no isolate inside the address.
    expect(fa.html).toContain('<a href="https://a.myshopify.com/pages/track?token=abc"');
    // A left-to-right email needs no isolates.
    const en = await renderEmail(template, variables, layout);
    expect(en.subject).toBe("سفارش #1302");
    expect(en.text).not.toMatch(/[\u2066\u2069]/);
  });

  it("reports Liquid a merchant got wrong", () => {
    expect(templateProblem("Hi {{ name }}")).toBeNull();
    expect(templateProblem("{% if x %}unclosed")).toMatch(/not closed|unclosed|tag/i);
    expect(templateProblem("{{ name | no_such_filter }}")).toMatch(/filter/i);
  });

  it("never reads files from the server's disk into an email", async () => {
    for (const tag of [
      "{% include 'package.json' %}",
      "{% if x %}{% render 'package.json' %}{% endif %}",
      "{% layout 'package.json' %}",
    ]) {
      expect(templateProblem(tag), tag).toMatch(/cannot be used in an email/);
      await expect(renderEmail({ subject: "Hi", body: tag }, { x: true }, layout), tag).rejects.toThrow(
        /cannot be used in an email/,
      );
    }
  });
});
