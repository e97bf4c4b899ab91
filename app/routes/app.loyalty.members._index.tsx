import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { listMembers } from "../services/loyalty/admin.server";
import { loadLoyaltySettings } from "../services/loyalty/settings.server";
import { shopProfile } from "../models/shop.server";
import { formatShopTime } from "../utils/format";

const wholeOrNull = (value: string | null) => (value && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : null);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const p = url.searchParams;
  const [result, settings, profile] = await Promise.all([
    listMembers(db(), session.shop, {
      query: p.get("query")?.slice(0, 100) ?? null,
      tier: p.get("tier") || null,
      minPoints: wholeOrNull(p.get("min")),
      maxPoints: wholeOrNull(p.get("max")),
      page: wholeOrNull(p.get("page")) ?? 1,
    }),
    loadLoyaltySettings(db(), session.shop),
    shopProfile(db(), session.shop),
  ]);
  const tierNames = Object.fromEntries(settings.tiers.map((t) => [t.key, t.name]));
  return json({
    ...result,
    tiers: settings.tiers.map((t) => ({ key: t.key, name: t.name })),
    currencyName: settings.currencyName.en,
    members: result.members.map((m) => ({
      id: m.id,
      who: m.email ?? "(no email)",
      customerId: m.customerShopifyId?.split("/").pop() ?? null,
      guest: m.key.startsWith("e:"),
      tier: m.tierKey ? (tierNames[m.tierKey] ?? m.tierKey) : null,
      points: m.points,
      lifetimePoints: m.lifetimePoints,
      lastActivity: formatShopTime(m.lastActivityAt, profile.timeZone),
    })),
  });
};

export default function LoyaltyMembersPage() {
  const { members, total, page, pages, tiers, currencyName } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [query, setQuery] = useState(params.get("query") ?? "");
  const [min, setMin] = useState(params.get("min") ?? "");
  const [max, setMax] = useState(params.get("max") ?? "");

  const apply = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  };
  const pointsProblem = (v: string) => (v && !/^\d{1,9}$/.test(v.trim()) ? "Whole points, 0 or more" : undefined);

  return (
    <BlockStack gap="400">
      <Card>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!pointsProblem(min) && !pointsProblem(max))
              apply({ query: query.trim(), min: min.trim(), max: max.trim() });
          }}
        >
          <InlineStack gap="300" blockAlign="end" wrap>
            <Box minWidth="260px">
              <TextField
                label="Search"
                placeholder="Email (or its beginning) or customer ID"
                value={query}
                onChange={setQuery}
                autoComplete="off"
                clearButton
                onClearButtonClick={() => {
                  setQuery("");
                  apply({ query: "" });
                }}
              />
            </Box>
            <Select
              label="Tier"
              options={[
                { label: "Any tier", value: "" },
                { label: "No tier", value: "none" },
                ...tiers.map((t) => ({ label: t.name, value: t.key })),
              ]}
              value={params.get("tier") ?? ""}
              onChange={(v) => apply({ tier: v })}
            />
            <Box maxWidth="140px">
              <TextField
                label="Balance from"
                type="number"
                min={0}
                value={min}
                onChange={setMin}
                autoComplete="off"
                error={pointsProblem(min)}
              />
            </Box>
            <Box maxWidth="140px">
              <TextField
                label="to"
                type="number"
                min={0}
                value={max}
                onChange={setMax}
                autoComplete="off"
                error={pointsProblem(max)}
              />
            </Box>
            <Button submit>Search</Button>
          </InlineStack>
        </form>
      </Card>
      <Card padding="0">
        {members.length === 0 ? (
          <EmptyState heading={params.toString() ? "No members match" : "No members yet"} image="">
            <p>
              {params.toString()
                ? "Try a different search or clear the filters."
                : "Shoppers become members with their first paid order or when they create an account."}
            </p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "member", plural: "members" }}
            itemCount={members.length}
            selectable={false}
            headings={[
              { title: "Member" },
              { title: "Tier" },
              { title: `Balance (${currencyName})`, alignment: "end" },
              { title: "Earned in total", alignment: "end" },
              { title: "Last activity" },
            ]}
          >
            {members.map((m, index) => (
              <IndexTable.Row
                id={m.id}
                key={m.id}
                position={index}
                onClick={() => navigate(`/app/loyalty/members/${m.id}`)}
              >
                <IndexTable.Cell>
                  <BlockStack>
                    <Text as="span" fontWeight="semibold">
                      {m.who}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {m.guest ? "Guest (no account yet)" : `Customer ${m.customerId}`}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{m.tier ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {m.points.toLocaleString("en-US")}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {m.lifetimePoints.toLocaleString("en-US")}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{m.lastActivity}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" tone="subdued">{`${total.toLocaleString("en-US")} member${total === 1 ? "" : "s"}`}</Text>
        <Pagination
          hasPrevious={page > 1}
          onPrevious={() => apply({ page: String(page - 1) })}
          hasNext={page < pages}
          onNext={() => apply({ page: String(page + 1) })}
          label={`Page ${page} of ${pages}`}
        />
      </InlineStack>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
