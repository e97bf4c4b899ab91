/**
 * A real SMTP server that keeps what it receives, for the demo and tests: the app's mailer talks
 * SMTP to it exactly as it would to a provider, and the control page shows the captured mail.
 */
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  id: number;
  from: string;
  to: string[];
  raw: string;
  /** Decoded by mailparser, as a mail client shows them (encoded words, quoted-printable, charsets). */
  subject: string;
  text: string;
  html: string;
  /** Where an answer goes (the Reply-To's address, else From's) and the Message-ID it answers. */
  replyTo: string;
  messageId: string;
  receivedAt: Date;
}

/** Mail for the inbound domain, as a receiving provider's MX gets it: envelope, parsed, raw headers. */
export interface InboundDelivery {
  envelopeFrom: string;
  recipients: string[];
  mail: CapturedMail;
  /** Every header in order, unfolded: [name, value]. */
  headers: [string, string][];
}

/**
 * `inbound`: mail to that domain (a shopper's answer to a reply address) is not kept as mail the
 * app sent but handed to `receive`, as the inbound mail service's MX would (sandbox/mailgun.ts).
 */
export async function startCaptureSmtp(
  port: number,
  host = "127.0.0.1",
  inbound?: { domain: string; receive(delivery: InboundDelivery): Promise<unknown> },
) {
  const mails: CapturedMail[] = [];
  let next = 1;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const source = Buffer.concat(chunks);
        try {
          const parsed = await simpleParser(source);
          const mail: CapturedMail = {
            id: next++,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: source.toString("utf8"),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            replyTo: parsed.replyTo?.value[0]?.address ?? parsed.from?.value[0]?.address ?? "",
            messageId: parsed.messageId ?? "",
            receivedAt: new Date(),
          };
          const domain = inbound?.domain.toLowerCase();
          const forInbound = mail.to.filter((r) => domain && r.toLowerCase().endsWith(`@${domain}`));
          if (inbound && forInbound.length) {
            const headers = parsed.headerLines.map(({ line }): [string, string] => {
              const colon = line.indexOf(":");
              return [
                line.slice(0, colon),
                line
                  .slice(colon + 1)
                  .replace(/\r?\n[ \t]+/g, " ")
                  .trim(),
              ];
            });
            // Accepted first, as an MX does; the provider then posts it on.
            setImmediate(() => {
              inbound
                .receive({ envelopeFrom: mail.from, recipients: forInbound, mail, headers })
                .catch((error) => console.error("[sandbox inbound]", error));
            });
            return callback();
          }
          mails.push(mail);
          if (mails.length > 500) mails.shift();
          return callback();
        } catch (error) {
          // A message the capture cannot read is refused, as a strict relay would.
          return callback(
            Object.assign(new Error(`Message not accepted: ${(error as Error).message}`), { responseCode: 554 }),
          );
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    mails,
    port: (server.server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
