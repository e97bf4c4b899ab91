/**
 * Shoppers' replies to a shop's texts, as Twilio posts them to the app (the number's "A message
 * comes in" webhook, set to <app>/sms/inbound). The X-Twilio-Signature is checked first, over the
 * app's public URL and the form's fields; then an opt-out word (STOP …) stops the shop's texts to
 * that number and an opt-in word (START …) lets them go again. The answer is empty TwiML: Twilio
 * itself sends the carrier-required confirmation.
 */
import type { Db } from "../../db.server";
import { classifyReply, e164 } from "../../domain/sms/opt-out";
import { optIn, optOut, shopsWithSender } from "../../models/sms.server";

import { verifyTwilioSignature } from "./twilio.server";

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export interface InboundAnswer {
  status: number;
  body: string;
  contentType: string;
}

const text = (status: number, body: string): InboundAnswer => ({ status, body, contentType: "text/plain" });

export async function receiveInboundSms(
  deps: { db: Db; authToken: string | null; publicUrl: string; now: Date },
  input: { rawBody: string; signature: string | null },
): Promise<InboundAnswer> {
  if (!deps.authToken) return text(404, "SMS is not set up on this app.");
  const params = Object.fromEntries(new URLSearchParams(input.rawBody));
  if (!verifyTwilioSignature({ authToken: deps.authToken, signature: input.signature, url: deps.publicUrl, params }))
    return text(403, "The request is not signed by Twilio.");
  const from = e164(params.From);
  const to = params.To ?? params.MessagingServiceSid ?? "";
  if (!from || !to) return text(400, "From and To must be phone numbers.");
  const reply = classifyReply(params.Body ?? "");
  if (reply !== "other") {
    // The sender is a shop's number or Messaging Service (a reply names the number it went to).
    const shops = [
      ...new Set([
        ...(await shopsWithSender(deps.db, to)),
        ...(params.MessagingServiceSid ? await shopsWithSender(deps.db, params.MessagingServiceSid) : []),
      ]),
    ];
    for (const shop of shops) {
      if (reply === "opt_out") await optOut(deps.db, shop, from, deps.now);
      else await optIn(deps.db, shop, from);
    }
  }
  return { status: 200, body: EMPTY_TWIML, contentType: "text/xml" };
}
