/**
 * Twilio through its official Node client. Every request the client makes goes to the configured
 * base URL (TWILIO_API_URL): Twilio's own in production, the sandbox's stand-in in the demo and
 * tests. The client's own retry on 429 is left on; what fails after that comes back as a typed
 * outcome the SMS destination turns into retry, park or opt-out.
 */
import twilio from "twilio";

export interface TwilioConfig {
  apiUrl: string;
  accountSid: string;
  authToken: string;
}

export type SendOutcome =
  | { ok: true; sid: string }
  /** Twilio will never take this text as it is (bad number, unsubscribed recipient): do not retry. */
  | { ok: false; permanent: true; code: number | null; message: string }
  | { ok: false; permanent: false; code: number | null; message: string };

/** Twilio's error codes that mean the recipient opted out (STOP) at Twilio or the carrier. */
export const UNSUBSCRIBED_CODES = new Set([21610]);

/** A RequestClient that sends what the client builds for api.twilio.com to `apiUrl` instead. */
function rebasedHttpClient(apiUrl: string) {
  const base = new URL(apiUrl);
  const client = new twilio.RequestClient({ autoRetry: true, maxRetries: 2 });
  const request = client.request.bind(client);
  client.request = (opts) => {
    const uri = new URL(opts.uri);
    if (uri.hostname.endsWith("twilio.com")) {
      uri.protocol = base.protocol;
      uri.host = base.host;
      uri.pathname = `${base.pathname.replace(/\/$/, "")}${uri.pathname}`;
    }
    return request({ ...opts, uri: uri.toString() });
  };
  return client;
}

export interface SmsSender {
  send(input: { from: string; to: string; body: string }): Promise<SendOutcome>;
}

export function twilioSender(config: TwilioConfig): SmsSender {
  const client = twilio(config.accountSid, config.authToken, { httpClient: rebasedHttpClient(config.apiUrl) });
  return {
    async send({ from, to, body }) {
      try {
        const message = await client.messages.create({
          to,
          body,
          ...(from.startsWith("MG") ? { messagingServiceSid: from } : { from }),
        });
        return { ok: true, sid: message.sid };
      } catch (error) {
        const e = error as { status?: number; code?: number; message?: string };
        const message = e.message ?? String(error);
        const code = typeof e.code === "number" ? e.code : null;
        // 4xx other than throttling: the request itself is wrong (number, sender, body, account).
        if (typeof e.status === "number" && e.status >= 400 && e.status < 500 && e.status !== 429)
          return {
            ok: false,
            permanent: true,
            code,
            message: `Twilio ${e.status}${code ? ` (${code})` : ""}: ${message}`,
          };
        return { ok: false, permanent: false, code, message: `Twilio: ${message}` };
      }
    },
  };
}

/** Whether a reply came from Twilio: its X-Twilio-Signature over the URL and the form's fields. */
export function verifyTwilioSignature(input: {
  authToken: string;
  signature: string | null;
  url: string;
  params: Record<string, string>;
}): boolean {
  if (!input.signature) return false;
  return twilio.validateRequest(input.authToken, input.signature, input.url, input.params);
}
