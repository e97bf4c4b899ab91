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
];

/** The Returns area: the desk (queue and each return), insights and the policy. */
export default function ReturnsLayout() {
  return <AreaLayout title="Returns" tabs={TABS} />;
}
