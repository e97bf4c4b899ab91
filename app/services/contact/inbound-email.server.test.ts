/**
 * Shoppers' emails through the real route, posted as Mailgun's inbound routes post them
 * (docs/decisions/0046): the signature (wrong, missing, stale, replayed), the thread found by the
 * signed reply address, by In-Reply-To naming the app's own Message-ID (read off real SMTP), and by
 * the reference at a shop's intake address; the sender check; duplicates; a new "email" request.
 */
import { createHmac, randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { startCaptureSmtp } from "../../../sandbox/smtp";
import type { Mailer } from "../mailer.server";

const SHOP = "inbound-test.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const INBOUND = "support@inbound.example.com";
const KEY = "key-0123456789abcdef0123456789abcdef";
const NOW = new Date("2026-03-02T10:00:00Z");
const secret = () => process.env.SHOPIFY_API_SECRET!;

let t: TestDatabase;
let route: typeof import("../../routes/contact.inbound-email");
let requests: typeof import("./requests.server");
let outbox: typeof import("../outbox.server");
let smtp: Awaited<ReturnType<typeof startCaptureSmtp>>;
let mailer: Mailer;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.INBOUND_EMAIL_ADDRESS = INBOUND;
  process.env.MAILGUN_WEBHOOK_SIGNING_KEY = KEY;
  process.env.MAIL_FROM = "Aftercare <notifications@mail.example.com>";
  route = await import("../../routes/contact.inbound-email");
  requests = await import("./requests.server");
  outbox = await import("../outbox.server");
  smtp = await startCaptureSmtp(0);
  mailer = (await import("../mailer.server")).createMailer({
    url: `smtp://127.0.0.1:${smtp.port}`,
    from: "Aftercare <notifications@mail.example.com>",
  });
  for (const domain of [SHOP, OTHER])
    await t.db.shop.create({ data: { domain, name: "Northwind", email: "care@northwind.example" } });
});
afterAll(async () => {
  mailer.close();
  await smtp.close();
  await t.drop();
});

/** The fields Mailgun's forward() posts for a message, signed with `key` at `at` (seconds). */
function mailgunFields(
  mail: {
    recipient: string;
    from: string;
    subject: string;
    text: string;
    stripped?: string;
    headers?: [string, string][];
  },
  o: { key?: string; at?: number; token?: string } = {},
) {
  const timestamp = String(o.at ?? Math.floor(Date.now() / 1000));
  const token = o.token ?? randomBytes(25).toString("hex");
  const signature = createHmac("sha256", o.key ?? KEY)
    .update(`${timestamp}${token}`)
    .digest("hex");
  const headers: [string, string][] = [
    ["From", mail.from],
    ["To", mail.recipient],
    ["Subject", mail.subject],
    ...(mail.headers ?? []),
  ];
  const fields: Record<string, string> = {
    recipient: mail.recipient,
    sender: /<(.+)>/.exec(mail.from)?.[1] ?? mail.from,
    from: mail.from,
    subject: mail.subject,
    "body-plain": mail.text,
    "message-headers": JSON.stringify(headers),
    timestamp,
    token,
    signature,
  };
  if (mail.stripped !== undefined) fields["stripped-text"] = mail.stripped;
  for (const [name, value] of headers) fields[name] = value;
  return fields;
}

async function post(fields: Record<string, string>, as: "urlencoded" | "multipart" = "urlencoded") {
  const body = as === "urlencoded" ? new URLSearchParams(fields) : Object.assign(new FormData(), {});
  if (body instanceof FormData) for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const response = (await route.action({
    request: new Request("https://app.example.com/contact/inbound-email", { method: "POST", body }),
    params: {},
    context: {},
  } as never)) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let mailNo = 0;
async function formRequest(email: string) {
  const created = await requests.createRequest(t.db, {
    shop: SHOP,
    message: { name: "Mina", email, orderName: null, topic: "other", message: `Question ${++mailNo}` },
    locale: "en",
    customerShopifyId: null,
    now: NOW,
  });
  return created;
}
const customerMessages = (requestId: string) =>
  t.db.contactMessage.findMany({ where: { requestId, author: "customer" }, orderBy: { createdAt: "asc" } });

describe("Mailgun's signature", () => {
  it("takes a post again after a failure on our side (Mailgun retries it signed the same)", async () => {
    const { createTokenMemory, forgetMailgunToken, signMailgun, verifyMailgun } = await import("./mailgun.server");
    const tokens = createTokenMemory();
    const timestamp = String(Math.floor(NOW.getTime() / 1000));
    const token = randomBytes(25).toString("hex");
    const fields = { timestamp, token, signature: signMailgun(KEY, timestamp, token) };
    expect(verifyMailgun(fields, KEY, NOW, tokens)).toEqual({ ok: true });
    expect(verifyMailgun(fields, KEY, NOW, tokens)).toEqual({ ok: false, reason: "replayed" });
    forgetMailgunToken(token, tokens);
    expect(verifyMailgun(fields, KEY, NOW, tokens)).toEqual({ ok: true });
  });

  it("refuses wrong, missing, stale and replayed signatures with 401, and adds nothing twice", async () => {
    const { id } = await formRequest("sig@example.com");
    const { replyAddressFor } = await import("./email-thread.server");
    const mail = {
      recipient: replyAddressFor(INBOUND, id, secret()),
      from: "Sig <sig@example.com>",
      subject: "Re: hello",
      text: "Answer one",
      headers: [["Message-Id", "<sig-1@mail.example.com>"]] as [string, string][],
    };
    expect((await post(mailgunFields(mail, { key: "key-not-the-right-one-00000000" }))).status).toBe(401);
    const missing = mailgunFields(mail);
    delete missing.signature;
    expect(await post(missing)).toMatchObject({ status: 401, body: { reason: "missing" } });
    const stale = mailgunFields(mail, { at: Math.floor(Date.now() / 1000) - 3600 });
    expect(await post(stale)).toMatchObject({ status: 401, body: { reason: "stale" } });
    const good = mailgunFields(mail);
    expect(await post(good)).toMatchObject({ status: 200, body: { requestId: id, duplicate: false } });
    // The same signed post again (a replay): refused, and the thread has the answer once.
    expect(await post(good)).toMatchObject({ status: 401, body: { reason: "replayed" } });
    // Mailgun delivering the same email again, freshly signed: taken, nothing added.
    expect(await post(mailgunFields(mail), "multipart")).toMatchObject({ status: 200, body: { duplicate: true } });
    expect((await customerMessages(id)).map((m) => m.body)).toEqual([`Question ${mailNo}`, "Answer one"]);
  });

  it("answers 400 to a post Mailgun would not make and 415 to JSON", async () => {
    const fields = mailgunFields({ recipient: INBOUND, from: "a@example.com", subject: "x", text: "y" });
    delete fields["body-plain"];
    expect((await post(fields)).status).toBe(400);
    const json = (await route.action({
      request: new Request("https://app.example.com/contact/inbound-email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
      params: {},
      context: {},
    } as never)) as Response;
    expect(json.status).toBe(415);
  });
});

describe("finding the thread", () => {
  it("by the reply address and by In-Reply-To on the app's own email, read off real SMTP", async () => {
    const { id } = await formRequest("mina@example.com");
    await requests.replyToRequest(
      { db: t.db, secret: secret(), now: NOW, inboundAddress: INBOUND },
      SHOP,
      id,
      "Your parcel left today.",
    );
    await outbox.deliverDueNotifications({ db: t.db, mailer, secret: secret(), now: NOW });
    const sent = smtp.mails.find((m) => m.to.includes("mina@example.com") && m.subject.startsWith("Re:"))!;
    const headers = sent.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
    const replyTo = /^Reply-To: (.+)$/im.exec(headers)![1].trim();
    const messageId = /^Message-ID: (<[^>]+>)/im.exec(headers)![1];
    expect(sent).toMatchObject({ replyTo, messageId });
    expect(replyTo).toMatch(/^support\+r\.[a-z0-9]+\.[0-9a-f]{16}@inbound\.example\.com$/);
    expect(messageId).toMatch(/^<n\.[a-z0-9]+\.[0-9a-f]{16}@mail\.example\.com>$/);

    // By the reply address (Mailgun's stripped-text preferred).
    const first = mailgunFields({
      recipient: replyTo,
      from: "Mina <mina@example.com>",
      subject: `Re: ${sent.subject}`,
      text: "Thanks!\n\nOn Mon, Mar 2, 2026 Northwind wrote:\n> Your parcel left today.",
      stripped: "Thanks!",
      headers: [
        ["Message-Id", "<a1@mail.example.com>"],
        ["In-Reply-To", messageId],
      ],
    });
    expect(await post(first)).toMatchObject({ status: 200, body: { requestId: id, created: false } });

    // By In-Reply-To alone: sent to the shop's intake address, the subject's reference edited away.
    const second = mailgunFields({
      recipient: "support+inbound-test@inbound.example.com",
      from: "mina@example.com",
      subject: "one more thing",
      text: "감사합니다. 하나 더요.\n\n2026년 3월 2일 (월) 오전 10:00, Northwind <care@northwind.example>님이 작성:\n> 배송",
      headers: [
        ["Message-Id", "<a2@mail.example.com>"],
        ["In-Reply-To", messageId],
        ["References", messageId],
      ],
    });
    expect(await post(second)).toMatchObject({ status: 200, body: { requestId: id, created: false } });
    expect((await customerMessages(id)).map((m) => m.body).slice(1)).toEqual(["Thanks!", "감사합니다. 하나 더요."]);
    const request = await t.db.contactRequest.findUniqueOrThrow({ where: { id } });
    expect(request.status).toBe("open");
  });

  it("by the reference at the intake address; a wrong sender and an unknown request get the same 406", async () => {
    const { id, number } = await formRequest("jun@example.com");
    const at = (from: string, subject: string, messageId: string) =>
      mailgunFields({
        recipient: "support+inbound-test@inbound.example.com",
        from,
        subject,
        text: "ありがとうございます。\n\n2026/03/02 10:00 Northwind のメッセージ:\n> 発送しました。",
        headers: [["Message-Id", `<${messageId}@mail.example.com>`]],
      });
    const wrongSender = await post(at("eve@example.com", `Re: (REQ-${number})`, "w1"));
    const unknown = await post(at("jun@example.com", "Re: (REQ-999999)", "w2"));
    expect(wrongSender).toEqual(unknown);
    expect(wrongSender.status).toBe(406);
    // A reply address whose signature was tampered with names nothing.
    const { replyAddressFor } = await import("./email-thread.server");
    const forged = replyAddressFor(INBOUND, id, "another-secret");
    expect(
      (await post(mailgunFields({ recipient: forged, from: "jun@example.com", subject: "x", text: "y" }))).status,
    ).toBe(406);
    expect(await post(at("jun@example.com", `Re: (REQ-${number})`, "w3"))).toMatchObject({
      status: 200,
      body: { requestId: id },
    });
    expect((await customerMessages(id)).at(-1)!.body).toBe("ありがとうございます。");
  });

  it("an answer that is only the quote adds nothing (406)", async () => {
    const { id } = await formRequest("quote@example.com");
    const { replyAddressFor } = await import("./email-thread.server");
    const only = mailgunFields({
      recipient: replyAddressFor(INBOUND, id, secret()),
      from: "quote@example.com",
      subject: "Re:",
      text: "\u200fدر تاریخ ۲ مارس ۲۰۲۶ Northwind نوشت:\n> بسته ارسال شد.",
    });
    expect((await post(only)).status).toBe(406);
    expect(await customerMessages(id)).toHaveLength(1);
  });
});

describe("a new email to the shop's intake address", () => {
  it("starts a request with channel email, acknowledged once, in the shopper's language", async () => {
    const fields = mailgunFields({
      recipient: "support+inbound-test@inbound.example.com",
      from: '"Sara Ahmadi" <Sara@Example.com>',
      subject: "سفارش من کجاست؟",
      text: "سلام، سفارشم هنوز نرسیده.\n\n-- \nسارا",
      headers: [["Message-Id", "<new-1@mail.example.com>"]],
    });
    const first = await post(fields);
    expect(first).toMatchObject({ status: 200, body: { created: true, duplicate: false } });
    const requestId = first.body.requestId as string;
    const request = await t.db.contactRequest.findUniqueOrThrow({
      where: { id: requestId },
      include: { messages: true },
    });
    expect(request).toMatchObject({
      shop: SHOP,
      channel: "email",
      email: "sara@example.com",
      name: "Sara Ahmadi",
      locale: "fa",
      status: "open",
    });
    expect(request.messages.map((m) => m.body)).toEqual(["سفارش من کجاست؟\n\nسلام، سفارشم هنوز نرسیده."]);
    const event = await t.db.appEvent.findFirstOrThrow({
      where: { shop: SHOP, type: "contact.request_created", key: requestId },
    });
    expect(event.payload).toContain('"channel":"email"');
    const acks = await t.db.notification.findMany({
      where: { shop: SHOP, subjectId: requestId, milestone: "received" },
    });
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ recipient: "sara@example.com", locale: "fa" });
    expect(acks[0].replyTo).toMatch(/^support\+r\./);

    // Delivered again (freshly signed): no second request, no second acknowledgement.
    const again = await post({
      ...fields,
      ...mailgunFields({
        recipient: fields.recipient,
        from: fields.from,
        subject: fields.subject,
        text: fields["body-plain"],
        headers: [["Message-Id", "<new-1@mail.example.com>"]],
      }),
    });
    expect(again).toMatchObject({ status: 200, body: { requestId, created: false, duplicate: true } });
    expect(await t.db.contactRequest.count({ where: { shop: SHOP, channel: "email" } })).toBe(1);

    // An address for no shop the app knows, or not a tag of the inbound address: 406.
    for (const recipient of ["support+unknown-shop@inbound.example.com", "someone@inbound.example.com"]) {
      const other = mailgunFields({ recipient, from: "x@example.com", subject: "Hi", text: "Hello" });
      expect((await post(other)).status).toBe(406);
    }
  });
});
