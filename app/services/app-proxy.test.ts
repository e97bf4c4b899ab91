/** Reading a proxy request: the shopper's address the deployment vouches for, and repeated parameters. */
import { describe, expect, it } from "vitest";

import { parseEnv } from "../env.server";

import { proxyContext, repeatedParameter, shopperAddress } from "./app-proxy.server";

describe("shopperAddress", () => {
  it("takes the entry the outermost trusted proxy wrote, never what the client put in front", () => {
    // Shopify's app proxy alone (the default): its entry is the last.
    expect(shopperAddress("198.51.100.7", 1)).toBe("198.51.100.7");
    expect(shopperAddress("6.6.6.6, 7.7.7.7, 198.51.100.7", 1)).toBe("198.51.100.7");
    // Behind the host's load balancer too: Shopify's entry is second from the right.
    expect(shopperAddress("6.6.6.6, 198.51.100.7, 23.227.38.1", 2)).toBe("198.51.100.7");
    // A shorter chain than configured: all of it came from trusted proxies.
    expect(shopperAddress("198.51.100.7", 2)).toBe("198.51.100.7");
  });

  it("drops ports, unwraps IPv4 in IPv6, counts an IPv6 /64 as one client, and refuses what is no address", () => {
    expect(shopperAddress("198.51.100.7:51234", 1)).toBe("198.51.100.7");
    expect(shopperAddress("::ffff:198.51.100.7", 1)).toBe("198.51.100.7");
    expect(shopperAddress("[2001:db8:a:b:1:2:3:4]:443", 1)).toBe("2001:db8:a:b::/64");
    expect(shopperAddress("2001:DB8:a:b::9", 1)).toBe(shopperAddress("2001:db8:a:b:ffff::1", 1));
    expect(shopperAddress("2001:db8::1", 1)).toBe("2001:db8:0:0::/64");
    expect(shopperAddress("64:ff9b::192.0.2.1", 1)).toBe("64:ff9b:0:0::/64");
    expect(shopperAddress("not-an-address", 1)).toBeNull();
    expect(shopperAddress(null, 1)).toBeNull();
    expect(shopperAddress("", 1)).toBeNull();
  });

  it("is what proxyContext reports as the client, with the configured hops", () => {
    const request = new Request("http://app/proxy/tracking?shop=a.myshopify.com", {
      headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.7" },
    });
    expect(proxyContext(request, 1).clientIp).toBe("198.51.100.7");
    expect(proxyContext(request, 2).clientIp).toBe("6.6.6.6");
  });
});

describe("repeated parameters", () => {
  it("names the first parameter that repeats, and proxyContext refuses it with 400", async () => {
    expect(repeatedParameter(new URLSearchParams("a=1&b=2"))).toBeNull();
    expect(repeatedParameter(new URLSearchParams("logged_in_customer_id=1&shop=s&logged_in_customer_id=2"))).toBe(
      "logged_in_customer_id",
    );
    const request = new Request("http://app/proxy/loyalty?shop=a.myshopify.com&shop=b.myshopify.com");
    let thrown: unknown;
    try {
      proxyContext(request, 1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
  });
});

describe("TRUSTED_PROXY_HOPS", () => {
  const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example.com" };
  it("defaults to 1 (Shopify's app proxy) and takes 1 to 9", () => {
    expect(parseEnv(base).TRUSTED_PROXY_HOPS).toBe(1);
    expect(parseEnv({ ...base, TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    for (const wrong of ["0", "-1", "two", "1.5", "10"]) {
      expect(() => parseEnv({ ...base, TRUSTED_PROXY_HOPS: wrong })).toThrow(
        /TRUSTED_PROXY_HOPS must be a whole number from 1 to 9/,
      );
    }
  });
});
