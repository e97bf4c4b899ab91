// Production server: serves the Remix build, static assets and /healthz, and runs this
// process's background work (webhook jobs). `npm start` after `npm run build`.
import http from "node:http";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

/**
 * The Remix server build, whose entry module exports the app's own hooks (app/entry.server.tsx).
 * @typedef {{ module: typeof import("./app/entry.server") }} AppEntry
 * @typedef {import("@remix-run/node").ServerBuild & { entry: AppEntry }} AppBuild
 * @typedef {import("node:http").IncomingMessage} Req
 * @typedef {import("node:http").ServerResponse} Res
 */

const BUILD_DIR = process.env.BUILD_DIR ?? "build";
const BUILD_PATH = new URL(`./${BUILD_DIR}/server/index.js`, import.meta.url).href;

export async function startServer({
  port = Number(process.env.PORT || 3000),
  host = process.env.HOST || "127.0.0.1",
} = {}) {
  /** @type {AppBuild} */
  const build = await import(BUILD_PATH);
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/assets", express.static(`${BUILD_DIR}/client/assets`, { immutable: true, maxAge: "1y" }));
  app.use(filesOnly(express.static(`${BUILD_DIR}/client`, { maxAge: "1h" })));
  app.use("/", filesOnly(express.static("public", { maxAge: "1h" })));
  app.use(closeAfterTooLarge);
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV, getLoadContext: connectionContext }));

  await build.entry.module.startBackgroundWork({ spawnJobThread: jobThreadSpawner() });
  // Shopify's deliveries are answered before express sees them (see webhookFastPath).
  const webhooks = webhookFastPath(build);
  const lookups = trackingLookupFastPath(build);
  const server = http.createServer((req, res) => {
    if (webhooks && req.method === "POST" && isPath(req.url, "/webhooks")) webhooks(req, res);
    else if (lookups && req.method === "GET" && isPath(req.url, "/proxy/tracking")) lookups(req, res);
    else app(req, res);
  });
  await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(port, host, resolve)));
  server.keepAliveTimeout = 65_000;

  async function close() {
    await new Promise((resolve) => server.close(resolve));
    await build.entry.module.stopBackgroundWork();
  }
  const { port: listening } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return { server, close, url: `http://${host}:${listening}` };
}

/**
 * Static files all have an extension; pages, the app proxy's JSON and the API do not. Without this
 * every storefront lookup would first look for a file of its name on disk, twice.
 */
/** @param {import("express").RequestHandler} serve @returns {import("express").RequestHandler} */
function filesOnly(serve) {
  return (req, res, next) => (/\.[A-Za-z0-9]+$/.test(req.path) ? serve(req, res, next) : next());
}

/**
 * What every Remix loader and action gets beside its request: `connectionClosed` aborts when the
 * client's connection closes. A route's `request.signal` can miss that: Remix passes the route a
 * Request made from intermediate Requests, and Node's fetch links their signals by weak
 * references, so after a garbage collection a live stream would never hear that its client left
 * (docs/decisions/0047). This signal hangs on the response itself.
 * @param {import("express").Request} _req @param {import("express").Response} res
 */
function connectionContext(_req, res) {
  const closed = new AbortController();
  res.once("close", () => closed.abort());
  return { connectionClosed: closed.signal };
}

/**
 * A 413 closes its connection: the routes stop reading a body that passed their limit and leave
 * the rest unread (app/utils/body.server.ts), so the connection cannot carry another request.
 * Closing it after the answer lets the client read the 413 instead of waiting on a stalled upload.
 * @param {import("express").Request} _req @param {import("express").Response} res @param {() => void} next
 */
function closeAfterTooLarge(_req, res, next) {
  const writeHead = res.writeHead.bind(res);
  /** @type {(...args: any[]) => any} */
  const wrapped = (...args) => {
    if (args[0] === 413 && !res.headersSent) res.setHeader("Connection", "close");
    return /** @type {(...args: any[]) => any} */ (writeHead)(...args);
  };
  res.writeHead = /** @type {typeof res.writeHead} */ (wrapped);
  next();
}

/**
 * Webhook handlers and periodic tasks run in a worker thread that loads this same build, so a
 * handler's synchronous work never holds up a delivery or a page (app/jobs/thread.server.ts).
 * JOB_THREAD=false keeps them on the main thread.
 */
function jobThreadSpawner() {
  if (process.env.JOB_THREAD === "false") return undefined;
  return () =>
    new Worker(new URL(import.meta.url), { workerData: { aftercareJobThread: true, buildPath: BUILD_PATH } });
}

/** Shopify does not send bigger webhooks than this; a bigger body is not read into memory. */
const WEBHOOK_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * Webhook deliveries go straight to the app's intake (entry.server's receiveWebhookDelivery, the
 * same code the webhooks route runs under Remix) with the raw body and Node's headers. Remix's
 * request handler, express's middleware and the web Request/Response objects cost several times
 * what the intake itself does, and the intake is the one path Shopify hammers
 * (docs/decisions/0004-webhook-intake-performance.md). Every rule of the intake (HMAC first,
 * 400/401/503, recorded before 200) is in that function; GET /webhooks and every other path go
 * through Remix.
 */
/** @param {AppBuild} build @returns {((req: Req, res: Res) => void) | null} */
function webhookFastPath(build) {
  const receive = build.entry.module.receiveWebhookDelivery;
  if (typeof receive !== "function") {
    console.warn("[webhooks] the build has no receiveWebhookDelivery; deliveries go through Remix");
    return null;
  }
  /** @param {Res} res @param {number} status @param {string} message */
  const reply = (res, status, message) => {
    res.writeHead(status, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(message),
    });
    res.end(message);
  };
  return (req, res) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > WEBHOOK_BODY_LIMIT) {
      reply(res, 413, "The webhook body is too large.");
      req.resume();
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("error", () => res.destroy());
    req.on("end", async () => {
      if (tooLarge) {
        reply(res, 413, "The webhook body is too large.");
        return;
      }
      try {
        const rawBody = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
        const { status, message } = await receive({
          method: "POST",
          rawBody,
          header: (/** @type {string} */ name) => headerValue(req.headers[name]),
        });
        reply(res, status, message);
      } catch (error) {
        console.error("[webhooks] delivery failed", error);
        reply(res, 500, "Unexpected error.");
      }
    });
  };
}

/**
 * The storefront's order lookups (the tracking block's one request) go straight to the app's endpoint, as
 * webhooks do.
 */
/** @param {AppBuild} build @returns {((req: Req, res: Res) => Promise<void>) | null} */
function trackingLookupFastPath(build) {
  const answer = build.entry.module.answerTrackingLookup;
  if (typeof answer !== "function") {
    console.warn("[tracking] the build has no answerTrackingLookup; lookups go through Remix");
    return null;
  }
  return async (req, res) => {
    try {
      const forwarded = headerValue(req.headers["x-forwarded-for"]);
      const { status, headers, body } = await answer({ url: req.url ?? "/", forwardedFor: forwarded });
      res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    } catch (error) {
      console.error("[tracking] lookup failed", error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error: "unexpected", message: "Something went wrong on our side. Please try again." }));
    }
  };
}

/** @param {string | undefined} url @param {string} path */
function isPath(url, path) {
  return url === path || (url?.startsWith(path) && url[path.length] === "?");
}

/** @param {string | string[] | undefined} value @returns {string | null} */
function headerValue(value) {
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

if (!isMainThread && workerData?.aftercareJobThread) {
  // This file, started as the job thread: only the build's job work, no HTTP server.
  /** @type {AppBuild} */
  const build = await import(workerData.buildPath);
  await build.entry.module.runJobThread(/** @type {import("node:worker_threads").MessagePort} */ (parentPort));
} else if (isMainThread && import.meta.url === `file://${process.argv[1]}`) {
  const { url, close } = await startServer();
  console.log(`Aftercare listening on ${url}`);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      await close();
      process.exit(0);
    });
  }
}
