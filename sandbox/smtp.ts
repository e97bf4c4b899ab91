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
  receivedAt: Date;
}

export async function startCaptureSmtp(port: number, host = "127.0.0.1") {
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
          mails.push({
            id: next++,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: source.toString("utf8"),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            receivedAt: new Date(),
          });
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
