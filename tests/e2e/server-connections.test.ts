import { request as httpRequest } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_CONTACT_SETTINGS } from "../../app/domain/contact/settings";
import { saveContactSettings } from "../../app/models/contact.server";
import { STREAM_LIMITS } from "../../app/services/contact/chat-stream.server";
import { stopChild, type Server } from "../../bench/processes";
import { proxyRequest } from "../helpers/app-proxy";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

import { startProductionServer } from "./production-server";

// How the production server (server.js) handles connections.
//
// A live stream ends on the server when its client goes away, however long it was open. Remix
// hands a route a Request whose abort signal hangs on intermediate Requests by weak references
// only (Node's fetch, undici): after a garbage collection the route never hears that the client
// left (decision 0047). The production server runs here with a collection every 50 ms. A body over
// a route's limit is answered with a 413 the client can read (decision 0048).

const SECRET = "aftercare-stream-close-secret";
const SHOP = "stream-close.myshopify.com";

describe("a chat stream whose shopper left, in the production server", () => {
  let t: TestDatabase;
  let app: Server;

  beforeAll(async () => {
    t = await createTestDatabase("sqlite");
    await saveContactSettings(t.db, SHOP, { ...DEFAULT_CONTACT_SETTINGS, assistant: { enabled: false } });
    app = await startProductionServer({
      name: "web",
      secret: SECRET,
      databaseUrl: t.url,
      log: "stream-close",
      nodeArgs: ["--expose-gc", "--import", "./tests/helpers/gc-often.mjs"],
    });
  }, 120_000);
  afterAll(async () => {
    if (app) await stopChild(app.child);
    await t?.drop();
  });

  it("frees the window's place once the shopper closes it, after garbage was collected meanwhile", async () => {
    const signed = new URL(proxyRequest("chat", {}, { shop: SHOP, secret: SECRET }).url);
    const issued = await (await fetch(`${app.url}${signed.pathname}${signed.search}`)).json();
    const first = await fetch(`${app.url}/chat/messages?shop=${SHOP}`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ token: issued.token, kind: "message", text: "hello", clientId: "m0" }),
    });
    expect(first.status).toBe(201);
    const streamUrl = `${app.url}/chat/stream?shop=${SHOP}&token=${encodeURIComponent(issued.token)}`;

    // Three rounds of a shopper's every allowed window opened, read from, and closed: a window
    // whose end the server missed keeps its place, and the next round is refused with a 429.
    for (let round = 0; round < 3; round++) {
      const windows = await Promise.all(
        Array.from({ length: STREAM_LIMITS.perVisitor }, async () => {
          const controller = new AbortController();
          const res = await fetch(streamUrl, { signal: controller.signal });
          expect(res.status).toBe(200);
          const reader = res.body!.getReader();
          await reader.read();
          return { controller, reader };
        }),
      );
      // Long enough for several collections while the windows are open.
      await new Promise((r) => setTimeout(r, 400));
      for (const w of windows) w.controller.abort();
      await new Promise((r) => setTimeout(r, 400));
    }
    const again = await fetch(streamUrl);
    expect(again.status).toBe(200);
    await again.body?.cancel();
  }, 60_000);

  /**
   * Posts to `path` with Node's own client, either declaring `declared` bytes or streaming without a
   * length, sending 64 KB chunks until the server answers (at most 64 MB): the answer and how much
   * was sent by then.
   */
  function postUntilAnswered(path: string, declared?: number) {
    return new Promise<{ status: number; body: string; sent: number; connection: string | undefined }>(
      (resolve, reject) => {
        const url = new URL(path, app.url);
        const req = httpRequest(url, {
          method: "POST",
          headers: { "content-type": "text/plain", ...(declared ? { "content-length": String(declared) } : {}) },
        });
        let sent = 0;
        let answered = false;
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const limit = declared ?? 64 * 1024 * 1024;
        const pump = (): void => {
          // eslint-disable-next-line no-unmodified-loop-condition -- set by the response handler between writes
          while (!answered && sent < limit) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once("drain", pump);
              return;
            }
          }
        };
        req.on("response", (res) => {
          answered = true;
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sent, connection: res.headers.connection }));
        });
        req.on("error", (error) => (answered ? undefined : reject(error)));
        pump();
      },
    );
  }

  it("answers a body over a route's limit with a 413 the client can read, streamed or declared", async () => {
    const streamed = await postUntilAnswered(`/chat/messages?shop=${SHOP}`);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).message).toMatch(/too long/);
    expect(streamed.connection).toBe("close");
    // Answered long before the 64 MB the client was ready to send.
    expect(streamed.sent).toBeLessThan(16 * 1024 * 1024);

    const declared = await postUntilAnswered(`/chat/messages?shop=${SHOP}`, 32 * 1024 * 1024);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).message).toMatch(/too long/);

    // The server still answers everyone else.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
