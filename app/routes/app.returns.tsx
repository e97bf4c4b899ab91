import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";
import { AreaLayout } from "../components/AreaLayout";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

const TABS = [
  { id: "desk", content: "Returns desk", path: "/app/returns" },
  { id: "insights", content: "Insights", path: "/app/returns/insights" },
  { id: "policy", content: "Return policy", path: "/app/returns/policy" },
  { id: "emails", content: "Emails", path: "/app/returns/emails" },
];

/** The Returns area: the desk (queue and each return), insights, the policy and the emails shoppers get. */
export default function ReturnsLayout() {
  return <AreaLayout title="Returns" tabs={TABS} />;
}
