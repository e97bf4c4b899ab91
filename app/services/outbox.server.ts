/**
 * Sends what is waiting in the notification outbox, for every area. A periodic task calls this;
 * each message is claimed by one sender, checked against unsubscribes, handed to the mailer, and
 * its result recorded on the row: sent (with the server's message id), retried later on a
 * temporary failure, or failed for good.
 */
import type { Db } from "../db.server";
import { claimDueNotifications, isSuppressed, markNotification } from "../models/outbox.server";

import { notificationMessageTag } from "./contact/email-thread.server";
import { MailDeliveryError, type Mailer } from "./mailer.server";
import { unsubscribeUrl } from "./unsubscribe.server";

/** Waits between attempts after a temporary failure; after the last, the message fails. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  suppressed: number;
  skipped: number;
}

export async function deliverDueNotifications(deps: {
  db: Db;
  mailer: Mailer;
  secret: string;
  now?: Date;
  limit?: number;
}): Promise<DeliveryReport> {
  const now = deps.now ?? new Date();
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, suppressed: 0, skipped: 0 };
  const rows = await claimDueNotifications(deps.db, now, deps.limit ?? 50);
  for (const row of rows) {
    if (!row.recipient || row.redactedAt) {
      await markNotification(deps.db, row.id, { status: "skipped", error: "no recipient (redacted)" });
      report.skipped++;
      continue;
    }
    if (await isSuppressed(deps.db, row.shop, row.recipient, row.kind)) {
      await markNotification(deps.db, row.id, { status: "suppressed", error: "the recipient unsubscribed" });
      report.suppressed++;
      continue;
    }
    const unsubscribe = unsubscribeUrl({
      shop: row.shop,
      email: row.recipient,
      kind: row.kind,
      secret: deps.secret,
      now,
    });
    try {
      const sent = await deps.mailer.send({
        to: row.recipient,
        subject: row.subject,
        html: row.bodyHtml,
        text: row.bodyText,
        fromName: row.fromName,
        replyTo: row.replyTo,
        // A Message-ID naming the row, signed: an answer's In-Reply-To finds its thread (decision 0046).
        messageIdTag: notificationMessageTag(row.id, deps.secret),
        headers: {
          // RFC 8058 one-click unsubscribe: mail clients POST to the link.
          "List-Unsubscribe": `<${unsubscribe}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          "X-Aftercare-Notification": row.id,
        },
      });
      await markNotification(deps.db, row.id, { status: "sent", providerMessageId: sent.messageId, at: new Date() });
      report.sent++;
    } catch (error) {
      const message = (error as Error).message;
      const permanent = error instanceof MailDeliveryError && error.permanent;
      const delay = RETRY_DELAYS_MS[row.attempts - 1];
      if (permanent || delay === undefined) {
        await markNotification(deps.db, row.id, { status: "failed", error: message });
        report.failed++;
      } else {
        await markNotification(deps.db, row.id, {
          status: "retrying",
          error: message,
          nextAttemptAt: new Date(now.getTime() + delay),
        });
        report.retrying++;
      }
    }
  }
  return report;
}
