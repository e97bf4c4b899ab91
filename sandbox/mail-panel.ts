/**
 * The control page's mailbox, shopper's side: "Reply as the shopper" on an email the app sent
 * answers it the way a mail client does (Re: subject, In-Reply-To and References, the text above
 * "On … wrote:" and the quoted original) and sends it by SMTP to its Reply-To. Mail to the inbound
 * domain is Mailgun's (sandbox/mailgun.ts), which posts it to the app as Mailgun would.
 */
import nodemailer from "nodemailer";
import { z } from "zod";

import type { MailgunStandIn } from "./mailgun";
import type { CapturedMail } from "./smtp";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

const replyInput = z.object({
  mailId: z.number().int().positive(),
  text: z.string().trim().min(1, "text: what the shopper writes back").max(10_000),
});

/** A mail client's answer: the shopper's words, then the quoted original. */
export function shopperAnswer(mail: CapturedMail, text: string, now: Date) {
  const quoted = mail.text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line}`.trimEnd())
    .join("\n");
  const fromHeader = /^From:\s*(.+)$/im.exec(mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " "))?.[1] ?? "";
  return {
    from: mail.to[0],
    to: mail.replyTo,
    subject: /^re:/i.test(mail.subject) ? mail.subject : `Re: ${mail.subject}`,
    inReplyTo: mail.messageId || undefined,
    references: mail.messageId ? [mail.messageId] : undefined,
    date: now,
    text: `${text}\n\nOn ${now.toUTCString()}, ${fromHeader.trim()} wrote:\n${quoted}\n`,
  };
}

export async function handleMailControl(
  request: Request,
  path: string,
  o: { mails?: () => CapturedMail[]; mailgun?: MailgunStandIn; smtpUrl?: string },
): Promise<Response | null> {
  if (path === "/control/api/mail/inbound" && request.method === "GET")
    return json({ forwarded: o.mailgun?.forwarded() ?? [] });
  if (path === "/control/api/mail/reply" && request.method === "POST") {
    if (!o.mailgun || !o.smtpUrl || !o.mails) return json({ error: "This sandbox has no inbound mail." }, 404);
    const input = replyInput.safeParse(await request.json().catch(() => ({})));
    if (!input.success) return json({ error: input.error.issues.map((i) => i.message).join("; ") }, 400);
    const mail = o.mails().find((m) => m.id === input.data.mailId);
    if (!mail) return json({ error: "No such mail." }, 404);
    if (!mail.replyTo) return json({ error: "That mail has no address to answer." }, 422);
    const before = o.mailgun.forwarded().length;
    const transport = nodemailer.createTransport(o.smtpUrl);
    try {
      await transport.sendMail(shopperAnswer(mail, input.data.text, new Date()));
    } finally {
      transport.close();
    }
    // The SMTP server hands the mail to Mailgun, which posts it to the app: wait for its answer.
    const deadline = Date.now() + 10_000;
    while (o.mailgun.forwarded().length === before && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const forward = o.mailgun.forwarded().at(-1);
    if (!forward || o.mailgun.forwarded().length === before)
      return json({ message: `Sent to ${mail.replyTo}; it is not for the inbound domain, so it went nowhere.` });
    return json({
      message: `Sent to ${forward.recipient}; Mailgun posted it to the app, which answered ${forward.status}.`,
      forward,
    });
  }
  return null;
}
