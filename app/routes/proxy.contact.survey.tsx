import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../db.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";
import { proxyContext } from "../services/app-proxy.server";
import { escapeHtml } from "../services/email-render.server";
import { answerSurvey, openSurvey, SURVEY_SCALE } from "../services/contact/surveys.server";

/**
 * /apps/aftercare/contact/survey?token=…: the satisfaction or NPS survey from an email. GET shows
 * the question (link scanners fetch links, so only a POST records an answer); POST records it.
 * Answered as Liquid so the page sits in the shop's theme.
 */
type LiquidFn = (body: string, init?: number | { status?: number; layout?: boolean }) => Response;

function page(liquid: LiquidFn, status: number, heading: string, body: string) {
  return liquid(
    `<div class="page-width aftercare-survey" style="max-width:40rem;margin:3rem auto;padding:0 1rem"><h1>${escapeHtml(heading)}</h1>${body}</div>`,
    { status },
  );
}

function form(token: string, kind: "csat" | "nps", shopName: string, chosen: number | null, error = "") {
  const { min, max } = SURVEY_SCALE[kind];
  const question = kind === "csat" ? `How happy are you with the help you got from ${shopName}?` : `How likely are you to recommend ${shopName} to a friend?`;
  const options = Array.from({ length: max - min + 1 }, (_, i) => min + i)
    .map((n) => `<label style="display:inline-flex;flex-direction:column;align-items:center;margin:0 .4rem .6rem 0"><input type="radio" name="score" value="${n}" required${chosen === n ? " checked" : ""}> ${n}</label>`)
    .join("");
  const scale = kind === "csat" ? "1 = not at all, 5 = very" : "0 = not likely, 10 = very likely";
  return `<form method="post" action="/apps/aftercare/contact/survey?token=${encodeURIComponent(token)}">
<fieldset style="border:0;padding:0"><legend><p>${escapeHtml(question)}</p><p style="color:#666">${escapeHtml(scale)}</p></legend>${options}</fieldset>
${error ? `<p role="alert" style="color:#b00">${escapeHtml(error)}</p>` : ""}
<p><label for="survey-comment">Anything you would like to tell us? (optional)</label><br>
<textarea id="survey-comment" name="comment" rows="4" maxlength="2000" style="width:100%"></textarea></p>
<button type="submit" class="button">Send</button></form>`;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const { shop, params } = proxyContext(request);
  const token = params.get("token") ?? "";
  const opened = await openSurvey({ db: db(), secret: env().SHOPIFY_API_SECRET, now: new Date() }, shop, token);
  if (!opened.ok) return page(liquid, opened.status, "Link not valid", `<p>${escapeHtml(opened.message)}</p>`);
  const preset = Number(params.get("score"));
  return page(liquid, 200, "Tell us how we did", form(token, opened.survey.kind, opened.shopName, Number.isInteger(preset) ? preset : opened.survey.score));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const { shop, params } = proxyContext(request);
  const token = params.get("token") ?? "";
  const body = new URLSearchParams((await request.text()).slice(0, 10_000));
  const deps = { db: db(), secret: env().SHOPIFY_API_SECRET, now: new Date() };
  const result = await answerSurvey(deps, shop, token, { score: body.get("score") ?? "", comment: body.get("comment") ?? "" });
  if (!result.ok) {
    if (result.status === 404) return page(liquid, 404, "Link not valid", `<p>${escapeHtml(result.message)}</p>`);
    const opened = await openSurvey(deps, shop, token);
    return page(liquid, 400, "Tell us how we did", opened.ok ? form(token, opened.survey.kind, opened.shopName, null, result.message) : "");
  }
  return page(liquid, 200, "Thank you", "<p>Your answer was recorded. It helps us do better.</p>");
};
