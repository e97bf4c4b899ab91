import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { customerAccountDeps } from "../services/customer-accounts/deps.server";
import { customerTracking } from "../services/customer-accounts/endpoints.server";
import { answerCustomerAccount } from "../services/customer-accounts/session.server";

// GET /api/customer-account/tracking?order=…&locale=…: the order status page block's data.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answerCustomerAccount(request, (session) =>
    customerTracking(session, new URL(request.url).searchParams, customerAccountDeps()),
  );

// Only the preflight comes here.
export const action = ({ request }: ActionFunctionArgs) =>
  answerCustomerAccount(request, async () => ({
    status: 405,
    body: { error: "method_not_allowed", message: "Use GET." },
  }));
