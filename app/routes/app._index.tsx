import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { authenticate } from "../shopify.server";

// Until the service dashboard ships, home is the Sync page. Keep the embedded query string
// (shop, host, id_token) so the next page authenticates without a round trip.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const url = new URL(request.url);
  return redirect(`/app/sync${url.search}`);
};
