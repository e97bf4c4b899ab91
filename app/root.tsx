import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";

function Document({ lang, children }: { lang: string; children: ReactNode }) {
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  // The admin's pages are in the merchant's admin language (routes/app reads it from Shopify).
  const lang = useRouteLoaderData<{ locale?: string }>("routes/app")?.locale ?? "en";
  return (
    <Document lang={lang}>
      <Outlet />
    </Document>
  );
}

// Only what no admin page answers reaches here (the admin's pages have their own, inside the app).
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <Document lang="en">
      <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "64px auto", padding: "0 16px" }}>
        <h1>{status === 404 ? "This page does not exist" : "Something went wrong"}</h1>
        <p>
          {status === 404
            ? "The link may be old, or what it pointed to was removed."
            : "Nothing was changed. Try again in a moment."}
        </p>
        <p>
          <a href="/app">Back to Aftercare</a>
        </p>
      </main>
    </Document>
  );
}
