// The live chat's ceiling (`npm run bench:chat`, bench/chat.ts): a bare Node relay with the same
// shape as the app's chat (docs/decisions/0034) and nothing else: server-sent events out, POST in,
// each message numbered per conversation and written to that conversation's streams and, as a
// notice, to every agent stream; no database, no token, no limit. Nothing the app does per message
// can be cheaper, so app/ceiling says how much of the machine's relaying capacity the app keeps.
//
//   GET  /chat/stream?c=<conversation>   a shopper's stream (event: message, data {seq, body, author})
//   POST /chat/messages?c=<conversation> a shopper's message, JSON {text}; 201 {conversationId, seq}
//   GET  /agent/stream                   every conversation's notices
//                                        (event: message, data {conversationId, from, seq})
//   POST /agent/reply?c=<conversation>   an agent's reply, JSON {text}; 201 {conversationId, seq}
import http from "node:http";

/** @type {Map<string, Set<import("node:http").ServerResponse>>} */
const conversations = new Map();
/** @type {Map<string, number>} */
const seqs = new Map();
/** @type {Set<import("node:http").ServerResponse>} */
const agents = new Set();

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "access-control-allow-origin": "*",
};

/**
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {Set<import("node:http").ServerResponse>} set
 */
function openStream(req, res, set) {
  res.writeHead(200, SSE_HEADERS);
  res.write(": open\n\n");
  set.add(res);
  req.on("close", () => set.delete(res));
}

/** @param {string} conversationId @param {"customer" | "merchant"} from @param {string} body */
function relay(conversationId, from, body) {
  const seq = (seqs.get(conversationId) ?? 0) + 1;
  seqs.set(conversationId, seq);
  const message = `id: ${seq}\nevent: message\ndata: ${JSON.stringify({ seq, body, author: from })}\n\n`;
  for (const res of conversations.get(conversationId) ?? []) res.write(message);
  const notice = `event: message\ndata: ${JSON.stringify({ conversationId, from, preview: null, seq })}\n\n`;
  for (const res of agents) res.write(notice);
  return seq;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://relay");
  const conversationId = url.searchParams.get("c") ?? "";
  if (req.method === "GET" && url.pathname === "/chat/stream") {
    let set = conversations.get(conversationId);
    if (!set) conversations.set(conversationId, (set = new Set()));
    return openStream(req, res, set);
  }
  if (req.method === "GET" && url.pathname === "/agent/stream") return openStream(req, res, agents);
  if (req.method === "POST" && (url.pathname === "/chat/messages" || url.pathname === "/agent/reply")) {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      let text = "";
      try {
        text = String(JSON.parse(Buffer.concat(chunks).toString("utf8")).text ?? "");
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid_request"}');
        return;
      }
      const seq = relay(conversationId, url.pathname === "/chat/messages" ? "customer" : "merchant", text);
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ conversationId, seq }));
    });
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 600_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  console.log(`chat ceiling listening on http://127.0.0.1:${port}`);
});
process.once("SIGTERM", () => {
  for (const res of agents) res.end();
  for (const set of conversations.values()) for (const res of set) res.end();
  server.close(() => process.exit(0));
});
