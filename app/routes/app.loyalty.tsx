import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";
import { AreaLayout } from "../components/AreaLayout";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

const TABS = [
  { id: "program", content: "Program", path: "/app/loyalty" },
  { id: "rewards", content: "Rewards", path: "/app/loyalty/rewards" },
  { id: "members", content: "Members", path: "/app/loyalty/members" },
  { id: "liability", content: "Liability", path: "/app/loyalty/liability" },
];

/** The Loyalty area: program, rewards, members and liability. */
export default function LoyaltyLayout() {
  return <AreaLayout title="Loyalty" tabs={TABS} />;
}
