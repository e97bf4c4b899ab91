import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  ResourceItem,
  ResourceList,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";

import { AutoDirection } from "../components/AutoDirection";
import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { LANGUAGES, type Language } from "../domain/contact/settings";
import {
  SAVED_REPLY_BODY_MAX,
  SAVED_REPLY_PLACEHOLDERS,
  SAVED_REPLY_TITLE_MAX,
  savedReplyInputFrom,
} from "../domain/contact/saved-replies";
import { ContactError } from "../services/contact/requests.server";
import { deleteSavedReply, listSavedReplies, saveSavedReply } from "../services/contact/saved-replies.server";
import type { AdminMessageKey } from "../locales/admin";
import { problemText, type FieldProblem } from "../locales/admin/problems";
import { useT } from "../locales/admin/use-admin-language";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ replies: await listSavedReplies(db(), session.shop) });
};

type ActionAnswer =
  | { ok: true; intent: "save" | "delete"; id?: string }
  | { ok: false; intent: string; problems: FieldProblem[]; error?: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  const id = String(form.get("id") ?? "") || undefined;
  try {
    if (intent === "delete") {
      await deleteSavedReply(db(), session.shop, id ?? "");
      return json<ActionAnswer>({ ok: true, intent });
    }
    if (intent === "save") {
      const saved = await saveSavedReply(db(), session.shop, { id, ...savedReplyInputFrom(form) });
      if (!saved.ok) return json<ActionAnswer>({ ok: false, intent, problems: saved.problems }, { status: 400 });
      return json<ActionAnswer>({ ok: true, intent, id: saved.id });
    }
    return json<ActionAnswer>({ ok: false, intent, problems: [], error: "Unknown action." }, { status: 400 });
  } catch (error) {
    if (error instanceof ContactError)
      return json<ActionAnswer>({ ok: false, intent, problems: [], error: error.message }, { status: error.status });
    throw error;
  }
};

const BODY_LABEL: Record<Language, AdminMessageKey> = {
  en: "field.savedReply.bodies.en",
  ko: "field.savedReply.bodies.ko",
  ja: "field.savedReply.bodies.ja",
  fa: "field.savedReply.bodies.fa",
};

type Draft = { title: string } & Record<Language, string>;
const EMPTY: Draft = { title: "", en: "", ko: "", ja: "", fa: "" };

export default function SavedReplies() {
  const { replies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const editing = replies.find((r) => r.id === params.get("edit")) ?? null;
  const [draft, setDraft] = useState<Draft>(EMPTY);
  useEffect(() => {
    setDraft(editing ? { ...EMPTY, ...editing.bodies, title: editing.title } : EMPTY);
  }, [editing]);
  useEffect(() => {
    if (result?.ok) {
      if (typeof shopify !== "undefined")
        shopify.toast.show(t(result.intent === "delete" ? "savedReplies.deleted" : "savedReplies.saved"));
      if (result.intent === "save" && !editing) setDraft(EMPTY);
      if (result.intent === "delete" && editing) setParams({});
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when an answer arrives
  }, [result]);
  const problems = result && !result.ok ? result.problems : [];
  const errorOf = (path: string) => {
    const p = problems.find((x) => x.path === path);
    return p ? problemText(t, p) : undefined;
  };
  const busy = nav.state !== "idle";
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  return (
    <Page title={t("inbox.savedReplies")} backAction={{ content: t("nav.inbox"), url: "/app/inbox" }}>
      <TitleBar title={t("inbox.savedReplies")} />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {replies.length === 0 ? (
              <EmptyState heading={t("savedReplies.empty")} image="">
                <p>{t("savedReplies.emptyHelp")}</p>
              </EmptyState>
            ) : (
              <ResourceList
                resourceName={{ singular: t("savedReplies.one"), plural: t("savedReplies.other") }}
                items={replies}
                renderItem={(r) => (
                  <ResourceItem
                    id={r.id}
                    url={`/app/inbox/replies?edit=${r.id}`}
                    accessibilityLabel={t("savedReplies.edit", { title: r.title })}
                  >
                    <BlockStack gap="100">
                      <Text as="h3" fontWeight="semibold" breakWord>
                        {r.title}
                      </Text>
                      <Text as="p" tone="subdued" truncate>
                        {r.bodies.en ?? ""}
                      </Text>
                      <Text as="p" tone="subdued" variant="bodySm">
                        {LANGUAGES.filter((l) => r.bodies[l])
                          .map((l) => t(`inbox.language.${l}`))
                          .join(" · ")}
                      </Text>
                    </BlockStack>
                  </ResourceItem>
                )}
              />
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  {editing ? t("savedReplies.editHeading") : t("savedReplies.new")}
                </Text>
                {result && !result.ok && (result.error || problems.length) ? (
                  <Banner tone="critical">
                    {result.error ?? t("form.notSaved.count", { count: problems.length })}
                  </Banner>
                ) : null}
                <input type="hidden" name="intent" value="save" />
                {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
                <FormLayout>
                  <TextField
                    label={t("field.savedReply.title")}
                    name="title"
                    value={draft.title}
                    onChange={set("title")}
                    autoComplete="off"
                    maxLength={SAVED_REPLY_TITLE_MAX}
                    error={errorOf("title")}
                  />
                  {LANGUAGES.map((language) => (
                    <AutoDirection key={language}>
                      <TextField
                        label={t(BODY_LABEL[language])}
                        name={`body.${language}`}
                        value={draft[language]}
                        onChange={set(language)}
                        multiline={language === "en" ? 5 : 3}
                        autoComplete="off"
                        maxLength={SAVED_REPLY_BODY_MAX}
                        error={errorOf(`body.${language}`)}
                        helpText={language === "en" ? undefined : t("savedReplies.fallback")}
                      />
                    </AutoDirection>
                  ))}
                </FormLayout>
                <Box>
                  <Text as="p" tone="subdued" variant="bodySm">
                    {t("savedReplies.placeholders")}
                  </Text>
                  <List type="bullet">
                    {SAVED_REPLY_PLACEHOLDERS.map((p) => (
                      <List.Item key={p}>
                        <code>{`{{ ${p} }}`}</code>
                      </List.Item>
                    ))}
                  </List>
                </Box>
                <InlineStack gap="200" align="end">
                  {editing ? (
                    <Button url="/app/inbox/replies" variant="plain">
                      {t("savedReplies.cancel")}
                    </Button>
                  ) : null}
                  <Button submit variant="primary" loading={busy}>
                    {t("savedReplies.save")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
            {editing ? (
              <Box paddingBlockStart="300">
                <Form method="post">
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="id" value={editing.id} />
                  <Button submit tone="critical" variant="plain" loading={busy}>
                    {t("savedReplies.delete")}
                  </Button>
                </Form>
              </Box>
            ) : null}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
