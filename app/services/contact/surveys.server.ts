/**
 * Satisfaction (CSAT, 1-5, when a request closes) and net promoter (NPS, 0-10, a set number of
 * days after delivery) surveys. Each survey is a SurveyResponse row created when it is sent and
 * filled when answered, reached through a signed link on the shop's own domain
 * (/apps/aftercare/contact/survey), so it needs no login and cannot be forged or replayed
 * against another request or shop.
 */
import type { Db } from "../../db.server";
import { getContactSettings } from "../../models/contact.server";
import { deliveredShipmentOrders, emailableOrders, findOrderLocale } from "../../models/orders.server";
import { recordEvent } from "../../models/events.server";
import { enqueueNotification } from "../../models/outbox.server";
import { shopProfile } from "../../models/shop.server";
import { renderEmail } from "../email-render.server";
import { signLinkToken, verifyLinkToken } from "../link-token.server";
import { unsubscribeUrl } from "../unsubscribe.server";
import { languageFor, type Language } from "../../domain/contact/settings";

import { emailCopy, SURVEY_EMAIL_KIND } from "./emails";

export const SURVEY_PURPOSE = "survey";
const SURVEY_VALID_DAYS = 60;
/**
 * One answer per survey: after the first, the shopper may change it for this long (a slip of the
 * finger, a second thought), and then it is final. KPIs count it once, in the period of the first.
 */
export const SURVEY_CHANGE_WINDOW_MS = 30 * 60_000;
export const SURVEY_CHANGE_WINDOW_MINUTES = SURVEY_CHANGE_WINDOW_MS / 60_000;
export type SurveyKind = "csat" | "nps";
export const SURVEY_SCALE: Record<SurveyKind, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
};

export function surveyToken(input: { shop: string; surveyId: string; secret: string; now: Date }) {
  return signLinkToken(
    {
      purpose: SURVEY_PURPOSE,
      shop: input.shop,
      subject: input.surveyId,
      expiresAt: new Date(input.now.getTime() + SURVEY_VALID_DAYS * 86_400_000),
    },
    input.secret,
  );
}

export function surveyUrl(shop: string, token: string, score?: number) {
  return `https://${shop}/apps/aftercare/contact/survey?token=${encodeURIComponent(token)}${score === undefined ? "" : `&score=${score}`}`;
}

interface Deps {
  db: Db;
  secret: string;
  now: Date;
}

async function sendSurvey(
  deps: Deps,
  input: {
    shop: string;
    kind: SurveyKind;
    subjectId: string;
    requestId?: string | null;
    orderShopifyId?: string | null;
    orderName?: string | null;
    /** CSAT: the request's channel (form, chat, email), kept on the answer for the dashboard. */
    channel?: string | null;
    email: string;
    locale: string;
  },
) {
  const { db, now, secret } = deps;
  const profile = await shopProfile(db, input.shop);
  const survey = await db.surveyResponse.upsert({
    where: { shop_kind_subjectId: { shop: input.shop, kind: input.kind, subjectId: input.subjectId } },
    create: {
      shop: input.shop,
      kind: input.kind,
      subjectId: input.subjectId,
      requestId: input.requestId ?? null,
      orderShopifyId: input.orderShopifyId ?? null,
      channel: input.channel ?? null,
      sentAt: now,
    },
    update: {},
  });
  const copy = emailCopy(input.locale);
  const link = surveyUrl(input.shop, surveyToken({ shop: input.shop, surveyId: survey.id, secret, now }));
  const email = await renderEmail(
    input.kind === "csat"
      ? { subject: copy.csatSubject, body: copy.csatBody }
      : { subject: copy.npsSubject, body: copy.npsBody },
    { shop_name: profile.name, link, order_name: input.orderName ?? "" },
    {
      shopName: profile.name,
      accentColor: "#1f5199",
      language: input.locale,
      footer: [],
      unsubscribeUrl: unsubscribeUrl({ shop: input.shop, email: input.email, kind: SURVEY_EMAIL_KIND, secret, now }),
      unsubscribeLabel: copy.unsubscribe,
    },
  );
  await enqueueNotification(
    db,
    {
      shop: input.shop,
      kind: SURVEY_EMAIL_KIND,
      subjectId: input.subjectId,
      milestone: input.kind,
      recipient: input.email,
      locale: input.locale,
      subject: email.subject,
      bodyHtml: email.html,
      bodyText: email.text,
      fromName: profile.name,
      orderShopifyId: input.orderShopifyId ?? null,
    },
    now,
  );
  return survey;
}

export function sendCsatSurvey(
  deps: Deps,
  request: {
    id: string;
    shop: string;
    email: string;
    locale: string;
    orderShopifyId: string | null;
    channel?: string;
  },
) {
  return sendSurvey(deps, {
    shop: request.shop,
    kind: "csat",
    subjectId: request.id,
    requestId: request.id,
    orderShopifyId: request.orderShopifyId,
    channel: request.channel ?? "form",
    email: request.email,
    locale: request.locale,
  });
}

/** A survey as its page shows it; `final` once the answer can no longer be changed. */
export interface OpenedSurvey {
  id: string;
  kind: SurveyKind;
  score: number | null;
  comment: string | null;
  answeredAt: Date | null;
  final: boolean;
}

const isFinal = (answeredAt: Date | null, now: Date) =>
  answeredAt !== null && now.getTime() - answeredAt.getTime() >= SURVEY_CHANGE_WINDOW_MS;

export type SurveyLookup =
  | { ok: true; survey: OpenedSurvey; shopName: string; language: Language }
  | { ok: false; status: 404; reason: "invalid" | "expired"; message: string };

/** The language the shopper used: the request's (CSAT) or the order's checkout language (NPS). */
async function surveyLanguage(
  db: Db,
  shop: string,
  survey: { requestId: string | null; orderShopifyId: string | null },
): Promise<Language> {
  if (survey.requestId) {
    const request = await db.contactRequest.findFirst({
      where: { shop, id: survey.requestId },
      select: { locale: true },
    });
    if (request) return languageFor(request.locale);
  }
  if (survey.orderShopifyId) {
    const order = await findOrderLocale(db, shop, survey.orderShopifyId);
    if (order) return languageFor(order.customerLocale);
  }
  return "en";
}

export async function openSurvey(deps: Deps, shop: string, token: string): Promise<SurveyLookup> {
  const check = verifyLinkToken(token, { secret: deps.secret, purpose: SURVEY_PURPOSE, shop, now: deps.now });
  if (!check.ok) {
    return check.reason === "expired"
      ? { ok: false, status: 404, reason: "expired", message: "This survey link has expired." }
      : { ok: false, status: 404, reason: "invalid", message: "This survey link is not valid." };
  }
  const survey = await deps.db.surveyResponse.findFirst({ where: { shop, id: check.subject } });
  if (!survey) return { ok: false, status: 404, reason: "invalid", message: "This survey link is not valid." };
  const [profile, language] = await Promise.all([shopProfile(deps.db, shop), surveyLanguage(deps.db, shop, survey)]);
  const opened: OpenedSurvey = {
    id: survey.id,
    kind: survey.kind as SurveyKind,
    score: survey.score,
    comment: survey.comment,
    answeredAt: survey.answeredAt,
    final: isFinal(survey.answeredAt, deps.now),
  };
  return { ok: true, survey: opened, shopName: profile.name, language };
}

export interface RecordedAnswer {
  score: number | null;
  comment: string | null;
}

export type SurveyAnswer =
  | { ok: true; kind: SurveyKind; changed: boolean }
  | { ok: false; status: 404; reason: "invalid" | "expired"; message: string }
  | { ok: false; status: 400; reason: "score" | "comment"; message: string }
  | { ok: false; status: 409; reason: "final"; message: string; recorded: RecordedAnswer };

/**
 * Records the answer, or changes it within SURVEY_CHANGE_WINDOW_MS of the first; after that the
 * recorded answer stands (409). Scores outside the survey's scale are refused. Each write is
 * conditional, so two tabs sending at once cannot reopen a closed survey.
 */
export async function answerSurvey(
  deps: Deps,
  shop: string,
  token: string,
  input: { score: unknown; comment: unknown },
): Promise<SurveyAnswer> {
  const opened = await openSurvey(deps, shop, token);
  if (!opened.ok) return opened;
  const scale = SURVEY_SCALE[opened.survey.kind];
  const score =
    typeof input.score === "string" && /^\d{1,2}$/.test(input.score)
      ? Number(input.score)
      : typeof input.score === "number"
        ? input.score
        : NaN;
  if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
    return { ok: false, status: 400, reason: "score", message: `Choose a score from ${scale.min} to ${scale.max}.` };
  }
  const comment = typeof input.comment === "string" ? input.comment.trim() : "";
  if (comment.length > 2000)
    return { ok: false, status: 400, reason: "comment", message: "Keep the comment under 2,000 characters." };
  const { db, now } = deps;
  // The first answer is the one announced ("survey.answered"), in its own transaction.
  const first = await db.$transaction(async (tx) => {
    const answered = await tx.surveyResponse.updateMany({
      where: { shop, id: opened.survey.id, answeredAt: null },
      data: { score, comment: comment || null, answeredAt: now },
    });
    if (answered.count === 1) {
      const row = await tx.surveyResponse.findFirstOrThrow({ where: { shop, id: opened.survey.id } });
      await recordEvent(tx, {
        shop,
        type: "survey.answered",
        key: row.id,
        occurredAt: now,
        order: row.orderShopifyId ? { id: row.orderShopifyId, name: null } : null,
        data: { survey: { id: row.id, kind: opened.survey.kind, score, comment: comment || null } },
      });
    }
    return answered;
  });
  if (first.count === 1) return { ok: true, kind: opened.survey.kind, changed: false };
  // answeredAt stays the first answer's moment: the survey is counted once, in that period.
  const change = await db.surveyResponse.updateMany({
    where: { shop, id: opened.survey.id, answeredAt: { gt: new Date(now.getTime() - SURVEY_CHANGE_WINDOW_MS) } },
    data: { score, comment: comment || opened.survey.comment || null, changedAt: now },
  });
  if (change.count === 1) return { ok: true, kind: opened.survey.kind, changed: true };
  const recorded = await db.surveyResponse.findFirst({ where: { shop, id: opened.survey.id } });
  return {
    ok: false,
    status: 409,
    reason: "final",
    message: "This survey was answered and the answer can no longer be changed.",
    recorded: { score: recorded?.score ?? null, comment: recorded?.comment ?? null },
  };
}

/**
 * The periodic NPS send: orders delivered `npsDaysAfterDelivery` days ago (in a window of two
 * days, so a missed run catches up) get one survey each, for shops that switched it on.
 */
export async function sendDueNpsSurveys(deps: Deps) {
  const { db, now } = deps;
  const shops = await db.contactSettings.findMany({ select: { shop: true } });
  let sent = 0;
  for (const { shop } of shops) {
    const settings = await getContactSettings(db, shop);
    if (!settings.surveys.nps) continue;
    const due = new Date(now.getTime() - settings.surveys.npsDaysAfterDelivery * 86_400_000);
    const delivered = await deliveredShipmentOrders(db, shop, new Date(due.getTime() - 2 * 86_400_000), due, 500);
    const orderIds = [...new Set(delivered.map((f) => f.orderShopifyId))];
    if (!orderIds.length) continue;
    const already = new Set(
      (
        await db.surveyResponse.findMany({
          where: { shop, kind: "nps", subjectId: { in: orderIds } },
          select: { subjectId: true },
        })
      ).map((s) => s.subjectId),
    );
    const orders = await emailableOrders(
      db,
      shop,
      orderIds.filter((id) => !already.has(id)),
    );
    for (const o of orders) {
      await sendSurvey(deps, {
        shop,
        kind: "nps",
        subjectId: o.shopifyId,
        orderShopifyId: o.shopifyId,
        orderName: o.name,
        email: o.email!,
        locale: o.customerLocale ?? "en",
      });
      sent++;
    }
  }
  return { sent };
}
