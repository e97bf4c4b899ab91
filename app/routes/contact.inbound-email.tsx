import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { chatBus } from "../services/contact/chat-bus.server";
import { InboundEmailError, receiveInboundEmail } from "../services/contact/inbound-email.server";
import { forgetMailgunToken, parseMailgunForm, verifyMailgun } from "../services/contact/mailgun.server";
import { readFormLimited } from "../utils/body.server";

// POST /contact/inbound-email: a shopper's email, forwarded by a Mailgun inbound route
// (forward("https://<app>/contact/inbound-email")) exactly as Mailgun posts it: urlencoded or
// multipart/form-data, signed with the account's webhook signing key (docs/decisions/0046).
// Answers: 200 taken (or already taken), 401 not signed by Mailgun (or stale, or replayed), 406 not
// for any request or shop (Mailgun does not retry 406), 400/413/415 a post Mailgun would not make.

const MAX_BODY = 25 * 1024 * 1024;

export const loader = () => json({ message: "Mailgun posts inbound email here." }, { status: 405 });

export const action = async ({ request }: ActionFunctionArgs) => {
  const config = env();
  if (!config.INBOUND_EMAIL_ADDRESS || !config.MAILGUN_WEBHOOK_SIGNING_KEY)
    return json({ message: "Inbound email is not set up on this app." }, { status: 404 });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY)
    return json({ message: "The email is too large." }, { status: 413 });
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type))
    return json({ message: "Post the message as Mailgun does: urlencoded or multipart/form-data." }, { status: 415 });
  let form: FormData;
  try {
    // Mailgun sends a Content-Length; a post without one is cut off at the same limit.
    const read = await readFormLimited(request, MAX_BODY);
    if (read === null) return json({ message: "The email is too large." }, { status: 413 });
    form = read;
  } catch {
    return json({ message: "The form could not be read." }, { status: 400 });
  }
  const now = new Date();
  const check = verifyMailgun(
    { timestamp: form.get("timestamp"), token: form.get("token"), signature: form.get("signature") },
    config.MAILGUN_WEBHOOK_SIGNING_KEY,
    now,
  );
  if (!check.ok) {
    const why = {
      missing: "The message carries no Mailgun signature (timestamp, token, signature).",
      mismatch: "The signature does not match the webhook signing key.",
      stale: "The signature's timestamp is too far from now.",
      replayed: "This signature was already used.",
    }[check.reason];
    return json({ message: why, reason: check.reason }, { status: 401 });
  }
  const email = parseMailgunForm(form);
  if ("error" in email) return json({ message: email.error }, { status: 400 });
  try {
    const received = await receiveInboundEmail(
      {
        db: db(),
        secret: config.SHOPIFY_API_SECRET,
        now,
        inboundAddress: config.INBOUND_EMAIL_ADDRESS,
        bus: chatBus(),
      },
      email,
    );
    return json({ ok: true, ...received });
  } catch (error) {
    if (error instanceof InboundEmailError) return json({ message: error.message }, { status: error.status });
    // Ours, not the email's: Mailgun will post it again, signed the same, and it must get through.
    forgetMailgunToken(form.get("token"));
    throw error;
  }
};
