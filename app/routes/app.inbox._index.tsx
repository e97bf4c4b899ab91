import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";

import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { countRequestsByStatus, listRequests } from "../models/contact.server";
import { REQUEST_STATUSES, type RequestStatus } from "../domain/contact/statuses";
import { pageRequest } from "../utils/paging.server";

/** Requests per page of the inbox. */
const PAGE_SIZE = 50;

const TOPIC_LABEL: Record<string, string> = {
  order_status: "Order status",
  return: "Return",
  product: "Product",
  other: "Other",
};
const STATUS_LABEL: Record<RequestStatus, string> = { open: "Open", waiting: "Waiting on customer", closed: "Closed" };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const status = (REQUEST_STATUSES as ReadonlyArray<string>).includes(url.searchParams.get("status") ?? "")
    ? (url.searchParams.get("status") as RequestStatus)
    : "open";
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const [page, counts] = await Promise.all([
    listRequests(db(), session.shop, { status, query }, pageRequest(url.searchParams, PAGE_SIZE)),
    countRequestsByStatus(db(), session.shop),
  ]);
  return json({
    status,
    query,
    counts,
    next: page.next,
    previous: page.previous,
    requests: page.rows.map((r) => ({
      id: r.id,
      number: r.number,
      name: r.name ?? "(erased)",
      email: r.email,
      orderName: r.orderName,
      topic: r.topic,
      lastMessageAt: r.lastMessageAt.toISOString(),
      preview: r.messages[0]?.body.slice(0, 120) ?? "",
      lastAuthor: r.messages[0]?.author ?? "customer",
    })),
  });
};

export default function Inbox() {
  const { status, query, counts, requests, next, previous } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const location = useLocation();
  const [q, setQ] = useState(query);
  const params = new URLSearchParams(location.search);
  const tabs = REQUEST_STATUSES.map((s) => ({ id: s, content: `${STATUS_LABEL[s]} (${counts[s]})` }));
  const go = (changes: Record<string, string>) => {
    const p = new URLSearchParams(params);
    // A new tab or search starts at its first page.
    if (!("after" in changes) && !("before" in changes)) {
      p.delete("after");
      p.delete("before");
    }
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    navigate(`/app/inbox?${p}`);
  };
  return (
    <Page title="Inbox" fullWidth>
      <TitleBar title="Inbox" />
      <Card padding="0">
        <Tabs
          tabs={tabs}
          selected={REQUEST_STATUSES.indexOf(status)}
          onSelect={(i) => go({ status: REQUEST_STATUSES[i] })}
        />
        <div style={{ padding: "12px 16px" }}>
          <Form
            method="get"
            onSubmit={(e) => {
              e.preventDefault();
              go({ q });
            }}
          >
            <TextField
              label="Search requests"
              labelHidden
              placeholder="Search by name, email, order or request number"
              value={q}
              onChange={setQ}
              autoComplete="off"
              clearButton
              onClearButtonClick={() => {
                setQ("");
                go({ q: "" });
              }}
            />
          </Form>
        </div>
        {requests.length === 0 ? (
          <EmptyState
            heading={query ? "No request matches" : `No ${STATUS_LABEL[status].toLowerCase()} requests`}
            image=""
          >
            <p>Messages shoppers send from the Contact block appear here.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "request", plural: "requests" }}
            itemCount={requests.length}
            selectable={false}
            headings={[
              { title: "Request" },
              { title: "From" },
              { title: "Topic" },
              { title: "Order" },
              { title: "Last message" },
            ]}
          >
            {requests.map((r, i) => (
              <IndexTable.Row id={r.id} key={r.id} position={i}>
                <IndexTable.Cell>
                  <Link to={`/app/inbox/${r.id}${location.search}`} data-primary-link>
                    <Text as="span" fontWeight="semibold">
                      #{r.number}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Text as="span">{r.name}</Text>
                    <Text as="span" tone="subdued">
                      {r.email}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge>{TOPIC_LABEL[r.topic] ?? r.topic}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.orderName ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <InlineStack gap="200" wrap={false}>
                    <Text as="span" tone="subdued">
                      {new Date(r.lastMessageAt).toLocaleString()}
                    </Text>
                    <Text as="span" truncate>
                      {r.lastAuthor === "merchant" ? "You: " : ""}
                      {r.preview}
                    </Text>
                  </InlineStack>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        {next || previous ? (
          <div style={{ padding: "12px 16px" }}>
            <InlineStack align="center">
              <Pagination
                hasPrevious={Boolean(previous)}
                onPrevious={() => go({ before: previous ?? "", after: "" })}
                hasNext={Boolean(next)}
                onNext={() => go({ after: next ?? "", before: "" })}
              />
            </InlineStack>
          </div>
        ) : null}
      </Card>
    </Page>
  );
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
