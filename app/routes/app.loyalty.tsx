import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";
import { AreaLayout, type AreaTab } from "../components/AreaLayout";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

const TABS: AreaTab[] = [
  { id: "program", content: "tab.loyalty.program", path: "/app/loyalty" },
  { id: "rewards", content: "tab.loyalty.rewards", path: "/app/loyalty/rewards" },
  { id: "members", content: "tab.loyalty.members", path: "/app/loyalty/members" },
  { id: "liability", content: "tab.loyalty.liability", path: "/app/loyalty/liability" },
];

/** The Loyalty area: program, rewards, members and liability. */
export default function LoyaltyLayout() {
  return <AreaLayout title="nav.loyalty" tabs={TABS} />;
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
