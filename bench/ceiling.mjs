// The ceiling: a bare Node HTTP server that does the one thing every webhook intake must do (read
// the raw body and check Shopify's HMAC, the same algorithm as app/webhooks/verify.server.ts) and
// answers 200. Nothing the app does per delivery can be cheaper, so app/ceiling says how much of
// the machine's webhook capacity the app keeps.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const secret = process.env.SHOPIFY_API_SECRET;
if (!secret) throw new Error("SHOPIFY_API_SECRET is required");

const server = http.createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const expected = createHmac("sha256", secret).update(Buffer.concat(chunks)).digest();
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    res.writeHead(ok ? 200 : 401, { "content-type": "text/plain; charset=utf-8" });
    res.end(ok ? "recorded" : "bad signature");
  });
});
// The load generator keeps its connections open across windows, and the ceiling sits idle while the
// app works off each window's backlog (a minute or more): keep them, so no ceiling window starts
// by opening connections again.
server.keepAliveTimeout = 600_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  console.log(`ceiling listening on http://127.0.0.1:${port}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
