import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { customerAccountDeps } from "../services/customer-accounts/deps.server";
import { customerReturns, customerReturnsPost } from "../services/customer-accounts/endpoints.server";
import { answerCustomerAccount, jsonBody } from "../services/customer-accounts/session.server";

// GET /api/customer-account/returns?order=…&locale=…: what the order can return and earlier returns.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answerCustomerAccount(request, (session) =>
    customerReturns(session, new URL(request.url).searchParams, customerAccountDeps()),
  );

// POST /api/customer-account/returns {intent: quote | start | link | withdraw | photos, order, …}
export const action = ({ request }: ActionFunctionArgs) =>
  answerCustomerAccount(request, async (session) => {
    const read = await jsonBody(request);
    if (!read.ok) return read;
    return customerReturnsPost(session, read.body, customerAccountDeps());
  });
