import { Outlet, useLocation, useNavigate } from "@remix-run/react";
import { Box, Card, Page, Tabs } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";

import type { AdminMessageKey } from "../locales/admin";
import { useT } from "../locales/admin/use-admin-language";

export interface AreaTab {
  id: string;
  /** The tab's name in the admin's locale files. */
  content: AdminMessageKey;
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
  title: AdminMessageKey;
  tabs: AreaTab[];
  keepQuery?: boolean;
}) {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const index = tabs[0].path;
  const selected = Math.max(
    0,
    tabs.findIndex((t) => t.path !== index && location.pathname.startsWith(t.path)),
  );
  return (
    <Page title={t(title)} fullWidth>
      <TitleBar title={t(title)} />
      <Box paddingBlockEnd="400">
        <Card padding="0">
          <Tabs
            tabs={tabs.map((tab) => ({ ...tab, content: t(tab.content) }))}
            selected={selected}
            onSelect={(i) => navigate(`${tabs[i].path}${keepQuery ? location.search : ""}`)}
          />
        </Card>
      </Box>
      <Outlet />
    </Page>
  );
}
