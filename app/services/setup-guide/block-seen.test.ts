/**
 * The "block at work" marks behind the setup guide's theme steps, on a real database with fixed
 * instants: a process writes a block's mark at most once an hour (the storefront's hot path
 * otherwise only reads memory), a mark counts for 30 days, and a failed write never reaches the
 * shopper's request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { blocksSeenSince } from "../../models/setup-guide.server";
import type { Db } from "../../db.server";

import { BLOCK_SEEN_WRITE_EVERY_MS, forgetBlockSeenWrites, noteBlockSeen } from "./block-seen.server";
import { BLOCK_SEEN_WINDOW_MS, loadSetupGuide } from "./guide.server";

const SHOP = "marks.myshopify.com";
const T0 = new Date("2026-03-10T08:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  forgetBlockSeenWrites();
  await t.db.storefrontBlockSeen.deleteMany({});
});

const stored = async () =>
  (await t.db.storefrontBlockSeen.findMany({ where: { shop: SHOP }, orderBy: { block: "asc" } })).map((r) => [
    r.block,
    r.lastSeenAt.toISOString(),
  ]);

describe("block marks", () => {
  it("are written once an hour per shop and block, not on every request", async () => {
    await noteBlockSeen(t.db, SHOP, "tracking", T0);
    // Within the hour nothing is written, even if the row is gone meanwhile: memory alone answers.
    await t.db.storefrontBlockSeen.deleteMany({});
    await noteBlockSeen(t.db, SHOP, "tracking", at(59 * 60_000));
    expect(await stored()).toEqual([]);
    await noteBlockSeen(t.db, SHOP, "tracking", at(BLOCK_SEEN_WRITE_EVERY_MS));
    expect(await stored()).toEqual([["tracking", at(BLOCK_SEEN_WRITE_EVERY_MS).toISOString()]]);
    // Another block and another shop have marks of their own.
    await noteBlockSeen(t.db, SHOP, "contact", at(BLOCK_SEEN_WRITE_EVERY_MS + 1000));
    await noteBlockSeen(t.db, "other.myshopify.com", "tracking", at(BLOCK_SEEN_WRITE_EVERY_MS + 1000));
    expect((await stored()).map(([block]) => block)).toEqual(["contact", "tracking"]);
  });

  it("count for 30 days", async () => {
    await noteBlockSeen(t.db, SHOP, "loyalty", T0);
    expect(await blocksSeenSince(t.db, SHOP, at(-1))).toEqual(["loyalty"]);
    const guideAt = async (now: Date) =>
      (await loadSetupGuide({ db: t.db, apiKey: "key" }, SHOP, now)).steps.find((s) => s.id === "block-loyalty")!.done;
    expect(await guideAt(at(BLOCK_SEEN_WINDOW_MS - 1000))).toBe(true);
    expect(await guideAt(at(BLOCK_SEEN_WINDOW_MS + 1000))).toBe(false);
  });

  it("never fail the request when the write fails, and are tried again on the next one", async () => {
    const errors: string[] = [];
    const broken = {
      storefrontBlockSeen: {
        upsert: async () => {
          throw new Error("database is locked");
        },
      },
    } as unknown as Db;
    await noteBlockSeen(broken, SHOP, "returns", T0, (message) => errors.push(message));
    expect(errors).toEqual([`could not record that the returns block was used on ${SHOP}`]);
    await noteBlockSeen(t.db, SHOP, "returns", at(1000));
    expect(await stored()).toEqual([["returns", at(1000).toISOString()]]);
  });
});
