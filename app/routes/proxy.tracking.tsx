import type { LoaderFunctionArgs } from "@remix-run/node";

import { proxyJson } from "../services/app-proxy.server";
import { trackingEndpoint } from "../services/tracking/endpoint.server";

// GET /apps/aftercare/tracking (Shopify's app proxy forwards it here, signed). In production
// server.js answers it before Remix with the same function (answerTrackingLookup).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const answer = await trackingEndpoint(request);
  return proxyJson(answer.body, { status: answer.status, headers: answer.headers });
};
