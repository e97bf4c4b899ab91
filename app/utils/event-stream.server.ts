/**
 * A server-sent events response (docs/decisions/0034): `start` gets a `send` and returns its
 * cleanup, called once when the client goes away, the stream reaches its age limit or `end` is
 * called. A comment every 25 seconds keeps proxies from closing a quiet stream;
 * `Cache-Control: no-transform` keeps server.js's compression from buffering it.
 *
 * The client going away is heard from the request's signal and from `closed`, the production
 * server's connection signal (docs/decisions/0047): the request's own signal stops hearing it after
 * a garbage collection.
 */
// Web streams work on Node 20 (the rule marks them experimental until 21); Remix's own responses use them.
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import { ReadableStream } from "node:stream/web";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** Aborts when the client's connection closes (server.js's connectionContext). */
    connectionClosed?: AbortSignal;
  }
}

export interface StreamEvent {
  id?: string | number;
  event?: string;
  data: unknown;
}

export interface EventStreamOptions {
  headers?: Record<string, string>;
  /** After this long the stream ends; EventSource reconnects with Last-Event-ID. */
  maxAgeMs?: number;
  heartbeatMs?: number;
  /** How long the browser waits before reconnecting. */
  retryMs?: number;
  /** Aborts when the client's connection closes: pass the load context's `connectionClosed`. */
  closed?: AbortSignal;
}

export type Send = (event: StreamEvent) => void;

export function eventStream(
  request: Request,
  start: (send: Send, end: () => void) => (() => void) | Promise<() => void>,
  options: EventStreamOptions = {},
): Response {
  const encoder = new TextEncoder();
  const signals = options.closed ? [request.signal, options.closed] : [request.signal];
  let finish = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let done = false;
      let cleanup: () => void = () => {};
      const write = (text: string) => {
        if (done) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          finish();
        }
      };
      const send: Send = ({ id, event, data }) => {
        let text = "";
        if (id !== undefined) text += `id: ${id}\n`;
        if (event) text += `event: ${event}\n`;
        text += `data: ${JSON.stringify(data)}\n\n`;
        write(text);
      };
      const heartbeat = setInterval(() => write(": keep-alive\n\n"), options.heartbeatMs ?? 25_000);
      const age = setTimeout(() => finish(), options.maxAgeMs ?? 10 * 60_000);
      finish = () => {
        if (done) return;
        done = true;
        clearInterval(heartbeat);
        clearTimeout(age);
        for (const signal of signals) signal.removeEventListener("abort", finish);
        cleanup();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      for (const signal of signals) signal.addEventListener("abort", finish);
      write(`retry: ${options.retryMs ?? 2000}\n\n`);
      try {
        cleanup = await start(send, finish);
      } catch (error) {
        finish();
        throw error;
      }
      // Ended while starting: the cleanup arrived too late for finish().
      if (done) cleanup();
      else if (signals.some((signal) => signal.aborted)) finish();
    },
    cancel() {
      finish();
    },
  });
  return new Response(body as unknown as BodyInit, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
      ...(options.headers ?? {}),
    },
  });
}
