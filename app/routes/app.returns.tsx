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
  { id: "desk", content: "Returns desk", path: "/app/returns" },
  { id: "insights", content: "Insights", path: "/app/returns/insights" },
  { id: "policy", content: "Return policy", path: "/app/returns/policy" },
];

/** The Returns area: the desk (queue and each return), insights and the policy, one route each. */
export default function ReturnsLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const selected = Math.max(0, TABS.findIndex((t) => t.path !== "/app/returns" && location.pathname.startsWith(t.path)));
  return (
    <Page title="Returns" fullWidth>
      <TitleBar title="Returns" />
      <Box paddingBlockEnd="400">
        <Card padding="0">
          <Tabs tabs={TABS} selected={selected} onSelect={(i) => navigate(TABS[i].path)} />
        </Card>
      </Box>
      <Outlet />
    </Page>
  );
}
