import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { attentionList } from "../services/tracking/insights.server";
import { codeLabel } from "../locales/admin/codes";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // `since` goes to the page as an instant, shown in the admin's language and the shop's zone.
  return json({ items: await attentionList(db(), session.shop, new Date()) });
};

const TONE: Record<string, "critical" | "warning" | "attention"> = {
  exception: "critical",
  attempted_delivery: "warning",
  delayed: "warning",
  unfulfilled: "attention",
};

export default function NeedsAttention() {
  const { items } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useAdminFormat();
  if (items.length === 0) {
    return (
      <Card>
        <EmptyState heading={t("attention.empty.title")} image="">
          <p>{t("attention.empty.body")}</p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: t("attention.resource.singular"), plural: t("attention.resource.plural") }}
        itemCount={items.length}
        selectable={false}
        headings={[
          { title: t("attention.column.order") },
          { title: t("attention.column.problem") },
          { title: t("attention.column.why") },
          { title: t("attention.column.carrier") },
          { title: t("attention.column.since") },
        ]}
      >
        {items.map((item, index) => (
          <IndexTable.Row
            id={`${item.orderShopifyId}-${index}`}
            // An order can need attention more than once; the list is read-only, in the order loaded.
            // eslint-disable-next-line react/no-array-index-key -- see above
            key={`${item.orderShopifyId}-${index}`}
            position={index}
          >
            <IndexTable.Cell>
              <Text as="span" fontWeight="semibold">
                {item.orderName}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={TONE[item.kind] ?? "warning"}>{codeLabel(t, "attention.kind", item.kind)}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>{item.reason ? codeLabel(t, "attention.reason", item.reason) : "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              {item.carrier ? `${item.carrier}${item.trackingNumber ? ` · ${item.trackingNumber}` : ""}` : "—"}
            </IndexTable.Cell>
            <IndexTable.Cell>{format.dateTime(item.since)}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
