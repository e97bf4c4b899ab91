/**
 * Turns a merchant's Liquid template into an email. The template is rendered once, as text;
 * the HTML part is built from that text (escaped, paragraphs, links made clickable) inside a
 * branded layout. So a product title or a merchant's wording can never inject markup, and the
 * text and HTML parts always say the same thing.
 */
import { Liquid, Tag, type TagToken, type TopLevelToken } from "liquidjs";

export interface EmailTemplateSource {
  subject: string;
  body: string;
}

export interface EmailLayout {
  shopName: string;
  accentColor: string;
  logoUrl?: string | null;
  /** BCP 47 language of the message; Persian is laid out right to left. */
  language: string;
  /** Short lines under the message (why they got it). */
  footer: string[];
  unsubscribeUrl: string | null;
  unsubscribeLabel: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

// Merchant-written templates: bounded in size and time so one bad template cannot stall a worker.
// An empty in-memory template store: nothing a template names is ever looked up on the server's disk.
const engine = new Liquid({
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  parseLimit: 50_000,
  renderLimit: 500,
  memoryLimit: 5_000_000,
  templates: {},
});

/** Tags that pull in other files: an email is one template, so they are refused when it is parsed. */
class RefusedTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new Error(`{% ${token.name} %} cannot be used in an email`);
  }

  *render() {}
}
for (const name of ["include", "render", "layout"]) engine.registerTag(name, RefusedTag);

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/** null when the template parses; otherwise what is wrong, for the merchant. */
export function templateProblem(source: string): string | null {
  try {
    engine.parse(source);
    return null;
  } catch (error) {
    return (error as Error).message.split("\n")[0];
  }
}

/**
 * The variables a template names from outside itself (`customer.first_name`, not what it assigns);
 * throws a TemplateError saying what is wrong when it does not parse.
 */
export function templateVariables(source: string): string[] {
  try {
    return engine.globalFullVariablesSync(source);
  } catch (error) {
    throw new TemplateError((error as Error).message.split("\n")[0]);
  }
}

/** A merchant's template rendered as plain text (a saved reply put into the reply box). */
export async function renderText(source: string, variables: Record<string, unknown>): Promise<string> {
  try {
    return await engine.parseAndRender(source, variables);
  } catch (error) {
    throw new TemplateError((error as Error).message.split("\n")[0]);
  }
}

const RTL = new Set(["fa", "ar", "he", "ur"]);

/**
 * Identifiers a shopper reads out to the merchant ("#1302", "1302-R1", a tracking number). In a
 * right-to-left message the bidirectional algorithm would show "#1302" as "1302#": each is wrapped
 * in Unicode's left-to-right isolate (LRI … PDI), which holds in the subject, the text part and the
 * HTML alike. Links are left alone: the isolate would end up inside the clickable address.
 */
const IDENTIFIER_VARIABLES = ["order_name", "return_number", "tracking_number", "number", "reference"];
const LRI = "\u2066";
const PDI = "\u2069";

function isolateIdentifiers(variables: Record<string, unknown>): Record<string, unknown> {
  const isolated = { ...variables };
  for (const name of IDENTIFIER_VARIABLES) {
    const value = variables[name];
    if ((typeof value === "string" && value !== "") || typeof value === "number") {
      isolated[name] = `${LRI}${value}${PDI}`;
    }
  }
  return isolated;
}
const FONT_FAMILY = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function linkify(escaped: string, accent: string): string {
  return escaped.replace(
    /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g,
    (url) => `<a href="${url}" style="color:${accent}">${url}</a>`,
  );
}

function safeColour(value: string) {
  return /^#[0-9a-fA-F]{6}$/.test(value) ? value : "#1f5199";
}

export async function renderEmail(
  template: EmailTemplateSource,
  variables: Record<string, unknown>,
  layout: EmailLayout,
): Promise<RenderedEmail> {
  const dir = RTL.has(layout.language) ? "rtl" : "ltr";
  const values = dir === "rtl" ? isolateIdentifiers(variables) : variables;
  const subject = (await renderText(template.subject, values)).replace(/\s+/g, " ").trim();
  const body = (await renderText(template.body, values)).replace(/\r\n/g, "\n").trim();
  if (!subject) throw new TemplateError("the subject is empty once rendered");
  const accent = safeColour(layout.accentColor);
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p style="margin:0 0 16px">${linkify(escapeHtml(p), accent).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const logo =
    layout.logoUrl && /^https:\/\//.test(layout.logoUrl)
      ? `<img src="${escapeHtml(layout.logoUrl)}" alt="${escapeHtml(layout.shopName)}" ` +
        `style="max-height:48px;max-width:200px">`
      : `<strong style="font-size:18px">${escapeHtml(layout.shopName)}</strong>`;
  const footer = [
    ...layout.footer.map(escapeHtml),
    ...(layout.unsubscribeUrl
      ? [
          `<a href="${escapeHtml(layout.unsubscribeUrl)}" style="color:#6d7175">` +
            `${escapeHtml(layout.unsubscribeLabel)}</a>`,
        ]
      : []),
  ];
  const meta = `<meta charset="utf-8"><meta name="viewport" content="width=device-width">`;
  const font = `font-family:${FONT_FAMILY};font-size:16px;line-height:1.5;color:#202223`;
  const html = `<!doctype html>
<html lang="${escapeHtml(layout.language)}" dir="${dir}">
<head>${meta}<title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f6f6f7">
<div style="max-width:560px;margin:0 auto;padding:24px;${font};text-align:start" dir="${dir}">
<div style="border-top:4px solid ${accent};background:#ffffff;padding:24px;border-radius:8px">
<div style="margin-bottom:24px">${logo}</div>
${paragraphs}
</div>
<div style="padding:16px 8px;font-size:12px;color:#6d7175">${footer.join("<br>")}</div>
</div>
</body>
</html>`;
  const text = [
    body,
    "",
    "—",
    ...layout.footer,
    ...(layout.unsubscribeUrl ? [`${layout.unsubscribeLabel}: ${layout.unsubscribeUrl}`] : []),
  ].join("\n");
  return { subject, html, text };
}
