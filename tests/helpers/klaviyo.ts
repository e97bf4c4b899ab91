import { createServer } from "node:http";

import { createKlaviyoStandIn } from "../../sandbox/klaviyo";

/** The sandbox's Klaviyo stand-in over HTTP on a free port, as the sandbox server serves it. */
export async function startKlaviyoStandIn() {
  const standIn = createKlaviyoStandIn();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = req.method === "GET" ? undefined : Buffer.concat(chunks);
    const answer = await standIn.handle(new Request(url, { method: req.method, headers, body }), url.pathname);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  // Kept open as a production front end keeps it: Node's 5 s would race the client's reused connection.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    standIn,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
