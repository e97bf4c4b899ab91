/**
 * The Sync page's one line about an import, in the admin's language (app/locales/admin): where it
 * stands, with counts in their plural forms, and the time left at the rate of the phase under way
 * (importProgress). Pure: the page renders it, tests read it.
 */
import type { Translate } from "../../locales/admin";

import type { ImportCardView } from "./admin.server";

type Latest = Pick<
  NonNullable<ImportCardView["latest"]>,
  "status" | "windowDays" | "total" | "done" | "secondsLeft" | "details"
>;

/** "about 40 seconds left", "about a minute left", "about 6 minutes left". */
export function timeLeft(seconds: number, t: Translate): string {
  if (seconds < 55) return t("sync.left.seconds", { count: Math.max(5, Math.round(seconds / 5) * 5) });
  if (seconds < 90) return t("sync.left.minute");
  return t("sync.left.minutes", { count: Math.round(seconds / 60) });
}

export function importSummary(latest: Latest, t: Translate): string {
  const days = t("sync.days", { count: latest.windowDays });
  const orders = (count: number) => t("sync.orders", { count });
  if (latest.status === "completed") {
    return latest.done === 0
      ? t("sync.history.doneNone", { days })
      : t("sync.history.done", { orders: orders(latest.done), days });
  }
  if (latest.status === "queued") return t("sync.history.queued");
  if (latest.status === "running") {
    return latest.total > 0
      ? t("sync.history.preparingCount", { orders: orders(latest.total), days })
      : t("sync.history.preparing", { days });
  }
  const summary =
    latest.status === "details" && latest.details
      ? t("sync.history.details", {
          pastOrders: t("sync.pastOrders", { count: latest.details.total }),
          done: latest.details.done,
        })
      : t("sync.history.applying", { done: latest.done, orders: orders(latest.total) });
  if (latest.secondsLeft === null) return summary;
  return t("sync.history.withLeft", { summary, left: timeLeft(latest.secondsLeft, t) });
}
