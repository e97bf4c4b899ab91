import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { listReturns, parseDeskFilter, returnsCsv } from "../services/returns/desk.server";

// GET /app/returns/export.csv?status=&q=: the desk's queue (same filter) as a spreadsheet.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const filter = parseDeskFilter(new URL(request.url).searchParams);
  const rows = await listReturns(db(), session.shop, filter, 10_000);
  const day = new Date().toISOString().slice(0, 10);
  const filename = `aftercare-returns${filter.status ? `-${filter.status}` : ""}-${day}.csv`;
  return new Response(returnsCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
