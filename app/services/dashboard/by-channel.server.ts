/**
 * The dashboard's service figures by channel (HOW_COUNTED.byChannel, docs/decisions/0042): chats,
 * form and email requests side by side, counted in the database (models/contact.server.ts).
 */
import type { Db } from "../../db.server";
import { csat, type Period } from "../../domain/dashboard/kpi";
import { serviceFiguresByChannel } from "../../models/contact.server";

export async function serviceByChannel(db: Db, shop: string, period: Pick<Period, "start" | "end">) {
  const rows = await serviceFiguresByChannel(db, shop, period);
  return rows.map((r) => {
    const rated = csat(r.scores);
    return {
      channel: r.channel,
      started: r.started,
      firstReplies: r.firstReplies,
      medianFirstResponseMinutes: r.medianFirstResponseMinutes,
      csat: rated.value,
      csatAnswers: rated.responses,
    };
  });
}

export type ServiceByChannel = Awaited<ReturnType<typeof serviceByChannel>>;
