import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { recordEvent } from "../models/webhook-inbox.server";

import { loader } from "./healthz";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.db.webhookEvent.deleteMany();
});

const get = (query = "") => loader({ request: new Request(`http://app.test/healthz${query}`) });

async function waiting(secondsAgo: number, status = "pending") {
  const id = await recordEvent(t.db, {
    shop: "health.myshopify.com",
    topic: "orders/paid",
    webhookId: `w-${secondsAgo}`,
    payload: "{}",
  });
  await t.db.webhookEvent.update({
    where: { id: id! },
    data: { status, receivedAt: new Date(Date.now() - secondsAgo * 1000) },
  });
}

describe("the health endpoint", () => {
  it("is ok with no backlog, and says how old the backlog is", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(response.headers.get("X-Aftercare-Backlog-Age")).toBe("0");
    await waiting(30);
    const young = await get();
    expect(await young.text()).toBe("ok");
    expect(Number(young.headers.get("X-Aftercare-Backlog-Age"))).toBeGreaterThanOrEqual(30);
  });

  it("says the backlog is behind past the threshold, and answers 503 only when asked to be strict", async () => {
    await waiting(400, "mirrored"); // effects still to run count as backlog too
    const response = await get();
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(
      /^ok; backlog behind: the oldest webhook event has waited 4\d\d s, over 300 s/,
    );
    expect((await get("?backlog=strict")).status).toBe(503);
    expect((await get("?backlog=strict&maxBacklogSeconds=600")).status).toBe(200);
    await t.db.webhookEvent.updateMany({ data: { status: "processed" } });
    expect((await get("?backlog=strict")).status).toBe(200);
  });

  it("refuses a threshold that is not a number of seconds with a 400", async () => {
    const response = await get("?maxBacklogSeconds=soon");
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/maxBacklogSeconds must be a number/);
  });
});
