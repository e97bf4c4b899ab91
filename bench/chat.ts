// `npm run bench:chat` (issue 21, "Benchmark"; bench/README.md, "Live chat"): connected shoppers
// and agents exchanging messages through the production server (server.js, NODE_ENV=production),
// on SQLite and PostgreSQL, and the same load against a bare relay (bench/chat-ceiling.mjs).
//
// Everything goes over HTTP, as browsers send it: a shopper gets a chat token from the app proxy
// route (signed as Shopify signs it), posts a first message (which opens the chat), opens the
// stream (/chat/stream) and then, paced under the chat's limits (docs/decisions/0034), posts a
// message, waits for an agent's answer on the stream, and posts the next. Each agent holds the
// inbox's stream (/app/chat/stream, with a session token as the Shopify admin mints it), and
// answers its share of the conversations with the inbox's reply action (POST /app/inbox/<id>, as
// the page's fetcher sends it). Printed per database and server: delivery latency p50/p99
// shopper→agent (POST sent to the agent stream's notice) and agent→shopper (reply sent to the
// message on the shopper's stream), messages delivered per second, RSS per idle stream, and the
// ratio app/ceiling; and the storefront chat script's gzipped size.
//
//   npm run bench:chat -- [--db=sqlite|postgresql|all] [--shoppers=1000] [--agents=20]
//                         [--seconds=30] [--pace=10] [--no-build]
// (or BENCH_DB, BENCH_SHOPPERS, BENCH_AGENTS, BENCH_SECONDS, BENCH_PACE, BENCH_NO_BUILD=1).
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { Pool } from "undici";

import { signProxyQuery } from "../sandbox/app-proxy";
import { mintSessionToken } from "../sandbox/engine/auth";
import { shippedAsset } from "../scripts/build-storefront.mjs";
import { migrate } from "../scripts/migrate.mjs";

import { killChildren, startServer, stopChild, threadClock, type Server } from "./processes";
import { createScratchDatabase, postgresAdminUrl, postgresReachable } from "./postgres-scratch";

const root = join(import.meta.dirname, "..");
const resultsDir = join(root, "bench/results");
const SECRET = "aftercare-bench-chat-secret";
const API_KEY = "aftercare-bench-chat";
const SHOP = "chat-bench.myshopify.com";

function option(name: string, env: string, fallback: string) {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : (process.env[env] ?? fallback);
}
const dbChoice = option("db", "BENCH_DB", "all");
const shoppers = Number(option("shoppers", "BENCH_SHOPPERS", "1000"));
const agentCount = Number(option("agents", "BENCH_AGENTS", "20"));
const seconds = Number(option("seconds", "BENCH_SECONDS", "30"));
/**
 * Seconds between a conversation's messages (at least; the next waits for the answer): 10 s is six
 * a minute from the shopper and six answers; the limit is 20 a minute per conversation (3.5 s is 17).
 */
const paceS = Number(option("pace", "BENCH_PACE", "10"));
const skipBuild = process.argv.includes("--no-build") || process.env.BENCH_NO_BUILD === "1";
const buildDir = process.env.BUILD_DIR ?? "build";
/**
 * Extra node arguments for the app's process, e.g. BENCH_APP_NODE_ARGS="--cpu-prof" to see where a
 * message's time goes (the profile is written to the run's log folder, one per database).
 */
const appNodeArgsText = process.env.BENCH_APP_NODE_ARGS ?? "";
const appNodeArgs = (kind: string, logDir: string) => {
  const args = appNodeArgsText.split(/\s+/).filter(Boolean);
  return args.includes("--cpu-prof") ? [...args, `--cpu-prof-dir=${join(logDir, `${kind}-cpu-prof`)}`] : args;
};
/** How long a conversation waits for its answer before it sends the next message (counted as late). */
const DELIVERY_TIMEOUT_MS = 30_000;

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
/** A distinct address per shopper from the benchmarking block 198.18.0.0/15 (RFC 2544). */
const addressOf = (i: number) => `198.18.${(i >> 8) & 255}.${i & 255}`;

/** Runs `limit` of `tasks` at a time. */
async function inBatches<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Server-sent events over plain node:http, one socket per stream, as a browser holds it.

interface SseEvent {
  event: string;
  data: string;
}

interface Stream {
  close(): void;
  /** Resolves once the response's headers arrived (rejects on a non-200). */
  opened: Promise<void>;
}

function openStream(url: string, headers: Record<string, string>, onEvent: (e: SseEvent) => void): Stream {
  let req: http.ClientRequest;
  const opened = new Promise<void>((resolve, reject) => {
    req = http.get(url, { agent: false, headers: { accept: "text/event-stream", ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => reject(new Error(`stream ${res.statusCode}: ${body.slice(0, 300)}`)));
        return;
      }
      resolve();
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (data) onEvent({ event, data });
        }
      });
      res.on("error", () => {});
    });
    req.on("error", reject);
  });
  opened.catch(() => {});
  return { close: () => req.destroy(), opened };
}

// ---------------------------------------------------------------------------------------------
// The two targets: the app's routes and the relay's, behind one interface.

interface Target {
  name: "app" | "ceiling";
  server: Server;
  /** Opens shopper i's chat (token, first message); returns its conversation id and stream URL/headers. */
  openChat(i: number): Promise<{ conversationId: string; send: (text: string, clientId: string) => Promise<number> }>;
  shopperStream(i: number, conversationId: string, onEvent: (e: SseEvent) => void): Stream;
  agentStream(agent: number, onEvent: (e: SseEvent) => void): Stream;
  reply(agent: number, conversationId: string, text: string): Promise<number>;
}

function post(pool: Pool, path: string, headers: Record<string, string>, body: string) {
  return pool.request({ method: "POST", path, headers, body }).then(async (r) => {
    const text = await r.body.text();
    return { status: r.statusCode, text };
  });
}

function appTarget(server: Server, pool: Pool): Target {
  const tokens: string[] = [];
  const agentUser = (a: number) => String(9000 + a);
  const bearer = (a: number) =>
    `Bearer ${mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: SECRET, userId: agentUser(a) })}`;
  const replyRoute = encodeURIComponent("routes/app.inbox.$id");
  return {
    name: "app",
    server,
    async openChat(i) {
      const params = new URLSearchParams({
        shop: SHOP,
        logged_in_customer_id: "",
        path_prefix: "/apps/aftercare",
        timestamp: String(Math.floor(Date.now() / 1000)),
      });
      params.set("signature", signProxyQuery(params, SECRET));
      const issued = await pool.request({
        method: "GET",
        path: `/proxy/chat?${params}`,
        headers: { "x-forwarded-for": addressOf(i), accept: "application/json" },
      });
      const body = await issued.body.text();
      if (issued.statusCode !== 200) throw new Error(`chat token ${issued.statusCode}: ${body.slice(0, 300)}`);
      const token = JSON.parse(body).token as string;
      tokens[i] = token;
      const send = async (text: string, clientId: string) => {
        const r = await post(
          pool,
          `/chat/messages?shop=${SHOP}`,
          { "content-type": "text/plain", "x-forwarded-for": addressOf(i) },
          JSON.stringify({ token, kind: "message", text, clientId, locale: "en" }),
        );
        if (r.status !== 201) throw new Error(`message ${r.status}: ${r.text.slice(0, 300)}`);
        return r.status;
      };
      const first = await post(
        pool,
        `/chat/messages?shop=${SHOP}`,
        { "content-type": "text/plain", "x-forwarded-for": addressOf(i) },
        JSON.stringify({
          token,
          kind: "message",
          text: `Hello from shopper ${i}`,
          clientId: `open-${i}`,
          locale: "en",
        }),
      );
      if (first.status !== 201) throw new Error(`first message ${first.status}: ${first.text.slice(0, 300)}`);
      return { conversationId: JSON.parse(first.text).conversationId as string, send };
    },
    shopperStream(i, _conversationId, onEvent) {
      return openStream(
        `${server.url}/chat/stream?shop=${SHOP}&token=${encodeURIComponent(tokens[i])}`,
        { "x-forwarded-for": addressOf(i) },
        onEvent,
      );
    },
    agentStream(a, onEvent) {
      return openStream(`${server.url}/app/chat/stream`, { authorization: bearer(a) }, onEvent);
    },
    async reply(a, conversationId, text) {
      // As the inbox page's fetcher posts it (Remix data request; App Bridge adds the session token).
      const r = await post(
        pool,
        `/app/inbox/${encodeURIComponent(conversationId)}?_data=${replyRoute}`,
        { "content-type": "application/x-www-form-urlencoded", authorization: bearer(a) },
        new URLSearchParams({ intent: "reply", body: text }).toString(),
      );
      if (r.status !== 200) throw new Error(`reply ${r.status}: ${r.text.slice(0, 300)}`);
      return r.status;
    },
  };
}

function ceilingTarget(server: Server, pool: Pool): Target {
  const send = (path: string, text: string) =>
    post(pool, path, { "content-type": "text/plain" }, JSON.stringify({ text })).then((r) => {
      if (r.status !== 201) throw new Error(`relay ${r.status}`);
      return r.status;
    });
  return {
    name: "ceiling",
    server,
    async openChat(i) {
      const conversationId = `c${i}`;
      await send(`/chat/messages?c=${conversationId}`, `Hello from shopper ${i}`);
      return { conversationId, send: (text) => send(`/chat/messages?c=${conversationId}`, text) };
    },
    shopperStream(_i, conversationId, onEvent) {
      return openStream(`${server.url}/chat/stream?c=${conversationId}`, {}, onEvent);
    },
    agentStream(_a, onEvent) {
      return openStream(`${server.url}/agent/stream`, {}, onEvent);
    },
    reply(_a, conversationId, text) {
      return send(`/agent/reply?c=${conversationId}`, text);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One run of the load against one target.

/** Resident set size of a process (kB → bytes), the median of a few readings over ~2 s. */
async function rss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    readings.push(Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024);
    await sleep(500);
  }
  return readings.sort((a, b) => a - b)[2];
}

interface RunReport {
  target: "app" | "ceiling";
  setupS: number;
  setupRetries: number;
  setupFailureSamples: string[];
  rssNoStreams: number;
  rssIdleStreams: number;
  rssPerIdleStreamBytes: number;
  shopperToAgent: { n: number; p50: number; p99: number; max: number };
  agentToShopper: { n: number; p50: number; p99: number; max: number };
  /** How long the POSTs took to answer (shopper's message, agent's reply). */
  shopperPost: { n: number; p50: number; p99: number; max: number };
  replyPost: { n: number; p50: number; p99: number; max: number };
  messagesPerS: number;
  /** Every message posted while the conversations ran (warm-up and drain too), and the server's CPU
   * (all threads) and its main thread's wait for a core per message, in µs (Linux's schedstat). */
  posted: number;
  cpuUsPerMessage: number | null;
  mainWaitUsPerMessage: number | null;
  sent: number;
  /** Messages whose answer took longer than DELIVERY_TIMEOUT_MS (the conversation went on). */
  late: number;
  failures: number;
  failureSamples: string[];
  load: string;
}

async function runLoad(target: Target): Promise<RunReport> {
  const failures: string[] = [];
  const fail = (e: unknown) => failures.push(e instanceof Error ? e.message : String(e));
  const pid = target.server.child.pid!;

  // Every shopper opens a chat (a token, a first message), 32 at a time.
  const setupStarted = now();
  // 32 at once: request numbers come from one counter statement (migration 0032), so chats started
  // together no longer clash; a failure would still be counted as setupRetries and retried here.
  const setupFailures: string[] = [];
  const chats = await inBatches(shoppers, 32, async (i) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await target.openChat(i);
      } catch (e) {
        if (attempt >= 3) throw e;
        setupFailures.push(e instanceof Error ? e.message : String(e));
        await sleep(200);
      }
    }
  });
  const setupS = (now() - setupStarted) / 1000;
  const index = new Map(chats.map((c, i) => [c.conversationId, i]));
  await sleep(2_000);
  const rssNoStreams = await rss(pid);

  // Per conversation: the shopper message waiting for its agent, the reply waiting for its shopper.
  const pendingShopper: ({ tag: string; at: number; noticed: boolean } | null)[] = new Array(shoppers).fill(null);
  const pendingReply = new Map<string, { at: number; resolve: () => void }>();
  const s2a: number[] = [];
  const a2s: number[] = [];
  const shopperPosts: number[] = [];
  const replyPosts: number[] = [];
  let measureFrom = Infinity;
  let measureTo = Infinity;
  const count = { delivered: 0, posted: 0 };
  const inWindow = (at: number) => at >= measureFrom && at < measureTo;

  const streams: Stream[] = [];
  await inBatches(shoppers, 50, async (i) => {
    const stream = target.shopperStream(i, chats[i].conversationId, (e) => {
      if (e.event !== "message") return;
      const body = (JSON.parse(e.data) as { body?: string }).body ?? "";
      if (!body.startsWith("Re: ")) return;
      const waiting = pendingReply.get(body.slice(4));
      if (!waiting) return;
      pendingReply.delete(body.slice(4));
      if (inWindow(waiting.at)) {
        a2s.push(now() - waiting.at);
        count.delivered++;
      }
      waiting.resolve();
    });
    streams.push(stream);
    await stream.opened;
  });
  await sleep(3_000);
  const rssIdleStreams = await rss(pid);

  // The agents: each answers the conversations i with i % agents == its number.
  for (let a = 0; a < agentCount; a++) {
    const stream = target.agentStream(a, (e) => {
      if (e.event !== "message") return;
      const notice = JSON.parse(e.data) as { conversationId: string; from: string };
      if (notice.from !== "customer") return;
      const i = index.get(notice.conversationId);
      if (i === undefined || i % agentCount !== a) return;
      const pending = pendingShopper[i];
      if (!pending || pending.noticed) return;
      pending.noticed = true;
      const at = now();
      if (inWindow(pending.at)) {
        s2a.push(at - pending.at);
        count.delivered++;
      }
      const waiting = pendingReply.get(pending.tag);
      if (waiting) waiting.at = now();
      const replied = now();
      target
        .reply(a, notice.conversationId, `Re: ${pending.tag}`)
        .then(() => {
          count.posted++;
          if (inWindow(pending.at)) replyPosts.push(now() - replied);
        })
        .catch(fail);
    });
    streams.push(stream);
    await stream.opened;
  }

  // The conversations, paced, staggered over the first interval.
  const paceMs = paceS * 1000;
  const clockBefore = threadClock(pid);
  const started = now();
  measureFrom = started + paceMs;
  measureTo = measureFrom + seconds * 1000;
  let sent = 0;
  let late = 0;
  await Promise.all(
    chats.map(async (chat, i) => {
      await sleep(Math.random() * paceMs);
      for (let n = 0; ; n++) {
        const at = now();
        if (at >= measureTo) return;
        const tag = `${i}-${n}`;
        const arrived = new Promise<void>((resolve) => pendingReply.set(tag, { at: Infinity, resolve }));
        pendingShopper[i] = { tag, at, noticed: false };
        if (inWindow(at)) sent++;
        try {
          await chat.send(`Question ${tag}`, `q-${tag}`);
          count.posted++;
          if (inWindow(at)) shopperPosts.push(now() - at);
        } catch (e) {
          fail(e);
        }
        const timedOut = await Promise.race([arrived.then(() => false), sleep(DELIVERY_TIMEOUT_MS).then(() => true)]);
        // A late answer is still measured when it arrives; the conversation goes on meanwhile.
        if (timedOut && inWindow(at)) late++;
        await sleep(Math.max(0, at + paceMs - now()));
      }
    }),
  );
  const clockAfter = threadClock(pid);
  for (const s of streams) s.close();
  const handled = count.posted;
  const perMessage = (ns: number) => (clockBefore && clockAfter && handled ? ns / handled / 1e3 : null);
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return {
      n: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
    };
  };
  return {
    target: target.name,
    setupS,
    setupRetries: setupFailures.length,
    setupFailureSamples: [...new Set(setupFailures)].slice(0, 3),
    rssNoStreams,
    rssIdleStreams,
    rssPerIdleStreamBytes: (rssIdleStreams - rssNoStreams) / shoppers,
    shopperToAgent: stats(s2a),
    agentToShopper: stats(a2s),
    shopperPost: stats(shopperPosts),
    replyPost: stats(replyPosts),
    messagesPerS: count.delivered / seconds,
    posted: handled,
    cpuUsPerMessage: perMessage((clockAfter?.allCpuNs ?? 0) - (clockBefore?.allCpuNs ?? 0)),
    mainWaitUsPerMessage: perMessage((clockAfter?.mainWaitNs ?? 0) - (clockBefore?.mainWaitNs ?? 0)),
    sent,
    late,
    failures: failures.length,
    failureSamples: [...new Set(failures)].slice(0, 5),
    load: load(),
  };
}

// ---------------------------------------------------------------------------------------------
// Per database: a scratch database, the shop set up with the app's own code, the app, the relay.

type Kind = "sqlite" | "postgresql";

async function scratch(kind: Kind) {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "aftercare-bench-chat-"));
    const url = `file:${join(dir, "bench.sqlite")}`;
    await migrate(url);
    return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await createScratchDatabase("aftercare_bench_chat");
  await migrate(db.url);
  return db;
}

/** The shop: its offline session (what authenticate.admin loads), its agents, the assistant off (decision 0041). */
async function setUpShop(url: string) {
  const { createDb } = await import("../app/db.server");
  const { saveContactSettings } = await import("../app/models/contact.server");
  const { DEFAULT_CONTACT_SETTINGS } = await import("../app/domain/contact/settings");
  const { saveStaffMember } = await import("../app/models/staff.server");
  const db = createDb(url);
  try {
    await db.session.create({
      data: {
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "installed",
        isOnline: false,
        scope: "",
        accessToken: "shpat_bench",
      },
    });
    await saveContactSettings(db, SHOP, { ...DEFAULT_CONTACT_SETTINGS, assistant: { enabled: false } });
    for (let a = 0; a < agentCount; a++) {
      await saveStaffMember(
        db,
        SHOP,
        { userId: String(9000 + a), firstName: `Agent${a}`, lastName: "Bench", email: `agent${a}@bench.example` },
        new Date(),
      );
    }
  } finally {
    await db.$disconnect();
  }
}

async function benchDatabase(kind: Kind, logDir: string) {
  const db = await scratch(kind);
  try {
    await setUpShop(db.url);
    const common: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      BUILD_DIR: buildDir,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://aftercare-bench.example.com",
      SMTP_URL: "smtp://127.0.0.1:9",
      HOST: "127.0.0.1",
      PORT: "0",
    };
    const reports: RunReport[] = [];
    // The relay first, then the app, each alone on the machine (but for the bench).
    const ceiling = await startServer(
      "ceiling",
      join(root, "bench/chat-ceiling.mjs"),
      common,
      join(logDir, `${kind}-ceiling.log`),
    );
    try {
      const pool = new Pool(ceiling.url, { connections: 64, keepAliveTimeout: 600_000 });
      process.stdout.write(`  ${kind}: ceiling ...`);
      reports.push(await runLoad(ceilingTarget(ceiling, pool)));
      await pool.close();
      process.stdout.write(" done\n");
    } finally {
      await stopChild(ceiling.child);
    }
    // Jobs off: nothing a chat message does waits on one, and their polling is not what is measured.
    const app = await startServer(
      "app",
      join(root, "server.js"),
      { ...common, DATABASE_URL: db.url, RUN_JOBS_IN_WEB: "false" },
      join(logDir, `${kind}-app.log`),
      appNodeArgs(kind, logDir),
    );
    try {
      const pool = new Pool(app.url, { connections: 64, keepAliveTimeout: 600_000 });
      process.stdout.write(`  ${kind}: app ...`);
      reports.push(await runLoad(appTarget(app, pool)));
      await pool.close();
      process.stdout.write(" done\n");
    } finally {
      await stopChild(app.child);
    }
    return { kind, ceiling: reports[0], app: reports[1], serverErrors: app.errors.slice(0, 20) };
  } finally {
    await db.drop();
  }
}

// ---------------------------------------------------------------------------------------------

/** Newest modification time under a folder (ms). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function buildIfStale() {
  const built = join(root, buildDir, "server/index.js");
  const stale = !existsSync(built) || statSync(built).mtimeMs < newest(join(root, "app"));
  if (!stale) return;
  if (skipBuild) {
    console.log(`${buildDir}/ is ${existsSync(built) ? "older than app/" : "missing"}; --no-build: using it as it is.`);
    if (!existsSync(built)) throw new Error(`${buildDir}/server/index.js is missing: build first (npm run build)`);
    return;
  }
  console.log(`Building the app (npm run build${process.env.BUILD_DIR ? `, BUILD_DIR=${buildDir}` : ""}) ...`);
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) throw new Error("npm run build failed");
}

function chatScriptSize() {
  const file = join(root, "extensions/aftercare/assets/chat.js");
  if (!existsSync(file)) return null;
  return gzipSync(shippedAsset(file), { level: 9 }).length;
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "–");

async function main() {
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  mkdirSync(resultsDir, { recursive: true });
  const logDir = join(resultsDir, `chat-logs-${runId}`);
  mkdirSync(logDir, { recursive: true });
  buildIfStale();
  const kinds: Kind[] = [];
  if (dbChoice === "all" || dbChoice === "sqlite") kinds.push("sqlite");
  if (dbChoice === "all" || dbChoice === "postgresql") {
    if (await postgresReachable()) kinds.push("postgresql");
    else console.log(`PostgreSQL not reachable at ${postgresAdminUrl.replace(/:[^:@/]*@/, ":***@")}: skipped.`);
  }
  const loadBefore = load();
  console.log(
    `Live chat: ${shoppers} shoppers, ${agentCount} agents, a message every ${paceS} s per conversation, ` +
      `${seconds} s measured; load average ${loadBefore}`,
  );
  const results = [];
  for (const kind of kinds) results.push(await benchDatabase(kind, logDir));
  const script = chatScriptSize();

  const rows = results.flatMap((r) =>
    [r.ceiling, r.app].map((x) => [
      r.kind === "sqlite" ? "SQLite" : "PostgreSQL",
      x.target,
      `${ms(x.shopperToAgent.p50)} / ${ms(x.shopperToAgent.p99)}`,
      `${ms(x.agentToShopper.p50)} / ${ms(x.agentToShopper.p99)}`,
      `${ms(x.shopperPost.p50)} / ${ms(x.shopperPost.p99)}`,
      `${ms(x.replyPost.p50)} / ${ms(x.replyPost.p99)}`,
      x.messagesPerS.toFixed(0),
      `${(x.rssPerIdleStreamBytes / 1024).toFixed(1)}`,
      `${x.cpuUsPerMessage?.toFixed(0) ?? "–"} / ${x.mainWaitUsPerMessage?.toFixed(0) ?? "–"}`,
      `${x.late}/${x.failures}`,
      x.load,
    ]),
  );
  const head = [
    "database",
    "server",
    "shopper→agent p50/p99 ms",
    "agent→shopper p50/p99 ms",
    "shopper POST p50/p99 ms",
    "reply POST p50/p99 ms",
    "msgs/s",
    "RSS/idle stream kB",
    "CPU / wait µs/msg",
    "late/failed",
    "load avg",
  ];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((v, c) => v.padEnd(widths[c])).join(" | ")} |`;
  console.log();
  console.log(line(head));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(r));
  console.log();
  for (const r of results) {
    const { app, ceiling } = r;
    const worstP99 = Math.max(app.shopperToAgent.p99, app.agentToShopper.p99);
    const s2a = (k: "p50" | "p99") => ratio(app.shopperToAgent[k], ceiling.shopperToAgent[k]);
    const a2s = (k: "p50" | "p99") => ratio(app.agentToShopper[k], ceiling.agentToShopper[k]);
    const failed = app.failureSamples.length ? `; failures: ${app.failureSamples.join(" | ")}` : "";
    console.log(
      `${r.kind}: app/ceiling msgs/s ${ratio(app.messagesPerS, ceiling.messagesPerS)}, ` +
        `p50 ${s2a("p50")} / ${a2s("p50")}, p99 ${s2a("p99")} / ${a2s("p99")} (shopper→agent / agent→shopper); ` +
        `p99 < 100 ms: ${worstP99 < 100 ? "met" : "not met"} (${ms(worstP99)} ms)${failed}`,
    );
  }
  const scriptSize = script === null ? "n/a" : `${script.toLocaleString("en")} B`;
  console.log(`chat script (extensions/aftercare/assets/chat.js, minified) gzipped: ${scriptSize}`);
  const file = join(resultsDir, `chat-${runId}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        runId,
        shoppers,
        agents: agentCount,
        seconds,
        paceS,
        loadBefore,
        loadAfter: load(),
        chatScriptGzipBytes: script,
        results,
      },
      null,
      2,
    ),
  );
  console.log(`Results: ${file}`);
}

await main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killChildren);
