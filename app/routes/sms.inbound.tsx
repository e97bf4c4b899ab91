import type { ActionFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { receiveInboundSms } from "../services/sms/inbound.server";
import { readTextLimited } from "../utils/body.server";

/** Twilio posts a text message's fields (a body of at most 1,600 characters and a few more). */
const SMS_BODY_LIMIT = 64_000;

// Twilio posts shoppers' replies to the shop's number here (STOP, START …): app/services/sms/inbound.server.ts.
export async function action({ request }: ActionFunctionArgs) {
  const rawBody = await readTextLimited(request, SMS_BODY_LIMIT);
  if (rawBody === null) return new Response("The request body is too large.", { status: 413 });
  const answer = await receiveInboundSms(
    {
      db: db(),
      authToken: env().TWILIO_AUTH_TOKEN ?? null,
      // Twilio signs the URL it was given, which is the app's public one (not what a proxy forwards).
      publicUrl: `${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/sms/inbound`,
      now: new Date(),
    },
    { rawBody, signature: request.headers.get("X-Twilio-Signature") },
  );
  return new Response(answer.body, { status: answer.status, headers: { "Content-Type": answer.contentType } });
}

export const loader = () => new Response("Twilio posts replies here with POST.", { status: 405 });
