// Web streams work on Node 20 (the rule marks them experimental until 21).
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import { ReadableStream } from "node:stream/web";

import { describe, expect, it } from "vitest";

import { readBodyLimited, readFormLimited, readTextLimited } from "./body.server";

/** A POST whose body streams `chunks` without a Content-Length, counting what was pulled from it. */
function chunkedPost(chunks: Uint8Array[], headers: Record<string, string> = {}) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled++];
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  const request = new Request("http://127.0.0.1/x", {
    method: "POST",
    body: body as unknown as BodyInit,
    headers,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("bodies read with a ceiling", () => {
  it("reads a body at the limit whole, across chunks", async () => {
    const { request } = chunkedPost([new TextEncoder().encode("héllo "), new TextEncoder().encode("world")]);
    expect(await readTextLimited(request, 12)).toBe("héllo world");
  });

  it("stops reading a streamed body as soon as it passes the limit", async () => {
    const mb = new Uint8Array(1024 * 1024);
    const { request, pulled } = chunkedPost(Array.from({ length: 1000 }, () => mb));
    expect(await readBodyLimited(request, 3 * 1024 * 1024)).toBeNull();
    // A gigabyte was on offer; a few megabytes were read.
    expect(pulled()).toBeLessThan(10);
  });

  it("refuses a declared length over the limit without reading", async () => {
    const { request, pulled } = chunkedPost([new Uint8Array(60), new Uint8Array(60)], { "content-length": "100" });
    expect(await readBodyLimited(request, 99)).toBeNull();
    // The stream fills its one-chunk queue when made; reading would have pulled the second chunk.
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it("reads a form by its content type, and refuses one over the limit", async () => {
    const form = () =>
      new Request("http://127.0.0.1/x", {
        method: "POST",
        body: "a=1&b=%C3%A9",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const read = await readFormLimited(form(), 100);
    expect([read?.get("a"), read?.get("b")]).toEqual(["1", "é"]);
    expect(await readFormLimited(form(), 5)).toBeNull();
  });
});
