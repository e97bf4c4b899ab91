/**
 * Return photos below the UI, on a real migrated database (SQLite or PostgreSQL) and the
 * in-process sandbox: the storefront asks for staged upload targets, uploads to them as a browser
 * would (a multipart POST with the target's parameters, then the file), sends the return with the
 * photos' tokens, and the return keeps the files Shopify made of them (fileCreate), whose images
 * the desk then shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { processingWebhookFetch } from "../../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { adminClient } from "../../shopify/admin.server";

import { createShopperReturn, returnsLookup, stageReturnPhotos, type StorefrontDeps } from "./storefront.server";
import { getReturnPolicy, saveReturnPolicy } from "./policy.server";
import { returnPhotos } from "./photos.server";

const secret = process.env.SHOPIFY_API_SECRET!;
let t: TestDatabase;
let world: ReturnType<typeof build>;

function build() {
  const { sandbox, mug, tee } = testSandbox({ webhookFetch: processingWebhookFetch(t.db, secret), apiSecret: secret });
  const ada = sandbox.createCustomer({ shop: TEST_SHOP, email: "ada@example.com", firstName: "Ada", lastName: "L" });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: ada,
    lines: [
      { variantId: mug.variants[0].id, quantity: 1 },
      { variantId: tee.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z1" });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
  const admin = adminClient(sandbox.graphqlClient(TEST_SHOP));
  const deps: StorefrontDeps = { db: t.db, secret, admin: async () => admin };
  return { sandbox, order, admin, deps, lineGid: (i: number) => `gid://shopify/LineItem/${order.lineItems[i].id}` };
}

const req = (params: Record<string, string> = {}) => ({
  shop: TEST_SHOP,
  clientIp: "203.0.113.7",
  loggedInCustomerId: null,
  params: new URLSearchParams(params),
});
const jpeg = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(bytes - 3, 7)]);

async function lookup() {
  const answer = await returnsLookup(req({ order: world.order.name, email: "ada@example.com" }), world.deps);
  expect(answer.status).toBe(200);
  return answer.body as { token: string; reasons: { id: string; photos: boolean }[] };
}

interface Targets {
  targets: { url: string; parameters: { name: string; value: string }[]; photo: string }[];
}

/** The browser's upload: the target's parameters in order, the file last. */
function upload(target: Targets["targets"][number], body: Buffer, type = "image/jpeg") {
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([new Uint8Array(body)], { type }), "photo.jpg");
  return world.sandbox.uploads.receive(new Request(target.url, { method: "POST", body: form }));
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  world = build();
  await world.sandbox.flush();
  const policy = await getReturnPolicy(t.db, TEST_SHOP);
  expect((await saveReturnPolicy(t.db, TEST_SHOP, { ...policy, storefrontLookup: true })).ok).toBe(true);
});
afterAll(async () => {
  world?.sandbox.close();
  await t.drop();
});

describe("return photos", () => {
  it("stages uploads in Shopify, takes the photos with the return and shows their images on the desk", async () => {
    const { token, reasons } = await lookup();
    // Damaged or defective asks for photos; a size does not.
    expect(reasons.find((r) => r.id === "defective")?.photos).toBe(true);
    expect(reasons.find((r) => r.id === "too_small")?.photos).toBe(false);

    const staged = await stageReturnPhotos(
      req(),
      {
        token,
        uploads: [
          { filename: "cracked mug.JPG", mimeType: "image/jpeg", fileSize: 2048 },
          { filename: "box.png", mimeType: "image/png", fileSize: 1024 },
        ],
      },
      world.deps,
    );
    expect(staged.status).toBe(200);
    const { targets } = staged.body as Targets;
    expect(targets).toHaveLength(2);
    // Shopify's POST target: the storage's URL and the form fields to send before the file.
    expect(targets[0].parameters.map((p) => p.name)).toEqual([
      "Content-Type",
      "success_action_status",
      "acl",
      "key",
      "x-goog-date",
      "x-goog-credential",
      "x-goog-algorithm",
      "x-goog-signature",
      "policy",
    ]);
    expect(targets[0].parameters.find((p) => p.name === "key")?.value).toMatch(/\/cracked-mug\.jpg$/);
    expect(targets[1].parameters.find((p) => p.name === "Content-Type")?.value).toBe("image/png");

    const first = await upload(targets[0], jpeg(2048));
    expect(first.status).toBe(201);
    expect(await first.text()).toContain("<PostResponse>");
    expect((await upload(targets[1], jpeg(1024), "image/png")).status).toBe(201);

    const created = await createShopperReturn(
      req(),
      {
        token,
        key: "photos-return-0001",
        resolution: "refund",
        items: [
          {
            lineItemId: world.lineGid(0),
            quantity: 1,
            reason: "defective",
            note: "Cracked on arrival",
            photos: targets.map((x) => x.photo),
          },
        ],
      },
      world.deps,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ret = await t.db.returnCase.findFirstOrThrow({
      where: { shop: TEST_SHOP, idempotencyKey: "photos-return-0001" },
      include: { lines: { include: { photos: true } } },
    });
    const photos = ret.lines[0].photos;
    expect(photos.map((p) => p.fileShopifyId)).toEqual([
      expect.stringMatching(/^gid:\/\/shopify\/MediaImage\/\d+$/),
      expect.stringMatching(/^gid:\/\/shopify\/MediaImage\/\d+$/),
    ]);
    // Shopify answered fileCreate before processing the files: no image URL yet.
    expect(photos.every((p) => p.url === null)).toBe(true);

    // The desk asks Shopify for the images once, and keeps them.
    const shown = await returnPhotos(t.db, world.admin, [ret.lines[0].id]);
    const urls = shown.get(ret.lines[0].id)!.map((p) => p.url);
    expect(urls).toEqual([expect.stringMatching(/\/cdn\/files\/\d+\/cracked-mug\.jpg$/), expect.any(String)]);
    const image = world.sandbox.uploads.serve(new URL(urls[0]!).pathname);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await image.arrayBuffer())).toEqual(jpeg(2048));
    const saved = await t.db.returnCasePhoto.findMany({ where: { returnCaseLineId: ret.lines[0].id } });
    expect(saved.map((p) => p.url).sort()).toEqual([...urls].sort());
  });

  it("refuses photos that are too many, too large or not images, in words a shopper can act on", async () => {
    const { token } = await lookup();
    const stage = (uploads: unknown) => stageReturnPhotos(req(), { token, uploads }, world.deps);
    const photo = { filename: "a.jpg", mimeType: "image/jpeg", fileSize: 1000 };
    const four = await stage([photo, photo, photo, photo]);
    expect([four.status, four.body]).toEqual([
      400,
      { error: "too_many_photos", message: "Add at most 3 photos per item." },
    ]);
    const big = await stage([{ ...photo, fileSize: 5 * 1024 * 1024 + 1 }]);
    expect([big.status, (big.body as { error: string }).error]).toEqual([400, "photo_too_large"]);
    const gif = await stage([{ ...photo, mimeType: "image/gif" }]);
    expect([gif.status, (gif.body as { error: string }).error]).toEqual([400, "photo_type"]);
    const stranger = await stageReturnPhotos(req(), { token: "forged", uploads: [photo] }, world.deps);
    expect(stranger.status).toBe(401);
  });

  it("refuses photos on a reason that asks for none, and photo tokens that are not this order's", async () => {
    const { token } = await lookup();
    const staged = await stageReturnPhotos(
      req(),
      { token, uploads: [{ filename: "a.jpg", mimeType: "image/jpeg", fileSize: 100 }] },
      world.deps,
    );
    const [target] = (staged.body as Targets).targets;
    expect((await upload(target, jpeg(100))).status).toBe(201);
    const send = (reason: string, photos: string[], key: string) =>
      createShopperReturn(
        req(),
        { token, key, resolution: "refund", items: [{ lineItemId: world.lineGid(1), quantity: 1, reason, photos }] },
        world.deps,
      );
    const unasked = await send("too_small", [target.photo], "photos-return-0002");
    expect([unasked.status, (unasked.body as { error: string }).error]).toEqual([400, "photos_not_asked"]);
    const [payload] = target.photo.split(".");
    const forged = await send("defective", [`${payload}.AAAA`], "photos-return-0003");
    expect([forged.status, (forged.body as { error: string }).error]).toEqual([400, "photo_expired"]);
    expect(
      await t.db.returnCase.count({ where: { idempotencyKey: { in: ["photos-return-0002", "photos-return-0003"] } } }),
    ).toBe(0);
  });
});
