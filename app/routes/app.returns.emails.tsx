import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import {
  getReturnPolicy,
  returnEmailsVersion,
  saveReturnEmails,
  type ReturnEmailSettings,
  type SaveConflict,
} from "../services/returns/policy.server";
import { previewReturnEmail } from "../services/returns/notifications.server";
import { TemplateError, templateProblem } from "../services/email-render.server";
import { LANGUAGES, type Language, type PolicyProblem } from "../domain/returns/policy";
import {
  normaliseReturnTemplates,
  RETURN_EMAIL_VARIABLES,
  RETURN_EMAILS,
  STANDARD_RETURN_EMAILS,
  type ReturnEmail,
} from "../domain/returns/email-templates";
import { NotSavedBanner, useFieldProblems } from "../components/NotSavedBanner";
import { said, type AdminMessageKey } from "../locales/admin";
import { liquidSaid } from "../locales/admin/liquid";
import { fieldProblem, type ProblemValue } from "../locales/admin/problems";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";
import { SettingsSaveBar } from "../components/SettingsSaveBar";
import {
  EmailPreview,
  EmailTemplateFields,
  isPreviewSubmission,
  useLivePreview,
  type EmailPreviewAnswer,
} from "../components/EmailTemplateEditor";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const policy = await getReturnPolicy(db(), session.shop);
  // The version of what this tab edits (only the emails): posted back with the save.
  return json({ notifications: policy.notifications, version: returnEmailsVersion(policy) });
};

type ActionAnswer =
  { ok: true; intent: "save"; notifications: ReturnEmailSettings; version: string } | SaveConflict | EmailPreviewAnswer;

const problem = (key: AdminMessageKey, values?: Record<string, ProblemValue>) =>
  json<ActionAnswer>({ ok: false, problems: [fieldProblem("", key, values)] }, { status: 400 });
const isText = (value: unknown, max: number): value is string => typeof value === "string" && value.length <= max;

// POST (JSON). intent "preview": one template rendered with example values (400 when its Liquid
// cannot make an email). intent "save": whether emails are sent and the merchant's wording, each
// template checked; 400 with every problem and nothing saved; 409 (nothing saved) when someone else
// has saved the emails since the tab was loaded with `version`.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  let body: {
    intent?: unknown;
    notifications?: unknown;
    version?: unknown;
    template?: { subject?: unknown; body?: unknown };
    language?: unknown;
    email?: unknown;
  };
  try {
    body = await request.json();
  } catch {
    return problem("returnEmails.unreadable");
  }
  if (body?.intent === "preview") {
    const language = LANGUAGES.find((l) => l === body.language);
    const email = RETURN_EMAILS.find((e) => e === body.email);
    const subject = body.template?.subject;
    const text = body.template?.body;
    if (!language || !email || !isText(subject, 300) || !isText(text, 10_000))
      return problem("returnEmails.previewLimits");
    const unparsed = (
      [
        ["subject", templateProblem(subject)],
        ["body", templateProblem(text)],
      ] as const
    ).flatMap(([part, why]) =>
      why
        ? [
            fieldProblem("", "returnEmails.unparsedPart", {
              part: said(part === "subject" ? "returnEmails.part.subject" : "returnEmails.part.body"),
              problem: liquidSaid(why),
            }),
          ]
        : [],
    );
    if (unparsed.length) return json<ActionAnswer>({ ok: false, problems: unparsed }, { status: 400 });
    try {
      const policy = await getReturnPolicy(db(), session.shop);
      const rendered = await previewReturnEmail(db(), session.shop, {
        policy,
        template: { subject, body: text },
        language,
      });
      return json<ActionAnswer>({ ok: true, intent: "preview", subject: rendered.subject, html: rendered.html });
    } catch (error) {
      if (error instanceof TemplateError)
        return problem("returnEmails.unrendered", { detail: liquidSaid(error.message) });
      throw error;
    }
  }
  if (body?.intent === "save") {
    const expected = body.version === undefined ? null : String(body.version);
    const result = await saveReturnEmails(db(), session.shop, body.notifications, expected);
    if (!result.ok) return json<ActionAnswer>(result, { status: "conflict" in result ? 409 : 400 });
    return json<ActionAnswer>({
      ok: true,
      intent: "save",
      notifications: result.notifications,
      version: result.version,
    });
  }
  return problem("form.error.unknownIntent");
};

export const shouldRevalidate: ShouldRevalidateFunction = ({ json, defaultShouldRevalidate }) =>
  isPreviewSubmission(json) ? false : defaultShouldRevalidate;

/** The templates as they would be stored, to tell a real change from typing the standard text back. */
const stored = (n: ReturnEmailSettings) =>
  JSON.stringify({ enabled: n.enabled, templates: normaliseReturnTemplates(n.templates).templates });

export default function ReturnEmailsPage() {
  const { notifications: saved, version: loadedVersion } = useLoaderData<typeof loader>();
  const [notifications, setNotifications] = useState<ReturnEmailSettings>(saved);
  const [baseline, setBaseline] = useState<ReturnEmailSettings>(saved);
  // The version of the emails this tab shows; each save answers the next one (see the policy page).
  const [version, setVersion] = useState(loadedVersion);
  const [email, setEmail] = useState<ReturnEmail>("requested");
  // The emails open in the admin's language: the merchant reads and edits their own first.
  const adminLanguage = useAdminLocale();
  const [language, setLanguage] = useState<Language>(LANGUAGES.find((l) => l === adminLanguage) ?? "en");
  const save = useFetcher<ActionAnswer>();
  const shopify = useAppBridge();
  const dirty = useMemo(() => stored(notifications) !== stored(baseline), [notifications, baseline]);
  const problems: PolicyProblem[] = save.data && !save.data.ok ? save.data.problems : [];
  const problemAt = useFieldProblems(problems);
  const t = useT();

  const standard = STANDARD_RETURN_EMAILS[language][email];
  const own = notifications.templates[language]?.[email];
  const template = own ?? standard;
  const customised = (l: Language, e: ReturnEmail) => {
    const t = notifications.templates[l]?.[e];
    return (
      Boolean(t) &&
      (t!.subject !== STANDARD_RETURN_EMAILS[l][e].subject || t!.body !== STANDARD_RETURN_EMAILS[l][e].body)
    );
  };
  const preview = useLivePreview({ intent: "preview", template, language, email });

  useEffect(() => {
    if (save.state !== "idle" || !save.data) return;
    if (save.data.ok && save.data.intent === "save") {
      setBaseline(save.data.notifications);
      setNotifications(save.data.notifications);
      setVersion(save.data.version);
      shopify.toast.show(t("returnEmails.saved"));
    } else if (!save.data.ok)
      shopify.toast.show(t("conflict" in save.data ? "returnEmails.conflict" : "returnEmails.needsFixing"), {
        isError: true,
      });
  }, [save.state, save.data, shopify, t]);

  const setTemplates = (next: (templates: ReturnEmailSettings["templates"]) => ReturnEmailSettings["templates"]) =>
    setNotifications((n) => ({ ...n, templates: next(n.templates) }));
  const edit = (part: "subject" | "body", value: string) =>
    setTemplates((t) => ({ ...t, [language]: { ...t[language], [email]: { ...template, [part]: value } } }));
  const reset = () =>
    setTemplates((t) => {
      const { [email]: _dropped, ...rest } = t[language] ?? {};
      return { ...t, [language]: rest };
    });
  const submit = () =>
    save.submit({ intent: "save", notifications, version } as never, { method: "post", encType: "application/json" });
  const variables = RETURN_EMAIL_VARIABLES.filter((v) => !v.emails || v.emails.includes(email)).map((v) => ({
    name: v.name,
    description: t(`returnVariable.${v.name}`),
  }));
  const edited = (name: string, yes: boolean) => (yes ? t("returnEmails.edited", { name }) : name);

  return (
    <>
      <SettingsSaveBar
        id="returns-emails-save-bar"
        dirty={dirty}
        saving={save.state !== "idle"}
        onSave={submit}
        onDiscard={() => setNotifications(baseline)}
      />
      <BlockStack gap="400">
        <NotSavedBanner
          title={t("returnEmails.notSaved")}
          problems={problems}
          stale={Boolean(save.data && "conflict" in save.data)}
        />
        <Card>
          <BlockStack gap="200">
            <Checkbox
              label={t("returnEmails.enabled")}
              helpText={t("returnEmails.enabledHelp")}
              checked={notifications.enabled}
              onChange={(enabled) => setNotifications((n) => ({ ...n, enabled }))}
            />
          </BlockStack>
        </Card>
        <InlineGrid columns={{ xs: 1, lg: "minmax(0, 3fr) minmax(0, 2fr)" }} gap="400">
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {t("returnEmails.wording")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("returnEmails.wordingHelp")}
                </Text>
              </BlockStack>
              <EmailTemplateFields
                emails={RETURN_EMAILS.map((e) => ({
                  value: e,
                  label: edited(t(`returnEmail.${e}`), customised(language, e)),
                }))}
                email={email}
                onEmailChange={(v) => setEmail(v as ReturnEmail)}
                languages={LANGUAGES.map((l) => ({
                  value: l,
                  label: edited(t(`language.${l}`), customised(l, email)),
                }))}
                language={language}
                onLanguageChange={(v) => setLanguage(v as Language)}
                template={template}
                onChange={edit}
                variables={variables}
                errors={{
                  subject: problemAt(`notifications.templates.${language}.${email}.subject`),
                  body:
                    problemAt(`notifications.templates.${language}.${email}.body`) ??
                    problemAt(`notifications.templates.${language}.${email}`),
                }}
                status={
                  <InlineStack gap="200" blockAlign="center">
                    {customised(language, email) ? (
                      <Badge tone="info">{t("returnEmails.yours")}</Badge>
                    ) : (
                      <Badge>{t("returnEmails.standard")}</Badge>
                    )}
                    <Button variant="plain" onClick={reset} disabled={!own}>
                      {t("returnEmails.reset")}
                    </Button>
                  </InlineStack>
                }
              />
              <InlineStack align="end">
                <Button variant="primary" onClick={submit} loading={save.state !== "idle"} disabled={!dirty}>
                  {t("form.save")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
          <div style={{ position: "sticky", top: 16, alignSelf: "start" }}>
            <Card>
              <BlockStack gap="200">
                <EmailPreview answer={preview.answer} loading={preview.loading} height={520} />
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("returnEmails.exampleValues")}
                </Text>
              </BlockStack>
            </Card>
          </div>
        </InlineGrid>
      </BlockStack>
    </>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
