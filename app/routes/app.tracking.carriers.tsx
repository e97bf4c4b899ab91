import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, EmptyState, IndexTable, Text } from "@shopify/polaris";

import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { carrierPerformance } from "../services/tracking/insights.server";
import { useAdminFormat, useT } from "../locales/admin/use-admin-language";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ rows: await carrierPerformance(db(), session.shop, new Date()) });
};

export default function CarrierPerformance() {
  const { rows } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useAdminFormat();
  if (rows.length === 0) {
    return (
      <Card>
        <EmptyState heading={t("carriers.empty.title")} image="">
          <p>{t("carriers.empty.body")}</p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: t("carriers.resource.singular"), plural: t("carriers.resource.plural") }}
        itemCount={rows.length}
        selectable={false}
        headings={[
          { title: t("carriers.column.carrier") },
          { title: t("carriers.column.destination") },
          { title: t("carriers.column.delivered") },
          { title: t("carriers.column.onTime") },
          { title: t("carriers.column.transit") },
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
            <IndexTable.Cell>{format.number(r.delivered)}</IndexTable.Cell>
            <IndexTable.Cell>{r.onTimeRate === null ? "—" : format.percent(r.onTimeRate, 0)}</IndexTable.Cell>
            <IndexTable.Cell>
              {r.medianTransitBusinessDays === null
                ? "—"
                : format.count("count.businessDays", r.medianTransitBusinessDays)}
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

export { AreaErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
