// The admin benchmark's ceiling: a bare Node HTTP server that does the one thing every embedded
// admin page must do (check the session token Shopify's admin hands the frame: an HS256 JWT over
// the app secret, read from ?id_token=) and answers a fixed HTML page of PAGE_BYTES. No page of the
// app can answer faster, so app/ceiling says what the app adds on top of HTTP and the token check.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const secret = process.env.SHOPIFY_API_SECRET ?? "";
if (!secret) throw new Error("SHOPIFY_API_SECRET is required");
const paragraphs = Math.ceil(Number(process.env.PAGE_BYTES ?? 60_000) / 16);
const page = Buffer.from(`<!doctype html><html><body>${"<p>Aftercare</p>".repeat(paragraphs)}</body></html>`);

/** @param {string} token */
function validToken(token) {
  const [head, body, signature] = token.split(".");
  if (!head || !body || !signature) return false;
  const expected = createHmac("sha256", secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  return typeof claims.exp === "number" && claims.exp * 1000 > Date.now();
}

const server = http.createServer((req, res) => {
  const token = new URL(req.url ?? "/", "http://ceiling").searchParams.get("id_token") ?? "";
  const ok = validToken(token);
  res.writeHead(ok ? 200 : 401, { "content-type": "text/html; charset=utf-8" });
  res.end(ok ? page : "bad session token");
});
server.keepAliveTimeout = 600_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  console.log(`ceiling listening on http://127.0.0.1:${port}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
