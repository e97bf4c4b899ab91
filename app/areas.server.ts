/**
 * Where each area attaches itself to the shared machinery: webhook listeners, compliance
 * (personal data), periodic tasks. Imported by the job processor and the server entry, so every
 * process that handles webhooks or runs the scheduler has them. A new area adds one line.
 */
import { env } from "./env.server";
import { registerPeriodicTask } from "./jobs/scheduler.server";
import { deliverDueNotifications } from "./services/outbox.server";
import { mailer } from "./services/mailer.server";
import { registerTracking } from "./services/tracking/register.server";
import { registerReturns } from "./services/returns/register.server";
import { registerContact } from "./services/contact/register.server";
import { registerLoyalty } from "./services/loyalty/register.server";
import { registerReconciliation } from "./services/reconciliation/register.server";
import { registerHistoryImport } from "./services/history-import/register.server";
import { registerSetupGuide } from "./services/setup-guide/register.server";
import { registerDashboard } from "./services/dashboard/register.server";
import { registerEvents } from "./services/events/register.server";

registerTracking();
registerReturns();
registerContact();
registerLoyalty();
registerReconciliation();
registerHistoryImport();
registerSetupGuide();
registerDashboard();
registerEvents();

// Shared: the outbox is sent by whichever process wins the lease. (Rate-limit counters need no task:
// rate-limiter-flexible deletes expired ones itself, in the processes that write them.)
registerPeriodicTask({
  name: "outbox.deliver",
  everyMs: 10_000,
  leaseMs: 5 * 60_000,
  run: ({ db, now }) => deliverDueNotifications({ db, mailer: mailer(), secret: env().SHOPIFY_API_SECRET, now }),
});
