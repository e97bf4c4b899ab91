import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLocation, useNavigate } from "@remix-run/react";
import { Box, Card, Page, Tabs } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";

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

/** The Loyalty area: one route per tab, each loading only what it shows. */
export default function LoyaltyLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const selected = Math.max(0, TABS.findIndex((t) => t.path !== "/app/loyalty" && location.pathname.startsWith(t.path)));
  return (
    <Page title="Loyalty" fullWidth>
      <TitleBar title="Loyalty" />
      <Box paddingBlockEnd="400">
        <Card padding="0">
          <Tabs tabs={TABS} selected={selected} onSelect={(i) => navigate(TABS[i].path)} />
        </Card>
      </Box>
      <Outlet />
    </Page>
  );
}
