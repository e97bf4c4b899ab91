import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../tests/helpers/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const event = (webhookId: string) => ({ shop: "tx.myshopify.com", topic: "orders/create", webhookId, payload: "{}" });

describe("writes outside a transaction", () => {
  it("survive another request's transaction rolling back while they run", async () => {
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const failing = t.db
      .$transaction(async (tx) => {
        await tx.webhookEvent.create({ data: event("inside-the-transaction") });
        inside();
        await new Promise((r) => setTimeout(r, 150));
        throw new Error("handler failed");
      })
      .catch((e: Error) => e.message);
    await started;
    // A webhook recorded by another request while that transaction is open.
    await t.db.webhookEvent.create({ data: event("recorded-meanwhile") });
    expect(await failing).toBe("handler failed");
    const ids = (await t.db.webhookEvent.findMany({ select: { webhookId: true } })).map((e) => e.webhookId);
    expect(ids).toEqual(["recorded-meanwhile"]);
  });

  it("many concurrent transactions and plain writes all land", async () => {
    await t.db.webhookEvent.deleteMany();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2
          ? t.db.$transaction(async (tx) => {
              await tx.webhookEvent.create({ data: event(`tx-${i}`) });
            })
          : t.db.webhookEvent.create({ data: event(`plain-${i}`) }),
      ),
    );
    expect(await t.db.webhookEvent.count()).toBe(30);
  });
});
