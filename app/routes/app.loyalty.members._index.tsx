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
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";
import { currencyNameFor, type LoyaltySettings } from "../domain/loyalty/settings";

const wholeOrNull = (value: string | null) => (value && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : null);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const p = url.searchParams;
  const [result, settings] = await Promise.all([
    listMembers(db(), session.shop, {
      query: p.get("query")?.slice(0, 100) ?? null,
      tier: p.get("tier") || null,
      minPoints: wholeOrNull(p.get("min")),
      maxPoints: wholeOrNull(p.get("max")),
      page: wholeOrNull(p.get("page")) ?? 1,
    }),
    loadLoyaltySettings(db(), session.shop),
  ]);
  const tierNames = Object.fromEntries(settings.tiers.map((t) => [t.key, t.name]));
  return json({
    ...result,
    tiers: settings.tiers.map((t) => ({ key: t.key, name: t.name })),
    currencyNames: settings.currencyName,
    members: result.members.map((m) => ({
      id: m.id,
      who: m.email,
      customerId: m.customerShopifyId?.split("/").pop() ?? null,
      guest: m.key.startsWith("e:"),
      tier: m.tierKey ? (tierNames[m.tierKey] ?? m.tierKey) : null,
      points: m.points,
      lifetimePoints: m.lifetimePoints,
      // Shown by the page in the admin's language and the shop's zone.
      lastActivityAt: m.lastActivityAt,
    })),
  });
};

export default function LoyaltyMembersPage() {
  const { members, total, page, pages, tiers, currencyNames } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [query, setQuery] = useState(params.get("query") ?? "");
  const [min, setMin] = useState(params.get("min") ?? "");
  const [max, setMax] = useState(params.get("max") ?? "");
  const t = useT();
  const format = useAdminFormat();
  const currencyName = currencyNameFor({ currencyName: currencyNames } as LoyaltySettings, format.locale);

  const apply = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  };
  // A search or filter of the merchant's (the admin's own parameters, shop, host, locale…, are not one).
  const filtered = ["query", "tier", "min", "max"].some((name) => params.get(name));
  const pointsProblem = (v: string) => (v && !/^\d{1,9}$/.test(v.trim()) ? t("members.wholePoints") : undefined);

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
                label={t("members.search")}
                placeholder={t("members.searchPlaceholder")}
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
              label={t("members.tier")}
              options={[
                { label: t("members.anyTier"), value: "" },
                { label: t("members.noTier"), value: "none" },
                ...tiers.map((tier) => ({ label: tier.name, value: tier.key })),
              ]}
              value={params.get("tier") ?? ""}
              onChange={(v) => apply({ tier: v })}
            />
            <Box maxWidth="140px">
              <TextField
                label={t("members.balanceFrom")}
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
                label={t("members.balanceTo")}
                type="number"
                min={0}
                value={max}
                onChange={setMax}
                autoComplete="off"
                error={pointsProblem(max)}
              />
            </Box>
            <Button submit>{t("members.search")}</Button>
          </InlineStack>
        </form>
      </Card>
      <Card padding="0">
        {members.length === 0 ? (
          <EmptyState heading={filtered ? t("members.noMatch") : t("members.noneYet")} image="">
            <p>{filtered ? t("members.noMatchBody") : t("members.noneYetBody")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("members.resource.singular"), plural: t("members.resource.plural") }}
            itemCount={members.length}
            selectable={false}
            headings={[
              { title: t("members.column.member") },
              { title: t("members.tier") },
              { title: t("members.column.balance", { name: currencyName }), alignment: "end" },
              { title: t("members.column.earned"), alignment: "end" },
              { title: t("members.column.lastActivity") },
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
                      {m.who ?? t("members.noEmail")}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {m.guest ? t("members.guest") : t("members.customer", { id: m.customerId ?? "—" })}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{m.tier ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.number(m.points)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {format.number(m.lifetimePoints)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{m.lastActivityAt ? format.dateTime(m.lastActivityAt) : "—"}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" tone="subdued">
          {format.count("count.members", total)}
        </Text>
        <Pagination
          hasPrevious={page > 1}
          onPrevious={() => apply({ page: String(page - 1) })}
          hasNext={page < pages}
          onNext={() => apply({ page: String(page + 1) })}
          label={t("pagination.label", { page, pages })}
        />
      </InlineStack>
    </BlockStack>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
