/**
 * The app's one mailer: nodemailer over SMTP. Every area sends through the outbox
 * (services/outbox.server.ts), which calls this; nothing else opens an SMTP connection.
 */
import nodemailer from "nodemailer";

import { DEMO_SMTP_URL, env } from "../env.server";

export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Display name for the From address (the shop's name); the address is always MAIL_FROM's. */
  fromName?: string | null;
  replyTo?: string | null;
  headers?: Record<string, string>;
  /** The left part of the Message-ID; the mailer adds "@" and its address's domain. */
  messageIdTag?: string | null;
}

export interface SentMail {
  messageId: string;
  response: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

/**
 * A refused or failed send. `permanent` when the server said no for good (5xx: no such mailbox,
 * rejected content); otherwise (4xx, connection trouble) trying again later may work.
 */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    public readonly permanent: boolean,
    public readonly responseCode?: number,
  ) {
    super(message);
    this.name = "MailDeliveryError";
  }
}

/** "Aftercare <a@b.c>" -> "a@b.c" */
export function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();
}

export function createMailer(options: { url: string; from: string; timeoutMs?: number }): Mailer {
  const timeout = options.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport(options.url, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as never);
  const address = addressOf(options.from);
  const domain = address.split("@").pop() ?? "localhost";
  const defaultName = /^(.*?)\s*</.exec(options.from)?.[1]?.replace(/^"|"$/g, "") || undefined;
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: { name: message.fromName ?? defaultName ?? "", address },
          to: message.to,
          replyTo: message.replyTo ?? undefined,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: message.headers,
          ...(message.messageIdTag ? { messageId: `<${message.messageIdTag}@${domain}>` } : {}),
        });
        if (info.rejected?.length) throw new MailDeliveryError(`the server refused ${info.rejected.join(", ")}`, true);
        return { messageId: info.messageId, response: info.response };
      } catch (error) {
        if (error instanceof MailDeliveryError) throw error;
        const e = error as { message?: string; responseCode?: number };
        const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
        throw new MailDeliveryError(e.message ?? String(error), code !== undefined && code >= 500 && code < 600, code);
      }
    },
    close() {
      transport.close();
    },
  };
}

declare global {
  var __aftercareMailer: Mailer | undefined;
}

/** The process's mailer, configured from SMTP_URL and MAIL_FROM. */
export function mailer(): Mailer {
  if (!globalThis.__aftercareMailer) {
    const config = env();
    globalThis.__aftercareMailer = createMailer({ url: config.SMTP_URL ?? DEMO_SMTP_URL, from: config.MAIL_FROM });
  }
  return globalThis.__aftercareMailer;
}
