/**
 * The pieces of a page where a merchant writes an email in Liquid: which email and language, the
 * subject and message beside the variables they can use, and a live preview that the route's
 * action renders with the mailer's own renderer. Shared by the tracking and returns emails.
 */
import { useEffect, type ReactNode } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  InlineGrid,
  InlineStack,
  List,
  Select,
  Spinner,
  Text,
  TextField,
} from "@shopify/polaris";

import { problemText } from "../locales/admin/problems";
import { useT } from "../locales/admin/use-admin-language";

import type { Shown } from "./NotSavedBanner";

export interface EmailTemplateText {
  subject: string;
  body: string;
}

export interface TemplateVariable {
  name: string;
  description: string;
}

export type EmailPreviewAnswer =
  { ok: true; intent: "preview"; subject: string; html: string } | { ok: false; problems: Shown[] };

interface Choice {
  value: string;
  label: string;
}

export function EmailTemplateFields(props: {
  emails: Choice[];
  email: string;
  onEmailChange: (email: string) => void;
  languages: Choice[];
  language: string;
  onLanguageChange: (language: string) => void;
  template: EmailTemplateText;
  onChange: (part: keyof EmailTemplateText, value: string) => void;
  variables: TemplateVariable[];
  errors?: { subject?: string; body?: string };
  /** Shown beside the choices, e.g. whether this is the merchant's wording and a way back. */
  status?: ReactNode;
}) {
  const { template, onChange, errors } = props;
  const t = useT();
  return (
    <BlockStack gap="300">
      <InlineStack gap="300" blockAlign="end" wrap>
        <Select
          label={t("emailEditor.email")}
          options={props.emails}
          value={props.email}
          onChange={props.onEmailChange}
        />
        <Select
          label={t("emailEditor.language")}
          options={props.languages}
          value={props.language}
          onChange={props.onLanguageChange}
        />
        {props.status}
      </InlineStack>
      <InlineGrid columns={{ xs: 1, md: "minmax(0, 3fr) minmax(0, 2fr)" }} gap="400">
        <BlockStack gap="300">
          <TextField
            label={t("emailEditor.subject")}
            value={template.subject}
            onChange={(v) => onChange("subject", v)}
            autoComplete="off"
            error={errors?.subject}
          />
          <TextField
            label={t("emailEditor.message")}
            value={template.body}
            onChange={(v) => onChange("body", v)}
            multiline={12}
            autoComplete="off"
            helpText={t("emailEditor.messageHelp")}
            error={errors?.body}
          />
        </BlockStack>
        <Box background="bg-surface-secondary" padding="300" borderRadius="200">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t("emailEditor.variables")}
            </Text>
            <List gap="extraTight">
              {props.variables.map((v) => (
                <List.Item key={v.name}>
                  <Text as="span" variant="bodySm">
                    <code>{`{{ ${v.name} }}`}</code> {v.description}
                  </Text>
                </List.Item>
              ))}
            </List>
          </BlockStack>
        </Box>
      </InlineGrid>
    </BlockStack>
  );
}

/**
 * Asks the route's action for a preview whenever `request` changes, once typing pauses. The
 * action answers an EmailPreviewAnswer; a newer request cancels one still on its way.
 */
export function useLivePreview(request: Record<string, unknown>, pauseMs = 400) {
  const fetcher = useFetcher<EmailPreviewAnswer>();
  const body = JSON.stringify(request);
  const { submit } = fetcher;
  useEffect(() => {
    const timer = setTimeout(() => submit(JSON.parse(body), { method: "post", encType: "application/json" }), pauseMs);
    return () => clearTimeout(timer);
  }, [body, pauseMs, submit]);
  return { answer: fetcher.data, loading: fetcher.state !== "idle" };
}

/** The email as the shopper will get it: subject, then the HTML part in a sandboxed frame. */
export function EmailPreview({
  answer,
  loading,
  height = 460,
}: {
  answer: EmailPreviewAnswer | undefined;
  loading: boolean;
  height?: number;
}) {
  const t = useT();
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h2" variant="headingMd">
          {t("emailEditor.preview")}
        </Text>
        {loading ? <Spinner size="small" accessibilityLabel={t("emailEditor.updating")} /> : null}
      </InlineStack>
      {answer && !answer.ok ? (
        <Banner tone="critical" title={t("emailEditor.cannotRender")}>
          <p>{answer.problems.map((p) => (p.key ? problemText(t, p) : p.message)).join(" ")}</p>
        </Banner>
      ) : null}
      {answer && answer.ok ? (
        <BlockStack gap="200">
          <Text as="p" variant="bodySm" tone="subdued">
            {t("emailEditor.subject")}
          </Text>
          <Text as="p" fontWeight="semibold">
            {answer.subject}
          </Text>
          <iframe
            title={t("emailEditor.previewFrame")}
            srcDoc={answer.html}
            sandbox=""
            style={{ width: "100%", height, border: "1px solid #e3e3e3", borderRadius: 8 }}
          />
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}

/** A preview request changes nothing the page loaded, so it need not reload the route's data. */
export const isPreviewSubmission = (json: unknown) =>
  typeof json === "object" && json !== null && (json as { intent?: unknown }).intent === "preview";
