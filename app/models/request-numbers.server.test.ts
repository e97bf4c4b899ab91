/**
 * Request numbers under a burst (issue 21): chats and contact-form requests started at the same
 * moment in one shop each get their own number, none fails. Before, each took the highest number
 * plus one and retried five times on a clash; on PostgreSQL 32 chats at once answered a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { memoryChatBus } from "../services/contact/chat-bus.server";

const SHOP = "burst-shop.myshopify.com";
const OTHER = "other-burst.myshopify.com";
const NOW = new Date("2026-03-02T10:00:00Z");
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  for (const domain of [SHOP, OTHER]) {
    await t.db.shop.create({
      data: { domain, name: "Burst", email: "help@burst.example", ianaTimezone: "UTC", currencyCode: "CAD" },
    });
  }
});
afterAll(async () => {
  await t.drop();
});

const visitor = (i: number) => `burst-visitor-${String(i).padStart(4, "0")}-abcdefghij`;

describe("request numbers", () => {
  it("40 chats and 12 form requests started at once all succeed, numbered 1001 to 1052 without a gap", async () => {
    const chat = await import("../services/contact/chat.server");
    const requests = await import("../services/contact/requests.server");
    const deps = { db: t.db, secret: "burst-secret", now: NOW, bus: memoryChatBus() };
    const chats = Array.from({ length: 40 }, (_, i) =>
      chat
        .sendShopperMessage(
          deps,
          { shop: SHOP, visitor: visitor(i), customerId: null },
          {
            text: `Hello ${i}`,
            clientId: null,
            locale: "en",
            clientIp: `10.1.${i >> 8}.${i & 255}`,
          },
        )
        .then((sent) => sent.conversationId),
    );
    const forms = Array.from({ length: 12 }, (_, i) =>
      requests
        .createRequest(t.db, {
          shop: SHOP,
          message: {
            name: "Shopper",
            email: `shopper${i}@burst.example`,
            orderName: null,
            topic: "other",
            message: "Where is my parcel, please?",
          },
          locale: "en",
          customerShopifyId: null,
          now: NOW,
        })
        .then((created) => created.id),
    );
    const settled = await Promise.allSettled([...chats, ...forms]);
    expect(settled.filter((s) => s.status === "rejected")).toEqual([]);
    const rows = await t.db.contactRequest.findMany({ where: { shop: SHOP }, select: { number: true, channel: true } });
    expect(rows).toHaveLength(52);
    expect(rows.filter((r) => r.channel === "chat")).toHaveLength(40);
    expect(rows.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 52 }, (_, i) => 1001 + i));
  });

  it("counts per shop, and catches up with a request stored by other means", async () => {
    const { nextRequestNumber } = await import("./request-numbers.server");
    expect(await nextRequestNumber(t.db, OTHER)).toBe(1001);
    await t.db.contactRequest.create({
      data: { shop: OTHER, number: 1500, topic: "other", lastMessageAt: NOW, createdAt: NOW },
    });
    expect(await nextRequestNumber(t.db, OTHER)).toBe(1501);
    expect(await nextRequestNumber(t.db, OTHER)).toBe(1502);
    expect(await nextRequestNumber(t.db, SHOP)).toBe(1053);
  });
});
