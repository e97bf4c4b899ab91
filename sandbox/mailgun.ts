/**
 * Mailgun's inbound side in the sandbox (docs/decisions/0046): the demo's inbound domain has its
 * "MX" in the sandbox's SMTP server (sandbox/smtp.ts), and a route that forwards every message to
 * the app's /contact/inbound-email, posted as Mailgun's forward() posts a parsed message
 * (urlencoded; recipient, sender, from, subject, body-plain, stripped-text, message-headers and
 * each header as a field of its own) and signed as Mailgun signs it: timestamp, a random 50-character
 * token, and the hex HMAC-SHA256 of timestamp + token under the webhook signing key.
 */
import { createHmac, randomBytes } from "node:crypto";

import { stripQuotedReply } from "../app/domain/contact/email-reply";

import type { InboundDelivery } from "./smtp";

export const MAILGUN_DEMO_SIGNING_KEY = "key-5a11b0x5a11b0x5a11b0x5a11b0x5a";
/** The address the demo's Mailgun receives at; reply addresses are its +tags. */
export const DEMO_INBOUND_ADDRESS = "support@inbound.northwind.example";

export interface ForwardedEmail {
  recipient: string;
  from: string;
  subject: string;
  /** What the app answered. */
  status: number;
  answer: string;
  at: string;
}

export function createMailgunStandIn(options: {
  webhookUrl: string;
  signingKey?: string;
  clock?: () => Date;
  fetchFn?: typeof fetch;
}) {
  const signingKey = options.signingKey ?? MAILGUN_DEMO_SIGNING_KEY;
  const clock = options.clock ?? (() => new Date());
  const forwarded: ForwardedEmail[] = [];

  /** The fields Mailgun posts for one recipient of a received message. */
  function fields(delivery: InboundDelivery, recipient: string): Record<string, string> {
    const { mail, headers } = delivery;
    const fromHeader = headers.find(([n]) => n.toLowerCase() === "from")?.[1] ?? delivery.envelopeFrom;
    const timestamp = String(Math.floor(clock().getTime() / 1000));
    const token = randomBytes(25).toString("hex");
    const stripped = stripQuotedReply(mail.text);
    const out: Record<string, string> = {};
    // Mailgun also posts each MIME header as a field of its own.
    for (const [name, value] of headers) out[name] = value;
    Object.assign(out, {
      recipient,
      sender: delivery.envelopeFrom,
      from: fromHeader,
      subject: mail.subject,
      "body-plain": mail.text,
      ...(stripped ? { "stripped-text": stripped } : {}),
      ...(mail.html ? { "body-html": mail.html } : {}),
      "message-headers": JSON.stringify(headers),
      "attachment-count": "0",
      timestamp,
      token,
      signature: createHmac("sha256", signingKey).update(`${timestamp}${token}`).digest("hex"),
    });
    return out;
  }

  /** The route's forward(): one POST per recipient, as Mailgun does. */
  async function receive(delivery: InboundDelivery) {
    for (const recipient of delivery.recipients) {
      let status = 0;
      let answer = "";
      try {
        const response = await (options.fetchFn ?? fetch)(options.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(fields(delivery, recipient)).toString(),
        });
        status = response.status;
        answer = await response.text();
      } catch (error) {
        answer = (error as Error).message;
      }
      forwarded.push({
        recipient,
        from: delivery.mail.from,
        subject: delivery.mail.subject,
        status,
        answer,
        at: clock().toISOString(),
      });
      if (forwarded.length > 200) forwarded.shift();
    }
  }

  return { signingKey, receive, forwarded: () => [...forwarded] };
}

export type MailgunStandIn = ReturnType<typeof createMailgunStandIn>;
