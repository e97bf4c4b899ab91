import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, EmptyState, IndexTable, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { carrierPerformance } from "../services/tracking/insights.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ rows: await carrierPerformance(db(), session.shop, new Date()) });
};

export default function CarrierPerformance() {
  const { rows } = useLoaderData<typeof loader>();
  if (rows.length === 0) {
    return (
      <Card>
        <EmptyState heading="No deliveries in the last 90 days yet" image="">
          <p>
            Once shipments are delivered, each carrier&apos;s on-time rate and transit time per destination appear here.
            They also sharpen delivery estimates.
          </p>
        </EmptyState>
      </Card>
    );
  }
  const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: "route", plural: "routes" }}
        itemCount={rows.length}
        selectable={false}
        headings={[
          { title: "Carrier" },
          { title: "Destination" },
          { title: "Delivered (90 days)" },
          { title: "On time" },
          { title: "Median transit" },
        ]}
      >
        {rows.map((r, index) => (
          <IndexTable.Row
            id={`${r.carrier}-${r.destinationCountry}`}
            key={`${r.carrier}-${r.destinationCountry}`}
            position={index}
          >
            <IndexTable.Cell>
              <Text as="span" fontWeight="semibold">
                {r.carrier}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{r.destinationCountry}</IndexTable.Cell>
            <IndexTable.Cell>{r.delivered.toLocaleString("en-US")}</IndexTable.Cell>
            <IndexTable.Cell>{r.onTimeRate === null ? "—" : percent.format(r.onTimeRate)}</IndexTable.Cell>
            <IndexTable.Cell>
              {r.medianTransitBusinessDays === null ? "—" : `${r.medianTransitBusinessDays} business days`}
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
