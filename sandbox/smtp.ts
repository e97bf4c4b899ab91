/**
 * A real SMTP server that keeps what it receives, for the demo and tests: the app's mailer talks
 * SMTP to it exactly as it would to a provider, and the control page shows the captured mail.
 */
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  id: number;
  from: string;
  to: string[];
  raw: string;
  subject: string;
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
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, " ") ?? "";
        mails.push({
          id: next++,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: decodeMimeWords(subject),
          receivedAt: new Date(),
        });
        if (mails.length > 500) mails.shift();
        callback();
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

/** =?UTF-8?B?...?= and =?UTF-8?Q?...?= in headers. */
function decodeMimeWords(text: string): string {
  return text.replace(/=\?([^?]+)\?([BQbq])\?([^?]*)\?=/g, (_m, _charset, encoding: string, data: string) => {
    if (encoding.toUpperCase() === "B") return Buffer.from(data, "base64").toString("utf8");
    return Buffer.from(
      data.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_x, hex) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  });
}
