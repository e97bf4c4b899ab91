// Production server: serves the Remix build, static assets and /healthz, and runs this
// process's background work (webhook jobs). `npm start` after `npm run build`.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const BUILD_DIR = process.env.BUILD_DIR ?? "build";
const BUILD_PATH = new URL(`./${BUILD_DIR}/server/index.js`, import.meta.url).href;

export async function startServer({ port = Number(process.env.PORT || 3000), host = process.env.HOST || "127.0.0.1" } = {}) {
  const build = await import(BUILD_PATH);
  const app = express();
  app.disable("x-powered-by");
  // First, before compression and static files: Shopify's deliveries (see webhookFastPath).
  const webhooks = webhookFastPath(build);
  if (webhooks) app.post("/webhooks", webhooks);
  // Webhooks are small JSON posts answered with a few bytes: compression would only cost time.
  app.use(compression({ filter: (req, res) => !req.path.startsWith("/webhooks") && compression.filter(req, res) }));
  app.use("/assets", express.static(`${BUILD_DIR}/client/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(`${BUILD_DIR}/client`, { maxAge: "1h" }));
  app.use("/", express.static("public", { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  await build.entry.module.startBackgroundWork({ spawnJobThread: jobThreadSpawner() });
  const server = await new Promise((resolve) => {
    const s = app.listen(port, host, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;

  async function close() {
    await new Promise((resolve) => server.close(resolve));
    await build.entry.module.stopBackgroundWork();
  }
  return { server, close, url: `http://${host}:${server.address().port}` };
}

/**
 * Webhook handlers and periodic tasks run in a worker thread that loads this same build, so a
 * handler's synchronous work never holds up a delivery or a page (app/jobs/thread.server.ts).
 * JOB_THREAD=false keeps them on the main thread.
 */
function jobThreadSpawner() {
  if (process.env.JOB_THREAD === "false") return undefined;
  return () => new Worker(new URL(import.meta.url), { workerData: { aftercareJobThread: true, buildPath: BUILD_PATH } });
}

/** Shopify does not send bigger webhooks than this; a bigger body is not read into memory. */
const WEBHOOK_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * Webhook deliveries go straight to the webhooks route's action, with the same Request it would
 * get from Remix, instead of through Remix's request handler. For a resource route with one
 * action, Remix's part is routing (it flattens and ranks every route on every request), an
 * AbortController, a streamed body and a streamed answer: about half of the CPU a delivery cost,
 * and the intake is the one path Shopify hammers (docs/decisions/0004-webhook-intake-performance.md).
 * Everything the route does (HMAC first, 400/401/503, recorded before 200) is in its action;
 * GET /webhooks and every other path still go through Remix.
 */
function webhookFastPath(build) {
  const action = build.routes["routes/webhooks"]?.module?.action;
  if (typeof action !== "function") {
    console.warn("[webhooks] routes/webhooks has no action in the build; deliveries go through Remix");
    return null;
  }
  return (req, res) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > WEBHOOK_BODY_LIMIT) {
      res.status(413).type("text/plain").end("The webhook body is too large.");
      req.resume();
      return;
    }
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("error", () => res.destroy());
    req.on("end", async () => {
      if (tooLarge) {
        res.status(413).type("text/plain").end("The webhook body is too large.");
        return;
      }
      let response;
      try {
        const headers = new Headers();
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
        const request = new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, {
          method: "POST",
          headers,
          body: Buffer.concat(chunks, size),
        });
        response = await action({ request, params: {}, context: {} });
      } catch (error) {
        if (error instanceof Response) {
          response = error;
        } else {
          console.error("[webhooks] delivery failed", error);
          response = new Response("Unexpected error.", { status: 500 });
        }
      }
      res.status(response.status);
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  };
}

if (!isMainThread && workerData?.aftercareJobThread) {
  // This file, started as the job thread: only the build's job work, no HTTP server.
  const build = await import(workerData.buildPath);
  await build.entry.module.runJobThread(parentPort);
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
