import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { customerAccountDeps } from "../services/customer-accounts/deps.server";
import { customerRewards, customerRewardsPost } from "../services/customer-accounts/endpoints.server";
import { answerCustomerAccount, jsonBody } from "../services/customer-accounts/session.server";

// GET /api/customer-account/rewards?locale=…: points, tier, catalogue, history and how to earn.
export const loader = ({ request }: LoaderFunctionArgs) =>
  answerCustomerAccount(request, (session) =>
    customerRewards(session, new URL(request.url).searchParams, customerAccountDeps()),
  );

// POST /api/customer-account/rewards {intent: "redeem", rewardId}
export const action = ({ request }: ActionFunctionArgs) =>
  answerCustomerAccount(request, async (session) => {
    const read = await jsonBody(request);
    if (!read.ok) return read;
    return customerRewardsPost(session, read.body, customerAccountDeps());
  });
