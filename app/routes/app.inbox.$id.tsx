import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";

import { db } from "../db.server";
import { env } from "../env.server";
import { authenticate } from "../shopify.server";
import { getRequest } from "../models/contact.server";
import { orderContext } from "../services/contact/context.server";
import { closeRequest, ContactError, reopenRequest, replyToRequest } from "../services/contact/requests.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const found = await getRequest(db(), session.shop, params.id ?? "");
  if (!found) throw json({ message: "That request does not exist." }, { status: 404 });
  const context = await orderContext(db(), session.shop, found);
  return json({
    request: {
      id: found.id,
      number: found.number,
      status: found.status,
      topic: found.topic,
      name: found.name,
      email: found.email,
      orderName: found.orderName,
      createdAt: found.createdAt.toISOString(),
      firstResponseMinutes: found.firstResponseMinutes,
      messages: found.messages.map((m) => ({
        id: m.id,
        author: m.author,
        body: m.body,
        at: m.createdAt.toISOString(),
      })),
    },
    context,
  });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const deps = { db: db(), secret: env().SHOPIFY_API_SECRET, now: new Date() };
  try {
    if (intent === "reply") {
      await replyToRequest(deps, session.shop, params.id ?? "", String(form.get("body") ?? ""));
      return json({ ok: true, message: "Reply sent" });
    }
    if (intent === "close") {
      const { surveyed } = await closeRequest(deps, session.shop, params.id ?? "");
      return json({ ok: true, message: surveyed ? "Closed; survey sent" : "Closed" });
    }
    if (intent === "reopen") {
      await reopenRequest(deps.db, session.shop, params.id ?? "", deps.now);
      return json({ ok: true, message: "Reopened" });
    }
    return json({ ok: false, message: "Unknown action." }, { status: 400 });
  } catch (error) {
    if (error instanceof ContactError) return json({ ok: false, message: error.message }, { status: error.status });
    throw error;
  }
};

const STATUS_TONE = { open: "attention", waiting: "info", closed: undefined } as const;
const STATUS_LABEL: Record<string, string> = { open: "Open", waiting: "Waiting on customer", closed: "Closed" };

function money(minor: number, currency: string) {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(minor / 100);
}

export default function RequestPage() {
  const { request: r, context } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const [body, setBody] = useState("");
  const busy = nav.state !== "idle";
  useEffect(() => {
    if (result?.ok) {
      setBody("");
      if (typeof shopify !== "undefined") shopify.toast.show(result.message);
    }
  }, [result]);
  return (
    <Page
      title={`Request #${r.number}`}
      titleMetadata={
        <Badge tone={STATUS_TONE[r.status as keyof typeof STATUS_TONE]}>{STATUS_LABEL[r.status] ?? r.status}</Badge>
      }
      backAction={{ content: "Inbox", url: "/app/inbox" }}
    >
      <TitleBar title={`Request #${r.number}`} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && !result.ok ? <Banner tone="critical">{result.message}</Banner> : null}
            <Card>
              <BlockStack gap="400">
                {r.messages.map((m) => (
                  <Box
                    key={m.id}
                    padding="300"
                    background={m.author === "merchant" ? "bg-surface-info" : "bg-surface-secondary"}
                    borderRadius="200"
                  >
                    <BlockStack gap="100">
                      <Text as="p" tone="subdued" variant="bodySm">
                        {m.author === "merchant" ? "You" : (r.name ?? "Customer")} · {new Date(m.at).toLocaleString()}
                      </Text>
                      <Text as="p">
                        <span style={{ whiteSpace: "pre-wrap" }}>{m.body}</span>
                      </Text>
                    </BlockStack>
                  </Box>
                ))}
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <input type="hidden" name="intent" value="reply" />
                  <TextField
                    label={`Reply to ${r.email ?? "customer"}`}
                    name="body"
                    value={body}
                    onChange={setBody}
                    multiline={5}
                    autoComplete="off"
                    maxLength={10000}
                  />
                  <InlineStack gap="200" align="end">
                    <Button submit variant="primary" loading={busy} disabled={!r.email}>
                      Send reply
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
                  Customer
                </Text>
                <Text as="p">{r.name ?? "(erased)"}</Text>
                <Text as="p" tone="subdued">
                  {r.email ?? ""}
                </Text>
                <Text as="p" tone="subdued">
                  First response:{" "}
                  {r.firstResponseMinutes === null ? "not yet" : `${r.firstResponseMinutes} business min`}
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value={r.status === "closed" ? "reopen" : "close"} />
                  <Button submit loading={busy}>
                    {r.status === "closed" ? "Reopen" : "Close request"}
                  </Button>
                </Form>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Order {context.order?.name ?? r.orderName ?? ""}
                </Text>
                {context.order ? (
                  <>
                    <Text as="p">
                      {money(context.order.totalMinor, context.order.currency)} · placed{" "}
                      {new Date(context.order.placedAt).toLocaleDateString()}
                      {context.order.cancelled ? " · cancelled" : ""}
                    </Text>
                    <Text as="p" tone="subdued">
                      {context.order.items.join(", ")}
                    </Text>
                    <Text as="h3" variant="headingXs">
                      Shipments
                    </Text>
                    {context.shipments.length === 0 ? (
                      <Text as="p" tone="subdued">
                        Not shipped yet ({context.order.fulfillmentStatus})
                      </Text>
                    ) : null}
                    {context.shipments.map((s, i) => (
                      // eslint-disable-next-line react/no-array-index-key -- read-only, in the order loaded
                      <InlineStack key={i} gap="200" blockAlign="center">
                        <Badge tone={s.problem ? "critical" : s.status === "delivered" ? "success" : "info"}>
                          {(s.problem ?? s.status).replace(/_/g, " ")}
                        </Badge>
                        <Text as="span" tone="subdued">
                          {[s.carrier, s.trackingNumber].filter(Boolean).join(" ")}
                        </Text>
                      </InlineStack>
                    ))}
                    <Text as="h3" variant="headingXs">
                      Returns
                    </Text>
                    {context.returns.length === 0 ? (
                      <Text as="p" tone="subdued">
                        None
                      </Text>
                    ) : null}
                    {context.returns.map((x, i) => (
                      // eslint-disable-next-line react/no-array-index-key -- read-only, in the order loaded
                      <Text as="p" key={i}>
                        {x.name ?? "Return"}: {x.status.toLowerCase()} ({x.quantity} items)
                      </Text>
                    ))}
                    {context.refunds.map((x, i) => (
                      // eslint-disable-next-line react/no-array-index-key -- read-only, in the order loaded
                      <Text as="p" key={i} tone="subdued">
                        Refunded {money(x.amountMinor, x.currency)}
                      </Text>
                    ))}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {r.orderName ? "The order number did not match this customer's orders." : "No order given."}
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
