import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { attentionList } from "../services/tracking/insights.server";
import { shopProfile } from "../models/shop.server";
import { formatShopTime } from "../utils/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [items, profile] = await Promise.all([
    attentionList(db(), session.shop, new Date()),
    shopProfile(db(), session.shop),
  ]);
  return json({ items: items.map((i) => ({ ...i, since: formatShopTime(i.since, profile.timeZone) })) });
};

const KIND: Record<string, { label: string; tone: "critical" | "warning" | "attention" }> = {
  exception: { label: "Delivery problem", tone: "critical" },
  attempted_delivery: { label: "Delivery attempted", tone: "warning" },
  delayed: { label: "Delayed", tone: "warning" },
  unfulfilled: { label: "Not shipped yet", tone: "attention" },
};

const REASON: Record<string, string> = {
  past_estimate: "Past the delivery date the shopper was given",
  no_carrier_scan: "No carrier update for longer than your rule allows",
  unfulfilled_too_long: "Not shipped within your processing time",
  carrier_reported_delay: "The carrier reported a delay",
};

export default function NeedsAttention() {
  const { items } = useLoaderData<typeof loader>();
  if (items.length === 0) {
    return (
      <Card>
        <EmptyState heading="Nothing needs attention" image="">
          <p>Late, failed and stuck shipments appear here so you can reach out before the shopper asks.</p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: "shipment", plural: "shipments" }}
        itemCount={items.length}
        selectable={false}
        headings={[
          { title: "Order" },
          { title: "Problem" },
          { title: "Why" },
          { title: "Carrier" },
          { title: "Since" },
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
              <Badge tone={KIND[item.kind]?.tone ?? "warning"}>{KIND[item.kind]?.label ?? item.kind}</Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>{(item.reason && REASON[item.reason]) ?? item.reason ?? "—"}</IndexTable.Cell>
            <IndexTable.Cell>
              {item.carrier ? `${item.carrier}${item.trackingNumber ? ` · ${item.trackingNumber}` : ""}` : "—"}
            </IndexTable.Cell>
            <IndexTable.Cell>{item.since}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
