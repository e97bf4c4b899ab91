import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { dashboardCsv } from "../services/dashboard/csv.server";
import { computeDashboard } from "../services/dashboard/registry.server";
import { periodFromQuery } from "../services/dashboard/period.server";

// GET /app/dashboard.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: the dashboard's figures as a download.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const range = await periodFromQuery(request, session.shop);
  if ("error" in range)
    return new Response(range.error, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const dashboard = await computeDashboard(db(), session.shop, range, new Date());
  return new Response(dashboardCsv(dashboard), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="aftercare-${range.from}-to-${range.to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
