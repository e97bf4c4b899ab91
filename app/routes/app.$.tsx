import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";

// An address inside the app that no page answers: the app's "page does not exist", with its navigation.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  throw new Response("There is no page at this address.", { status: 404 });
};

export default function NoSuchPage() {
  return null;
}

export { AppErrorBoundary as ErrorBoundary } from "../components/AppErrorPage";
