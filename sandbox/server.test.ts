import { afterEach, describe, expect, it, vi } from "vitest";

import { startSandboxServer } from "./server";
import { startDemo } from "./demo";
import { proxiedRequest, signProxyQuery } from "./app-proxy";
import { testSandbox, TEST_SHOP } from "./engine/testing";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the sandbox outside development", () => {
  it("the server and the demo refuse to start when NODE_ENV=production", async () => {
    const { sandbox } = testSandbox();
    vi.stubEnv("NODE_ENV", "production");
    await expect(
      startSandboxServer({
        sandbox,
        shop: TEST_SHOP,
        apiKey: "k",
        apiSecret: "s",
        appUrl: "http://127.0.0.1:1",
        port: 0,
      }),
    ).rejects.toThrow(/NODE_ENV=production/);
    await expect(startDemo({ log: () => {} })).rejects.toThrow(/NODE_ENV=production/);
  });
});

describe("the app proxy stand-in", () => {
  it("forwards to /proxy with Shopify's parameters, replacing any the shopper tried to set, and signs them", () => {
    const forward = proxiedRequest(
      new URL("http://127.0.0.1:8081/apps/aftercare/tracking?order=%231001&logged_in_customer_id=999&signature=forged"),
      "GET",
      new Headers({ accept: "application/json", cookie: "secret=1" }),
      undefined,
      {
        appUrl: "http://127.0.0.1:8080",
        shop: TEST_SHOP,
        secret: "s3cret",
        loggedInCustomerId: "42",
        clientIp: "203.0.113.9",
        now: new Date(1_700_000_000_000),
      },
    );
    const url = new URL(forward.url);
    expect(url.pathname).toBe("/proxy/tracking");
    expect(url.searchParams.get("order")).toBe("#1001");
    expect(url.searchParams.get("logged_in_customer_id")).toBe("42");
    expect(url.searchParams.get("timestamp")).toBe("1700000000");
    expect(url.searchParams.getAll("signature")).toEqual([signProxyQuery(url.searchParams, "s3cret")]);
    expect(signProxyQuery(url.searchParams, "other")).not.toBe(url.searchParams.get("signature"));
    const headers = new Headers(forward.init.headers);
    expect(headers.get("x-forwarded-for")).toBe("203.0.113.9");
    expect(headers.get("cookie")).toBeNull();
  });
});

describe("the sandbox storefront", () => {
  it("shows the returns block's declared script, serves its on-demand one as Shopify's CDN does", async () => {
    const { sandbox } = testSandbox();
    const server = await startSandboxServer({
      sandbox,
      shop: TEST_SHOP,
      apiKey: "k",
      apiSecret: "s",
      appUrl: "http://127.0.0.1:1",
      port: 0,
    });
    try {
      const page = await (await fetch(`${server.url}/store?block=returns-portal&customer=guest`)).text();
      // The schema's script and stylesheet, once, as Shopify adds them; the return form's by URL only.
      expect(page).toContain('<script src="/store/assets/returns-portal.js" defer></script>');
      expect(page).toContain('<link rel="stylesheet" href="/store/assets/returns-portal.css">');
      const src = /data-request-script="([^"]+)"/.exec(page)?.[1];
      expect(src).toBe("/store/assets/returns-request.js");
      expect(page).not.toContain('src="/store/assets/returns-request.js"');
      const script = await fetch(new URL(src!, server.url));
      expect(script.status).toBe(200);
      expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      // Served from another origin on Shopify (its CDN), which lets any shop's page load it.
      expect(script.headers.get("access-control-allow-origin")).toBe("*");
      const code = await script.text();
      expect(code).toContain('customElements.define("aftercare-returns-request"');
      expect(code).not.toMatch(/@ts-check|^\s*\/\//m);
    } finally {
      await server.close();
    }
  });
});
