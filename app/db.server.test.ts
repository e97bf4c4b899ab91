import { existsSync, readFileSync, statSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../tests/helpers/db";

import { ADAPTER_STATEMENTS_MAX, eraseFreedData, inboxRowId, sqlitePath } from "./db.server";

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

describe("a transaction and another connection on the same SQLite file", () => {
  it("holds the write lock from its start, so a write committed elsewhere cannot break it halfway", async () => {
    if (t.kind !== "sqlite") return;
    const Database = (await import("better-sqlite3")).default;
    // Another connection, as the job thread, the intake or another process has.
    const other = new Database(sqlitePath(t.url), { timeout: 0 });
    try {
      let otherWrite = "not tried";
      await t.db.$transaction(async (tx) => {
        await tx.webhookEvent.count();
        try {
          other
            .prepare(
              `INSERT INTO "WebhookEvent" ("id", "shop", "topic", "webhookId", "payload", "status", ` +
                `"attempts", "nextAttemptAt", "receivedAt") VALUES ('x', 's', 't', 'from-elsewhere', ` +
                `'{}', 'pending', 0, '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`,
            )
            .run();
          otherWrite = "committed";
        } catch (error) {
          otherWrite = (error as { code: string }).code;
        }
        // With a plain BEGIN this write would fail with SQLITE_BUSY had the other write committed.
        await tx.webhookEvent.create({ data: event("after-the-read") });
      });
      expect(otherWrite).toBe("SQLITE_BUSY");
      expect(await t.db.webhookEvent.count({ where: { webhookId: "after-the-read" } })).toBe(1);
    } finally {
      other.close();
    }
  });
});

describe("the inbox writer", () => {
  it("records many deliveries arriving at once, each once, and tells each caller whether its row is new", async () => {
    const { recordEvent } = await import("./models/webhook-inbox.server");
    await t.db.webhookEvent.deleteMany();
    // 40 distinct deliveries, every one of them sent twice, all at the same moment.
    const deliveries = Array.from({ length: 80 }, (_, i) => event(`burst-${i % 40}`));
    const ids = await Promise.all(deliveries.map((d) => recordEvent(t.db, d)));
    expect(ids.filter((id) => id !== null)).toHaveLength(40);
    const rows = await t.db.webhookEvent.findMany({ select: { id: true, webhookId: true } });
    expect(rows).toHaveLength(40);
    // The id handed back is the id of that delivery's row.
    const byWebhookId = new Map(rows.map((r) => [r.webhookId, r.id]));
    deliveries.forEach((d, i) => {
      if (ids[i] !== null) expect(ids[i]).toBe(byWebhookId.get(d.webhookId));
    });
  });
});

describe("the inbox payload", () => {
  it("stores a body received as bytes as the same text Prisma reads back", async () => {
    const { recordEvent } = await import("./models/webhook-inbox.server");
    const text = JSON.stringify({ id: 1, note: "주문 #1001 — Zoë, ポイント", emoji: "📦" });
    const id = await recordEvent(t.db, { ...event("bytes-payload"), payload: Buffer.from(text) });
    expect(id).not.toBeNull();
    const row = await t.db.webhookEvent.findUniqueOrThrow({ where: { id: id! } });
    expect(row.payload).toBe(text);
    expect(JSON.parse(row.payload)).toEqual(JSON.parse(text));
  });
});

describe("inbox row ids", () => {
  it("sort in the order they were made, within a millisecond and across them, and never repeat", () => {
    const at = Date.UTC(2026, 10, 22, 12);
    const ids = [
      inboxRowId(at),
      inboxRowId(at),
      inboxRowId(at),
      inboxRowId(at + 1),
      inboxRowId(at + 1000),
      inboxRowId(at + 86_400_000),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const many = Array.from({ length: 5000 }, () => inboxRowId());
    expect(new Set(many).size).toBe(5000);
    expect([...many].sort()).toEqual(many);
  });
});

describe("plain SQL reads (models/raw-sql.server.ts)", () => {
  it("return rows exactly as Prisma's model queries do, dates, booleans and nulls included", async () => {
    const { rawRows } = await import("./models/raw-sql.server");
    const order = await t.db.order.create({
      data: {
        shop: "raw.myshopify.com",
        shopifyId: "gid://shopify/Order/77",
        name: "#77",
        currency: "EUR",
        shopifyCreatedAt: new Date("2026-01-02T03:04:05.678Z"),
        shopifyUpdatedAt: new Date("2026-02-03T04:05:06.789Z"),
        cancelledAt: null,
        lineItems: {
          create: [{ shopifyId: "li-1", title: "Mug", quantity: 2, priceMinor: 1250, requiresShipping: false }],
        },
      },
      include: { lineItems: true },
    });
    const [row] = await rawRows(t.db, `SELECT * FROM "Order" WHERE "shop" = {} AND "name" IN ({*})`, [
      "raw.myshopify.com",
      ["#77", "77"],
    ]);
    expect(row).toEqual(await t.db.order.findUnique({ where: { id: order.id } }));
    const items = await rawRows(t.db, `SELECT * FROM "LineItem" WHERE "orderId" IN ({*})`, [[order.id]]);
    expect(items).toEqual(order.lineItems);
    // A write made a moment ago is seen by the next read.
    await t.db.order.update({ where: { id: order.id }, data: { cancelledAt: new Date("2026-03-04T05:06:07.000Z") } });
    const [after] = await rawRows<{ cancelledAt: Date }>(t.db, `SELECT * FROM "Order" WHERE "id" = {}`, [order.id]);
    expect(after.cancelledAt).toEqual(new Date("2026-03-04T05:06:07.000Z"));
  });
});

const TELLS_WHAT_TO_DO = /use the transaction client tx passed to the callback/;

describe("statements Prisma sends, kept prepared", () => {
  it("bind each call's own values, past the number kept and inside transactions that roll back", async () => {
    await t.db.webhookEvent.deleteMany();
    for (const id of ["kept-1", "kept-2"]) await t.db.webhookEvent.create({ data: event(id) });
    // The same statement twice with different values: each call reads its own row.
    const one = await t.db.webhookEvent.findFirst({ where: { webhookId: "kept-1" } });
    const two = await t.db.webhookEvent.findFirst({ where: { webhookId: "kept-2" } });
    expect([one?.webhookId, two?.webhookId]).toEqual(["kept-1", "kept-2"]);
    // More distinct statements than are kept: the oldest are let go and prepared again when needed.
    for (let n = 0; n <= ADAPTER_STATEMENTS_MAX; n++) {
      const rows = await t.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT ${n} + 0 AS n`);
      expect(Number(rows[0].n)).toBe(n);
    }
    const again = await t.db.webhookEvent.findFirst({ where: { webhookId: "kept-2" } });
    expect(again?.webhookId).toBe("kept-2");
    // A kept statement inside a transaction that rolls back leaves nothing behind.
    const rolledBack = await t.db
      .$transaction(async (tx) => {
        await tx.webhookEvent.create({ data: event("kept-3") });
        throw new Error("undo");
      })
      .catch((e: Error) => e.message);
    expect(rolledBack).toBe("undo");
    expect(await t.db.webhookEvent.count({ where: { webhookId: { startsWith: "kept-" } } })).toBe(2);
  });
});

describe("the outer client inside its own transaction's callback", () => {
  const outcome = (work: Promise<unknown>) =>
    work.then(
      () => "no error",
      (e: Error) => e.message,
    );

  it("fails at once with what to do instead, and the transaction carries on", async () => {
    await t.db.webhookEvent.deleteMany();
    const started = performance.now();
    const mistakes: string[] = [];
    await t.db.$transaction(async (tx) => {
      await tx.webhookEvent.create({ data: event("before-the-mistake") });
      mistakes.push(await outcome(t.db.webhookEvent.count()));
      mistakes.push(await outcome(t.db.$queryRawUnsafe("SELECT 1")));
      mistakes.push(await outcome(t.db.$transaction(async (inner) => inner.webhookEvent.count())));
      await tx.webhookEvent.create({ data: event("after-the-mistake") });
    });
    expect(mistakes).toHaveLength(3);
    for (const message of mistakes) expect(message).toMatch(TELLS_WHAT_TO_DO);
    // On SQLite the mistake used to hold every query for the transaction's 5 s timeout.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await t.db.webhookEvent.count()).toBe(2);
  });

  it("leaves another request's findUnique alone when Prisma runs it in one batch with the transaction's", async () => {
    await t.db.webhookEvent.deleteMany();
    await t.db.webhookEvent.create({ data: event("read-by-both") });
    const { id } = await t.db.webhookEvent.findFirstOrThrow();
    // Two requests at once, as two admin saves: Prisma batches findUnique calls of one tick and
    // runs the batch in the context of the first call, here the transaction's.
    let letOtherRequestRead!: () => void;
    const otherRequestMayRead = new Promise<void>((resolve) => (letOtherRequestRead = resolve));
    const otherRequest = (async () => {
      await otherRequestMayRead;
      return t.db.webhookEvent.findUnique({ where: { id }, select: { id: true } });
    })();
    const [inside, outside] = await Promise.all([
      t.db.$transaction(async (tx) => {
        const read = tx.webhookEvent.findUnique({ where: { id }, select: { id: true } }).then((row) => row);
        letOtherRequestRead(); // its read lands in the same tick as this one
        return read;
      }),
      otherRequest,
    ]);
    expect(inside).toEqual({ id });
    expect(outside).toEqual({ id });
  });

  it("leaves another request's query alone while a transaction is open", async () => {
    await t.db.webhookEvent.deleteMany();
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const transaction = t.db.$transaction(async (tx) => {
      await tx.webhookEvent.create({ data: event("in-the-open-transaction") });
      opened();
      await finished;
    });
    await isOpen;
    // Sent from outside the callback, as another request would.
    const outside = t.db.webhookEvent.count();
    if (t.kind === "postgresql") {
      // Its own connection: answered while the transaction is still open, without its row.
      expect(await outside).toBe(0);
      finish();
    } else {
      // One writer at a time: it waits its turn and sees the committed row.
      finish();
      expect(await outside).toBe(1);
    }
    await transaction;
  });

  it("does not refuse work the callback started that runs after it returned", async () => {
    let later!: Promise<number>;
    await t.db.$transaction(async (tx) => {
      await tx.webhookEvent.count();
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() => t.db.webhookEvent.count());
    });
    expect(typeof (await later)).toBe("number");
  });
});

describe("data deleted or overwritten (compliance)", () => {
  it("is left in neither the SQLite file nor its write-ahead log once eraseFreedData ran", async () => {
    if (t.kind !== "sqlite") return;
    const path = sqlitePath(t.url);
    const inFiles = (needle: string) =>
      [path, `${path}-wal`].some((file) => existsSync(file) && readFileSync(file).includes(needle));
    const secret = "Quillonbrae-7731";
    const shop = "erase.myshopify.com";
    await t.db.customer.create({
      data: { shop, shopifyId: "gid://shopify/Customer/7731", email: `${secret}@example.com`, firstName: secret },
    });
    // Large enough to spill onto overflow pages, as an order payload does.
    const payload = JSON.stringify({ note: secret.repeat(2000) });
    await t.db.webhookEvent.create({ data: { ...event("erase-big"), shop, payload } });
    // Moved into the database file by a checkpoint, and read through the direct reader meanwhile.
    await t.db.$queryRawUnsafe("PRAGMA wal_checkpoint(PASSIVE)");
    const { rawRows } = await import("./models/raw-sql.server");
    expect(await rawRows(t.db, `SELECT "id" FROM "Customer" WHERE "shop" = {}`, [shop])).toHaveLength(1);
    expect(inFiles(secret)).toBe(true);

    await t.db.customer.deleteMany({ where: { shop } });
    await t.db.webhookEvent.updateMany({ where: { shop }, data: { payload: "{}" } });
    await eraseFreedData(t.db);
    expect(inFiles(secret)).toBe(false);
    expect(statSync(`${path}-wal`).size).toBe(0);
  });
});
