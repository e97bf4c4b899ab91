// `npm run bench`'s stream part (bench/README.md, "Keeping up"): an open-loop stream of a shop's
// mixed webhooks at rising offered rates into the production server; per rate, events applied per
// second, 200→visible p50/p99 (from the sender's 200 to the event's change being in the mirror),
// effects worked off, CPU per applied event, until the p99 passes 2 s. Then the ceiling: the same
// events written with plain batched SQL on the database's own driver (no Prisma, no inbox), and
// the ratio. On PostgreSQL the web process only records (RUN_JOBS_IN_WEB=false) and `--workers`
// worker.js processes apply.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

import { ADMIN_API_VERSION } from "../app/shopify/api-version";
import { sqliteTime } from "../app/db.server";
import {
  customerFromPayload,
  fulfillmentEventFromPayload,
  fulfillmentFromPayload,
  orderFromPayload,
  refundFromPayload,
} from "../app/webhooks/payloads";

import { appNodeArgs, appTuning, children, startServer, stopChild, type Server } from "./processes";
import { interleave, orderEvents } from "./stream-events";
import type { StreamLoadResult } from "./stream-load";

const root = join(import.meta.dirname, "..");
/** A rate is held when its p99 is under this and the mirror took in what was offered. */
const HELD_P99_MS = 2_000;
/** After a rate's window, how long the mirror may take to catch up before its events count as lost. */
const CATCH_UP_MS = 120_000;

export interface StreamOptions {
  kind: "sqlite" | "postgresql";
  url: string;
  secret: string;
  logDir: string;
  common: NodeJS.ProcessEnv;
  rates: number[];
  seconds: number;
  workers: number;
}

export interface RateReport {
  offered: number;
  sent: number;
  acked: number;
  appliedPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From the window's first 200 until every effect of its events had run, in s. */
  effectsDoneS: number | null;
  cpuMsPerEvent: number;
  lost: number;
  doubled: number;
  generatorLagMs: number;
  load: string;
  held: boolean;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** CPU (user + system) of a process and its threads so far, in ms (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;

interface Inspector {
  /** Inbox rows of the shop's webhook ids with the prefix: status and when the mirror took it (epoch ms). */
  rows(shop: string): Promise<{ webhookId: string; status: string; processedAt: number | null }[]>;
  /** Mirror rows of the shop, per table (doubles would show as more rows than events). */
  counts(shop: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}

async function inspector(kind: "sqlite" | "postgresql", url: string): Promise<Inspector> {
  const tables = ["Order", "Fulfillment", "FulfillmentEvent", "Refund", "Customer"];
  const toMs = (v: unknown) => (v === null ? null : v instanceof Date ? v.getTime() : Date.parse(String(v)));
  if (kind === "sqlite") {
    const raw = new Database(url.slice("file:".length), { readonly: true, fileMustExist: true, timeout: 5000 });
    return {
      async rows(shop) {
        const rows = raw
          .prepare(`SELECT webhookId, status, processedAt FROM WebhookEvent WHERE shop = ?`)
          .all(shop) as { webhookId: string; status: string; processedAt: unknown }[];
        return rows.map((r) => ({ ...r, processedAt: toMs(r.processedAt) }));
      },
      async counts(shop) {
        return Object.fromEntries(
          tables.map((t) => [
            t,
            (raw.prepare(`SELECT COUNT(*) AS n FROM "${t}" WHERE shop = ?`).get(shop) as { n: number }).n,
          ]),
        );
      },
      async close() {
        raw.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  // timestamp without time zone holds UTC: read it as UTC whatever the machine's zone.
  client.setTypeParser(1114, (text: string) => new Date(`${text.replace(" ", "T")}Z`));
  await client.connect();
  return {
    async rows(shop) {
      const { rows } = await client.query(
        `SELECT "webhookId", status, "processedAt" FROM "WebhookEvent" WHERE shop = $1`,
        [shop],
      );
      return rows.map((r) => ({ webhookId: r.webhookId, status: r.status, processedAt: toMs(r.processedAt) }));
    },
    async counts(shop) {
      const out: Record<string, number> = {};
      for (const t of tables) {
        out[t] = Number((await client.query(`SELECT COUNT(*) AS n FROM "${t}" WHERE shop = $1`, [shop])).rows[0].n);
      }
      return out;
    },
    async close() {
      await client.end();
    },
  };
}

function startStreamLoad(secret: string) {
  const child = fork(join(root, "bench/stream-load.ts"), [JSON.stringify({ secret, apiVersion: ADMIN_API_VERSION })], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.add(child);
  let next = 0;
  return {
    run(job: { url: string; shop: string; rate: number; seconds: number; base: number; idPrefix: string }) {
      const id = next++;
      return new Promise<StreamLoadResult>((resolve, reject) => {
        const onMessage = (m: { id: number; result?: StreamLoadResult; error?: string }) => {
          if (m.id !== id) return;
          child.off("message", onMessage);
          if (m.error) reject(new Error(m.error));
          else resolve(m.result!);
        };
        child.on("message", onMessage);
        child.send({ id, ...job });
      });
    },
    close: () => stopChild(child, 5_000),
  };
}

/** Runs the stream against the app on `url`'s database; returns each rate's figures and the ceiling. */
export async function streamBench(o: StreamOptions) {
  const processes: Server[] = [];
  const postgres = o.kind === "postgresql";
  const app = await startServer(
    "app",
    join(root, "server.js"),
    { ...o.common, ...appTuning(), DATABASE_URL: o.url, RUN_JOBS_IN_WEB: postgres ? "false" : "true" },
    join(o.logDir, `${o.kind}-stream-app.log`),
    appNodeArgs(),
  );
  processes.push(app);
  const workers: { pid: number }[] = [];
  if (postgres) {
    for (let i = 0; i < o.workers; i++) {
      const { spawn } = await import("node:child_process");
      const worker = spawn(process.execPath, [...appNodeArgs(), join(root, "worker.js")], {
        cwd: root,
        env: { ...o.common, ...appTuning(), DATABASE_URL: o.url },
        stdio: ["ignore", "ignore", "inherit"],
      });
      children.add(worker);
      workers.push({ pid: worker.pid! });
      processes.push({ url: "", child: worker, errors: [] });
    }
    await new Promise((r) => setTimeout(r, 3_000)); // the workers' pg-boss start
  }
  const pids = [app.child.pid!, ...workers.map((w) => w.pid)];
  const look = await inspector(o.kind, o.url);
  const gen = startStreamLoad(o.secret);
  const reports: RateReport[] = [];
  try {
    for (const [index, rate] of o.rates.entries()) {
      const shop = `stream-${index}.myshopify.com`;
      const cpuBefore = pids.reduce((n, pid) => n + cpuMs(pid), 0);
      const result = await gen.run({
        url: `${app.url}/webhooks`,
        shop,
        rate,
        seconds: o.seconds,
        base: 10_000_000 + index * 1_000_000,
        idPrefix: `stream-${index}`,
      });
      const acked = new Map(result.acks);
      // Wait until the mirror holds every acknowledged event, then until their effects have run.
      const deadline = Date.now() + CATCH_UP_MS;
      let rows = await look.rows(shop);
      const mirrored = (r: { status: string }) => !["pending", "processing", "failed"].includes(r.status);
      while (Date.now() < deadline && rows.filter(mirrored).length < acked.size) {
        await new Promise((r) => setTimeout(r, 200));
        rows = await look.rows(shop);
      }
      const cpuAfterMirror = pids.reduce((n, pid) => n + cpuMs(pid), 0);
      const firstAck = Math.min(...result.acks.map(([, at]) => at));
      let effectsDoneS: number | null = null;
      while (Date.now() < deadline) {
        const done = (await look.rows(shop)).filter((r) => r.status === "processed").length;
        if (done >= acked.size) {
          effectsDoneS = (Date.now() - firstAck) / 1000;
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const lags: number[] = [];
      let lastApplied = firstAck;
      for (const r of rows) {
        const at = acked.get(r.webhookId);
        if (at === undefined || r.processedAt === null || !mirrored(r)) continue;
        lags.push(Math.max(0, r.processedAt - at));
        lastApplied = Math.max(lastApplied, r.processedAt);
      }
      lags.sort((a, b) => a - b);
      const counts = await look.counts(shop);
      const expected = {
        Order: new Set(result.acks.map(([id]) => id.split("-")[2])).size,
        FulfillmentEvent: result.topics["fulfillment_events/create"] ?? 0,
        Refund: result.topics["refunds/create"] ?? 0,
      };
      const doubled =
        Math.max(0, counts.FulfillmentEvent - expected.FulfillmentEvent) + Math.max(0, counts.Refund - expected.Refund);
      const report: RateReport = {
        offered: rate,
        sent: result.sent,
        acked: acked.size,
        appliedPerS: lags.length / Math.max(0.001, (lastApplied - firstAck) / 1000),
        p50Ms: percentile(lags, 50),
        p99Ms: percentile(lags, 99),
        maxMs: lags[lags.length - 1] ?? 0,
        effectsDoneS,
        cpuMsPerEvent: (cpuAfterMirror - cpuBefore) / Math.max(1, lags.length),
        lost: acked.size - lags.length + result.non2xx + result.errors,
        doubled,
        generatorLagMs: result.maxLagMs,
        load: load(),
        held: false,
      };
      report.held = report.lost === 0 && report.doubled === 0 && report.p99Ms < HELD_P99_MS;
      reports.push(report);
      console.log(
        `  ${o.kind} stream ${rate}/s: applied ${report.appliedPerS.toFixed(0)}/s, ` +
          `200→visible p50 ${report.p50Ms.toFixed(0)} ` +
          `p99 ${report.p99Ms.toFixed(0)} ms, effects done after ${effectsDoneS?.toFixed(1) ?? "> 120"} s, ` +
          `${report.cpuMsPerEvent.toFixed(2)} ms CPU/event, lost ${report.lost}, doubled ${report.doubled}, ` +
          `orders ${counts.Order}/${expected.Order}; load ${report.load}`,
      );
      if (!report.held) break;
    }
  } finally {
    await gen.close();
    await look.close();
    for (const p of processes) await stopChild(p.child);
  }
  const top = Math.max(...o.rates);
  const ceiling = await plainSqlCeiling(o.kind, o.url, Math.round(top * o.seconds));
  return { reports, ceiling };
}

// ---------------------------------------------------------------------------------------------
// The ceiling: the same kind of stream, parsed with the app's payload readers (plain functions) and
// written in batches of 400 events, one transaction each, one multi-row upsert per table, on the
// database's own driver: no Prisma, no inbox, no effects.

type Row = Record<string, unknown>;

function upsertSql(
  kind: "sqlite" | "postgresql",
  table: string,
  rows: Row[],
  conflict: string[],
  newest?: string,
  returning = "",
) {
  const columns = Object.keys(rows[0]);
  const args: unknown[] = [];
  const tuples = rows.map(
    (row) =>
      `(${columns
        .map((c) => {
          const v = row[c];
          args.push(
            v instanceof Date
              ? kind === "sqlite"
                ? sqliteTime(v)
                : v
              : typeof v === "boolean" && kind === "sqlite"
                ? Number(v)
                : v,
          );
          return kind === "sqlite" ? "?" : `$${args.length}`;
        })
        .join(", ")})`,
  );
  const set = columns.filter((c) => !conflict.includes(c) && c !== "id").map((c) => `"${c}" = excluded."${c}"`);
  const action = newest
    ? `DO UPDATE SET ${set.join(", ")} WHERE "${table}"."${newest}" <= excluded."${newest}"`
    : "DO NOTHING";
  const sql =
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")} ` +
    `ON CONFLICT (${conflict.map((c) => `"${c}"`).join(", ")}) ${action}${returning ? ` RETURNING ${returning}` : ""}`;
  return { sql, args };
}

let idCounter = 0;
const rowId = () => `cplain${(idCounter++).toString(36).padStart(10, "0")}`;

async function plainSqlCeiling(kind: "sqlite" | "postgresql", url: string, total: number) {
  const shop = "ceiling.myshopify.com";
  const events = interleave(
    orderEvents(Math.ceil(total / 5) + 10, { base: 90_000_000, idPrefix: "ceiling" }),
    16,
  ).slice(0, total);
  const sqlite = kind === "sqlite" ? new Database(url.slice("file:".length), { timeout: 5000 }) : undefined;
  const client = kind === "postgresql" ? new pg.Client({ connectionString: url }) : undefined;
  await client?.connect();
  const exec = async (q: { sql: string; args: unknown[] }): Promise<Row[]> => {
    if (sqlite) {
      const statement = sqlite.prepare(q.sql);
      return statement.reader ? (statement.all(...q.args) as Row[]) : (statement.run(...q.args), []);
    }
    return (await client!.query(q.sql, q.args)).rows;
  };
  const now = new Date();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let at = 0; at < events.length; at += 400) {
    const batch = events.slice(at, at + 400);
    const orders = new Map<string, ReturnType<typeof orderFromPayload>>();
    const fulfillments = new Map<string, ReturnType<typeof fulfillmentFromPayload>>();
    const scans: ReturnType<typeof fulfillmentEventFromPayload>[] = [];
    const refunds = new Map<string, ReturnType<typeof refundFromPayload>>();
    const customers = new Map<string, ReturnType<typeof customerFromPayload>>();
    for (const e of batch) {
      const payload = JSON.parse(e.body);
      if (e.topic.startsWith("orders/")) {
        const o = orderFromPayload(payload);
        orders.set(o.shopifyId, o);
        for (const f of payload.fulfillments ?? []) {
          const r = fulfillmentFromPayload(f, o.shopifyId);
          fulfillments.set(r.shopifyId, r);
        }
      } else if (e.topic.startsWith("fulfillments/")) {
        const f = fulfillmentFromPayload(payload);
        fulfillments.set(f.shopifyId, f);
      } else if (e.topic === "fulfillment_events/create") scans.push(fulfillmentEventFromPayload(payload));
      else if (e.topic === "refunds/create") {
        const r = refundFromPayload(payload);
        refunds.set(r.shopifyId, r);
      } else if (e.topic.startsWith("customers/")) {
        const c = customerFromPayload(payload);
        customers.set(c.shopifyId, c);
      }
    }
    if (sqlite) sqlite.exec("BEGIN IMMEDIATE");
    else await client!.query("BEGIN");
    if (customers.size)
      await exec(
        upsertSql(
          kind,
          "Customer",
          [...customers.values()].map((c) => ({ id: rowId(), shop, ...c, createdAt: now, updatedAt: now })),
          ["shop", "shopifyId"],
          "shopifyUpdatedAt",
        ),
      );
    if (orders.size) {
      const written = await exec(
        upsertSql(
          kind,
          "Order",
          [...orders.values()].map(({ lineItems: _l, ...o }) => ({
            id: rowId(),
            shop,
            ...o,
            createdAt: now,
            updatedAt: now,
          })),
          ["shop", "shopifyId"],
          "shopifyUpdatedAt",
          `"id", "shopifyId"`,
        ),
      );
      const items = written.flatMap((w) =>
        orders.get(String(w.shopifyId))!.lineItems.map((li) => ({ id: rowId(), orderId: w.id, ...li })),
      );
      if (items.length) await exec(upsertSql(kind, "LineItem", items, ["orderId", "shopifyId"], undefined));
    }
    if (fulfillments.size) {
      const written = await exec(
        upsertSql(
          kind,
          "Fulfillment",
          [...fulfillments.values()].map(({ lines: _l, trackingNumbers, trackingUrls, ...f }) => ({
            id: rowId(),
            shop,
            ...f,
            deliveredAt: f.deliveredAt ?? null,
            inTransitAt: f.inTransitAt ?? null,
            trackingNumbers: JSON.stringify(trackingNumbers),
            trackingUrls: JSON.stringify(trackingUrls),
            createdAt: now,
            updatedAt: now,
          })),
          ["shop", "shopifyId"],
          "shopifyUpdatedAt",
          `"id", "shopifyId"`,
        ),
      );
      const lines = written.flatMap((w) =>
        fulfillments.get(String(w.shopifyId))!.lines.map((l) => ({ id: rowId(), fulfillmentId: w.id, ...l })),
      );
      if (lines.length) await exec(upsertSql(kind, "FulfillmentLine", lines, ["fulfillmentId", "lineItemShopifyId"]));
    }
    if (scans.length)
      await exec(
        upsertSql(
          kind,
          "FulfillmentEvent",
          scans.map((s) => ({ id: rowId(), shop, ...s, createdAt: now })),
          ["shop", "shopifyId"],
        ),
      );
    if (refunds.size)
      await exec(
        upsertSql(
          kind,
          "Refund",
          [...refunds.values()].map(({ lines: _l, ...r }) => ({ id: rowId(), shop, ...r, createdAt: now })),
          ["shop", "shopifyId"],
        ),
      );
    if (sqlite) sqlite.exec("COMMIT");
    else await client!.query("COMMIT");
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  sqlite?.close();
  await client?.end();
  return {
    events: events.length,
    perS: events.length / seconds,
    cpuMsPerEvent: (used.user + used.system) / 1000 / events.length,
    load: load(),
  };
}
