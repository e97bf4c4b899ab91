import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";
import { AreaLayout } from "../components/AreaLayout";

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

/** The Tracking area: settings, needs attention, carriers and the notification log. */
export default function TrackingLayout() {
  return <AreaLayout title="Tracking" tabs={TABS} keepQuery />;
}
