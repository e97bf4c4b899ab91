/**
 * A theme block running in a DOM (happy-dom): its Liquid rendered by theme-block.ts, its script
 * loaded as the storefront loads it (after the markup, like `defer`), and fetch answered by a
 * stand-in for the app proxy that the test controls, one request at a time when it needs to.
 * The blocks' timers (their request timeouts) run on Node's clock, so vi.useFakeTimers({ toFake:
 * ["setTimeout", "clearTimeout"] }) moves them, and settle() does not wait a timeout out.
 */
import { Window } from "happy-dom";

import { read } from "./theme-block";

export interface ProxyCall {
  url: URL;
  method: string;
  body: unknown;
  signal: AbortSignal | null;
}

/** What the stand-in answers: a status and JSON body, or a promise of one (held until the test says). */
export interface ProxyAnswer {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}
export type ProxyHandler = (call: ProxyCall) => ProxyAnswer | Promise<ProxyAnswer>;

/** A promise the test settles itself, to hold an answer back while something else happens. */
export function held<T>() {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (settle = resolve));
  return { promise, settle };
}

export async function mountBlock(options: { html: string; script: string; url?: string; proxy: ProxyHandler }) {
  const window = new Window({
    url: options.url ?? "https://shop.example/pages/help",
    settings: {
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      handleDisabledFileLoadingAsSuccess: true,
    },
  });
  const calls: ProxyCall[] = [];
  const aborted: ProxyCall[] = [];
  const fetch = (input: string, init: RequestInit = {}) => {
    const call: ProxyCall = {
      url: new URL(input, window.location.href),
      method: init.method ?? "GET",
      body: typeof init.body === "string" ? JSON.parse(init.body) : null,
      signal: init.signal ?? null,
    };
    calls.push(call);
    return new Promise<Response>((resolve, reject) => {
      const abort = () => {
        aborted.push(call);
        reject(new DOMException("The operation was aborted.", "AbortError"));
      };
      if (call.signal?.aborted) return abort();
      call.signal?.addEventListener("abort", abort);
      Promise.resolve(options.proxy(call))
        .then((answer) => {
          call.signal?.removeEventListener("abort", abort);
          const text = answer.text ?? JSON.stringify(answer.body ?? {});
          const headers = { "Content-Type": "application/json; charset=utf-8", ...answer.headers };
          resolve(new Response(text, { status: answer.status, headers }));
        })
        .catch(reject);
    });
  };
  // happy-dom's own timers would make waitUntilComplete() wait for every pending request timeout.
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const timeout = (callback: () => void, ms?: number) => {
    const id = globalThis.setTimeout(() => {
      timers.delete(id);
      callback();
    }, ms);
    timers.add(id);
    return id;
  };
  const clear = (id: ReturnType<typeof setTimeout>) => {
    timers.delete(id);
    globalThis.clearTimeout(id);
  };
  Object.assign(window, { fetch, setTimeout: timeout, clearTimeout: clear });
  // Browsers have the Option constructor the returns block fills its selects with; happy-dom has not.
  if (!("Option" in window)) {
    const document = window.document;
    Object.assign(window, {
      Option: function Option(text = "", value?: string) {
        return Object.assign(
          document.createElement("option"),
          { textContent: text },
          value === undefined ? {} : { value },
        );
      },
    });
  }
  // A timeout still pending when the test closes the page must not fire into a closed page.
  const close = window.happyDOM.close.bind(window.happyDOM);
  window.happyDOM.close = () => {
    for (const id of timers) globalThis.clearTimeout(id);
    return close();
  };
  // A script the block adds later (the returns block's request flow, from its asset URL) runs as
  // the browser would run it: the extension's asset of that name.
  const loaded: string[] = [];
  new window.MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        const src = node instanceof window.HTMLScriptElement ? node.getAttribute("src") : null;
        if (!src) continue;
        const file = new URL(src, window.location.href).pathname.split("/").pop()!;
        loaded.push(file);
        window.eval(read(`assets/${file}`));
      }
  }).observe(window.document, { childList: true, subtree: true });
  window.document.body.innerHTML = options.html;
  window.eval(read(`assets/${options.script}`));
  await settle(window);
  return { window, document: window.document, calls, aborted, loaded };
}

/**
 * Lets every answer already given reach the page (promises, then the DOM). setImmediate, not
 * setTimeout, so it works while a test's fake timers hold the blocks' timeouts.
 */
export async function settle(window: Window) {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  await window.happyDOM.waitUntilComplete();
}
