// Production server: serves the Remix build, static assets and /healthz, and runs this
// process's background work (webhook jobs). `npm start` after `npm run build`.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const BUILD_PATH = new URL("./build/server/index.js", import.meta.url).href;

export async function startServer({ port = Number(process.env.PORT || 3000), host = process.env.HOST || "127.0.0.1" } = {}) {
  const build = await import(BUILD_PATH);
  const app = express();
  app.disable("x-powered-by");
  // Webhooks are small JSON posts answered with a few bytes: compression would only cost time.
  app.use(compression({ filter: (req, res) => !req.path.startsWith("/webhooks") && compression.filter(req, res) }));
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
  app.use("/", express.static("public", { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  await build.entry.module.startBackgroundWork();
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url, close } = await startServer();
  console.log(`Aftercare listening on ${url}`);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      await close();
      process.exit(0);
    });
  }
}
