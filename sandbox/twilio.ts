/**
 * A local stand-in for Twilio's Messages API, as far as the app's SMS uses it: POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json with Basic auth (the account sid and auth token)
 * and a form body (To, From or MessagingServiceSid, Body). It answers as Twilio does (201 with the
 * message resource; 400/401 with Twilio's error body and code), records what it accepts, honours
 * opt-outs as Twilio's Advanced Opt-Out does (a number that replied STOP gets error 21610 until it
 * replies START), and fails on demand. `reply` sends a shopper's text to the app's webhook, signed
 * with X-Twilio-Signature as Twilio signs it.
 */
import { randomBytes } from "node:crypto";

import twilio from "twilio";

export const TWILIO_DEMO_ACCOUNT_SID = "AC0a0b0c0d0e0f00112233445566778899";
export const TWILIO_DEMO_AUTH_TOKEN = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";
export const TWILIO_DEMO_NUMBER = "+15005550006";

export interface RecordedSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  numSegments: number;
  receivedAt: string;
}

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  status: number;
  answer: string;
  sentAt: string;
}

const E164 = /^\+[1-9]\d{7,14}$/;
const STOP = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"];
const START = ["START", "YES", "UNSTOP"];

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

function segmentsOf(body: string) {
  // Enough for the record: GSM-7 (ASCII here) 160/153, else UCS-2 70/67.
  const gsm = /^[\x20-\x7e\n\r£¥èéùìòÇØøÅåÄÖÑÜäöñüà€]*$/.test(body);
  const [one, part] = gsm ? [160, 153] : [70, 67];
  return body.length <= one ? 1 : Math.ceil(body.length / part);
}

export function createTwilioStandIn(options: { accountSid?: string; authToken?: string; clock?: () => Date } = {}) {
  const accountSid = options.accountSid ?? TWILIO_DEMO_ACCOUNT_SID;
  const authToken = options.authToken ?? TWILIO_DEMO_AUTH_TOKEN;
  const clock = options.clock ?? (() => new Date());
  const messages: RecordedSms[] = [];
  const inbound: InboundSms[] = [];
  const optedOut = new Set<string>();
  let failures: { count: number; status: number; code: number; message: string } | null = null;

  const error = (status: number, code: number, message: string) =>
    Response.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });

  async function handle(request: Request, path: string): Promise<Response> {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (!match) return error(404, 20404, "The requested resource was not found");
    const auth = request.headers.get("authorization") ?? "";
    const [user, pass] = Buffer.from(auth.replace(/^Basic /, ""), "base64")
      .toString()
      .split(":");
    if (user !== accountSid || pass !== authToken || match[1] !== accountSid) return error(401, 20003, "Authenticate");
    if (request.method !== "POST") return error(405, 20004, "Method not allowed");
    if (failures && failures.count > 0) {
      failures.count--;
      return error(failures.status, failures.code, failures.message);
    }
    const form = new URLSearchParams(await request.text());
    const to = form.get("To") ?? "";
    const from = form.get("From") ?? form.get("MessagingServiceSid") ?? "";
    const body = form.get("Body") ?? "";
    if (!E164.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return error(400, 21603, "A 'From' phone number is required.");
    if (!body) return error(400, 21602, "Message body is required.");
    if (body.length > 1600) return error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    if (optedOut.has(to)) return error(400, 21610, "Attempt to send to unsubscribed recipient");
    const now = clock();
    const record: RecordedSms = {
      sid: sid("SM"),
      to,
      from,
      body,
      numSegments: segmentsOf(body),
      receivedAt: now.toISOString(),
    };
    messages.push(record);
    return Response.json(
      {
        account_sid: accountSid,
        api_version: "2010-04-01",
        body,
        date_created: now.toUTCString(),
        date_sent: null,
        date_updated: now.toUTCString(),
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        from: from.startsWith("MG") ? null : from,
        messaging_service_sid: from.startsWith("MG") ? from : null,
        num_media: "0",
        num_segments: String(record.numSegments),
        price: null,
        price_unit: "USD",
        sid: record.sid,
        status: "queued",
        subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${record.sid}/Media.json` },
        to,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${record.sid}.json`,
      },
      { status: 201 },
    );
  }

  /** A shopper texting the shop's number: Twilio's opt-out handling first, then the app's webhook. */
  async function reply(input: { webhookUrl: string; from: string; to: string; body: string; fetchFn?: typeof fetch }) {
    const word = input.body
      .trim()
      .replace(/[.!?]+$/, "")
      .toUpperCase();
    if (STOP.includes(word)) optedOut.add(input.from);
    if (START.includes(word)) optedOut.delete(input.from);
    const params: Record<string, string> = {
      ToCountry: "US",
      SmsMessageSid: sid("SM"),
      NumMedia: "0",
      SmsSid: sid("SM"),
      SmsStatus: "received",
      Body: input.body,
      To: input.to,
      NumSegments: "1",
      MessageSid: sid("SM"),
      AccountSid: accountSid,
      From: input.from,
      ApiVersion: "2010-04-01",
      ...(STOP.includes(word) ? { OptOutType: "STOP" } : START.includes(word) ? { OptOutType: "START" } : {}),
    };
    const signature = twilio.getExpectedTwilioSignature(authToken, input.webhookUrl, params);
    const response = await (input.fetchFn ?? fetch)(input.webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
      body: new URLSearchParams(params).toString(),
    });
    const record: InboundSms = {
      from: input.from,
      to: input.to,
      body: input.body,
      status: response.status,
      answer: await response.text(),
      sentAt: clock().toISOString(),
    };
    inbound.push(record);
    return record;
  }

  return {
    accountSid,
    authToken,
    handle,
    reply,
    messages: () => [...messages],
    inbound: () => [...inbound],
    /** The next `count` sends answer this error (default: Twilio down, 503). */
    failNext(count: number, status = 503, code = 20500, message = "Internal Server Error") {
      failures = { count, status, code, message };
    },
    reset() {
      messages.length = 0;
      inbound.length = 0;
      optedOut.clear();
      failures = null;
    },
  };
}

export type TwilioStandIn = ReturnType<typeof createTwilioStandIn>;
