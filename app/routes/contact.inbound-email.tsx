import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { chatBus } from "../services/contact/chat-bus.server";
import { inboundEmailSigned } from "../services/contact/inbound-email.server";
import { ContactError, receiveEmailReply } from "../services/contact/requests.server";

// POST /contact/inbound-email?shop=…: a shopper's answer by email to a reply (docs/decisions/0042),
// handed on by the deployment's inbound mail service as JSON {from, subject, text}. The body is
// signed: X-Aftercare-Signature (services/contact/inbound-email.server.ts).

const MAX_BODY = 256 * 1024;

export const loader = () => json({ message: "Post inbound email here." }, { status: 405 });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { SHOPIFY_API_SECRET: secret } = env();
  const raw = await request.text();
  if (raw.length > MAX_BODY) return json({ message: "The email is too long." }, { status: 413 });
  if (!inboundEmailSigned(raw, request.headers.get("x-aftercare-signature"), secret))
    return json({ message: "The signature does not match." }, { status: 401 });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw);
  } catch {
    return json({ message: "Send the email as JSON: from, subject, text." }, { status: 400 });
  }
  const shop = new URL(request.url).searchParams.get("shop") ?? "";
  try {
    const received = await receiveEmailReply({ db: db(), secret, now: new Date(), bus: chatBus() }, shop, {
      from: body?.from,
      subject: body?.subject,
      text: body?.text,
    });
    return json({ ok: true, requestId: received.requestId });
  } catch (error) {
    if (error instanceof ContactError) return json({ message: error.message }, { status: error.status });
    throw error;
  }
};
