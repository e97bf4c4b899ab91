/**
 * Returns end to end below the UI: a real migrated database (SQLite or PostgreSQL) fed by the
 * sandbox's webhooks through the app's own intake, the storefront endpoints, the workflow synced
 * with the in-process sandbox (asserting Shopify's state there), and emails through real SMTP.
 */
import type { AddressInfo } from "node:net";

import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { processingWebhookFetch } from "../../../tests/helpers/webhooks";
import { testSandbox, TEST_SHOP } from "../../../sandbox/engine/testing";
import { adminClient } from "../../shopify/admin.server";
import { createMailer } from "../mailer.server";
import { deliverDueNotifications } from "../outbox.server";

import { createShopperReturn, returnsLookup, type StorefrontDeps } from "./storefront.server";
import { approveReturn, receiveReturn, resolveReturn } from "./workflow.server";
import { saveReturnPolicy, getReturnPolicy } from "./policy.server";
import { ReturnsError } from "./errors.server";
import { returnStatusToken } from "./notifications.server";
import { searchWords } from "./exchanges.server";
import { onOrderPaymentChanged } from "./register.server";

const secret = process.env.SHOPIFY_API_SECRET!;
let t: TestDatabase;
let world: ReturnType<typeof build>;
let smtp: SMTPServer;
const inbox: { to: string[]; subject: string }[] = [];
let smtpUrl = "";

function build() {
  const fetch = processingWebhookFetch(t.db, secret);
  const { sandbox, mug, tee, candle } = testSandbox({ webhookFetch: fetch, apiSecret: secret });
  const ada = sandbox.createCustomer({
    shop: TEST_SHOP,
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "Lovelace",
  });
  const order = sandbox.placeOrder({
    shop: TEST_SHOP,
    customer: ada,
    lines: [
      { variantId: tee.variants[0].id, quantity: 2 },
      { variantId: mug.variants[0].id, quantity: 1 },
      { variantId: candle.variants[0].id, quantity: 1 },
    ],
    paid: true,
  });
  const shipment = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z999" });
  sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
  const admin = adminClient(sandbox.graphqlClient(TEST_SHOP));
  const deps: StorefrontDeps = { db: t.db, secret, admin: async () => admin };
  const lineGid = (i: number) => `gid://shopify/LineItem/${order.lineItems[i].id}`;
  const variantGid = (id: number) => `gid://shopify/ProductVariant/${id}`;
  return { sandbox, order, ada, tee, mug, candle, admin, deps, lineGid, variantGid };
}

const req = (params: Record<string, string> = {}) => ({
  shop: TEST_SHOP,
  clientIp: "203.0.113.9",
  loggedInCustomerId: null,
  params: new URLSearchParams(params),
});
let keyCounter = 0;
const key = () => `k${Date.now().toString(36)}${(keyCounter++).toString().padStart(4, "0")}`;

async function lookup() {
  const answer = await returnsLookup(
    req({ order: world.order.name, email: "ADA@example.com", locale: "en" }),
    world.deps,
  );
  expect(answer.status).toBe(200);
  return answer.body as {
    token: string;
    lines: { id: string; returnable: number; reason: string | null; exchangeVariants: { id: string }[] }[];
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const subject = /^Subject: (.*)$/im.exec(raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " "))?.[1] ?? "";
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  world = build();
  await world.sandbox.flush();
  const policy = await getReturnPolicy(t.db, TEST_SHOP);
  // These tests use the theme's order-number-and-email lookup, which the merchant turns on.
  const saved = await saveReturnPolicy(t.db, TEST_SHOP, {
    ...policy,
    storefrontLookup: true,
    exclusions: { ...policy.exclusions, tags: ["home"] },
    fees: { restockingPercent: 10, returnShippingMinor: 500, waiveForExchanges: true },
    resolutions: { ...policy.resolutions, storeCreditBonusPercent: 10 },
  });
  expect(saved.ok).toBe(true);
});
afterAll(async () => {
  world?.sandbox.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t.drop();
});

describe("eligibility", () => {
  it("shows each line with what can be returned and why not", async () => {
    const body = await lookup();
    expect(body.lines.map((l) => [l.returnable, l.reason])).toEqual([
      [2, null],
      [1, null],
      [0, "excluded"],
    ]);
    // Exchange for another option of the tee: size M.
    expect(body.lines[0].exchangeVariants.map((v) => v.id)).toEqual([world.variantGid(world.tee.variants[1].id)]);
  });

  it("says an order on its way is not returnable yet, and takes it back once delivered", async () => {
    const { sandbox } = world;
    const cy = sandbox.createCustomer({ shop: TEST_SHOP, email: "cy@example.com", firstName: "Cy", lastName: "D" });
    const order = sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: cy,
      lines: [{ variantId: world.tee.variants[1].id, quantity: 1 }],
      paid: true,
    });
    const parcel = sandbox.fulfil({ shop: TEST_SHOP, order, trackingCompany: "UPS", trackingNumber: "1Z7" });
    sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: parcel, status: "in_transit" });
    await sandbox.flush();
    const find = async () =>
      (await returnsLookup(req({ order: order.name, email: "cy@example.com" }), world.deps)).body as {
        lines: { returnable: number; reason: string | null }[];
      };
    expect((await find()).lines).toMatchObject([{ returnable: 0, reason: "in_transit" }]);
    sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: parcel, status: "delivered" });
    await sandbox.flush();
    expect((await find()).lines).toMatchObject([{ returnable: 1, reason: null }]);
  });

  it("gives the same 404 for a wrong email and an unknown order", async () => {
    const wrong = await returnsLookup(req({ order: world.order.name, email: "eve@example.com" }), world.deps);
    const unknown = await returnsLookup(req({ order: "#99999", email: "ada@example.com" }), { ...world.deps });
    expect(wrong.status).toBe(404);
    expect(JSON.stringify(wrong.body)).toBe(JSON.stringify(unknown.body));
  });
});

describe("bad input gets a clear 4xx", () => {
  it.each([
    ["quantity above what is returnable", { quantity: 3, reason: "too_small" }, "refund", 422, "quantity_too_high"],
    ["an ineligible item", { line: 2, quantity: 1, reason: "too_small" }, "refund", 422, "ineligible_item"],
    ["an unknown reason", { quantity: 1, reason: "bored" }, "refund", 422, "unknown_reason"],
    ["a resolution not offered", { quantity: 1, reason: "too_small" }, "exchange_any", 422, "resolution_not_offered"],
    ["a reason without its required note", { quantity: 1, reason: "defective" }, "refund", 422, "note_required"],
  ])("%s", async (_name, item, resolution, status, code) => {
    const { token } = await lookup();
    const answer = await createShopperReturn(
      req(),
      {
        token,
        key: key(),
        resolution,
        items: [
          {
            lineItemId: world.lineGid((item as { line?: number }).line ?? 0),
            quantity: item.quantity,
            reason: item.reason,
          },
        ],
      },
      world.deps,
    );
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error: code, message: expect.any(String) });
    expect(await t.db.returnCase.count()).toBe(0);
  });

  it("refuses a forged token and malformed items", async () => {
    expect(
      (await createShopperReturn(req(), { token: "x.y", key: key(), resolution: "refund", items: [] }, world.deps))
        .status,
    ).toBe(401);
    const { token } = await lookup();
    expect(
      (await createShopperReturn(req(), { token, key: key(), resolution: "refund", items: "nope" }, world.deps)).status,
    ).toBe(400);
    expect(
      (await createShopperReturn(req(), { token, key: "bad key!", resolution: "refund", items: [] }, world.deps))
        .status,
    ).toBe(400);
  });
});

describe("requests", () => {
  it("a double submit creates one return, and concurrent requests never exceed what was bought", async () => {
    const { token } = await lookup();
    const k = key();
    const body = {
      token,
      key: k,
      resolution: "refund",
      items: [{ lineItemId: world.lineGid(1), quantity: 1, reason: "changed_mind" }],
    };
    const [a, b] = await Promise.all([
      createShopperReturn(req(), body, world.deps),
      createShopperReturn(req(), body, world.deps),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(await t.db.returnCase.count({ where: { idempotencyKey: k } })).toBe(1);

    // The tee line has 2; five shoppers ask for 1 each at once.
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        createShopperReturn(
          req(),
          {
            token,
            key: key(),
            resolution: "store_credit",
            items: [{ lineItemId: world.lineGid(0), quantity: 1, reason: "too_small" }],
          },
          world.deps,
        ),
      ),
    );
    expect(answers.filter((x) => x.status === 201)).toHaveLength(2);
    expect(answers.filter((x) => x.status !== 201).every((x) => x.status === 409 || x.status === 422)).toBe(true);
    const lines = await t.db.returnCaseLine.findMany({ where: { lineItemShopifyId: world.lineGid(0) } });
    expect(lines.reduce((n, l) => n + l.quantity, 0)).toBe(2);
    expect((await lookup()).lines[0]).toMatchObject({ returnable: 0, reason: "already_returned" });
  });
});

describe("the workflow, mirrored in Shopify", () => {
  it("store credit with bonus: request -> approve -> receive with dispositions -> credited and closed", async () => {
    const ret = await t.db.returnCase.findFirstOrThrow({
      where: { resolution: "store_credit" },
      include: { lines: true },
    });
    expect(ret).toMatchObject({
      status: "requested",
      itemsMinor: 3500,
      restockingFeeMinor: 350,
      shippingFeeMinor: 500,
      bonusMinor: 350,
      resolutionMinor: 3000,
    });
    const shopifyReturn = () => world.sandbox.state.return(world.sandbox.shop(TEST_SHOP), ret.shopifyReturnId!)!.ret;
    expect(shopifyReturn().status).toBe("requested");
    // "Too small" maps onto Shopify's too-small definition, sent by id (the deprecated enum is not sent).
    expect(shopifyReturn().lines).toMatchObject([{ returnReasonDefinitionId: 1, returnReason: "SIZE_TOO_SMALL" }]);

    const wf = { db: t.db, admin: world.admin, secret };
    await expect(resolveReturn(TEST_SHOP, ret.id, wf)).rejects.toThrow(ReturnsError);
    await approveReturn(TEST_SHOP, ret.id, wf);
    expect(shopifyReturn().status).toBe("open");
    // Closing needs every item received with a disposition.
    await expect(resolveReturn(TEST_SHOP, ret.id, wf)).rejects.toMatchObject({ status: 409 });
    await expect(receiveReturn(TEST_SHOP, ret.id, {}, wf)).rejects.toMatchObject({
      status: 400,
      code: "disposition_required",
    });
    await receiveReturn(TEST_SHOP, ret.id, { [ret.lines[0].id]: "restock" }, wf);
    expect(shopifyReturn().reverseFulfillmentOrders[0].lineItems[0].dispositions).toMatchObject([
      { type: "RESTOCKED", quantity: 1 },
    ]);
    const done = await resolveReturn(TEST_SHOP, ret.id, wf);
    expect(done.status).toBe("closed");
    expect(shopifyReturn().status).toBe("closed");
    expect(shopifyReturn().lines[0].processedQuantity).toBe(1);
    const customer = world.sandbox.customers(TEST_SHOP).find((c) => c.email === "ada@example.com")!;
    const credited = customer.storeCreditAccounts[0].transactions.reduce(
      (n: number, x: { amountMinor: number }) => n + x.amountMinor,
      0,
    );
    expect(credited).toBe(3000);
  });

  it("refund: returnProcess refunds the original payment, fees taken off", async () => {
    const ret = await t.db.returnCase.findFirstOrThrow({ where: { resolution: "refund" }, include: { lines: true } });
    const wf = { db: t.db, admin: world.admin, secret };
    await approveReturn(TEST_SHOP, ret.id, wf);
    await receiveReturn(TEST_SHOP, ret.id, { [ret.lines[0].id]: "not_restocked" }, wf);
    await resolveReturn(TEST_SHOP, ret.id, wf);
    const order = world.sandbox.state.order(world.sandbox.shop(TEST_SHOP), `gid://shopify/Order/${world.order.id}`)!;
    const refund = order.refunds.find((r) => r.returnId !== null)!;
    const refunded = order.transactions
      .filter((x) => refund.transactionIds.includes(x.id))
      .reduce((n, x) => n + x.amountMinor, 0);
    expect(refunded).toBe(1800 - 180 - 500);
    expect(order.returns.find((r) => `gid://shopify/Return/${r.id}` === ret.shopifyReturnId)!.status).toBe("closed");
  });

  it("a decline in Shopify's admin reaches Aftercare through returns/decline and frees the quantity", async () => {
    const { token } = await lookup();
    const answer = await createShopperReturn(
      req(),
      {
        token,
        key: key(),
        resolution: "exchange_variant",
        items: [
          {
            lineItemId: world.lineGid(0),
            quantity: 1,
            reason: "too_small",
            exchangeVariantId: world.variantGid(world.tee.variants[1].id),
          },
        ],
      },
      world.deps,
    );
    // Both tees are already in returns.
    expect(answer.status).toBe(422);
    const open = await t.db.returnCase.findFirstOrThrow({ where: { resolution: "store_credit", status: "requested" } });
    world.sandbox.declineReturn({
      shop: TEST_SHOP,
      return: world.sandbox.state.return(world.sandbox.shop(TEST_SHOP), open.shopifyReturnId!)!.ret,
      reason: "FINAL_SALE",
      note: "Worn",
    });
    await world.sandbox.flush();
    expect(await t.db.returnCase.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({
      status: "declined",
      declineNote: "Worn",
    });
    expect((await lookup()).lines[0].returnable).toBe(1);
  });
});

describe("emails", () => {
  it("sends each milestone exactly once through SMTP, even when asked twice", async () => {
    const mailer = createMailer({ url: smtpUrl, from: "Aftercare <notifications@aftercare.test>" });
    await deliverDueNotifications({ db: t.db, mailer, secret });
    await deliverDueNotifications({ db: t.db, mailer, secret });
    const credit = await t.db.returnCase.findFirstOrThrow({ where: { resolution: "store_credit", status: "closed" } });
    const mine = inbox.filter((m) => m.subject.includes(credit.number));
    expect(mine.map((m) => m.subject).sort()).toEqual(
      [
        `We received your return request ${credit.number}`,
        `Your return ${credit.number} is approved`,
        `We received the items of return ${credit.number}`,
        `Your return ${credit.number} is complete`,
      ].sort(),
    );
    expect(mine.every((m) => m.to[0] === "ada@example.com")).toBe(true);
    const declined = await t.db.returnCase.findFirstOrThrow({ where: { status: "declined" } });
    expect(inbox.filter((m) => m.subject === `About your return request ${declined.number}`)).toHaveLength(1);
  });
});

describe("exchanges, made in Shopify with its exchange line items", () => {
  const wf = () => ({ db: t.db, admin: world.admin, secret });
  let second: ReturnType<typeof world.sandbox.placeOrder>;
  const shopOf = () => world.sandbox.shop(TEST_SHOP);
  const orderInShopify = () => world.sandbox.state.order(shopOf(), `gid://shopify/Order/${second.id}`)!;
  const credited = () =>
    (
      world.sandbox.customers(TEST_SHOP).find((c) => c.email === "ada@example.com")!.storeCreditAccounts[0]
        ?.transactions ?? []
    ).reduce(
      (n: number, x: { amountMinor: number; kind: string }) =>
        n + (x.kind === "credit" ? x.amountMinor : -x.amountMinor),
      0,
    );
  const lineOf = (i: number) => `gid://shopify/LineItem/${second.lineItems[i].id}`;

  async function lookupSecond() {
    const answer = await returnsLookup(req({ order: second.name, email: "ada@example.com", locale: "en" }), world.deps);
    expect(answer.status).toBe(200);
    return answer.body as {
      token: string;
      lines: { id: string; exchangeVariants: { id: string; title: string; priceMinor: number }[] }[];
    };
  }

  beforeAll(async () => {
    second = world.sandbox.placeOrder({
      shop: TEST_SHOP,
      customer: world.ada,
      lines: [
        { variantId: world.tee.variants[0].id, quantity: 2 },
        { variantId: world.mug.variants[0].id, quantity: 1 },
      ],
      paid: true,
    });
    const shipment = world.sandbox.fulfil({
      shop: TEST_SHOP,
      order: second,
      trackingCompany: "UPS",
      trackingNumber: "1Z777",
    });
    world.sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
    await world.sandbox.flush();
    const policy = await getReturnPolicy(t.db, TEST_SHOP);
    const saved = await saveReturnPolicy(t.db, TEST_SHOP, {
      ...policy,
      resolutions: { ...policy.resolutions, exchangeVariant: true, exchangeAny: true, exchangeBonusPercent: 10 },
    });
    expect(saved.ok).toBe(true);
  });

  it(
    "another size: nothing in Shopify until approved, then a return with its exchange item; " +
      "completing adds the replacement to the order",
    async () => {
      const { token, lines } = await lookupSecond();
      const sizeM = world.variantGid(world.tee.variants[1].id);
      expect(lines[0].exchangeVariants).toEqual([{ id: sizeM, title: "M", priceMinor: 3500 }]);
      const answer = await createShopperReturn(
        req(),
        {
          token,
          key: key(),
          resolution: "exchange_variant",
          items: [{ lineItemId: lineOf(0), quantity: 1, reason: "too_small", exchangeVariantId: sizeM }],
        },
        world.deps,
      );
      expect(answer.status).toBe(201);
      const body = answer.body as {
        return: { number: string; amounts: Record<string, number>; items: { exchangeState: string }[] };
        statusToken: string;
      };
      expect(body.return.amounts).toMatchObject({ items: 3500, exchange: 3500, storeCredit: 0 });
      expect(body.return.items[0].exchangeState).toBe("pending");
      let ret = await t.db.returnCase.findFirstOrThrow({
        where: { number: body.return.number },
        include: { lines: true },
      });
      expect(ret).toMatchObject({
        status: "requested",
        shopifyReturnId: null,
        exchangeMinor: 3500,
        resolutionMinor: 3500,
      });
      expect(ret.lines[0]).toMatchObject({
        exchangeVariantShopifyId: sizeM,
        exchangeUnitPriceMinor: 3500,
        exchangeProductShopifyId: `gid://shopify/Product/${world.tee.id}`,
        exchangeTitle: "Linen Tee – M",
      });
      // Shopify's return request cannot carry exchange items: nothing is sent before approval.
      expect(orderInShopify().returns).toEqual([]);

      // eslint-disable-next-line require-atomic-updates -- the test's steps run one after another
      ret = await approveReturn(TEST_SHOP, ret.id, wf());
      expect(ret).toMatchObject({ status: "approved", shopifyStatus: "OPEN" });
      const inShopify = world.sandbox.state.return(shopOf(), ret.shopifyReturnId!)!.ret;
      expect(inShopify.status).toBe("open");
      // Shopify's definition by id, and the merchant's own wording kept in the reason note.
      expect(inShopify.lines).toMatchObject([
        { quantity: 1, returnReason: "SIZE_TOO_SMALL", returnReasonDefinitionId: 1, returnReasonNote: "Too small" },
      ]);
      expect(inShopify.exchangeLines).toMatchObject([
        { variantId: world.tee.variants[1].id, quantity: 1, processedQuantity: 0, lineItemIds: [] },
      ]);
      expect(ret.lines[0].shopifyExchangeLineItemId).toBe(
        `gid://shopify/ExchangeLineItem/${inShopify.exchangeLines![0].id}`,
      );
      const status = await returnsLookup(req({ return: body.statusToken }), world.deps);
      expect((status.body as { return: { items: { exchangeState: string }[] } }).return.items[0].exchangeState).toBe(
        "confirmed",
      );

      const creditBefore = credited();
      await receiveReturn(TEST_SHOP, ret.id, { [ret.lines[0].id]: "restock" }, wf());
      // eslint-disable-next-line require-atomic-updates -- the test's steps run one after another
      ret = await resolveReturn(TEST_SHOP, ret.id, wf());
      expect(ret.status).toBe("closed");
      const exchanged = world.sandbox.state.return(shopOf(), ret.shopifyReturnId!)!.ret;
      expect(exchanged.status).toBe("closed");
      expect(exchanged.lines[0].processedQuantity).toBe(1);
      expect(exchanged.exchangeLines![0]).toMatchObject({ processedQuantity: 1, lineItemIds: [expect.any(Number)] });
      // The replacement is a new line of the same order, waiting to ship on its own fulfillment order.
      const replacement = orderInShopify().lineItems.find((l) => l.id === exchanged.exchangeLines![0].lineItemIds[0])!;
      expect(replacement).toMatchObject({
        variantId: world.tee.variants[1].id,
        variantTitle: "M",
        quantity: 1,
        priceMinor: 3500,
      });
      expect(orderInShopify().fulfillmentOrders.at(-1)).toMatchObject({
        status: "OPEN",
        lineItems: [{ lineItemId: replacement.id, remainingQuantity: 1 }],
      });
      expect(ret.lines[0].replacementLineItemShopifyId).toBe(`gid://shopify/LineItem/${replacement.id}`);
      // Same price, no bonus for this exchange: no money back and no store credit.
      const refund = orderInShopify().refunds.find(
        (r) => `gid://shopify/Return/${r.returnId}` === ret.shopifyReturnId,
      )!;
      expect(refund.transactionIds).toEqual([]);
      expect(credited()).toBe(creditBefore);
      await world.sandbox.flush();
      // The mirror learnt of the new line through orders/updated.
      expect(await t.db.lineItem.count({ where: { shopifyId: `gid://shopify/LineItem/${replacement.id}` } })).toBe(1);
      const after = await returnsLookup(req({ return: body.statusToken }), world.deps);
      expect((after.body as { return: { items: { exchangeState: string }[] } }).return.items[0].exchangeState).toBe(
        "added",
      );
    },
  );

  it("any product: the shopper searches the shop, and only an order's token may", async () => {
    const { token } = await lookupSecond();
    const found = await returnsLookup(req({ search: "mug", token }), world.deps);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      currency: "USD",
      products: [
        {
          id: `gid://shopify/Product/${world.mug.id}`,
          title: "Enamel Mug",
          imageUrl: "/cdn/products/enamel-mug.svg",
          variants: [{ id: world.variantGid(world.mug.variants[0].id), title: "Enamel Mug", priceMinor: 1800 }],
        },
      ],
    });
    // Only active products; search syntax in the shopper's words is read as words, never as filters.
    world.sandbox.addProduct(TEST_SHOP, { title: "Draft Mug", status: "DRAFT", price: "9.00" });
    const mugs = await returnsLookup(req({ search: "Mug", token }), world.deps);
    expect((mugs.body as { products: { title: string }[] }).products.map((p) => p.title)).toEqual(["Enamel Mug"]);
    expect(searchWords("status:draft OR (tee) -mug")).toBe("status draft tee mug");
    expect((await returnsLookup(req({ search: "mug" }), world.deps)).status).toBe(401);
    expect((await returnsLookup(req({ search: "x".repeat(81), token }), world.deps)).body).toMatchObject({
      error: "search_too_long",
    });
  });

  it(
    "any product: a cheaper item leaves the difference and the bonus as store credit, as before; an " +
      "unavailable one is refused",
    async () => {
      const { token } = await lookupSecond();
      const mug = world.variantGid(world.mug.variants[0].id);
      const submit = (line: number, variant: string) =>
        createShopperReturn(
          req(),
          {
            token,
            key: key(),
            resolution: "exchange_any",
            items: [{ lineItemId: lineOf(line), quantity: 1, reason: "changed_mind", exchangeVariantId: variant }],
          },
          world.deps,
        );

      world.candle.variants[0].inventoryQuantity = 0;
      expect((await submit(0, world.variantGid(world.candle.variants[0].id))).body).toMatchObject({
        error: "exchange_unavailable",
      });
      expect((await submit(0, "gid://shopify/ProductVariant/999999")).body).toMatchObject({
        error: "exchange_unavailable",
      });
      expect(await submit(0, "mug please")).toMatchObject({ status: 400, body: { error: "bad_exchange" } });
      expect(
        await t.db.returnCase.count({
          where: { orderShopifyId: `gid://shopify/Order/${second.id}`, resolution: "exchange_any" },
        }),
      ).toBe(0);

      // Auto-approved: Shopify's return, with the exchange item, is made at once.
      const policy = await getReturnPolicy(t.db, TEST_SHOP);
      await saveReturnPolicy(t.db, TEST_SHOP, {
        ...policy,
        autoApprove: { enabled: true, reasons: [], maxOrderValueMinor: null, maxPriorReturns: null },
      });
      const answer = await submit(0, mug);
      await saveReturnPolicy(t.db, TEST_SHOP, policy);
      expect(answer.status).toBe(201);
      // 35.00 tee for an 18.00 mug: 17.00 left over, plus the 10% bonus of 3.50.
      expect((answer.body as { return: { status: string; amounts: Record<string, number> } }).return).toMatchObject({
        status: "approved",
        amounts: { items: 3500, bonus: 350, total: 3850, exchange: 1800, storeCredit: 2050 },
      });
      let ret = await t.db.returnCase.findFirstOrThrow({
        where: { orderShopifyId: `gid://shopify/Order/${second.id}`, resolution: "exchange_any" },
        include: { lines: true },
      });
      expect(world.sandbox.state.return(shopOf(), ret.shopifyReturnId!)!.ret.exchangeLines).toMatchObject([
        { variantId: world.mug.variants[0].id, quantity: 1, priceMinor: 1800 },
      ]);

      const creditBefore = credited();
      await receiveReturn(TEST_SHOP, ret.id, { [ret.lines[0].id]: "not_restocked" }, wf());
      ret = await resolveReturn(TEST_SHOP, ret.id, wf());
      expect(ret.status).toBe("closed");
      expect(credited() - creditBefore).toBe(2050);
      const exchanged = world.sandbox.state.return(shopOf(), ret.shopifyReturnId!)!.ret;
      expect(exchanged.exchangeLines![0].processedQuantity).toBe(1);
      expect(orderInShopify().lineItems.find((l) => l.id === exchanged.exchangeLines![0].lineItemIds[0])).toMatchObject(
        {
          title: "Enamel Mug",
          priceMinor: 1800,
        },
      );
    },
  );

  it(
    "a dearer item: the server prices the difference, Shopify's invoice asks for it on approval, the " +
      "new item waits for the payment, and a replayed paid webhook changes nothing",
    async () => {
      // An order of its own: Shopify nets an order's balance, and an earlier exchange of the second
      // order left it in the shopper's favour.
      const third = world.sandbox.placeOrder({
        shop: TEST_SHOP,
        customer: world.ada,
        lines: [{ variantId: world.mug.variants[0].id, quantity: 1 }],
        paid: true,
      });
      const shipment = world.sandbox.fulfil({
        shop: TEST_SHOP,
        order: third,
        trackingCompany: "UPS",
        trackingNumber: "1Z778",
      });
      world.sandbox.carrierScan({ shop: TEST_SHOP, fulfillment: shipment, status: "delivered" });
      await world.sandbox.flush();
      const found = await returnsLookup(req({ order: third.name, email: "ada@example.com", locale: "en" }), world.deps);
      const { token } = found.body as { token: string };
      // This order carries no tax, so neither will Shopify's invoice for the difference.
      expect((found.body as { order: { tax: string } }).order.tax).toBe("none");
      const sizeM = world.variantGid(world.tee.variants[1].id);
      // What the page sends besides the choice is not read: the server prices the items itself.
      const tampered = {
        token,
        key: key(),
        resolution: "exchange_any",
        priceDifference: 0,
        items: [
          {
            lineItemId: `gid://shopify/LineItem/${third.lineItems[0].id}`,
            quantity: 1,
            reason: "changed_mind",
            exchangeVariantId: sizeM,
            priceMinor: 1,
          },
        ],
      };
      const answer = await createShopperReturn(req(), tampered, world.deps);
      expect(answer.status).toBe(201);
      // An 18.00 mug for a 35.00 tee: 17.00 to pay; the 10% bonus (1.80) is still credited.
      expect((answer.body as { return: object }).return).toMatchObject({
        status: "requested",
        amounts: { items: 1800, bonus: 180, exchange: 3500, storeCredit: 180 },
        payment: { state: "due", amountMinor: 1700 },
      });
      let ret = await t.db.returnCase.findFirstOrThrow({
        where: { orderShopifyId: `gid://shopify/Order/${third.id}` },
        include: { lines: true },
      });
      expect(world.sandbox.invoices.sent(TEST_SHOP)).toEqual([]);

      // Approved: Shopify's return with the exchange item leaves the order owing the difference (this
      // shop charges no tax), and Shopify's invoice goes to the shopper with a link to pay it.
      // eslint-disable-next-line require-atomic-updates -- the test's steps run one after another
      ret = await approveReturn(TEST_SHOP, ret.id, wf());
      expect(ret).toMatchObject({ status: "approved", paymentDueMinor: 1700, paidAt: null });
      expect(ret.paymentRequestedAt).not.toBeNull();
      const invoices = world.sandbox.invoices.sent(TEST_SHOP);
      expect(invoices).toHaveLength(1);
      expect(invoices[0]).toMatchObject({ to: "ada@example.com", amountMinor: 1700, orderId: third.id });
      expect(invoices[0].url).toMatch(/\/invoices\/[A-Za-z0-9]+$/);
      expect(invoices[0].body).toContain(invoices[0].url);
      // Approving again sends no second invoice.
      await approveReturn(TEST_SHOP, ret.id, wf());
      expect(world.sandbox.invoices.sent(TEST_SHOP)).toHaveLength(1);
      // The shopper's earlier returns say it awaits Shopify's figure, with Shopify's page to pay it.
      const earlier = async () => {
        const view = await returnsLookup(req({ token, locale: "en" }), world.deps);
        return (view.body as { returns: { number: string; payment: unknown }[] }).returns.find(
          (r) => r.number === ret.number,
        )?.payment;
      };
      expect(await earlier()).toEqual({ state: "awaiting", amountMinor: 1700, payUrl: invoices[0].url });

      // Not paid yet: the items come back, but the new item is not released.
      await receiveReturn(TEST_SHOP, ret.id, { [ret.lines[0].id]: "restock" }, wf());
      await expect(resolveReturn(TEST_SHOP, ret.id, wf())).rejects.toMatchObject({
        status: 409,
        code: "awaiting_payment",
        message: expect.stringContaining("Awaiting payment of $17.00"),
      });
      const exchange = () => world.sandbox.state.return(shopOf(), ret.shopifyReturnId!)!.ret.exchangeLines![0];
      expect(exchange().processedQuantity).toBe(0);

      // A webhook claiming the order is paid is checked with Shopify first, which says it is not.
      const ctx = (payload: object, at: string) => ({
        db: t.db,
        shop: TEST_SHOP,
        topic: "orders/paid",
        payload,
        eventAt: new Date(at),
        now: new Date(at),
      });
      const adminFor = async () => world.admin;
      const orderGid = `gid://shopify/Order/${third.id}`;
      await onOrderPaymentChanged(
        ctx({ admin_graphql_api_id: orderGid, total_outstanding: "0.00" }, "2030-01-01T00:00:00Z"),
        adminFor,
      );
      expect((await t.db.returnCase.findUniqueOrThrow({ where: { id: ret.id } })).paidAt).toBeNull();

      // The shopper pays through the invoice's link; Shopify sends orders/paid with nothing outstanding.
      const paid = world.sandbox.invoices.pay(TEST_SHOP, invoices[0].url.split("/").pop()!);
      expect(paid.ok).toBe(true);
      await world.sandbox.flush();
      const delivered = world.sandbox.webhooks.deliveries({ topic: "orders/paid" }).at(-1)!;
      const paidPayload = JSON.parse(delivered.body);
      expect(paidPayload).toMatchObject({ total_outstanding: "0.00", financial_status: "paid" });
      await onOrderPaymentChanged(ctx(paidPayload, "2030-01-02T00:00:00Z"), adminFor);
      const afterPaid = await t.db.returnCase.findUniqueOrThrow({ where: { id: ret.id } });
      expect(afterPaid.paidAt?.toISOString()).toBe("2030-01-02T00:00:00.000Z");
      // The same webhook again, later: nothing changes.
      await onOrderPaymentChanged(ctx(paidPayload, "2030-01-03T00:00:00Z"), adminFor);
      expect(await t.db.returnCase.findUniqueOrThrow({ where: { id: ret.id } })).toEqual(afterPaid);
      // Paid: said so, and no link to pay any more.
      expect(await earlier()).toEqual({ state: "paid", amountMinor: 1700, payUrl: null });

      // Paid: completing processes the exchange; the new item is added to ship, the bonus credited.
      const creditBefore = credited();
      // eslint-disable-next-line require-atomic-updates -- the test's steps run one after another
      ret = await resolveReturn(TEST_SHOP, ret.id, wf());
      expect(ret.status).toBe("closed");
      expect(exchange().processedQuantity).toBe(1);
      expect(credited() - creditBefore).toBe(180);
      const thirdInShopify = world.sandbox.state.order(shopOf(), orderGid)!;
      expect(thirdInShopify.transactions.filter((x) => x.kind === "sale").map((x) => x.amountMinor)).toContain(1700);
    },
  );
});

describe("the storefront lookup, off by default (shoppers sign in to customer accounts)", () => {
  // Last in the file: it turns the lookup off for the shop, and back on.
  const refuses =
    "refuses finding an order, the search and a return from the theme with 403 sign_in_required; a status link opens";
  it(refuses, async () => {
    const on = await getReturnPolicy(t.db, TEST_SHOP);
    const { token } = await lookup();
    // A return made earlier, whose emailed status link the shopper keeps.
    const earlier = await t.db.returnCase.findFirstOrThrow({
      where: { shop: TEST_SHOP },
      orderBy: { requestedAt: "asc" },
    });
    const statusToken = returnStatusToken(TEST_SHOP, earlier.id, secret, new Date());
    const before = await t.db.returnCase.count();
    try {
      const off = { ...on, storefrontLookup: false };
      expect(await saveReturnPolicy(t.db, TEST_SHOP, off)).toMatchObject({ ok: true });
      const refused = { status: 403, body: { error: "sign_in_required", message: expect.stringMatching(/sign in/) } };
      // By number and email (right or wrong), by a token from before, as a signed-in customer, the search.
      const ada = { order: world.order.name, email: "ada@example.com" };
      expect(await returnsLookup(req(ada), world.deps)).toEqual(refused);
      expect(await returnsLookup(req({ order: "#99999", email: "eve@example.com" }), world.deps)).toEqual(refused);
      expect(await returnsLookup(req({ token }), world.deps)).toEqual(refused);
      const signedIn = { ...req(), loggedInCustomerId: String(world.ada.id) };
      expect(await returnsLookup(signedIn, world.deps)).toEqual(refused);
      expect(await returnsLookup(req({ search: "mug", token }), world.deps)).toEqual(refused);
      const body = {
        token,
        key: key(),
        resolution: "refund",
        items: [{ lineItemId: world.lineGid(0), quantity: 1, reason: "too_small" }],
      };
      expect(await createShopperReturn(req(), body, world.deps)).toEqual(refused);
      expect(await t.db.returnCase.count()).toBe(before);
      const status = await returnsLookup(req({ return: statusToken }), world.deps);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ return: { number: earlier.number, orderName: earlier.orderName } });
    } finally {
      expect(await saveReturnPolicy(t.db, TEST_SHOP, on)).toMatchObject({ ok: true });
    }
    // On again: the same lookup answers as before.
    expect((await returnsLookup(req({ order: world.order.name, email: "ada@example.com" }), world.deps)).status).toBe(
      200,
    );
  });
});
