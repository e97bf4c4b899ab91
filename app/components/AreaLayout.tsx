import { Outlet, useLocation, useNavigate } from "@remix-run/react";
import { Box, Card, Page, Tabs } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";

export interface AreaTab {
  id: string;
  content: string;
  path: string;
}

/**
 * An area of the admin (Tracking, Returns, Loyalty): a title, one tab per page, and the page.
 * The first tab is the area's index; each tab is its own route, so it loads only what it shows.
 */
export function AreaLayout({
  title,
  tabs,
  keepQuery = false,
}: {
  title: string;
  tabs: AreaTab[];
  keepQuery?: boolean;
}) {
  const location = useLocation();
  const navigate = useNavigate();
  const index = tabs[0].path;
  const selected = Math.max(
    0,
    tabs.findIndex((t) => t.path !== index && location.pathname.startsWith(t.path)),
  );
  return (
    <Page title={title} fullWidth>
      <TitleBar title={title} />
      <Box paddingBlockEnd="400">
        <Card padding="0">
          <Tabs
            tabs={tabs}
            selected={selected}
            onSelect={(i) => navigate(`${tabs[i].path}${keepQuery ? location.search : ""}`)}
          />
        </Card>
      </Box>
      <Outlet />
    </Page>
  );
}
