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
  { id: "settings", content: "Settings", path: "/app/tracking" },
  { id: "attention", content: "Needs attention", path: "/app/tracking/attention" },
  { id: "carriers", content: "Carrier performance", path: "/app/tracking/carriers" },
  { id: "notifications", content: "Notification log", path: "/app/tracking/notifications" },
];

/** The Tracking area: one page per tab, each its own route so each loads only what it shows. */
export default function TrackingLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const selected = Math.max(0, TABS.findIndex((t) => t.path !== "/app/tracking" && location.pathname.startsWith(t.path)));
  return (
    <Page title="Tracking" fullWidth>
      <TitleBar title="Tracking" />
      <Box paddingBlockEnd="400">
        <Card padding="0">
          <Tabs tabs={TABS} selected={selected} onSelect={(i) => navigate(`${TABS[i].path}${location.search}`)} />
        </Card>
      </Box>
      <Outlet />
    </Page>
  );
}
