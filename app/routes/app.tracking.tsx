import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";
import { AreaLayout, type AreaTab } from "../components/AreaLayout";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

const TABS: AreaTab[] = [
  { id: "settings", content: "tab.tracking.settings", path: "/app/tracking" },
  { id: "attention", content: "tab.tracking.attention", path: "/app/tracking/attention" },
  { id: "carriers", content: "tab.tracking.carriers", path: "/app/tracking/carriers" },
  { id: "notifications", content: "tab.tracking.notifications", path: "/app/tracking/notifications" },
];

/** The Tracking area: settings, needs attention, carriers and the notification log. */
export default function TrackingLayout() {
  return <AreaLayout title="nav.tracking" tabs={TABS} keepQuery />;
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
