import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";
import { AreaLayout, type AreaTab } from "../components/AreaLayout";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

const TABS: AreaTab[] = [
  { id: "desk", content: "tab.returns.desk", path: "/app/returns" },
  { id: "insights", content: "tab.returns.insights", path: "/app/returns/insights" },
  { id: "policy", content: "tab.returns.policy", path: "/app/returns/policy" },
  { id: "emails", content: "tab.returns.emails", path: "/app/returns/emails" },
];

/** The Returns area: the desk (queue and each return), insights, the policy and the emails shoppers get. */
export default function ReturnsLayout() {
  return <AreaLayout title="nav.returns" tabs={TABS} />;
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
