import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { verifyProxyRequest } from "../services/app-proxy-auth.server";
import { escapeHtml } from "../services/email-render.server";
import {
  answerSurvey,
  openSurvey,
  SURVEY_CHANGE_WINDOW_MINUTES,
  SURVEY_SCALE,
} from "../services/contact/surveys.server";
import { surveyPageCopy, type SurveyPageCopy } from "../services/contact/emails";
import { languageFor } from "../domain/contact/settings";
import { readTextLimited } from "../utils/body.server";

/**
 * /apps/aftercare/contact/survey?token=…: the satisfaction or NPS survey from an email. GET shows
 * the question (link scanners fetch links, so only a POST records an answer); POST records it.
 * One answer per survey, changeable for SURVEY_CHANGE_WINDOW_MINUTES; after that the page shows
 * the recorded answer (a POST then gets 409). Answered as Liquid so the page sits in the shop's theme.
 */
type LiquidFn = (body: string, init?: number | { status?: number; layout?: boolean }) => Response;

const RTL = new Set(["fa"]);

function page(liquid: LiquidFn, status: number, language: string, heading: string, body: string) {
  return liquid(
    `<div class="page-width aftercare-survey" lang="${language}" dir="${RTL.has(language) ? "rtl" : "ltr"}" ` +
      `style="max-width:40rem;margin:3rem auto;padding:0 1rem"><h1>${escapeHtml(heading)}</h1>${body}</div>`,
    { status },
  );
}

function form(
  token: string,
  kind: "csat" | "nps",
  shopName: string,
  copy: SurveyPageCopy,
  chosen: number | null,
  error = "",
) {
  const { min, max } = SURVEY_SCALE[kind];
  const question = kind === "csat" ? copy.csatQuestion(shopName) : copy.npsQuestion(shopName);
  const options = Array.from({ length: max - min + 1 }, (_, i) => min + i)
    .map(
      (n) =>
        `<label style="display:inline-flex;flex-direction:column;align-items:center;margin:0 .4rem .6rem 0">` +
        `<input type="radio" name="score" value="${n}" required${chosen === n ? " checked" : ""}> ${n}</label>`,
    )
    .join("");
  const scale = kind === "csat" ? copy.csatScale : copy.npsScale;
  const legend = `<legend><p>${escapeHtml(question)}</p><p style="color:#666">${escapeHtml(scale)}</p></legend>`;
  return `<form method="post" action="/apps/aftercare/contact/survey?token=${encodeURIComponent(token)}">
<fieldset style="border:0;padding:0">${legend}${options}</fieldset>
${error ? `<p role="alert" style="color:#b00">${escapeHtml(error)}</p>` : ""}
<p><label for="survey-comment">${escapeHtml(copy.comment)}</label><br>
<textarea id="survey-comment" name="comment" rows="4" maxlength="2000" style="width:100%"></textarea></p>
<p style="color:#666">${escapeHtml(copy.changeNote(SURVEY_CHANGE_WINDOW_MINUTES))}</p>
<button type="submit" class="button">${escapeHtml(copy.send)}</button></form>`;
}

/** The answer that stands, once it can no longer be changed. */
function recordedAnswer(copy: SurveyPageCopy, recorded: { score: number | null; comment: string | null }) {
  const score =
    recorded.score === null ? "" : `<p><strong>${escapeHtml(copy.recordedScore(recorded.score))}</strong></p>`;
  const comment = recorded.comment
    ? `<p>${escapeHtml(copy.recordedComment)}</p><blockquote>${escapeHtml(recorded.comment)}</blockquote>`
    : "";
  return `<p>${escapeHtml(copy.finalBody)}</p>${score}${comment}`;
}

/** A link that no longer works has no survey to take the language from: the browser's, then English. */
function browserLanguage(request: Request) {
  return languageFor((request.headers.get("accept-language") ?? "").split(",")[0]?.trim());
}

function notValid(liquid: LiquidFn, language: string, reason: "invalid" | "expired") {
  const copy = surveyPageCopy(language);
  return page(
    liquid,
    404,
    language,
    copy.invalidHeading,
    `<p>${escapeHtml(reason === "expired" ? copy.expired : copy.invalid)}</p>`,
  );
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid, shop, params } = await verifyProxyRequest(request);
  const token = params.get("token") ?? "";
  const opened = await openSurvey({ db: db(), secret: env().SHOPIFY_API_SECRET, now: new Date() }, shop, token);
  if (!opened.ok) return notValid(liquid, browserLanguage(request), opened.reason);
  const copy = surveyPageCopy(opened.language);
  if (opened.survey.final) {
    return page(liquid, 200, opened.language, copy.finalHeading, recordedAnswer(copy, opened.survey));
  }
  // The score a link in the email carries; without one, the answer already given (if any).
  const linked = params.get("score");
  const preset = linked !== null && /^\d{1,2}$/.test(linked) ? Number(linked) : opened.survey.score;
  const question = form(token, opened.survey.kind, opened.shopName, copy, preset);
  return page(liquid, 200, opened.language, copy.heading, question);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { liquid, shop, params } = await verifyProxyRequest(request);
  const token = params.get("token") ?? "";
  // A survey's answer is a few fields; anything longer than this is not one (read as empty).
  const body = new URLSearchParams(((await readTextLimited(request, 40_000)) ?? "").slice(0, 10_000));
  const deps = { db: db(), secret: env().SHOPIFY_API_SECRET, now: new Date() };
  const opened = await openSurvey(deps, shop, token);
  if (!opened.ok) return notValid(liquid, browserLanguage(request), opened.reason);
  const copy = surveyPageCopy(opened.language);
  const result = await answerSurvey(deps, shop, token, {
    score: body.get("score") ?? "",
    comment: body.get("comment") ?? "",
  });
  if (!result.ok) {
    if (result.status === 404) return notValid(liquid, opened.language, result.reason);
    if (result.status === 409) {
      return page(liquid, 409, opened.language, copy.finalHeading, recordedAnswer(copy, result.recorded));
    }
    const { min, max } = SURVEY_SCALE[opened.survey.kind];
    const message = result.reason === "score" ? copy.chooseScore(min, max) : copy.commentTooLong;
    return page(
      liquid,
      400,
      opened.language,
      copy.heading,
      form(token, opened.survey.kind, opened.shopName, copy, null, message),
    );
  }
  const change = copy.changeNote(SURVEY_CHANGE_WINDOW_MINUTES);
  const thanks = `<p>${escapeHtml(copy.thanksBody)}</p><p>${escapeHtml(change)}</p>`;
  return page(liquid, 200, opened.language, copy.thanksHeading, thanks);
};
