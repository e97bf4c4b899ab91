import { PassThrough } from "node:stream";
import type { Worker } from "node:worker_threads";

import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";

import { addDocumentResponseHeaders } from "./shopify.server";
import { allowAdminFrameFrom, preloadAppBridgeFrom } from "./shopify/admin-origin.server";
import { databaseKind, env } from "./env.server";
import { jobs, relayJobsTo, runJobThread } from "./jobs/index.server";
// Every area attaches its webhook listeners, compliance entries and periodic tasks here.
import "./areas.server";
import { scheduler } from "./jobs/periodic.server";

// Fail at start-up, not on the first request, when configuration is wrong.
env();

/**
 * Called once by server.js after the build is loaded: start background work for this process.
 * With `spawnJobThread` (production), handlers and periodic tasks run in that thread and this one
 * only records deliveries and serves pages (app/jobs/thread.server.ts).
 */
export async function startBackgroundWork(options: { spawnJobThread?: () => Worker } = {}) {
  const runsJobs = env().RUN_JOBS_IN_WEB || databaseKind(env().DATABASE_URL) === "sqlite";
  if (options.spawnJobThread && runsJobs) {
    relayJobsTo(options.spawnJobThread);
    await jobs().start();
    return;
  }
  await jobs().start();
  // Periodic tasks (delay checks, the notification outbox) run where jobs run.
  if (env().RUN_JOBS_IN_WEB) await scheduler().start();
}

export async function stopBackgroundWork() {
  await scheduler().stop();
  await jobs().stop();
}

/** The job thread's entry point (server.js starts it in a worker thread). */
export { runJobThread };

/** server.js's fast paths: POST /webhooks and the storefront's GET /proxy/tracking. */
export { receiveWebhookDelivery } from "./webhooks/intake.server";
export { answerTrackingLookup } from "./services/tracking/endpoint.server";

const ABORT_DELAY = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  // Sandbox switches (refused in production by env validation): the admin frame's origin and the
  // App Bridge script it hands the app.
  const { SHOPIFY_ADMIN_API_ORIGIN: adminOrigin, APP_BRIDGE_URL: appBridgeUrl } = env();
  if (adminOrigin) allowAdminFrameFrom(adminOrigin, responseHeaders);
  if (appBridgeUrl) preloadAppBridgeFrom(appBridgeUrl, responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  let status = responseStatusCode;
  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(stream, { headers: responseHeaders, status }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          status = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
