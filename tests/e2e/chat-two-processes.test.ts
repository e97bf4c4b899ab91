import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  postgresChatBus,
  chatBusReady,
  type ChatBus,
  type ChatEvent,
} from "../../app/services/contact/chat-bus.server";
import { DEFAULT_CONTACT_SETTINGS } from "../../app/domain/contact/settings";
import { saveContactSettings } from "../../app/models/contact.server";
import { sendAgentMessage } from "../../app/services/contact/chat.server";
import { stopChild, type Server } from "../../bench/processes";
import { proxyRequest } from "../helpers/app-proxy";
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from "../helpers/db";

import { startProductionServer } from "./production-server";

// Live chat on PostgreSQL with two web processes of the production build (server.js), as a
// deployment runs them (docs/decisions/0034): the shopper posts to one and reads the stream from
// the other, while agents (a third connection, as a third process) answer concurrently. Every
// message reaches the stream once, in sequence, through LISTEN/NOTIFY alone.

const SECRET = "aftercare-two-processes-secret";
const SHOP = "two-processes.myshopify.com";

/** Whether a PostgreSQL server answers (npm test runs the e2e leg without one too). */
async function postgresAnswers() {
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(!(await postgresAnswers()))("live chat across two web processes on PostgreSQL", () => {
  let t: TestDatabase;
  let a: Server;
  let b: Server;
  let agents: ChatBus;

  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    // The transport alone: with nobody available, the assistant (decision 0041) would answer too.
    await saveContactSettings(t.db, SHOP, { ...DEFAULT_CONTACT_SETTINGS, assistant: { enabled: false } });
    // Both at once, as a deployment starts them: their start-up work takes turns (oneProcessAtATime).
    const start = (name: string) =>
      startProductionServer({
        name: `web ${name}`,
        secret: SECRET,
        databaseUrl: t.url,
        log: `chat-two-processes-${name}`,
      });
    [a, b] = await Promise.all([start("a"), start("b")]);
    agents = postgresChatBus(t.url);
    await chatBusReady(agents);
  }, 120_000);
  afterAll(async () => {
    await agents?.close();
    await Promise.all([a, b].filter(Boolean).map((s) => stopChild(s.child)));
    await t?.drop();
  });

  const post = (server: Server, body: object, ip: string) =>
    fetch(`${server.url}/chat/messages?shop=${SHOP}`, {
      method: "POST",
      headers: { "content-type": "text/plain", "x-forwarded-for": ip },
      body: JSON.stringify(body),
    });

  it("delivers every message, from either process or the agents, to a stream on the other once, in order", async () => {
    // The token comes from the app proxy (signed as Shopify signs it), from process A.
    const signed = new URL(proxyRequest("chat", {}, { shop: SHOP, secret: SECRET }).url);
    const issued = await (await fetch(`${a.url}${signed.pathname}${signed.search}`)).json();
    expect(issued.token).toBeTruthy();
    const first = await post(a, { token: issued.token, kind: "message", text: "first", clientId: "m0" }, "192.0.2.1");
    expect(first.status).toBe(201);
    const { conversationId } = await first.json();

    // The agents' side (another process) hears the shopper typing on process A.
    const heard: ChatEvent[] = [];
    const stop = agents.subscribe(SHOP, (e) => heard.push(e));

    // The shopper's stream, on process B.
    const controller = new AbortController();
    const stream = await fetch(`${b.url}/chat/stream?shop=${SHOP}&token=${encodeURIComponent(issued.token)}`, {
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    const seen: { id: number; body: string }[] = [];
    const reading = (async () => {
      let buffer = "";
      while (seen.length < 21) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (id && data && /^event: message$/m.test(block)) seen.push({ id: Number(id), body: JSON.parse(data).body });
        }
      }
    })();

    await post(a, { token: issued.token, kind: "typing", text: "is it" }, "192.0.2.1");
    const deps = { db: t.db, secret: SECRET, now: new Date(), bus: agents };
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        post(
          i % 2 ? a : b,
          { token: issued.token, kind: "message", text: `shopper ${i}`, clientId: `m${i + 1}` },
          `192.0.2.${i + 2}`,
        ),
      ),
      ...Array.from({ length: 10 }, (_, i) => sendAgentMessage(deps, SHOP, conversationId, `agent ${i}`, null)),
    ]);
    await Promise.race([
      reading,
      new Promise((_, reject) => setTimeout(() => reject(new Error("stream timed out")), 20_000)),
    ]);
    controller.abort();
    stop();

    expect(seen.map((m) => m.id)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(new Set(seen.map((m) => m.body)).size).toBe(21);
    expect(heard.some((e) => e.kind === "typing" && e.from === "customer" && e.preview === "is it")).toBe(true);
    expect(a.errors.filter((l) => /error/i.test(l))).toEqual([]);
    expect(b.errors.filter((l) => /error/i.test(l))).toEqual([]);
  }, 60_000);
});
