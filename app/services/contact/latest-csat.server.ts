/**
 * A shopper's latest CSAT answer, for the profile properties other tools segment on (the Klaviyo
 * destination's "last CSAT"): surveys of the order an event is about, and of the shopper's
 * recent contact requests (by email), the newest answer of either.
 */
import type { Db } from "../../db.server";

const RECENT_REQUESTS = 20;

export async function latestCsatOf(
  db: Db,
  shop: string,
  shopper: { email: string | null; orderShopifyId: string | null },
): Promise<{ score: number; answeredAt: Date } | null> {
  const answered = { shop, kind: "csat", answeredAt: { not: null }, score: { not: null } };
  const select = { score: true, answeredAt: true } as const;
  const orderSurvey = shopper.orderShopifyId
    ? await db.surveyResponse.findFirst({
        where: { ...answered, orderShopifyId: shopper.orderShopifyId },
        orderBy: { answeredAt: "desc" },
        select,
      })
    : null;
  const requests = shopper.email
    ? await db.contactRequest.findMany({
        where: { shop, email: shopper.email },
        orderBy: { createdAt: "desc" },
        take: RECENT_REQUESTS,
        select: { id: true },
      })
    : [];
  const requestSurvey = requests.length
    ? await db.surveyResponse.findFirst({
        where: { ...answered, requestId: { in: requests.map((r) => r.id) } },
        orderBy: { answeredAt: "desc" },
        select,
      })
    : null;
  const newest = [orderSurvey, requestSurvey]
    .filter((s): s is { score: number | null; answeredAt: Date | null } => s !== null)
    .sort((a, b) => b.answeredAt!.getTime() - a.answeredAt!.getTime())[0];
  return newest && newest.score !== null && newest.answeredAt
    ? { score: newest.score, answeredAt: newest.answeredAt }
    : null;
}

/** Who answered a survey: the email of the contact request it rates, and its order (the Klaviyo profile). */
export async function surveyRespondent(db: Db, shop: string, surveyId: string) {
  const survey = await db.surveyResponse.findFirst({
    where: { shop, id: surveyId },
    select: { requestId: true, orderShopifyId: true },
  });
  if (!survey) return null;
  const request = survey.requestId
    ? await db.contactRequest.findFirst({ where: { shop, id: survey.requestId }, select: { email: true } })
    : null;
  return { email: request?.email ?? null, orderShopifyId: survey.orderShopifyId };
}
