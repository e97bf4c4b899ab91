import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useEffect, useRef, useState } from "react";

import { AutoDirection } from "../components/AutoDirection";
import { useChatEvents } from "../components/useChatEvents";
import { db } from "../db.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";
import { getRequest } from "../models/contact.server";
import { shopProfile } from "../models/shop.server";
import { listStaffMembers } from "../models/staff.server";
import { orderContext } from "../services/contact/context.server";
import { chatBus } from "../services/contact/chat-bus.server";
import { markChatDelivered, relayAgentTyping } from "../services/contact/chat.server";
import {
  addInternalNote,
  assignContactRequest,
  closeRequest,
  ContactError,
  reopenRequest,
  replyToRequest,
} from "../services/contact/requests.server";
import { listSavedReplies, renderSavedReply } from "../services/contact/saved-replies.server";
import { actingStaff, staffName } from "../services/staff.server";
import type { AdminMessageKey } from "../locales/admin";
import { codeLabel } from "../locales/admin/codes";
import { useAdminLocale, useT } from "../locales/admin/use-admin-language";
import { formatShopTime } from "../utils/format";

function staffDeps() {
  const config = env();
  return { db: db(), apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET, now: new Date() };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const found = await getRequest(db(), shop, params.id ?? "");
  if (!found) throw json({ message: "That request does not exist." }, { status: 404 });
  const me = await actingStaff(staffDeps(), request, auth);
  const [context, staff, savedReplies, profile] = await Promise.all([
    orderContext(db(), shop, found),
    listStaffMembers(db(), shop),
    listSavedReplies(db(), shop),
    shopProfile(db(), shop),
  ]);
  const names = new Map(staff.map((m) => [m.userId, staffName(m)]));
  // An agent who opens a chat has seen the shopper's messages: the shopper sees them delivered.
  const lastSeq = Math.max(0, ...found.messages.map((m) => m.seq ?? 0));
  if (found.channel === "chat" && lastSeq) {
    await markChatDelivered(
      { db: db(), secret: env().SHOPIFY_API_SECRET, bus: chatBus(), now: new Date() },
      shop,
      found.id,
      "merchant",
      lastSeq,
    );
  }
  return json({
    request: {
      id: found.id,
      number: found.number,
      status: found.status,
      channel: found.channel,
      // The shopper asked the chat assistant for a person (docs/decisions/0041).
      handedOver: found.handedOverAt !== null,
      topic: found.topic,
      name: found.name,
      email: found.email,
      locale: found.locale,
      orderName: found.orderName,
      createdAt: found.createdAt.toISOString(),
      firstResponseMinutes: found.firstResponseMinutes,
      assignee: found.assigneeUserId
        ? { userId: found.assigneeUserId, name: names.get(found.assigneeUserId) ?? null }
        : null,
      messages: found.messages.map((m) => ({
        id: m.id,
        author: m.author as "customer" | "merchant" | "note" | "assistant",
        staff: m.staffUserId ? (names.get(m.staffUserId) ?? null) : null,
        body: m.body,
        at: m.createdAt.toISOString(),
      })),
    },
    me: me ? { userId: me.userId } : null,
    staff: staff.map((m) => ({ userId: m.userId, name: staffName(m) })),
    savedReplies: savedReplies.map((r) => ({ id: r.id, title: r.title })),
    timeZone: profile.timeZone,
    context,
  });
};

type ActionAnswer =
  | { ok: true; intent: string; message: AdminMessageKey }
  | { ok: true; intent: "insertSavedReply"; inserted: { text: string; language: string; empty: string[] } }
  | { ok: false; intent: string; error: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = auth.session.shop;
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const deps = { db: db(), secret: env().SHOPIFY_API_SECRET, now: new Date() };
  const answer = (body: ActionAnswer, status = 200) => json<ActionAnswer>(body, { status });
  try {
    if (intent === "reply") {
      const me = await actingStaff(staffDeps(), request, auth);
      await replyToRequest(deps, shop, id, String(form.get("body") ?? ""), me?.userId ?? null);
      return answer({ ok: true, intent, message: "inbox.said.replySent" });
    }
    if (intent === "typing") {
      // The shopper sees that someone types, with the agent's first name.
      const me = await actingStaff(staffDeps(), request, auth);
      await relayAgentTyping({ ...deps, bus: chatBus() }, shop, id, me?.name?.split(" ")[0] ?? null);
      return answer({ ok: true, intent, message: "inbox.chat.badge" });
    }
    if (intent === "note") {
      const me = await actingStaff(staffDeps(), request, auth);
      await addInternalNote(deps, shop, id, String(form.get("body") ?? ""), me?.userId ?? null);
      return answer({ ok: true, intent, message: "inbox.said.noteAdded" });
    }
    if (intent === "assign") {
      const asked = String(form.get("assignee") ?? "");
      let assignee: string | null = asked || null;
      if (asked === "me") {
        const me = await actingStaff(staffDeps(), request, auth);
        if (!me)
          return answer({ ok: false, intent, error: "The admin did not say who you are; reload the page." }, 400);
        assignee = me.userId;
      }
      await assignContactRequest(deps.db, shop, id, assignee);
      return answer({ ok: true, intent, message: assignee ? "inbox.said.assigned" : "inbox.said.unassigned" });
    }
    if (intent === "insertSavedReply") {
      const found = await getRequest(deps.db, shop, id);
      if (!found) throw new ContactError("That request does not exist.", 404);
      const inserted = await renderSavedReply(deps, shop, String(form.get("savedReplyId") ?? ""), {
        locale: found.locale,
        name: found.name,
        number: found.number,
        orderShopifyId: found.orderShopifyId,
        customerShopifyId: found.customerShopifyId,
      });
      return answer({ ok: true, intent, inserted });
    }
    if (intent === "close") {
      const { surveyed } = await closeRequest(deps, shop, id);
      return answer({ ok: true, intent, message: surveyed ? "inbox.said.closedSurveyed" : "inbox.said.closed" });
    }
    if (intent === "reopen") {
      await reopenRequest(deps.db, shop, id, deps.now);
      return answer({ ok: true, intent, message: "inbox.said.reopened" });
    }
    return answer({ ok: false, intent, error: "Unknown action." }, 400);
  } catch (error) {
    if (error instanceof ContactError) return answer({ ok: false, intent, error: error.message }, error.status);
    throw error;
  }
};

const STATUS_TONE = { open: "attention", waiting: "info", closed: undefined } as const;
const STATUS_KEY: Record<string, AdminMessageKey> = {
  open: "inbox.status.open",
  waiting: "inbox.status.waiting",
  closed: "inbox.status.closed",
};
const LANGUAGE_KEY: Record<string, AdminMessageKey> = {
  en: "inbox.language.en",
  ko: "inbox.language.ko",
  ja: "inbox.language.ja",
  fa: "inbox.language.fa",
};

function money(minor: number, currency: string, locale: string) {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 100);
}

/** A typing preview with no news for this long is cleared: the shopper stopped (or left). */
const PREVIEW_QUIET_MS = 6000;

export default function RequestPage() {
  const { request: r, context, me, staff, savedReplies, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const t = useT();
  const locale = useAdminLocale();
  const insert = useFetcher<typeof action>();
  const typingFetcher = useFetcher<typeof action>();
  const typedAt = useRef(0);
  const revalidator = useRevalidator();
  const [preview, setPreview] = useState<string | null>(null);
  const previewTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(previewTimer.current), []);
  const isChat = r.channel === "chat";
  // A chat updates without a reload; what the shopper types shows before they send it.
  useChatEvents((e) => {
    if (!isChat || e.conversationId !== r.id) return;
    if (e.kind === "typing" && e.from === "customer") {
      setPreview(e.preview || null);
      // A shopper who stops typing sends nothing more: the preview goes after a few quiet seconds.
      clearTimeout(previewTimer.current);
      previewTimer.current = setTimeout(() => setPreview(null), PREVIEW_QUIET_MS);
    }
    if (e.kind === "message" || e.kind === "status") {
      if (e.from === "customer") setPreview(null);
      revalidator.revalidate();
    }
  });
  const [mode, setMode] = useState<"reply" | "note">("reply");
  const [body, setBody] = useState("");
  const [picked, setPicked] = useState("");
  const [assignTo, setAssignTo] = useState(r.assignee?.userId ?? "");
  const busy = nav.state !== "idle";
  const when = (at: string) => formatShopTime(at, timeZone, locale);
  const staffLabel = (name: string | null) => name ?? t("inbox.staff.unnamed");

  const [inserted, setInserted] = useState<{ language: string; empty: string[] } | null>(null);
  useEffect(() => {
    if (result?.ok && "message" in result && result.intent !== "typing") {
      if (result.intent === "reply" || result.intent === "note") {
        setBody("");
        setInserted(null);
      }
      if (typeof shopify !== "undefined") shopify.toast.show(t(result.message));
    }
  }, [result, t]);
  useEffect(() => {
    const data = insert.data;
    if (data?.ok && "inserted" in data) {
      setBody((current) => (current.trim() ? `${current.trimEnd()}\n\n${data.inserted.text}` : data.inserted.text));
      setInserted({ language: data.inserted.language, empty: data.inserted.empty });
    }
  }, [insert.data]);
  useEffect(() => setAssignTo(r.assignee?.userId ?? ""), [r.assignee?.userId]);

  const insertError = insert.data && !insert.data.ok ? insert.data.error : null;
  const failed = result && !result.ok ? result : null;

  return (
    <Page
      title={t("inbox.request.title", { number: String(r.number) })}
      titleMetadata={
        <InlineStack gap="200">
          <Badge tone={STATUS_TONE[r.status as keyof typeof STATUS_TONE]}>
            {STATUS_KEY[r.status] ? t(STATUS_KEY[r.status]) : r.status}
          </Badge>
          {isChat ? <Badge tone="success">{t("inbox.chat.badge")}</Badge> : null}
          {r.channel === "email" ? <Badge tone="info">{t("inbox.email.badge")}</Badge> : null}
          {r.handedOver ? <Badge tone="attention">{t("inbox.chat.handedOver")}</Badge> : null}
        </InlineStack>
      }
      backAction={{ content: t("nav.inbox"), url: "/app/inbox" }}
    >
      <TitleBar title={t("inbox.request.title", { number: String(r.number) })} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {failed && failed.intent !== "note" && failed.intent !== "reply" ? (
              <Banner tone="critical">{failed.error}</Banner>
            ) : null}
            <Card>
              <BlockStack gap="400">
                {r.messages.map((m) => (
                  <Box
                    key={m.id}
                    padding="300"
                    background={
                      m.author === "note"
                        ? "bg-surface-warning"
                        : m.author === "merchant"
                          ? "bg-surface-info"
                          : m.author === "assistant"
                            ? "bg-surface-magic"
                            : "bg-surface-secondary"
                    }
                    borderRadius="200"
                    borderWidth={m.author === "note" ? "025" : undefined}
                    borderColor={m.author === "note" ? "border-caution" : undefined}
                  >
                    <BlockStack gap="100">
                      <InlineStack gap="200" blockAlign="center" wrap>
                        {m.author === "note" ? <Badge tone="warning">{t("inbox.note.badge")}</Badge> : null}
                        <Text as="p" tone="subdued" variant="bodySm">
                          {m.author === "customer"
                            ? (r.name ?? t("inbox.customer"))
                            : m.author === "assistant"
                              ? t("inbox.chat.assistant")
                              : staffLabel(m.staff)}{" "}
                          · {when(m.at)}
                        </Text>
                      </InlineStack>
                      <Text as="p" breakWord>
                        <span dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", display: "block" }}>
                          {m.body}
                        </span>
                      </Text>
                    </BlockStack>
                  </Box>
                ))}
                {isChat && preview ? (
                  <Box padding="300" borderRadius="200" borderWidth="025" borderColor="border" aria-live="polite">
                    <Text as="p" tone="subdued">
                      <span dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                        {t("inbox.chat.typing", { text: preview })}
                      </span>
                    </Text>
                  </Box>
                ) : null}
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center" wrap>
                    <ButtonGroup variant="segmented">
                      <Button pressed={mode === "reply"} onClick={() => setMode("reply")}>
                        {t("inbox.compose.reply")}
                      </Button>
                      <Button pressed={mode === "note"} onClick={() => setMode("note")}>
                        {t("inbox.compose.note")}
                      </Button>
                    </ButtonGroup>
                    {mode === "reply" ? (
                      savedReplies.length ? (
                        <Select
                          label={t("inbox.savedReply.insert")}
                          labelInline
                          options={[
                            { label: t("inbox.savedReply.choose"), value: "" },
                            ...savedReplies.map((s) => ({ label: s.title, value: s.id })),
                          ]}
                          value={picked}
                          onChange={(value) => {
                            setPicked(value);
                            if (value)
                              insert.submit({ intent: "insertSavedReply", savedReplyId: value }, { method: "post" });
                            setPicked("");
                          }}
                        />
                      ) : (
                        <Link url="/app/inbox/replies">{t("inbox.savedReply.create")}</Link>
                      )
                    ) : null}
                  </InlineStack>
                  <input type="hidden" name="intent" value={mode} />
                  <AutoDirection>
                    <TextField
                      label={
                        mode === "note"
                          ? t("inbox.note.label")
                          : isChat
                            ? t("inbox.chat.replyLabel")
                            : t("inbox.reply.label", { email: r.email ?? t("inbox.customer") })
                      }
                      helpText={
                        mode === "note"
                          ? t("inbox.note.help")
                          : inserted
                            ? t("inbox.savedReply.insertedIn", { language: t(LANGUAGE_KEY[inserted.language]) })
                            : t(isChat ? "inbox.chat.replyHelp" : "inbox.reply.help", {
                                language: t(LANGUAGE_KEY[r.locale] ?? "inbox.language.en"),
                              })
                      }
                      name="body"
                      value={body}
                      onChange={(value) => {
                        setBody(value);
                        if (isChat && mode === "reply" && Date.now() - typedAt.current > 2000) {
                          typedAt.current = Date.now();
                          typingFetcher.submit({ intent: "typing" }, { method: "post" });
                        }
                      }}
                      multiline={5}
                      autoComplete="off"
                      maxLength={10000}
                      error={
                        failed && failed.intent === mode
                          ? failed.error
                          : mode === "reply"
                            ? (insertError ?? undefined)
                            : undefined
                      }
                    />
                  </AutoDirection>
                  {mode === "reply" && inserted?.empty.length ? (
                    <Banner tone="warning">
                      {t("inbox.savedReply.empty", { names: inserted.empty.map((n) => `{{ ${n} }}`).join(", ") })}
                    </Banner>
                  ) : null}
                  <InlineStack gap="200" align="end">
                    <Button submit variant="primary" loading={busy} disabled={mode === "reply" && !r.email && !isChat}>
                      {mode === "note" ? t("inbox.note.add") : t("inbox.reply.send")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  {t("inbox.assignee.heading")}
                </Text>
                <Text as="p">
                  {r.assignee ? staffLabel(r.assignee.name) : t("inbox.assignee.none")}
                  {r.assignee && me && r.assignee.userId === me.userId ? ` (${t("inbox.assignee.you")})` : ""}
                </Text>
                <Form method="post">
                  <BlockStack gap="200">
                    <input type="hidden" name="intent" value="assign" />
                    {staff.length ? (
                      <Select
                        label={t("inbox.assignee.choose")}
                        name="assignee"
                        options={[
                          { label: t("inbox.assignee.none"), value: "" },
                          ...staff.map((s) => ({ label: staffLabel(s.name), value: s.userId })),
                        ]}
                        value={assignTo}
                        onChange={setAssignTo}
                      />
                    ) : null}
                    {staff.length ? (
                      <InlineStack>
                        <Button submit loading={busy} disabled={assignTo === (r.assignee?.userId ?? "")}>
                          {t("inbox.assignee.save")}
                        </Button>
                      </InlineStack>
                    ) : null}
                  </BlockStack>
                </Form>
                {me && r.assignee?.userId !== me.userId ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="assign" />
                    <input type="hidden" name="assignee" value="me" />
                    <Button submit variant="plain" loading={busy}>
                      {t("inbox.assignee.me")}
                    </Button>
                  </Form>
                ) : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  {t("inbox.customer")}
                </Text>
                <Text as="p" breakWord>
                  {r.name ?? (isChat ? t("inbox.chat.visitor") : t("inbox.erased"))}
                </Text>
                <Text as="p" tone="subdued" breakWord>
                  {r.email ?? ""}
                </Text>
                <Text as="p" tone="subdued">
                  {t("inbox.language", { language: t(LANGUAGE_KEY[r.locale] ?? "inbox.language.en") })}
                </Text>
                <Text as="p" tone="subdued">
                  {r.firstResponseMinutes === null
                    ? t("inbox.firstResponse.none")
                    : t("inbox.firstResponse.minutes", { count: r.firstResponseMinutes })}
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value={r.status === "closed" ? "reopen" : "close"} />
                  <Button submit loading={busy}>
                    {r.status === "closed" ? t("inbox.reopen") : t("inbox.close")}
                  </Button>
                </Form>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  {t("inbox.order.heading", { name: context.order?.name ?? r.orderName ?? "" })}
                </Text>
                {context.order ? (
                  <>
                    <Text as="p">
                      {money(context.order.paidMinor, context.order.currency, locale)} ·{" "}
                      {t("inbox.order.placed", {
                        date: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(
                          new Date(context.order.placedAt),
                        ),
                      })}
                      {context.order.refundedMinor > 0
                        ? ` · ${t("order.refunded", {
                            amount: money(context.order.refundedMinor, context.order.currency, locale),
                          })}`
                        : ""}
                      {context.order.cancelled ? ` · ${t("inbox.order.cancelled")}` : ""}
                    </Text>
                    <Text as="p" tone="subdued" breakWord>
                      {context.order.items.join(", ")}
                    </Text>
                    <Text as="h3" variant="headingXs">
                      {t("inbox.order.shipments")}
                    </Text>
                    {context.shipments.length === 0 ? (
                      <Text as="p" tone="subdued">
                        {t("inbox.order.notShipped")}
                      </Text>
                    ) : null}
                    {context.shipments.map((s, i) => (
                      // eslint-disable-next-line react/no-array-index-key -- read-only, in the order loaded
                      <InlineStack key={i} gap="200" blockAlign="center">
                        <Badge tone={s.problem ? "critical" : s.status === "delivered" ? "success" : "info"}>
                          {codeLabel(t, "shipmentStatus", s.problem ?? s.status)}
                        </Badge>
                        <Text as="span" tone="subdued">
                          {[s.carrier, s.trackingNumber].filter(Boolean).join(" ")}
                        </Text>
                      </InlineStack>
                    ))}
                    <Text as="h3" variant="headingXs">
                      {t("inbox.order.returns")}
                    </Text>
                    {context.returns.length === 0 ? (
                      <Text as="p" tone="subdued">
                        {t("inbox.order.noReturns")}
                      </Text>
                    ) : null}
                    {context.returns.map((x, i) => (
                      // eslint-disable-next-line react/no-array-index-key -- read-only, in the order loaded
                      <Text as="p" key={i}>
                        {x.name ?? t("inbox.order.return")}: {codeLabel(t, "shopifyReturnStatus", x.status)} ·{" "}
                        {t("inbox.order.returnItems", { count: x.quantity })}
                      </Text>
                    ))}
                    {context.refunds.map((x, i) => (
                      // eslint-disable-next-line react/no-array-index-key -- read-only, in the order loaded
                      <Text as="p" key={i} tone="subdued">
                        {t("inbox.order.refunded", { amount: money(x.amountMinor, x.currency, locale) })}
                      </Text>
                    ))}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {r.orderName ? t("inbox.order.noMatch") : t("inbox.order.none")}
                  </Text>
                )}
                {context.extra.map((e) =>
                  e.facts.map((f) => (
                    <InlineStack key={`${e.area}-${f.label}`} gap="200">
                      <Text as="span" tone="subdued">
                        {f.label}
                      </Text>
                      <Badge tone={f.tone}>{f.value}</Badge>
                    </InlineStack>
                  )),
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
